"""The data-entry form: a tenant types a period's flows instead of uploading a file.

The lines of the form are the template's Flows sheet (from node, to node, commodity, quantity,
unit, data quality, evidence) for one company and period. They are checked by the *same*
reader as an upload: the page writes them as the rows of a Flows CSV in a private temporary
folder and reads it with :func:`sinergi.intake.read_for_import`, so units, numbers (``1.234,5``)
and references are read exactly as in a file, and each located problem (row, field) is shown
next to the field it belongs to, in the reader's language. Clean lines are saved through the
same path as an upload (:mod:`sinergi.web.pages.drafts`): one transaction, and the same lines
saved twice change nothing. Submitting uses the company page's workflow form.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from sinergi.errors import InputError, PeriodError
from sinergi.i18n import N_, gettext
from sinergi.intake import read_for_import
from sinergi.io.numbers import format_float
from sinergi.model.accounts import Role
from sinergi.model.externals import default_externals
from sinergi.model.flows import DataQuality
from sinergi.model.period import Period
from sinergi.store import reads
from sinergi.units import CANONICAL_UNIT, EXAMPLES
from sinergi.web.api.submissions import SubmissionOut
from sinergi.web.deps import services
from sinergi.web.pages.context import check_csrf, page_language, page_principal, render
from sinergi.web.pages.drafts import EDITABLE, flow_rows, period_submission, save_drafts
from sinergi.web.pages.routing import page_router
from sinergi.web.pages.words import QUALITY_WORDS, STATUS_WORDS, commodity_labels

router = page_router()

#: The typed fields of one line, in the order of the template's Flows sheet.
FIELDS = ("source", "target", "commodity", "quantity", "unit", "quality", "evidence")

#: Lines one form may hold; more flows than this are a file to upload.
MAX_LINES = 200

#: Blank lines offered below the typed ones (and added by "Add lines").
BLANK_LINES = 3

#: Where a problem with no field or line is listed.
WHOLE_FORM = "form"


@dataclass(slots=True)
class FormLine:
    """One typed line of the form, with the problems found in each of its fields."""

    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def blank(self) -> bool:
        """Whether nothing was typed (the data-quality choice alone is not a flow)."""
        return not any(self.values[f].strip() for f in FIELDS if f != "quality")

    def add(self, name: str, message: str) -> None:
        """Record a problem of field ``name`` (``WHOLE_FORM`` for the line as a whole)."""
        known = self.errors.setdefault(name, [])
        if message not in known:
            known.append(message)


def _blank_line() -> FormLine:
    return FormLine(dict.fromkeys(FIELDS, "") | {"quality": str(DataQuality.MEASURED)})


def _lines_of(sub: SubmissionOut | None) -> list[FormLine]:
    """Return a submission's flows as form lines (canonical units), then blank lines."""
    units = {cid: unit for cid, (_name, unit) in commodity_labels("en").items()}
    lines = []
    for f in [] if sub is None else sub.flows:
        lines.append(
            FormLine(
                {
                    "source": f.source,
                    "target": f.target,
                    "commodity": f.commodity,
                    "quantity": "" if f.quantity is None else format_float(f.quantity),
                    "unit": units.get(f.commodity, ""),
                    "quality": f.quality,
                    "evidence": f.evidence or "",
                }
            )
        )
    return lines + [_blank_line() for _ in range(BLANK_LINES)]


def _tenant_company(request: Request, company: str | None) -> dict[str, Any] | None:
    """Return the company the form is for: the one named, or the reader's only one.

    Raises 401 for the public (sent to sign in) and 404 for a company the reader is not a
    tenant of, as the API would.
    """
    principal = page_principal(request)
    if principal.is_public:
        raise HTTPException(401)
    own = sorted(principal.companies_as(Role.TENANT))
    if company is None and len(own) == 1:
        company = own[0]
    if company is None:
        return None
    if company not in own:
        lang = page_language(request)
        raise HTTPException(404, gettext(lang, N_("Not found.")))
    with services(request).store.reading() as conn:
        return reads.company_row(conn, company)


def _choices(request: Request, company: str) -> dict[str, Any]:
    """Return what the form suggests: nodes, commodities (in words), units, data qualities."""
    lang = page_language(request).value
    with services(request).store.reading() as conn:
        own = reads.company_nodes(conn, [company])
        names = reads.node_names(conn, own)
    nodes = [(n, names.get(n, n)) for n in sorted(own)]
    nodes += [(e.id, e.name) for e in default_externals()]
    commodities = sorted(commodity_labels(lang).items(), key=lambda kv: kv[1][0].lower())
    units = sorted({*CANONICAL_UNIT.values(), *(u for us in EXAMPLES.values() for u in us)})
    return {"nodes": nodes, "commodities": commodities, "units": units, "qualities": QUALITY_WORDS}


def _page(
    request: Request,
    company: dict[str, Any] | None,
    period: str,
    *,
    lines: list[FormLine] | None = None,
    status: int = 200,
    **extra: Any,
) -> Response:
    principal = page_principal(request)
    with services(request).store.reading() as conn:
        companies = [
            r
            for r in (
                reads.company_row(conn, c) for c in sorted(principal.companies_as(Role.TENANT))
            )
            if r is not None
        ]
    sub = period_submission(request, company["id"], period) if company and period else None
    editable = sub is None or sub.status in EDITABLE
    context: dict[str, Any] = {
        "message": None,
        "period_error": None,
        "general": [],
        "choices": _choices(request, company["id"]) if company else None,
    } | extra
    return render(
        request,
        "flow_form.html",
        http_status=status,
        active="company",
        companies=companies,
        company=company,
        period=period,
        sub=sub,
        sub_status=None if sub is None else STATUS_WORDS[sub.status],
        editable=editable,
        lines=lines if lines is not None else _lines_of(sub if editable else None),
        fields=FIELDS,
        **context,
    )


@router.get("/company/flows")
def flow_form(
    request: Request,
    company: str | None = None,
    period: str = "",
    done: str = "",
) -> Response:
    """Show the form for one company and period, filled with the period's open draft."""
    chosen = _tenant_company(request, company or None)
    lang = page_language(request)
    if not period.strip():
        return _page(request, chosen, "")
    try:
        normal = str(Period.parse(period.strip()))
    except PeriodError:
        text = gettext(lang, N_("Write the period as a year (2024) or a month (2024-03)."))
        return _page(request, chosen, "", status=422, period_error=text, typed_period=period)
    message = {
        "saved": gettext(lang, N_("Saved as the draft of {period}.")),
        "unchanged": gettext(
            lang, N_("Nothing changed: the draft of {period} already holds these flows.")
        ),
    }.get(done)
    return _page(
        request, chosen, normal, message=None if message is None else message.format(period=normal)
    )


async def _posted(request: Request) -> tuple[dict[str, str], list[FormLine]]:
    """Return the posted single fields and the typed lines (every field list equally long)."""
    form = await request.form()
    single = {k: str(form.get(k) or "") for k in ("csrf", "company", "period", "action")}
    columns = {f: [str(v) for v in form.getlist(f)] for f in FIELDS}
    sizes = {len(v) for v in columns.values()}
    lang = page_language(request)
    if len(sizes) != 1 or sizes.pop() > MAX_LINES:
        raise HTTPException(
            422,
            gettext(
                lang, N_("The form holds at most {lines} lines; upload a file for more.")
            ).format(lines=MAX_LINES),
        )
    count = len(columns["source"])
    return single, [FormLine({f: columns[f][i] for f in FIELDS}) for i in range(count)]


def _read_lines(request: Request, period: str, typed: list[FormLine]) -> list[dict[str, Any]]:
    """Read the typed lines with the importer's reader; raise its located problems."""
    svc = services(request)
    with tempfile.TemporaryDirectory(prefix="sinergi-form-") as tmp:
        path = Path(tmp) / "flows.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(("period", *FIELDS))
            for line in typed:
                writer.writerow((period, *(line.values[f] for f in FIELDS)))
        parsed = read_for_import(
            svc.store, [path], table="flows", max_bytes=svc.settings.upload_max_bytes
        )
    return flow_rows(parsed)


def _message(problem: object, lang: str) -> str:
    text = getattr(problem, "message_id" if lang == "id" else "message_en", None)
    return str(problem) if text is None else str(text)


def _place_file_problems(exc: InputError, typed: list[FormLine], lang: str) -> list[str]:
    """Put each reader problem at its line and field; return those that belong to no line.

    The CSV the lines were written to has the header in row 1, so line ``i`` (0-based) is
    row ``i + 2``.
    """
    general: list[str] = []
    for problem in exc.issues:
        row, name = getattr(problem, "row", None), getattr(problem, "field", None)
        index = None if row is None else row - 2
        if index is not None and 0 <= index < len(typed) and name != "period":
            typed[index].add(name if name in FIELDS else WHOLE_FORM, _message(problem, lang))
        elif _message(problem, lang) not in general:
            general.append(_message(problem, lang))
    return general


def _place_store_problems(
    exc: InputError, rows: list[dict[str, Any]], typed: list[FormLine], lang: str
) -> list[str]:
    """Put the store's problems (numbered by flow) at the line that holds the flow."""
    by_key = {
        tuple(line.values[k].strip() for k in ("source", "target", "commodity")): line
        for line in typed
    }
    general: list[str] = []
    for problem in exc.issues:
        number = getattr(problem, "row", None)
        flow = rows[number - 1] if isinstance(number, int) and 0 < number <= len(rows) else None
        key = None if flow is None else (flow["source"], flow["target"], flow["commodity"])
        line = by_key.get(key) if key is not None else None
        name = getattr(problem, "field", None)
        if line is None:
            general.append(_message(problem, lang))
        else:
            line.add(name if name in FIELDS else WHOLE_FORM, _message(problem, lang))
    return general


@router.post("/company/flows")
async def save_flow_form(request: Request) -> Response:
    """Check the typed lines as an upload is checked; save them as the period's draft."""
    single, lines = await _posted(request)
    check_csrf(request, single["csrf"])
    chosen = _tenant_company(request, single["company"] or None)
    if chosen is None:
        raise HTTPException(404)
    period, lang = single["period"], page_language(request).value
    if single["action"] == "add":
        more = [_blank_line() for _ in range(BLANK_LINES)]
        return _page(request, chosen, period, lines=(lines + more)[:MAX_LINES])
    typed = [line for line in lines if not line.blank]
    if not typed:
        text = gettext(lang, N_("Type at least one flow before saving."))
        return _page(request, chosen, period, lines=lines, status=422, general=[text])
    rows: list[dict[str, Any]] = []
    try:
        rows = _read_lines(request, period, typed)
        saved = save_drafts(request, chosen["id"], rows)
    except InputError as exc:
        general = (
            _place_store_problems(exc, rows, typed, lang)
            if rows
            else _place_file_problems(exc, typed, lang)
        )
        return _page(request, chosen, period, lines=lines, status=422, general=general)
    except ValidationError:
        text = gettext(lang, N_("An evidence reference is longer than 500 characters; shorten it."))
        return _page(request, chosen, period, lines=lines, status=422, general=[text])
    done = "saved" if any(s.changed for s in saved) else "unchanged"
    query = urlencode({"company": chosen["id"], "period": period, "done": done})
    return RedirectResponse(f"/company/flows?{query}", status_code=303)
