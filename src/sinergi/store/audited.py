"""The store that writes the audit ledger: every change and its entry in one transaction.

:class:`AuditedStore` is the :class:`~sinergi.store.Store` the CLI and the service use. Each
write method of the plain store (save, delete parks, import, exchange proposals and
decisions) is wrapped so that its transaction also appends one ledger entry naming the actor,
the action, the object and the SHA-256 of the object's state before and after (and of the
uploaded file, for imports). A write that changes nothing appends nothing.

On SQLite, writes of one process are serialised by a lock per database URL (SQLite has one
writer at a time, and a transaction that read before another committed could not write).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from sinergi.errors import LockedData
from sinergi.i18n import N_
from sinergi.i18n.messages import items, msg
from sinergi.model.audit import Actor
from sinergi.model.exchanges import Exchange, ExchangeStatus
from sinergi.model.network import Ecosystem
from sinergi.model.nodes import LandUse
from sinergi.model.period import Period
from sinergi.store import audit, submissions
from sinergi.store import schema as s
from sinergi.store.engine import is_sqlite, make_engine
from sinergi.store.exchanges import ProposalResult
from sinergi.store.imports import ImportResult, StageProgress
from sinergi.store.repository import Store
from sinergi.store.rows import chunks

_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


def _write_lock(url: str) -> threading.RLock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(url, threading.RLock())


def cli_actor() -> Actor:
    """Return the actor of a command run in a terminal: ``cli:<login name>``."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "unknown"
    return Actor(f"cli:{login}")


@dataclass
class _Pending:
    """The ledger entry the next transaction appends, with the object's state before it."""

    action: str
    object_type: str
    object_id: Callable[[Connection], str]
    state: Callable[[Connection], str | None]
    evidence_sha256: str | None = None
    detail: Callable[[Connection], Mapping[str, Any]] = field(default=lambda _conn: {})
    guard: Callable[[Connection], None] = field(default=lambda _conn: None)


_PENDING: ContextVar[_Pending | None] = ContextVar("sinergi_pending_audit", default=None)


class AuditedStore(Store):
    """A store whose writes append to the audit ledger, acting for ``actor``.

    Parameters
    ----------
    url
        Database URL, as for :class:`~sinergi.store.Store`.
    actor
        Who the writes are made for; a terminal user (``cli:<login>``) by default.
    """

    def __init__(
        self, url: str | None = None, *, actor: Actor | None = None, pool_size: int | None = None
    ) -> None:
        super().__init__(url)
        self.actor = actor or cli_actor()
        self._pool_size = pool_size
        self._lock = _write_lock(self._url) if is_sqlite(self._url) else None
        self._owner = self

    def as_actor(self, actor: Actor) -> AuditedStore:
        """Return a store for ``actor`` sharing this one's engine (cheap; one per request)."""
        clone = AuditedStore.__new__(AuditedStore)
        clone.__dict__.update(self.__dict__)
        clone.actor = actor
        clone._owner = self._owner
        return clone

    @property
    def engine(self) -> Any:
        """Return the engine of the store this one was cloned from (created on first use)."""
        owner = self._owner
        if owner is not self:
            return owner.engine
        if self._engine is None and self._pool_size is not None:
            # a service answers many requests at once: one pooled connection per worker thread
            self._engine = make_engine(
                self._url, pool_size=self._pool_size, max_overflow=self._pool_size
            )
        return super().engine

    def close(self) -> None:
        """Close the engine (a clone leaves its owner's engine open)."""
        if self._owner is self:
            super().close()

    # -- transactions -------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """Yield a connection in one write transaction (serialised per process on SQLite)."""
        with self._lock or nullcontext(), super()._transaction() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """Yield a connection in one read-only transaction."""
        with super()._transaction() as conn:
            yield conn

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        pending = _PENDING.get()
        if pending is None:
            with super()._transaction() as conn:
                yield conn
            return
        _PENDING.set(None)  # inner calls of the same method are not audited twice
        with self._lock or nullcontext(), super()._transaction() as conn:
            pending.guard(conn)
            before = pending.state(conn)
            yield conn
            after = pending.state(conn)
            if before != after:
                audit.append(
                    conn,
                    self.actor,
                    pending.action,
                    pending.object_type,
                    pending.object_id(conn),
                    before_sha256=before,
                    after_sha256=after,
                    evidence_sha256=pending.evidence_sha256,
                    detail=pending.detail(conn),
                )

    @contextmanager
    def _audited(self, pending: _Pending) -> Iterator[None]:
        token = _PENDING.set(pending)
        try:
            yield
        finally:
            _PENDING.reset(token)

    # -- the plain store's writes, audited ------------------------------------------------
    def save(self, eco: Ecosystem, progress: StageProgress | None = None) -> None:
        """Write ``eco`` (see :meth:`Store.save`) and log it as ``save``."""
        parks = sorted(eco.parks)
        pending = _Pending(
            "ecosystem.save",
            "parks",
            lambda _c: ",".join(parks) if parks else "catalogue",
            lambda c: park_state(c, parks) if parks else _shared_state(c),
            detail=lambda _c: {"parks": len(parks), "flows": len(eco.flows)},
        )
        with self._audited(pending):
            super().save(eco, progress)

    def delete_parks(self, park_ids: Iterable[str]) -> None:
        """Delete parks (see :meth:`Store.delete_parks`) and log it as ``parks.delete``."""
        wanted = sorted(set(park_ids))
        pending = _Pending(
            "parks.delete", "parks", lambda _c: ",".join(wanted), lambda c: park_state(c, wanted)
        )
        with self._audited(pending):
            super().delete_parks(wanted)

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
        """Apply an import (see :meth:`Store.apply_import`); the file's hash is the evidence."""
        parks = sorted(
            set(fragment.parks)
            | {c.park_id for c in fragment.companies.values()}
            | set(land_use or {})
        )
        pending = _Pending(
            "import",
            "import",
            lambda c: str(_import_id(c, sha256)),
            lambda c: park_state(c, parks),
            evidence_sha256=sha256,
            detail=lambda _c: {"file": source_name, "format": fmt, "parks": parks},
            guard=lambda c: refuse_locked(
                c, parks, {str(p) for ps in periods.values() for p in ps}
            ),
        )
        with self._audited(pending):
            return super().apply_import(
                fragment,
                sha256=sha256,
                source_name=source_name,
                fmt=fmt,
                tables=tables,
                periods=periods,
                land_use=land_use,
                progress=progress,
            )

    def propose_exchanges(
        self, proposals: Iterable[Exchange], *, actor: str | None = None
    ) -> ProposalResult:
        """Store proposals (see :meth:`Store.propose_exchanges`), logged as one entry."""
        wanted = list(proposals)
        ids = sorted({x.id for x in wanted})
        pending = _Pending(
            "exchanges.propose",
            "exchanges",
            lambda _c: f"{len(ids)} proposal(s)",
            lambda c: _exchange_state(c, ids),
            detail=lambda _c: {"ids": ids[:100]},
        )
        with self._audited(pending):
            return super().propose_exchanges(wanted, actor=actor or self.actor.name)

    def set_exchange_status(
        self,
        exchange_id: str,
        status: ExchangeStatus,
        *,
        reason: str | None = None,
        actor: str | None = None,
    ) -> Exchange:
        """Decide on an exchange (see :meth:`Store.set_exchange_status`), logged."""
        pending = _Pending(
            "exchange.status",
            "exchange",
            lambda _c: exchange_id,
            lambda c: _exchange_state(c, [exchange_id]),
            detail=lambda _c: {"status": str(status), "reason": reason},
        )
        with self._audited(pending):
            return super().set_exchange_status(
                exchange_id, status, reason=reason, actor=actor or self.actor.name
            )


def refuse_locked(conn: Connection, park_ids: Iterable[str], periods: Iterable[str]) -> None:
    """Raise :class:`~sinergi.errors.LockedData` if locked submissions cover the parks/periods."""
    locked = submissions.locked_in(conn, set(park_ids), set(periods))
    if locked:
        raise LockedData(
            msg(
                N_(
                    "the data of {what} is locked, so this change was refused and nothing was "
                    "written; a correction is filed as a new version of the submission"
                ),
                what=items(locked[:5]),
            )
        )


def _import_id(conn: Connection, sha256: str) -> int | None:
    """Return the latest import of a file (a file may be imported again after other changes)."""
    stmt = select(s.imports.c.id).where(s.imports.c.sha256 == sha256)
    found = conn.execute(stmt.order_by(s.imports.c.id.desc()).limit(1)).scalar()
    return None if found is None else int(found)


def _default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return repr(value)


def _digest_rows(digest: Any, name: str, rows: Iterable[Any]) -> None:
    digest.update(f"\x00{name}\n".encode())
    for row in rows:
        digest.update(json.dumps(list(row), default=_default).encode())
        digest.update(b"\n")


def park_state(conn: Connection, park_ids: Iterable[str]) -> str:
    """Return a SHA-256 over every stored row of the given parks (nodes, flows, records).

    The import id of a row is left out: re-writing the same data is not a change.
    """
    digest = hashlib.sha256()
    wanted = sorted(set(park_ids))
    for part in chunks(wanted):
        n = s.nodes.c
        _digest_rows(
            digest,
            "nodes",
            conn.execute(
                select(n.id, n.kind, n.parent_id, n.name)
                .where(n.park_id.in_(part) | n.id.in_(part))
                .order_by(n.id)
            ),
        )
        for table in (s.flows, *s.record_tables.values()):
            columns = [c for c in table.c if c.name not in {"id", "import_id"}]
            _digest_rows(
                digest,
                table.name,
                conn.execute(
                    select(*columns).where(table.c.park_id.in_(part)).order_by(*columns[:5])
                ),
            )
    return digest.hexdigest()


def _shared_state(conn: Connection) -> str:
    digest = hashlib.sha256()
    n = s.nodes.c
    _digest_rows(
        digest,
        "nodes",
        conn.execute(select(n.id, n.kind, n.name).where(n.park_id.is_(None)).order_by(n.id)),
    )
    _digest_rows(digest, "commodities", conn.execute(select(s.commodities).order_by("id")))
    return digest.hexdigest()


def _exchange_state(conn: Connection, ids: list[str]) -> str:
    digest = hashlib.sha256()
    for part in chunks(ids):
        x = s.exchanges.c
        _digest_rows(
            digest,
            "exchanges",
            conn.execute(select(x.id, x.status, x.reason).where(x.id.in_(part)).order_by(x.id)),
        )
    return digest.hexdigest()


__all__ = ["AuditedStore", "cli_actor", "park_state"]
