"""Monte Carlo on the footprint explorer: start the background job, then draw its distribution.

A signed-in reader starts the same job as ``POST /api/v1/jobs`` (kind ``monte_carlo``) for the
product, route and scenario on screen; the explorer then follows it (the page reloads while it
is queued or running, as the jobs page does) and, once done, draws the job's histogram of the
draws with the median and the 95 % interval, with a table of the same figures. The numbers are
the job's result; the page computes nothing but the bar positions.
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from sinergi.i18n import N_, format_number, gettext
from sinergi.store.jobs import JobStatus
from sinergi.web.api.footprints import footprint_model
from sinergi.web.api.jobs import JobIn, JobKind, JobOut, get_job, start_job
from sinergi.web.deps import services
from sinergi.web.pages.context import check_csrf, page_language, page_principal
from sinergi.web.pages.routing import page_router

router = page_router()

#: Draws a reader may ask for on the page (the API allows 10 to 20,000).
ITERATION_CHOICES = (1000, 5000)

#: The seed of page runs: the same choices give the same distribution.
PAGE_SEED = 1

#: Seconds between reloads of the explorer while its job runs (as the jobs page).
REFRESH_S = 3

#: The percentiles the page shows (keys of the job result's ``percentiles``).
LOW, MEDIAN, HIGH = "2.5", "50.0", "97.5"


@router.post("/footprints/monte-carlo")
def start_footprint_monte_carlo(
    request: Request,
    product: Annotated[str, Form(max_length=100)],
    route: Annotated[str, Form(max_length=100)] = "",
    scenario: Annotated[str, Form(max_length=100)] = "",
    iterations: Annotated[int, Form()] = ITERATION_CHOICES[0],
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Start a Monte Carlo job for the explorer's product, route and scenario."""
    check_csrf(request, csrf)
    doc = footprint_model().inventory.doc
    lang = page_language(request)
    if (
        product not in doc.products
        or (route and route not in doc.routes)
        or (scenario and scenario not in doc.scenarios)
        or iterations not in ITERATION_CHOICES
    ):
        raise HTTPException(422, gettext(lang, N_("Choose the product, route and draws offered.")))
    body = JobIn(
        kind=JobKind.monte_carlo,
        product=product,
        route=route or None,
        scenario=scenario or None,
        iterations=iterations,
        seed=PAGE_SEED,
    )
    job = start_job(request, services(request), page_principal(request), body)
    query = urlencode({"product": product, "route": route, "scenario": scenario, "job": job.id})
    return RedirectResponse(f"/footprints?{query}#monte-carlo", status_code=303)


def _digits(value: float) -> int:
    """Return decimals that show about four significant digits of ``value``."""
    if value == 0 or not math.isfinite(value):
        return 0
    return max(0, 3 - math.floor(math.log10(abs(value))))


def histogram_chart(
    result: dict[str, Any], axis: str, draws: str, labels: dict[str, str]
) -> dict[str, Any]:
    """Return the job's histogram as bars, with lines at the median and the interval's ends."""
    edges, counts = result["histogram"]["edges"], result["histogram"]["counts"]
    centres = [(a + b) / 2 for a, b in pairwise(edges)]
    width = (edges[-1] - edges[0]) / max(1, len(counts))
    top = max(counts, default=0)
    marks = [
        (result["percentiles"][q], labels[q], dash)
        for q, dash in ((LOW, "dash"), (MEDIAN, "solid"), (HIGH, "dash"))
    ]
    return {
        "traces": [
            {
                "type": "bar",
                "x": centres,
                "y": counts,
                "width": [width * 0.95] * len(counts) if width > 0 else None,
                "name": draws,
                "marker": {"color": "#0b5c4a"},
                "hovertemplate": "%{x:,.4~r}: %{y}<extra></extra>",
            }
        ],
        "layout": {
            "margin": {"l": 60, "r": 10, "t": 30, "b": 60},
            "showlegend": False,
            "xaxis": {"title": {"text": axis}},
            "yaxis": {"title": {"text": draws}},
            "shapes": [
                {
                    "type": "line",
                    "x0": x,
                    "x1": x,
                    "y0": 0,
                    "y1": top,
                    "line": {"color": "#d55e00", "width": 2, "dash": dash},
                }
                for x, _label, dash in marks
            ],
            "annotations": [
                {"x": x, "y": top, "text": label, "showarrow": False, "yanchor": "bottom"}
                for x, label, _dash in marks
            ],
        },
    }


def monte_carlo_view(
    request: Request, job_id: str | None, shown: tuple[str, str | None, str | None], unit: str
) -> dict[str, Any] | None:
    """Return what the explorer shows of a Monte Carlo job (``None`` without one).

    ``running`` with the job's progress while it is queued or running; once done, the
    histogram chart, its bins as table rows and the median and 95 % interval in words. A
    job run for another product, route or scenario than ``shown`` is not drawn under it
    (``other``).
    """
    principal = page_principal(request)
    if job_id is None or principal.is_public:
        return None
    job: JobOut = get_job(request, services(request), principal, job_id)
    lang = page_language(request).value
    view: dict[str, Any] = {
        "job": job,
        "running": job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
        "other": False,
        "chart": None,
    }
    result = job.result if isinstance(job.result, dict) else {}
    if job.status is not JobStatus.DONE or "histogram" not in result:
        return view
    if (result.get("product"), result.get("route"), result.get("scenario")) != shown:
        return view | {"other": True}
    cents = result["percentiles"]
    digits = _digits(cents[MEDIAN])

    def show(value: float) -> str:
        return format_number(value, lang, digits)

    labels = {
        LOW: gettext(lang, N_("2.5th percentile")),
        MEDIAN: gettext(lang, N_("median")),
        HIGH: gettext(lang, N_("97.5th percentile")),
    }
    axis = gettext(lang, N_("Footprint ({unit})")).format(unit=unit)
    draws = gettext(lang, N_("Number of draws"))
    edges = result["histogram"]["edges"]
    view |= {
        "result": result,
        "chart": histogram_chart(result, axis, draws, labels),
        "chart_label": gettext(
            lang,
            N_(
                "Histogram of the Monte Carlo draws with the median and the 95 % interval "
                "marked; the tables below give the same figures."
            ),
        ),
        "bins": [
            (show(a), show(b), n)
            for (a, b), n in zip(pairwise(edges), result["histogram"]["counts"], strict=True)
        ],
        "summary": gettext(
            lang, N_("Median {median}; 95 % of the draws lie between {low} and {high} ({unit}).")
        ).format(
            median=show(cents[MEDIAN]), low=show(cents[LOW]), high=show(cents[HIGH]), unit=unit
        ),
        "figures": [(labels[q], show(cents[q])) for q in (LOW, MEDIAN, HIGH)]
        + [(gettext(lang, N_("mean")), show(result["mean"]))],
    }
    return view
