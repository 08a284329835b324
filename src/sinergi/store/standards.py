"""User-defined standards packs in the database: each version's YAML text, kept for ever.

The store keeps text, not parsed packs: validating a pack is the assessment engine's job
(:func:`sinergi.assess.packs.parse_pack`), done by the caller before :func:`add`. A pack id
and version, once stored, always mean the same text: adding them again with the same bytes
changes nothing, with other bytes is refused (raise the version instead).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from sinergi.errors import PackConflict
from sinergi.i18n import N_
from sinergi.i18n.messages import msg
from sinergi.model.audit import Actor
from sinergi.store import audit
from sinergi.store import schema_platform as sp


@dataclass(frozen=True, slots=True)
class StoredPack:
    """One stored version of a pack."""

    pack_id: str
    version: str
    text: str
    sha256: str
    added_by: str
    added_at: datetime


def add(conn: Connection, actor: Actor, pack_id: str, version: str, text: str) -> bool:
    """Store ``text`` as ``pack_id`` ``version`` and log it; return whether anything was added.

    Raises
    ------
    PackConflict
        When this id and version are stored with other content.
    """
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    t = sp.standards_packs.c
    found = conn.execute(
        select(t.sha256).where(t.pack_id == pack_id, t.version == version)
    ).scalar_one_or_none()
    if found == digest:
        return False
    if found is not None:
        raise PackConflict(
            msg(
                N_(
                    "pack {id!r} version {version!r} is already stored with other content; "
                    "give the changed pack a new version"
                ),
                id=pack_id,
                version=version,
            )
        )
    conn.execute(
        insert(sp.standards_packs).values(
            pack_id=pack_id,
            version=version,
            text=text,
            sha256=digest,
            added_by=actor.name,
            added_at=datetime.now(UTC).replace(tzinfo=None),
        )
    )
    audit.append(
        conn, actor, "standards.add", "standards_pack", f"{pack_id}@{version}", after_sha256=digest
    )
    return True


def versions(conn: Connection, pack_id: str | None = None) -> list[StoredPack]:
    """Return the stored versions (of one pack, or of all), oldest first per pack."""
    t = sp.standards_packs.c
    query = select(sp.standards_packs).order_by(t.pack_id, t.id)
    if pack_id is not None:
        query = query.where(t.pack_id == pack_id)
    return [_stored(r) for r in conn.execute(query)]


def latest(conn: Connection, pack_id: str) -> StoredPack | None:
    """Return the version of ``pack_id`` added last, or ``None`` when none is stored."""
    t = sp.standards_packs.c
    query = select(sp.standards_packs).where(t.pack_id == pack_id).order_by(t.id.desc()).limit(1)
    row = conn.execute(query).one_or_none()
    return None if row is None else _stored(row)


def _stored(row: Any) -> StoredPack:
    return StoredPack(row.pack_id, row.version, row.text, row.sha256, row.added_by, row.added_at)
