"""Reading the e-mobility input templates: sheets of typed columns, every problem located.

A template is a set of sheets; each sheet is a table (a header row, then one row per record)
or a key-value sheet (``field | value`` rows). The same template is read from an ``.xlsx``
workbook (one worksheet per sheet), a YAML or JSON document (one key per sheet: a list of
row mappings, or a mapping for a key-value sheet), a folder of CSV files named after the
sheets, or a single CSV file holding one sheet.

Every cell is parsed by its column's kind (numbers the Indonesian or the English way,
shares as 0.45 or 45 %, yes/ya/no/tidak, choices with their Indonesian words); every problem
becomes an :class:`~sinergi.io.issues.Issue` naming file, sheet, row, column and field with a
message in English and Bahasa Indonesia from the catalogues. Readers return plain typed rows;
a file with any problem yields no rows at all (the caller raises one
:class:`~sinergi.errors.InputError`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from sinergi.errors import FileProblem
from sinergi.i18n import N_, gettext
from sinergi.io.emobility.grids import Grid, grids
from sinergi.io.emobility.spec import (
    MAX_ISSUES,
    Column,
    Kind,
    Row,
    Sheet,
    Template,
    TemplateRows,
    norm,
)
from sinergi.io.issues import CellError, Issue, IssueCode, Place, describe
from sinergi.io.numbers import parse_bool, parse_float, parse_int

__all__ = ["read_template"]

#: First-row texts that mark a key-value sheet's header row (not a field).
FIELD_HEADERS = ("field", "kolom", "isian")


def read_template(path: Path, template: Template) -> TemplateRows:
    """Read ``path`` (xlsx, yaml/yml/json, csv, or a folder of csv files) as ``template``.

    Raises
    ------
    FileProblem
        When the file or folder does not exist or cannot be read.
    UnsafeInput
        When the file is refused before parsing (too large, macros, zip bomb).
    """
    if not path.exists():
        raise FileProblem(f"{path}: no such file or folder; check the path")
    result = TemplateRows(path.name)
    found = grids(path, template, result)
    if not result.issues:
        _rows(found, template, result)
    return result


def _rows(grids: list[Grid], template: Template, result: TemplateRows) -> None:
    seen: set[str] = set()
    filled: set[str] = set()
    for grid in grids:
        sheet = template.sheet(grid.name)
        if sheet is None:
            if any(c not in (None, "") for _, cells in grid.rows for c in cells) or grid.document:
                result.add(
                    Place(result.file, grid.name),
                    IssueCode.UNKNOWN_SHEET,
                    N_("sheet '{sheet}' is not part of this template; use {names}"),
                    sheet=grid.name,
                    names=", ".join(s.name for s in template.sheets),
                )
            continue
        if sheet.name in seen:
            result.add(
                Place(result.file, grid.name),
                IssueCode.DUPLICATE_ID,
                N_("sheet '{sheet}' appears twice; keep one"),
                sheet=sheet.name,
            )
            continue
        seen.add(sheet.name)
        result.rows[sheet.name] = _sheet_rows(grid, sheet, result)
        if not all(_blank(cells) for _, cells in grid.rows):
            filled.add(sheet.name)
    for sheet in template.sheets:
        if sheet.required and sheet.name not in filled:
            result.add(
                Place(result.file, sheet.name),
                "missing_sheet",
                N_("sheet '{sheet}' is required and has no rows; fill it in ({help})"),
                sheet=sheet.name,
                help=sheet.help_en or sheet.title_en,
            )


def _field_rows(grid: Grid, sheet: Sheet, result: TemplateRows) -> list[Row]:
    """Read a key-value sheet: ``field | value`` rows, each value read by its field's kind."""
    cells_by_row = list(grid.rows)
    if grid.header and _first_word(grid.header[0]) not in FIELD_HEADERS:
        cells_by_row.insert(0, (1 if not grid.document else 0, list(grid.header)))
    field_label, value_label = ("A (field)", "B (value)") if grid.letters else ("field", "value")
    rows: list[Row] = []
    seen: set[str] = set()
    for number, cells in cells_by_row:
        name = cells[0] if cells else None
        raw = cells[1] if len(cells) > 1 else None
        if name is None or not str(name).strip():
            continue
        place = Place(result.file, grid.name, number or None, field_label)
        column = next((c for c in sheet.columns if norm(name) in c.names()), None)
        if column is None:
            result.add(
                place,
                IssueCode.UNKNOWN_KEY,
                N_("'{name}' is not a field of sheet '{sheet}'; use {names}"),
                name=name,
                sheet=sheet.name,
                names=", ".join(c.key for c in sheet.columns),
            )
            continue
        if column.key in seen:
            result.add(
                place, IssueCode.DUPLICATE_ROW, N_("field '{name}' is given twice"), name=name
            )
            continue
        seen.add(column.key)
        at = Place(result.file, grid.name, number or None, value_label, column.key)
        value = _cell(raw, column, at, result)
        rows.append(Row(at, {"field": column.key, "value": value}, {"value": value_label}))
    for column in sheet.columns:
        if rows and column.required and column.key not in seen:
            result.add(
                Place(result.file, grid.name, None, None, column.key),
                IssueCode.MISSING_VALUE,
                N_("sheet '{sheet}' needs the field '{name}' ({header})"),
                sheet=sheet.name,
                name=column.key,
                header=column.header_en,
            )
    return rows


def _first_word(cell: object) -> str:
    words = norm(cell).split()
    return words[0] if words else ""


def _blank(cells: list[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _sheet_rows(grid: Grid, sheet: Sheet, result: TemplateRows) -> list[Row]:
    if sheet.key_value:
        return _field_rows(grid, sheet, result)
    if all(_blank(cells) for _, cells in grid.rows):
        return []  # an empty sheet is an absent sheet; its header does not matter
    header = _header(grid, sheet, result)
    if header is None:
        return []
    rows = []
    for number, cells in grid.rows:
        if _blank(cells):
            continue
        place = Place(result.file, grid.name, number)
        values: dict[str, Any] = dict.fromkeys(c.key for c in sheet.columns)
        for index, (column, label) in header.items():
            raw = cells[index] if index < len(cells) else None
            values[column.key] = _cell(
                raw, column, Place(place.file, place.sheet, number, label, column.key), result
            )
        columns = {column.key: label for column, label in header.values()}
        rows.append(Row(place, values, columns))
        if len(result.issues) > MAX_ISSUES:
            break
    return rows


def _header(grid: Grid, sheet: Sheet, result: TemplateRows) -> dict[int, tuple[Column, str]] | None:
    mapped: dict[int, tuple[Column, str]] = {}
    found: dict[str, str] = {}
    for index, cell in enumerate(grid.header):
        if cell is None or not str(cell).strip():
            continue
        label = f"{get_column_letter(index + 1)} ({cell})" if grid.letters else str(cell)
        column = next((c for c in sheet.columns if norm(cell) in c.names()), None)
        if column is None:
            result.add(
                Place(result.file, grid.name, 1 if not grid.document else None, label),
                IssueCode.UNKNOWN_COLUMN,
                N_("column '{column}' is not part of sheet '{sheet}'; use {names}"),
                column=cell,
                sheet=sheet.name,
                names=", ".join(c.key for c in sheet.columns),
            )
            continue
        if column.key in found:
            result.add(
                Place(result.file, grid.name, 1 if not grid.document else None, label),
                IssueCode.DUPLICATE_COLUMN,
                N_("column '{column}' appears twice (also as '{other}'); keep one"),
                column=cell,
                other=found[column.key],
            )
            continue
        found[column.key] = str(cell)
        mapped[index] = (column, label)
    missing = [c.key for c in sheet.columns if c.required and c.key not in found]
    for key in missing:
        result.add(
            Place(result.file, grid.name, None, None, key),
            IssueCode.MISSING_COLUMN,
            N_("sheet '{sheet}' has no column '{column}'; add it ({header})"),
            sheet=sheet.name,
            column=key,
            header=sheet.column(key).header_en,
        )
    return None if missing else mapped


def _cell(raw: object, column: Column, place: Place, result: TemplateRows) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if column.required:
            result.add(
                place,
                IssueCode.MISSING_VALUE,
                N_("'{column}' is required; fill in this cell"),
                column=column.key,
            )
        return None
    try:
        value = _parse(raw, column)
    except CellError as exc:
        result.issues.append(
            Issue(
                place.file,
                place.sheet,
                place.row,
                place.column,
                place.field,
                str(exc.code),
                exc.message_en,
                exc.message_id,
            )
        )
        return None
    problem = _out_of_range(value, column)
    if problem is not None:
        result.add(
            place,
            IssueCode.OUT_OF_RANGE,
            problem,
            value=describe(raw),
            column=column.key,
            minimum=column.minimum,
            maximum=column.maximum,
        )
        return None
    return value


def _parse(raw: object, column: Column) -> object:
    if column.kind is Kind.TEXT:
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            raise CellError(
                IssueCode.NOT_TEXT,
                *_bilingual(N_("{value} is not text; write a name or code"), value=describe(raw)),
            )
        text = str(raw).strip()
        return str(int(raw)) if isinstance(raw, float) and raw.is_integer() else text
    if column.kind is Kind.NUMBER:
        return parse_float(raw)
    if column.kind is Kind.SHARE:
        return _share(raw)
    if column.kind in (Kind.INTEGER, Kind.YEAR):
        return parse_int(raw)
    if column.kind is Kind.BOOLEAN:
        return parse_bool(raw)
    text = norm(raw)
    for value, words in column.choices.items():
        if text in {norm(w) for w in (value, *words.split("|"))}:
            return value
    raise CellError(
        IssueCode.BAD_CHOICE,
        *_bilingual(
            N_("{value} is not one of {choices}"),
            value=describe(raw),
            choices=", ".join(column.choices),
        ),
    )


def _share(raw: object) -> float:
    """Read a share written as 0.45 or as 45 %; above 100 % is refused."""
    if isinstance(raw, str) and raw.strip().endswith("%"):
        value = parse_float(raw.strip()[:-1].strip()) / 100.0
    else:
        value = parse_float(raw)
    if value > 1:
        raise CellError(
            IssueCode.OUT_OF_RANGE,
            *_bilingual(
                N_(
                    "{value} is not a share; write a share from 0 to 1 (0.45) or a "
                    "percentage up to 100% (45%)"
                ),
                value=describe(raw),
            ),
        )
    return value


def _out_of_range(value: object, column: Column) -> str | None:
    """Return the message of the first limit ``value`` breaks, or ``None``."""
    if column.kind is Kind.YEAR and isinstance(value, int) and not 1950 <= value <= 2100:
        return N_("{value} is not a year between 1950 and 2100")
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    low, high = column.minimum, column.maximum
    checks = (
        (
            column.kind is Kind.SHARE and value < 0,
            N_("{value} is below 0; a share lies between 0 and 1"),
        ),
        (
            low is not None and column.above_minimum and value <= low,
            N_("{value} must be above {minimum} in '{column}'"),
        ),
        (
            low is not None and not column.above_minimum and value < low,
            N_("{value} must be at least {minimum} in '{column}'"),
        ),
        (high is not None and value > high, N_("{value} must be at most {maximum} in '{column}'")),
        (not math.isfinite(value), N_("{value} is not a finite number")),
    )
    return next((message for broken, message in checks if broken), None)


def _bilingual(message: str, **values: object) -> tuple[str, str]:
    return message.format(**values), gettext("id", message).format(**values)
