"""A tenant's period flows into draft submissions: the one path both the upload and the form take.

Whatever way the flows came in (an uploaded Flows sheet or lines typed in the form), they are
first read by the importer's reader (:func:`sinergi.intake.read_for_import`), which converts
units and locates every problem; the flows it returns are saved here through the submissions
API, one draft per period. Saving the same flows again changes nothing (the store keeps the
version as it is), so a form sent twice or a file uploaded twice is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request

from sinergi.io import ParsedFile
from sinergi.model.submissions import SubmissionStatus
from sinergi.web.api.submissions import (
    FlowIn,
    FlowsIn,
    SubmissionIn,
    SubmissionOut,
    create_submission,
    list_submissions,
    replace_flows,
)
from sinergi.web.deps import services
from sinergi.web.pages.context import page_principal

#: Statuses whose flows the tenant may still replace.
EDITABLE = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


@dataclass(frozen=True, slots=True)
class SavedDraft:
    """One period's draft after saving, and whether the save changed it."""

    submission: SubmissionOut
    changed: bool


def flow_rows(parsed: ParsedFile) -> list[dict[str, Any]]:
    """Return the flows the reader read as submission rows (canonical units), with periods."""
    return [
        {
            "period": str(f.period),
            "source": f.source,
            "target": f.target,
            "commodity": f.commodity,
            "quantity": f.quantity,
            "quality": str(f.quality),
            "evidence": f.evidence,
        }
        for f in parsed.ecosystem.flows
    ]


def period_submission(request: Request, company: str, period: str) -> SubmissionOut | None:
    """Return the newest submission of ``company`` for ``period`` the reader may see."""
    svc, principal = services(request), page_principal(request)
    found = [
        s
        for s in list_submissions(request, svc, principal, period, None)
        if s.company_id == company and s.period == period
    ]
    return max(found, key=lambda s: s.version, default=None)


def save_drafts(request: Request, company: str, rows: list[dict[str, Any]]) -> list[SavedDraft]:
    """Save ``rows`` as the draft of each period they name (a new draft, or the open one).

    Raises
    ------
    sinergi.errors.InputError
        With the rows (1-based per period, in the order given) the store refuses: a node
        not stored, a flow touching none of the company's nodes.
    pydantic.ValidationError
        If a row does not fit the API's flow model (a text too long for a submission).
    """
    svc, principal = services(request), page_principal(request)
    by_period: dict[str, list[FlowIn]] = {}
    for r in rows:
        flow = FlowIn.model_validate({k: v for k, v in r.items() if k != "period"})
        by_period.setdefault(r["period"], []).append(flow)
    existing = {
        s.period: s
        for s in list_submissions(request, svc, principal, None, None)
        if s.company_id == company and s.status in EDITABLE
    }
    saved = []
    for period, flows in sorted(by_period.items()):
        current = existing.get(period)
        if current is None:
            body = SubmissionIn(company_id=company, period=period, flows=flows)
            saved.append(SavedDraft(create_submission(request, svc, principal, body), True))
        else:
            change = FlowsIn(row_version=current.row_version, flows=flows)
            after = replace_flows(request, svc, principal, current.id, change)
            saved.append(SavedDraft(after, after.row_version != current.row_version))
    return saved
