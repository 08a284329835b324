"""Per-park data versions and the figures kept at them (``park_versions``, ``dashboard_cache``).

Database triggers (migration ``0009``) add one to a park's version in the same transaction as
any change to the park's rows, so a figure stored with the version it was computed at is
right exactly while the version is unchanged. Readers must read the versions *before* the
data they compute from: a write that lands in between then leaves a row stored with an older
version than its data, which is recomputed on the next read, never shown stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select

from sinergi.store import schema_platform as sp
from sinergi.store.write import upsert_rows

#: The version key of the commodity catalogue, which every park's figures read.
CATALOGUE = "*"


def park_versions(conn: Connection) -> dict[str, int]:
    """Return every park's data version (a park never written since 0009 has none: 0)."""
    v = sp.park_versions.c
    return {str(r.park_id): int(r.version) for r in conn.execute(select(v.park_id, v.version))}


def cached(conn: Connection, kind: str, key: str) -> dict[str, tuple[int, Any]]:
    """Return the kept figures of ``kind`` and ``key``: park → (version, data)."""
    c = sp.dashboard_cache.c
    rows = conn.execute(
        select(c.park_id, c.version, c.data).where((c.kind == kind) & (c.key == key))
    )
    return {str(r.park_id): (int(r.version), r.data) for r in rows}


def keep(conn: Connection, kind: str, key: str, found: Mapping[str, tuple[int, Any]]) -> None:
    """Store figures of ``kind`` and ``key`` per park with the version they were computed at.

    An upsert: two readers keeping the same park at once (two workers) both succeed, the
    last one's row stays, and either row is right for the version it names.
    """
    rows = [
        {"park_id": park, "kind": kind, "key": key, "version": version, "data": data}
        for park, (version, data) in sorted(found.items())
    ]
    upsert_rows(conn, sp.dashboard_cache, rows, ("park_id", "kind", "key"))
