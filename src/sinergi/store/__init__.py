"""The database layer: SQLAlchemy 2 Core over SQLite (default) or PostgreSQL, with Alembic.

    >>> from sinergi.store import Store
    >>> from sinergi.examples import tiny_park
    >>> store = Store("sqlite://")          # in memory; a file path or PostgreSQL URL in use
    >>> store.migrate()
    >>> store.save(tiny_park())
    >>> store.load() == tiny_park()
    True
    >>> store.close()

The URL comes from the caller, else ``SINERGI_DATABASE_URL``, else ``sqlite:///sinergi.db``
(see :func:`database_url`). Engines are created on first use, never at import.
"""

from __future__ import annotations

from sinergi.store import schema_custody as schema_custody  # registers the custody tables
from sinergi.store import schema_national as schema_national  # registers the registry tables
from sinergi.store import schema_platform as schema_platform  # registers the platform tables
from sinergi.store.engine import database_url, make_engine
from sinergi.store.imports import ImportRecord, ImportResult, ImportStatus
from sinergi.store.repository import ParkSummary, Store
from sinergi.store.schema import ImportState

__all__ = [
    "ImportRecord",
    "ImportResult",
    "ImportState",
    "ImportStatus",
    "ParkSummary",
    "Store",
    "database_url",
    "make_engine",
]
