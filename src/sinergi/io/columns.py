"""The table schema of sinergi's input files, loaded from ``data/templates/columns.yaml``.

One description serves every format: XLSX template sheets and drop-downs, CSV headers,
YAML keys and row validation, so that they cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources

import yaml

from sinergi.errors import ReferenceDataError
from sinergi.model.kinds import FILE_TABLES, RECORD_LISTS, record_kind, table_key


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its model field, type, bilingual labels and bounds."""

    field: str
    type: str
    label_en: str
    label_id: str
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    #: The type without its argument (``ref`` for ``ref:parks``) and the argument (``parks``).
    kind: str = dataclasses.field(init=False)
    arg: str = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        kind, _, arg = self.type.partition(":")
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "arg", arg)

    @property
    def header(self) -> str:
        """Return the bilingual header written in templates: ``English / Indonesia``."""
        return f"{self.label_en} / {self.label_id}"

    def accepts_header(self, text: str) -> bool:
        """Return whether a header cell names this column.

        Accepted: the field name, either label, the bilingual header, and either label
        without its parenthetical note (``Periode`` for ``Periode (2024 atau 2024-03)``).
        """
        return _norm(text) in self._names()

    def _names(self) -> set[str]:
        labels = {self.field, self.label_en, self.label_id, self.header}
        labels |= {re.sub(r"\s*\(.*?\)", "", label) for label in (self.label_en, self.label_id)}
        return {_norm(n) for n in labels}


def _norm(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").split())


@dataclass(frozen=True, slots=True)
class Table:
    """One record kind: a sheet in XLSX, a CSV file, a list in YAML."""

    name: str
    sheet: str
    label_en: str
    label_id: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]

    def column(self, field: str) -> Column:
        """Return the column for a model field."""
        for col in self.columns:
            if col.field == field:
                return col
        raise KeyError(field)


@dataclass(frozen=True, slots=True)
class Schema:
    """All tables, in dependency order (a table refers only to tables before it)."""

    version: str
    tables: tuple[Table, ...]

    def table(self, name: str) -> Table:
        """Return a table by name."""
        for table in self.tables:
            if name in {table.name, table.sheet}:
                return table
        raise KeyError(name)


def _check_against_model(tables: tuple[Table, ...]) -> None:
    """Refuse a schema whose tables, keys or record columns drift from the model's registry.

    Raises
    ------
    ReferenceDataError
        Naming the table that differs from :mod:`sinergi.model.kinds`.
    """
    names = tuple(t.name for t in tables)
    if names != FILE_TABLES:
        raise ReferenceDataError(
            f"columns.yaml lists tables {names}; the model declares {FILE_TABLES}"
        )
    for table in tables:
        if table.key != table_key(table.name):
            raise ReferenceDataError(
                f"columns.yaml gives table {table.name} the key {table.key}; the model "
                f"declares {table_key(table.name)}"
            )
        if table.name in RECORD_LISTS:
            declared = tuple(f.name for f in fields(record_kind(table.name).cls))
            given = tuple(c.field for c in table.columns)
            if given != declared:
                raise ReferenceDataError(
                    f"columns.yaml gives table {table.name} the columns {given}; the model "
                    f"declares {declared}"
                )


@cache
def schema() -> Schema:
    """Return the shipped input schema, checked against the model's registry of kinds."""
    text = resources.files("sinergi.data.templates").joinpath("columns.yaml").read_text("utf-8")
    doc = yaml.safe_load(text)
    tables = []
    for raw in doc["tables"]:
        columns = tuple(
            Column(
                field=c["field"],
                type=c["type"],
                label_en=c["en"],
                label_id=c["id"],
                required=bool(c.get("required", False)),
                minimum=c.get("min"),
                maximum=c.get("max"),
                pattern=c.get("pattern"),
            )
            for c in raw["columns"]
        )
        tables.append(
            Table(
                name=raw["name"],
                sheet=raw["sheet"],
                label_en=raw["label_en"],
                label_id=raw["label_id"],
                key=tuple(raw["key"]),
                columns=columns,
            )
        )
    _check_against_model(tuple(tables))
    return Schema(version=str(doc["version"]), tables=tuple(tables))
