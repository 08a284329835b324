"""The database schema, as SQLAlchemy Core tables (Core is what bulk saves need).

Layout:

* ``nodes`` holds every node id once (``kind`` names its detail table, ``parent_id``
  its parent, ``park_id`` the park it belongs to, for fast per-park queries); one detail
  table per node kind (``regions``, ``parks``, ``park_land_use``, ``companies``,
  ``smelters``, ``facilities``, ``processes``, ``externals``) keyed by that id.
* ``commodities`` mirrors the commodity catalogue, with its version.
* ``flows`` and one table per record kind of :mod:`sinergi.model.records` (columns are
  the dataclass fields, plus ``park_id`` for scoping and ``import_id`` naming the import
  that wrote the row). Periods are stored as text (``2024``, ``2024-03``).
* ``imports`` logs every applied import (the same file may be imported again after other
  changes); ``data_version`` counts write transactions.
* ``exchanges`` and ``exchange_events`` hold the symbiosis facilitator's proposals and
  their status history.

Every foreign key is ``DEFERRABLE INITIALLY DEFERRED``: it is checked at commit, so a
park can be deleted and written again inside one transaction even when other parks'
flows point at its nodes. Lists (KBLI codes, sources, programmes) are JSON.
"""

from __future__ import annotations

import types
from dataclasses import fields
from enum import StrEnum
from typing import Any, Union, get_args, get_origin, get_type_hints

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeEngine

from sinergi.model.kinds import RECORD_KINDS, NodeKind, RecordKind
from sinergi.model.period import Period

#: Constraint names follow one pattern so that migrations (and SQLite batch mode) can
#: refer to them.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

#: Surrogate keys: 64-bit on PostgreSQL, SQLite's rowid alias (``INTEGER PRIMARY KEY``).
SurrogateKey = BigInteger().with_variant(Integer(), "sqlite")


class ImportState(StrEnum):
    """Whether an import's data still stands or a later import replaced it."""

    ACTIVE = "active"
    SUPERSEDED = "superseded"


def _fk(target: str) -> ForeignKey:
    return ForeignKey(target, deferrable=True, initially="DEFERRED")


def _node_fk(name: str, *, nullable: bool) -> Column[str]:
    return Column(name, Text, _fk("nodes.id"), nullable=nullable)


def _detail_id() -> Column[str]:
    return Column("id", Text, _fk("nodes.id"), primary_key=True)


nodes = Table(
    "nodes",
    metadata,
    Column("id", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    _node_fk("parent_id", nullable=True),
    _node_fk("park_id", nullable=True),
    Column("name", Text, nullable=False),
    Index(None, "parent_id"),
    Index(None, "park_id", "kind"),
    Index(None, "kind"),
)

regions = Table("regions", metadata, _detail_id(), Column("wpi", Text))

parks = Table(
    "parks",
    metadata,
    _detail_id(),
    Column("regency", Text),
    Column("latitude", Double),
    Column("longitude", Double),
    Column("coordinates_approximate", Boolean, nullable=False),
    Column("area_ha", Double),
    Column("operator", Text),
    Column("established", BigInteger),
    Column("programmes", JSON, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("synthetic", Boolean, nullable=False),
    Column("notes", Text),
)

park_land_use = Table(
    "park_land_use",
    metadata,
    Column("park_id", Text, _fk("parks.id"), primary_key=True),
    Column("category", Text, primary_key=True),
    Column("area_ha", Double, nullable=False),
)

companies = Table(
    "companies",
    metadata,
    _detail_id(),
    Column("kbli", JSON, nullable=False),
    Column("size", Text),
    Column("ownership", Text),
    Column("synthetic", Boolean, nullable=False),
)

smelters = Table(
    "smelters",
    metadata,
    Column("company_id", Text, _fk("companies.id"), primary_key=True),
    Column("route", Text, nullable=False),
    Column("design_capacity_t", Double),
    Column("capacity_basis", Text, nullable=False),
    Column("power_source", Text, nullable=False),
    Column("grid_region", Text),
)

facilities = Table("facilities", metadata, _detail_id())

processes = Table("processes", metadata, _detail_id(), Column("route", Text))

externals = Table("externals", metadata, _detail_id(), Column("kind", Text, nullable=False))

commodities = Table(
    "commodities",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name_en", Text, nullable=False),
    Column("name_id", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("dimension", Text, nullable=False),
    Column("waste_code", Text),
    Column("hazard", Text),
    Column("renewable", Boolean),
    Column("source", Text),
    Column("catalogue_version", Text, nullable=False),
)

#: One row counting every write transaction; an import records the count it left behind, so
#: a file imported again with nothing written since is known unchanged without parsing it.
data_version = Table(
    "data_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", BigInteger, nullable=False),
)

imports = Table(
    "imports",
    metadata,
    Column("id", SurrogateKey, primary_key=True, autoincrement=True),
    Column("park_ids", JSON, nullable=False),
    Column("source_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("format", Text, nullable=False),
    Column("imported_at", DateTime, nullable=False),
    Column("status", Text, nullable=False),
    Column("superseded_by", SurrogateKey, _fk("imports.id")),
    Column("tables", JSON, nullable=False),
    Column("periods", JSON, nullable=False),
    Column("diff_summary", Text),
    Column("diff_lines", JSON),
    Column("data_version", BigInteger),
)


def _import_fk() -> Column[int]:
    return Column("import_id", SurrogateKey, _fk("imports.id"))


flows = Table(
    "flows",
    metadata,
    Column("id", SurrogateKey, primary_key=True, autoincrement=True),
    _node_fk("park_id", nullable=True),
    Column("period", Text, nullable=False),
    _node_fk("source", nullable=False),
    _node_fk("target", nullable=False),
    Column("commodity", Text, _fk("commodities.id"), nullable=False),
    Column("quantity", Double),
    Column("quality", Text, nullable=False),
    Column("evidence", Text),
    _import_fk(),
    UniqueConstraint("period", "source", "target", "commodity"),
    Index(None, "park_id", "period"),
    Index(None, "source"),
    Index(None, "target"),
)

#: Symbiosis exchanges brokered by a facilitator (:mod:`sinergi.model.exchanges`); the id is
#: a hash of the natural key, so proposing the same exchange twice finds the stored one.
exchanges = Table(
    "exchanges",
    metadata,
    Column("id", Text, primary_key=True),
    _node_fk("park_id", nullable=True),
    _node_fk("supplier", nullable=False),
    _node_fk("receiver", nullable=False),
    Column("commodity", Text, _fk("commodities.id"), nullable=False),
    Column("replaces", Text, nullable=False),
    Column("rule_id", Text, nullable=False),
    Column("period", Text, nullable=False),
    Column("amount", Double, nullable=False),
    Column("net_benefit_idr", Double, nullable=False),
    Column("co2e_t", Double, nullable=False),
    Column("landfill_t", Double, nullable=False),
    Column("explanation", JSON, nullable=False),
    Column("status", Text, nullable=False),
    Column("reason", Text),
    Index(None, "park_id", "status"),
)

#: Every status change of an exchange: who, when, from what to what, and why.
exchange_events = Table(
    "exchange_events",
    metadata,
    Column("id", SurrogateKey, primary_key=True, autoincrement=True),
    Column("exchange_id", Text, _fk("exchanges.id"), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("from_status", Text),
    Column("to_status", Text, nullable=False),
    Column("reason", Text),
    Column("actor", Text),
    Index(None, "exchange_id"),
)

#: Fields that refer to nodes and so carry a foreign key.
_NODE_FIELDS = frozenset({"park_id", "company_id"})

_SCALAR_TYPES: dict[type, type[TypeEngine[Any]]] = {
    bool: Boolean,
    int: BigInteger,
    float: Double,
    str: Text,
    Period: Text,
}


def _column_type(annotation: Any) -> tuple[type[TypeEngine[Any]], bool]:
    """Return the column type for a field annotation and whether it is nullable."""
    nullable = False
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        nullable = len(args) < len(get_args(annotation))
        (annotation,) = args
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return Text, nullable
    return _SCALAR_TYPES[annotation], nullable


def _record_table(kind: RecordKind) -> Table:
    """Return the table of a record kind: its fields, plus ``park_id`` and ``import_id``."""
    name, cls = kind.name, kind.cls
    hints = get_type_hints(cls)
    columns: list[Column[Any]] = [Column("id", SurrogateKey, primary_key=True, autoincrement=True)]
    names = [f.name for f in fields(cls)]
    if "park_id" not in names:
        columns.append(_node_fk("park_id", nullable=False))
    for field_name in names:
        sql_type, nullable = _column_type(hints[field_name])
        if field_name in _NODE_FIELDS:
            columns.append(_node_fk(field_name, nullable=nullable))
        else:
            columns.append(Column(field_name, sql_type, nullable=nullable))
    columns.append(_import_fk())
    return Table(
        name,
        metadata,
        *columns,
        UniqueConstraint(*kind.key),
        Index(None, "park_id", "period"),
    )


#: One table per record kind, in :data:`~sinergi.model.kinds.RECORD_KINDS` order.
record_tables: dict[str, Table] = {kind.name: _record_table(kind) for kind in RECORD_KINDS}

#: Detail tables of each node kind.
NODE_DETAIL: dict[NodeKind, Table] = {
    NodeKind.REGIONS: regions,
    NodeKind.PARKS: parks,
    NodeKind.COMPANIES: companies,
    NodeKind.FACILITIES: facilities,
    NodeKind.PROCESSES: processes,
    NodeKind.EXTERNALS: externals,
}
