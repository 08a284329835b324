"""The pairing engine behind :mod:`sinergi.symbiosis.candidates` (columns, geography, blocks).

Candidate arcs live in columns (:class:`Arcs`), one row per candidate. :func:`pair_rule` pairs
one rule's supplies with its demands: the :class:`Geography` (a park-level
:class:`~sinergi.symbiosis.spatial.ParkIndex`) yields the parks within the rule's reach, and each
(supplier park, receiver park) block is priced with numpy in one go, in chunks of at most
:data:`BLOCK_PAIRS` pairs so that peak memory stays bounded. :func:`best_per_supply` is the
optional pre-filter that keeps each supply's best ``k`` arcs. Use it through
:func:`sinergi.symbiosis.candidates.generate_candidates`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sinergi.model import Ecosystem
from sinergi.symbiosis.rules import LANDFILL_FATES, Fate, Rule, RuleBook
from sinergi.symbiosis.sites import Site
from sinergi.symbiosis.spatial import ParkIndex, check_coordinates, park_internal_km
from sinergi.symbiosis.transport import Transport
from sinergi.units import Dimension

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Largest number of pairs evaluated in one vectorised block (bounds peak memory).
BLOCK_PAIRS = 1_000_000


@dataclass(frozen=True, slots=True)
class Arcs:
    """Columns of the candidate arcs (one row per candidate)."""

    supply: IntArray
    demand: IntArray
    rule: IntArray
    mode: IntArray
    distance_km: FloatArray
    value: FloatArray
    co2e: FloatArray
    landfill: FloatArray
    fixed_cost: FloatArray
    min_amount: FloatArray
    max_flow: FloatArray
    room: FloatArray

    @classmethod
    def concat(cls, parts: Sequence[Arcs]) -> Arcs:
        """Stack several blocks of arcs (an empty block when there are none)."""
        if not parts:
            ints, floats = np.zeros(0, np.int64), np.zeros(0, np.float64)
            return cls(ints, ints, ints, ints, *([floats] * 8))
        return cls(**{n: np.concatenate([getattr(p, n) for p in parts]) for n in COLUMNS})

    def take(self, order: IntArray) -> Arcs:
        """Return the arcs at ``order``."""
        return Arcs(**{n: getattr(self, n)[order] for n in COLUMNS})


COLUMNS = (
    "supply",
    "demand",
    "rule",
    "mode",
    "distance_km",
    "value",
    "co2e",
    "landfill",
    "fixed_cost",
    "min_amount",
    "max_flow",
    "room",
)


class Geography:
    """The parks hosting sites: coordinates (checked), internal distances and a spatial index."""

    def __init__(self, eco: Ecosystem, park_ids: Sequence[str], transport: Transport) -> None:
        self.park_ids = sorted(park_ids)
        self.position = {p: i for i, p in enumerate(self.park_ids)}
        self.detour = transport.detour.value
        coords: list[tuple[float, float] | None] = []
        self.internal_km = np.zeros(len(self.park_ids))
        for i, park_id in enumerate(self.park_ids):
            park = eco.parks[park_id]
            coords.append(check_coordinates(park_id, park.latitude, park.longitude, transport.bbox))
            self.internal_km[i] = park_internal_km(park.area_ha)
        located = [i for i, c in enumerate(coords) if c is not None]
        self.missing = tuple(self.park_ids[i] for i, c in enumerate(coords) if c is None)
        self._located = np.array(located, dtype=np.int64)
        self._slot = {p: k for k, p in enumerate(located)}
        lat = np.array([coords[i][0] for i in located])  # type: ignore[index]
        lon = np.array([coords[i][1] for i in located])  # type: ignore[index]
        self.index = ParkIndex([self.park_ids[i] for i in located], lat, lon)

    def neighbours(self, p: int, straight_km: float) -> list[tuple[int, float]]:
        """Return ``(park position, straight-line km)`` for parks within reach, ``p`` first."""
        out = [(p, float(self.internal_km[p]))]
        slot = self._slot.get(p)
        if slot is None:
            return out
        for k in self.index.within(slot, straight_km):
            if k != slot:
                out.append((int(self._located[k]), self.index.distance_km(slot, k)))
        return out


@dataclass(frozen=True, slots=True)
class RuleTerms:
    """Per-rule constants and per-site arrays used while pairing one rule.

    ``dimension`` is the supply's (what a mode must be able to carry), ``days`` the period's
    length (a mode's daily limit and yearly fixed cost scale with it); ``landfill`` is 1 when a
    unit of supply is a tonne that can be kept out of landfill, else 0.
    """

    index: int
    rule: Rule
    dimension: Dimension
    days: float
    landfill: float
    reach_km: float
    gain: float
    co2e: float
    mode_ids: IntArray
    unit_cost_per_km: FloatArray
    handling: FloatArray
    co2e_per_km: FloatArray
    fixed: FloatArray
    min_amount: float


@dataclass(frozen=True, slots=True)
class SiteTables:
    """Site attributes as arrays, and sites grouped by commodity."""

    s_amount: FloatArray
    s_company: IntArray
    s_park: IntArray
    s_fate: IntArray
    d_amount: FloatArray
    d_company: IntArray
    d_park: IntArray
    demands: list[Site]
    supplies_of: dict[str, list[int]]
    demands_of: dict[str, list[int]]
    disposal: FloatArray
    landfill_fate: FloatArray

    @classmethod
    def build(
        cls, supplies: list[Site], demands: list[Site], geo: Geography, book: RuleBook
    ) -> SiteTables:
        companies = {c: i for i, c in enumerate(sorted({x.company for x in (*supplies, *demands)}))}
        supplies_of: dict[str, list[int]] = defaultdict(list)
        demands_of: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(supplies):
            supplies_of[s.commodity].append(i)
        for j, d in enumerate(demands):
            demands_of[d.commodity].append(j)
        fates = list(Fate)
        disposal = np.array(
            [[book.disposal_for(rule, f).value for f in fates] for rule in book.rules],
            dtype=np.float64,
        ).reshape(len(book.rules), len(fates))
        return cls(
            s_amount=_amounts(supplies),
            s_company=_ints(companies[s.company] for s in supplies),
            s_park=_ints(geo.position[s.park] for s in supplies),
            s_fate=_ints(fates.index(s.fate or Fate.LANDFILL) for s in supplies),
            d_amount=_amounts(demands),
            d_company=_ints(companies[d.company] for d in demands),
            d_park=_ints(geo.position[d.park] for d in demands),
            demands=demands,
            supplies_of=supplies_of,
            demands_of=demands_of,
            disposal=disposal,
            landfill_fate=np.array([f in LANDFILL_FATES for f in fates], dtype=np.float64),
        )


def _amounts(sites: Sequence[Site]) -> FloatArray:
    return np.array([np.nan if s.amount is None else s.amount for s in sites], dtype=np.float64)


def _ints(values: Iterator[int]) -> IntArray:
    return np.fromiter(values, dtype=np.int64)


def rule_terms(
    r: int,
    rule: Rule,
    transport: Transport,
    mode_ids: Sequence[str],
    *,
    dimension: Dimension,
    days: float,
) -> RuleTerms:
    """Return a rule's per-unit constants and its modes' numbers as arrays.

    ``reach_km`` is the rule's longest distance capped by its longest-reaching mode that can
    carry the supply (0 when none can).
    """
    modes = [transport.modes[m] for m in rule.modes]
    carried = [m.max_distance_km.value for m in modes if dimension in m.carries]
    reach = min(rule.max_distance_km.value, max(carried, default=0.0))
    return RuleTerms(
        index=r,
        rule=rule,
        dimension=dimension,
        days=days,
        landfill=1.0 if dimension is Dimension.MASS else 0.0,
        reach_km=reach,
        gain=rule.ratio.value * rule.avoided_price.value - rule.pretreatment_cost.value,
        co2e=rule.ratio.value * rule.avoided_co2e.value - rule.pretreatment_co2e.value,
        mode_ids=np.array([mode_ids.index(m) for m in rule.modes], dtype=np.int64),
        unit_cost_per_km=np.array([m.cost_per_unit_km.value for m in modes]),
        handling=np.array([m.handling_per_unit.value for m in modes]),
        co2e_per_km=np.array([m.co2e_per_unit_km.value for m in modes]),
        fixed=np.array([m.period_fixed_cost(days) for m in modes]),
        min_amount=0.0 if rule.min_amount is None else rule.min_amount.value,
    )


@dataclass(frozen=True, slots=True)
class Pairing:
    """One rule's arcs with the counts of what pairing examined and set aside."""

    arcs: Arcs
    examined: int
    naive: int
    increases: int


def pair_rule(
    terms: RuleTerms,
    t: SiteTables,
    geo: Geography,
    transport: Transport,
    limit: int | None,
    *,
    keep_increases: bool = False,
) -> Pairing:
    """Return one rule's candidate arcs, the pairs examined and the naive all-pairs count.

    ``limit`` keeps each supply's best arcs per chunk (see :func:`best_per_supply`); the
    caller applies it once more over all rules. Arcs whose CO2e avoided per unit is negative
    (the exchange, transport included, would emit more than it saves) are set aside and
    counted unless ``keep_increases``.
    """
    rule = terms.rule
    sup = t.supplies_of.get(rule.supply, [])
    dem = [j for j in t.demands_of.get(rule.replaces, []) if rule.accepts(t.demands[j].kbli)]
    naive = len(sup) * len(dem)
    if not sup or not dem or terms.reach_km <= 0:
        return Pairing(Arcs.concat([]), 0, naive, 0)
    share = 1.0 if rule.max_share is None else rule.max_share.value
    cap = t.d_amount * share / rule.ratio.value
    dem_by_park: dict[int, IntArray] = {}
    for p, members in _group(dem, t.d_park).items():
        dem_by_park[p] = np.array(members, dtype=np.int64)
    parts, examined, increases = [], 0, 0
    for p, members in sorted(_group(sup, t.s_park).items()):
        reach = [
            (q, km * geo.detour)
            for q, km in geo.neighbours(p, terms.reach_km / geo.detour)
            if q in dem_by_park and km * geo.detour <= terms.reach_km
        ]
        width = sum(dem_by_park[q].shape[0] for q, _ in reach)
        if width == 0:
            continue
        step = max(1, BLOCK_PAIRS // width)
        for start in range(0, len(members), step):
            chunk = np.array(members[start : start + step], dtype=np.int64)
            blocks = [
                _block(terms, t, chunk, dem_by_park[q], km, cap, transport) for q, km in reach
            ]
            examined += chunk.shape[0] * width
            arcs = Arcs.concat(blocks)
            if not keep_increases:
                worse = arcs.co2e < 0
                increases += int(np.count_nonzero(worse))
                arcs = arcs.take(np.flatnonzero(~worse).astype(np.int64))
            if limit is not None:
                arcs = arcs.take(best_per_supply(arcs, limit, t.s_amount))
            parts.append(arcs)
    return Pairing(Arcs.concat(parts), examined, naive, increases)


def _group(indices: Sequence[int], park: IntArray) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for i in indices:
        out[int(park[i])].append(i)
    return out


def _block(
    terms: RuleTerms,
    t: SiteTables,
    sup: IntArray,
    dem: IntArray,
    km: float,
    cap: FloatArray,
    transport: Transport,
) -> Arcs:
    """Return the feasible arcs between some supplies and the demands of one park."""
    ss = np.repeat(sup, dem.shape[0])
    dd = np.tile(dem, sup.shape[0])
    flow = np.minimum(t.s_amount[ss], cap[dd])
    local = transport.best_modes(
        terms.rule.modes, km, flow, dimension=terms.dimension, days=terms.days
    )
    keep = (t.s_company[ss] != t.d_company[dd]) & (local >= 0)
    ss, dd, flow, local = ss[keep], dd[keep], flow[keep], local[keep]
    disposal = t.disposal[terms.index][t.s_fate[ss]]
    # Landfill diverted is counted in tonnes, so only for supplies measured in tonnes.
    landfill = t.landfill_fate[t.s_fate[ss]] * terms.landfill
    unit_cost = terms.handling[local] + terms.unit_cost_per_km[local] * km
    n = ss.shape[0]
    return Arcs(
        supply=ss,
        demand=dd,
        rule=np.full(n, terms.index, dtype=np.int64),
        mode=terms.mode_ids[local],
        distance_km=np.full(n, km),
        value=terms.gain + disposal - unit_cost,
        co2e=terms.co2e - terms.co2e_per_km[local] * km,
        landfill=landfill,
        fixed_cost=terms.fixed[local],
        min_amount=np.full(n, terms.min_amount),
        max_flow=flow,
        room=cap[dd],
    )


def best_per_supply(arcs: Arcs, k: int, supply_amount: FloatArray) -> IntArray:
    """Return the indices of each supply's ``k`` best arcs.

    Arcs whose flow is known come first (the pre-filter serves the optimisation, which cannot
    use the others); then the highest value per unit; among equal values, the demand whose room
    (what it can take, in supply units) is closest in size to the supply on a log scale, so that
    supplies of different sizes spread over different receivers instead of all choosing the
    largest; then demand and rule order.
    """
    unknown = np.isnan(arcs.max_flow)
    with np.errstate(divide="ignore", invalid="ignore"):  # zero or unknown amounts rank last
        mismatch = np.abs(np.log(supply_amount[arcs.supply]) - np.log(arcs.room))
    mismatch = np.nan_to_num(mismatch, nan=np.inf, posinf=np.inf)
    order = np.lexsort((arcs.rule, arcs.demand, mismatch, -arcs.value, unknown, arcs.supply))
    ss = arcs.supply[order]
    starts = np.r_[True, ss[1:] != ss[:-1]] if ss.shape[0] else np.zeros(0, dtype=bool)
    first = np.maximum.accumulate(np.where(starts, np.arange(ss.shape[0]), 0))
    return order[np.arange(ss.shape[0]) - first < k].astype(np.int64)
