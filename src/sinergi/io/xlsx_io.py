"""XLSX workbooks: the bilingual input template, exports in its layout, and reading them.

Layout: an ``Instructions`` sheet (English and Bahasa Indonesia), one sheet per table with
the bilingual header in row 1 and data from row 2 (frozen header, column widths, drop-down
lists for choices, commodities, unit suggestions, yes/no and ids of other sheets), the
protected reference sheet ``Commodities`` and a hidden ``Lists`` sheet feeding the
drop-downs (the commodity list is too long for an inline list formula). An export uses the
same layout, so it can be edited and imported again.

Reading takes cached values (``data_only=True``). A formula cell without a cached value
(a file written by a program and never opened in Excel) is an issue; such cells are found
with a second, formula-aware pass that only runs when a sheet contains formulas at all.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from enum import Enum
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from sinergi.i18n import N_, _
from sinergi.io.cells import ENUMS, FORMULA_WITHOUT_VALUE, RawTable
from sinergi.io.columns import Column, Table, schema
from sinergi.io.csv_io import grid_rows, map_header
from sinergi.io.issues import Issue, IssueCode, IssueLog, Place
from sinergi.model import Catalogue, Period

#: Sheets that hold help or reference data, never input rows.
REFERENCE_SHEETS: tuple[str, ...] = ("Instructions", "Commodities", "Lists")

#: Units offered in the drop-down of ``unit`` columns (others are accepted too).
UNIT_SUGGESTIONS: tuple[str, ...] = (
    "t",
    "kg",
    "kt",
    "MWh",
    "kWh",
    "GWh",
    "GJ",
    "TJ",
    "m3",
    "L",
    "kL",
    "ha",
    "m2",
    "item",
)

_LAST_ROW = 1048576
_HEADER_FILL = PatternFill("solid", fgColor="D9EAD3")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")


# -- reading ----------------------------------------------------------------------------
def _unreadable(file: str, detail: str) -> Issue:
    return Place(file).issue(
        IssueCode.UNREADABLE_FILE,
        N_(
            "the workbook cannot be opened ({detail}); open it in Excel and save it again as "
            "'Excel Workbook (.xlsx)'"
        ),
        detail=detail,
    )


def _has_formulas(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        return any(
            _FORMULA_TAG.search(archive.read(name))
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )


def _formula_cells(path: Path) -> set[tuple[str, int, int]]:
    """Return (sheet, row, column) of every formula cell, by a formula-aware pass."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    found: set[tuple[str, int, int]] = set()
    try:
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()
            for row in sheet.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) == "f" and cell.row and cell.column:
                        found.add((sheet.title, cell.row, cell.column))
    finally:
        workbook.close()
    return found


def _sheet_table(title: str) -> Table | None:
    wanted = title.strip().lower()
    return next((t for t in schema().tables if wanted in {t.sheet.lower(), t.name.lower()}), None)


def _unknown_sheet(file: str, title: str) -> Issue:
    names = ", ".join(t.sheet for t in schema().tables)
    return Place(file, title).issue(
        IssueCode.UNKNOWN_SHEET,
        N_("sheet '{title}' is not a sinergi table; rename it to one of {names} or delete it"),
        title=title,
        names=names,
    )


def _numbered(
    rows: Iterable[Sequence[object]], title: str, formulas: set[tuple[str, int, int]]
) -> Iterator[tuple[int, list[object]]]:
    for number, cells in enumerate(rows, start=2):
        values = list(cells)
        if formulas:
            for index, value in enumerate(values):
                if value is None and (title, number, index + 1) in formulas:
                    values[index] = FORMULA_WITHOUT_VALUE
        yield number, values


def _open_sheet(
    sheet: Any, table: Table, file: str, formulas: set[tuple[str, int, int]], log: IssueLog
) -> RawTable | None:
    sheet.reset_dimensions()  # a forged <dimension> must not make us pad a million rows
    rows = sheet.iter_rows(values_only=True)
    first = next(rows, None)
    if first is None or all(c is None for c in first):
        return None
    place = Place(file, sheet.title)
    header, issues = map_header(table, first, place, letters=True)
    log.extend(issues)
    body = grid_rows(place, header, _numbered(rows, sheet.title, formulas), log)
    return RawTable(table, file, sheet.title, body, header.absent)


def open_workbook(
    path: Path, file: str, only: str | None, log: IssueLog, stack: ExitStack
) -> list[RawTable]:
    """Open every table sheet of a workbook for streaming (reference sheets skipped).

    The workbook stays open (registered on ``stack``) until the rows are read.
    """
    try:
        formulas = _formula_cells(path) if _has_formulas(path) else set()
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        log.add(_unreadable(file, type(exc).__name__))
        return []
    stack.callback(workbook.close)
    tables: list[RawTable] = []
    for sheet in workbook.worksheets:
        if sheet.title in REFERENCE_SHEETS:
            continue
        table = _sheet_table(sheet.title)
        if table is None:
            sheet.reset_dimensions()
            if any(c is not None for row in sheet.iter_rows(values_only=True) for c in row):
                log.add(_unknown_sheet(file, sheet.title))
            continue
        if only is None or table.name == only:
            raw = _open_sheet(sheet, table, file, formulas, log)
            if raw is not None:
                tables.append(raw)
    return tables


def expected_rows(path: Path) -> int | None:
    """Return how many data rows the workbook's sheets declare (for progress only), if known."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        return None
    try:
        total = sum(
            max((sheet.max_row or 1) - 1, 0)
            for sheet in workbook.worksheets
            if sheet.title not in REFERENCE_SHEETS
        )
    finally:
        workbook.close()
    return total


# -- writing ----------------------------------------------------------------------------
def _set_cell(cell: Any, value: object) -> None:
    """Write a typed model value into a cell so that reading it back gives the same value."""
    if value is None:
        return
    if isinstance(value, bool):
        cell.value = "yes" if value else "no"
    elif isinstance(value, int | float):
        cell.value = value
        if float("%.16g" % value) != value:  # noqa: UP031 -- mirrors openpyxl's own format
            # openpyxl writes numbers with 16 significant digits; keep all 17
            cell.value = repr(value)
            cell.data_type = "n"
    elif isinstance(value, Enum):
        cell.value = str(value.value)
    elif isinstance(value, tuple):
        cell.value = "; ".join(str(v) for v in value)
    elif isinstance(value, Period | str):
        cell.value = str(value)
        cell.data_type = "s"  # text starting with "=" stays text, never a formula
    else:
        raise TypeError(f"cannot write {type(value).__name__} to a cell")


def _validation(column: Column, catalogue: Catalogue) -> DataValidation | None:
    kind, _, arg = column.type.partition(":")
    strict = True
    if kind == "enum":
        formula = '"' + ",".join(m.value for m in ENUMS[arg]) + '"'
    elif kind == "bool":
        formula = '"yes,no,ya,tidak"'
    elif kind == "commodity":
        formula = f"=Lists!$A$2:$A${len(catalogue) + 1}"
    elif kind == "unit":
        formula, strict = f"=Lists!$B$2:$B${len(UNIT_SUGGESTIONS) + 1}", False
    elif kind == "ref":
        formula, strict = f"='{schema().table(arg).sheet}'!$A$2:$A${_LAST_ROW}", False
    else:
        return None
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.showErrorMessage = strict
    validation.errorTitle = "sinergi"
    validation.error = "Choose a value from the list / Pilih nilai dari daftar"
    return validation


def _table_sheet(
    workbook: Any, table: Table, rows: Sequence[Mapping[str, object]], catalogue: Catalogue
) -> None:
    sheet = workbook.create_sheet(table.sheet)
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, min(45, len(column.header) // 2 + 4))
        validation = _validation(column, catalogue)
        if validation is not None:
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{_LAST_ROW}")
    sheet.row_dimensions[1].height = 45
    sheet.freeze_panes = "A2"
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(table.columns, start=1):
            _set_cell(sheet.cell(row=number, column=index), row.get(column.field))


#: The Instructions sheet, one paragraph a row (English msgids; Indonesian from the catalogue).
_INSTRUCTIONS: tuple[str, ...] = (
    N_("How to fill in this workbook"),
    N_(
        "Each sheet is one table. Row 1 holds the column headers: do not change them. Write "
        "one record per row from row 2."
    ),
    N_(
        "Leave a cell blank when the value is unknown. Blank means unknown, not zero: write 0"
        " only when the amount really is zero."
    ),
    N_(
        "Periods: a year (2024) or a month (2024-03). A flow quantity is the total over its period."
    ),
    N_(
        "Units: write the unit of each flow in the Unit column. 'ton' and 't' mean the metric"
        " tonne (1000 kg). Quantities are stored in t (mass), MWh (energy), m3 (volume), ha "
        "(area) and item (count)."
    ),
    N_(
        "Numbers: 1234,5 and 1234.5 are both read as one thousand two hundred thirty-four and"
        " a half; 1.234,5 and 1,234.5 too. 1.234 alone is ambiguous: write 1234."
    ),
    N_(
        "Flows go From a node To a node and are never negative: to reverse a flow, swap From "
        "and To. Commodities are listed in the sheet Commodities."
    ),
    N_("Lists (KBLI codes, programmes, sources) are separated by ';'. Ids must be unique."),
    N_("Type values, not formulas. Save as 'Excel Workbook (.xlsx)', never .xlsm or .xls."),
)


def _instructions_sheet(sheet: Any) -> None:
    sheet.title = "Instructions"
    sheet.append(["English", "Bahasa Indonesia"])
    for message in _INSTRUCTIONS:
        sheet.append([message, _("id", message)])
    version = N_("Schema version {version}")
    sheet.append([_(lang, version).format(version=schema().version) for lang in ("en", "id")])
    sheet.append([])
    sheet.append(["Sheet", "Sheet"])
    for table in schema().tables:
        sheet.append([f"{table.sheet}: {table.label_en}", f"{table.sheet}: {table.label_id}"])
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = sheet["B1"].font = sheet["A2"].font = sheet["B2"].font = Font(bold=True)
    sheet.column_dimensions["A"].width = sheet.column_dimensions["B"].width = 80


def _reference_sheets(workbook: Any, catalogue: Catalogue) -> None:
    sheet = workbook.create_sheet("Commodities")
    sheet.append(
        [
            "Commodity id / ID komoditas",
            "Name (English) / Nama (Inggris)",
            "Name (Indonesian) / Nama (Indonesia)",
            "Kind / Jenis",
            "Unit / Satuan baku",
            "Waste code (PP 22/2021) / Kode limbah",
            "Hazard class / Kelas bahaya",
        ]
    )
    for cid in catalogue.ids():
        c = catalogue.get(cid)
        sheet.append(
            [
                c.id,
                c.name_en,
                c.name_id,
                c.kind.value,
                c.unit,
                c.waste_code,
                c.hazard.value if c.hazard else None,
            ]
        )
    for letter, width in zip("ABCDEFG", (28, 40, 40, 12, 10, 16, 14), strict=True):
        sheet.column_dimensions[letter].width = width
        sheet[f"{letter}1"].font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True  # read-only reference; no password, it is not a secret
    lists = workbook.create_sheet("Lists")
    lists.append(["commodity", "unit"])
    for index, cid in enumerate(catalogue.ids(), start=2):
        lists.cell(row=index, column=1, value=cid)
    for index, unit in enumerate(UNIT_SUGGESTIONS, start=2):
        lists.cell(row=index, column=2, value=unit)
    lists.sheet_state = "hidden"


def write_workbook(
    path: Path,
    rows: Mapping[str, Sequence[Mapping[str, object]]],
    catalogue: Catalogue,
) -> Path:
    """Write the template layout with ``rows`` (table name -> typed rows) filled in."""
    workbook = openpyxl.Workbook()
    _instructions_sheet(workbook.active)
    for table in schema().tables:
        _table_sheet(workbook, table, rows.get(table.name, ()), catalogue)
    _reference_sheets(workbook, catalogue)
    workbook.properties.title = "sinergi input workbook"
    workbook.properties.keywords = f"sinergi {schema().version}"
    workbook.save(path)
    return path
