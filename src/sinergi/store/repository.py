"""The store: save, load and import ecosystems in a SQL database.

:class:`Store` is the one object the CLI, the import service and the API hold. Each
public method runs in one transaction; database errors come out as
:class:`~sinergi.errors.StoreError` subclasses.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from types import TracebackType
from typing import NamedTuple

from alembic import command
from sqlalchemy import Connection, Engine, func, select, update
from sqlalchemy.exc import (
    DatabaseError,
    DataError,
    DBAPIError,
    IntegrityError,
    OperationalError,
    ProgrammingError,
)

from sinergi.errors import NotFound, StoreError, StoreIntegrityError
from sinergi.i18n import N_
from sinergi.i18n.messages import items, msg
from sinergi.model.diff import Diff
from sinergi.model.exchanges import Exchange, ExchangeStatus
from sinergi.model.kinds import RECORD_KINDS, NodeKind
from sinergi.model.network import Ecosystem
from sinergi.model.nodes import LandUse, Park
from sinergi.model.period import Period
from sinergi.store import exchanges as xs
from sinergi.store import schema as s
from sinergi.store.engine import database_url, make_engine, masked_url, scrub_password
from sinergi.store.exchanges import ExchangeEvent, ProposalResult
from sinergi.store.imports import (
    ImportRecord,
    ImportRequest,
    ImportResult,
    ImportStatus,
    StageProgress,
    apply,
    current_import,
    read_log,
    refuse_bad_text,
)
from sinergi.store.migrations import alembic_config
from sinergi.store.rows import chunks, node_index, node_parks, read_ecosystem, read_parks
from sinergi.store.write import (
    PERIODIC_KEYS,
    check_node_conflicts,
    delete_parks,
    periodic_rows,
    sync_catalogue,
    write_nodes,
    write_periodic,
)


class ParkSummary(NamedTuple):
    """One line of the park list: facts and how much data the database holds."""

    id: str
    name: str
    region_id: str
    region_name: str | None
    area_ha: float | None
    companies: int
    flows: int
    periods: tuple[Period, ...]


class _Unchanged(Exception):
    """Roll the transaction back and return ``result``."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__(result.status)
        self.result = result


class Store:
    """A sinergi database: SQLite by default, PostgreSQL by URL.

    Parameters
    ----------
    url
        Database URL; ``None`` uses :func:`~sinergi.store.engine.database_url` (the
        ``SINERGI_DATABASE_URL`` environment variable, else ``sqlite:///sinergi.db``).
        Nothing is opened or created until the first call that needs the database.
    """

    def __init__(self, url: str | None = None) -> None:
        self._url = database_url(url)
        self._engine: Engine | None = None

    @property
    def url(self) -> str:
        """Return the database URL with any password hidden (safe to print)."""
        return masked_url(self._url)

    @property
    def engine(self) -> Engine:
        """Return the engine, creating it on first use."""
        if self._engine is None:
            self._engine = make_engine(self._url)
        return self._engine

    def close(self) -> None:
        """Close every pooled connection; the store can be used again afterwards."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    # -- transactions -------------------------------------------------------------------
    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """Yield a connection in a transaction; translate database errors."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except IntegrityError as exc:
            raise StoreIntegrityError(
                msg(
                    N_(
                        "the database {url} rejected the data and nothing was written: "
                        "{error}; a flow or record probably names a node, commodity or key "
                        "that is missing or used twice — run 'sinergi check' on the input"
                    ),
                    url=self.url,
                    error=self._said(exc),
                )
            ) from exc
        except DataError as exc:
            raise StoreIntegrityError(
                msg(
                    N_("the database {url} refused a value and nothing was written: {error}"),
                    url=self.url,
                    error=self._said(exc),
                )
            ) from exc
        except (OperationalError, ProgrammingError) as exc:
            raise StoreError(
                msg(
                    N_(
                        "the database {url} failed: {error}; check that it is reachable and "
                        "run 'sinergi init' to create or upgrade its tables"
                    ),
                    url=self.url,
                    error=self._said(exc),
                )
            ) from exc
        except DatabaseError as exc:
            raise StoreError(
                msg(
                    N_(
                        "the database {url} cannot be used: {error}; if it is a SQLite file, "
                        "it is damaged or not a database: restore it from a backup or point "
                        "--db at another file"
                    ),
                    url=self.url,
                    error=self._said(exc),
                )
            ) from exc

    def _said(self, exc: DBAPIError) -> str:
        """Return the first line of what the driver said, with the URL's password masked."""
        return scrub_password(_first_line(exc.orig), self._url)

    @contextmanager
    def _writing(self) -> Iterator[tuple[Connection, int]]:
        """Yield a connection in a transaction that counts as one more write.

        The count (``data_version``) is what lets an import of a file that was imported
        last, with nothing written since, be known unchanged without parsing the file.
        """
        with self._transaction() as conn:
            conn.execute(
                update(s.data_version)
                .where(s.data_version.c.id == 1)
                .values(version=s.data_version.c.version + 1)
            )
            version = conn.execute(
                select(s.data_version.c.version).where(s.data_version.c.id == 1)
            ).scalar()
            yield conn, int(version or 0)

    # -- schema -------------------------------------------------------------------------
    def migrate(self) -> None:
        """Create the schema or upgrade it to the newest revision (safe to repeat).

        On SQLite, foreign keys are switched off for the migration (SQLite rebuilds a table
        to change its constraints) and every reference is checked before committing.
        """
        try:
            with self.engine.connect() as conn:
                sqlite = conn.dialect.name == "sqlite"
                if sqlite:
                    _pragma(conn, "PRAGMA foreign_keys=OFF")
                try:
                    with conn.begin():
                        command.upgrade(alembic_config(connection=conn), "head")
                        if sqlite:
                            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                            if broken is not None:
                                raise StoreIntegrityError(
                                    msg(
                                        N_(
                                            "upgrading {url} would break a reference in "
                                            "table {table}; nothing was changed"
                                        ),
                                        url=self.url,
                                        table=str(broken[0]),
                                    )
                                )
                finally:
                    if sqlite:
                        _pragma(conn, "PRAGMA foreign_keys=ON")
        except DBAPIError as exc:
            raise StoreError(
                msg(
                    N_(
                        "the database {url} cannot be used: {error}; check the URL (--db) and "
                        "that the file or server is a sinergi database you may write to"
                    ),
                    url=self.url,
                    error=self._said(exc),
                )
            ) from exc

    # -- whole ecosystems ---------------------------------------------------------------
    def save(self, eco: Ecosystem, progress: StageProgress | None = None) -> None:
        """Write ``eco`` in one transaction, replacing every park it holds.

        Regions, external nodes and commodities are upserted. Each park in ``eco`` is
        replaced wholly: its stored nodes, flows and records are deleted and ``eco``'s
        written. Flows and records of parks not in ``eco.parks`` (or of no park) are
        upserted by their natural key.

        Raises
        ------
        NodeConflictError
            If a node id is stored as another kind or in a park ``eco`` does not replace.
        StoreIntegrityError
            If the database rejects the rows (e.g. a flow to a missing node).
        InvalidText
            If an id, name or note breaks the text limits (:mod:`sinergi.model.text`).

        ``progress`` is called with the name of each step as it starts (``"nodes"``, then
        each periodic table), so a caller can show how far a large save has come.
        """
        step = progress or (lambda _name: None)
        refuse_bad_text(eco)
        with self._writing() as (conn, _version):
            stored = node_index(conn)
            parks = node_parks(eco, stored)
            replaced = set(eco.parks)
            check_node_conflicts(eco, stored, parks, replaced)
            sync_catalogue(conn, eco.catalogue)
            step("nodes")
            delete_parks(conn, replaced)
            write_nodes(conn, eco, parks, fresh=replaced)
            for name in PERIODIC_KEYS:
                step(name)
                rows = periodic_rows(eco, name, parks, None)
                write_periodic(conn, name, rows, fresh=lambda r: r["park_id"] in replaced)

    def delete_parks(self, park_ids: Iterable[str]) -> None:
        """Delete parks with their companies, facilities, processes, flows and records.

        One transaction; nothing is deleted if a park is unknown or if another park's flows
        still point into one of them (delete or re-import those first). The import history of
        the deleted parks goes too, so that the same file can be imported again.

        Raises
        ------
        NotFound
            If a park id is not stored.
        StoreIntegrityError
            If flows of other parks refer to the parks' nodes.
        """
        wanted = sorted(set(park_ids))
        with self._writing() as (conn, _version):
            stored = set(conn.execute(select(s.parks.c.id)).scalars())
            if missing := [p for p in wanted if p not in stored]:
                raise NotFound(
                    msg(
                        N_("no park {ids} in the database; see 'sinergi parks list'"),
                        ids=items(repr(p) for p in missing),
                    )
                )
            members = select(s.nodes.c.id).where(s.nodes.c.park_id.in_(wanted))
            f = s.flows.c
            blocking = conn.execute(
                select(f.park_id, f.source, f.target, f.commodity, f.period)
                .where(f.park_id.not_in(wanted) | f.park_id.is_(None))
                .where(f.source.in_(members) | f.target.in_(members))
                .limit(3)
            ).all()
            if blocking:
                sample = "; ".join(
                    f"{r.source} → {r.target} {r.commodity} ({r.period})" for r in blocking
                )
                raise StoreIntegrityError(
                    msg(
                        N_(
                            "other flows still refer to {parks} (e.g. {sample}); delete or "
                            "re-import those first; nothing was deleted"
                        ),
                        parks=items(wanted),
                        sample=sample,
                    )
                )
            member_ids = list(conn.execute(members).scalars())
            xs.delete_for_nodes(conn, member_ids)
            delete_parks(conn, wanted)
            # the parks' import history goes with their data, so the same file can be
            # imported again; imports that also covered surviving parks are kept
            gone = set(wanted)
            log = conn.execute(select(s.imports.c.id, s.imports.c.park_ids)).all()
            dead = [r.id for r in log if r.park_ids and set(r.park_ids) <= gone]
            if dead:
                for table in (s.flows, *s.record_tables.values()):
                    conn.execute(
                        table.update().where(table.c.import_id.in_(dead)).values(import_id=None)
                    )
                conn.execute(
                    s.imports.update()
                    .where(s.imports.c.superseded_by.in_(dead))
                    .values(superseded_by=None)
                )
                conn.execute(s.imports.delete().where(s.imports.c.id.in_(dead)))

    def load(self, park_ids: Iterable[str] | None = None) -> Ecosystem:
        """Read an ecosystem: the given parks (all when ``None``), all regions and externals.

        Flows and records come back in the order they were written (a row updated in
        place by an upsert keeps its first position). With ``park_ids``, flows that
        belong to no park are left out (as in :meth:`Ecosystem.subset`).
        """
        with self._transaction() as conn:
            return read_ecosystem(conn, park_ids)

    def load_each(self, park_ids: Iterable[str], period: Period) -> dict[str, Ecosystem]:
        """Read the given parks' nodes and ``period``'s flows and records, one part per park.

        Each part holds what :meth:`load` of that park alone holds for ``period``, read in
        one query per table instead of one set of queries per park (the national page
        assesses every park of a period this way).
        """
        wanted = sorted(set(park_ids))
        if not wanted:
            return {}
        text = str(period)
        periods = {"flows": [text], **{kind.name: [text] for kind in RECORD_KINDS}}
        with self._transaction() as conn:
            return read_ecosystem(conn, wanted, periods).split()

    def node_ids(self) -> dict[str, str]:
        """Return every stored node id with its table (``"parks"``, ``"companies"``, ...)."""
        return {node_id: kind for node_id, (kind, _park) in self.node_index().items()}

    def existing_nodes(self, node_ids: Iterable[str]) -> set[str]:
        """Return which of ``node_ids`` are stored (without reading every node)."""
        wanted = sorted(set(node_ids))
        found: set[str] = set()
        with self._transaction() as conn:
            for part in chunks(wanted):
                found.update(
                    conn.execute(select(s.nodes.c.id).where(s.nodes.c.id.in_(part))).scalars()
                )
        return found

    def node_index(self) -> dict[str, tuple[str, str | None]]:
        """Return every stored node id with its table and the park it belongs to."""
        with self._transaction() as conn:
            return node_index(conn)

    def parks(self, park_ids: Iterable[str]) -> dict[str, Park]:
        """Return the stored parks among ``park_ids`` (with land use), without their data."""
        wanted = sorted(set(park_ids))
        if not wanted:
            return {}
        with self._transaction() as conn:
            return read_parks(conn, wanted)

    def park_summaries(self) -> list[ParkSummary]:
        """Return one summary per stored park, sorted by id."""
        with self._transaction() as conn:
            return _park_summaries(conn)

    # -- imports ------------------------------------------------------------------------
    def apply_import(
        self,
        fragment: Ecosystem,
        *,
        sha256: str,
        source_name: str,
        fmt: str,
        tables: frozenset[str],
        periods: Mapping[str, frozenset[Period]],
        land_use: Mapping[str, Mapping[LandUse, float]] | None = None,
        progress: StageProgress | None = None,
    ) -> ImportResult:
        """Apply one validated input in one transaction; nothing is written on error.

        1. If the last import had the same ``sha256`` and nothing was written since, return
           status ``unchanged`` with that import's id and write nothing.
        2. The input is the truth for what it holds. Regions, external nodes, parks,
           companies, facilities and processes in ``fragment`` are upserted; stored nodes
           absent from it are kept (deleting is a separate, explicit operation). The land use
           of the parks in ``land_use`` is replaced (that of parks listed without land-use
           rows is kept). For each periodic table in the input (``flows``, ``workforce``,
           ``safety``, ...), the stored rows of its parks and of the periods present are
           replaced by its rows. The park of a flow is the park of its source node, else of
           its target; of a record, its ``park_id`` or its company's park. An input speaks
           for a park in a table when it lists the park itself or has rows of that table in
           the park.
        3. The diff of the affected parks (every park the input touches, and flows of no
           park) before and after (:func:`sinergi.model.diff.diff`) is computed; if it is
           empty, status is ``unchanged`` (identical content), ``import_id`` is ``None`` and
           nothing is written.
        4. Otherwise an ``imports`` row is written. Earlier active imports whose parks
           and (table, period) pairs are all covered by this one become ``superseded``
           (with ``superseded_by``). Status is ``superseded`` if stored data was changed
           or removed or an earlier import was superseded, else ``new``.

        ``progress`` is called with the name of each step as it starts.

        Raises
        ------
        NodeConflictError
            If a node id is stored as another kind or in another park.
        InvalidText
            If an id, name or note breaks the text limits.
        StoreIntegrityError
            If the database rejects the rows (e.g. a flow to a missing node); the
            transaction is rolled back.
        """
        refuse_bad_text(fragment)
        request = ImportRequest(
            sha256, source_name, fmt, frozenset(tables), periods, dict(land_use or {})
        )
        try:
            with self._writing() as (conn, version):
                return _apply_or_roll_back(conn, fragment, request, version, progress)
        except _Unchanged as unchanged:
            return unchanged.result

    def current_import(self, sha256: str) -> int | None:
        """Return the last import's id if it had ``sha256`` and nothing was written since.

        Importing the same input again would then change nothing; ``None`` otherwise.
        """
        with self._transaction() as conn:
            return current_import(conn, sha256)

    def imports(self, park_id: str | None = None) -> list[ImportRecord]:
        """Return the import log, oldest first; only imports touching ``park_id`` if given."""
        with self._transaction() as conn:
            return read_log(conn, park_id)

    # -- checks -------------------------------------------------------------------------
    # -- symbiosis workflow -------------------------------------------------------------
    def propose_exchanges(
        self, proposals: Iterable[Exchange], *, actor: str | None = None
    ) -> ProposalResult:
        """Store recommended exchanges as proposals, in one transaction.

        An exchange already stored (same supplier, receiver, commodity, rule and period)
        keeps its status and history, so re-running a recommendation changes nothing.

        Raises
        ------
        StoreIntegrityError
            If a supplier or receiver is not in the database; nothing is written.
        """
        with self._writing() as (conn, _version):
            return xs.propose(conn, proposals, actor)

    def exchanges(
        self, *, park_id: str | None = None, status: ExchangeStatus | None = None
    ) -> list[Exchange]:
        """Return stored exchanges (of one park and one status when given), by id."""
        with self._transaction() as conn:
            return xs.read(conn, park_id, status)

    def exchange_history(self, exchange_id: str) -> list[ExchangeEvent]:
        """Return the status changes of one exchange, oldest first."""
        with self._transaction() as conn:
            return xs.history(conn, exchange_id)

    def set_exchange_status(
        self,
        exchange_id: str,
        status: ExchangeStatus,
        *,
        reason: str | None = None,
        actor: str | None = None,
    ) -> Exchange:
        """Move an exchange along the workflow; implementing it adds its flow, atomically.

        Raises
        ------
        NotFound
            If no exchange has this id.
        WorkflowError
            If the move is not allowed (e.g. rejecting without a reason).
        """
        with self._writing() as (conn, _version):
            return xs.set_status(conn, exchange_id, status, reason, actor)

    def fingerprint(self) -> str:
        """Return a sha256 over every row of every table, in key order.

        Equal fingerprints mean equal database contents (used to assert that a failed
        operation wrote nothing). Counts of writes (``data_version``, ``park_versions``) and
        figures derived from the content (``dashboard_cache``, filled by reads) are not
        content and are left out.
        """
        digest = hashlib.sha256()
        derived = {s.data_version.name, "park_versions", "dashboard_cache"}
        with self._transaction() as conn:
            for name in sorted(set(s.metadata.tables) - derived):
                table = s.metadata.tables[name]
                digest.update(f"\x00{name}:{','.join(table.c.keys())}\n".encode())
                for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
                    digest.update(json.dumps(list(row), default=_json_default).encode())
                    digest.update(b"\n")
        return digest.hexdigest()


def _apply_or_roll_back(
    conn: Connection,
    fragment: Ecosystem,
    request: ImportRequest,
    version: int,
    progress: StageProgress | None,
) -> ImportResult:
    """Apply an import; raise :class:`_Unchanged` (rolling back) when it changes nothing."""
    earlier = current_import(conn, request.sha256, written=version)
    if earlier is not None:
        raise _Unchanged(ImportResult(ImportStatus.UNCHANGED, earlier, Diff()))
    result = apply(conn, fragment, request, version, progress)
    if result.status is ImportStatus.UNCHANGED:
        raise _Unchanged(result)
    return result


def _pragma(conn: Connection, statement: str) -> None:
    """Run a SQLite PRAGMA outside any transaction (inside one it would be ignored)."""
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(statement)
    finally:
        cursor.close()


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return repr(value)


def _first_line(exc: BaseException | None) -> str:
    return str(exc).strip().splitlines()[0] if exc is not None and str(exc).strip() else "error"


def _park_summaries(conn: Connection) -> list[ParkSummary]:
    n = s.nodes.c
    companies = (
        select(n.park_id, func.count()).where(n.kind == NodeKind.COMPANIES).group_by(n.park_id)
    )
    company_counts = {park: int(count) for park, count in conn.execute(companies)}
    flows = select(s.flows.c.park_id, func.count()).group_by(s.flows.c.park_id)
    flow_counts = {park: int(count) for park, count in conn.execute(flows)}
    periods: dict[str, set[str]] = {}
    for table in (s.flows, *s.record_tables.values()):
        for park_id, period in conn.execute(select(table.c.park_id, table.c.period).distinct()):
            periods.setdefault(park_id, set()).add(period)
    region = s.nodes.alias("region")
    stmt = (
        select(n.id, n.name, n.parent_id, region.c.name.label("region_name"), s.parks.c.area_ha)
        .join(s.parks, s.parks.c.id == n.id)
        .outerjoin(region, region.c.id == n.parent_id)
        .order_by(n.id)
    )
    return [
        ParkSummary(
            r.id,
            r.name,
            r.parent_id,
            r.region_name,
            r.area_ha,
            company_counts.get(r.id, 0),
            flow_counts.get(r.id, 0),
            tuple(sorted((Period.parse(p) for p in periods.get(r.id, ())), key=_period_order)),
        )
        for r in conn.execute(stmt)
    ]


def _period_order(period: Period) -> tuple[int, int]:
    return (period.year, period.month or 0)
