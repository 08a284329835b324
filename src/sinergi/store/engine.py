"""Database URLs and engines: SQLite by default, PostgreSQL (psycopg 3) by URL.

Nothing here connects at import time; :func:`make_engine` is the one factory. SQLite
engines enforce foreign keys and use write-ahead logging on every connection, and run
real ``BEGIN`` transactions so that a failed save rolls back completely.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from sinergi.errors import StoreError
from sinergi.i18n import N_
from sinergi.i18n.messages import msg

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


_USERINFO = re.compile(r"(?P<head>[A-Za-z][\w+.-]*://[^/@:\s]*):(?P<password>[^@\s]*)@")


def masked_url(url: str) -> str:
    """Return ``url`` with its password replaced by ``***``, even if it cannot be parsed.

    A database URL reaches error messages, logs and pages; its password must not.

    Examples
    --------
    >>> masked_url("postgresql+psycopg://app:s3cret@db:5432/sinergi")
    'postgresql+psycopg://app:***@db:5432/sinergi'
    >>> masked_url("postgresql://app:s3cret@db:port/x")
    'postgresql://app:***@db:port/x'
    """
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return _USERINFO.sub(r"\g<head>:***@", url)


def scrub_password(text: str, url: str) -> str:
    """Return ``text`` with the password of ``url`` (as given or URL-decoded) masked.

    A driver's error message may echo its connection string; whatever it says is shown only
    after this.
    """
    found = _USERINFO.search(url)
    if found is None or not found.group("password"):
        return text
    raw = found.group("password")
    for secret in {raw, unquote(raw)}:
        if secret:
            text = text.replace(secret, "***")
    return text


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
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
        raise StoreError(
            msg(
                N_(
                    "database URL {url} cannot be parsed; write e.g. sqlite:///sinergi.db or "
                    "postgresql://user@host:5432/dbname"
                ),
                url=repr(masked_url(resolved)),
            )
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        _create_parent_directory(parsed.database)
    try:
        engine = create_engine(parsed, **kwargs)
    except ImportError as exc:
        raise StoreError(
            msg(
                N_(
                    "the driver for {driver} is not installed ({error}); install it with: "
                    "pip install 'sinergi[postgres]'"
                ),
                driver=repr(parsed.drivername),
                error=scrub_password(str(exc), resolved),
            )
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
