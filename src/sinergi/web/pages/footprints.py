"""The footprint explorer: a product's carbon footprint by nickel route, compared side by side.

Footprints come from the shared footprint model of the API (the shipped Indonesian route
inventories; reference data every reader may see). The functional unit is stated with every
figure; contributions by life-cycle stage are charted for each route, and the supply chain
of the chosen route is drawn as a Sankey diagram weighted by CO2e.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response

from sinergi.errors import SinergiError
from sinergi.footprint.results import FootprintResult
from sinergi.i18n import N_, gettext
from sinergi.web.api.footprints import _MODEL_LOCK, footprint_model
from sinergi.web.deps import authorise
from sinergi.web.pages.context import page_language, page_principal, render
from sinergi.web.pages.monte_carlo import ITERATION_CHOICES, REFRESH_S, monte_carlo_view
from sinergi.web.pages.routing import page_router
from sinergi.web.policy import Action

router = page_router()

#: The route a product's default inventory uses, as a choice beside the named routes.
DEFAULT_ROUTE = ""

Name = Annotated[str | None, Query(max_length=100)]


def _result(product: str, route: str | None, scenario: str | None) -> FootprintResult:
    model = footprint_model()
    with _MODEL_LOCK:
        return model.footprint(product, route=route or None, scenario=scenario or None)


def route_row(result: FootprintResult, lang: str, label: str) -> dict[str, Any]:
    """Return one route's footprint as a row: score, unit, completeness, stages."""
    data: dict[str, Any] = result.to_dict(lang)
    return {
        "label": label,
        "score": data["score_t_co2e"],
        "unit": data["score_unit"],
        "functional_unit": data["functional_unit"],
        "complete": data["complete"],
        "lower_bound": data["lower_bound"],
        "illustrative_share": data["illustrative_share"],
        "stages": {
            result.stage_name(k, lang): v for k, v in data["contributions"]["by_stage"].items()
        },
        "missing": data["missing"],
        "data": data,
    }


def stage_chart(rows: list[dict[str, Any]], axis: str) -> dict[str, Any]:
    """Return a stacked bar chart of contributions by stage, one bar per route."""
    stages = sorted({s for r in rows for s in r["stages"]})
    traces = [
        {
            "type": "bar",
            "name": stage,
            "x": [r["label"] for r in rows],
            "y": [r["stages"].get(stage, 0.0) for r in rows],
        }
        for stage in stages
    ]
    layout = {
        "barmode": "relative",
        "margin": {"l": 60, "r": 10, "t": 10, "b": 60},
        "yaxis": {"title": {"text": axis}},
        "legend": {"orientation": "h", "y": -0.25},
    }
    return {"traces": traces, "layout": layout}


def supply_sankey(result: FootprintResult, lang: str) -> dict[str, Any]:
    """Return the supply chain as a Sankey weighted by the CO2e each link carries."""
    data = result.to_dict(lang)["sankey"]
    index = {n["id"]: i for i, n in enumerate(data["nodes"])}
    links = [link for link in data["links"] if link["co2e_t"] > 0]
    return {
        "nodes": [n["label"][lang] for n in data["nodes"]],
        "node_colours": ["#4d5761"] * len(data["nodes"]),
        "links": {
            "source": [index[link["source"]] for link in links],
            "target": [index[link["target"]] for link in links],
            "value": [link["co2e_t"] for link in links],
            "label": [f"{link['amount']:.4g} {link['unit']}" for link in links],
            "colour": ["rgba(213,94,0,0.4)"] * len(links),
            "unit": ["t CO2e"] * len(links),
        },
    }


@router.get("/footprints")
def footprints_page(
    request: Request,
    product: Name = None,
    scenario: Name = None,
    route: Name = None,
    job: Annotated[str | None, Query(pattern=r"^[0-9a-f]{32}$")] = None,
) -> Response:
    """Compare one product's footprint across the nickel routes (and a scenario)."""
    authorise(request, page_principal(request), Action.REFERENCE)
    lang = page_language(request).value
    doc = footprint_model().inventory.doc
    chosen = product if product in doc.products else next(iter(doc.products))
    wanted = scenario if scenario in doc.scenarios else None
    routes = {DEFAULT_ROUTE: gettext(lang, N_("product's own route"))} | {
        k: v.label.in_(lang) for k, v in doc.routes.items()
    }
    rows, refused = [], []
    for key, label in routes.items():
        try:
            rows.append(route_row(_result(chosen, key, wanted), lang, label))
        except SinergiError as exc:
            refused.append((label, exc.localised(lang)))
    focus = route if route in routes else DEFAULT_ROUTE
    sankey = None
    try:
        sankey = supply_sankey(_result(chosen, focus, wanted), lang)
    except SinergiError:
        sankey = None
    unit = rows[0]["unit"] if rows else ""
    shown = (chosen, focus or None, wanted)
    monte_carlo = monte_carlo_view(request, job, shown, unit) if rows else None
    return render(
        request,
        "footprints.html",
        active="footprints",
        products={k: v.label.in_(lang) for k, v in doc.products.items()},
        scenarios={k: v.label.in_(lang) for k, v in doc.scenarios.items()},
        routes=routes,
        product=chosen,
        scenario=wanted,
        route=focus,
        rows=rows,
        refused=refused,
        chart=stage_chart(rows, unit),
        sankey=sankey,
        monte_carlo=monte_carlo,
        iteration_choices=ITERATION_CHOICES,
        refresh=REFRESH_S if monte_carlo and monte_carlo["running"] else None,
    )
