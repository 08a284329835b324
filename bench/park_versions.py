"""What the per-park version triggers (migration 0009) cost a bulk save.

Every insert, update and delete of a park's rows adds one to the park's version in
``park_versions`` (a trigger per row). The synthetic nation (``synthesise(companies, parks,
seed=1)``) is saved into two new SQLite files: one as migrated (triggers on), and the peer,
the same schema with the triggers dropped (what a save cost before 0009). Each is saved
``--repeats`` times into a fresh file; the median is reported with the ratio.

Usage::

    python bench/park_versions.py [--companies 5000] [--parks 30] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import text


def save_time(folder: Path, name: str, eco: object, triggers: bool) -> float:
    """Return the seconds one save of ``eco`` takes into a new database."""
    from sinergi.intake import initialise
    from sinergi.store import Store

    with Store(f"sqlite:///{folder / name}.db") as store:
        initialise(store)
        if not triggers:
            with store.engine.begin() as conn:
                names = conn.execute(
                    text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                ).scalars()
                for trigger in list(names):
                    conn.execute(text(f"DROP TRIGGER {trigger}"))
        start = time.perf_counter()
        store.save(eco)  # type: ignore[arg-type]
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--companies", type=int, default=5000)
    parser.add_argument("--parks", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    from sinergi.demo import synthesise

    eco = synthesise(companies=args.companies, parks=args.parks, seed=1)
    print(f"nation: {args.companies} companies, {args.parks} parks, {len(eco.flows)} flows")
    times: dict[bool, list[float]] = {True: [], False: []}
    with tempfile.TemporaryDirectory(prefix="sinergi-bench-versions-") as tmp:
        for i in range(args.repeats):
            for triggers in (False, True):  # alternate, so load on the machine hits both
                times[triggers].append(save_time(Path(tmp), f"{triggers}-{i}", eco, triggers))
    on, off = statistics.median(times[True]), statistics.median(times[False])
    print(f"save, triggers dropped (peer): {off:.2f} s (median of {args.repeats})")
    print(f"save, triggers on (0009):      {on:.2f} s (median of {args.repeats})")
    print(f"ratio: {on / off:.2f}x the peer")


if __name__ == "__main__":
    main()
