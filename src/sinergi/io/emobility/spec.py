"""The shape of an e-mobility input template: sheets, typed columns, located rows and issues.

A template is a set of sheets; each sheet is a table (a header row, then one row per record)
or a key-value sheet (``field | value`` rows). Columns say how their cells are read (text,
number, share, integer, year, choice, yes/no) and their limits. Problems become
:class:`~sinergi.io.issues.Issue` objects naming file, sheet, row, column and field, with the
message in English and, from the catalogues, in Bahasa Indonesia.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sinergi.errors import InputError
from sinergi.i18n import N_, gettext
from sinergi.io.issues import Issue, Place

__all__ = [
    "HELP_SHEETS",
    "MAX_ISSUES",
    "Column",
    "Kind",
    "Row",
    "Sheet",
    "Template",
    "TemplateRows",
    "located",
    "norm",
]

MAX_ISSUES = 1000
#: Sheets of a workbook that hold help, never input rows.
HELP_SHEETS = ("instructions", "petunjuk")


class Kind(StrEnum):
    """How a column's cells are read."""

    TEXT = "text"
    NUMBER = "number"
    SHARE = "share"
    INTEGER = "integer"
    YEAR = "year"
    CHOICE = "choice"
    BOOLEAN = "boolean"


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a template sheet: its key, headers, kind and limits."""

    key: str
    header_en: str
    header_id: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: Mapping[str, str] = field(default_factory=dict)
    minimum: float | None = None
    maximum: float | None = None
    above_minimum: bool = False
    help_en: str = ""
    help_id: str = ""

    def names(self) -> set[str]:
        """Return the header texts that name this column (compared case-insensitively)."""
        names = (self.key, self.header_en, self.header_id, self.label)
        return {norm(n) for n in names}

    @property
    def label(self) -> str:
        """Return the bilingual header the written templates carry."""
        return f"{self.header_en} / {self.header_id}"


@dataclass(frozen=True, slots=True)
class Sheet:
    """A sheet of a template: a table of rows, or a key-value sheet of fields."""

    name: str
    title_en: str
    title_id: str
    columns: tuple[Column, ...]
    required: bool = False
    key_value: bool = False
    help_en: str = ""
    help_id: str = ""

    def column(self, key: str) -> Column:
        """Return the column ``key``."""
        return next(c for c in self.columns if c.key == key)

    def names(self) -> set[str]:
        """Return the names that identify this sheet (key, English or Indonesian title)."""
        return {norm(n) for n in (self.name, self.title_en, self.title_id)}


@dataclass(frozen=True, slots=True)
class Template:
    """A template: its name, sheets, and the sheet a lone CSV file holds."""

    name: str
    sheets: tuple[Sheet, ...]
    csv_sheet: str

    def sheet(self, name: str) -> Sheet | None:
        """Return the sheet called ``name`` (key or title, any case), if there is one."""
        wanted = norm(name)
        return next((s for s in self.sheets if wanted in s.names()), None)


@dataclass(frozen=True, slots=True)
class Row:
    """A data row: where it is and its typed values (``None`` for blank cells)."""

    place: Place
    values: dict[str, Any]
    columns: dict[str, str]

    def at(self, key: str) -> Place:
        """Return the place of this row's cell in column ``key``."""
        return Place(self.place.file, self.place.sheet, self.place.row, self.columns.get(key), key)


@dataclass(slots=True)
class TemplateRows:
    """The rows of every sheet read, and every problem found."""

    file: str
    rows: dict[str, list[Row]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    def sheet(self, name: str) -> list[Row]:
        """Return the rows of sheet ``name`` (empty when absent)."""
        return self.rows.get(name, [])

    def fields(self, name: str) -> dict[str, Row]:
        """Return a key-value sheet as ``field -> row`` (the value is ``row.values['value']``)."""
        return {row.values["field"]: row for row in self.sheet(name)}

    def add(self, place: Place, code: str, message: str, **values: object) -> None:
        """Record a problem at ``place``; ``message`` is English marked for the catalogues."""
        self.issues.append(located(place, code, message, **values))

    def raise_if_any(self) -> None:
        """Raise every problem at once; with none, do nothing.

        Raises
        ------
        InputError
            Listing up to :data:`MAX_ISSUES` problems, then a count of the rest.
        """
        if not self.issues:
            return
        shown = self.issues[:MAX_ISSUES]
        if len(self.issues) > MAX_ISSUES:
            rest = len(self.issues) - MAX_ISSUES
            shown.append(
                located(
                    Place(self.file),
                    "too_many_problems",
                    N_("{count} more problems are not listed; fix the ones above first"),
                    count=rest,
                )
            )
        raise InputError(shown)


def located(place: Place, code: str, message: str, **values: object) -> Issue:
    """Return an issue at ``place`` with ``message`` in English and in Indonesian."""
    return Issue(
        place.file,
        place.sheet,
        place.row,
        place.column,
        place.field,
        str(code),
        message.format(**values),
        gettext("id", message).format(**values),
    )


def norm(text: object) -> str:
    """Return ``text`` as compared with names: lower case, ``_`` and ``*`` as spaces."""
    return " ".join(str(text).replace("*", " ").replace("_", " ").split()).lower()
