"""Assessment benchmark: assess every park of a synthetic national ecosystem against both
shipped packs, against a named peer run in the same process:

* peer: one plain-Python pass that sums every flow of the period by (park, commodity) — the
  least work any park-level indicator engine must do (a floor, not a competitor).

Ratio = sinergi time ÷ peer time (lower is better).

Usage: ``python bench/assess.py [--companies 30000] [--parks 150]``
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

from sinergi.assess.engine import assess_all
from sinergi.assess.packs import load_pack, load_profile
from sinergi.demo import synthesise
from sinergi.model import Ecosystem, Period


def peer_sum_by_park(eco: Ecosystem, period: Period) -> dict[tuple[str, str], float]:
    """Sum flow quantities by (park, commodity) in one pass: the floor of park aggregation."""
    park_of: dict[str, str] = {}
    for c in eco.companies.values():
        park_of[c.id] = c.park_id
    for f in eco.facilities.values():
        park_of[f.id] = park_of[f.company_id]
    for p in eco.processes.values():
        park_of[p.id] = park_of[p.facility_id]
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for flow in eco.flows:
        if flow.period == period:
            park = park_of.get(flow.source) or park_of.get(flow.target)
            if park is not None:
                totals[park, flow.commodity] += flow.quantity or 0.0
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=30_000)
    parser.add_argument("--parks", type=int, default=150)
    args = parser.parse_args()
    eco = synthesise(companies=args.companies, parks=args.parks, seed=1)
    period = Period(2024)
    t0 = time.perf_counter()
    peer_sum_by_park(eco, period)
    peer = time.perf_counter() - t0
    print(f"{len(eco.companies):,} companies, {len(eco.parks)} parks, {len(eco.flows):,} flows")
    print(f"  peer one-pass sum by (park, commodity): {peer:.3f} s")
    for pack_id in ("permenperin-26-2025", "eip-framework-2.0"):
        pack = load_pack(pack_id)
        profile = load_profile(pack)
        t0 = time.perf_counter()
        results = assess_all(eco, period, pack, profile=profile)
        took = time.perf_counter() - t0
        print(
            f"  assess {len(results)} parks against {pack_id}: {took:.3f} s; "
            f"ratio sinergi/peer = {took / peer:.1f}x"
        )


if __name__ == "__main__":
    main()
