"""Battery and e-mobility: fleet forecast, recycling against the EU targets, swap sizing.

End of life and recovered metals are set against the EU Battery Regulation's targets; swap
stations are sized for the riders given. Each is recomputed on the server from the controls.

The figures come from the API's battery route functions (scenario data every reader may see);
the page only arranges them as charts and tables.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response

from sinergi.circularity.eu_targets import VERDICT_TEXT, Verdict
from sinergi.circularity.scenarios import default_scenarios
from sinergi.i18n import N_, gettext
from sinergi.web.api.battery import (
    MAX_RIDERS_PER_STATION,
    MAX_STATIONS,
    RecyclingRoute,
    SwapStandard,
    battery_forecast,
    battery_recycling,
    battery_swap,
)
from sinergi.web.deps import services
from sinergi.web.pages.context import page_language, page_principal, render
from sinergi.web.pages.routing import page_router

router = page_router()

#: Words for the recycling routes.
ROUTE_WORDS: dict[str, str] = {
    RecyclingRoute.hydro.value: N_("hydrometallurgical"),
    RecyclingRoute.pyro.value: N_("pyrometallurgical"),
}


def line_chart(years: list[int], series: dict[str, list[float]], axis: str) -> dict[str, Any]:
    """Return a Plotly line chart of yearly series (one line per name)."""
    traces = [
        {"type": "scatter", "mode": "lines", "name": name, "x": years, "y": values}
        for name, values in series.items()
    ]
    layout = {
        "margin": {"l": 70, "r": 10, "t": 10, "b": 40},
        "yaxis": {"title": {"text": axis}, "rangemode": "tozero"},
        "xaxis": {"title": {"text": ""}},
        "legend": {"orientation": "h", "y": -0.2},
    }
    return {"traces": traces, "layout": layout}


def fleet_chart(record: dict[str, Any], lang: str) -> dict[str, Any]:
    """Return packs in use by vehicle type."""
    labels = record["vehicle_labels"]
    series = {
        labels[v][lang]: data["packs"]["stock"] for v, data in record["by_vehicle_type"].items()
    }
    return line_chart(record["years"], series, gettext(lang, N_("packs in use")))


def metal_chart(record: dict[str, Any], lang: str) -> dict[str, Any]:
    """Return recovered metals by element, in tonnes per year."""
    axis = gettext(lang, N_("recovered (t per year)"))
    return line_chart(record["years"], dict(record["recovered_t"]), axis)


def verdict_words(code: str) -> str:
    """Return the catalogue message for a verdict code."""
    return VERDICT_TEXT[Verdict(code)]


@router.get("/battery")
def battery_page(
    request: Request,
    scenario: Annotated[str, Query(max_length=100)] = "government-targets",
    to: Annotated[int, Query(ge=2030, le=2060)] = 2045,
    route: RecyclingRoute = RecyclingRoute.hydro,
    riders: Annotated[int, Query(ge=1, le=MAX_RIDERS_PER_STATION * MAX_STATIONS)] = 1000,
    stations: Annotated[int, Query(ge=1, le=MAX_STATIONS)] = 2,
    target_wait: Annotated[float, Query(gt=0, lt=1)] = 0.05,
    standard: SwapStandard = SwapStandard.shared,
) -> Response:
    """Show the forecast, recycling and swap sizing for the chosen controls."""
    svc, principal = services(request), page_principal(request)
    lang = page_language(request).value
    scenarios = default_scenarios().scenarios
    chosen = scenario if scenario in scenarios else "government-targets"
    fleet = battery_forecast(request, svc, principal, chosen, to)
    recycled = battery_recycling(request, svc, principal, chosen, route, None, to)
    riders = min(riders, MAX_RIDERS_PER_STATION * stations)
    swap = battery_swap(request, svc, principal, riders, stations, target_wait, standard)
    return render(
        request,
        "battery.html",
        active="battery",
        scenarios={
            k: (v.description_id if lang == "id" else v.description) for k, v in scenarios.items()
        },
        scenario=chosen,
        to=to,
        route=route.value,
        routes=ROUTE_WORDS,
        riders=riders,
        stations=stations,
        target_wait=target_wait,
        standard=standard.value,
        fleet=fleet,
        recycled=recycled,
        swap=swap,
        fleet_chart=fleet_chart(fleet, lang),
        metal_chart=metal_chart(recycled, lang),
        verdict=verdict_words,
        max_riders=MAX_RIDERS_PER_STATION,
        max_stations=MAX_STATIONS,
    )
