"""``/parks/…/assessment``, ``/parks/…/assessment-inputs`` and ``/assessments/compare``.

An assessment loads only the park it is about (never the national network) and says which
data state it used: with ``approved_only=true`` the period's flows of companies whose data is
not approved (or locked) are left out, and the answer counts the companies in each state.
Reports come as JSON, HTML, PDF or XLSX in the caller's language.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from sinergi.assess.compare import compare, trend
from sinergi.assess.engine import Judgement, assess, assess_all
from sinergi.assess.gaps import gaps
from sinergi.assess.judgements import check_judgements
from sinergi.assess.packs import Pack, load_profile
from sinergi.model.period import Period
from sinergi.model.submissions import approved_only as restrict
from sinergi.reports.assessment import assessment_dict, assessment_html, assessment_pdf
from sinergi.reports.assessment_xlsx import assessment_xlsx
from sinergi.reports.judgement_form import read_form
from sinergi.store import audit, reads
from sinergi.store import submissions as subs
from sinergi.web.api.imports import save_upload
from sinergi.web.api.parks import _require_park
from sinergi.web.deps import OPTIONAL_AUTH, Caller, ParkPath, ServicesDep, authorise, store_for
from sinergi.web.packs import pack_for
from sinergi.web.park_figures import per_park
from sinergi.web.policy import Action, Decision, decide
from sinergi.web.problems import language_of

router = APIRouter(tags=["assessments"])

PERIOD_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2]))?$"
STANDARD_PATTERN = r"^[a-z0-9][a-z0-9.-]{0,80}$"
PROFILE_PATTERN = r"^[a-z]{2}$"
PeriodParam = Annotated[str, Query(pattern=PERIOD_PATTERN)]
Standard = Annotated[str, Query(pattern=STANDARD_PATTERN)]
Profile = Annotated[str, Query(pattern=PROFILE_PATTERN)]

#: What a judgements upload may be: the XLSX form or its YAML twin.
_FORMS = frozenset({".xlsx", ".yaml", ".yml"})


class ReportFormat(StrEnum):
    """How an assessment is returned."""

    json = "json"
    html = "html"
    pdf = "pdf"
    xlsx = "xlsx"


#: The media type of an XLSX workbook.
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    responses={200: {"content": {"text/html": {}, "application/pdf": {}, XLSX_TYPE: {}}}},
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
    asked = _Asked(park_id, Period.parse(period), standard, profile, approved_only)
    pack = pack_for(svc.store, standard)
    return _answer(request, _assessment(svc, asked, pack, None, language_of(request).value), format)


@router.post(
    "/parks/{park_id}/assessment",
    operation_id="park_assessment_with_judgements",
    responses={200: {"content": {"text/html": {}, "application/pdf": {}, XLSX_TYPE: {}}}},
)
async def park_assessment_with_judgements(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    park_id: ParkPath,
    judgements: Annotated[UploadFile, File(description="The judgements form (.xlsx or .yaml)")],
    period: Annotated[str, Form(pattern=PERIOD_PATTERN)] = "2024",
    standard: Annotated[str, Form(pattern=STANDARD_PATTERN)] = "permenperin-26-2025",
    profile: Annotated[str, Form(pattern=PROFILE_PATTERN)] = "id",
    approved_only: Annotated[bool, Form()] = False,
    format: Annotated[ReportFormat, Form()] = ReportFormat.json,  # noqa: A002
) -> Any:
    """Assess one park with an assessor's judgements (consultant of the park).

    The form must be for this park, period and standard (checked row by row, every problem
    located; nothing is applied otherwise). Applying it appends a ``judgements.apply`` entry
    to the audit ledger with the file's SHA-256 as evidence.
    """
    _require_park(request, svc, park_id)
    authorise(request, principal, Action.JUDGE, park_id)
    asked = _Asked(park_id, Period.parse(period), standard, profile, approved_only)
    with tempfile.TemporaryDirectory(prefix="sinergi-judgements-") as tmp:
        path = await save_upload(
            judgements,
            Path(tmp),
            svc.settings.upload_max_bytes,
            language_of(request),
            _FORMS,
            keep_name=True,
        )
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        doc = read_form(path)
    pack = pack_for(svc.store, standard)
    judged = check_judgements(doc, pack, park_id, asked.period)
    data = _assessment(svc, asked, pack, judged, language_of(request).value)
    store = store_for(svc, principal)
    with store.transaction() as conn:
        entry = audit.append(
            conn,
            store.actor,
            "judgements.apply",
            "assessment",
            f"{park_id}/{asked.period}/{standard}",
            evidence_sha256=digest,
            detail={"criteria": sorted(judged)},
        )
    data["judgements"] = {"sha256": digest, "criteria": len(judged), "audit_entry": entry.seq}
    return _answer(request, data, format)


@dataclass(frozen=True, slots=True)
class _Asked:
    park_id: str
    period: Period
    standard: str
    profile: str
    approved_only: bool


def _assessment(
    svc: ServicesDep, asked: _Asked, pack: Pack, judged: dict[str, Judgement] | None, lang: str
) -> dict[str, Any]:
    """Assess the park as asked; the data (criteria, gaps, verdict) in the reader's language."""
    prof = load_profile(pack, asked.profile)
    eco = svc.store.load([asked.park_id])
    state = _data_state(svc, asked.park_id, str(asked.period), eco)
    if asked.approved_only:
        eco = restrict(eco, asked.period, frozenset(state["approved"]))
    current = assess(eco, asked.park_id, asked.period, pack, profile=prof, judgements=judged)
    history = trend(eco, asked.park_id, pack, asked.period, profile=prof)
    data = assessment_dict(current, pack, gaps(current, pack, eco), eco, history, lang=lang)
    data["data_state"] = {**state, "approved_only": asked.approved_only}
    return data


def _answer(request: Request, data: dict[str, Any], format: ReportFormat) -> Any:  # noqa: A002
    if format is ReportFormat.json:
        return data
    if format is ReportFormat.xlsx:
        return Response(assessment_xlsx(data), media_type=XLSX_TYPE)
    html = assessment_html(data, language_of(request).value)
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


class Summary(BaseModel):
    """How much of a standard a park's latest year could be assessed against (no criteria)."""

    park_id: str
    period: str
    coverage: float
    assessed: int
    encoded: int
    complete: bool


@router.get(
    "/assessments/summaries", operation_id="assessment_summaries", openapi_extra=OPTIONAL_AUTH
)
def assessment_summaries(
    svc: ServicesDep,
    principal: Caller,
    standard: Standard = "permenperin-26-2025",
    profile: Profile = "id",
) -> list[Summary]:
    """Summarise every park the caller may assess, for the year of its latest period.

    The figures are those of ``GET /parks/{id}/assessment`` for that park and year (all
    companies' data, no judgements). They are kept per park at the park's data version
    (:mod:`sinergi.web.park_figures`): only parks written since are assessed again, all of
    a year in one read; the national page shows them for 150 parks at once.
    """
    pack = pack_for(svc.store, standard)
    prof = load_profile(pack, profile)
    latest: dict[str, Period] = {}

    def parks() -> list[str]:
        # read after the versions (per_park): the year assessed is never older than them
        for park in svc.store.park_summaries():
            if park.periods and decide(principal, Action.ASSESS, park.id) is Decision.ALLOWED:
                latest[park.id] = Period(park.periods[-1].year)
        return sorted(latest)

    def compute(stale: list[str]) -> dict[str, Any]:
        years: dict[Period, list[str]] = {}
        for park_id in stale:
            years.setdefault(latest[park_id], []).append(park_id)
        made: dict[str, Any] = {}
        for year, park_ids in years.items():
            for park_id, eco in svc.store.load_each(park_ids, year).items():
                a = assess(eco, park_id, year, pack, profile=prof)
                made[park_id] = Summary(
                    park_id=park_id,
                    period=str(year),
                    coverage=a.coverage,
                    assessed=a.assessed,
                    encoded=len(a.criteria),
                    complete=a.complete,
                ).model_dump()
        return made

    key = f"{standard}|{profile}|{_digest(pack)}"
    found = per_park(svc, "assessment-summary", key, parks, compute)
    return [Summary.model_validate(found[p]) for p in sorted(found)]


def _digest(pack: Pack) -> str:
    """Return a short digest of a pack's content: a new version gives new summaries."""
    return hashlib.sha256(pack.model_dump_json().encode()).hexdigest()[:32]


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
    pack = pack_for(svc.store, standard)
    prof = load_profile(pack, profile)
    eco = svc.store.load(park)
    results = []
    for p in period:
        results += list(assess_all(eco, Period.parse(p), pack, profile=prof).values())
    return [asdict(r) for r in compare(results)]
