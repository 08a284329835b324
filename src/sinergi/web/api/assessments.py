"""``/parks/…/assessment``, ``/parks/…/assessment-inputs`` and ``/assessments/compare``.

An assessment loads only the park it is about (never the national network) and says which
data state it used: with ``approved_only=true`` the period's flows of companies whose data is
not approved (or locked) are left out, and the answer counts the companies in each state.
Reports come as JSON, HTML or PDF in the caller's language.
"""

from __future__ import annotations

from dataclasses import asdict
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from sinergi.assess.compare import compare, trend
from sinergi.assess.engine import assess, assess_all
from sinergi.assess.gaps import gaps
from sinergi.assess.packs import load_pack, load_profile
from sinergi.model.period import Period
from sinergi.model.submissions import approved_only as restrict
from sinergi.reports.assessment import assessment_dict, assessment_html, assessment_pdf
from sinergi.store import reads
from sinergi.store import submissions as subs
from sinergi.web.api.parks import _require_park
from sinergi.web.deps import Caller, ParkPath, ServicesDep, authorise
from sinergi.web.policy import Action
from sinergi.web.problems import language_of

router = APIRouter(tags=["assessments"])

PeriodParam = Annotated[str, Query(pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$")]
Standard = Annotated[str, Query(pattern=r"^[a-z0-9][a-z0-9.-]{0,80}$")]
Profile = Annotated[str, Query(pattern=r"^[a-z]{2}$")]


class ReportFormat(StrEnum):
    """How an assessment is returned."""

    json = "json"
    html = "html"
    pdf = "pdf"


class Inputs(BaseModel):
    """What an assessment of one park and period reads."""

    park_id: str
    period: str
    companies: int
    members: int
    flows: int
    records: dict[str, int]
    by_commodity: dict[str, float]


def _data_state(svc: ServicesDep, park_id: str, period: str, eco: Any) -> dict[str, Any]:
    with svc.store.reading() as conn:
        states = subs.data_states(conn, park_id, period)
        approved = subs.approved_companies(conn, park_id, period)
    tenants = [c for c in eco.companies.values() if c.park_id == park_id]
    counts: dict[str, int] = {}
    for status in states.values():
        counts[str(status)] = counts.get(str(status), 0) + 1
    return {
        "companies": len(tenants),
        "by_status": counts,
        "without_submission": sum(1 for c in tenants if c.id not in states),
        "approved": sorted(approved),
    }


@router.get(
    "/parks/{park_id}/assessment",
    operation_id="park_assessment",
    responses={200: {"content": {"text/html": {}, "application/pdf": {}}}},
)
def park_assessment(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    park_id: ParkPath,
    period: PeriodParam = "2024",
    standard: Standard = "permenperin-26-2025",
    profile: Profile = "id",
    approved_only: bool = False,
    format: ReportFormat = ReportFormat.json,  # noqa: A002 - the query parameter's name
) -> Any:
    """Assess one park against a standard; say which data state was used."""
    _require_park(request, svc, park_id)
    authorise(request, principal, Action.ASSESS, park_id)
    when = Period.parse(period)
    pack = load_pack(standard)
    prof = load_profile(pack, profile)
    eco = svc.store.load([park_id])
    state = _data_state(svc, park_id, period, eco)
    if approved_only:
        eco = restrict(eco, when, frozenset(state["approved"]))
    current = assess(eco, park_id, when, pack, profile=prof)
    history = trend(eco, park_id, pack, when, profile=prof)
    lang = language_of(request).value
    data = assessment_dict(current, pack, gaps(current, pack, eco), eco, history, lang=lang)
    data["data_state"] = {**state, "approved_only": approved_only}
    if format is ReportFormat.json:
        return data
    html = assessment_html(data, lang)
    if format is ReportFormat.html:
        return HTMLResponse(html)
    return Response(assessment_pdf(html), media_type="application/pdf")


@router.get("/parks/{park_id}/assessment-inputs", operation_id="assessment_inputs")
def assessment_inputs(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    park_id: ParkPath,
    period: PeriodParam = "2024",
) -> Inputs:
    """Return what an assessment of one park reads (counted in the database, no load)."""
    _require_park(request, svc, park_id)
    authorise(request, principal, Action.ASSESS, park_id)
    with svc.store.reading() as conn:
        return Inputs.model_validate(reads.assessment_inputs(conn, park_id, period))


@router.get("/assessments/compare", operation_id="compare_assessments")
def compare_assessments(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    park: Annotated[list[str], Query(min_length=1, max_length=50)],
    period: Annotated[list[PeriodParam], Query(max_length=10)] = ["2024"],  # noqa: B006
    standard: Standard = "permenperin-26-2025",
    profile: Profile = "id",
) -> list[dict[str, Any]]:
    """Compare parks (and periods) side by side: share of criteria met per category."""
    for park_id in park:
        _require_park(request, svc, park_id)
        authorise(request, principal, Action.ASSESS, park_id)
    pack = load_pack(standard)
    prof = load_profile(pack, profile)
    eco = svc.store.load(park)
    results = []
    for p in period:
        results += list(assess_all(eco, Period.parse(p), pack, profile=prof).values())
    return [asdict(r) for r in compare(results)]
