"""Apply one imported file to the database, and keep the log of imports.

The rules (also in :meth:`sinergi.store.Store.apply_import`):

1. A file whose sha256 was imported before changes nothing (status ``unchanged``).
2. The file is the truth for what it holds. Its regions, external nodes, parks,
   companies, facilities and processes are upserted; stored nodes the file does not
   mention are kept. For each periodic table in the file (flows and the record lists),
   the stored rows of the file's parks for the periods in the file are replaced by the
   file's rows. A file "speaks for" a park in a table when it lists the park itself or
   has rows of that table in the park.
3. The change is the :func:`~sinergi.model.diff.diff` of the affected parks before and
   after. No change: status ``unchanged`` and nothing is written.
4. Otherwise an ``imports`` row is written; earlier active imports whose parks and
   (table, period) pairs are all covered by this one become ``superseded``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, select, update

from sinergi.model.diff import Diff, diff
from sinergi.model.kinds import PERIODIC_TABLES
from sinergi.model.network import Ecosystem
from sinergi.model.period import Period
from sinergi.store import schema as s
from sinergi.store.rows import node_index, node_parks, read_ecosystem
from sinergi.store.write import (
    check_node_conflicts,
    delete_periods,
    periodic_rows,
    sync_catalogue,
    write_nodes,
    write_periodic,
)

#: At most this many diff lines are kept in the import log (the summary counts all).
MAX_LOGGED_LINES = 1000


class ImportStatus(StrEnum):
    """What an import did."""

    #: Data for parks/periods the database did not hold; nothing was replaced.
    NEW = "new"
    #: Nothing changed: the same file again, or identical content.
    UNCHANGED = "unchanged"
    #: Stored data was replaced or removed, or earlier imports were superseded.
    SUPERSEDED = "superseded"


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The outcome of :meth:`~sinergi.store.Store.apply_import`.

    ``import_id`` is the new log entry, the earlier one for a repeated file, or ``None``
    when identical content wrote nothing; ``superseded`` lists the ids it superseded.
    """

    status: ImportStatus
    import_id: int | None
    diff: Diff = field(default_factory=Diff)
    superseded: tuple[int, ...] = ()
    park_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """One entry of the import log."""

    id: int
    park_ids: tuple[str, ...]
    source_name: str
    sha256: str
    format: str
    imported_at: datetime
    status: s.ImportState
    superseded_by: int | None
    tables: frozenset[str]
    periods: dict[str, frozenset[Period]]
    diff_summary: str | None
    diff_lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ImportRequest:
    """What the caller knows about the file: identity and the tables/periods it holds."""

    sha256: str
    source_name: str
    fmt: str
    tables: frozenset[str]
    periods: Mapping[str, frozenset[Period]]


def earlier_import(conn: Connection, sha256: str) -> int | None:
    """Return the id of an import of the same file, if any."""
    found = conn.execute(select(s.imports.c.id).where(s.imports.c.sha256 == sha256)).scalar()
    return None if found is None else int(found)


def apply(conn: Connection, fragment: Ecosystem, request: ImportRequest) -> ImportResult:
    """Apply ``fragment`` inside the caller's transaction (steps 2-4 of the module rules).

    Returns a result with status ``unchanged`` when the content changes nothing; the
    caller must then roll back (the import row was already inserted).
    """
    stored = node_index(conn)
    parks = node_parks(fragment, stored)
    check_node_conflicts(fragment, stored, parks, replaced=())
    scopes = _table_scopes(fragment, parks, request)
    affected = sorted(set().union(fragment.parks, *(sc[0] for sc in scopes.values())))
    replaced = {name: periods for name, (_parks, periods) in scopes.items()}
    old = read_ecosystem(conn, affected, replaced)
    import_id = _insert_log_row(conn, request, affected, scopes)
    sync_catalogue(conn, fragment.catalogue)
    write_nodes(conn, fragment, parks, fresh=())
    for name, (scope_parks, periods) in scopes.items():
        delete_periods(conn, name, scope_parks, periods)
        rows = periodic_rows(fragment, name, parks, import_id)
        write_periodic(conn, name, rows, fresh=_in_scope(scope_parks, periods))
    change = diff(old, read_ecosystem(conn, affected, replaced))
    if change.is_empty:
        return ImportResult(ImportStatus.UNCHANGED, None, change, park_ids=tuple(affected))
    superseded = _supersede(conn, import_id, set(affected), _coverage(scopes, request.tables))
    lines = change.lines()
    if len(lines) > MAX_LOGGED_LINES:
        lines = [*lines[:MAX_LOGGED_LINES], f"... and {len(lines) - MAX_LOGGED_LINES} more"]
    conn.execute(
        update(s.imports)
        .where(s.imports.c.id == import_id)
        .values(diff_summary=change.summary(), diff_lines=lines)
    )
    overwritten = bool(superseded or change.removed or change.changed)
    status = ImportStatus.SUPERSEDED if overwritten else ImportStatus.NEW
    return ImportResult(status, import_id, change, superseded, tuple(affected))


_Scope = tuple[set[str], set[str]]


def _in_scope(parks: set[str], periods: set[str]) -> Callable[[dict[str, Any]], bool]:
    """Return whether a row's park and period are among those the file replaces."""
    return lambda row: row["park_id"] in parks and row["period"] in periods


def _table_scopes(
    fragment: Ecosystem, parks: Mapping[str, str | None], request: ImportRequest
) -> dict[str, _Scope]:
    """Return, per periodic table in the file, the parks and periods it replaces."""
    scopes: dict[str, _Scope] = {}
    for name in PERIODIC_TABLES:
        rows = periodic_rows(fragment, name, parks, None)
        if name not in request.tables and not rows:
            continue
        periods = {str(p) for p in request.periods.get(name, frozenset())}
        periods |= {r["period"] for r in rows}
        table_parks = set(fragment.parks) | {r["park_id"] for r in rows if r["park_id"]}
        scopes[name] = (table_parks, periods)
    return scopes


def _coverage(scopes: Mapping[str, _Scope], tables: frozenset[str]) -> set[tuple[str, str]]:
    covered = {(name, period) for name, (_parks, periods) in scopes.items() for period in periods}
    return covered | {(name, "") for name in tables if name not in PERIODIC_TABLES}


def _insert_log_row(
    conn: Connection, request: ImportRequest, affected: list[str], scopes: Mapping[str, _Scope]
) -> int:
    tables = sorted(request.tables | scopes.keys())
    periods = {name: sorted(p) for name, (_parks, p) in scopes.items()}
    result = conn.execute(
        s.imports.insert().values(
            park_ids=affected,
            source_name=request.source_name,
            sha256=request.sha256,
            format=request.fmt,
            imported_at=datetime.now(UTC).replace(tzinfo=None),
            status=s.ImportState.ACTIVE,
            superseded_by=None,
            tables=tables,
            periods=periods,
            diff_summary=None,
            diff_lines=None,
        )
    )
    key = result.inserted_primary_key
    assert key is not None  # an INSERT always reports its key
    return int(key[0])


def _supersede(
    conn: Connection, import_id: int, parks: set[str], covered: set[tuple[str, str]]
) -> tuple[int, ...]:
    """Mark earlier active imports whose parks and tables/periods are all covered."""
    stmt = select(s.imports).where(
        s.imports.c.status == s.ImportState.ACTIVE, s.imports.c.id != import_id
    )
    done: list[int] = []
    for row in conn.execute(stmt).all():
        earlier = _coverage(
            {name: (set(), set(p)) for name, p in row.periods.items()}, frozenset(row.tables)
        )
        if set(row.park_ids) <= parks and earlier <= covered:
            done.append(int(row.id))
    if done:
        conn.execute(
            update(s.imports)
            .where(s.imports.c.id.in_(done))
            .values(status=s.ImportState.SUPERSEDED, superseded_by=import_id)
        )
    return tuple(done)


def read_log(conn: Connection, park_id: str | None = None) -> list[ImportRecord]:
    """Return the import log, oldest first, optionally only imports touching a park."""
    records = [_record(row) for row in conn.execute(select(s.imports).order_by(s.imports.c.id))]
    if park_id is None:
        return records
    return [r for r in records if park_id in r.park_ids]


def _record(row: Any) -> ImportRecord:
    return ImportRecord(
        id=int(row.id),
        park_ids=tuple(row.park_ids),
        source_name=row.source_name,
        sha256=row.sha256,
        format=row.format,
        imported_at=row.imported_at.replace(tzinfo=UTC),
        status=s.ImportState(row.status),
        superseded_by=None if row.superseded_by is None else int(row.superseded_by),
        tables=frozenset(row.tables),
        periods={k: frozenset(Period.parse(p) for p in v) for k, v in row.periods.items()},
        diff_summary=row.diff_summary,
        diff_lines=tuple(row.diff_lines or ()),
    )
