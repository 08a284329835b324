"""Files waiting for a background import: kept in the database until their job has read them.

The job runs on a Dask worker that may not share a disk with the service, so the upload travels
through the database; :func:`drop` removes it when the job ends, whatever the outcome.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, insert, select

from sinergi.errors import NotFound
from sinergi.i18n import N_
from sinergi.i18n.messages import msg
from sinergi.store import schema_platform as sp


@dataclass(frozen=True, slots=True)
class Upload:
    """One waiting file: the name the user knows, its bytes and the table it fills (CSV)."""

    id: str
    name: str
    sha256: str
    content: bytes
    table: str | None


def put(conn: Connection, name: str, content: bytes, table: str | None = None) -> Upload:
    """Keep ``content`` for a job and return it with its new id."""
    upload = Upload(uuid.uuid4().hex, name, hashlib.sha256(content).hexdigest(), content, table)
    conn.execute(
        insert(sp.uploads).values(
            id=upload.id,
            name=name,
            sha256=upload.sha256,
            size=len(content),
            content=content,
            table_name=table,
            created_at=datetime.now(UTC).replace(tzinfo=None),
        )
    )
    return upload


def get(conn: Connection, upload_id: str) -> Upload:
    """Return a waiting file.

    Raises
    ------
    NotFound
        When the upload is gone (its job already ended).
    """
    t = sp.uploads.c
    row = conn.execute(select(sp.uploads).where(t.id == upload_id)).one_or_none()
    if row is None:
        raise NotFound(
            msg(N_("upload {id} is no longer waiting (its job has ended)"), id=str(upload_id))
        )
    return Upload(row.id, row.name, row.sha256, bytes(row.content), row.table_name)


def drop(conn: Connection, upload_id: str) -> None:
    """Forget a waiting file (its job has ended)."""
    conn.execute(delete(sp.uploads).where(sp.uploads.c.id == upload_id))
