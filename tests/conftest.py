"""Shared fixtures: a fresh, migrated :class:`~sinergi.store.Store` on SQLite and PostgreSQL.

``store`` is parametrized over ``sqlite`` (a new file in ``tmp_path``) and ``postgres``
(a uniquely named schema on the server named by ``SINERGI_TEST_POSTGRES_URL``, selected
through ``search_path`` and dropped afterwards), so every test starts from an empty,
migrated database. An unreachable server skips the postgres cases, unless ``CI=true``
and ``SINERGI_REQUIRE_POSTGRES=1``, which turns the skip into a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from sinergi.store import Store
from sinergi.store.engine import normalise_url

POSTGRES_URL_ENV = "SINERGI_TEST_POSTGRES_URL"
POSTGRES_DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def postgres_url() -> str:
    """Return the test server URL (environment, else the local default)."""
    return normalise_url(os.environ.get(POSTGRES_URL_ENV, POSTGRES_DEFAULT_URL))


def _postgres_required() -> bool:
    return (
        os.environ.get("CI", "").lower() == "true"
        and os.environ.get("SINERGI_REQUIRE_POSTGRES") == "1"
    )


def _probe_postgres(url: str) -> str | None:
    """Return ``None`` if the server answers, else the error text."""
    engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        return str(exc.orig).strip().splitlines()[0]
    finally:
        engine.dispose()
    return None


@pytest.fixture(scope="session")
def pg_available() -> bool:
    """Return whether the PostgreSQL test server is reachable (never skips)."""
    return _probe_postgres(postgres_url()) is None


@pytest.fixture(scope="session")
def pg_url() -> str:
    """Return the PostgreSQL test URL, or skip (fail on CI when required) if unreachable."""
    url = postgres_url()
    error = _probe_postgres(url)
    if error is not None:
        message = f"PostgreSQL not reachable at {make_url(url).render_as_string()}: {error}"
        if _postgres_required():
            pytest.fail(message)
        pytest.skip(message)
    return url


class StoreFactory:
    """Make fresh stores on one backend and clean all of them up afterwards."""

    def __init__(self, backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
        self.backend = backend
        self._tmp_path = tmp_path
        self._request = request
        self._stores: list[Store] = []
        self._schemas: list[str] = []

    def __call__(self, *, migrated: bool = True) -> Store:
        url = self._sqlite_url() if self.backend == "sqlite" else self._postgres_schema_url()
        store = Store(url)
        self._stores.append(store)
        if migrated:
            store.migrate()
        return store

    def _sqlite_url(self) -> str:
        path = self._tmp_path / f"db-{len(self._stores)}" / "sinergi.db"
        return f"sqlite:///{path.as_posix()}"

    def _postgres_schema_url(self) -> str:
        base = self._request.getfixturevalue("pg_url")
        schema = f"sinergi_test_{uuid.uuid4().hex[:12]}"
        engine = create_engine(base, poolclass=NullPool)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        self._schemas.append(schema)
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    def cleanup(self) -> None:
        for store in self._stores:
            store.close()
        if not self._schemas:
            return
        engine = create_engine(self._request.getfixturevalue("pg_url"), poolclass=NullPool)
        with engine.begin() as conn:
            for schema in self._schemas:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Name the database backend under test: ``sqlite`` or ``postgres``."""
    name: str = request.param
    if name == "postgres":
        request.getfixturevalue("pg_url")  # skips or fails early when unreachable
    return name


@pytest.fixture
def store_factory(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Store]]:
    """Return a callable making fresh stores (``migrated=False`` for an empty one)."""
    factory = StoreFactory(backend, tmp_path, request)
    yield factory
    factory.cleanup()


@pytest.fixture
def store(store_factory: Callable[..., Store]) -> Store:
    """Return a fresh, migrated, empty store (one per test, per backend)."""
    return store_factory()
