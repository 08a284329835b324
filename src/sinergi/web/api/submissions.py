"""``/submissions``: a tenant's period data and its review (draft → … → locked).

Every change names the ``row_version`` the caller saw; if someone else acted first the answer
is 409 and nothing is lost: the first decision stands and the second caller reloads. Locked
data refuses edits (409); a correction is a new version with a reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from sinergi.model.accounts import Principal, Role
from sinergi.model.flows import DataQuality
from sinergi.model.submissions import SubmissionStatus
from sinergi.store import submissions as subs
from sinergi.store.audit import append
from sinergi.web.deps import (
    Caller,
    ServicesDep,
    authorise,
    authorise_somewhere,
    not_found_text,
    store_for,
    utc,
)
from sinergi.web.policy import Action, Decision, decide, own_companies, parks_seen
from sinergi.web.problems import language_of

router = APIRouter(tags=["submissions"])

SubmissionId = Annotated[int, Path(ge=1, le=2**62)]
NodeId = Annotated[str, Field(min_length=1, max_length=200)]


class FlowIn(BaseModel):
    """One flow of the company's period data, in the commodity's canonical unit."""

    model_config = ConfigDict(extra="forbid")

    source: NodeId
    target: NodeId
    commodity: Annotated[str, Field(min_length=1, max_length=100)]
    quantity: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None
    quality: DataQuality = DataQuality.MEASURED
    evidence: Annotated[str, Field(max_length=500)] | None = None


class SubmissionIn(BaseModel):
    """A new submission: the company, the period and its flows."""

    model_config = ConfigDict(extra="forbid")

    company_id: NodeId
    period: Annotated[str, Field(pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$")]
    flows: Annotated[list[FlowIn], Field(max_length=5000)] = []


class FlowsIn(BaseModel):
    """New flows for a draft or returned submission, with the version the caller saw."""

    model_config = ConfigDict(extra="forbid")

    row_version: Annotated[int, Field(ge=1)]
    flows: Annotated[list[FlowIn], Field(max_length=5000)]


class MoveIn(BaseModel):
    """A workflow move: the new status, a comment (required to return) and the version seen."""

    model_config = ConfigDict(extra="forbid")

    to: SubmissionStatus
    row_version: Annotated[int, Field(ge=1)]
    comment: Annotated[str, Field(max_length=2000)] | None = None


class CorrectionIn(BaseModel):
    """Why locked data needs a new version."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(min_length=3, max_length=2000)]


class AttestationIn(BaseModel):
    """A verifier's statement about a submission."""

    model_config = ConfigDict(extra="forbid")

    statement: Annotated[str, Field(min_length=3, max_length=2000)]


class FlowOut(BaseModel):
    """One flow of a submission."""

    source: str
    target: str
    commodity: str
    quantity: float | None
    quality: str
    evidence: str | None


class SubmissionOut(BaseModel):
    """One version of a company's period data and where it stands."""

    id: int
    company_id: str
    park_id: str
    period: str
    version: int
    status: SubmissionStatus
    flows: list[FlowOut]
    data_sha256: str
    reason: str | None
    supersedes: int | None
    row_version: int
    created_by: str
    created_at: datetime
    updated_at: datetime


class EventOut(BaseModel):
    """One move of a submission."""

    at: datetime
    actor: str
    from_status: SubmissionStatus | None
    to_status: SubmissionStatus
    comment: str | None


def _out(sub: subs.Submission) -> SubmissionOut:
    return SubmissionOut(
        id=sub.id,
        company_id=sub.company_id,
        park_id=sub.park_id,
        period=sub.period,
        version=sub.version,
        status=sub.status,
        flows=[FlowOut.model_validate(dict(f)) for f in sub.flows],
        data_sha256=sub.data_sha256,
        reason=sub.reason,
        supersedes=sub.supersedes,
        row_version=sub.row_version,
        created_by=sub.created_by,
        created_at=utc(sub.created_at),
        updated_at=utc(sub.updated_at),
    )


def _load(
    request: Request, svc: ServicesDep, principal: Principal, submission_id: int, action: Action
) -> subs.Submission:
    """Return a submission the caller may act on, else 404 (hidden or absent), 401 or 403."""
    with svc.store.reading() as conn:
        sub = subs.find_one(conn, submission_id)
    hidden = sub is None or (
        not principal.is_public
        and decide(principal, Action.READ_SUBMISSIONS, sub.park_id, sub.company_id)
        is not Decision.ALLOWED
    )
    if sub is None or hidden:
        raise HTTPException(404, not_found_text(language_of(request), None, None))
    authorise(request, principal, action, sub.park_id, sub.company_id)
    return sub


def _rows(flows: list[FlowIn]) -> list[dict[str, Any]]:
    return [f.model_dump(mode="json") for f in flows]


@router.post("/submissions", operation_id="create_submission", status_code=201)
def create_submission(
    request: Request, svc: ServicesDep, principal: Caller, body: SubmissionIn
) -> SubmissionOut:
    """Open a draft of the caller's company data for a period (tenants)."""
    authorise_somewhere(request, principal, Action.SUBMIT)
    with svc.store.reading() as conn:
        park_id = subs.park_of_company(conn, body.company_id)
    if park_id is None:
        raise HTTPException(404, not_found_text(language_of(request), None, body.company_id))
    authorise(request, principal, Action.SUBMIT, park_id, body.company_id)
    store = store_for(svc, principal)
    with store.transaction() as conn:
        made = subs.create(conn, store.actor, body.company_id, body.period, _rows(body.flows))
    return _out(made)


@router.get("/submissions", operation_id="list_submissions")
def list_submissions(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    period: Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2})?$")] = None,
    status: SubmissionStatus | None = None,
) -> list[SubmissionOut]:
    """List the submissions the caller may see (own company, own parks, or all)."""
    authorise_somewhere(request, principal, Action.READ_SUBMISSIONS)
    parks = parks_seen(principal)
    companies = own_companies(principal)
    with svc.store.reading() as conn:
        found = subs.find(
            conn,
            park_ids=parks if companies is None else None,
            company_ids=companies,
            period=period,
            status=status,
        )
    return [_out(s) for s in found]


@router.get("/submissions/{submission_id}", operation_id="get_submission")
def get_submission(
    request: Request, svc: ServicesDep, principal: Caller, submission_id: SubmissionId
) -> SubmissionOut:
    """Return one submission (every version stays readable)."""
    return _out(_load(request, svc, principal, submission_id, Action.READ_SUBMISSIONS))


@router.get("/submissions/{submission_id}/events", operation_id="submission_events")
def submission_events(
    request: Request, svc: ServicesDep, principal: Caller, submission_id: SubmissionId
) -> list[EventOut]:
    """Return every move of a submission with its comment."""
    _load(request, svc, principal, submission_id, Action.READ_SUBMISSIONS)
    with svc.store.reading() as conn:
        found = subs.events(conn, submission_id)
    return [
        EventOut(
            at=utc(e.at),
            actor=e.actor,
            from_status=e.from_status,
            to_status=e.to_status,
            comment=e.comment,
        )
        for e in found
    ]


@router.put("/submissions/{submission_id}/flows", operation_id="replace_submission_flows")
def replace_flows(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    submission_id: SubmissionId,
    body: FlowsIn,
) -> SubmissionOut:
    """Replace the flows of a draft or returned submission (the tenant)."""
    _load(request, svc, principal, submission_id, Action.SUBMIT)
    store = store_for(svc, principal)
    with store.transaction() as conn:
        after = subs.replace_data(
            conn, store.actor, submission_id, _rows(body.flows), body.row_version
        )
    return _out(after)


_MOVE_ACTION = {
    SubmissionStatus.SUBMITTED: (Action.SUBMIT, Role.TENANT),
    SubmissionStatus.RETURNED: (Action.REVIEW, Role.PARK_MANAGER),
    SubmissionStatus.APPROVED: (Action.REVIEW, Role.PARK_MANAGER),
    SubmissionStatus.LOCKED: (Action.LOCK, Role.MINISTRY),
}


@router.post("/submissions/{submission_id}/moves", operation_id="move_submission")
def move_submission(
    request: Request, svc: ServicesDep, principal: Caller, submission_id: SubmissionId, body: MoveIn
) -> SubmissionOut:
    """Move a submission: submit (tenant), return or approve (park manager), lock (ministry)."""
    action, role = _MOVE_ACTION.get(body.to, (Action.REVIEW, Role.PARK_MANAGER))
    _load(request, svc, principal, submission_id, action)
    store = store_for(svc, principal)
    with store.transaction() as conn:
        after = subs.move(
            conn, store.actor, role, submission_id, body.to, body.comment, body.row_version
        )
    return _out(after)


@router.post(
    "/submissions/{submission_id}/corrections", operation_id="correct_submission", status_code=201
)
def correct_submission(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    submission_id: SubmissionId,
    body: CorrectionIn,
) -> SubmissionOut:
    """Open a new version of locked data, with the reason (the tenant)."""
    _load(request, svc, principal, submission_id, Action.SUBMIT)
    store = store_for(svc, principal)
    with store.transaction() as conn:
        made = subs.correct(conn, store.actor, submission_id, body.reason)
    return _out(made)


@router.post(
    "/submissions/{submission_id}/attestations", operation_id="attest_submission", status_code=201
)
def attest_submission(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    submission_id: SubmissionId,
    body: AttestationIn,
) -> SubmissionOut:
    """Record a verifier's attestation of a submission in the ledger (the status is unchanged)."""
    sub = _load(request, svc, principal, submission_id, Action.ATTEST)
    store = store_for(svc, principal)
    with store.transaction() as conn:
        append(
            conn,
            store.actor,
            "submission.attest",
            "submission",
            str(sub.id),
            after_sha256=sub.data_sha256,
            detail={"statement": body.statement, "status": str(sub.status)},
        )
    return _out(sub)
