"""Bulk inserts with few round trips: ``COPY`` on PostgreSQL, one ``executemany`` on SQLite.

``conn.execute(insert(table), rows)`` compiles the statement and builds every row's
parameters in Python (a few microseconds a row), then, on PostgreSQL, sends the rows as
multi-row ``INSERT`` statements of a thousand rows. At a million custody events (with their
lots, portions and audit entries) that was a large part of an import. :func:`insert_rows`
writes the same values: each column's value goes through the bind processor SQLAlchemy
itself would apply for that column type on that dialect (JSON serialised by the dialect's
serialiser, so JSON text is stored byte for byte as before; floats and booleans converted
as before), then

* on PostgreSQL (psycopg 3) the rows are streamed with ``COPY … FROM STDIN`` (text format,
  each value adapted by psycopg as in an ``INSERT``);
* elsewhere one prepared ``INSERT`` is run with ``executemany`` on the driver.

Both run in the caller's transaction: a failed import still writes nothing. A constraint
violation raises SQLAlchemy's :class:`~sqlalchemy.exc.IntegrityError` as an ``insert`` would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.exc import DBAPIError

__all__ = ["insert_rows"]


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in the caller's transaction."""
    if not rows:
        return
    names = list(rows[0])
    values = _bound(conn, table, names, rows)
    quote = conn.dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in names)
    target = quote(table.name)
    if conn.dialect.name == "postgresql":
        _copy(conn, f"COPY {target} ({columns}) FROM STDIN", values)
        return
    marks = ", ".join("?" if conn.dialect.paramstyle == "qmark" else "%s" for _ in names)
    conn.exec_driver_sql(f"INSERT INTO {target} ({columns}) VALUES ({marks})", values)


def _bound(
    conn: Connection, table: Table, names: list[str], rows: Sequence[Mapping[str, Any]]
) -> list[tuple[Any, ...]]:
    """Return the rows as tuples of driver values (SQLAlchemy's bind processors applied)."""
    dialect = conn.dialect
    processors: list[tuple[int, Callable[[Any], Any]]] = []
    for index, name in enumerate(names):
        found = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if found is not None:
            processors.append((index, found))
    out: list[tuple[Any, ...]] = []
    for row in rows:
        items = [row[name] for name in names]
        for index, process in processors:
            items[index] = process(items[index])
        out.append(tuple(items))
    return out


def _copy(conn: Connection, statement: str, values: list[tuple[Any, ...]]) -> None:
    """Stream ``values`` through PostgreSQL's ``COPY`` on the connection's psycopg driver."""
    driver = conn.connection.driver_connection
    if driver is None:  # pragma: no cover - a checked-out connection always has one
        raise RuntimeError("no driver connection to copy through")
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in values:
                copy.write_row(row)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(
            statement,
            None,
            exc,
            conn.dialect.loaded_dbapi.Error,
            dialect=conn.dialect,
        ) from exc
