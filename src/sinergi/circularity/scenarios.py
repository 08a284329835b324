"""Indonesian EV battery scenarios and the fleet forecast built from them.

The shipped file ``data/circularity/scenarios.yaml`` holds sourced fleet counts (2019-2024),
the 2030 government targets, the conversion programme, pack sizes and masses, chemistry
shares and lifetimes; many are flagged illustrative where the reference data has gaps.

Rules (each an assumption, flagged in every forecast):

* a fleet (packs in use at year end, one per vehicle) grows **geometrically** between two
  anchors and is **held** at its last anchor afterwards; the model starts at the first anchor;
* the fleet runs **stock-driven**, so the inflow includes replacement packs; a fleet that
  falls faster than its packs retire is clipped to zero inflow and flagged, never negative;
* conversions are linear between the years given, zero before, and stop (or are held) after;
  they run **inflow-driven** as their own vehicle type (the national counts may already
  include converted motorcycles: a possible double count, flagged);
* chemistry shares of new packs are linear between the years given and held outside them;
  the fleet's inflow is split by them, and each chemistry's stock and outflow follow from its
  inflow with the vehicle type's lifetime.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import ValidationError

from sinergi.circularity.lifetimes import FloatArray
from sinergi.circularity.sourced import (
    LifetimeSpec,
    Point,
    Provenance,
    Sourced,
    Strict,
    load_yaml,
    validation_error,
)
from sinergi.circularity.stocks import inflow_driven, stock_driven
from sinergi.errors import ScenarioError

FILE = "scenarios.yaml"
SHARE_TOLERANCE = 1e-9


class VehicleType(Strict):
    """Pack size, mass and lifetime of one vehicle type."""

    label: str
    pack_kwh: Sourced
    kg_per_kwh: Sourced
    lifetime: LifetimeSpec


class ChemistryShares(Provenance):
    """Shares of chemistries in new packs at some years."""

    points: dict[int, dict[str, float]]


class ScenarioSpec(Strict):
    """How a scenario builds its fleets from the anchors."""

    description: str
    anchors: list[Literal["history", "targets"]]
    interpolation: Literal["geometric", "linear"]
    after_last_anchor: Literal["hold"]
    conversions: bool
    conversions_after_last_year: Literal["stop", "hold"]
    rules_illustrative: bool
    rules_note: str


class ScenarioData(Strict):
    """The whole scenario file."""

    version: str
    chemistries: list[str]
    vehicle_types: dict[str, VehicleType]
    chemistry_shares: dict[str, ChemistryShares]
    history: dict[str, list[Point]]
    targets: dict[str, list[Point]]
    conversions: list[Point]
    scenarios: dict[str, ScenarioSpec]


CONVERSION_TYPE = "motorcycle_conversion"


@cache
def default_scenarios() -> ScenarioData:
    """Return the shipped scenario data, validated."""
    return parse_scenarios(load_yaml(FILE), FILE)


def parse_scenarios(doc: dict[str, Any], name: str = FILE) -> ScenarioData:
    """Validate a scenario document; errors name the file, the key path and the fix."""
    try:
        data = ScenarioData.model_validate(doc)
    except ValidationError as exc:
        raise validation_error(name, exc) from None
    for vehicle, shares in data.chemistry_shares.items():
        for year, split in shares.points.items():
            _check_shares(f"{name}: chemistry_shares.{vehicle}.points.{year}", split, data)
    for group, fleets in (("history", data.history), ("targets", data.targets)):
        for vehicle, points in fleets.items():
            if vehicle not in data.vehicle_types:
                raise ScenarioError(
                    f"{name}: {group}.{vehicle} names an unknown vehicle type; known: "
                    f"{sorted(data.vehicle_types)}"
                )
            for i, point in enumerate(points):
                if point.value <= 0:
                    raise ScenarioError(
                        f"{name}: {group}.{vehicle}[{i}].value is {point.value}; a fleet "
                        "anchor must be > 0 (geometric interpolation)"
                    )
    return data


def _check_shares(where: str, split: dict[str, float], data: ScenarioData) -> None:
    unknown = sorted(set(split) - set(data.chemistries))
    if unknown:
        raise ScenarioError(f"{where}: unknown chemistries {unknown}; known: {data.chemistries}")
    if any(v < 0 for v in split.values()) or abs(sum(split.values()) - 1.0) > SHARE_TOLERANCE:
        raise ScenarioError(f"{where}: shares must be >= 0 and sum to 1; got {split}")


@dataclass(frozen=True)
class Flows:
    """Stock at year end, inflow and outflow per year, shape ``(years, types, chemistries)``."""

    stock: FloatArray
    inflow: FloatArray
    outflow: FloatArray

    def scaled(self, factor: FloatArray) -> Flows:
        """Return the flows multiplied by ``factor`` (broadcast over the last axes)."""
        return Flows(self.stock * factor, self.inflow * factor, self.outflow * factor)

    def balance(self) -> FloatArray:
        """Return ``inflow - outflow - stock change``; zero up to round-off."""
        change = np.diff(self.stock, axis=0, prepend=np.zeros_like(self.stock[:1]))
        result: FloatArray = self.inflow - self.outflow - change
        return result


@dataclass(frozen=True)
class Forecast:
    """A national battery forecast by vehicle type and chemistry.

    ``packs`` counts battery packs (one per vehicle); :meth:`kwh` and :meth:`tonnes` convert
    with each type's pack size and mass. ``illustrative`` lists every flagged input used.
    """

    scenario: str
    description: str
    years: NDArray[np.int64]
    vehicle_types: tuple[str, ...]
    chemistries: tuple[str, ...]
    packs: Flows
    pack_kwh: FloatArray
    kg_per_kwh: FloatArray
    illustrative: tuple[str, ...]
    clipped_inflow: tuple[str, ...]

    def kwh(self) -> Flows:
        """Return the flows in kWh of capacity."""
        return self.packs.scaled(self.pack_kwh[:, np.newaxis])

    def tonnes(self) -> Flows:
        """Return the flows in tonnes of battery."""
        return self.packs.scaled((self.pack_kwh * self.kg_per_kwh / 1000.0)[:, np.newaxis])

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready summary by vehicle type and by chemistry, per year."""
        units = {"packs": self.packs, "kwh": self.kwh(), "t": self.tonnes()}
        return {
            "scenario": self.scenario,
            "description": self.description,
            "years": self.years.tolist(),
            "by_vehicle_type": {
                vehicle: {unit: _series(flows, (slice(None), v)) for unit, flows in units.items()}
                for v, vehicle in enumerate(self.vehicle_types)
            },
            "by_chemistry": {
                chem: {
                    unit: _series(flows, (slice(None), slice(None), c), (1,))
                    for unit, flows in units.items()
                }
                for c, chem in enumerate(self.chemistries)
            },
            "illustrative": list(self.illustrative),
            "clipped_inflow": list(self.clipped_inflow),
        }


def _series(
    flows: Flows, index: tuple[slice | int, ...], axes: tuple[int, ...] = (1,)
) -> dict[str, list[float]]:
    return {
        name: np.asarray(getattr(flows, name)[index]).sum(axis=axes).round(6).tolist()
        for name in ("stock", "inflow", "outflow")
    }


def forecast(
    scenario: str = "government-targets", to: int = 2045, data: ScenarioData | None = None
) -> Forecast:
    """Return the battery forecast of a scenario from its first anchor year to ``to``.

    Raises
    ------
    ScenarioError
        The scenario is unknown, ``to`` is before the last sourced year, or the data lacks a
        vehicle type, share or lifetime it needs.
    """
    data = data or default_scenarios()
    if scenario not in data.scenarios:
        raise ScenarioError(
            f"unknown scenario {scenario!r}; choose one of {sorted(data.scenarios)}"
        )
    spec = data.scenarios[scenario]
    fleets = _fleet_anchors(data, spec)
    start = min(p.year for points in fleets.values() for p in points)
    last_history = max(p.year for points in data.history.values() for p in points)
    if not last_history <= to <= 2100:
        raise ScenarioError(
            f"to={to} is outside {last_history}..2100 (the last sourced fleet year and 2100)"
        )
    years = np.arange(start, to + 1)
    types = [*fleets, *([CONVERSION_TYPE] if spec.conversions else [])]
    flows, notes, clipped = [], [], []
    for vehicle in types:
        kind = _vehicle(data, vehicle)
        lifetime = kind.lifetime.build(f"{FILE}: vehicle_types.{vehicle}.lifetime")
        shares = _shares(data, vehicle, years)
        if vehicle == CONVERSION_TYPE:
            total_inflow = _conversions(data, spec, years)
        else:
            stock = _interpolate(fleets[vehicle], years, spec.interpolation)
            result = stock_driven(stock, lifetime, negative_inflow="clip")
            total_inflow = result.inflow
            clipped += [f"{vehicle} {years[i]}" for i in np.flatnonzero(result.negative_inflow)]
        by_chem = inflow_driven(total_inflow[:, np.newaxis] * shares, lifetime)
        flows.append((by_chem.stock, by_chem.inflow, by_chem.outflow))
        notes += _caveats(data, vehicle)
    notes += _rule_caveats(spec)
    stock, inflow, outflow = (np.stack([f[i] for f in flows], axis=1) for i in range(3))
    return Forecast(
        scenario=scenario,
        description=spec.description,
        years=years,
        vehicle_types=tuple(types),
        chemistries=tuple(data.chemistries),
        packs=Flows(stock, inflow, outflow),
        pack_kwh=np.array([data.vehicle_types[v].pack_kwh.value for v in types]),
        kg_per_kwh=np.array([data.vehicle_types[v].kg_per_kwh.value for v in types]),
        illustrative=tuple(dict.fromkeys(notes)),
        clipped_inflow=tuple(clipped),
    )


def _vehicle(data: ScenarioData, vehicle: str) -> VehicleType:
    if vehicle not in data.vehicle_types:
        raise ScenarioError(f"{FILE}: vehicle_types has no entry {vehicle!r}; add its pack data")
    return data.vehicle_types[vehicle]


def _fleet_anchors(data: ScenarioData, spec: ScenarioSpec) -> dict[str, list[Point]]:
    fleets: dict[str, list[Point]] = {}
    for group in spec.anchors:
        for vehicle, points in getattr(data, group).items():
            fleets.setdefault(vehicle, []).extend(points)
    for vehicle, points in fleets.items():
        years = [p.year for p in points]
        if len(set(years)) != len(years):
            raise ScenarioError(f"{FILE}: two fleet anchors for {vehicle} share a year: {years}")
        points.sort(key=lambda p: p.year)
    return fleets


def _interpolate(
    points: list[Point], years: NDArray[np.int64], rule: Literal["geometric", "linear"]
) -> FloatArray:
    """Return the fleet per year: zero before the first anchor, held after the last."""
    known = np.array([p.year for p in points], dtype=np.float64)
    values = np.array([p.value for p in points])
    result: FloatArray
    if rule == "geometric":
        result = np.exp(np.interp(years, known, np.log(values)))
    else:
        result = np.asarray(np.interp(years, known, values), dtype=np.float64)
    result[years < known[0]] = 0.0
    return result


def _conversions(data: ScenarioData, spec: ScenarioSpec, years: NDArray[np.int64]) -> FloatArray:
    known = np.array([p.year for p in data.conversions], dtype=np.float64)
    values = np.array([p.value for p in data.conversions])
    result: FloatArray = np.asarray(np.interp(years, known, values, left=0.0), dtype=np.float64)
    if spec.conversions_after_last_year == "stop":
        result[years > known[-1]] = 0.0
    return result


def _shares(data: ScenarioData, vehicle: str, years: NDArray[np.int64]) -> FloatArray:
    if vehicle not in data.chemistry_shares:
        raise ScenarioError(f"{FILE}: chemistry_shares has no entry for {vehicle!r}; add one")
    points = data.chemistry_shares[vehicle].points
    known = sorted(points)
    columns = [
        np.interp(years, known, [points[y].get(chem, 0.0) for y in known])
        for chem in data.chemistries
    ]
    return np.stack(columns, axis=1)


def _caveats(data: ScenarioData, vehicle: str) -> list[str]:
    kind = data.vehicle_types[vehicle]
    items: list[tuple[str, Provenance]] = [
        (f"{vehicle} pack kWh", kind.pack_kwh),
        (f"{vehicle} kg per kWh", kind.kg_per_kwh),
        (f"{vehicle} lifetime", kind.lifetime),
        (f"{vehicle} chemistry shares", data.chemistry_shares[vehicle]),
    ]
    return [c for label, value in items if (c := value.caveat(label)) is not None]


def _rule_caveats(spec: ScenarioSpec) -> list[str]:
    notes = []
    if spec.rules_illustrative:
        notes.append(f"scenario rules: illustrative ({spec.rules_note})")
    if spec.conversions:
        notes.append(
            "conversions: targets assumed met; national fleet counts may already include "
            "converted motorcycles (possible double count)"
        )
    return notes
