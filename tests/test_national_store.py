"""The smelter registry in the database: atomic, idempotent imports on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sinergi.errors import StoreError
from sinergi.national.build import registry_from_rows, registry_rows
from sinergi.national.synthetic import synthetic_registry
from sinergi.store import Store
from sinergi.store.national import load_registry_rows, save_registry


def rows() -> dict[str, list[dict[str, object]]]:
    data = registry_rows(synthetic_registry(plants=25, units=15, seed=8))
    return {
        "smelters": data["smelters"],
        "units": data["captive_units"],
        "production": data["production"],
    }


def test_registry_round_trips_through_the_database(store: Store) -> None:
    save_registry(store, rows(), file="r.xlsx")
    assert registry_from_rows(load_registry_rows(store)) == registry_from_rows(rows())


def test_importing_the_same_rows_again_changes_nothing(store: Store) -> None:
    first = save_registry(store, rows(), file="r.xlsx")
    before = store.fingerprint()
    again = save_registry(store, rows(), file="r.xlsx")
    assert first.wrote
    assert not again.wrote
    assert again.unchanged["smelters"] == 25
    assert store.fingerprint() == before


def test_a_changed_row_is_updated_and_counted(store: Store) -> None:
    save_registry(store, rows(), file="r.xlsx")
    changed = rows()
    changed["smelters"][0] = {**changed["smelters"][0], "name": "Renamed"}
    result = save_registry(store, changed, file="r.xlsx")
    assert result.changed == {"smelters": 1, "units": 0, "production": 0}
    assert load_registry_rows(store)["smelters"][0]["name"] == "Renamed"


def test_a_failed_import_writes_nothing(store: Store) -> None:
    bad = rows()
    bad["production"].append(dict(bad["production"][0]))  # the same key twice: the insert fails
    with pytest.raises(StoreError):
        save_registry(store, bad, file="bad.xlsx")
    assert load_registry_rows(store) == {"smelters": [], "units": [], "production": []}


def test_migration_creates_the_registry_tables(store_factory: Callable[..., Store]) -> None:
    from sqlalchemy import inspect

    store = store_factory()
    with store.engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
    assert {"registry_smelters", "registry_power_units", "registry_production"} <= names
