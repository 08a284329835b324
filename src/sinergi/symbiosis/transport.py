"""Transport modes (truck, ship, pipeline) and the geography settings, from ``transport.yaml``.

A mode prices moving one unit of a supply (t, m3 or MWh) over a distance: a handling cost per
unit, a cost and an emission per unit-km, a fixed cost per link and year, and a longest
distance. It also says what it can physically carry: the dimensions of commodity it moves
(``carries``: a truck moves solids and, in tankers, water; heat and steam only travel by pipe)
and, per dimension, the most it can move in a day (``daily_limit``: a few tanker trips, not
thirty). :meth:`Transport.best_modes` picks, for each arc, the cheapest mode that can carry the
arc's largest possible flow over its distance (fixed cost included), so a pipeline wins only
where its fixed cost pays off and a truck is never asked to move a river.

    >>> t = load_transport()
    >>> sorted(t.modes)
    ['pipeline', 'ship', 'truck']
    >>> t.modes["truck"].unit_cost(100.0)
    150000.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from sinergi.reference import Sourced
from sinergi.symbiosis.knowledge_file import (
    NumberContext,
    NumberIn,
    StrictModel,
    parse_entry,
    read_document,
    resolve_number,
    rule_error,
    shared_values,
)
from sinergi.symbiosis.spatial import BoundingBox
from sinergi.units import Dimension

#: Days in a year, for turning a yearly fixed cost into the cost of one period.
DAYS_PER_YEAR = 365.0

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Mode:
    """One transport mode with its (sourced or illustrative) cost and emission numbers."""

    id: str
    name: str
    carries: frozenset[Dimension]
    cost_per_unit_km: Sourced
    handling_per_unit: Sourced
    co2e_per_unit_km: Sourced
    fixed_cost: Sourced
    max_distance_km: Sourced
    daily_limit: dict[Dimension, Sourced]

    def period_fixed_cost(self, days: float) -> float:
        """Return the fixed cost (IDR) of a link over a period of ``days`` days."""
        return self.fixed_cost.value * days / DAYS_PER_YEAR

    def limit(self, dimension: Dimension, days: float) -> float:
        """Return the most this mode moves of a commodity of ``dimension`` in ``days`` days."""
        daily = self.daily_limit.get(dimension)
        return np.inf if daily is None else daily.value * days

    def unit_cost(self, km: float) -> float:
        """Return the cost (IDR) of moving one unit ``km`` kilometres."""
        return self.handling_per_unit.value + self.cost_per_unit_km.value * km

    def unit_co2e(self, km: float) -> float:
        """Return the emissions (t CO2e) of moving one unit ``km`` kilometres."""
        return self.co2e_per_unit_km.value * km

    @property
    def illustrative(self) -> bool:
        """True when any of the mode's numbers is illustrative."""
        numbers = (
            self.cost_per_unit_km,
            self.handling_per_unit,
            self.co2e_per_unit_km,
            self.fixed_cost,
            self.max_distance_km,
            *self.daily_limit.values(),
        )
        return any(n.illustrative for n in numbers)


@dataclass(frozen=True, slots=True)
class Transport:
    """The transport modes plus the bounding box and detour factor used for distances."""

    version: str
    modes: dict[str, Mode]
    bbox: BoundingBox
    detour: Sourced
    bbox_illustrative: bool

    def best_modes(
        self,
        allowed: Sequence[str],
        km: float,
        amounts: FloatArray,
        *,
        dimension: Dimension = Dimension.MASS,
        days: float = DAYS_PER_YEAR,
    ) -> IntArray:
        """Return, per arc, the index into ``allowed`` of the cheapest feasible mode, or -1.

        A mode is feasible when it carries ``dimension``, ``km`` does not exceed its longest
        distance and the arc's amount (over a period of ``days``) does not exceed its limit.
        The cost compared is ``fixed + unit_cost(km) x amount``; ties go to the mode listed
        first. Arcs with an unknown amount (NaN) compare unit costs only.
        """
        totals = np.full((len(allowed), amounts.shape[0]), np.inf)
        known = np.isfinite(amounts)
        for m, mode_id in enumerate(allowed):
            mode = self.modes[mode_id]
            if dimension in mode.carries and km <= mode.max_distance_km.value:
                unit = mode.unit_cost(km)
                cost = np.where(known, mode.period_fixed_cost(days) + unit * amounts, unit)
                totals[m] = np.where(amounts > mode.limit(dimension, days), np.inf, cost)
        best = np.argmin(totals, axis=0).astype(np.int64)
        feasible = np.isfinite(totals.min(axis=0)) if len(allowed) else np.zeros(0, bool)
        return np.where(feasible, best, -1)


class _ModeIn(StrictModel):
    name: str
    carries: tuple[Dimension, ...]
    cost_idr_per_unit_km: NumberIn
    handling_idr_per_unit: NumberIn
    co2e_t_per_unit_km: NumberIn
    fixed_cost_idr_per_year: NumberIn
    max_distance_km: NumberIn
    daily_limit: dict[Dimension, NumberIn] = Field(default_factory=dict)


class _BoxIn(StrictModel):
    lat_min: NumberIn
    lat_max: NumberIn
    lon_min: NumberIn
    lon_max: NumberIn


class _GeographyIn(StrictModel):
    bbox: _BoxIn
    detour_factor: NumberIn


def _mode(ctx: NumberContext, mode_id: str, raw: _ModeIn) -> Mode:
    at = f"{ctx.where}: mode {mode_id!r}, field "
    if not raw.carries:
        raise rule_error(at + "carries", "is empty", "list what the mode carries: mass, volume…")
    undeclared = sorted(set(raw.daily_limit) - set(raw.carries))
    if undeclared:
        raise rule_error(
            at + "daily_limit",
            f"limits {undeclared}, which the mode does not carry",
            "add them to `carries` or remove the limit",
        )
    return Mode(
        id=mode_id,
        name=raw.name,
        carries=frozenset(raw.carries),
        cost_per_unit_km=resolve_number(ctx, raw.cost_idr_per_unit_km, at + "cost_idr_per_unit_km"),
        handling_per_unit=resolve_number(
            ctx, raw.handling_idr_per_unit, at + "handling_idr_per_unit"
        ),
        co2e_per_unit_km=resolve_number(ctx, raw.co2e_t_per_unit_km, at + "co2e_t_per_unit_km"),
        fixed_cost=resolve_number(ctx, raw.fixed_cost_idr_per_year, at + "fixed_cost_idr_per_year"),
        max_distance_km=resolve_number(
            ctx, raw.max_distance_km, at + "max_distance_km", positive=True
        ),
        daily_limit={
            dim: resolve_number(ctx, number, f"{at}daily_limit.{dim}", positive=True)
            for dim, number in raw.daily_limit.items()
        },
    )


def load_transport(path: Path | None = None) -> Transport:
    """Load and validate transport modes and geography; the shipped file by default.

    Raises
    ------
    SymbiosisRuleError
        Naming the file, the mode or geography field: a negative cost, emission or distance, a
        number with neither source+year nor ``illustrative``, a misspelt field, or an empty or
        inverted bounding box.
    """
    doc, where = read_document(path, "transport.yaml")
    ctx = NumberContext(where, shared_values(doc, where))
    raw_modes = doc.get("modes")
    if not isinstance(raw_modes, dict) or not raw_modes:
        raise rule_error(where, "`modes` is missing or empty", "define at least one transport mode")
    modes = {
        str(k): _mode(ctx, str(k), parse_entry(_ModeIn, v, f"{where}: mode {k!r}"))
        for k, v in raw_modes.items()
    }
    geo: _GeographyIn = parse_entry(_GeographyIn, doc.get("geography"), f"{where}: geography")
    at = f"{where}: geography.bbox."
    corners = {
        name: resolve_number(ctx, getattr(geo.bbox, name), at + name, signed=True)
        for name in ("lat_min", "lat_max", "lon_min", "lon_max")
    }
    box = BoundingBox(*(c.value for c in corners.values()))
    if not (box.lat_min < box.lat_max and box.lon_min < box.lon_max):
        raise rule_error(
            f"{where}: geography.bbox",
            "is empty or inverted",
            "give lat_min < lat_max and lon_min < lon_max",
        )
    detour = resolve_number(
        ctx, geo.detour_factor, f"{where}: geography.detour_factor", positive=True
    )
    if detour.value < 1.0:
        raise rule_error(
            f"{where}: geography.detour_factor",
            f"is {detour.value:g}",
            "a route is never shorter than the great circle: use 1 or more",
        )
    return Transport(
        str(doc.get("version", "")),
        modes,
        box,
        detour,
        any(c.illustrative for c in corners.values()),
    )
