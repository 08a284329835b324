"""The review queue: submissions waiting, what changed, and the moves the reader may make.

Moves are the ones the reader's role allows: return with a comment, approve, lock, attest.

The change is shown against the version this one supersedes, or, for a first version,
against the flows on record for the company and period (what an approval would replace).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from sinergi.i18n import N_
from sinergi.model.submissions import TRANSITIONS, SubmissionStatus
from sinergi.store import reads
from sinergi.web.api.parks import list_flows
from sinergi.web.api.submissions import (
    AttestationIn,
    MoveIn,
    SubmissionOut,
    attest_submission,
    get_submission,
    list_submissions,
    move_submission,
    submission_events,
)
from sinergi.web.deps import services
from sinergi.web.pages.context import check_csrf, page_language, page_principal, render
from sinergi.web.pages.routing import page_router
from sinergi.web.pages.words import STATUS_WORDS, commodity_labels
from sinergi.web.policy import Action, Decision, decide

router = page_router()

#: The moves a reviewer makes, the action the policy checks, and the button's words.
REVIEW_MOVES: dict[SubmissionStatus, tuple[Action, str]] = {
    SubmissionStatus.RETURNED: (Action.REVIEW, N_("Return with comment")),
    SubmissionStatus.APPROVED: (Action.REVIEW, N_("Approve")),
    SubmissionStatus.LOCKED: (Action.LOCK, N_("Lock")),
}

FlowKey = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Change:
    """One flow's change between the earlier data and this submission."""

    source: str
    target: str
    commodity: str
    before: float | None
    after: float | None
    kind: str  # "added", "removed", "changed" or "same"


def diff(before: dict[FlowKey, float | None], after: dict[FlowKey, float | None]) -> list[Change]:
    """Return every flow with how it changed (keyed by source, target and commodity)."""
    changes = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if key not in before:
            kind = "added"
        elif key not in after:
            kind = "removed"
        else:
            kind = "same" if old == new else "changed"
        changes.append(Change(*key, before=old, after=new, kind=kind))
    order = {"removed": 0, "added": 1, "changed": 2, "same": 3}
    return sorted(changes, key=lambda c: order[c.kind])


def _keyed(rows: list[Any]) -> dict[FlowKey, float | None]:
    return {(r.source, r.target, r.commodity): r.quantity for r in rows}


def _earlier(request: Request, sub: SubmissionOut) -> tuple[str, dict[FlowKey, float | None]]:
    """Return what this submission is compared with, and its flows."""
    svc, principal = services(request), page_principal(request)
    if sub.supersedes is not None:
        before = get_submission(request, svc, principal, sub.supersedes)
        return "previous", _keyed(before.flows)
    with svc.store.reading() as conn:
        own = reads.company_nodes(conn, [sub.company_id])
    found: list[Any] = []
    while True:
        page = list_flows(request, svc, principal, sub.park_id, sub.period, None, 500, len(found))
        found += page.items
        if len(found) >= page.total or not page.items:
            break
    return "record", _keyed([f for f in found if f.source in own or f.target in own])


@router.get("/review")
def review_queue(
    request: Request,
    status: Annotated[SubmissionStatus | None, Query()] = SubmissionStatus.SUBMITTED,
    all: bool = False,  # noqa: A002 - the query parameter's name
) -> Response:
    """List the submissions the reader reviews (waiting ones first)."""
    svc, principal = services(request), page_principal(request)
    found = list_submissions(request, svc, principal, None, None if all else status)
    return render(
        request,
        "review.html",
        active="review",
        submissions=sorted(found, key=lambda s: (s.updated_at, s.id), reverse=True),
        status=None if all else status,
        statuses=[(s, STATUS_WORDS[s]) for s in SubmissionStatus],
        words=STATUS_WORDS,
    )


@router.get("/review/{submission_id}")
def review_submission(request: Request, submission_id: int) -> Response:
    """Show one submission: its change, its history, and the allowed moves."""
    svc, principal = services(request), page_principal(request)
    sub = get_submission(request, svc, principal, submission_id)
    basis, before = _earlier(request, sub)
    moves = [
        (str(to), words)
        for to, (action, words) in REVIEW_MOVES.items()
        if to in TRANSITIONS[sub.status]
        and decide(principal, action, sub.park_id, sub.company_id) is Decision.ALLOWED
    ]
    may_attest = decide(principal, Action.ATTEST, sub.park_id, sub.company_id)
    with svc.store.reading() as conn:
        names = reads.node_names(conn, {n for f in sub.flows for n in (f.source, f.target)})
    return render(
        request,
        "review_one.html",
        active="review",
        sub=sub,
        status=STATUS_WORDS[sub.status],
        changes=diff(before, _keyed(sub.flows)),
        basis=basis,
        names=names,
        commodities=commodity_labels(page_language(request).value),
        events=submission_events(request, svc, principal, submission_id),
        words=STATUS_WORDS,
        moves=moves,
        may_attest=may_attest is Decision.ALLOWED,
    )


@router.post("/review/{submission_id}")
def review_move(
    request: Request,
    submission_id: int,
    to: Annotated[SubmissionStatus, Form()],
    row_version: Annotated[int, Form(ge=1)],
    comment: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Return, approve or lock a submission through the workflow."""
    check_csrf(request, csrf)
    move_submission(
        request,
        services(request),
        page_principal(request),
        submission_id,
        MoveIn(to=to, row_version=row_version, comment=comment or None),
    )
    return RedirectResponse(f"/review/{submission_id}", status_code=303)


@router.post("/review/{submission_id}/attest")
def review_attest(
    request: Request,
    submission_id: int,
    statement: Annotated[str, Form(min_length=3, max_length=2000)],
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Record a verifier's attestation in the ledger."""
    check_csrf(request, csrf)
    attest_submission(
        request,
        services(request),
        page_principal(request),
        submission_id,
        AttestationIn(statement=statement),
    )
    return RedirectResponse(f"/review/{submission_id}", status_code=303)
