"""Read input files (YAML, JSON, CSV, a directory of CSVs, XLSX) into the ecosystem they hold.

:func:`read_files` is all or nothing: it returns a :class:`ParsedFile` only when every file
given is valid, and otherwise raises :class:`~sinergi.errors.InputError` with the located
problems (at most a thousand listed per file, all counted by kind), or
:class:`~sinergi.errors.UnsafeInput` before parsing. Several files (and a directory's CSV
files) are read together as one document: a company file may name parks of a park file
beside it, and one transaction imports them all.

CSV files and XLSX sheets are streamed: rows are typed, checked and added to the model one
at a time, and a file that is already known to be rejected keeps only the keys it needs to
find duplicates, so memory stays flat however many bad rows a file has.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sinergi.errors import FileProblem, InputError
from sinergi.i18n import N_
from sinergi.io.build import EcosystemBuilder
from sinergi.io.cells import RawTable
from sinergi.io.columns import schema
from sinergi.io.csv_io import open_csv
from sinergi.io.issues import MAX_LISTED, Issue, IssueCode, IssueLog, Place, bilingual
from sinergi.io.references import Outside, outside_nodes
from sinergi.io.safety import MAX_FILE_BYTES, check_size, check_suffix, check_workbook_archive
from sinergi.io.xlsx_io import expected_rows, open_workbook
from sinergi.io.yaml_doc import read_document
from sinergi.model import Catalogue, Ecosystem, LandUse, Park, Period, default_catalogue

#: File suffix -> format name.
FORMATS: dict[str, str] = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
}

_OTHER_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_CHUNK = 1 << 20

#: Called while reading: ``(rows read, rows expected or None)``.
Progress = Callable[[int, int | None], None]


@dataclass
class ParsedFile:
    """Valid input, parsed: one file, a directory of CSV files, or several files together.

    Attributes
    ----------
    path
        The file or directory read (the first one, when several were read together).
    sha256
        SHA-256 of the input (see :func:`input_digest`).
    format
        ``"yaml"``, ``"json"``, ``"csv"`` or ``"xlsx"``; ``"mixed"`` for several formats.
    ecosystem
        Only what the input holds (no default external nodes added); flow quantities in
        canonical units; parks of the input carry their land use from the input.
    tables
        Names of the tables with at least one row.
    periods
        For each periodic table with rows, the periods present.
    land_use
        The land-use rows by park: these parks' land use is replaced by the input's (parks
        listed without land-use rows keep what is stored).
    paths
        Every file or directory read.
    """

    path: Path
    sha256: str
    format: str
    ecosystem: Ecosystem
    tables: frozenset[str]
    periods: dict[str, frozenset[Period]]
    land_use: dict[str, dict[LandUse, float]] = field(default_factory=dict)
    paths: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True)
class _Input:
    """One file to read: where it is, the name issues show, and its format."""

    path: Path
    name: str
    format: str


def _missing_file(path: Path) -> FileProblem:
    return FileProblem(
        bilingual(N_("file {path} does not exist; check the name and the folder"), path=path)
    )


def _expand(paths: Sequence[Path]) -> list[_Input]:
    """Return the files to read: each file, and the CSV files of each directory (by name)."""
    inputs = []
    for path in paths:
        if not path.exists():
            raise _missing_file(path)
        if path.is_dir():
            members = sorted(
                p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file()
            )
            inputs += [_Input(p, p.name, "csv") for p in members]
            continue
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            check_suffix(path)
            raise InputError([_unsupported(path)])
        inputs.append(_Input(path, path.name, fmt))
    return inputs


def _unsupported(path: Path) -> Issue:
    return Place(path.name).issue(
        IssueCode.UNSUPPORTED_FORMAT,
        N_("files ending in {suffix} cannot be read; use one of {accepted}"),
        suffix=path.suffix or "(-)",
        accepted=", ".join(sorted(FORMATS)),
    )


def file_digest(path: Path) -> tuple[str, int, bool]:
    """Return a file's SHA-256, its number of lines and whether it holds only blanks."""
    digest, lines, blank = hashlib.sha256(), 0, True
    try:
        with path.open("rb") as handle:
            first = True
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                lines += chunk.count(b"\n")
                if blank:
                    body = chunk[3:] if first and chunk.startswith(codecs.BOM_UTF8) else chunk
                    blank = not body.strip(b" \t\r\n")
                first = False
    except OSError as exc:
        raise FileProblem(
            bilingual(
                N_("cannot read {path} ({reason}); check that the file exists and is readable"),
                path=path,
                reason=exc.strerror or exc,
            )
        ) from exc
    return digest.hexdigest(), lines, blank


def input_digest(paths: Sequence[Path]) -> str:
    """Return the SHA-256 that identifies an input, computed without parsing it.

    One file: the SHA-256 of its bytes. A directory, or several paths: the SHA-256 of the
    sorted ``name NUL sha256`` lines of its files (so the order given does not matter).
    """
    entries = []
    for path in paths:
        if not path.exists():
            raise _missing_file(path)
        if path.is_dir():
            members = sorted(
                p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file()
            )
            lines = sorted(f"{p.name}\0{file_digest(p)[0]}\n" for p in members)
            entries.append((path.name, hashlib.sha256("".join(lines).encode()).hexdigest()))
        else:
            entries.append((path.name, file_digest(path)[0]))
    if len(entries) == 1:
        return entries[0][1]
    lines = sorted(f"{name}\0{sha}\n" for name, sha in entries)
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def _empty(name: str) -> Issue:
    return Place(name).issue(
        IssueCode.EMPTY_FILE, N_("the file is empty; fill in the template and save it again")
    )


def _open(
    item: _Input, table: str | None, max_bytes: int, log: IssueLog, stack: ExitStack
) -> tuple[list[RawTable], int | None]:
    """Return the raw tables of one file (rows streamed) and the rows it is expected to hold."""
    size = check_size(item.path, max_bytes)
    if item.format != "xlsx":
        return _open_text(item, table, log, stack)
    check_workbook_archive(item.path)
    if size == 0:
        log.add(_empty(item.name))
        return [], 0
    return open_workbook(item.path, item.name, table, log, stack), expected_rows(item.path)


def _open_text(
    item: _Input, table: str | None, log: IssueLog, stack: ExitStack
) -> tuple[list[RawTable], int | None]:
    _sha, lines, blank = file_digest(item.path)
    with item.path.open("rb") as handle:
        head = handle.read(4)
    if blank:
        log.add(_empty(item.name))
    elif head.startswith(_OTHER_BOMS):
        log.add(_not_utf8_bom(item.name))
    elif item.format == "csv":
        return open_csv(item.path, item.name, table, log, stack), max(lines - 1, 0)
    elif (text := _decode_document(item, log)) is not None:
        tables = read_document(text, item.name, item.format, table, log)
        return tables, sum(len(t.rows) for t in tables if isinstance(t.rows, list))
    return [], 0


def _not_utf8_bom(name: str) -> Issue:
    return Place(name).issue(
        IssueCode.NOT_UTF8,
        N_(
            "the file is saved as UTF-16/UTF-32 ('Unicode text'); save it as 'CSV UTF-8' or "
            "UTF-8 text"
        ),
    )


def decode_text(data: bytes, file: str) -> tuple[str, list[Issue]]:
    """Decode UTF-8 (with or without BOM); refuse other encodings with a located issue."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith(_OTHER_BOMS):
        return "", [_not_utf8_bom(file)]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return "", [
            Place(file, row=line).issue(
                IssueCode.NOT_UTF8,
                N_(
                    "the file is not UTF-8 (byte 0x{byte} on line {line}; probably saved as "
                    "ANSI/Latin-1); save it as 'CSV UTF-8' or UTF-8 text"
                ),
                byte=f"{data[exc.start]:02x}",
                line=line,
            )
        ]


def _decode_document(item: _Input, log: IssueLog) -> str | None:
    text, issues = decode_text(item.path.read_bytes(), item.name)
    log.extend(issues)
    return None if issues else text


def _check_table(table: str | None, name: str) -> None:
    if table is not None and table not in {t.name for t in schema().tables}:
        raise InputError(
            [
                Place(name).issue(
                    IssueCode.UNKNOWN_TABLE,
                    N_("there is no table {table}; use one of {names}"),
                    table=repr(table),
                    names=", ".join(t.name for t in schema().tables),
                )
            ]
        )


def read_files(
    paths: Iterable[Path],
    *,
    catalogue: Catalogue | None = None,
    known_nodes: Mapping[str, str] | None = None,
    node_parks: Mapping[str, str | None] | None = None,
    stored_parks: Mapping[str, Park] | None = None,
    table: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    progress: Progress | None = None,
    limit: int = MAX_LISTED,
) -> ParsedFile:
    """Read input files together into the ecosystem they hold, or report their problems.

    Parameters
    ----------
    paths
        ``.yaml``/``.yml``/``.json`` park documents, ``.csv`` tables, directories of CSV
        tables and ``.xlsx`` workbooks, read together as one document.
    catalogue
        Commodity catalogue; the shipped one by default.
    known_nodes
        Node id -> table name (``parks``, ``companies``, …) of nodes outside the files, e.g.
        already in the database. Default external nodes are always known.
    node_parks
        Stored node id -> the park it belongs to; a file that puts a stored node in another
        park (or makes it another kind) is refused at the row.
    stored_parks
        Stored parks; a file that makes land use exceed a park's area, with the area or
        land use it gives and the rest stored, is refused at the row.
    table
        For CSV files, the table they hold (otherwise read from the file name or header);
        for other formats, read only this table.
    max_bytes
        Size cap per file.
    progress
        Called every thousand rows with the rows read and the rows expected.
    limit
        Problems listed per file; further ones are only counted.

    Raises
    ------
    InputError
        With the located problems; nothing of the input is returned.
    UnsafeInput
        If a file is refused before parsing (size, macros, zip bomb).
    FileProblem
        If a file does not exist or cannot be read.
    """
    paths = [Path(p) for p in paths]
    inputs = _expand(paths)
    _check_table(table, paths[0].name if paths else "-")
    log = IssueLog(limit)
    outside = Outside(outside_nodes(known_nodes), node_parks or {}, stored_parks or {})
    builder = EcosystemBuilder(catalogue or default_catalogue(), outside, log, progress)
    with ExitStack() as stack:
        raw: list[RawTable] = []
        expected = 0
        for item in inputs:
            tables, rows = _open(item, table, max_bytes, log, stack)
            raw += tables
            expected += rows or 0
        builder.expected_rows = expected
        builder.consume(raw)
    built = builder.finish()
    if not log and not builder.tables:
        log.add(_no_rows(paths[0] if paths else Path("-")))
    if log or built is None:
        raise log.error()
    formats = {item.format for item in inputs} or {"csv"}
    return ParsedFile(
        path=paths[0],
        sha256=input_digest(paths),
        format=formats.pop() if len(formats) == 1 else "mixed",
        ecosystem=built.ecosystem,
        tables=built.tables,
        periods=built.periods,
        land_use=built.land_use,
        paths=tuple(paths),
    )


def _no_rows(path: Path) -> Issue:
    return Place(path.name).issue(
        IssueCode.NO_DATA_ROWS,
        N_("the file has no data rows; fill in at least one row under the header"),
    )


def read_file(path: Path, **options: Any) -> ParsedFile:
    """Read one input file or directory; see :func:`read_files` for the options."""
    return read_files([Path(path)], **options)
