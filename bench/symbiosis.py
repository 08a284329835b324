"""Symbiosis benchmark: the national CLI run on the synthetic country, and candidate generation.

Measures, on ``sinergi synth --companies 30000 --parks 150`` (seed 1):

* **the CLI command a user runs**: ``sinergi symbiosis --national --db … --format json --out …``
  as a child process (database loading, candidates, optimisation, benefit sharing, JSON), its
  wall time and the child's peak resident memory (``os.wait4``), against the targets (2 minutes,
  4 GB) and against the named peer below (ratio = CLI wall time / peer time);
* candidate generation in this process (site extraction, k-d tree pairing, pricing, the
  per-supply pre-filter), median of repeats, against the **peer**: a vectorised numpy all-pairs
  scan that computes the distance of every supply x demand pair of every rule (haversine, no
  spatial index) and counts the pairs within reach. It must count exactly the pairs the spatial
  index examined (checked and printed). Ratio = sinergi time / peer time (lower is better).

Every flow and number is synthetic or illustrative (synthetic parks carry synthetic
coordinates around the demonstration parks): the timings say how the code scales, not what
the country could exchange. Run it under a memory cap on a shared machine:
``prlimit --as=8000000000 -- python bench/symbiosis.py``.

Usage: ``python bench/symbiosis.py [--companies 30000] [--parks 150] [--seed 1] [--repeats 3]
[--db PATH] [--fresh] [--skip-cli] [--skip-candidates] [--time-limit 45]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

from sinergi.demo import synthesise
from sinergi.model import Ecosystem, Period
from sinergi.symbiosis.candidates import (
    CandidateSet,
    Knowledge,
    generate_candidates,
    load_knowledge,
)
from sinergi.symbiosis.spatial import EARTH_RADIUS_KM, park_internal_km

_BLOCK = 2_000_000
#: Targets of issue 12 for the national CLI run on 2 cores.
TARGET_SECONDS = 120.0
TARGET_BYTES = 4 * 2**30


def peer_all_pairs(eco: Ecosystem, cs: CandidateSet, knowledge: Knowledge) -> int:
    """Count every (supply, demand, rule) pair within reach by scanning all pairs with numpy."""
    detour = knowledge.transport.detour.value
    lat = {p.id: np.radians(p.latitude or 0.0) for p in eco.parks.values()}
    lon = {p.id: np.radians(p.longitude or 0.0) for p in eco.parks.values()}
    inside = {p.id: park_internal_km(p.area_ha) for p in eco.parks.values()}
    total = 0
    for rule in knowledge.rules.rules:
        sup = [s for s in cs.supplies if s.commodity == rule.supply]
        dem = [d for d in cs.demands if d.commodity == rule.replaces and rule.accepts(d.kbli)]
        if not sup or not dem:
            continue
        dimension = eco.catalogue.get(rule.supply).dimension
        carried = [
            knowledge.transport.modes[m].max_distance_km.value
            for m in rule.modes
            if dimension in knowledge.transport.modes[m].carries
        ]
        reach = min(rule.max_distance_km.value, max(carried, default=0.0))
        d_lat = np.array([lat[d.park] for d in dem])
        d_lon = np.array([lon[d.park] for d in dem])
        d_park = np.array([d.park for d in dem])
        step = max(1, _BLOCK // len(dem))
        for start in range(0, len(sup), step):
            block = sup[start : start + step]
            s_lat = np.array([lat[s.park] for s in block])[:, None]
            s_lon = np.array([lon[s.park] for s in block])[:, None]
            h = (
                np.sin((d_lat - s_lat) / 2) ** 2
                + np.cos(s_lat) * np.cos(d_lat) * np.sin((d_lon - s_lon) / 2) ** 2
            )
            km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
            same = d_park[None, :] == np.array([s.park for s in block])[:, None]
            internal = np.array([inside[s.park] for s in block])[:, None]
            km = np.where(same, internal, km)
            total += int(np.count_nonzero(km * detour <= reach))
    return total


def median_time(run: Callable[[], object], repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def sinergi_command() -> list[str]:
    """Return the ``sinergi`` console script next to this Python (the one a user runs)."""
    script = Path(sys.executable).with_name("sinergi")
    return [str(script)] if script.exists() else [shutil.which("sinergi") or "sinergi"]


def timed_child(command: list[str]) -> tuple[float, int, int]:
    """Run ``command``; return its wall seconds, peak resident bytes and exit code."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.stderr.write(child.stderr.read().decode() if child.stderr else "")
    return seconds, usage.ru_maxrss * 1024, child.returncode


def cli_run(args: argparse.Namespace) -> float:
    """Measure ``sinergi symbiosis --national`` on the synthetic database; return its seconds."""
    db = Path(args.db)
    if args.fresh or not db.exists():
        db.unlink(missing_ok=True)
        made = [*sinergi_command(), "synth", "--companies", str(args.companies)]
        made += ["--parks", str(args.parks), "--seed", str(args.seed), "--db", f"sqlite:///{db}"]
        seconds, peak, code = timed_child(made)
        print(f"  synth into {db}: {seconds:.1f} s, peak RSS {peak / 2**20:.0f} MiB (exit {code})")
    out = db.with_suffix(".national.json")
    command = [*sinergi_command(), "symbiosis", "--national", "--db", f"sqlite:///{db}"]
    command += ["--format", "json", "--out", str(out), "--time-limit", str(args.time_limit)]
    seconds, peak, code = timed_child(command)
    result = json.loads(out.read_text("utf-8")) if code == 0 else {}
    solver, pairing = result.get("solver", {}), result.get("pairing", {})
    print(f"  command: {' '.join(command[1:])}")
    print(
        f"  national CLI run: {seconds:.1f} s wall, peak RSS {peak / 2**30:.2f} GiB, exit {code}; "
        f"target {TARGET_SECONDS:.0f} s: {'met' if seconds <= TARGET_SECONDS else 'NOT met'}, "
        f"4 GiB: {'met' if peak <= TARGET_BYTES else 'NOT met'}"
    )
    print(
        f"  solver {solver.get('status')} ({solver.get('message')}), gap {solver.get('gap')}, "
        f"{solver.get('solve_seconds', 0.0):.1f} s; candidates {pairing.get('candidates'):,} "
        f"(each supply's best {pairing.get('per_supply_limit')}); "
        f"{len(result.get('recommendations', [])):,} exchanges; totals {result.get('totals')}"
    )
    return seconds


def candidate_run(args: argparse.Namespace) -> tuple[float, float]:
    """Time candidate generation and the peer scan in this process; return both medians."""
    knowledge = load_knowledge()
    eco = synthesise(companies=args.companies, parks=args.parks, seed=args.seed)
    period = Period(2024)
    took, result = median_time(lambda: generate_candidates(eco, period, knowledge), args.repeats)
    assert isinstance(result, CandidateSet)
    cs, stats = result, result.stats
    peer_took, peer_pairs = median_time(lambda: peer_all_pairs(eco, cs, knowledge), args.repeats)
    tracemalloc.start()
    generate_candidates(eco, period, knowledge)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"  supplies {stats.supplies:,}, demands {stats.demands:,}; naive all-pairs "
        f"{stats.naive_pairs:,}; pairs examined via the spatial index {stats.pairs_examined:,} "
        f"({stats.pairs_examined / max(stats.naive_pairs, 1):.2%}); the peer scan counted "
        f"{peer_pairs:,} ({'equal' if peer_pairs == stats.pairs_examined else 'DIFFERENT'})"
    )
    print(
        f"  candidates kept {stats.candidates:,} (best {stats.per_supply_limit} per supply); "
        f"set aside as emission increases {stats.emission_increases:,}"
    )
    print(
        f"  candidate generation: {took:.2f} s (median of {args.repeats}); peer all-pairs scan "
        f"{peer_took:.2f} s; ratio {took / peer_took:.2f}; peak traced {peak / 2**20:.0f} MiB, "
        f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    return took, peer_took


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--companies", type=int, default=30_000)
    parser.add_argument("--parks", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--db", default="/tmp/sinergi-bench-synth.db")
    parser.add_argument("--fresh", action="store_true", help="rebuild the synthetic database")
    parser.add_argument("--time-limit", type=float, default=45.0)
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--skip-candidates", action="store_true")
    args = parser.parse_args()
    print(
        f"synthetic country: {args.companies:,} companies, {args.parks} parks, seed {args.seed} "
        "(synthetic coordinates; every number synthetic or illustrative)"
    )
    cli_seconds = None if args.skip_cli else cli_run(args)
    if not args.skip_candidates:
        _, peer = candidate_run(args)
        if cli_seconds is not None:
            print(
                f"  ratio national CLI run / peer all-pairs scan: {cli_seconds / peer:.2f} "
                f"({cli_seconds:.1f} s / {peer:.2f} s)"
            )


if __name__ == "__main__":
    main()
