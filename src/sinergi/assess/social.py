"""Land-use, social and economic indicators, and data coverage.

Records are summed over the companies that reported the fields an indicator needs; the
share of tenants that did is given in ``detail['reporting_tenants']`` so a value built on
a few tenants is visible as such.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sinergi.assess.indicator import IndicatorResult, IndicatorStatus, insufficient, share_result
from sinergi.assess.messages import Msg, msg
from sinergi.assess.view import ParkView
from sinergi.i18n import N_
from sinergi.model import LandUse
from sinergi.reference.factors import Factors

#: Hours basis of the lost-time injury frequency rate (injuries per million hours worked).
LTIFR_HOURS_BASIS = 1_000_000.0


#: How each land-use category is named in a sentence.
LAND_USE_WORDS: dict[LandUse, str] = {
    LandUse.INDUSTRIAL_PLOTS: N_("industrial plots (kavling industri)"),
    LandUse.GREEN_OPEN_SPACE: N_("green open space (RTH)"),
    LandUse.ROADS_AND_DRAINS: N_("roads and drains"),
    LandUse.UTILITIES: N_("utilities"),
    LandUse.OTHER: N_("other land use"),
}


def _land_share(category: LandUse) -> Callable[[ParkView, Factors], IndicatorResult]:
    ind = f"{category.value}_share"

    def compute(view: ParkView, factors: Factors) -> IndicatorResult:
        park = view.eco.parks[view.park_id]
        if park.area_ha is None or park.area_ha <= 0:
            return insufficient(
                ind, "%", msg(N_("the park's total area is not reported (Parks sheet, Total area)"))
            )
        if category not in park.land_use_ha:
            return insufficient(
                ind,
                "%",
                msg(
                    N_("the area of {category} is not reported (LandUse sheet)"),
                    category=msg(LAND_USE_WORDS[category]),
                ),
            )
        area = park.land_use_ha[category]
        return share_result(ind, [area], [park.area_ha], 1, quantity_unit="ha")

    compute.__doc__ = f"Return {category.value.replace('_', ' ')} as a share of park area."
    return compute


industrial_plots_share = _land_share(LandUse.INDUSTRIAL_PLOTS)
green_open_space_share = _land_share(LandUse.GREEN_OPEN_SPACE)
roads_and_drains_share = _land_share(LandUse.ROADS_AND_DRAINS)


def _records(view: ParkView, name: str) -> list[Any]:
    """Return the period's records of one kind that belong to the park's tenants."""
    return [r for r in view.records.get(name, ()) if getattr(r, "company_id", None)]


def _tenants(view: ParkView) -> int:
    return len(set(view.company_of.values()))


def _headcount(record: object) -> int | None:
    female, male = getattr(record, "female", None), getattr(record, "male", None)
    if female is not None and male is not None:
        return int(female + male)
    local, non_local = getattr(record, "local", None), getattr(record, "non_local", None)
    if local is not None and non_local is not None:
        return int(local + non_local)
    return None


def jobs(view: ParkView, factors: Factors) -> IndicatorResult:
    """Direct jobs in the park: headcount summed over tenants that reported it."""
    counts = [h for r in _records(view, "workforce") if (h := _headcount(r)) is not None]
    if not counts:
        return insufficient(
            "jobs", "workers", msg(N_("no workforce headcount is reported (Workforce sheet)"))
        )
    return IndicatorResult(
        "jobs",
        float(sum(counts)),
        "workers",
        IndicatorStatus.OK,
        detail={"reporting_tenants": len(counts), "tenants": _tenants(view)},
        rows=len(counts),
    )


def _ratio(
    ind: str,
    name: str,
    part: str,
    whole: Callable[[object], float | None],
    view: ParkView,
    missing: Msg,
    unit: str,
) -> IndicatorResult:
    pairs = [
        (float(getattr(r, part)), w)
        for r in _records(view, name)
        if getattr(r, part) is not None and (w := whole(r)) is not None
    ]
    total = sum(w for _, w in pairs)
    if not pairs or total == 0:
        return insufficient(ind, "%", missing)
    return share_result(
        ind,
        [p for p, _ in pairs],
        [w for _, w in pairs],
        len(pairs),
        extra={"reporting_tenants": len(pairs)},
        quantity_unit=unit,
    )


def female_share(view: ParkView, factors: Factors) -> IndicatorResult:
    """Women as a share of the workforce of reporting tenants."""

    def whole(r: object) -> float | None:
        f, m = getattr(r, "female", None), getattr(r, "male", None)
        return None if f is None or m is None else float(f + m)

    return _ratio(
        "female_share",
        "workforce",
        "female",
        whole,
        view,
        msg(N_("no tenant reports female and male workers (Workforce sheet)")),
        "workers",
    )


def local_employment_share(view: ParkView, factors: Factors) -> IndicatorResult:
    """Local workers as a share of the workforce of reporting tenants."""

    def whole(r: object) -> float | None:
        loc, non = getattr(r, "local", None), getattr(r, "non_local", None)
        return None if loc is None or non is None else float(loc + non)

    return _ratio(
        "local_employment_share",
        "workforce",
        "local",
        whole,
        view,
        msg(N_("no tenant reports local and non-local workers (Workforce sheet)")),
        "workers",
    )


def ltifr(view: ParkView, factors: Factors) -> IndicatorResult:
    """Lost-time injuries per million hours worked, over tenants reporting both."""
    rows = [
        r
        for r in _records(view, "safety")
        if getattr(r, "lost_time_injuries", None) is not None and getattr(r, "hours_worked", None)
    ]
    if not rows:
        return insufficient(
            "ltifr",
            "per 1,000,000 h",
            msg(N_("no tenant reports lost-time injuries with hours worked (Safety sheet)")),
        )
    injuries = sum(r.lost_time_injuries for r in rows)
    hours = sum(r.hours_worked for r in rows)
    return IndicatorResult(
        "ltifr",
        injuries * LTIFR_HOURS_BASIS / hours,
        "per 1,000,000 h",
        IndicatorStatus.OK,
        detail={"injuries": float(injuries), "hours": hours, "reporting_tenants": len(rows)},
        rows=len(rows),
    )


def training_hours_per_worker(view: ParkView, factors: Factors) -> IndicatorResult:
    """Training hours per worker, over tenants reporting training hours and headcount."""
    heads = {r.company_id: _headcount(r) for r in _records(view, "workforce")}
    pairs = [
        (r.training_hours, heads[r.company_id])
        for r in _records(view, "training")
        if getattr(r, "training_hours", None) is not None and heads.get(r.company_id)
    ]
    if not pairs:
        return insufficient(
            "training_hours_per_worker",
            "h/worker",
            msg(
                N_("no tenant reports training hours and a headcount (Training, Workforce sheets)")
            ),
        )
    hours = sum(h for h, _ in pairs)
    workers = sum(w or 0 for _, w in pairs)
    return IndicatorResult(
        "training_hours_per_worker",
        hours / workers,
        "h/worker",
        IndicatorStatus.OK,
        detail={"hours": hours, "workers": float(workers), "reporting_tenants": len(pairs)},
        rows=len(pairs),
    )


def _procurement_share(ind: str, part: str, view: ParkView, missing: Msg) -> IndicatorResult:
    total = lambda r: getattr(r, "total_idr", None)  # noqa: E731
    return _ratio(ind, "procurement", part, total, view, missing, "IDR")


def local_procurement_share(view: ParkView, factors: Factors) -> IndicatorResult:
    """Spending with local suppliers as a share of total procurement of reporting tenants."""
    return _procurement_share(
        "local_procurement_share",
        "local_idr",
        view,
        msg(N_("no tenant reports local and total procurement (Procurement sheet)")),
    )


def sme_procurement_share(view: ParkView, factors: Factors) -> IndicatorResult:
    """Spending with SMEs as a share of total procurement of reporting tenants."""
    return _procurement_share(
        "sme_procurement_share",
        "sme_idr",
        view,
        msg(N_("no tenant reports SME and total procurement (Procurement sheet)")),
    )


def reporting_coverage(view: ParkView, factors: Factors) -> IndicatorResult:
    """Share of tenants with at least one flow reported in the period (data coverage)."""
    tenants = _tenants(view)
    if tenants == 0:
        return insufficient(
            "reporting_coverage",
            "%",
            msg(N_("the park has no tenants in the data (Companies sheet)")),
        )
    reporting = {
        view.company_of[n] for f in view.flows for n in (f.source, f.target) if n in view.company_of
    }
    return share_result(
        "reporting_coverage",
        [float(len(reporting))],
        [float(tenants)],
        len(reporting),
        quantity_unit="tenants",
    )
