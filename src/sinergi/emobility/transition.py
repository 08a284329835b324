"""From sales and electrification to component demand, and to each parts maker's loss or gain.

Each year, vehicles made = domestic sales + exports; electric vehicles = electric share ×
domestic sales (exports stay conventional); conventional = the rest. Component demand is
vehicles × bill of materials:

    demand[c, t] = electric[t] · q_electric[c] + conventional[t] · q_conventional[c]

The **baseline** is the same sales with no electrification. A supplier with share ``s`` of a
component's demand sees ``s × demand``; what it loses or gains is measured against the
baseline of the same year, so sales growth is not mistaken for electrification. Across
components a supplier's demand is counted in **vehicle sets** (units ÷ parts per vehicle), so
two wheels and one engine both count as one vehicle's worth.

Jobs at risk use an explicit jobs-per-output coefficient: the supplier's workers per vehicle
set of its first-year output when the workforce is known (from the table or the ecosystem
model: proportional employment, stated), else the scenario's jobs per 1,000 units of each
component when the scenario gives them (sourced or flagged); otherwise they are unknown,
never zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from sinergi.emobility.bom import (
    ComponentCatalogue,
    Powertrain,
    SwitchRule,
    SwitchRules,
    VehicleBoms,
    component_catalogue,
    switch_rules,
)
from sinergi.emobility.data_files import InputKey
from sinergi.emobility.scenarios import TransitionScenario
from sinergi.emobility.suppliers import EffectiveShare, Supplier, check_unique, shares_by_component
from sinergi.errors import TransitionError
from sinergi.i18n import N_
from sinergi.reference import Provenance

__all__ = ["LOSS_LEVELS", "SupplierImpact", "TransitionResult", "Vehicles", "run_transition"]

FloatArray = NDArray[np.float64]

#: Shares of baseline demand lost at which the first year is reported ("from when").
LOSS_LEVELS: tuple[float, ...] = (0.10, 0.25, 0.50)


@dataclass(frozen=True, slots=True)
class Vehicles:
    """Motorcycles made each year, by market and powertrain (units)."""

    domestic: FloatArray
    exports: FloatArray
    electric_share: FloatArray

    @property
    def electric(self) -> FloatArray:
        """Return electric vehicles made each year."""
        return self.electric_share * self.domestic

    @property
    def conventional(self) -> FloatArray:
        """Return conventional vehicles made each year (domestic rest and all exports)."""
        return (1.0 - self.electric_share) * self.domestic + self.exports

    @property
    def total(self) -> FloatArray:
        """Return all vehicles made each year."""
        return self.domestic + self.exports


@dataclass(frozen=True, slots=True)
class SupplierComponent:
    """One component of a supplier: its share and its demand with and without electrification."""

    component: str
    share: float
    assumed: bool
    baseline_units: FloatArray
    scenario_units: FloatArray


@dataclass(frozen=True, slots=True)
class SupplierImpact:
    """What electrification does to one supplier, year by year.

    ``lost_sets``/``gained_sets`` are in vehicle sets; ``jobs_at_risk`` is ``None`` when no
    coefficient is known; ``switch_to`` lists rules naming electric components it could make.
    """

    supplier: Supplier
    components: tuple[SupplierComponent, ...]
    baseline_sets: FloatArray
    lost_sets: FloatArray
    gained_sets: FloatArray
    jobs_at_risk: FloatArray | None
    jobs_basis: str | None
    switch_to: tuple[SwitchRule, ...]

    @property
    def lost_share(self) -> FloatArray:
        """Return the share of the year's baseline demand lost (0 where there is none)."""
        base = np.where(self.baseline_sets > 0, self.baseline_sets, 1.0)
        return np.where(self.baseline_sets > 0, self.lost_sets / base, 0.0)

    def first_year_losing(self, years: NDArray[np.int64], level: float) -> int | None:
        """Return the first year in which at least ``level`` of the baseline is lost."""
        hit = np.flatnonzero(self.lost_share >= level - 1e-12)
        return int(years[hit[0]]) if hit.size else None


@dataclass(frozen=True, slots=True)
class TransitionResult:
    """Component demand per year with and without electrification, and its effect on makers."""

    scenario: TransitionScenario
    years: NDArray[np.int64]
    vehicles: Vehicles
    components: tuple[str, ...]
    boms: VehicleBoms
    demand: FloatArray
    baseline: FloatArray
    suppliers: tuple[SupplierImpact, ...]
    inputs: dict[InputKey, Provenance] = field(repr=False)

    def change(self) -> FloatArray:
        """Return demand minus baseline for every year and component (units)."""
        return self.demand - self.baseline

    def by_group(self, key: str) -> dict[str, FloatArray]:
        """Return the change in vehicle sets (losses negative) by kbli, province or park.

        A supplier counts under its first KBLI code; blanks count under ``"unknown"``.
        """
        groups: dict[str, FloatArray] = {}
        for impact in self.suppliers:
            supplier = impact.supplier
            label = {
                "kbli": supplier.kbli[0] if supplier.kbli else None,
                "province": supplier.province,
                "park": supplier.park,
            }[key]
            name = label or "unknown"
            groups[name] = groups.get(name, np.zeros(len(self.years))) + (
                impact.gained_sets - impact.lost_sets
            )
        return dict(sorted(groups.items()))


def run_transition(
    scenario: TransitionScenario,
    to: int,
    *,
    start: int | None = None,
    suppliers: Sequence[Supplier] = (),
    catalogue: ComponentCatalogue | None = None,
    rules: SwitchRules | None = None,
) -> TransitionResult:
    """Return component demand from ``start`` to ``to`` and its effect on each supplier.

    ``start`` defaults to the first year with both sales history and an electric-share anchor.

    Raises
    ------
    TransitionError
        When the years are out of order, a bill change or coefficient names an unknown
        component, or the suppliers' shares are inconsistent.
    """
    catalogue = catalogue or component_catalogue()
    rules = rules or switch_rules()
    data = scenario.data
    first = start if start is not None else _default_start(scenario)
    if not first <= to <= 2100:
        msg = f"--to {to} must lie between the start year {first} and 2100"
        raise TransitionError(msg)
    years = np.arange(first, to + 1, dtype=np.int64)
    domestic, exports = data.sales_series(years)
    vehicles = Vehicles(domestic, exports, scenario.spec.shares(years))
    boms = _boms(scenario, catalogue)
    components = catalogue.ids
    demand = _demand(vehicles.electric, vehicles.conventional, boms, components)
    baseline = _demand(np.zeros(len(years)), vehicles.total, boms, components)
    check_unique(suppliers)
    impacts = _impacts(scenario, suppliers, catalogue, rules, boms, demand, baseline)
    return TransitionResult(
        scenario,
        years,
        vehicles,
        components,
        boms,
        demand,
        baseline,
        impacts,
        {**data.inputs(scenario.name), (N_("switching rules"), ""): rules},
    )


def _default_start(scenario: TransitionScenario) -> int:
    """Return the first year with both sales and an electric-share anchor."""
    return max(scenario.data.sales[0].year, scenario.spec.electric_share[0].year)


def _boms(scenario: TransitionScenario, catalogue: ComponentCatalogue) -> VehicleBoms:
    changes = {}
    for change in scenario.data.bom:
        catalogue.get(change.component)
        changes[(change.component, change.powertrain == "electric")] = change.quantity
    for component in scenario.data.jobs_per_1000_units:
        catalogue.get(component)
    return catalogue.boms().overridden(changes)


def _demand(
    electric: FloatArray, conventional: FloatArray, boms: VehicleBoms, components: Sequence[str]
) -> FloatArray:
    """Return demand (years × components): vehicles times parts per vehicle."""
    q_electric = np.array([boms.quantity(c, electric=True) for c in components])
    q_conventional = np.array([boms.quantity(c, electric=False) for c in components])
    return np.outer(electric, q_electric) + np.outer(conventional, q_conventional)


def _impacts(
    scenario: TransitionScenario,
    suppliers: Sequence[Supplier],
    catalogue: ComponentCatalogue,
    rules: SwitchRules,
    boms: VehicleBoms,
    demand: FloatArray,
    baseline: FloatArray,
) -> tuple[SupplierImpact, ...]:
    shares = shares_by_component(suppliers, catalogue)
    column = {c: i for i, c in enumerate(catalogue.ids)}
    impacts = []
    for supplier in suppliers:
        mine = [s for s in shares if s.supplier == supplier.id]
        parts = tuple(_supplier_component(s, column, demand, baseline) for s in mine)
        impacts.append(_impact(scenario, supplier, parts, catalogue, rules, boms))
    return tuple(impacts)


def _supplier_component(
    share: EffectiveShare, column: dict[str, int], demand: FloatArray, baseline: FloatArray
) -> SupplierComponent:
    j = column[share.component]
    return SupplierComponent(
        share.component,
        share.share,
        share.assumed,
        share.share * baseline[:, j],
        share.share * demand[:, j],
    )


def _impact(
    scenario: TransitionScenario,
    supplier: Supplier,
    parts: tuple[SupplierComponent, ...],
    catalogue: ComponentCatalogue,
    rules: SwitchRules,
    boms: VehicleBoms,
) -> SupplierImpact:
    n = len(parts[0].baseline_units) if parts else 0
    base, lost, gained = np.zeros(n), np.zeros(n), np.zeros(n)
    for part in parts:
        per_set = boms.per_vehicle(part.component)
        base += part.baseline_units / per_set
        lost += np.maximum(part.baseline_units - part.scenario_units, 0.0) / per_set
        gained += np.maximum(part.scenario_units - part.baseline_units, 0.0) / per_set
    jobs, basis = _jobs(scenario, supplier, parts, base, lost)
    switch = tuple(
        rule
        for part in parts
        if catalogue.get(part.component).powertrain is Powertrain.CONVENTIONAL
        for rule in rules.targets(part.component)
    )
    return SupplierImpact(supplier, parts, base, lost, gained, jobs, basis, switch)


def _jobs(
    scenario: TransitionScenario,
    supplier: Supplier,
    parts: tuple[SupplierComponent, ...],
    base: FloatArray,
    lost: FloatArray,
) -> tuple[FloatArray | None, str | None]:
    """Return jobs at risk each year and the coefficient's basis, or ``(None, None)``."""
    if supplier.workers is not None and base.size and base[0] > 0:
        return supplier.workers / base[0] * lost, supplier.workers_source or "table"
    coefficients = scenario.data.jobs_per_1000_units
    if parts and all(p.component in coefficients for p in parts):
        jobs = sum(
            (
                np.maximum(p.baseline_units - p.scenario_units, 0.0)
                * coefficients[p.component].value
                / 1000.0
                for p in parts
            ),
            np.zeros(len(base)),
        )
        return jobs, "coefficient"
    return None, None


def require_components(result: TransitionResult, names: Sequence[str]) -> None:
    """Refuse component names the result does not hold (for filters in reports).

    Raises
    ------
    TransitionError
        Naming the known components.
    """
    unknown = sorted(set(names) - set(result.components))
    if unknown:
        msg = f"unknown components {unknown}; known: {', '.join(result.components)}"
        raise TransitionError(msg)
