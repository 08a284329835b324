"""``/jobs``: start long work (symbiosis, Monte Carlo, assessing many parks), follow, cancel.

``POST /jobs`` answers 202 at once with the job; the work runs on the Dask cluster.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from sinergi.i18n import N_, gettext
from sinergi.model.accounts import Principal
from sinergi.store import jobs as job_rows
from sinergi.store import reads
from sinergi.store.jobs import ERROR_TEXT, JobStatus
from sinergi.web.deps import (
    Caller,
    ServicesDep,
    authorise,
    not_found_text,
    require_user,
    store_for,
    utc,
)
from sinergi.web.policy import Action, Decision, decide
from sinergi.web.problems import language_of

router = APIRouter(tags=["jobs"])

JobId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
ParkRef = Annotated[str, Field(min_length=1, max_length=200)]
PeriodText = Annotated[str, Field(pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$")]


class JobKind(StrEnum):
    """What a job does."""

    symbiosis = "symbiosis"
    monte_carlo = "monte_carlo"
    assess_parks = "assess_parks"


class JobIn(BaseModel):
    """A job to start; which fields matter depends on the kind."""

    model_config = ConfigDict(extra="forbid")

    kind: JobKind
    park_id: ParkRef | None = None
    parks: Annotated[list[ParkRef], Field(max_length=200)] = []
    period: PeriodText = "2024"
    product: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    route: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    scenario: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    iterations: Annotated[int, Field(ge=10, le=20_000)] = 1000
    seed: Annotated[int, Field(ge=0, le=2**31)] = 1
    propose: bool = False
    standard: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]{0,80}$")] = "permenperin-26-2025"


class JobOut(BaseModel):
    """A job and where it stands; ``result`` once it is done."""

    id: str
    kind: str
    status: JobStatus
    progress: float
    message: str | None
    result: Any = None
    error: str | None
    park_id: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def job_out(job: job_rows.Job, lang: str = "en") -> JobOut:
    """Return a stored job as the API shows it, its error in ``lang`` where it was kept so."""
    error = job.error
    if isinstance(job.result, dict) and isinstance(job.result.get(ERROR_TEXT), dict):
        error = job.result[ERROR_TEXT].get(str(lang), error)
    return JobOut(
        id=job.id,
        kind=job.kind,
        status=job.status,
        progress=job.progress,
        message=job.message,
        result=job.result,
        error=error,
        park_id=job.park_id,
        created_at=utc(job.created_at),
        started_at=utc(job.started_at),
        finished_at=utc(job.finished_at),
    )


def _authorise_kind(request: Request, svc: ServicesDep, principal: Principal, body: JobIn) -> None:
    lang = language_of(request)
    if body.kind is JobKind.monte_carlo:
        require_user(request, principal)
        if body.product is None:
            raise HTTPException(422, gettext(lang, N_("Name the product (e.g. niso4).")))
        return
    targets = [body.park_id] if body.kind is JobKind.symbiosis else list(body.parks)
    if body.kind is JobKind.assess_parks and not targets:
        raise HTTPException(422, gettext(lang, N_("Name at least one park.")))
    action = Action.RUN_SYMBIOSIS if body.kind is JobKind.symbiosis else Action.ASSESS
    for park_id in targets:
        if park_id is None:
            authorise(request, principal, action)  # the nation: ministry only
            continue
        with svc.store.reading() as conn:
            exists = reads.park_exists(conn, park_id)
        if not exists:
            raise HTTPException(404, not_found_text(lang, park_id, None))
        authorise(request, principal, action, park_id)


@router.post("/jobs", operation_id="start_job", status_code=202)
def start_job(request: Request, svc: ServicesDep, principal: Caller, body: JobIn) -> JobOut:
    """Start a job and return at once (202); follow it with ``GET /jobs/{id}``."""
    _authorise_kind(request, svc, principal, body)
    params: dict[str, Any] = body.model_dump(mode="json", exclude={"kind"})
    store = store_for(svc, principal)
    with store.transaction() as conn:
        job = job_rows.create(conn, str(body.kind), params, principal.user_id, body.park_id)
    if svc.jobs is not None:
        svc.jobs.submit(job.id, store.actor)
    return job_out(job, language_of(request))


def _own(request: Request, svc: ServicesDep, principal: Principal, job_id: str) -> job_rows.Job:
    with svc.store.reading() as conn:
        job = job_rows.find_one(conn, job_id)
    mine = job is not None and (
        job.user_id == principal.user_id or decide(principal, Action.READ_AUDIT) is Decision.ALLOWED
    )
    require_user(request, principal)
    if job is None or not mine:
        raise HTTPException(404, not_found_text(language_of(request), None, None))
    return job


@router.get("/jobs", operation_id="list_jobs")
def list_jobs(request: Request, svc: ServicesDep, principal: Caller) -> list[JobOut]:
    """List the caller's newest jobs (the ministry sees everyone's)."""
    require_user(request, principal)
    every = decide(principal, Action.READ_AUDIT) is Decision.ALLOWED
    with svc.store.reading() as conn:
        found = job_rows.find(conn, None if every else principal.user_id)
    lang = language_of(request)
    return [job_out(j, lang) for j in found]


@router.get("/jobs/{job_id}", operation_id="get_job")
def get_job(request: Request, svc: ServicesDep, principal: Caller, job_id: JobId) -> JobOut:
    """Return a job with its progress, and its result once done."""
    return job_out(_own(request, svc, principal, job_id), language_of(request))


@router.post("/jobs/{job_id}/cancel", operation_id="cancel_job")
def cancel_job(request: Request, svc: ServicesDep, principal: Caller, job_id: JobId) -> JobOut:
    """Ask a job to stop (a queued job stops at once, a running one at its next step)."""
    _own(request, svc, principal, job_id)
    with svc.store.transaction() as conn:
        job = job_rows.request_cancel(conn, job_id)
    if svc.jobs is not None:
        svc.jobs.cancel(job_id)
    return job_out(job, language_of(request))
