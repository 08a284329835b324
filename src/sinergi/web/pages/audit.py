"""Jobs (long runs with progress bars) and the audit ledger (entries and the verify button).

Both read through the API's route functions: a reader sees their own jobs (the ministry sees
everyone's); the ledger's entries are the ministry's, its verification the ministry's and the
verifiers'.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from sinergi.store.jobs import JobStatus
from sinergi.web.api.audit import audit_entries, audit_verify
from sinergi.web.api.jobs import JobIn, JobKind, list_jobs, start_job
from sinergi.web.api.parks import list_parks
from sinergi.web.deps import services
from sinergi.web.pages.context import check_csrf, page_principal, render
from sinergi.web.pages.routing import page_router
from sinergi.web.pages.words import JOB_WORDS
from sinergi.web.policy import Action, Decision, decide, may_ever

router = page_router()

#: Seconds between reloads of the jobs page while a job is still running.
REFRESH_S = 3

#: How many ledger entries the audit page lists (newest).
AUDIT_ROWS = 100


@router.get("/jobs")
def jobs_page(request: Request) -> Response:
    """List the reader's jobs with their progress; offer a symbiosis run for allowed parks."""
    svc, principal = services(request), page_principal(request)
    jobs = list_jobs(request, svc, principal)
    parks = [
        p
        for p in list_parks(svc, principal)
        if decide(principal, Action.RUN_SYMBIOSIS, p.id) is Decision.ALLOWED
    ]
    running = any(j.status in (JobStatus.QUEUED, JobStatus.RUNNING) for j in jobs)
    return render(
        request,
        "jobs.html",
        active="jobs",
        jobs=jobs,
        parks=parks,
        refresh=REFRESH_S if running else None,
        words=JOB_WORDS,
    )


@router.post("/jobs")
def jobs_start(
    request: Request,
    park_id: Annotated[str, Form(max_length=200)],
    period: Annotated[str, Form(pattern=r"^\d{4}$")] = "2024",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Start a symbiosis run for a park that proposes exchanges to its manager."""
    check_csrf(request, csrf)
    body = JobIn(kind=JobKind.symbiosis, park_id=park_id, period=period, propose=True)
    start_job(request, services(request), page_principal(request), body)
    return RedirectResponse("/jobs", status_code=303)


@router.get("/audit")
def audit_page(request: Request) -> Response:
    """Show the newest ledger entries (ministry) and the verify button."""
    svc, principal = services(request), page_principal(request)
    entries = []
    if may_ever(principal, Action.READ_AUDIT):
        newest = audit_verify(request, svc, principal).size
        after = max(0, newest - AUDIT_ROWS)
        entries = audit_entries(request, svc, principal, after, AUDIT_ROWS, None, None)
    elif not may_ever(principal, Action.VERIFY_AUDIT):
        audit_verify(request, svc, principal)  # answers 401 or 403 as the API does
    return render(
        request,
        "audit.html",
        active="audit",
        entries=list(reversed(entries)),
        verification=None,
    )


@router.post("/audit/verify")
def audit_verify_page(
    request: Request, csrf: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    """Recompute the whole chain and show the result."""
    check_csrf(request, csrf)
    svc, principal = services(request), page_principal(request)
    result = audit_verify(request, svc, principal)
    return render(request, "audit.html", active="audit", entries=[], verification=result)
