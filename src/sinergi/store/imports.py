"""Apply one imported file to the database, and keep the log of imports.

The rules (also in :meth:`sinergi.store.Store.apply_import`):

1. A file that was the last import, with nothing written since, changes nothing (status
   ``unchanged``) and is not even parsed (:func:`current_import`).
2. The file is the truth for what it holds. Its regions, external nodes, parks,
   companies, facilities and processes are upserted; stored nodes the file does not
   mention are kept. The land use of each park with land-use rows in the file is replaced;
   a park listed without them keeps its stored land use. For each periodic table in the
   file (flows and the record lists), the stored rows of the file's parks for the periods
   in the file are replaced by the file's rows. A file "speaks for" a park in a table when
   it lists the park itself or has rows of that table in the park.
3. The change is the :func:`~sinergi.model.diff.diff` of every park the file touches (and
   of flows of no park) before and after. No change: status ``unchanged`` and nothing is
   written.
4. Otherwise an ``imports`` row is written; earlier active imports whose parks and
   (table, period) pairs are all covered by this one become ``superseded``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, select, update

from sinergi.errors import InvalidText
from sinergi.i18n import N_
from sinergi.i18n.messages import items, msg
from sinergi.model.diff import Diff, diff
from sinergi.model.kinds import PERIODIC_TABLES, NodeKind
from sinergi.model.network import Ecosystem
from sinergi.model.nodes import LandUse
from sinergi.model.period import Period
from sinergi.model.text import text_problems
from sinergi.store import schema as s
from sinergi.store.rows import node_index, node_parks, read_ecosystem
from sinergi.store.write import (
    check_node_conflicts,
    delete_periods,
    periodic_rows,
    replace_land_use,
    sync_catalogue,
    write_nodes,
    write_periodic,
)

#: At most this many diff lines are kept in the import log (the summary counts all).
MAX_LOGGED_LINES = 1000

#: The parks (``None`` for flows of no park) and periods an input replaces in one table.
_Scope = tuple[set[str | None], set[str]]


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


#: Called with the name of each step of an import as it starts.
StageProgress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class ImportRequest:
    """What the caller knows about the file: identity, tables/periods and land use it holds."""

    sha256: str
    source_name: str
    fmt: str
    tables: frozenset[str]
    periods: Mapping[str, frozenset[Period]]
    land_use: Mapping[str, Mapping[LandUse, float]] = field(default_factory=dict)


def refuse_bad_text(eco: Ecosystem) -> None:
    """Refuse ids, names and notes over the text limits, before any database sees them.

    Raises
    ------
    InvalidText
        Naming up to ten offending fields.
    """
    problems = text_problems(eco)
    if problems:
        raise InvalidText(
            msg(
                N_(
                    "text the database cannot store alike on SQLite and PostgreSQL, nothing "
                    "was written: {problems}"
                ),
                problems=items(problems, sep="; "),
            )
        )


def current_import(conn: Connection, sha256: str, *, written: int | None = None) -> int | None:
    """Return the last import's id if it had ``sha256`` and nothing was written since.

    ``written`` is the write count of the caller's own (uncommitted) write transaction,
    whose increment is not a change to the data.
    """
    last = conn.execute(
        select(s.imports.c.id, s.imports.c.sha256, s.imports.c.data_version)
        .order_by(s.imports.c.id.desc())
        .limit(1)
    ).first()
    if last is None or last.sha256 != sha256 or last.data_version is None:
        return None
    if written is None:
        now = conn.execute(select(s.data_version.c.version).where(s.data_version.c.id == 1))
        current = now.scalar()
    else:
        current = written - 1
    return int(last.id) if current == last.data_version else None


def _affected_parks(
    fragment: Ecosystem,
    parks: Mapping[str, str | None],
    scopes: Mapping[str, _Scope],
    land_use: Mapping[str, object],
) -> list[str]:
    """Return every park the input touches: its parks, its nodes' parks, its rows' parks."""
    touched: set[str] = set(fragment.parks) | set(land_use)
    for kind in (NodeKind.COMPANIES, NodeKind.FACILITIES, NodeKind.PROCESSES):
        touched |= {p for node_id in getattr(fragment, kind) if (p := parks.get(node_id))}
    for scope_parks, _periods in scopes.values():
        touched |= _named(scope_parks)
    return sorted(touched)


def _named(parks: set[str | None]) -> set[str]:
    """Return the park ids of a scope without the ``None`` of flows of no park."""
    return {p for p in parks if p is not None}


def _with_stored_land_use(
    fragment: Ecosystem, old: Ecosystem, land_use: Mapping[str, object]
) -> Ecosystem:
    """Return the input with its parks' stored land use kept where it gives none."""
    parks = {
        park_id: (
            park
            if park_id in land_use or park_id not in old.parks
            else replace(park, land_use_ha=dict(old.parks[park_id].land_use_ha))
        )
        for park_id, park in fragment.parks.items()
    }
    return replace(fragment, parks=parks)


def apply(
    conn: Connection,
    fragment: Ecosystem,
    request: ImportRequest,
    version: int,
    progress: StageProgress | None = None,
) -> ImportResult:
    """Apply ``fragment`` inside the caller's transaction (steps 2-4 of the module rules).

    Returns a result with status ``unchanged`` when the content changes nothing; the
    caller must then roll back (the import row was already inserted).
    """
    step = progress or (lambda _name: None)
    step(N_("reading the stored data"))
    stored = node_index(conn)
    parks = node_parks(fragment, stored)
    check_node_conflicts(fragment, stored, parks, replaced=())
    scopes = _table_scopes(fragment, parks, request)
    affected = _affected_parks(fragment, parks, scopes, request.land_use)
    replaced = {name: periods for name, (_parks, periods) in scopes.items()}
    parkless = any(None in parks_ for parks_, _periods in scopes.values())
    old = read_ecosystem(conn, affected, replaced, parkless=parkless)
    step(N_("writing"))
    import_id = _insert_log_row(conn, request, affected, scopes, version)
    sync_catalogue(conn, fragment.catalogue)
    write_nodes(conn, _with_stored_land_use(fragment, old, request.land_use), parks, fresh=())
    replace_land_use(
        conn, {p: land for p, land in request.land_use.items() if p not in fragment.parks}
    )
    for name, (scope_parks, periods) in scopes.items():
        delete_periods(conn, name, _named(scope_parks), periods)
        rows = periodic_rows(fragment, name, parks, import_id)
        write_periodic(conn, name, rows, fresh=_in_scope(_named(scope_parks), periods))
    step(N_("comparing"))
    change = diff(old, read_ecosystem(conn, affected, replaced, parkless=parkless))
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
        table_parks: set[str | None] = set(fragment.parks) | {r["park_id"] for r in rows}
        scopes[name] = (table_parks, periods)
    return scopes


def _coverage(scopes: Mapping[str, _Scope], tables: frozenset[str]) -> set[tuple[str, str]]:
    covered = {(name, period) for name, (_parks, periods) in scopes.items() for period in periods}
    return covered | {(name, "") for name in tables if name not in PERIODIC_TABLES}


def _insert_log_row(
    conn: Connection,
    request: ImportRequest,
    affected: list[str],
    scopes: Mapping[str, _Scope],
    version: int,
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
            data_version=version,
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
