"""Who supplies each smelter's electricity: shares of its captive units and grid connection.

No dispatch data is public, so a smelter's electricity is split over the sources serving it in
proportion to their capacity (MW): its own running units, its share of units serving its whole
park (split between the park's smelters by their electricity demand) and its contracted grid
capacity. A smelter with none of these has *no power data* and gets no supply mix; the
accounts report it instead of counting its power emissions as zero.

A unit retired by a scenario keeps its place in the mix but is served by its replacement
(``replaced``: unit id -> power-factor key), so retiring it removes exactly its own emissions
and adds the replacement's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sinergi.national.registry import Fuel, PowerUnit, Registry

__all__ = ["GRID_UNKNOWN", "Supply", "supply_mix"]

#: Factor key of a grid connection whose grid region is not given (no factor: missing).
GRID_UNKNOWN = "grid.unknown"


@dataclass(frozen=True, slots=True)
class Supply:
    """One source in a smelter's supply mix: what it is, its factor key and its share."""

    source: str
    factor: str
    share: float
    unit: str | None = None


def _factor(unit: PowerUnit) -> str:
    return GRID_UNKNOWN if unit.fuel is Fuel.GRID else unit.fuel.value


def _capacities(
    registry: Registry, year: int, demand: Mapping[str, float]
) -> dict[str, dict[str, tuple[PowerUnit, float]]]:
    """Return, per smelter, the MW of each running unit it draws from."""
    by_park: dict[str, list[str]] = defaultdict(list)
    for smelter in registry.smelters:
        if smelter.park:
            by_park[smelter.park].append(smelter.id)
    out: dict[str, dict[str, tuple[PowerUnit, float]]] = defaultdict(dict)
    for unit in registry.units:
        if not unit.running(year):
            continue
        if unit.smelter is not None:
            out[unit.smelter][unit.id] = (unit, unit.capacity_mw)
            continue
        members = by_park[str(unit.park)]
        weights = {s: demand.get(s, 0.0) for s in members}
        total = sum(weights.values())
        for smelter_id in members:
            share = weights[smelter_id] / total if total > 0 else 1.0 / len(members)
            if share > 0:
                out[smelter_id][unit.id] = (unit, unit.capacity_mw * share)
    return out


def supply_mix(
    registry: Registry,
    year: int,
    demand: Mapping[str, float],
    *,
    replaced: Mapping[str, str] | None = None,
) -> dict[str, list[Supply]]:
    """Return each smelter's supply mix in ``year``; smelters without power data are absent.

    Parameters
    ----------
    registry
        Smelters and units.
    year
        The year (units run from their start year until their retired year).
    demand
        Electricity demand per smelter id (MWh), to split park-wide units between smelters.
    replaced
        Units a scenario has retired, each mapped to the factor key of its replacement.
    """
    replaced = replaced or {}
    units = _capacities(registry, year, demand)
    mixes: dict[str, list[Supply]] = {}
    for smelter in registry.smelters:
        parts: list[tuple[str, str, float, str | None]] = []
        for unit_id, (unit, mw) in sorted(units.get(smelter.id, {}).items()):
            factor = replaced.get(unit_id, _factor(unit))
            parts.append((unit_id, factor, mw, unit_id))
        if smelter.grid_mw:
            parts.append(
                (f"grid:{smelter.id}", smelter.grid_region or GRID_UNKNOWN, smelter.grid_mw, None)
            )
        total = sum(mw for _, _, mw, _ in parts)
        if total <= 0:
            continue
        mixes[smelter.id] = [Supply(src, key, mw / total, unit) for src, key, mw, unit in parts]
    return mixes
