"""Custody benchmark: ingest, full upstream trace of a pack, mass-balance close of a site-period.

On a synthetic nickel-to-pack chain (``sinergi custody synth``'s generator, seed 1; every lot
synthetic, quantities illustrative), for SQLite and PostgreSQL:

* **ingest**: the path ``sinergi custody synth`` and ``sinergi lots import`` run
  (:meth:`CustodyRecords.append`: every event checked against the stored chain, written with
  its EPCIS body, portions and one audit-ledger entry), in events per second;
* **full upstream trace of a pack**, p95 over ``--traces`` random packs, two ways:
  ``db`` = :meth:`CustodyRecords.upstream` (recursive SQL over the portions, then only the
  lot's history is read and replayed) and ``memory`` = :meth:`Chain.upstream` on the loaded
  chain; each against the **peer**, :func:`upstream_naive` (plain recursion over every path,
  finding each lot's producer by scanning the event list) on the same chain, same packs.
  Ratio = sinergi / peer (lower is better); the attributed quantities must agree (checked);
* **mass-balance close of one site-period**: book the converting events of one refinery and
  quarter (picked through an index by site and period) and close its accounts, against the
  peer that scans every event of the chain for that site and period before booking the same.
  The closing balances must agree (checked).

Targets from issue 16 (10 million events): trace ≤ 100 ms p95, close ≤ 1 s. This machine runs a
smaller chain within about three minutes; the scale is printed with every result.

Usage: ``python bench/custody.py [--lots 20000] [--traces 50] [--backends sqlite,postgres]``
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from sinergi.custody import Chain, Characteristic, upstream_naive
from sinergi.custody.accounts import (
    Accounting,
    CustodyModel,
    SiteModel,
    accounting_period,
)
from sinergi.custody.synth import SyntheticSites, synthesise_chain
from sinergi.model.audit import Actor
from sinergi.store import Store
from sinergi.store.custody import CustodyRecords

POSTGRES = os.environ.get(
    "SINERGI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TRACE_TARGET_S = 0.100
CLOSE_TARGET_S = 1.0


def p95(values: list[float]) -> float:
    """Return the 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    """Return (seconds, result) of one call."""
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def _store(backend: str) -> tuple[Store, Callable[[], None]]:
    if backend == "sqlite":
        folder = tempfile.mkdtemp(prefix="sinergi-custody-bench-")
        store = Store(f"sqlite:///{folder}/bench.db")
        return store, store.close
    schema = f"bench_custody_{uuid.uuid4().hex[:10]}"
    engine = create_engine(POSTGRES, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES).update_query_dict({"options": f"-csearch_path={schema}"})
    store = Store(url.render_as_string(hide_password=False))

    def drop() -> None:
        store.close()
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()

    return store, drop


def _models(sites: SyntheticSites) -> dict[tuple[str, str], SiteModel]:
    return {
        (r, "nickel_sulfate"): SiteModel(r, "nickel_sulfate", CustodyModel.MASS_BALANCE)
        for r in sites.refineries
    }


def close_indexed(chain: Chain, models: Any, site: str, period: str, index: Any) -> Any:
    """Book one site-period's events (found through an index) and close its accounts."""
    accounting = Accounting(chain, models)
    for event in index[(site, period)]:
        accounting.book(event)
    return accounting.close(site, "nickel_sulfate", period)


def close_scanning(chain: Chain, models: Any, site: str, period: str) -> Any:
    """The peer: scan every event for the site and period, then book and close the same."""
    accounting = Accounting(chain, models)
    for event in chain.events:
        if event.facility == site and accounting_period(event.time) == period:
            accounting.book(event)
    return accounting.close(site, "nickel_sulfate", period)


def run_backend(backend: str, events: list[Any], traces: int, sites: SyntheticSites) -> None:
    """Measure ingest, traces and one close on one backend; print the results."""
    store, cleanup = _store(backend)
    try:
        store.migrate()
        records = CustodyRecords(store, Actor("bench"))
        ingest_s, _ = timed(lambda: records.append(events))
        print(
            f"[{backend}] ingest: {len(events):,} events in {ingest_s:.1f} s "
            f"= {len(events) / ingest_s:,.0f} events/s"
        )
        load_s, chain = timed(records.chain)
        print(f"[{backend}] load the whole chain for in-memory queries: {load_s:.1f} s")
        packs = sorted(k for k in chain.lots if k.startswith("K"))
        picked = random.Random(1).sample(packs, min(traces, len(packs)))
        records.upstream(picked[0])  # warm the connection pool and caches once
        db_s, mem_s, peer_s = [], [], []
        for pack in picked:
            t_db, from_db = timed(lambda p=pack: records.upstream(p))
            t_mem, in_memory = timed(lambda p=pack: chain.upstream(p))
            t_peer, naive = timed(lambda p=pack: upstream_naive(chain, p))
            assert from_db.quantities.keys() == naive.keys() == in_memory.quantities.keys()
            assert all(
                abs(naive[k] - in_memory.quantities[k]) <= 1e-9 * abs(naive[k]) + 1e-12
                for k in naive
            )
            db_s.append(t_db)
            mem_s.append(t_mem)
            peer_s.append(t_peer)
        peer = p95(peer_s)
        print(
            f"[{backend}] upstream trace of a pack, p95 over {len(picked)} packs: "
            f"db {p95(db_s) * 1e3:.1f} ms (ratio {p95(db_s) / peer:.3f}), "
            f"memory {p95(mem_s) * 1e3:.3f} ms (ratio {p95(mem_s) / peer:.5f}), "
            f"peer {peer * 1e3:.1f} ms; target {TRACE_TARGET_S * 1e3:.0f} ms"
        )
        index: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for event in chain.events:
            if event.kind.converts:
                index[(event.facility, accounting_period(event.time))].append(event)
        models = _models(sites)
        site, period = max(
            ((s, p) for s, p in index if s in sites.refineries), key=lambda k: len(index[k])
        )
        close_indexed(chain, models, site, period, index)  # warm-up
        t_close, ours = timed(lambda: close_indexed(chain, models, site, period, index))
        t_scan, theirs = timed(lambda: close_scanning(chain, models, site, period))
        assert [c.balance for c in ours] == [c.balance for c in theirs]
        recycled = sum(
            c.credits for c in ours if c.characteristic is Characteristic.RECYCLED_POST_CONSUMER
        )
        print(
            f"[{backend}] mass-balance close of {site} {period} ({len(index[(site, period)])} "
            f"events, {recycled:,.1f} t recycled credits): {t_close * 1e3:.2f} ms "
            f"(ratio {t_close / t_scan:.3f} to the scanning peer, {t_scan * 1e3:.1f} ms); "
            f"target {CLOSE_TARGET_S:.0f} s"
        )
    finally:
        cleanup()


def main() -> None:
    """Parse options, build the synthetic chain once and measure each backend."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lots", type=int, default=20_000)
    parser.add_argument("--traces", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    sites = SyntheticSites()
    made_s, events = timed(lambda: list(synthesise_chain(args.lots, seed=args.seed, sites=sites)))
    print(
        f"scale: --lots {args.lots:,} -> {len(events):,} events "
        f"(issue target 10,000,000 events), generated in {made_s:.1f} s"
    )
    for backend in args.backends.split(","):
        run_backend(backend.strip(), events, args.traces, sites)


if __name__ == "__main__":
    main()
