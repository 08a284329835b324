"""E-mobility results as records (JSON-ready, language-free) and as pages in either language.

Three reports, each built from the engine's results by a ``*_record`` function and rendered
by :func:`render_html` (Jinja templates in ``reports/templates/emobility_*.html``), by
:mod:`sinergi.reports.emobility_xlsx` and by :mod:`sinergi.reports.emobility_text`:

* **TKDN**: the local content of a bill of materials, its thresholds and incentives year by
  year, and the cheapest localisation to the target (the next threshold unless one is given);
* **transition**: vehicles and component demand with and without electrification, and each
  parts maker's loss or gain, jobs at risk and switching options;
* **packs**: one national standard swap pack against brand-proprietary packs.

Records carry numbers, codes and provenance records; words are added when rendering.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from sinergi.emobility.bom import ComponentCatalogue, component_catalogue
from sinergi.emobility.data_files import InputKey
from sinergi.emobility.localise import Localisation, cheapest_localisation
from sinergi.emobility.method import ASPECT_TEXT, tkdn_reference
from sinergi.emobility.packs import PackSharing, pack_reference
from sinergi.emobility.scenarios import TransitionScenario
from sinergi.emobility.suppliers import Supplier, link_to_ecosystem, parts_makers
from sinergi.emobility.tkdn import (
    BillOfMaterials,
    Qualification,
    TkdnResult,
    compute_tkdn,
    qualification_by_year,
)
from sinergi.emobility.transition import LOSS_LEVELS, SupplierImpact, run_transition
from sinergi.i18n import N_
from sinergi.model import Ecosystem
from sinergi.reference import Provenance, bibliography

__all__ = [
    "FIRST_YEAR",
    "packs_record",
    "provenance_rows",
    "tkdn_record",
    "transition_record",
]

#: First year of the year-by-year TKDN table: the purchase subsidy started in 2023.
FIRST_YEAR = 2023
#: Years shown after the assessment year (through the 80 % threshold of 2030).
YEARS_AHEAD = 6


#: Attributes that hold the number of a provenance-carrying record, with their unit.
_VALUE_FIELDS = (
    ("value", None),
    ("min_percent", "%"),
    ("amount_idr", "IDR"),
    ("energy_kwh", "kWh"),
    ("domestic", "units"),
    ("quantity", "per vehicle"),
)


def _row(label: str, detail: str, provenance: Provenance) -> dict[str, Any]:
    """Return an input row: label, detail, the number and unit if any, and the provenance."""
    row: dict[str, Any] = {"label": label, "detail": detail}
    for name, unit in _VALUE_FIELDS:
        value = getattr(provenance, name, None)
        if isinstance(value, int | float) and not isinstance(value, bool):
            row["value"] = float(value)
            row["unit"] = getattr(provenance, "unit", None) if unit is None else unit
            break
    fields = {k: getattr(provenance, k) for k in Provenance.model_fields}
    row.update(Provenance.model_validate(fields).record())
    return row


def provenance_rows(inputs: Mapping[InputKey, Provenance]) -> list[dict[str, Any]]:
    """Return every input's label, detail, number and provenance, illustrative ones first."""
    rows = [_row(label, detail, p) for (label, detail), p in inputs.items()]
    return sorted(rows, key=lambda r: (not r.get("illustrative", False), r["label"], r["detail"]))


def _references(inputs: Iterable[Provenance]) -> list[dict[str, str]]:
    keys = sorted({key for p in inputs for key in p.refs})
    entries = bibliography()
    return [{"key": key, "citation": entries[key].full()} for key in keys if key in entries]


# --- TKDN ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Target:
    percent: float | None
    year: int
    given: bool


def tkdn_record(
    bom: BillOfMaterials,
    year: int,
    *,
    target: float | None = None,
    method: str | None = None,
) -> dict[str, Any]:
    """Compute and return the TKDN record of ``bom`` assessed in ``year``.

    Without ``target`` the target is the first threshold from ``year`` on that the vehicle
    misses, and the localisation is computed with that year's weights.
    """
    ref = tkdn_reference()
    result = compute_tkdn(bom, date(year, 1, 1), method=method)
    span = range(min(FIRST_YEAR, year), max(year, FIRST_YEAR) + YEARS_AHEAD + 1)
    rows = qualification_by_year(bom, span, method=method)
    goal = _target(rows, year, target)
    localisation = None
    if goal.percent is not None:
        base = (
            result if goal.year == year else compute_tkdn(bom, date(goal.year, 1, 1), method=method)
        )
        localisation = cheapest_localisation(base, goal.percent, method=method)
    inputs = _tkdn_inputs(result, rows, bom)
    return {
        "kind": "tkdn",
        "model": bom.model,
        "maker": bom.maker,
        "vehicle_class": bom.vehicle_class.value,
        "synthetic": bom.synthetic,
        "battery_kwh": bom.battery_kwh,
        "year": year,
        "method": {
            "id": result.method,
            "title_en": ref.method(result.method).title_en,
            "title_id": ref.method(result.method).title_id,
        },
        "tkdn_percent": result.percent,
        "aspects": _aspects(result),
        "components": _components(result),
        "items": [_item(s) for s in result.items],
        "composition": "published" if result.composition is not None else "bill_of_materials",
        "years": [_year_row(r) for r in rows],
        "target": {"percent": goal.percent, "year": goal.year, "given": goal.given},
        "localisation": _localisation(localisation) if localisation else None,
        "subsidy": {"amount_idr": ref.incentives.purchase_subsidy.amount_idr},
        "inputs": provenance_rows(inputs),
        "references": _references(inputs.values()),
    }


def _target(rows: Sequence[Qualification], year: int, target: float | None) -> _Target:
    if target is not None:
        return _Target(target, year, True)
    for row in rows:
        if row.year >= year and row.meets_threshold is False and row.threshold_percent:
            return _Target(float(row.threshold_percent), row.year, False)
    return _Target(None, year, False)


def _aspects(result: TkdnResult) -> list[dict[str, Any]]:
    return [
        {
            "aspect": a.aspect.value,
            "weight": float(a.weight),
            "points": float(a.points),
            "claimed": a.claimed,
        }
        for a in result.aspects()
    ]


def _components(result: TkdnResult) -> list[dict[str, Any]]:
    return [
        {
            "id": s.component.id,
            "name": s.component.name,
            "group": s.component.group.value,
            "max_points": float(s.max_points),
            "local_share": float(s.local_share),
            "points": float(s.points),
            "cost_idr": s.cost_idr,
            "domestic_cost_idr": s.domestic_cost_idr,
            "parts": [
                {
                    "name": p.name,
                    "cost_idr": p.cost_idr,
                    "origin": p.origin.value,
                    "local_share": float(p.share),
                    "maker": p.maker,
                }
                for p in s.parts
            ],
        }
        for s in result.components
    ]


def _item(score: Any) -> dict[str, Any]:
    return {
        "id": score.item.id,
        "aspect": score.item.aspect.value,
        "name": score.item.name,
        "max_points": float(score.max_points),
        "achieved": score.item.achieved,
        "points": float(score.points),
    }


def _year_row(row: Qualification) -> dict[str, Any]:
    return {
        "year": row.year,
        "tkdn_percent": float(row.tkdn_percent),
        "threshold_percent": float(row.threshold_percent) if row.threshold_percent else None,
        "meets_threshold": row.meets_threshold,
        "shortfall_points": float(row.shortfall_points),
        "subsidy_open": row.subsidy_open,
        "subsidy_eligible": row.subsidy_eligible,
        "fiscal_incentive": row.fiscal_incentive,
    }


def _localisation(found: Localisation) -> dict[str, Any]:
    return {
        "status": found.status.value,
        "before_percent": found.before.percent,
        "after_percent": float(found.after),
        "best_reachable_percent": float(found.best_reachable),
        "gap_points": float(found.gap_points),
        "cost_idr": found.cost_idr,
        "candidates": found.candidates,
        "chosen": [
            {
                "option": g.option.id,
                "target": g.option.target,
                "description": g.option.description,
                "from_share": float(g.current_share),
                "to_share": g.option.new_share,
                "points": float(g.points),
                "cost_idr": g.option.cost_idr,
                "cost_per_point_idr": g.cost_per_point,
            }
            for g in found.chosen
        ],
        "useless": [o.id for o in found.useless],
    }


def _tkdn_inputs(
    result: TkdnResult, rows: Sequence[Qualification], bom: BillOfMaterials
) -> dict[InputKey, Provenance]:
    ref = tkdn_reference()
    inputs: dict[InputKey, Provenance] = {
        (ASPECT_TEXT[a], ""): getattr(result.weights, a.value) for a in ASPECT_TEXT
    }
    for threshold in ref.thresholds[bom.vehicle_class]:
        span = f"{threshold.start}-{threshold.end or ''}"
        inputs[(N_("minimum TKDN (Perpres 79/2023)"), span)] = threshold
    inputs[(N_("purchase subsidy (Permenperin 6/2023)"), "")] = ref.incentives.purchase_subsidy
    floor = ref.incentives.fiscal_battery_floor.get(bom.vehicle_class)
    if floor is not None:
        inputs[(N_("battery floor for fiscal incentives"), "")] = floor
    if result.composition is not None:
        inputs[(N_("published component composition"), "")] = result.composition
    return inputs


# --- transition -------------------------------------------------------------------------------


def transition_record(
    scenario: TransitionScenario,
    to: int,
    *,
    suppliers: Sequence[Supplier] = (),
    eco: Ecosystem | None = None,
    start: int | None = None,
) -> dict[str, Any]:
    """Run the transition and return its record; ``eco`` links suppliers and lists makers."""
    catalogue = component_catalogue()
    notes: list[str] = []
    if eco is not None:
        linked, notes = link_to_ecosystem(suppliers, eco)
        suppliers = linked
    result = run_transition(scenario, to, start=start, suppliers=suppliers, catalogue=catalogue)
    years = result.years
    return {
        "kind": "transition",
        "scenario": scenario.name,
        "label_en": scenario.spec.label_en,
        "label_id": scenario.spec.label_id,
        "years": years.tolist(),
        "vehicles": {
            "domestic": result.vehicles.domestic.tolist(),
            "exports": result.vehicles.exports.tolist(),
            "electric_share": result.vehicles.electric_share.tolist(),
            "electric": result.vehicles.electric.tolist(),
            "conventional": result.vehicles.conventional.tolist(),
        },
        "components": _demand_rows(result, catalogue),
        "suppliers": [_impact(i, years.tolist()) for i in result.suppliers],
        "by_kbli": _groups(result.by_group("kbli")),
        "by_province": _groups(result.by_group("province")),
        "by_park": _groups(result.by_group("park")),
        "parts_makers": _makers(eco, catalogue) if eco is not None else [],
        "notes": notes,
        "inputs": provenance_rows(result.inputs),
        "references": _references(result.inputs.values()),
    }


def _demand_rows(result: Any, catalogue: ComponentCatalogue) -> list[dict[str, Any]]:
    rows = []
    for j, component_id in enumerate(result.components):
        component = catalogue.get(component_id)
        rows.append(
            {
                "id": component_id,
                "name_en": component.name_en,
                "name_id": component.name_id,
                "powertrain": component.powertrain.value,
                "kbli": component.kbli,
                "per_electric": result.boms.quantity(component_id, electric=True),
                "per_conventional": result.boms.quantity(component_id, electric=False),
                "demand": result.demand[:, j].tolist(),
                "baseline": result.baseline[:, j].tolist(),
                "change": _clean(result.demand[:, j] - result.baseline[:, j]).tolist(),
            }
        )
    return rows


def _impact(impact: SupplierImpact, years: list[int]) -> dict[str, Any]:
    supplier = impact.supplier
    array = np.array(years)
    return {
        "id": supplier.id,
        "name": supplier.name,
        "company_id": supplier.company_id,
        "park": supplier.park,
        "province": supplier.province,
        "kbli": list(supplier.kbli),
        "workers": supplier.workers,
        "workers_source": supplier.workers_source,
        "synthetic": supplier.synthetic,
        "components": [
            {
                "id": c.component,
                "share": c.share,
                "assumed": c.assumed,
                "baseline": c.baseline_units.tolist(),
                "scenario": c.scenario_units.tolist(),
            }
            for c in impact.components
        ],
        "baseline_sets": impact.baseline_sets.tolist(),
        "lost_sets": _clean(impact.lost_sets).tolist(),
        "gained_sets": _clean(impact.gained_sets).tolist(),
        "lost_share": impact.lost_share.tolist(),
        "jobs_at_risk": impact.jobs_at_risk.tolist() if impact.jobs_at_risk is not None else None,
        "jobs_basis": impact.jobs_basis,
        "first_year_losing": {
            f"{level:g}": impact.first_year_losing(array, level) for level in LOSS_LEVELS
        },
        "switch_to": [
            {"from": r.source, "to": r.to, "process_en": r.process_en, "process_id": r.process_id}
            for r in impact.switch_to
        ],
    }


def _groups(groups: Mapping[str, Any]) -> dict[str, list[float]]:
    return {name: _clean(values).tolist() for name, values in groups.items()}


def _clean(values: Any) -> Any:
    """Return ``values`` with round-off residues (below 1e-6 in size) set to exactly zero."""
    return np.where(np.abs(values) < 1e-6, 0.0, values)


def _makers(eco: Ecosystem, catalogue: ComponentCatalogue) -> list[dict[str, Any]]:
    return [
        {
            "company_id": m.company_id,
            "name": m.name,
            "park": m.park_id,
            "province": m.region_id,
            "kbli": list(m.kbli),
            "components": list(m.components),
            "related": m.related,
            "synthetic": m.synthetic,
        }
        for m in parts_makers(eco, catalogue)
    ]


# --- packs ------------------------------------------------------------------------------------


def packs_record(sharing: PackSharing) -> dict[str, Any]:
    """Return the record of a standard-vs-proprietary pack comparison."""

    def counts(count: Any) -> dict[str, Any]:
        return {
            "vehicle_packs": count.vehicle_packs,
            "station_packs": count.station_packs,
            "packs": count.packs,
            "cells": count.cells,
            "kwh": count.kwh,
            "metals_kg": count.metals_kg,
        }

    ref = pack_reference()
    return {
        "kind": "packs",
        "year": sharing.year,
        "standard": sharing.standard.value,
        "pack": {
            "id": sharing.voltage_class.id,
            "label_en": sharing.voltage_class.label_en,
            "label_id": sharing.voltage_class.label_id,
            "energy_kwh": sharing.voltage_class.energy_kwh,
            "stage": sharing.voltage_class.stage,
        },
        "cells_per_pack": sharing.shared.cells_per_pack,
        "swap_vehicles": sharing.swap_vehicles,
        "stations": sharing.stations,
        "shared": counts(sharing.shared),
        "proprietary": counts(sharing.proprietary),
        "avoided": {
            "packs": sharing.packs_avoided,
            "cells": sharing.cells_avoided,
            "kwh": sharing.kwh_avoided,
            "metals_kg": sharing.metals_avoided_kg,
        },
        "standards": [
            {
                "id": s.id,
                "title_en": s.title_en,
                "title_id": s.title_id,
                "mandatory": s.mandatory,
                "content_read": s.content_read,
            }
            for s in ref.standards
        ],
        "inputs": provenance_rows(sharing.inputs),
        "references": _references(sharing.inputs.values()),
    }
