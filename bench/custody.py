"""Custody benchmark at scale: ingest, upstream and downstream traces, one site-period balance.

On a synthetic nickel-to-pack chain (``sinergi custody synth``'s generator, seed 1; every lot
synthetic, quantities illustrative), for SQLite and PostgreSQL, on the store calls the
commands run:

* **ingest**: :meth:`CustodyRecords.append` in batches of ``--batch`` events, as successive
  ``sinergi lots import`` / ``sinergi custody synth`` runs do: each new event is checked
  against the stored lots it touches, written with its EPCIS body, portions and one
  audit-ledger entry. Events per second over the whole load (wall clock), and per second
  of this process's CPU (``time.process_time``: on a shared machine the wall clock follows
  the other jobs' load; on PostgreSQL the server's own CPU is not in it); the peak resident
  memory is printed after the chain is generated, after the ingest and after the peers;
* **upstream trace of a pack** (``sinergi lots trace PACK``): :meth:`CustodyRecords.upstream`
  (recursive SQL over the portions, then only the pack's history is read and replayed), p95
  over ``--traces`` random packs;
* **downstream trace of an ore lot** (``sinergi lots trace ORE --direction downstream``):
  :meth:`CustodyRecords.downstream` (recursive SQL the other way), p95 over ``--traces``
  random ore lots;
* **balance of one site-period** (``sinergi custody balance --site … --period …``):
  :meth:`CustodyRecords.balance` for the busiest refinery and the last full quarter, twice:
  *cold* (no closing kept: every earlier quarter of that site is closed from the credit
  journal for the balance carried in) and *kept* (asked again: the closings the first call
  kept carry it in, and only the last quarter's journal rows are summed).

Each is set against a **peer measured in the same run** on the same chain, held in memory
(its load from the database not counted): the naive recursive traversals
:func:`upstream_naive` / :func:`downstream_naive` (every path walked, each lot's producer or
users found by scanning the event list), p95 over ``--peer-traces`` of the same lots, and
for the balance the replay of the whole chain (what ``custody balance`` did before).
Ratio = sinergi / peer (lower is better). Results are checked against the peers (same
quantities, same closing balances).

Usage: ``python bench/custody.py [--lots 20000] [--traces 30] [--peer-traces 5]
[--batch 50000] [--backends sqlite,postgres] [--stream]``; ``--stream`` ingests the chain
as it is generated and keeps none of it (for ten million events, whose in-memory copy and
peers would need about 15 GiB): ingest and traces only, no peer, no balance.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import resource
import shutil
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import NullPool

from sinergi.custody import CLAIMABLE, Chain, downstream_naive, upstream_naive
from sinergi.custody.accounts import CustodyModel, SiteModel, accounting_period, replay
from sinergi.custody.events import EventKind
from sinergi.custody.synth import SyntheticSites, synthesise_chain
from sinergi.model.audit import Actor
from sinergi.store import Store
from sinergi.store import schema_custody as sc
from sinergi.store.custody import CustodyRecords

POSTGRES = os.environ.get(
    "SINERGI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TRACE_TARGET_S = 0.100
CLOSE_TARGET_S = 1.0


def rss_gib() -> float:
    """Return the process's peak resident memory so far, in GiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


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

        def remove() -> None:  # a ten-million-event database takes some 20 GB
            store.close()
            shutil.rmtree(folder, ignore_errors=True)

        return store, remove
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


def _models(sites: SyntheticSites) -> list[SiteModel]:
    return [SiteModel(r, "nickel_sulfate", CustodyModel.MASS_BALANCE) for r in sites.refineries]


_CONVERTING = [k.value for k in EventKind if k.converts]


class StoredNaive:
    """Naive recursive traversals over the stored tables: one query per lot on each path.

    The peer that fits at any scale. Like :func:`upstream_naive` / :func:`downstream_naive`
    (every path walked, a lot reached by two paths walked twice, no memory), but each lot's
    producer or users and each event's portions are found with the store's indexes, one
    query at a time from Python, on the database the commands read: what a traversal written
    without recursive SQL, without a memory of lots seen and without the shares kept by the
    import costs on the same data.
    """

    def __init__(self, conn: Connection):
        self.conn = conn
        self.lots = sc.custody_lots
        self.portions = sc.custody_portions
        self.events = sc.custody_events

    def _quantity(self, lot: str) -> float:
        return float(
            self.conn.execute(
                select(self.lots.c.quantity).where(self.lots.c.id == lot)
            ).scalar_one()
        )

    def _event(
        self, seq: int
    ) -> tuple[list[tuple[str, float]], dict[str, float], dict[str, float]]:
        """Return an event's inputs, its outputs' shares (by mass if known) and lot sizes."""
        p, lots = self.portions, self.lots
        rows = self.conn.execute(
            select(
                p.c.lot_id,
                p.c.role,
                p.c.quantity,
                lots.c.quantity.label("size"),
                lots.c.unit,
                lots.c.mass_t,
            )
            .join(lots, lots.c.id == p.c.lot_id)
            .where(p.c.event_seq == seq)
        ).all()
        inputs = [(r.lot_id, float(r.quantity)) for r in rows if r.role == "in"]
        made = [r for r in rows if r.role == "out"]
        masses = [
            r.quantity
            if r.unit == "t"
            else None
            if r.mass_t is None
            else r.quantity / r.size * r.mass_t
            for r in made
        ]
        amounts = masses if all(m is not None for m in masses) else [r.quantity for r in made]
        total = sum(float(a) for a in amounts if a is not None)
        shares = {
            r.lot_id: float(a) / total for r, a in zip(made, amounts, strict=True) if a is not None
        }
        return inputs, shares, {r.lot_id: float(r.size) for r in rows}

    def _converting(self, lot: str, role: str) -> list[tuple[int, float]]:
        p, e = self.portions, self.events
        rows = self.conn.execute(
            select(p.c.event_seq, p.c.quantity)
            .join(e, e.c.seq == p.c.event_seq)
            .where(p.c.lot_id == lot, p.c.role == role, e.c.kind.in_(_CONVERTING))
            .order_by(p.c.event_seq)
        ).all()
        return [(int(r.event_seq), float(r.quantity)) for r in rows]

    def upstream(self, lot_id: str) -> dict[str, float]:
        """Return upstream attributed quantities, as :func:`upstream_naive` does."""
        out: dict[str, float] = defaultdict(float)

        def walk(node: str, amount: float) -> None:
            out[node] += amount
            made = self._converting(node, "out")
            if not made:
                return
            inputs, shares, size = self._event(made[0][0])
            for lot, quantity in inputs:
                walk(lot, amount / size[node] * shares[node] * quantity)

        walk(lot_id, self._quantity(lot_id))
        return dict(out)

    def downstream(self, lot_id: str) -> dict[str, float]:
        """Return downstream contained quantities, as :func:`downstream_naive` does."""
        out: dict[str, float] = defaultdict(float)

        def walk(node: str, amount: float, size: float) -> None:
            out[node] += amount
            for seq, used in self._converting(node, "in"):
                _inputs, shares, sizes = self._event(seq)
                for lot, share in shares.items():
                    walk(lot, amount * used / size * share, sizes[lot])

        walk(lot_id, (q := self._quantity(lot_id)), q)
        return dict(out)


def _same(ours: dict[str, float], naive: dict[str, float]) -> None:
    """Check a trace against a peer's: same lots, same quantities (to 1e-9 relative)."""
    assert ours.keys() == naive.keys(), sorted(ours.keys() ^ naive.keys())[:5]
    assert all(abs(naive[k] - ours[k]) <= 1e-9 * naive[k] for k in naive)


def stored_peers(
    store: Store, packs: list[str], ores: list[str]
) -> dict[str, dict[str, tuple[float, dict[str, float]]]]:
    """Time the stored naive traversals of ``packs`` (upstream) and ``ores`` (downstream)."""
    with store.engine.connect() as conn:
        naive = StoredNaive(conn)
        return {
            "up": {k: timed(lambda k=k: naive.upstream(k)) for k in packs},
            "down": {k: timed(lambda k=k: naive.downstream(k)) for k in ores},
        }


def _ratios(ours: list[float], peers: list[tuple[str, list[float]]]) -> str:
    return "; ".join(
        f"peer {name} p95 {p95(t) * 1e3:,.1f} ms over {len(t)}, ratio {p95(ours) / p95(t):.5f}"
        for name, t in peers
    )


class Peers:
    """The in-memory chain and the peers' timings, measured once per run."""

    def __init__(self, events: list[Any], args: argparse.Namespace, sites: SyntheticSites):
        self.chain = Chain()
        for event, made in events:
            self.chain.record(event, new_lots=made)
        rng = random.Random(args.seed)
        packs = sorted(k for k in self.chain.lots if k.startswith("K"))
        ores = sorted(k for k in self.chain.lots if k.startswith("O"))
        self.packs = rng.sample(packs, min(args.traces, len(packs)))
        self.ores = rng.sample(ores, min(args.traces, len(ores)))
        count = args.peer_traces
        self.up = {p: timed(lambda p=p: upstream_naive(self.chain, p)) for p in self.packs[:count]}
        self.down = {
            o: timed(lambda o=o: downstream_naive(self.chain, o)) for o in self.ores[:count]
        }
        refining = Counter(e.facility for e in self.chain.events if e.facility in sites.refineries)
        self.site = refining.most_common(1)[0][0]
        last = accounting_period(self.chain.events[-1].time)
        periods = sorted(
            {accounting_period(e.time) for e in self.chain.events},
            key=lambda p: tuple(int(x) for x in p.split("-P")),
        )
        self.period = periods[-2] if len(periods) > 1 and periods[-1] == last else last
        models = {(m.site, m.product_group): m for m in _models(sites)}
        self.replay_s, whole = timed(lambda: replay(self.chain, models, []))
        self.closes = [
            whole.close_record(self.site, "nickel_sulfate", c, self.period).balance
            for c in CLAIMABLE
        ]


def run_backend(
    backend: str,
    events: list[Any],
    peers: Callable[[], Peers],
    args: argparse.Namespace,
) -> None:
    """Measure ingest, traces and one balance on one backend; print the results.

    The peers are measured after the ingest (once per run), so the ingest figure is printed
    even if the run is stopped before the end.
    """
    store, cleanup = _store(backend)
    try:
        store.migrate()
        records = CustodyRecords(store, Actor("bench"))
        records.append([], models=_models(SyntheticSites()))
        start, cpu = time.perf_counter(), time.process_time()
        for first in range(0, len(events), args.batch):
            records.append(events[first : first + args.batch])
            done = min(first + args.batch, len(events))
            rate = done / (time.perf_counter() - start)
            print(f"[{backend}]   {done:,} events stored ({rate:,.0f} events/s)", flush=True)
        ingest_s = time.perf_counter() - start
        cpu_s = time.process_time() - cpu
        print(
            f"[{backend}] ingest: {len(events):,} events in {ingest_s:.1f} s "
            f"= {len(events) / ingest_s:,.0f} events/s (batches of {args.batch:,}); "
            f"this process's CPU {cpu_s:.1f} s = {len(events) / cpu_s:,.0f} events per CPU-second "
            f"(without the database server's); peak RSS {rss_gib():.2f} GiB",
            flush=True,
        )
        peers_s, peers = timed(peers)
        print(
            f"peers measured in memory in {peers_s:.1f} s; peak RSS {rss_gib():.2f} GiB", flush=True
        )
        records.upstream(peers.packs[0])  # warm the connection pool once
        up_s, down_s = [], []
        for pack in peers.packs:
            t, trace = timed(lambda p=pack: records.upstream(p))
            up_s.append(t)
            if pack in peers.up:
                _same(trace.quantities, peers.up[pack][1])
        for ore in peers.ores:
            t, (trace, _chain) = timed(lambda o=ore: records.downstream(o))
            down_s.append(t)
            if ore in peers.down:
                _same(trace.quantities, peers.down[ore][1])
        stored = stored_peers(store, list(peers.up), list(peers.down))
        for name, ours, memory, query in (
            ("upstream trace of a pack", up_s, peers.up, stored["up"]),
            ("downstream trace of an ore lot", down_s, peers.down, stored["down"]),
        ):
            for lot, (_t, naive) in query.items():
                _same(naive, memory[lot][1])
            print(
                f"[{backend}] {name}: p95 {p95(ours) * 1e3:.1f} ms over {len(ours)} ("
                + _ratios(
                    ours,
                    [
                        ("naive, scan of the chain in memory", [t for t, _ in memory.values()]),
                        ("naive, one stored query per lot", [t for t, _ in query.values()]),
                    ],
                )
                + f"); target {TRACE_TARGET_S * 1e3:.0f} ms",
                flush=True,
            )
        balances(
            backend,
            records,
            peers.site,
            peers.period,
            memory=(peers.replay_s, peers.closes),
        )
    finally:
        cleanup()


def run_streamed(backend: str, args: argparse.Namespace, sites: SyntheticSites) -> None:
    """Ingest the chain as it is generated (nothing kept in memory), then time the traces.

    For chains whose in-memory copy does not fit (about 1.5 GiB per million events with the
    peers): no peer, only the ingest rate and the traces' p95, on packs and
    ore lots drawn (seeded reservoir samples) while the chain streams by, and the balance
    of the busiest refinery's last full quarter (cold, then kept).
    """
    store, cleanup = _store(backend)
    rng = random.Random(args.seed)
    samples: dict[str, list[str]] = {"K": [], "O": []}
    seen = Counter[str]()
    refining = Counter[str]()  # events per refinery, to balance the busiest as run_backend does
    periods: set[str] = set()
    try:
        store.migrate()
        records = CustodyRecords(store, Actor("bench"))
        records.append([], models=_models(sites))
        stream = synthesise_chain(args.lots, seed=args.seed, sites=sites)
        start, cpu, done = time.perf_counter(), time.process_time(), 0
        while batch := list(itertools.islice(stream, args.batch)):
            for event, made in batch:
                refining.update([event.facility] if event.facility in sites.refineries else [])
                periods.add(accounting_period(event.time))
                for lot in made:
                    kind = lot.id[:1]
                    if kind in samples:
                        seen[kind] += 1
                        _reservoir(samples[kind], lot.id, seen[kind], args.traces, rng)
            records.append(batch)
            done += len(batch)
            rate = done / (time.perf_counter() - start)
            print(
                f"[{backend}]   {done:,} events generated and stored ({rate:,.0f} events/s; "
                f"peak RSS {rss_gib():.2f} GiB)",
                flush=True,
            )
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(
            f"[{backend}] streamed ingest (generation included): {done:,} events in {wall:.1f} s "
            f"= {done / wall:,.0f} events/s; this process's CPU {cpu:.1f} s = "
            f"{done / cpu:,.0f} events per CPU-second; peak RSS {rss_gib():.2f} GiB",
            flush=True,
        )
        records.upstream(samples["K"][0])  # warm the connection pool once
        count = args.peer_traces
        stored = stored_peers(store, samples["K"][:count], samples["O"][:count])
        for name, call, lots, peer in (
            ("upstream trace of a pack", records.upstream, samples["K"], stored["up"]),
            ("downstream trace of an ore lot", records.downstream, samples["O"], stored["down"]),
        ):
            times = []
            for key in lots:
                t, got = timed(lambda key=key, call=call: call(key))
                times.append(t)
                if key in peer:
                    _same((got if name.startswith("up") else got[0]).quantities, peer[key][1])
            print(
                f"[{backend}] {name}: p95 {p95(times) * 1e3:.1f} ms over {len(times)} ("
                + _ratios(
                    times, [("naive, one stored query per lot", [t for t, _ in peer.values()])]
                )
                + f"; the chain is not held in memory); target {TRACE_TARGET_S * 1e3:.0f} ms",
                flush=True,
            )
        ordered = sorted(periods, key=lambda p: tuple(int(x) for x in p.split("-P")))
        period = ordered[-2] if len(ordered) > 1 else ordered[-1]  # the last may be partial
        balances(backend, records, refining.most_common(1)[0][0], period)
    finally:
        cleanup()


def balances(
    backend: str,
    records: CustodyRecords,
    site: str,
    period: str,
    memory: tuple[float, list[float]] | None = None,
) -> None:
    """Time the balance of ``site``'s ``period``, cold then kept, against its peers.

    *Cold*: no closing kept, every earlier quarter of the site is closed from the credit
    journal; *kept*: asked again, the closings the first call kept carry it in. The peers:
    ``custody balance --replay`` (the site's converting events and their lots' upstream
    history read from the store and replayed from the first period, no journal; measured
    here at every scale) and, given as ``memory`` (seconds, closing balances), the replay of
    the whole chain held in memory. Every closing balance is checked against the peers'.
    """
    t_peer, replayed = timed(lambda: records.balance(site, period, replay=True))
    expected = _closing(replayed, site, period)
    if memory is not None:
        assert _near(expected, memory[1]), (expected, memory[1])
    events = len(replayed.chain.events)
    peers = [(f"--replay ({events:,} stored events read and replayed)", t_peer)]
    peers += [("whole-chain replay in memory", memory[0])] if memory is not None else []
    for label in ("cold", "kept"):
        t_bal, accounting = timed(lambda: records.balance(site, period))
        closes = _closing(accounting, site, period)
        assert _near(closes, expected), (closes, expected)
        read = len(accounting.chain.events)
        how = f"{read:,} events read and replayed" if read else "journal summed, no event read"
        ratios = "; ".join(f"peer {name}: {t:.2f} s, ratio {t_bal / t:.4f}" for name, t in peers)
        print(
            f"[{backend}] balance of {site} {period}, {label} ({how}): {t_bal:.3f} s; "
            f"closing balances {', '.join(f'{c:,.1f}' for c in closes)} t, as the peers' "
            f"({ratios}); target {CLOSE_TARGET_S:.0f} s",
            flush=True,
        )


def _closing(accounting: Any, site: str, period: str) -> list[float]:
    return [accounting.close_record(site, "nickel_sulfate", c, period).balance for c in CLAIMABLE]


def _near(ours: list[float], theirs: list[float]) -> bool:
    return all(abs(a - b) <= 1e-6 * max(1.0, abs(b)) for a, b in zip(ours, theirs, strict=True))


def _reservoir(kept: list[str], item: str, seen: int, size: int, rng: random.Random) -> None:
    """Keep a uniform sample of ``size`` items of a stream (Algorithm R)."""
    if len(kept) < size:
        kept.append(item)
    elif (slot := rng.randrange(seen)) < size:
        kept[slot] = item


def main() -> None:
    """Parse options, build the synthetic chain and the peers once, measure each backend."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lots", type=int, default=20_000)
    parser.add_argument("--traces", type=int, default=30)
    parser.add_argument("--peer-traces", type=int, default=5)
    parser.add_argument("--batch", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument(
        "--stream",
        action="store_true",
        help="ingest while generating, keep nothing in memory: no peers, no balance",
    )
    args = parser.parse_args()
    sites = SyntheticSites()
    if args.stream:
        for backend in args.backends.split(","):
            run_streamed(backend.strip(), args, sites)
        return
    made_s, events = timed(lambda: list(synthesise_chain(args.lots, seed=args.seed, sites=sites)))
    print(
        f"scale: --lots {args.lots:,} -> {len(events):,} events "
        f"(issue target 10,000,000 events), generated in {made_s:.1f} s; "
        f"peak RSS {rss_gib():.2f} GiB",
        flush=True,
    )
    measured: list[Peers] = []

    def peers() -> Peers:
        if not measured:
            measured.append(Peers(events, args, sites))
        return measured[0]

    for backend in args.backends.split(","):
        run_backend(backend.strip(), events, peers, args)


if __name__ == "__main__":
    main()
