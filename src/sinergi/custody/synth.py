"""A synthetic nickel-to-pack custody chain of any size, for scale tests and benchmarks.

Every lot is labelled synthetic. Each round follows one HPAL route: ore lots from mines are
commissioned, leached into MHP, refined (with, sometimes, a recycled nickel sulfate lot) into
nickel sulfate, made into precursor, cathode material and cells, and packed into EV packs that
are shipped. Half of each MHP lot is refined in its own round and half in the next, so lots
mix across rounds as in a real refinery. Quantities and yields are **illustrative** (chosen so
every step balances), not data about any plant.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import numpy as np

from sinergi.custody.events import Event, EventKind
from sinergi.custody.lots import Lot, Portion

__all__ = ["SyntheticSites", "synthesise_chain"]

#: Days covered by a synthetic chain (about three years).
SPAN_DAYS = 3 * 365


class SyntheticSites:
    """Names of the synthetic sites of each step (``mine-0``, ``hpal-0``…)."""

    def __init__(self, mines: int = 20, plants: int = 4) -> None:
        self.mines = [f"mine-{i}" for i in range(mines)]
        self.hpal = [f"hpal-{i}" for i in range(plants)]
        self.refineries = [f"refinery-{i}" for i in range(plants)]
        self.cells = [f"cells-{i}" for i in range(plants)]


def _time(round_index: int, rounds: int, step: int) -> str:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    moment = start + timedelta(days=SPAN_DAYS * round_index / max(rounds, 1), hours=step)
    return moment.isoformat()


def synthesise_chain(
    lots: int, seed: int = 1, sites: SyntheticSites | None = None
) -> Iterator[tuple[Event, list[Lot]]]:
    """Yield events (with the lots each makes) until about ``lots`` lots exist.

    The same ``lots`` and ``seed`` give the same chain.
    """
    rng = np.random.default_rng(seed)
    sites = sites or SyntheticSites()
    per_round = 16
    rounds = max(1, lots // per_round)
    leftover: tuple[str, float] | None = None
    for r in range(rounds):
        events, leftover = _round(r, rounds, rng, sites, leftover)
        yield from events


_Step = tuple[Event, list[Lot]]


def _lot(
    lot_id: str,
    commodity: str,
    qty: float,
    site: str,
    time: str,
    *,
    unit: str = "t",
    mass_t: float | None = None,
    attributes: dict[str, str | float] | None = None,
) -> Lot:
    return Lot(
        lot_id,
        commodity,
        qty,
        unit=unit,
        facility=site,
        owner=site,
        period=time[:7],
        attributes=attributes or {},
        mass_t=mass_t,
        synthetic=True,
    )


def _round(
    r: int,
    rounds: int,
    rng: np.random.Generator,
    sites: SyntheticSites,
    leftover: tuple[str, float] | None,
) -> tuple[list[_Step], tuple[str, float]]:
    out: list[_Step] = []
    plant = int(rng.integers(len(sites.hpal)))
    ores = []
    for k in range(4):
        t = _time(r, rounds, 0)
        mine = sites.mines[int(rng.integers(len(sites.mines)))]
        lot = _lot(
            f"O{r}-{k}",
            "laterite_ore_limonite",
            float(rng.uniform(1000, 5000)),
            mine,
            t,
            attributes={"irma_share": float(rng.integers(0, 2))},
        )
        ores.append(lot)
        out.append(
            (
                Event(
                    f"C-O{r}-{k}",
                    EventKind.COMMISSION,
                    t,
                    mine,
                    outputs=(Portion(lot.id, lot.quantity),),
                ),
                [lot],
            )
        )
    ore_t = sum(o.quantity for o in ores)
    t = _time(r, rounds, 1)
    mhp = _lot(f"M{r}", "mhp", round(ore_t * 0.04, 6), sites.hpal[plant], t)
    out.append(
        (
            Event(
                f"T-M{r}",
                EventKind.TRANSFORMATION,
                t,
                sites.hpal[plant],
                inputs=tuple(Portion(o.id, o.quantity) for o in ores),
                outputs=(Portion(mhp.id, mhp.quantity),),
                losses_t=ore_t - mhp.quantity,
            ),
            [mhp],
        )
    )
    inputs = [Portion(mhp.id, mhp.quantity / 2)]
    if leftover is not None:
        inputs.append(Portion(*leftover))
    t = _time(r, rounds, 2)
    if rng.random() < 0.3:
        rec = _lot(
            f"R{r}",
            "nickel_sulfate",
            float(rng.uniform(5, 20)),
            "recycler",
            t,
            attributes={"recycled_post_consumer_share": 1.0},
        )
        out.append(
            (
                Event(
                    f"C-R{r}",
                    EventKind.COMMISSION,
                    t,
                    "recycler",
                    outputs=(Portion(rec.id, rec.quantity),),
                ),
                [rec],
            )
        )
        inputs.append(Portion(rec.id, rec.quantity))
    total = sum(p.quantity for p in inputs)
    refinery = sites.refineries[plant]
    t = _time(r, rounds, 3)
    sulfates = [_lot(f"N{r}-{k}", "nickel_sulfate", total * 0.45, refinery, t) for k in range(2)]
    out.append(
        (
            Event(
                f"T-N{r}",
                EventKind.TRANSFORMATION,
                t,
                refinery,
                inputs=tuple(inputs),
                outputs=tuple(Portion(s.id, s.quantity) for s in sulfates),
                losses_t=total * 0.1,
            ),
            sulfates,
        )
    )
    for k, sulfate in enumerate(sulfates):
        out.extend(_to_packs(r, rounds, k, sulfate, sites.cells[plant]))
    return out, (mhp.id, mhp.quantity / 2)


def _to_packs(r: int, rounds: int, k: int, sulfate: Lot, site: str) -> list[_Step]:
    out: list[_Step] = []
    previous = sulfate
    for step, (prefix, commodity) in enumerate(
        (("P", "pcam_nmc"), ("A", "cam_nmc811"), ("L", "cell_nmc811")), start=4
    ):
        t = _time(r, rounds, step)
        lot = _lot(f"{prefix}{r}-{k}", commodity, previous.quantity * 0.9, site, t)
        out.append(
            (
                Event(
                    f"T-{lot.id}",
                    EventKind.TRANSFORMATION,
                    t,
                    site,
                    inputs=(Portion(previous.id, previous.quantity),),
                    outputs=(Portion(lot.id, lot.quantity),),
                    losses_t=previous.quantity * 0.1,
                ),
                [lot],
            )
        )
        previous = lot
    t = _time(r, rounds, 7)
    packs = 2
    for p in range(packs):
        mass = previous.quantity / packs
        pack = _lot(f"K{r}-{k}-{p}", "battery_pack_car", 1.0, site, t, unit="item", mass_t=mass)
        out.append(
            (
                Event(
                    f"G-{pack.id}",
                    EventKind.AGGREGATION,
                    t,
                    site,
                    inputs=(Portion(previous.id, mass),),
                    outputs=(Portion(pack.id, 1.0),),
                ),
                [pack],
            )
        )
        out.append(
            (
                Event(
                    f"S-{pack.id}",
                    EventKind.SHIPPING,
                    _time(r, rounds, 8),
                    site,
                    inputs=(Portion(pack.id, 1.0),),
                    from_owner=site,
                    to_owner="oem",
                    to_facility="oem-plant",
                ),
                [],
            )
        )
    return out
