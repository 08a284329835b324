"""CSV tables, and the header-row grid logic shared with XLSX sheets.

A CSV file holds one table. The table is given by the caller, or read from the file name
(``flows.csv``, ``Flows.csv``, ``2024_flows.csv``, ``flows-2024.csv``), or else inferred
from the header. Header cells may be the field name, the English or Indonesian label, or
the bilingual header of the template. The delimiter (``,``, ``;`` as Excel writes it under
an Indonesian locale, or tab) is detected from the header line. Row numbers in issues are
the row numbers a spreadsheet shows: the header is row 1.

Flows need a ``unit`` column: a missing one is one issue naming the column, so a column of
numbers in mixed units without a unit column cannot slip in.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from openpyxl.utils import get_column_letter

from sinergi.io.columns import Table, schema
from sinergi.io.issues import Issue, IssueCode, Place, describe
from sinergi.io.numbers import format_float
from sinergi.io.rows import RawRow, RawTable
from sinergi.model import Period

_DELIMITERS = (",", ";", "\t")


# -- grids with a header row (CSV and XLSX) ---------------------------------------------
@dataclass(slots=True)
class Header:
    """Which field each column index holds, and the column labels issues show."""

    fields: dict[int, str] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)
    ignored: set[int] = field(default_factory=set)
    absent: frozenset[str] = frozenset()
    letters: bool = False

    def label(self, index: int) -> str:
        """Return the column label of ``index``, also beyond the header's last cell."""
        return self.labels.get(index) or _label(index, "", self.letters)


def _label(index: int, text: str, letters: bool) -> str:
    if not letters:
        return text or f"#{index + 1} (no header)"
    letter = get_column_letter(index + 1)
    return f"{letter} ({text})" if text else letter


def map_header(
    table: Table, cells: Sequence[object], place: Place, *, letters: bool = False
) -> tuple[Header, list[Issue]]:
    """Match header cells to the table's columns; report unknown, repeated, missing ones.

    Parameters
    ----------
    table
        The table the sheet or file holds.
    cells
        The header row.
    place
        File and sheet, for issues.
    letters
        Prefix column labels with the spreadsheet column letter (XLSX).
    """
    header, issues = Header(letters=letters), []
    accepted = ", ".join(c.field for c in table.columns)
    for index, cell in enumerate(cells):
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        header.labels[index] = _label(index, text, letters)
        at = Place(place.file, place.sheet, 1, header.labels[index])
        column = next((c for c in table.columns if c.accepts_header(text)), None)
        if column is None or column.field in header.fields.values():
            header.ignored.add(index)
        if column is None:
            issues.append(
                at.issue(
                    IssueCode.UNKNOWN_COLUMN,
                    f"unknown column {text!r} for {table.label_en}; "
                    "use a template header or one of: "
                    f"{accepted}",
                    f"kolom {text!r} tidak dikenal untuk {table.label_id}; gunakan judul kolom "
                    f"templat atau salah satu dari: {accepted}",
                )
            )
        elif column.field in header.fields.values():
            issues.append(
                at.issue(
                    IssueCode.DUPLICATE_COLUMN,
                    f"column {text!r} appears twice; delete one of the two columns",
                    f"kolom {text!r} muncul dua kali; hapus salah satunya",
                )
            )
        else:
            header.fields[index] = column.field
    present = set(header.fields.values())
    absent = [c for c in table.columns if c.required and c.field not in present]
    for column in absent:
        issues.append(
            Place(place.file, place.sheet, None, column.header, column.field).issue(
                IssueCode.MISSING_COLUMN,
                f"required column '{column.header}' is missing; add it (header in row 1)",
                f"kolom wajib '{column.header}' tidak ada; tambahkan (judul di baris 1)",
            )
        )
    header.absent = frozenset(c.field for c in absent)
    return header, issues


def _empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def grid_table(
    table: Table,
    place: Place,
    header: Header,
    body: Iterable[tuple[int, Sequence[object]]],
) -> tuple[RawTable, list[Issue]]:
    """Turn numbered data rows under a mapped header into a raw table; skip empty rows."""
    rows, issues, flagged = [], [], set()
    for number, cells in body:
        if all(_empty(c) for c in cells):
            continue
        row = RawRow(number, {})
        for index, cell in enumerate(cells):
            if index in header.fields:
                row.values[header.fields[index]] = cell
                row.columns[header.fields[index]] = header.labels[index]
            elif index not in header.ignored and index not in flagged and not _empty(cell):
                flagged.add(index)
                issues.append(
                    Place(place.file, place.sheet, number, header.label(index)).issue(
                        IssueCode.UNKNOWN_COLUMN,
                        f"value {describe(cell)} is in a column without a header; add the header "
                        "or move the value",
                        f"nilai {describe(cell)} ada di kolom tanpa judul; tambahkan judul kolom "
                        "atau pindahkan nilainya",
                    )
                )
        rows.append(row)
    return RawTable(table, place.file, place.sheet, rows, header.absent), issues


# -- CSV --------------------------------------------------------------------------------
def table_from_name(name: str) -> Table | None:
    """Return the table a file or sheet name stands for (``flows``, ``Flows_2024``)."""
    stem = name.strip().lower()
    best: Table | None = None
    for table in schema().tables:
        for word in {table.name.lower(), table.sheet.lower()}:
            pattern = rf"^(.*[_\-. ])?{re.escape(word)}([_\-. ].*)?$"
            if re.match(pattern, stem) and (best is None or len(word) > len(best.name)):
                best = table
    return best


def _table_from_header(cells: Sequence[str]) -> Table | None:
    names = [c for c in cells if c.strip()]
    fitting = [
        t
        for t in schema().tables
        if all(any(col.accepts_header(n) for col in t.columns) for n in names)
        and all(any(col.accepts_header(n) for n in names) for col in t.columns if col.required)
    ]
    return fitting[0] if len(fitting) == 1 else None


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _records(text: str, place: Place) -> tuple[list[list[str]], list[Issue]]:
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    records: list[list[str]] = []
    try:
        records.extend([_unguard(cell) for cell in record] for record in reader)
    except csv.Error as exc:
        return records, [
            Place(place.file, row=len(records) + 1).issue(
                IssueCode.SYNTAX_ERROR,
                f"the CSV cannot be read here ({exc}); save the file again as 'CSV UTF-8'",
                f"CSV tidak dapat dibaca di sini ({exc}); simpan ulang berkas sebagai 'CSV UTF-8'",
            )
        ]
    return records, []


#: First characters that make a spreadsheet read a CSV cell as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _guard(text: str) -> str:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe.

    Excel and LibreOffice treat a CSV cell starting with ``=``, ``+``, ``-``, ``@``, tab or
    carriage return as a formula; a company name like ``=HYPERLINK(...)`` in an exported file
    must stay text. The apostrophe is the spreadsheet's own "this is text" mark, and reading
    the CSV back removes it (:func:`_unguard`), so the round trip is exact.
    """
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _unguard(cell: str) -> str:
    """Undo :func:`_guard` on a cell read from CSV."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_TRIGGERS) else cell


def read_csv_text(
    text: str, file: str, table_name: str | None = None
) -> tuple[list[RawTable], list[Issue]]:
    """Read one CSV table from decoded text into a raw table, with every header issue."""
    place = Place(file)
    records, issues = _records(text, place)
    if issues or not records:
        return [], issues
    table: Table | None
    if table_name is not None:
        table = schema().table(table_name)
    else:
        table = table_from_name(Path(file).stem) or _table_from_header(records[0])
    if table is None:
        names = ", ".join(f"{t.name}.csv" for t in schema().tables)
        return [], [
            place.issue(
                IssueCode.UNKNOWN_TABLE,
                f"cannot tell which table this file holds; name it after its table ({names})",
                f"tidak jelas tabel apa isi berkas ini; beri nama berkas sesuai tabelnya ({names})",
            )
        ]
    header, issues = map_header(table, records[0], place)
    raw, more = grid_table(table, place, header, enumerate(records[1:], start=2))
    return [raw], issues + more


def cell_text(value: object) -> str:
    """Write a typed model value as CSV text that reads back to the same value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format_float(value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, tuple | str):
        return _guard(value if isinstance(value, str) else "; ".join(str(v) for v in value))
    if isinstance(value, Period | int):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} to a cell")


def write_csv(table: Table, rows: Sequence[dict[str, object]], path: Path) -> Path:
    """Write one table as UTF-8 CSV (with BOM, so Excel shows Indonesian names right)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.header for c in table.columns])
        for row in rows:
            writer.writerow([cell_text(row.get(c.field)) for c in table.columns])
    return path
