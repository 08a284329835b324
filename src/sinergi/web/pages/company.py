"""The company page: a tenant uploads flows, submits them, and follows the review.

The tenant sees every problem of an upload at its row and column, fixes the file, submits,
and reads the reviewers' comments and the submission's status.

An upload is read by the same reader as ``sinergi import`` (the template's Flows sheet, or a
CSV of it): units are converted and every problem is located. Valid rows become the draft
submission of that period through the submissions API (a returned submission gets the new
rows); nothing is written when any row has a problem.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from sinergi.errors import InputError, SinergiError
from sinergi.footprint.battery import DECLARATION_UNIT
from sinergi.i18n import N_, gettext
from sinergi.intake import read_for_import
from sinergi.model.accounts import Role
from sinergi.model.submissions import SubmissionStatus
from sinergi.store import reads
from sinergi.store.custody import CustodyRecords
from sinergi.web.api.footprints import CompanyFootprintsOut, company_footprints
from sinergi.web.api.passports import passport_read
from sinergi.web.api.submissions import (
    MoveIn,
    list_submissions,
    move_submission,
    submission_events,
)
from sinergi.web.deps import services
from sinergi.web.pages.context import check_csrf, page_language, page_principal, render
from sinergi.web.pages.drafts import EDITABLE, flow_rows, save_drafts
from sinergi.web.pages.routing import page_router
from sinergi.web.pages.words import STATUS_WORDS, issue_rows

router = page_router()

#: Passports listed on the page at most (the API reads any of them by its identifier).
PASSPORTS_SHOWN = 50

#: File types a tenant may upload (the importer's formats for one table).
UPLOAD_SUFFIXES = (".csv", ".xlsx")


def _companies(request: Request) -> list[dict[str, Any]]:
    principal = page_principal(request)
    ids = sorted(principal.companies_as(Role.TENANT))
    with services(request).store.reading() as conn:
        return [r for r in (reads.company_row(conn, c) for c in ids) if r is not None]


def _submissions(request: Request) -> list[dict[str, Any]]:
    svc, principal = services(request), page_principal(request)
    rows = []
    for sub in list_submissions(request, svc, principal, None, None):
        events = submission_events(request, svc, principal, sub.id)
        rows.append(
            {
                "sub": sub,
                "status": STATUS_WORDS[sub.status],
                "events": events,
                "editable": sub.status in EDITABLE,
            }
        )
    return sorted(rows, key=lambda r: (r["sub"].period, r["sub"].id), reverse=True)


def _footprints(request: Request, companies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return each company's own footprints (latest period), through the API's route.

    A park whose flows cannot be made into a footprint network (a flow in a unit its
    commodity does not have, a missing factor) gives the reason instead, so the rest of the
    page still shows.
    """
    svc, principal = services(request), page_principal(request)
    out: list[dict[str, Any]] = []
    for c in companies:
        try:
            found: CompanyFootprintsOut = company_footprints(request, svc, principal, c["id"], None)
            out.append({"company": c, "processes": found.processes, "period": found.period})
        except SinergiError as exc:
            problem = exc.localised(page_language(request))
            out.append({"company": c, "processes": [], "period": None, "problem": problem})
    return out


def _passports(request: Request, companies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the passports of packs made or held at the companies' nodes, in the reader's view.

    Each passport is read through the passport API's route, so the page shows what the API
    would show this reader (the role decides the view).
    """
    svc, principal = services(request), page_principal(request)
    with svc.store.reading() as conn:
        sites = reads.company_nodes(conn, [c["id"] for c in companies]) if companies else set()
    found = CustodyRecords(svc.store).packs_at(sites)[:PASSPORTS_SHOWN]
    return [passport_read(request, svc, principal, f["passport_id"]) for f in found]


def _page(request: Request, status: int = 200, **extra: Any) -> Response:
    context: dict[str, Any] = {"issues": None, "message": None} | extra
    companies = _companies(request)
    return render(
        request,
        "company.html",
        http_status=status,
        active="company",
        companies=companies,
        names={c["id"]: c["name"] for c in companies},
        submissions=_submissions(request),
        footprints=_footprints(request, companies),
        passports=_passports(request, companies),
        passport_unit=DECLARATION_UNIT,
        **context,
    )


@router.get("/company")
def company_page(request: Request) -> Response:
    """Show the tenant's submissions and the upload form."""
    return _page(request)


async def _read_upload(request: Request, upload: UploadFile) -> list[dict[str, Any]]:
    """Return the flows of an uploaded Flows file, or raise :class:`InputError` (located)."""
    svc = services(request)
    lang = page_language(request).value
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise InputError(
            [gettext(lang, N_("Upload the Flows sheet as .xlsx or .csv (from the template)."))]
        )
    with tempfile.TemporaryDirectory(prefix="sinergi-upload-") as tmp:
        path = Path(tmp) / f"flows{suffix}"
        content = await upload.read(svc.settings.upload_max_bytes + 1)
        path.write_bytes(content[: svc.settings.upload_max_bytes + 1])
        parsed = read_for_import(
            svc.store,
            [path],
            table="flows" if suffix == ".csv" else None,
            max_bytes=svc.settings.upload_max_bytes,
        )
    return flow_rows(parsed)


@router.post("/company/upload")
async def company_upload(
    request: Request,
    company: Annotated[str, Form(max_length=200)],
    file: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Read an uploaded Flows file into the draft of each period it holds."""
    check_csrf(request, csrf)
    try:
        rows = await _read_upload(request, file)
        saved = save_drafts(request, company, rows)
    except InputError as exc:
        lang = page_language(request).value
        return _page(request, status=422, issues=issue_rows(exc.issues, lang))
    except ValidationError:
        lang = page_language(request).value
        text = gettext(lang, N_("A quantity is negative or a text is too long; check the rows."))
        return _page(request, status=422, issues=issue_rows([text], lang))
    lang = page_language(request).value
    message = gettext(lang, N_("Saved {count} flows as a draft for {periods}.")).format(
        count=len(rows), periods=", ".join(sorted({s.submission.period for s in saved}))
    )
    return _page(request, message=message)


@router.post("/company/submissions/{submission_id}/submit")
def company_submit(
    request: Request,
    submission_id: int,
    row_version: Annotated[int, Form(ge=1)],
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Send a draft or returned submission for review."""
    check_csrf(request, csrf)
    move_submission(
        request,
        services(request),
        page_principal(request),
        submission_id,
        MoveIn(to=SubmissionStatus.SUBMITTED, row_version=row_version),
    )
    return RedirectResponse("/company", status_code=303)
