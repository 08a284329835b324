"""Database URLs and engines: SQLite by default, PostgreSQL (psycopg 3) by URL.

Nothing here connects at import time; :func:`make_engine` is the one factory. SQLite
engines enforce foreign keys and use write-ahead logging on every connection, and run
real ``BEGIN`` transactions so that a failed save rolls back completely.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from sinergi.errors import StoreError

#: Environment variable that names the database when no URL is given explicitly.
URL_ENV = "SINERGI_DATABASE_URL"

#: The database used when neither an explicit URL nor the environment names one.
DEFAULT_URL = "sqlite:///sinergi.db"

_POSTGRES_PREFIXES = ("postgres://", "postgresql://")
_PSYCOPG = "postgresql+psycopg://"


def database_url(explicit: str | None = None, *, default: str = DEFAULT_URL) -> str:
    """Return the database URL to use: explicit, else ``$SINERGI_DATABASE_URL``, else SQLite.

    ``default`` replaces ``sqlite:///sinergi.db`` as the last resort (e.g. a demo's
    own database file).

    ``postgres://`` and ``postgresql://`` are rewritten to ``postgresql+psycopg://`` so
    that the psycopg 3 driver sinergi depends on is used; a relative SQLite path is
    relative to the working directory.

    Examples
    --------
    >>> database_url("postgres://u@db:5432/sinergi")
    'postgresql+psycopg://u@db:5432/sinergi'
    """
    url = explicit or os.environ.get(URL_ENV) or default
    return normalise_url(url.strip())


def normalise_url(url: str) -> str:
    """Return ``url`` with a bare PostgreSQL scheme replaced by the psycopg 3 driver."""
    for prefix in _POSTGRES_PREFIXES:
        if url.startswith(prefix):
            return _PSYCOPG + url[len(prefix) :]
    return url


def is_sqlite(url: str) -> bool:
    """Return whether ``url`` names a SQLite database."""
    return url.startswith("sqlite")


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` (resolved by :func:`database_url`).

    For SQLite the parent directory of the database file is created, and every new
    connection runs ``PRAGMA foreign_keys=ON`` and ``PRAGMA journal_mode=WAL``.

    Raises
    ------
    StoreError
        If the URL cannot be parsed or its driver is not installed.
    """
    resolved = database_url(url)
    try:
        parsed = make_url(resolved)
    except ArgumentError as exc:
        raise StoreError(
            f"database URL {resolved!r} cannot be parsed: {exc}; write e.g. "
            "sqlite:///sinergi.db or postgresql://user@host:5432/dbname"
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        _create_parent_directory(parsed.database)
    try:
        engine = create_engine(parsed, **kwargs)
    except ImportError as exc:
        raise StoreError(
            f"the driver for {parsed.drivername!r} is not installed ({exc}); "
            "install it with: pip install 'sinergi[postgres]'"
        ) from exc
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _create_parent_directory(database: str | None) -> None:
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite(engine: Engine) -> None:
    """Enforce foreign keys, use WAL, and let SQLAlchemy own ``BEGIN``.

    pysqlite begins transactions lazily (only before a write), so reads and DDL would
    escape the transaction; switching its own handling off and emitting ``BEGIN`` on
    SQLAlchemy's begin event makes every ``engine.begin()`` block atomic.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")
