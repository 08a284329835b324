"""From a file to raw grids of cells: xlsx workbooks, CSV files or folders, YAML and JSON.

Guards run before any parser (size, macro-enabled formats, zip bombs); YAML is read with a
safe loader that refuses aliases and repeated keys, JSON refuses repeated keys too. Problems
of the file as a whole are recorded on the :class:`~.spec.TemplateRows` being built.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from openpyxl.utils.exceptions import InvalidFileException

from sinergi.errors import FileProblem
from sinergi.i18n import N_
from sinergi.io.emobility.spec import HELP_SHEETS, Template, TemplateRows, norm
from sinergi.io.issues import IssueCode, Place, describe
from sinergi.io.reader import decode_text
from sinergi.io.safety import check_size, check_suffix, check_workbook_archive

__all__ = ["Grid", "grids"]


@dataclass(slots=True)
class Grid:
    """A sheet as read: header cells, then numbered rows of cells (or a document's items)."""

    name: str
    header: list[object]
    rows: list[tuple[int, list[object]]]
    letters: bool = False
    document: bool = False


def grids(path: Path, template: Template, result: TemplateRows) -> list[Grid]:
    """Return the raw grids of ``path``; whole-file problems are added to ``result``.

    Raises
    ------
    UnsafeInput
        When the file is refused before parsing (too large, macros, zip bomb).
    """
    if path.is_dir():
        found = []
        for file in sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv"):
            found += _csv_grids(file, file.stem, result)
        if not found:
            result.add(
                Place(path.name),
                IssueCode.NO_DATA_ROWS,
                N_("the folder holds no CSV files; save each sheet as <sheet>.csv in it"),
            )
        return found
    suffix = path.suffix.lower()
    check_suffix(path)
    check_size(path)
    if suffix == ".xlsx":
        check_workbook_archive(path)
        return _xlsx_grids(path, result)
    if suffix == ".csv":
        sheet = template.sheet(path.stem)
        return _csv_grids(path, sheet.name if sheet else template.csv_sheet, result)
    if suffix in (".yaml", ".yml", ".json"):
        return _document_grids(path, suffix, template, result)
    result.add(
        Place(path.name),
        IssueCode.UNSUPPORTED_FORMAT,
        N_("files ending in {suffix} cannot be read; use .xlsx, .csv, .yaml or .json"),
        suffix=suffix or "(nothing)",
    )
    return []


def _text(path: Path, result: TemplateRows) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileProblem(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        result.add(
            Place(path.name), IssueCode.EMPTY_FILE, N_("the file is empty; fill in the template")
        )
        return None
    text, issues = decode_text(data, path.name)
    result.issues += issues
    return None if issues else text


def _csv_grids(path: Path, sheet: str, result: TemplateRows) -> list[Grid]:
    text = _text(path, result)
    if text is None:
        return []
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count) if any(d in first for d in ",;\t") else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        result.add(
            Place(path.name),
            IssueCode.SYNTAX_ERROR,
            N_("the CSV cannot be read ({detail}); save it again as 'CSV UTF-8'"),
            detail=str(exc),
        )
        return []
    if not records:
        return []
    rows = [(n, list[object](r)) for n, r in enumerate(records[1:], start=2)]
    return [Grid(sheet, list[object](records[0]), rows)]


def _xlsx_grids(path: Path, result: TemplateRows) -> list[Grid]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        result.add(
            Place(path.name),
            IssueCode.UNREADABLE_FILE,
            N_("the workbook cannot be opened ({detail}); save it again as .xlsx"),
            detail=type(exc).__name__,
        )
        return []
    grids = []
    try:
        for sheet in workbook.worksheets:
            if norm(sheet.title) in HELP_SHEETS:
                continue
            sheet.reset_dimensions()  # a forged <dimension> must not pad a million rows
            cells = sheet.iter_rows(values_only=True)
            header = next(cells, None)
            if header is None:
                continue
            rows = [(n, list[object](r)) for n, r in enumerate(cells, start=2)]
            grids.append(Grid(sheet.title, list[object](header), rows, letters=True))
    finally:
        workbook.close()
    return grids


class _Loader(yaml.SafeLoader):
    """A safe YAML loader that refuses aliases and repeated keys."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (*name) are not accepted", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool) or key is None:
                continue  # the base class refuses unhashable keys with its own message
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _pairs_without_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        msg = f"the key {repeated[0]!r} appears twice"
        raise ValueError(msg)
    return dict(pairs)


def _load_document(text: str, suffix: str) -> object:
    if suffix == ".json":
        return json.loads(text, object_pairs_hook=_pairs_without_repeats)
    return yaml.load(text, Loader=_Loader)


def _document_grids(
    path: Path, suffix: str, template: Template, result: TemplateRows
) -> list[Grid]:
    text = _text(path, result)
    if text is None:
        return []
    try:
        doc = _load_document(text, suffix)
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else getattr(exc, "lineno", None)
        detail = str(getattr(exc, "problem", None) or exc).splitlines()[0]
        result.add(
            Place(path.name, row=line),
            IssueCode.SYNTAX_ERROR,
            N_("the document cannot be read ({detail}); fix it near this line"),
            detail=detail,
        )
        return []
    if not isinstance(doc, dict):
        result.add(
            Place(path.name),
            IssueCode.NOT_A_MAPPING,
            N_("the document must be a mapping of sheet names (parts:, components:, ...)"),
        )
        return []
    return list(_document_sheets(doc, path.name, template, result))


def _document_sheets(
    doc: dict[Any, Any], file: str, template: Template, result: TemplateRows
) -> Iterator[Grid]:
    for name, content in doc.items():
        if name == "version":
            if content != 1:
                result.add(
                    Place(file, field="version"),
                    IssueCode.UNSUPPORTED_VERSION,
                    N_("version {value} is not supported; write version: 1"),
                    value=describe(content),
                )
            continue
        sheet = template.sheet(str(name))
        if sheet is not None and sheet.key_value and isinstance(content, dict):
            rows = [(n, [k, v]) for n, (k, v) in enumerate(content.items(), start=1)]
            yield Grid(str(name), ["field", "value"], rows, document=True)
        elif isinstance(content, list) and all(isinstance(i, dict) for i in content):
            keys = list(dict.fromkeys(k for item in content for k in item))
            rows = [(n, [item.get(k) for k in keys]) for n, item in enumerate(content, start=1)]
            yield Grid(str(name), list[object](keys), rows, document=True)
        else:
            result.add(
                Place(file, str(name)),
                IssueCode.NOT_A_LIST,
                N_("'{sheet}' must be a list of rows (each a mapping of column: value)"),
                sheet=name,
            )
