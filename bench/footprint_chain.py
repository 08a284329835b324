"""Time the demo's footprint job (the path ``sinergi demo`` runs) in this checkout.

Usage: ``PYTHONPATH=src python bench/footprint_chain.py [--repeat 5]``; run it with
``PYTHONPATH`` pointing at another checkout's ``src`` (e.g. ``main``) for the peer in the same
session. It builds the demonstration ecosystem once (not timed), then times
``reports.demo_footprint.footprint_demo`` (route footprints, what-if, tenant footprints,
calibration, both HTML pages) and, separately, the chain's new user paths: the NMC811 pack
per kWh and its declaration. Prints the best and median of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from pathlib import Path


def _timed(function: object, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    """Print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from sinergi.demo.ecosystem import demo_ecosystem
    from sinergi.footprint.battery import declare
    from sinergi.footprint.scenarios import FootprintModel
    from sinergi.reports.demo_footprint import footprint_demo

    eco = demo_ecosystem()
    with tempfile.TemporaryDirectory() as folder:
        best, median = _timed(lambda: footprint_demo(Path(folder), eco), args.repeat)
    print(f"demo footprint job: best {best:.3f} s, median {median:.3f} s")
    best, median = _timed(
        lambda: FootprintModel().footprint("pack-nmc811", route="rkef-matte"), args.repeat
    )
    print(f"pack-nmc811 (new model each time): best {best:.4f} s, median {median:.4f} s")
    best, median = _timed(lambda: declare("NMC811", nickel_route="hpal"), args.repeat)
    print(f"NMC811 declaration: best {best:.4f} s, median {median:.4f} s")


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    main()
