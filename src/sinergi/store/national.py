"""Save and load the smelter registry: one transaction, idempotent, audited when audited.

:func:`save_registry` upserts the rows of a registry file (smelters and units by id,
production by smelter and year) in one transaction: either every row is written or none.
A row equal to the stored one is not written, so importing the same file again changes
nothing (and, on an :class:`~sinergi.store.audited.AuditedStore`, appends no ledger entry).
Rows are plain mappings of the template's column keys; the engine's types are built by the
caller (:func:`sinergi.national.build.registry_from_rows`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select

from sinergi.store import schema_national as sn
from sinergi.store.repository import Store

__all__ = ["RegistryImport", "load_registry_rows", "save_registry"]

Rows = Mapping[str, Sequence[Mapping[str, Any]]]


@dataclass(frozen=True)
class RegistryImport:
    """What an import wrote: rows added, changed and unchanged per sheet."""

    added: dict[str, int]
    changed: dict[str, int]
    unchanged: dict[str, int]

    @property
    def wrote(self) -> bool:
        """Return whether anything was written."""
        return any(self.added.values()) or any(self.changed.values())


def _plain(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None}


def _key(table: Table, row: Mapping[str, Any]) -> tuple[Any, ...]:
    if table is sn.registry_production:
        return (row["smelter"], int(row["year"]))
    return (row["id"],)


def _columns(table: Table, row: Mapping[str, Any]) -> dict[str, Any]:
    data = _plain(row)
    out: dict[str, Any] = {"data": data, "synthetic": bool(row.get("synthetic"))}
    if table is sn.registry_smelters:
        out.update(
            id=row["id"],
            route=row["route"],
            status=row["status"],
            province=row.get("province"),
            park=row.get("park"),
        )
    elif table is sn.registry_power_units:
        out.update(
            id=row["id"],
            smelter=row.get("smelter"),
            park=row.get("park"),
            fuel=row.get("fuel") or "coal",
        )
    else:
        out.update(smelter=row["smelter"], year=int(row["year"]))
    return out


_SHEETS: tuple[tuple[str, Table], ...] = (
    ("smelters", sn.registry_smelters),
    ("units", sn.registry_power_units),
    ("production", sn.registry_production),
)


def _stored(conn: Connection, table: Table) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {_key(table, row.data): row.data for row in conn.execute(select(table.c.data)).all()}


def _state(conn: Connection) -> str:
    digest = hashlib.sha256()
    for name, table in _SHEETS:
        stored = _stored(conn, table)
        digest.update(name.encode())
        digest.update(json.dumps(sorted(stored.values(), key=str), sort_keys=True).encode())
    return digest.hexdigest()


def _write(conn: Connection, rows: Rows) -> RegistryImport:
    added: dict[str, int] = {}
    changed: dict[str, int] = {}
    unchanged: dict[str, int] = {}
    for name, table in _SHEETS:
        stored = _stored(conn, table)
        added[name] = changed[name] = unchanged[name] = 0
        for row in rows.get(name, ()):
            key = _key(table, row)
            values = _columns(table, row)
            if key not in stored:
                conn.execute(insert(table).values(**values))
                added[name] += 1
            elif stored[key] != values["data"]:
                keys = [table.c[c.name] == v for c, v in zip(table.primary_key, key, strict=True)]
                conn.execute(delete(table).where(*keys))
                conn.execute(insert(table).values(**values))
                changed[name] += 1
            else:
                unchanged[name] += 1
    return RegistryImport(added, changed, unchanged)


def save_registry(
    store: Store, rows: Rows, *, file: str, sha256: str | None = None
) -> RegistryImport:
    """Upsert registry rows in one transaction; rows equal to the stored ones are not written.

    On an audited store, a write that changed the registry appends one ledger entry
    (``import smelter-registry <file>``) with the registry's state before and after.
    """
    from sinergi.store import audit
    from sinergi.store.audited import AuditedStore

    with store._transaction() as conn:
        before = _state(conn)
        result = _write(conn, rows)
        if result.wrote and isinstance(store, AuditedStore):
            audit.append(
                conn,
                store.actor,
                "import",
                "smelter-registry",
                file,
                before_sha256=before,
                after_sha256=_state(conn),
                evidence_sha256=sha256,
                detail={"added": result.added, "changed": result.changed},
            )
    return result


def load_registry_rows(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Return the stored registry as rows (smelters, units, production), in key order."""
    with store._transaction() as conn:
        return {
            name: [data for _, data in sorted(_stored(conn, table).items(), key=lambda kv: kv[0])]
            for name, table in _SHEETS
        }
