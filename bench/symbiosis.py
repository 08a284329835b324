"""Symbiosis benchmark: candidate generation on the synthetic national ecosystem.

Measures, on ``synthesise(companies, parks, seed)``:

* candidate generation (site extraction + spatial pairing + per-supply pre-filter), median of
  repeats, against a named peer run in the same process:
* peer: a vectorised numpy all-pairs scan that computes the distance of every supply x demand
  pair of every rule (haversine, no spatial index) and counts the pairs within reach. It must
  count exactly the pairs the spatial index examined (checked and printed).
* pairs examined vs the naive all-pairs count, candidates kept, peak memory (tracemalloc, in a
  separate run so that tracing does not slow the timed runs), and optionally the LP (fixed costs
  dropped) and MILP (1 % gap) solve times of the resulting exchange problem.

The synthetic parks carry no coordinates, so this script gives them SYNTHETIC ones: seeded
points scattered (normal, 1.5 degrees) around the seven demonstration parks' approximate
coordinates and clipped to Indonesia's bounding box. Every flow and number is synthetic or
illustrative: the timings say how the code scales, not what the country could exchange.

Ratio = sinergi time / peer time (lower is better).

Usage: ``python bench/symbiosis.py [--companies 30000] [--parks 150] [--seed 1]
[--per-supply 20] [--repeats 3] [--solve none|lp|milp|both] [--time-limit 120]``
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from sinergi.demo import load_parks, synthesise
from sinergi.model import Ecosystem, Period
from sinergi.symbiosis.candidates import (
    CandidateOptions,
    CandidateSet,
    Knowledge,
    generate_candidates,
    load_knowledge,
)
from sinergi.symbiosis.rules import Fate
from sinergi.symbiosis.sites import DEFAULT_FATES, company_owners
from sinergi.symbiosis.spatial import EARTH_RADIUS_KM, park_internal_km

_BLOCK = 2_000_000


def place_parks(eco: Ecosystem, knowledge: Knowledge, seed: int) -> None:
    """Give every park synthetic coordinates around the demonstration parks (seeded)."""
    rng = np.random.default_rng(seed)
    anchors = [(p.latitude, p.longitude) for p in load_parks().parks if p.latitude is not None]
    box = knowledge.transport.bbox
    for park in eco.parks.values():
        lat, lon = anchors[int(rng.integers(len(anchors)))]
        park.latitude = float(np.clip(lat + rng.normal(0, 1.5), box.lat_min, box.lat_max))
        park.longitude = float(np.clip(lon + rng.normal(0, 1.5), box.lon_min, box.lon_max))


def drop_flows(eco: Ecosystem, share: float, seed: int) -> int:
    """Remove every flow of a seeded share of companies, so their sites come from KBLI profiles."""
    rng = np.random.default_rng(seed + 1)
    ids = sorted(eco.companies)
    silent = {ids[i] for i in np.flatnonzero(rng.random(len(ids)) < share).tolist()}
    owners = company_owners(eco)
    eco.flows = [
        f
        for f in eco.flows
        if owners.get(f.source) not in silent and owners.get(f.target) not in silent
    ]
    return len(silent)


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
        reach = min(
            rule.max_distance_km.value,
            max(knowledge.transport.modes[m].max_distance_km.value for m in rule.modes),
        )
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


def solve(cs: CandidateSet, which: str, time_limit: float) -> None:
    from sinergi.symbiosis.optimise import SolverSettings, optimise

    problem = cs.problem()
    print(
        f"  exchange problem: {len(problem.supply_ids):,} supplies, "
        f"{len(problem.demand_ids):,} demands, {problem.n_arcs:,} arcs, "
        f"{len(problem.groups):,} blend-limit groups"
    )
    if which in ("lp", "both"):
        lp = dataclasses.replace(
            problem,
            arc_fixed_cost=np.zeros(problem.n_arcs),
            arc_min_amount=np.zeros(problem.n_arcs),
        )
        t0 = time.perf_counter()
        result = optimise(lp, "cost", settings=SolverSettings(time_limit=time_limit))
        print(
            f"  LP (fixed costs dropped), objective cost: {time.perf_counter() - t0:.2f} s, "
            f"status {result.status.value}, objective {result.objective_value}"
        )
    if which in ("milp", "both"):
        t0 = time.perf_counter()
        result = optimise(
            problem, "cost", settings=SolverSettings(time_limit=time_limit, mip_rel_gap=0.01)
        )
        print(
            f"  MILP (pipeline fixed costs), 1 % gap: {time.perf_counter() - t0:.2f} s, "
            f"status {result.status.value}, objective {result.objective_value}, "
            f"gap {result.gap}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=30_000)
    parser.add_argument("--parks", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--per-supply",
        type=int,
        default=20,
        help="keep each supply's best k candidates (0 keeps all)",
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--solve", choices=["none", "lp", "milp", "both"], default="none")
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument(
        "--low-value",
        action="store_true",
        help="also count outputs already sent to recyclers or energy recovery",
    )
    parser.add_argument(
        "--infer-share",
        type=float,
        default=0.0,
        help="drop all flows of this share of companies (KBLI inference)",
    )
    args = parser.parse_args()

    knowledge = load_knowledge()
    eco = synthesise(companies=args.companies, parks=args.parks, seed=args.seed)
    place_parks(eco, knowledge, args.seed)
    silent = drop_flows(eco, args.infer_share, args.seed) if args.infer_share else 0
    period = Period(2024)
    fates = DEFAULT_FATES | {Fate.RECYCLER, Fate.RECOVERY} if args.low_value else DEFAULT_FATES
    options = CandidateOptions(per_supply_limit=args.per_supply or None, supply_fates=fates)
    print(
        f"{len(eco.companies):,} companies, {len(eco.parks)} parks (synthetic coordinates), "
        f"{len(eco.flows):,} flows; rules {len(knowledge.rules.rules)}; "
        f"per-supply limit {options.per_supply_limit}; supply fates "
        f"{sorted(f.value for f in fates)}; flows dropped for {silent:,} companies "
        "(their sites are inferred from KBLI profiles, flagged)"
    )
    print(
        "  note: the synthetic archetypes (manufacturing, food, palm oil) report no slag, FABA "
        "or heat; their only default supplies are treated wastewater and mixed waste"
    )

    took, result = median_time(
        lambda: generate_candidates(eco, period, knowledge, options), args.repeats
    )
    assert isinstance(result, CandidateSet)
    cs, stats = result, result.stats
    peer_took, peer_pairs = median_time(lambda: peer_all_pairs(eco, cs, knowledge), args.repeats)

    tracemalloc.start()
    generate_candidates(eco, period, knowledge, options)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(
        f"  supplies {stats.supplies:,} (inferred {stats.inferred_supplies:,}), demands "
        f"{stats.demands:,} (inferred {stats.inferred_demands:,}), without amount "
        f"{stats.sites_without_amount:,}"
    )
    print(
        f"  naive all-pairs (rule-compatible): {stats.naive_pairs:,}; pairs examined via "
        f"spatial index: {stats.pairs_examined:,} "
        f"({stats.pairs_examined / max(stats.naive_pairs, 1):.2%} of naive)"
    )
    print(
        f"  peer all-pairs scan counted {peer_pairs:,} pairs within reach "
        f"({'equal' if peer_pairs == stats.pairs_examined else 'DIFFERENT'} to pairs examined)"
    )
    print(
        f"  candidates kept: {stats.candidates:,}; by rule: "
        + ", ".join(f"{k} {v:,}" for k, v in stats.per_rule.items() if v)
    )
    cols = cs.arc_columns()
    s_inf = np.array([s.inferred for s in cs.supplies], dtype=bool)
    d_inf = np.array([d.inferred for d in cs.demands], dtype=bool)
    n_inferred = int(np.count_nonzero(s_inf[cols["supply"]] | d_inf[cols["demand"]]))
    print(f"  candidates flagged inferred (KBLI profile, amount unknown): {n_inferred:,}")
    print(
        f"  candidate generation: {took:.2f} s (median of {args.repeats}); "
        f"peer all-pairs scan: {peer_took:.2f} s; ratio {took / peer_took:.2f}"
    )
    print(
        f"  peak traced memory of one generation: {peak / 2**20:.0f} MiB; "
        f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    if args.solve != "none":
        solve(cs, args.solve, args.time_limit)


if __name__ == "__main__":
    main()
