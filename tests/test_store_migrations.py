"""Alembic migrations: upgrade, downgrade to base and upgrade again; schema matches models."""

from __future__ import annotations

from collections.abc import Callable

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from sinergi.examples import tiny_park
from sinergi.store import Store
from sinergi.store.migrations import alembic_config
from sinergi.store.schema import metadata


def _tables(store: Store) -> set[str]:
    with store.engine.connect() as conn:
        return set(inspect(conn).get_table_names()) - {"alembic_version"}


def _run(store: Store, action: Callable[..., None], revision: str) -> None:
    with store.engine.begin() as conn:
        action(alembic_config(connection=conn), revision)


def test_upgrade_downgrade_upgrade(store_factory) -> None:
    store = store_factory(migrated=False)
    _run(store, command.upgrade, "head")
    assert _tables(store) == set(metadata.tables)
    _run(store, command.downgrade, "base")
    assert _tables(store) == set()
    _run(store, command.upgrade, "head")
    store.save(tiny_park())
    assert store.load() == tiny_park()


def test_migrated_schema_matches_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_migrate_is_idempotent(store: Store) -> None:
    store.save(tiny_park())
    before = store.fingerprint()
    store.migrate()
    assert store.fingerprint() == before


def test_migrations_run_from_the_url_alone(store_factory) -> None:
    store = store_factory(migrated=False)
    command.upgrade(alembic_config(store._url), "head")  # env.py builds its own engine
    assert _tables(store) == set(metadata.tables)
