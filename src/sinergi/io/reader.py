"""Read any input file (YAML, JSON, CSV, a directory of CSVs, XLSX) into an ecosystem.

:func:`read_file` is all or nothing: it returns a :class:`ParsedFile` only when the whole
file is valid, and otherwise raises :class:`~sinergi.errors.InputError` listing every
located problem at once (or :class:`~sinergi.errors.UnsafeInput` before parsing).
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sinergi.errors import InputError
from sinergi.io.columns import schema
from sinergi.io.csv_io import read_csv_text
from sinergi.io.issues import Issue, IssueCode, Place
from sinergi.io.rows import RawTable, build_ecosystem
from sinergi.io.safety import MAX_FILE_BYTES, check_size, check_suffix, check_workbook_archive
from sinergi.io.xlsx_io import read_workbook
from sinergi.io.yaml_doc import read_document
from sinergi.model import Catalogue, Ecosystem, Period, default_catalogue

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


@dataclass
class ParsedFile:
    """A valid input file, parsed.

    Attributes
    ----------
    path
        The file (or directory of CSV files) read.
    sha256
        SHA-256 of the file bytes; for a directory, of the sorted ``name NUL sha256`` lines
        of its CSV files.
    format
        ``"yaml"``, ``"json"``, ``"csv"`` or ``"xlsx"``.
    ecosystem
        Only what the file holds (no default external nodes added); flow quantities in
        canonical units.
    tables
        Names of the tables with at least one row in the file.
    periods
        For each table with a ``period`` column and rows, the periods present.
    """

    path: Path
    sha256: str
    format: str
    ecosystem: Ecosystem
    tables: frozenset[str]
    periods: dict[str, frozenset[Period]]


def decode_text(data: bytes, file: str) -> tuple[str, list[Issue]]:
    """Decode UTF-8 (with or without BOM); refuse other encodings with a located issue."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith(_OTHER_BOMS):
        return "", [
            Place(file).issue(
                IssueCode.NOT_UTF8,
                "the file is saved as UTF-16/UTF-32 ('Unicode text'); save it as 'CSV UTF-8' "
                "or UTF-8 text",
                "berkas disimpan sebagai UTF-16/UTF-32 ('Unicode text'); simpan sebagai "
                "'CSV UTF-8' atau teks UTF-8",
            )
        ]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return "", [
            Place(file, row=line).issue(
                IssueCode.NOT_UTF8,
                f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} on line {line}; probably "
                "saved as ANSI/Latin-1); save it as 'CSV UTF-8' or UTF-8 text",
                f"berkas bukan UTF-8 (bita 0x{data[exc.start]:02x} di baris {line}; kemungkinan "
                "disimpan sebagai ANSI/Latin-1); simpan sebagai 'CSV UTF-8' atau teks UTF-8",
            )
        ]


def _unsupported(path: Path) -> InputError:
    accepted = ", ".join(sorted(FORMATS))
    return InputError(
        [
            Place(path.name).issue(
                IssueCode.UNSUPPORTED_FORMAT,
                f"files ending in {path.suffix or '(nothing)'} cannot be read; "
                f"use one of {accepted}",
                f"berkas berakhiran {path.suffix or '(kosong)'} tidak dapat dibaca; gunakan salah "
                f"satu dari {accepted}",
            )
        ]
    )


def _read_one(
    path: Path, fmt: str, table: str | None, max_bytes: int
) -> tuple[str, list[RawTable], list[Issue]]:
    """Return the file's sha256, raw tables and issues; guards run before any parser."""
    check_suffix(path)
    size = check_size(path, max_bytes)
    if fmt == "xlsx":
        check_workbook_archive(path)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if size == 0 or (fmt != "xlsx" and not data.strip(codecs.BOM_UTF8 + b" \t\r\n")):
        return (
            digest,
            [],
            [
                Place(path.name).issue(
                    IssueCode.EMPTY_FILE,
                    "the file is empty; fill in the template and save it again",
                    "berkas kosong; isi template lalu simpan kembali",
                )
            ],
        )
    if fmt == "xlsx":
        return digest, *read_workbook(path, path.name, table)
    text, issues = decode_text(data, path.name)
    if issues:
        return digest, [], issues
    if fmt == "csv":
        return digest, *read_csv_text(text, path.name, table)
    return digest, *read_document(text, path.name, fmt, table)


def _read_directory(path: Path, max_bytes: int) -> tuple[str, list[RawTable], list[Issue]]:
    files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    lines, tables, issues = [], [], []
    for file in files:
        digest, found, more = _read_one(file, "csv", None, max_bytes)
        lines.append(f"{file.name}\0{digest}\n")
        tables += found
        issues += more
    return hashlib.sha256("".join(lines).encode()).hexdigest(), tables, issues


def _no_rows(path: Path) -> Issue:
    return Place(path.name).issue(
        IssueCode.NO_DATA_ROWS,
        "the file has no data rows; fill in at least one row under the header",
        "berkas tidak berisi baris data; isi minimal satu baris di bawah judul kolom",
    )


def read_file(
    path: Path,
    *,
    catalogue: Catalogue | None = None,
    known_nodes: Mapping[str, str] | None = None,
    table: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> ParsedFile:
    """Read an input file into the ecosystem it holds, or report every problem in it.

    Parameters
    ----------
    path
        A ``.yaml``/``.yml``/``.json`` park document, a ``.csv`` table, a directory of CSV
        tables (read together, as one document) or an ``.xlsx`` workbook.
    catalogue
        Commodity catalogue; the shipped one by default.
    known_nodes
        Node id -> table name (``parks``, ``companies``, ``facilities``, ``processes``,
        ``externals``, ``regions``) of nodes outside the file, e.g. already in the
        database. Default external nodes are always known.
    table
        For a CSV file, the table it holds (otherwise read from the file name or header);
        for other formats, read only this table.
    max_bytes
        Size cap per file.

    Raises
    ------
    InputError
        Listing every located problem; nothing of the file is returned.
    UnsafeInput
        If the file is refused before parsing (size, macros, zip bomb).
    """
    path = Path(path)
    if not path.exists():
        raise InputError(
            [
                Place(path.name).issue(
                    IssueCode.UNREADABLE_FILE,
                    f"file {path.name} does not exist; check the name",
                    f"berkas {path.name} tidak ada; periksa namanya",
                )
            ]
        )
    fmt = "csv" if path.is_dir() else FORMATS.get(path.suffix.lower())
    if fmt is None:
        check_suffix(path)
        raise _unsupported(path)
    if table is not None and table not in {t.name for t in schema().tables}:
        names = ", ".join(t.name for t in schema().tables)
        raise InputError(
            [
                Place(path.name).issue(
                    IssueCode.UNKNOWN_TABLE,
                    f"there is no table {table!r}; use one of {names}",
                    f"tidak ada tabel {table!r}; gunakan salah satu dari {names}",
                )
            ]
        )
    if path.is_dir():
        digest, raw, issues = _read_directory(path, max_bytes)
    else:
        digest, raw, issues = _read_one(path, fmt, table, max_bytes)
    eco, more = build_ecosystem(raw, catalogue or default_catalogue(), known_nodes)
    issues += more
    if not issues and not any(t.rows for t in raw):
        issues.append(_no_rows(path))
    if issues:
        raise InputError(list(issues))
    return ParsedFile(path, digest, fmt, eco, *_summary(raw, eco))


def _summary(
    raw: list[RawTable], eco: Ecosystem
) -> tuple[frozenset[str], dict[str, frozenset[Period]]]:
    tables = frozenset(t.table.name for t in raw if t.rows)
    periods: dict[str, set[Period]] = {}
    for name in sorted(tables):
        if any(c.field == "period" for c in schema().table(name).columns):
            items = eco.flows if name == "flows" else getattr(eco, name)
            periods[name] = {item.period for item in items}
    return tables, {k: frozenset(v) for k, v in periods.items()}
