"""Indonesian EV battery scenarios and the fleet forecast built from them.

The shipped file ``data/circularity/scenarios.yaml`` holds sourced fleet counts (2019-2024),
the 2030 government targets, pack sizes and masses, chemistry shares and lifetimes; many are
flagged illustrative where no source was found.

Rules (each an assumption, flagged in every forecast):

* a fleet (packs in use at year end, one per vehicle) follows the scenario's path through its
  anchors (:mod:`sinergi.circularity.trajectories`: a monotone cubic curve through the counts
  and targets, then constant net additions, for ``government-targets``); the model starts at
  the first anchor;
* the fleet runs **stock-driven**, so the inflow includes replacement packs; a fleet that
  falls faster than its packs retire is clipped to zero inflow and flagged, never negative;
* chemistry shares of new packs are linear between the years given and held outside them;
  the fleet's inflow is split by them, and each chemistry's stock and outflow follow from its
  inflow with the vehicle type's lifetime;
* the modelled stock is checked against sourced totals (``stock_checks``); the difference and
  the vehicle types the model does not hold are reported with the forecast.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import ValidationError

from sinergi.circularity.data_files import (
    LifetimeSpec,
    Point,
    Strict,
    load_yaml,
    validation_error,
)
from sinergi.circularity.inputs import InputUsed, provenance_of
from sinergi.circularity.lifetimes import FloatArray
from sinergi.circularity.stocks import inflow_driven, stock_driven
from sinergi.circularity.trajectories import AfterLastAnchor, Interpolation, fleet_path
from sinergi.errors import ScenarioError, UnknownCommodity
from sinergi.i18n import N_
from sinergi.model import default_catalogue
from sinergi.reference import Provenance, Sourced
from sinergi.units import Dimension

FILE = "scenarios.yaml"
SHARE_TOLERANCE = 1e-9


class VehicleType(Strict):
    """Pack size, mass, lifetime and model commodity of one vehicle type."""

    label: str
    label_id: str
    commodity: str
    pack_kwh: Sourced
    kg_per_kwh: Sourced
    lifetime: LifetimeSpec


class ChemistryShares(Provenance):
    """Shares of chemistries in new packs at some years."""

    points: dict[int, dict[str, float]]


class Uncounted(Strict):
    """Vehicles of a sourced total that the model does not hold (no pack data for them)."""

    label: str
    label_id: str
    value: float


class StockCheck(Point):
    """A sourced total fleet, and the vehicle types in it that the model does not hold."""

    not_modelled: tuple[Uncounted, ...] = ()


class ScenarioSpec(Strict):
    """How a scenario builds its fleets from the anchors."""

    description: str
    description_id: str
    anchors: list[Literal["history", "targets"]]
    interpolation: Interpolation
    after_last_anchor: AfterLastAnchor
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
    stock_checks: tuple[StockCheck, ...] = ()
    scenarios: dict[str, ScenarioSpec]


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
    for vehicle, kind in data.vehicle_types.items():
        _check_commodity(f"{name}: vehicle_types.{vehicle}.commodity", kind.commodity)
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
                        "anchor must be > 0"
                    )
    return data


def _check_commodity(where: str, commodity: str) -> None:
    """Refuse a pack commodity the model's catalogue lacks or does not count in items."""
    try:
        entry = default_catalogue().get(commodity)
    except UnknownCommodity as exc:
        raise ScenarioError(f"{where}: {exc}") from None
    if entry.dimension is not Dimension.COUNT:
        raise ScenarioError(
            f"{where}: commodity {commodity!r} is measured in {entry.unit}; battery packs are "
            "counted, so name a commodity of dimension count"
        )


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
class StockReconciliation:
    """The modelled stock of a year against a sourced total.

    ``difference`` is sourced minus modelled; ``not_modelled`` lists the vehicle types of the
    total that the model does not hold, and ``unexplained`` what they leave of the difference.
    """

    year: int
    sourced: float
    modelled: float
    not_modelled: tuple[Uncounted, ...]
    provenance: Provenance

    @property
    def difference(self) -> float:
        """Sourced minus modelled packs in use."""
        return self.sourced - self.modelled

    @property
    def unexplained(self) -> float:
        """The part of the difference that the unmodelled vehicle types do not account for."""
        return self.difference - sum(item.value for item in self.not_modelled)

    def record(self) -> dict[str, Any]:
        """Return the check as JSON-ready data."""
        return {
            "year": self.year,
            "sourced": self.sourced,
            "modelled": round(self.modelled, 6),
            "difference": round(self.difference, 6),
            "not_modelled": [item.model_dump() for item in self.not_modelled],
            "unexplained": round(self.unexplained, 6) + 0.0,
            "provenance": self.provenance.record(),
        }


@dataclass(frozen=True)
class Forecast:
    """A national battery forecast by vehicle type and chemistry.

    ``packs`` counts battery packs (one per vehicle); :meth:`kwh` and :meth:`tonnes` convert
    with each type's pack size and mass. ``inputs`` lists every input used with its
    provenance; :attr:`illustrative` the flagged ones. Years after ``last_sourced_year`` are
    a projection along the scenario's (illustrative) path.
    """

    scenario: str
    description: dict[str, str]
    years: NDArray[np.int64]
    last_sourced_year: int
    vehicle_types: tuple[str, ...]
    vehicle_labels: dict[str, dict[str, str]]
    commodities: tuple[str, ...]
    chemistries: tuple[str, ...]
    packs: Flows
    pack_kwh: FloatArray
    kg_per_kwh: FloatArray
    inputs: tuple[InputUsed, ...]
    clipped_inflow: tuple[str, ...]
    stock_checks: tuple[StockReconciliation, ...]

    @property
    def illustrative(self) -> tuple[InputUsed, ...]:
        """The inputs that rest on illustrative (unsourced) values or rules."""
        return tuple(item for item in self.inputs if item.provenance.illustrative)

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
            "last_sourced_year": self.last_sourced_year,
            "vehicle_labels": self.vehicle_labels,
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
            "stock_checks": [check.record() for check in self.stock_checks],
            "illustrative": [item.caveat() for item in self.illustrative],
            "inputs": [item.record() for item in self.inputs],
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
    types = list(fleets)
    flows, inputs, clipped = [], [], []
    for vehicle in types:
        stock, inflow, outflow, flagged = _vehicle_flows(
            data, spec, vehicle, fleets[vehicle], years
        )
        flows.append((stock, inflow, outflow))
        clipped += flagged
        inputs += _inputs(data, vehicle, fleets[vehicle])
    inputs.append(_rule_input(spec))
    stock, inflow, outflow = (np.stack([f[i] for f in flows], axis=1) for i in range(3))
    return Forecast(
        scenario=scenario,
        description={"en": spec.description, "id": spec.description_id},
        years=years,
        last_sourced_year=last_history,
        vehicle_types=tuple(types),
        vehicle_labels={
            v: {"en": data.vehicle_types[v].label, "id": data.vehicle_types[v].label_id}
            for v in types
        },
        commodities=tuple(data.vehicle_types[v].commodity for v in types),
        chemistries=tuple(data.chemistries),
        packs=Flows(stock, inflow, outflow),
        pack_kwh=np.array([data.vehicle_types[v].pack_kwh.value for v in types]),
        kg_per_kwh=np.array([data.vehicle_types[v].kg_per_kwh.value for v in types]),
        inputs=tuple(inputs),
        clipped_inflow=tuple(clipped),
        stock_checks=_stock_checks(data, years, stock.sum(axis=(1, 2))),
    )


def _vehicle_flows(
    data: ScenarioData,
    spec: ScenarioSpec,
    vehicle: str,
    points: list[Point],
    years: NDArray[np.int64],
) -> tuple[FloatArray, FloatArray, FloatArray, list[str]]:
    """Return one vehicle type's stock, inflow, outflow by chemistry and its clipped years.

    The fleet follows the scenario's path and runs stock-driven; its inflow is split by the
    chemistry shares, and each chemistry runs inflow-driven with the type's lifetime.
    """
    kind = _vehicle(data, vehicle)
    lifetime = kind.lifetime.build(f"{FILE}: vehicle_types.{vehicle}.lifetime")
    shares = _shares(data, vehicle, years)
    stock = fleet_path(
        [p.year for p in points],
        [p.value for p in points],
        years,
        spec.interpolation,
        spec.after_last_anchor,
    )
    result = stock_driven(stock, lifetime, negative_inflow="clip")
    clipped = [f"{vehicle} {years[i]}" for i in np.flatnonzero(result.negative_inflow)]
    by_chem = inflow_driven(result.inflow[:, np.newaxis] * shares, lifetime)
    return by_chem.stock, by_chem.inflow, by_chem.outflow, clipped


def _stock_checks(
    data: ScenarioData, years: NDArray[np.int64], modelled: FloatArray
) -> tuple[StockReconciliation, ...]:
    checks = []
    for check in data.stock_checks:
        if check.year not in years:
            continue
        provenance = provenance_of(check)
        checks.append(
            StockReconciliation(
                year=check.year,
                sourced=check.value,
                modelled=float(modelled[int(np.flatnonzero(years == check.year)[0])]),
                not_modelled=tuple(check.not_modelled),
                provenance=provenance,
            )
        )
    return tuple(checks)


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


def _inputs(data: ScenarioData, vehicle: str, anchors: list[Point]) -> list[InputUsed]:
    kind = data.vehicle_types[vehicle]
    return [
        InputUsed(N_("pack size of {subject}"), vehicle, kind.pack_kwh),
        InputUsed(N_("pack mass per kWh of {subject}"), vehicle, kind.kg_per_kwh),
        InputUsed(N_("battery lifetime of {subject}"), vehicle, kind.lifetime),
        InputUsed(N_("chemistry shares of {subject}"), vehicle, data.chemistry_shares[vehicle]),
        *(InputUsed(N_("fleet of {subject} in {year}"), vehicle, p, p.year) for p in anchors),
    ]


def _rule_input(spec: ScenarioSpec) -> InputUsed:
    provenance = (
        Provenance(illustrative=True, note=spec.rules_note)
        if spec.rules_illustrative
        else Provenance(definition=True, note=spec.rules_note)
    )
    return InputUsed(N_("fleet path between and after the anchors"), "", provenance)
