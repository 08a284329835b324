"""The audit ledger in the database: serialised appends, reading, verification, checkpoints.

Every append runs inside the caller's transaction, so an entry is written together with the
change it records or not at all. Appends are serialised by updating the one ``audit_head``
row first: on PostgreSQL the row lock makes a second writer wait until the first commits (and
then read the new head); on SQLite the first write takes the database's write lock. The
chain therefore never forks, whatever the number of concurrent writers.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sinergi.model import audit as chain
from sinergi.model.audit import Actor, Entry, Verification
from sinergi.store import schema_platform as sp
from sinergi.store.bulk import insert_rows

#: Rows fetched per round trip when verifying a long ledger.
_BATCH = 5000


def now_text() -> str:
    """Return the current UTC time as ISO 8601 with a ``Z`` (microseconds kept)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def append(
    conn: Connection,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str,
    *,
    before_sha256: str | None = None,
    after_sha256: str | None = None,
    evidence_sha256: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> Entry:
    """Append one entry in the caller's transaction and return it."""
    head = sp.audit_head.c
    # the UPDATE comes first: it takes the lock that serialises appends
    conn.execute(update(sp.audit_head).where(head.id == 1).values(size=head.size + 1))
    row = conn.execute(select(head.size, head.head_hash).where(head.id == 1)).one()
    body = chain.entry_body(
        int(row.size),
        now_text(),
        actor.name,
        actor.organisation,
        action,
        object_type,
        object_id,
        before_sha256=before_sha256,
        after_sha256=after_sha256,
        evidence_sha256=evidence_sha256,
        detail=_plain(detail or {}),
    )
    entry = chain.seal(body, row.head_hash)
    conn.execute(
        insert(sp.audit_ledger), [{**body, "prev_hash": entry.prev_hash, "hash": entry.hash}]
    )
    conn.execute(update(sp.audit_head).where(head.id == 1).values(head_hash=entry.hash))
    return entry


def append_many(
    conn: Connection,
    actor: Actor,
    items: Sequence[tuple[str, str, str, str | None, str | None, Mapping[str, Any]]],
) -> list[Entry]:
    """Append many entries in the caller's transaction with one lock of the chain head.

    ``items`` are ``(action, object_type, object_id, after_sha256, evidence_sha256, detail)``.
    The entries are exactly those :func:`append` would write one by one (same bodies, same
    chain), so :func:`verify` cannot tell them apart; bulk imports use this to avoid four
    round trips per entry.
    """
    if not items:
        return []
    head = sp.audit_head.c
    conn.execute(update(sp.audit_head).where(head.id == 1).values(size=head.size + len(items)))
    row = conn.execute(select(head.size, head.head_hash).where(head.id == 1)).one()
    seq, prev = int(row.size) - len(items), str(row.head_hash)
    at = now_text()
    written, rows = [], []
    for action, object_type, object_id, after, evidence, detail in items:
        seq += 1
        body = chain.entry_body(
            seq,
            at,
            actor.name,
            actor.organisation,
            action,
            object_type,
            object_id,
            after_sha256=after,
            evidence_sha256=evidence,
            detail=_plain(detail),
        )
        entry = chain.seal(body, prev)
        rows.append({**body, "prev_hash": entry.prev_hash, "hash": entry.hash})
        written.append(entry)
        prev = entry.hash
    for start in range(0, len(rows), _BATCH):
        insert_rows(conn, sp.audit_ledger, rows[start : start + _BATCH])
    conn.execute(update(sp.audit_head).where(head.id == 1).values(head_hash=prev))
    return written


def _plain(detail: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``detail`` with only JSON types RFC 8785 accepts (text for anything else)."""
    out: dict[str, Any] = {}
    for key, value in detail.items():
        if value is None or isinstance(value, bool | int | str):
            out[str(key)] = value
        elif isinstance(value, float):
            out[str(key)] = value if math.isfinite(value) else str(value)
        elif isinstance(value, Mapping):
            out[str(key)] = _plain(value)
        elif isinstance(value, list | tuple):
            out[str(key)] = [_plain({"v": v})["v"] for v in value]
        else:
            out[str(key)] = str(value)
    return out


def _entry(row: Any) -> Entry:
    body = {name: getattr(row, name) for name in chain.BODY_FIELDS}
    body["detail"] = dict(body["detail"] or {})
    return Entry(body, row.prev_hash, row.hash)


def entries(
    conn: Connection,
    *,
    after: int = 0,
    limit: int | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
) -> list[Entry]:
    """Return entries with ``seq > after`` in chain order, optionally of one object."""
    c = sp.audit_ledger.c
    query = select(sp.audit_ledger).where(c.seq > after).order_by(c.seq)
    if object_type is not None:
        query = query.where(c.object_type == object_type)
    if object_id is not None:
        query = query.where(c.object_id == object_id)
    if limit is not None:
        query = query.limit(limit)
    return [_entry(row) for row in conn.execute(query)]


def _all(conn: Connection) -> Iterator[Entry]:
    last = 0
    while batch := entries(conn, after=last, limit=_BATCH):
        yield from batch
        last = batch[-1].seq


def head(conn: Connection) -> tuple[int, str]:
    """Return the chain head: ``(size, head hash)``."""
    row = conn.execute(select(sp.audit_head.c.size, sp.audit_head.c.head_hash)).one()
    return int(row.size), str(row.head_hash)


def verify(conn: Connection) -> Verification:
    """Recompute the whole chain and compare it with the head row."""
    size, head_hash = head(conn)
    result = chain.verify(_all(conn), expected_size=size)
    if result.ok and result.head != head_hash:
        return Verification(
            False,
            result.size,
            result.head,
            result.size,
            f"entry {result.size} is not the head the database records: the chain was rewritten",
        )
    return result


def entry_at(conn: Connection, seq: int) -> Entry | None:
    """Return the entry at ``seq``, if stored."""
    found = entries(conn, after=seq - 1, limit=1)
    return found[0] if found and found[0].seq == seq else None


def protect(conn: Connection, app_role: str) -> None:
    """On PostgreSQL, let ``app_role`` use every table but never change or empty the ledger.

    Run it as the owner of the tables after ``sinergi init``; the service then connects as
    ``app_role``. The owner (and superusers) can still drop the triggers: the ledger is
    tamper-evident (``sinergi audit verify``), not tamper-proof (docs/service.md).
    """
    if conn.dialect.name != "postgresql":
        return
    quoted = conn.dialect.identifier_preparer.quote(app_role)
    schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
    where = conn.dialect.identifier_preparer.quote(str(schema))
    for statement in (
        f"GRANT USAGE ON SCHEMA {where} TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {where} TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {where} TO {quoted}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {where}.audit_ledger FROM {quoted}",
    ):
        conn.exec_driver_sql(statement)
