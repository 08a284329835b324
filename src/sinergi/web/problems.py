"""Errors as RFC 9457 problem details (``application/problem+json``), in the caller's language.

Every :class:`~sinergi.errors.SinergiError` maps to one status; an
:class:`~sinergi.errors.InputError` carries its located issues (file, sheet, row, column,
field, code, ``message_en`` and ``message_id``) as the CLI prints them. An unexpected exception
answers a generic 500 without any trace (ASVS 16.5.1); the log keeps the details.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from sinergi.errors import (
    AccountError,
    AuthenticationFailed,
    FileProblem,
    InputError,
    JobError,
    LedgerBroken,
    LockedData,
    NotFound,
    PackConflict,
    SinergiError,
    StaleVersion,
    StoreError,
    StoreIntegrityError,
    SubmissionError,
    UnknownName,
    UnsafeInput,
    UsageError,
    WorkflowError,
)
from sinergi.i18n import N_, Language, gettext, parse_language

__all__ = [
    "PROBLEM_RESPONSES",
    "Problem",
    "ProblemIssue",
    "install",
    "language_of",
    "problem_issue",
]

log = logging.getLogger("sinergi.web")

MEDIA_TYPE = "application/problem+json"


class ProblemIssue(BaseModel):
    """One located problem of a rejected input."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    field: str | None = None
    code: str | None = None
    message_en: str
    message_id: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    issues: list[ProblemIssue] | None = None


def _problem_content(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "model": Problem,
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


#: Error answers every operation documents (so clients and schemathesis know them).
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem_content("Bad request"),
    401: _problem_content("Sign in first (bearer token)"),
    403: _problem_content("Your role may not do this here"),
    404: _problem_content("No such object, or not yours to see"),
    409: _problem_content("Conflict: changed by someone else, or not allowed in this state"),
    413: _problem_content("Upload too large"),
    422: _problem_content("The input is invalid; every located issue is listed"),
    429: _problem_content("Too many attempts; retry after the given seconds"),
    503: _problem_content("The database or job cluster is unavailable"),
}

#: Titles of the statuses, translated per request.
_TITLES: dict[int, str] = {
    400: N_("Bad request"),
    401: N_("Sign in required"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
    409: N_("Conflict"),
    413: N_("Upload too large"),
    422: N_("Invalid input"),
    429: N_("Too many attempts"),
    500: N_("Internal error"),
    503: N_("Service unavailable"),
}

_STATUS: list[tuple[type[BaseException], int]] = [
    (InputError, 422),
    (UnsafeInput, 413),
    (AuthenticationFailed, 401),
    (StaleVersion, 409),
    (LockedData, 409),
    (WorkflowError, 409),
    (SubmissionError, 409),
    (AccountError, 409),
    (LedgerBroken, 409),
    (PackConflict, 409),
    (JobError, 503),
    (NotFound, 404),
    (StoreIntegrityError, 409),
    (StoreError, 503),
    (FileProblem, 422),
    (UsageError, 422),
    (UnknownName, 422),
    (SinergiError, 422),
]


#: Cookie holding the language a reader chose on the dashboard's pages.
LANG_COOKIE = "sinergi_lang"


def language_of(request: Request) -> Language:
    """Return the caller's language: ``?lang=``, the pages' cookie, Accept-Language, Indonesian."""
    for chosen in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if chosen:
            try:
                return parse_language(chosen)
            except ValueError:
                continue
    wanted = request.headers.get("accept-language", "")
    for part in wanted.split(","):
        code = part.split(";")[0].strip()
        if not code:
            continue
        try:
            return parse_language(code)
        except ValueError:
            continue
    return Language.id


def status_of(exc: BaseException) -> int:
    """Return the HTTP status of a sinergi error."""
    for kind, status in _STATUS:
        if isinstance(exc, kind):
            return status
    return 500


def problem_response(
    request: Request,
    status: int,
    detail: str | None,
    *,
    issues: list[ProblemIssue] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Return a problem document for ``status`` with its title in the caller's language."""
    lang = language_of(request)
    title = gettext(lang, _TITLES.get(status, N_("Error")))
    body = Problem(
        title=title, status=status, detail=detail, instance=request.url.path, issues=issues
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


def problem_issue(item: object) -> ProblemIssue:
    """Return one located problem (of any input layer) as the API shows it, in en and id."""
    if isinstance(item, str):
        return ProblemIssue(message_en=item, message_id=item)
    fields = ("file", "sheet", "row", "column", "field", "code")
    values = {name: getattr(item, name, None) for name in fields}
    values["row"] = values["row"] if isinstance(values["row"], int) else None
    render = getattr(item, "render", None)
    if callable(render):  # a language-free message of an engine
        english, indonesian = str(render("en")), str(render("id"))
    else:
        english = str(getattr(item, "message_en", item))
        indonesian = str(getattr(item, "message_id", english))
    return ProblemIssue(
        **{k: (v if k == "row" or v is None else str(v)) for k, v in values.items()},
        message_en=english,
        message_id=indonesian,
    )


async def _sinergi_error(request: Request, exc: Exception) -> JSONResponse:
    status = status_of(exc)
    if isinstance(exc, InputError):
        lang = language_of(request)
        detail = gettext(lang, N_("{count} problem(s) found; nothing was written")).format(
            count=len(exc.issues)
        )
        return problem_response(
            request, status, detail, issues=[problem_issue(i) for i in exc.issues]
        )
    assert isinstance(exc, SinergiError)
    return problem_response(request, status, exc.localised(language_of(request)))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    issues = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ()))
        issues.append(
            ProblemIssue(
                field=where,
                code=str(error.get("type", "invalid")),
                message_en=f"{where}: {error.get('msg', 'invalid')}",
                message_id=f"{where}: {error.get('msg', 'tidak valid')}",
            )
        )
    lang = language_of(request)
    detail = gettext(lang, N_("{count} problem(s) found; nothing was written")).format(
        count=len(issues)
    )
    return problem_response(request, 422, detail, issues=issues)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    return problem_response(request, exc.status_code, str(exc.detail), headers=headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    lang = language_of(request)
    detail = gettext(lang, N_("An internal error occurred; it was logged. Please report it."))
    return problem_response(request, 500, detail)


def install(app: FastAPI) -> None:
    """Register the problem-detail handlers on ``app``."""
    app.add_exception_handler(SinergiError, _sinergi_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
