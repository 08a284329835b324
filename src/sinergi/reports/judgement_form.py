"""The judgements form: written for an assessor to fill in, and read back for ``--judgements``.

``sinergi judgements template PARK --standard … --period …`` writes one row per requirement a
person judges (the qualitative criteria of the pack), with what sinergi already found in the
data, as an XLSX workbook (a drop-down for the status) or a commented YAML file. The same
module reads both formats back into a :class:`~sinergi.assess.judgements.JudgementsDoc`, which
:func:`~sinergi.assess.judgements.check_judgements` checks against the pack, park and period
being assessed, so what the template writes is exactly what the assessment reads.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from sinergi.assess.engine import STATUS_TEXT, Assessment, Status
from sinergi.assess.judgements import JudgementRow, JudgementsDoc
from sinergi.assess.messages import Msg, msg
from sinergi.assess.packs import Pack
from sinergi.errors import FileProblem, JudgementsError
from sinergi.i18n import N_, _, parse_language
from sinergi.i18n.messages import items
from sinergi.io.safety import check_size, check_suffix, check_workbook_archive

#: The sheet that holds the form in the XLSX workbook.
SHEET = "Judgements"
#: Header cells above the table: key, English label, Indonesian label.
_HEADER = (
    ("pack", "Standard", "Standar"),
    ("park", "Park", "Kawasan"),
    ("period", "Period", "Periode"),
)
#: Table columns: key, English label, Indonesian label, width.
_COLUMNS = (
    ("criterion", "Criterion id", "ID kriteria", 12),
    ("category", "Category", "Kategori", 24),
    ("name", "Criterion", "Kriteria", 60),
    ("gate", "Gate", "Prasyarat", 10),
    ("found", "What sinergi found in the data", "Temuan sinergi dari data", 45),
    ("status", "Status", "Status", 20),
    ("evidence", "Evidence", "Bukti", 50),
    ("assessor", "Assessor", "Penilai", 20),
)
_FIRST_ROW = len(_HEADER) + 3  # a blank row, then the column headings, then the rows
_JUDGEABLE = (Status.MET, Status.PARTLY_MET, Status.NOT_MET, Status.NOT_APPLICABLE)


def form_rows(pack: Pack, assessment: Assessment, lang: str) -> list[dict[str, str]]:
    """Return one row per criterion a person judges, with what sinergi found, in ``lang``."""
    kinds = {c.id: c.type for c in pack.criteria()}
    names = {cat.id: cat.name_id if _is_id(lang) else cat.name_en for cat in pack.categories}
    rows = []
    for c in assessment.criteria:
        if kinds[c.id] != "qualitative":
            continue
        found = _(lang, STATUS_TEXT[c.status])
        evidence = c.evidence.render(lang) if isinstance(c.evidence, Msg) else c.evidence
        rows.append(
            {
                "criterion": c.id,
                "category": names[c.category],
                "name": c.name.render(lang),
                "gate": _(lang, "yes") if c.prerequisite else "",
                "found": f"{found}: {evidence}" if evidence else found,
            }
        )
    return rows


def _is_id(lang: str) -> bool:
    return parse_language(lang).value == "id"


def status_choices(lang: str) -> list[str]:
    """Return the status words an assessor picks from, in ``lang``."""
    return [_(lang, STATUS_TEXT[s]) for s in _JUDGEABLE]


def write_form_xlsx(
    path: Path, pack: Pack, park_id: str, period: str, rows: list[dict[str, str]], lang: str
) -> Path:
    """Write the form as an XLSX workbook with a status drop-down; return the path."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = SHEET
    label = 2 if _is_id(lang) else 1
    for i, (key, *labels) in enumerate(_HEADER, start=1):
        sheet.cell(i, 1, labels[label - 1]).font = Font(bold=True)
        value = {"pack": pack.id, "park": park_id, "period": period}[key]
        sheet.cell(i, 2, value).number_format = "@"
    sheet.cell(
        len(_HEADER) + 1, 1, _(lang, "Leave the status blank for a criterion you do not judge.")
    )
    heading = _FIRST_ROW - 1
    for j, (_key, en, id_, width) in enumerate(_COLUMNS, start=1):
        cell = sheet.cell(heading, j, id_ if _is_id(lang) else en)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F4F3")
        sheet.column_dimensions[cell.column_letter].width = width
    for i, row in enumerate(rows, start=_FIRST_ROW):
        for j, (key, *_rest) in enumerate(_COLUMNS, start=1):
            sheet.cell(i, j, row.get(key, ""))
    choices = ",".join(status_choices(lang))
    valid = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
    sheet.add_data_validation(valid)
    status_col = get_column_letter(_column_index("status"))
    valid.add(f"{status_col}{_FIRST_ROW}:{status_col}{_FIRST_ROW + max(len(rows), 1) - 1}")
    sheet.freeze_panes = f"A{_FIRST_ROW}"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _column_index(key: str) -> int:
    return next(j for j, (k, *_rest) in enumerate(_COLUMNS, start=1) if k == key)


def _comment(text: str) -> str:
    return " ".join(text.split())


def write_form_yaml(
    path: Path, pack: Pack, park_id: str, period: str, rows: list[dict[str, str]], lang: str
) -> Path:
    """Write the form as a commented YAML file; return the path."""
    title = pack.title.render(lang)
    heading = _(lang, "Judgements form")
    found = _(lang, "What sinergi found in the data")
    gate = _(lang, "gate")
    lines = [
        f"# {_comment(heading)}: {_comment(title)}",
        "# "
        + _comment(
            _(
                lang,
                "For each criterion you judge, write a status ({choices}) and the evidence; "
                "leave the status empty for a criterion you do not judge.",
            ).format(choices=", ".join(status_choices(lang)))
        ),
        f"pack: {json.dumps(pack.id)}",
        f"park: {json.dumps(park_id)}",
        f"period: {json.dumps(period)}",
        "judgements:",
    ]
    for row in rows:
        flag = f" ({gate})" if row["gate"] else ""
        lines += [
            f"  # {row['criterion']} {_comment(row['name'])}{flag}",
            f"  # {_comment(found)}: {_comment(row['found'])}",
            f"  - criterion: {json.dumps(row['criterion'])}",
            "    status:",
            "    evidence:",
            "    assessor:",
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


class _UniqueKeys(yaml.SafeLoader):
    """A safe loader that refuses a key given twice in one mapping (the last would win)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise _KeyTwice(key, key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _KeyTwice(yaml.constructor.ConstructorError):
    """A mapping gives a key twice; keeps the key and its line for a message in any language."""

    def __init__(self, key: object, mark: yaml.Mark) -> None:
        self.key = key
        self.line = mark.line + 1
        super().__init__(None, None, f"key {key!r} is given twice (line {self.line})", mark)


def _refuse(file: str, problem: Msg) -> JudgementsError:
    """Return the error for a whole file (its shape, not a row), naming the file."""
    return JudgementsError([msg(N_("{file}: {problem}"), file=file, problem=problem)])


def read_form_yaml(path: Path) -> JudgementsDoc:
    """Read a YAML judgements file (the form, or one written by hand).

    Raises
    ------
    JudgementsError
        When the file is not valid YAML or not shaped like a judgements document.
    """
    check_size(path)
    try:
        doc = yaml.load(path.read_text("utf-8"), Loader=_UniqueKeys)  # a SafeLoader subclass
    except _KeyTwice as exc:
        problem = msg(
            N_("key {key} is given twice (line {line})"), key=repr(exc.key), line=str(exc.line)
        )
        raise _refuse(path.name, problem) from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise _refuse(path.name, msg(N_("not valid YAML: {error}"), error=str(exc))) from exc
    if not isinstance(doc, dict):
        raise _refuse(
            path.name,
            msg(N_("the file must be a mapping with pack, park, period, judgements")),
        )
    unknown = sorted(set(map(str, doc)) - {"pack", "park", "period", "judgements"})
    if unknown:
        raise _refuse(
            path.name,
            msg(
                N_("unknown key(s) {keys}; use pack, park, period, judgements"),
                keys=items(unknown),
            ),
        )
    listed = doc.get("judgements") or []
    if not isinstance(listed, list):
        raise _refuse(path.name, msg(N_("judgements: must be a list of rows")))
    rows = []
    for i, item in enumerate(listed):
        where = f"judgements[{i}]"
        if not isinstance(item, dict):
            raise _refuse(
                path.name,
                msg(
                    N_("{where}: each row is a mapping with criterion, status, evidence"),
                    where=where,
                ),
            )
        extra = sorted(set(map(str, item)) - {"criterion", "status", "evidence", "assessor"})
        if extra:
            raise _refuse(
                path.name,
                msg(N_("{where}: unknown key(s) {keys}"), where=where, keys=items(extra)),
            )
        rows.append(
            JudgementRow(
                where,
                item.get("criterion"),
                item.get("status"),
                item.get("evidence"),
                item.get("assessor"),
            )
        )
    return JudgementsDoc(
        path.name, doc.get("pack"), doc.get("park"), doc.get("period"), tuple(rows)
    )


def _cell_text(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year:04d}-{value.month:02d}"  # Excel turned a month into a date
    return value


def read_form_xlsx(path: Path) -> JudgementsDoc:
    """Read a filled-in XLSX judgements form.

    Raises
    ------
    JudgementsError
        When the workbook has no form sheet or its headings are not the form's.
    UnsafeInput
        When the file is refused before it is opened (macros, size, zip bomb).
    """
    check_suffix(path)
    check_size(path)
    check_workbook_archive(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, ValueError, KeyError) as exc:
        problem = msg(N_("not a readable .xlsx workbook ({error})"), error=type(exc).__name__)
        raise _refuse(path.name, problem) from exc
    try:
        if SHEET not in book.sheetnames:
            raise _refuse(
                path.name,
                msg(
                    N_("no sheet {sheet}; use the form written by sinergi judgements template"),
                    sheet=repr(SHEET),
                ),
            )
        cells = [list(map(_cell_text, r)) for r in book[SHEET].iter_rows(values_only=True)]
    finally:
        book.close()
    header = {
        key: cells[i][1] if i < len(cells) and len(cells[i]) > 1 else None
        for i, (key, *_l) in enumerate(_HEADER)
    }
    places = {key: f"{SHEET}!B{i}" for i, (key, *_l) in enumerate(_HEADER, start=1)}
    heading = [
        str(c or "").strip().lower()
        for c in (cells[_FIRST_ROW - 2] if len(cells) >= _FIRST_ROW - 1 else [])
    ]
    expected = [{k, en.lower(), id_.lower()} for k, en, id_, _w in _COLUMNS]
    if len(heading) < len(expected) or any(
        h not in e for h, e in zip(heading, expected, strict=False)
    ):
        raise _refuse(
            path.name,
            msg(
                N_("{cell}: the column headings are not the form's; do not move or rename them"),
                cell=f"{SHEET}!A{_FIRST_ROW - 1}",
            ),
        )
    index = {k: j for j, (k, *_r) in enumerate(_COLUMNS)}
    rows = []
    for n, row in enumerate(cells[_FIRST_ROW - 1 :], start=_FIRST_ROW):
        if not any(v not in (None, "") for v in row):
            continue
        rows.append(_xlsx_row(row, n, index))
    return JudgementsDoc(
        path.name, header["pack"], header["park"], header["period"], tuple(rows), places
    )


def _xlsx_row(row: list[object], number: int, index: dict[str, int]) -> JudgementRow:
    def get(key: str) -> object:
        return row[index[key]] if index[key] < len(row) else None

    places = {k: f"{SHEET}!{get_column_letter(j + 1)}{number}" for k, j in index.items()}
    return JudgementRow(
        f"{SHEET}!{number}:{number}",
        get("criterion"),
        get("status"),
        get("evidence"),
        get("assessor"),
        places,
    )


def read_form(path: Path) -> JudgementsDoc:
    """Read a judgements file by its suffix (.xlsx, or .yaml/.yml).

    Raises
    ------
    FileProblem
        When the file does not exist.
    JudgementsError
        For another suffix, and for the problems of each format.
    """
    if not path.is_file():
        raise FileProblem(msg(N_("{path}: no such judgements file"), path=str(path)))
    if path.suffix.lower() == ".xlsx":
        return read_form_xlsx(path)
    if path.suffix.lower() in {".yaml", ".yml"}:
        return read_form_yaml(path)
    raise _refuse(
        path.name,
        msg(N_("a judgements file is .xlsx or .yaml (write one with sinergi judgements template)")),
    )
