"""API load benchmark: 50 concurrent users reading the national synthetic ecosystem.

The service runs in its own process (``sinergi serve`` on 127.0.0.1); this process is the
load: an asyncio httpx client with ``--users`` concurrent users, each looping over a mix of
park, flow and assessment-input reads of random parks for ``--seconds``, plus ``/health`` (no
database) in the same run as the floor. It reports p50/p95/p99 and errors per class, and then
times one park's assessment inputs alone (sequential requests), the "a park's page must not load
the national network" target.

Targets (issue 14): read p95 ≤ 200 ms and ≤ 5× the floor's p95, 0 errors; one park's
assessment inputs ≤ 100 ms.

Usage::

    python bench/api.py [--backend sqlite|postgres|both] [--companies 30000] [--parks 150]
                        [--users 50] [--seconds 30] [--postgres URL]

Only loopback traffic, bounded in time and count.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_schema_url(base: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    schema = f"sinergi_bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(base, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def _drop_schema(base: str, schema: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(base, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def prepare(url: str, companies: int, parks: int) -> tuple[str, list[str], dict[str, float]]:
    """Load the synthetic nation and a ministry user; return its token, park ids, timings."""
    from datetime import UTC, datetime, timedelta

    from sinergi.demo import synthesise
    from sinergi.intake import initialise
    from sinergi.model.accounts import Grant, OrganisationKind, Role
    from sinergi.model.audit import Actor
    from sinergi.store import accounts
    from sinergi.store.audited import AuditedStore
    from sinergi.web.auth import hash_password, new_token, token_sha256

    store = AuditedStore(url, actor=Actor("bench"))
    timings = {}
    start = time.perf_counter()
    initialise(store)
    eco = synthesise(companies=companies, parks=parks, seed=1)
    timings["synthesise_s"] = time.perf_counter() - start
    start = time.perf_counter()
    store.save(eco)
    timings["save_s"] = time.perf_counter() - start
    if store.engine.dialect.name == "postgresql":
        # fresh planner statistics, as autovacuum would gather them after a bulk load
        with store.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    token = new_token()
    with store.transaction() as conn:
        accounts.add_organisation(conn, store.actor, "bench", "bench", OrganisationKind.MINISTRY)
        accounts.add_user(conn, store.actor, "bench", "bench", "bench", hash_password("x" * 16))
        accounts.grant(conn, store.actor, "bench", Grant(Role.MINISTRY))
        user = accounts.user_by_name(conn, "bench")
        expires = datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=2)
        accounts.add_token(conn, store.actor, user.id, token_sha256(token), "bench", expires)
    park_ids = sorted(eco.parks)
    store.close()
    return token, park_ids, timings


def serve(
    url: str, port: int, workers: int = 1, log: Path | None = None
) -> subprocess.Popen[bytes]:
    """Start ``sinergi serve`` on 127.0.0.1 in its own process(es); its stderr goes to ``log``."""
    env = {**os.environ, "SINERGI_ENV": "development", "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "sinergi"),
            "serve",
            "--db",
            url,
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL if log is None else log.open("wb"),
    )


def wait_ready(base: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the service did not start")


CLASSES = ("health", "park", "flows", "assessment_inputs")


def _path(kind: str, park: str) -> str:
    return {
        "health": "/health",
        "park": f"/parks/{park}",
        "flows": f"/parks/{park}/flows?period=2024&limit=100",
        "assessment_inputs": f"/parks/{park}/assessment-inputs?period=2024",
    }[kind]


async def _user(
    client: httpx.AsyncClient,
    parks: list[str],
    until: float,
    seed: int,
    out: dict[str, Any],
    think: float,
) -> None:
    rng = random.Random(seed)
    while time.monotonic() < until:
        if think > 0:  # a person reads the page before the next request
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
        kind = rng.choice(CLASSES)
        path = _path(kind, rng.choice(parks))
        start = time.perf_counter()
        try:
            answer = await client.get(path)
            problem = None if answer.status_code == 200 else str(answer.status_code)
        except httpx.HTTPError as exc:
            problem = type(exc).__name__
        out[kind]["ms"].append((time.perf_counter() - start) * 1000)
        if problem is not None:
            out[kind]["errors"] += 1
            out["why"][problem] = out["why"].get(problem, 0) + 1


async def load(
    base: str, token: str, parks: list[str], users: int, seconds: float, think: float
) -> Any:
    out: dict[str, Any] = {k: {"ms": [], "errors": 0} for k in CLASSES}
    out["why"] = {}
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=60
    ) as client:
        until = time.monotonic() + seconds
        await asyncio.gather(*(_user(client, parks, until, n, out, think) for n in range(users)))
    return out


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def one_park(base: str, token: str, park: str, repeats: int = 20) -> list[float]:
    headers = {"Authorization": f"Bearer {token}"}
    times = []
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        client.get(_path("assessment_inputs", park))  # warm
        for _ in range(repeats):
            start = time.perf_counter()
            answer = client.get(_path("assessment_inputs", park))
            times.append((time.perf_counter() - start) * 1000)
            answer.raise_for_status()
    return times


def run(backend: str, args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="sinergi-bench-api-"))
    schema = None
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'nation.db'}"
    else:
        url, schema = _pg_schema_url(args.postgres)
    try:
        token, parks, timings = prepare(url, args.companies, args.parks)
        port = _free_port()
        log = folder / "server.log"
        server = serve(url, port, args.workers, log)
        base = f"http://127.0.0.1:{port}/api/v1"
        try:
            wait_ready(base)
            runs = {
                think: asyncio.run(load(base, token, parks, args.users, args.seconds, think))
                for think in args.think
            }
            single = one_park(base, token, parks[len(parks) // 2])
        finally:
            server.terminate()
            server.wait(30)
        for think, out in runs.items():
            _report(backend, args, timings, out, single, think)
        errors = [
            line for line in log.read_text("utf-8", "replace").splitlines() if "Error" in line
        ]
        print(f"server log: {len(errors)} error line(s)" + "".join(f"\n  {e}" for e in errors[:5]))
    finally:
        if schema is not None:
            _drop_schema(args.postgres, schema)


def _report(
    backend: str,
    args: argparse.Namespace,
    timings: dict[str, float],
    out: Any,
    single: Any,
    think: float,
) -> None:
    pause = f"think time {think:g} s (uniform ±50 %)" if think else "no think time (closed loop)"
    print(
        f"\n## {backend}: {args.companies:,} companies, {args.parks} parks, {args.users} users, "
        f"{pause}, {args.workers} service process(es), {args.seconds:.0f} s "
        f"(synthesise {timings['synthesise_s']:.1f} s, save {timings['save_s']:.1f} s)"
    )
    print("| class | requests | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|")
    floor = _pct(out["health"]["ms"], 0.95)
    for kind in CLASSES:
        ms = out[kind]["ms"]
        print(
            f"| {kind} | {len(ms)} | {_pct(ms, 0.5):.1f} | {_pct(ms, 0.95):.1f} | "
            f"{_pct(ms, 0.99):.1f} | {out[kind]['errors']} |"
        )
    reads = [m for k in CLASSES[1:] for m in out[k]["ms"]]
    p95 = _pct(reads, 0.95)
    errors = sum(out[k]["errors"] for k in CLASSES)
    print(
        f"\nreads p95 {p95:.1f} ms = {p95 / floor:.1f}x the floor's p95 ({floor:.1f} ms); "
        f"errors {errors} {out['why'] or ''}; targets: p95 <= 200 ms and <= 5x floor, 0 errors -> "
        f"{'met' if p95 <= 200 and p95 <= 5 * floor and errors == 0 else 'NOT met'}"
    )
    print(
        f"one park's assessment inputs, alone: median {statistics.median(single):.1f} ms, "
        f"max {max(single):.1f} ms (target <= 100 ms -> "
        f"{'met' if statistics.median(single) <= 100 else 'NOT met'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--companies", type=int, default=30_000)
    parser.add_argument("--parks", type=int, default=150)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--think",
        type=float,
        nargs="+",
        default=[0.0, 1.0],
        help="Mean pause between one user's requests, s (one run per value; 0 = none).",
    )
    parser.add_argument("--workers", type=int, default=1, help="Service processes.")
    parser.add_argument(
        "--postgres", default=os.environ.get("SINERGI_TEST_POSTGRES_URL", PG_DEFAULT)
    )
    args = parser.parse_args()
    for backend in ("sqlite", "postgres") if args.backend == "both" else (args.backend,):
        run(backend, args)


if __name__ == "__main__":
    main()
