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

import codecs
import csv
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import BinaryIO

from openpyxl.utils import get_column_letter

from sinergi.i18n import N_
from sinergi.io.cells import RawRow, RawTable, label
from sinergi.io.columns import Table, schema
from sinergi.io.issues import Issue, IssueCode, IssueLog, Place, describe
from sinergi.io.numbers import format_float
from sinergi.model import Period

_DELIMITERS = (",", ";", "\t")
_BARE_CR = re.compile(r"(?<=\r)(?!\n)")


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
        header.labels[index] = _label(index, text[:60], letters)
        at = Place(place.file, place.sheet, 1, header.labels[index])
        column = next((c for c in table.columns if c.accepts_header(text)), None)
        if column is None or column.field in header.fields.values():
            header.ignored.add(index)
        if column is None:
            issues.append(
                at.issue(
                    IssueCode.UNKNOWN_COLUMN,
                    N_(
                        "unknown column {text} for {table}; use a template header or one of: "
                        "{accepted}"
                    ),
                    text=describe(text),
                    table=label(table),
                    accepted=accepted,
                )
            )
        elif column.field in header.fields.values():
            issues.append(
                at.issue(
                    IssueCode.DUPLICATE_COLUMN,
                    N_("column {text} appears twice; delete one of the two columns"),
                    text=describe(text),
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
                N_("required column '{header}' is missing; add it (header in row 1)"),
                header=column.header,
            )
        )
    header.absent = frozenset(c.field for c in absent)
    return header, issues


def _empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def grid_rows(
    place: Place,
    header: Header,
    body: Iterable[tuple[int, Sequence[object]]],
    log: IssueLog,
) -> Iterator[RawRow]:
    """Yield numbered data rows under a mapped header as raw rows; skip empty rows.

    A value in a column without a header is logged once per column.
    """
    flagged: set[int] = set()
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
                log.add(
                    Place(place.file, place.sheet, number, header.label(index)).issue(
                        IssueCode.UNKNOWN_COLUMN,
                        N_(
                            "value {value} is in a column without a header; add the header or "
                            "move the value"
                        ),
                        value=describe(cell),
                    )
                )
        yield row


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


def _not_utf8(file: str, line: int, byte: int) -> Issue:
    return Place(file, row=line).issue(
        IssueCode.NOT_UTF8,
        N_(
            "the file is not UTF-8 (byte 0x{byte} on line {line}; probably saved as "
            "ANSI/Latin-1); save it as 'CSV UTF-8' or UTF-8 text"
        ),
        byte=f"{byte:02x}",
        line=line,
    )


def _text_lines(handle: BinaryIO, file: str, log: IssueLog) -> Iterator[str]:
    """Yield the decoded lines of a UTF-8 file (BOM dropped); stop at a byte that is not UTF-8."""
    for number, raw in enumerate(handle, start=1):
        line = raw[3:] if number == 1 and raw.startswith(codecs.BOM_UTF8) else raw
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            log.add(_not_utf8(file, number, line[exc.start]))
            return
        if "\r" in text.rstrip("\r\n"):
            yield from (part for part in _BARE_CR.split(text) if part)  # old Mac line ends
        else:
            yield text


def _records(lines: Iterator[str], place: Place, log: IssueLog) -> Iterator[list[str]]:
    """Yield the CSV records of ``lines`` (delimiter from the first line), unguarded."""
    first = next(lines, None)
    if first is None:
        return
    reader = csv.reader(itertools.chain([first], lines), delimiter=_delimiter(first))
    count = 0
    try:
        for record in reader:
            count += 1
            yield [_unguard(cell) for cell in record]
    except csv.Error as exc:
        log.add(
            Place(place.file, row=count + 1).issue(
                IssueCode.SYNTAX_ERROR,
                N_("the CSV cannot be read here ({detail}); save the file again as 'CSV UTF-8'"),
                detail=str(exc)[:200],
            )
        )


def open_csv(
    path: Path, file: str, table_name: str | None, log: IssueLog, stack: ExitStack
) -> list[RawTable]:
    """Open one CSV table for streaming: read its header now, its rows as they are consumed.

    The file stays open (registered on ``stack``) until the rows are read; row problems
    are logged as they are met.
    """
    place = Place(file)
    handle = stack.enter_context(path.open("rb"))
    records = _records(_text_lines(handle, file, log), place, log)
    head = next(records, None)
    if head is None:
        return []
    table: Table | None
    if table_name is not None:
        table = schema().table(table_name)
    else:
        table = table_from_name(Path(file).stem) or _table_from_header(head)
    if table is None:
        names = ", ".join(f"{t.name}.csv" for t in schema().tables)
        log.add(
            place.issue(
                IssueCode.UNKNOWN_TABLE,
                N_("cannot tell which table this file holds; name it after its table ({names})"),
                names=names,
            )
        )
        return []
    header, issues = map_header(table, head, place)
    log.extend(issues)
    rows = grid_rows(place, header, enumerate(records, start=2), log)
    return [RawTable(table, place.file, place.sheet, rows, header.absent)]


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
