"""Bulk writes inside one open transaction: delete a park, write nodes, flows and records.

Every function takes an open :class:`~sqlalchemy.Connection` and leaves committing to the
caller, so a save or an import is one transaction. Rows go in with executemany (Core
``insert()`` with a list of dicts); upserts use ``INSERT ... ON CONFLICT`` on both SQLite
and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Connection, Table, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from sinergi.errors import NodeConflictError
from sinergi.i18n import N_
from sinergi.i18n.messages import Msg, Num, items, msg
from sinergi.model.commodities import Catalogue
from sinergi.model.kinds import FLOW_KEY, FLOWS, RECORD_KINDS, NodeKind
from sinergi.model.network import Ecosystem
from sinergi.model.nodes import LandUse
from sinergi.store import schema as s
from sinergi.store.rows import (
    NodeIndex,
    chunks,
    commodity_rows,
    detail_rows,
    flow_row,
    node_row,
    record_owner_park,
    record_row,
)

Row = dict[str, Any]

#: Natural key of each periodic table (what ``ON CONFLICT`` matches on).
PERIODIC_KEYS: dict[str, tuple[str, ...]] = {
    FLOWS: FLOW_KEY,
    **{kind.name: kind.key for kind in RECORD_KINDS},
}


def periodic_table(name: str) -> Table:
    """Return the table of a periodic kind (``flows`` or a record list name)."""
    return s.flows if name == "flows" else s.record_tables[name]


def insert_rows(conn: Connection, table: Table, rows: Sequence[Row]) -> None:
    """Insert rows with one executemany."""
    if rows:
        conn.execute(table.insert(), list(rows))


def upsert_rows(conn: Connection, table: Table, rows: Sequence[Row], key: Sequence[str]) -> None:
    """Insert rows, updating the row that already holds the same ``key``."""
    if not rows:
        return
    dialect = conn.dialect.name
    stmt = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    update = {name: stmt.excluded[name] for name in rows[0] if name not in key}
    upsert = (
        stmt.on_conflict_do_update(index_elements=list(key), set_=update)
        if update
        else stmt.on_conflict_do_nothing(index_elements=list(key))
    )
    conn.execute(upsert, list(rows))


def delete_in(conn: Connection, table: Table, column: Column[Any], ids: Collection[str]) -> None:
    """Delete the rows whose ``column`` is one of ``ids`` (in chunks)."""
    for part in chunks(sorted(ids)):
        conn.execute(delete(table).where(column.in_(part)))


def sync_catalogue(conn: Connection, catalogue: Catalogue) -> None:
    """Upsert every commodity of the catalogue (stored commodities are never deleted)."""
    upsert_rows(conn, s.commodities, commodity_rows(catalogue), ("id",))


def check_node_conflicts(
    eco: Ecosystem, stored: NodeIndex, parks: Mapping[str, str | None], replaced: Collection[str]
) -> None:
    """Refuse node ids stored as another kind, or in another park, than ``eco`` says.

    Nodes of the ``replaced`` parks are exempt: they are deleted before writing.

    Raises
    ------
    NodeConflictError
        Naming each conflicting id.
    """
    problems: list[Msg] = []
    for table in NodeKind:
        for node_id in getattr(eco, table.value):
            hit = stored.get(node_id)
            if hit is None or (hit[1] is not None and hit[1] in replaced):
                continue
            kind, park = hit
            if kind != table:
                problems.append(
                    msg(
                        N_("{id} is stored in {stored} but given in {given}"),
                        id=repr(node_id),
                        stored=kind,
                        given=table,
                    )
                )
            elif park != parks.get(node_id):
                problems.append(
                    msg(
                        N_(
                            "{id} belongs to park {stored} in the database but to {given} in "
                            "the data"
                        ),
                        id=repr(node_id),
                        stored=repr(park),
                        given=repr(parks.get(node_id)),
                    )
                )
    if problems:
        listed = items(problems[:10], sep="; ")
        text = (
            N_(
                "node ids conflict with the database: {problems} (and {more} more); give these "
                "nodes new ids, or delete the stored ones first (moving a node to another park "
                "or kind is not done implicitly)"
            )
            if len(problems) > 10
            else N_(
                "node ids conflict with the database: {problems}; give these nodes new ids, or "
                "delete the stored ones first (moving a node to another park or kind is not "
                "done implicitly)"
            )
        )
        raise NodeConflictError(msg(text, problems=listed, more=Num(len(problems) - 10)))


def replace_land_use(conn: Connection, land_use: Mapping[str, Mapping[LandUse, float]]) -> None:
    """Replace the stored land use of the given parks (the parks themselves are kept)."""
    if not land_use:
        return
    delete_in(conn, s.park_land_use, s.park_land_use.c.park_id, list(land_use))
    rows = [
        {"park_id": park_id, "category": str(category), "area_ha": area}
        for park_id, areas in land_use.items()
        for category, area in areas.items()
    ]
    insert_rows(conn, s.park_land_use, rows)


def delete_parks(conn: Connection, park_ids: Collection[str]) -> None:
    """Delete everything that belongs to the parks: flows, records, nodes and details."""
    for part in chunks(sorted(park_ids)):
        members = select(s.nodes.c.id).where(s.nodes.c.park_id.in_(part))
        conn.execute(delete(s.flows).where(s.flows.c.park_id.in_(part)))
        for table in s.record_tables.values():
            conn.execute(delete(table).where(table.c.park_id.in_(part)))
        conn.execute(delete(s.park_land_use).where(s.park_land_use.c.park_id.in_(part)))
        conn.execute(delete(s.smelters).where(s.smelters.c.company_id.in_(members)))
        for kind in (
            NodeKind.PARKS,
            NodeKind.COMPANIES,
            NodeKind.FACILITIES,
            NodeKind.PROCESSES,
        ):
            detail = s.NODE_DETAIL[kind]
            conn.execute(delete(detail).where(detail.c.id.in_(members)))
        conn.execute(delete(s.nodes).where(s.nodes.c.park_id.in_(part)))


def write_nodes(
    conn: Connection, eco: Ecosystem, parks: Mapping[str, str | None], fresh: Collection[str]
) -> None:
    """Write every node of ``eco`` with its details.

    Nodes of the ``fresh`` parks (just deleted) are inserted; all others (regions,
    external nodes, nodes of other parks) are upserted and their details replaced.
    """
    node_rows: list[Row] = []
    for kind in NodeKind:
        node_rows += [node_row(n, parks) for n in getattr(eco, kind).values()]
    is_fresh = [row["park_id"] is not None and row["park_id"] in fresh for row in node_rows]
    insert_rows(conn, s.nodes, [r for r, f in zip(node_rows, is_fresh, strict=True) if f])
    kept = [r["id"] for r, f in zip(node_rows, is_fresh, strict=True) if not f]
    upsert_rows(
        conn, s.nodes, [r for r, f in zip(node_rows, is_fresh, strict=True) if not f], ("id",)
    )
    _delete_details(conn, kept)
    for detail, rows in detail_rows(eco, NodeKind).items():
        insert_rows(conn, detail, rows)


def _delete_details(conn: Connection, ids: Collection[str]) -> None:
    if not ids:
        return
    delete_in(conn, s.smelters, s.smelters.c.company_id, ids)
    delete_in(conn, s.park_land_use, s.park_land_use.c.park_id, ids)
    for detail in s.NODE_DETAIL.values():
        delete_in(conn, detail, detail.c.id, ids)


def periodic_rows(
    eco: Ecosystem, name: str, parks: Mapping[str, str | None], import_id: int | None
) -> list[Row]:
    """Return the rows of one periodic table of ``eco``, each with its park and import."""
    if name == "flows":
        return [
            flow_row(f, parks.get(f.source) or parks.get(f.target), import_id) for f in eco.flows
        ]
    items: Iterable[object] = getattr(eco, name)
    return [record_row(r, record_owner_park(r, parks), import_id) for r in items]


def write_periodic(
    conn: Connection, name: str, rows: Sequence[Row], fresh: Callable[[Row], bool]
) -> None:
    """Insert the ``fresh`` rows (their old versions were deleted); upsert the rest."""
    table = periodic_table(name)
    insert_rows(conn, table, [r for r in rows if fresh(r)])
    upsert_rows(conn, table, [r for r in rows if not fresh(r)], PERIODIC_KEYS[name])


def delete_periods(
    conn: Connection, name: str, park_ids: Collection[str], periods: Collection[str]
) -> None:
    """Delete the rows of one periodic table for the given parks and periods."""
    if not park_ids or not periods:
        return
    table = periodic_table(name)
    for part in chunks(sorted(park_ids)):
        conn.execute(
            delete(table).where(table.c.park_id.in_(part), table.c.period.in_(sorted(periods)))
        )
