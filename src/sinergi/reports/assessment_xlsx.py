"""An assessment as an XLSX workbook: the same data as the HTML and PDF reports, for analysts.

Built from :func:`sinergi.reports.assessment.assessment_dict` (so every text is already in the
reader's language and every number is the engine's): a summary sheet, one row per criterion
with its indicator value and unit, band, evidence and source, the gaps with what the next band
needs in the indicator's unit and the actions, the missing data and the template sheet and
columns where to enter it, and the references. Values stay numbers (not formatted text) so
they can be filtered and summed; Excel shows them in the reader's own locale.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sinergi.i18n import N_, _

__all__ = ["assessment_xlsx"]

_FILL = PatternFill("solid", fgColor="D9EAD3")
_WIDTH = {"short": 14, "long": 48}


def assessment_xlsx(data: dict[str, Any]) -> bytes:
    """Return the workbook of an assessment (``assessment_dict`` output) in its language."""
    lang = str(data["lang"])
    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    _sheet(book, lang, N_("Summary"), (N_("Item"), N_("Value")), _summary(data, lang))
    _sheet(book, lang, N_("Criteria"), _CRITERIA, (_criterion(c) for c in data["criteria"]))
    _sheet(book, lang, N_("Gaps"), _GAPS, (_gap(g) for g in data["gaps"]))
    _sheet(book, lang, N_("Missing data"), _MISSING, _missing(data["data_gaps"]))
    _sheet(book, lang, N_("Sources"), (N_("Reference"),), ([r] for r in _references(data)))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary(data: dict[str, Any], lang: str) -> list[tuple[str, object]]:
    yes, no = _(lang, "yes"), _(lang, "no")
    park, pack = data["park"], data["pack"]
    return [
        (_(lang, "Park"), f"{park['name']} ({park['id']})"),
        (_(lang, "Synthetic park"), yes if park["synthetic"] else no),
        (_(lang, "Standard"), f"{pack['title']} ({pack['id']} {pack['version']})"),
        (_(lang, "Standard's source"), pack["source"]),
        (_(lang, "Period"), data["period"]),
        (_(lang, "Verdict"), data["verdict"]),
        (_(lang, "Criteria assessed"), data["assessed"]),
        (_(lang, "Criteria encoded"), data["encoded"]),
        (_(lang, "Criteria assessed (share)"), data["coverage"]),
        (_(lang, "Complete"), yes if data["complete"] else no),
    ]


_CRITERIA = (
    N_("Criterion"),
    N_("Name"),
    N_("Category"),
    N_("Status"),
    N_("Score"),
    N_("Highest score"),
    N_("Indicator"),
    N_("Value"),
    N_("Unit"),
    N_("Band"),
    N_("Evidence"),
    N_("Source"),
)


def _criterion(c: dict[str, Any]) -> tuple[object, ...]:
    ind = c["indicator"] or {}
    return (
        c["id"],
        c["name"],
        c["category"],
        c["status_text"],
        c["score"],
        c["max_score"],
        ind.get("name"),
        ind.get("value"),
        ind.get("unit_text"),
        c["band"],
        c["evidence"],
        c["source"],
    )


_GAPS = (
    N_("Criterion"),
    N_("Name"),
    N_("Status"),
    N_("Where it stands"),
    N_("What the next band needs"),
    N_("Score gain"),
    N_("Effort"),
    N_("Actions"),
)


def _gap(g: dict[str, Any]) -> tuple[object, ...]:
    return (
        g["criterion"],
        g["name"],
        g["status_text"],
        g["current"],
        g["needed"],
        g["score_gain"],
        g["effort_text"],
        "\n".join(g["actions"]),
    )


_MISSING = (N_("Criterion"), N_("Name"), N_("Missing"), N_("Sheet"), N_("Columns"))


def _missing(gaps: Iterable[dict[str, Any]]) -> Iterable[tuple[object, ...]]:
    for g in gaps:
        where = g["supply"] or [{"sheet_name": None, "columns": []}]
        for supply in where:
            yield (
                g["criterion"],
                g["name"],
                "\n".join(g["missing"]),
                supply["sheet_name"],
                ", ".join(supply["columns"]),
            )


def _references(data: dict[str, Any]) -> list[str]:
    found = [str(r) for r in data["pack"]["references"]]
    for c in data["criteria"]:
        found += [str(s) for s in (c["indicator"] or {}).get("sources", [])]
    return list(dict.fromkeys(found))


def _sheet(
    book: openpyxl.Workbook,
    lang: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
) -> None:
    """Write one sheet: bold headers in ``lang``, frozen, long texts wrapped."""
    sheet = book.create_sheet(_(lang, title)[:31])
    sheet.append([_(lang, h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _FILL
    for row in rows:
        sheet.append(list(row))
    for index in range(1, len(headers) + 1):
        letter = get_column_letter(index)
        texts = [c.value for c in sheet[letter][1:] if isinstance(c.value, str)]
        long = any(len(t) > 30 for t in texts)
        sheet.column_dimensions[letter].width = _WIDTH["long" if long else "short"]
        if long:
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
