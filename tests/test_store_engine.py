"""URL resolution, SQLite connection settings and database-level foreign keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError

from sinergi.errors import StoreError, StoreIntegrityError
from sinergi.examples import tiny_park
from sinergi.model import Flow, Period
from sinergi.store import Store, database_url, make_engine
from sinergi.store import schema as s


def test_explicit_url_wins_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SINERGI_DATABASE_URL", "sqlite:///from-env.db")
    assert database_url("sqlite:///explicit.db") == "sqlite:///explicit.db"
    assert database_url() == "sqlite:///from-env.db"


def test_default_url_is_a_local_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SINERGI_DATABASE_URL", raising=False)
    assert database_url() == "sqlite:///sinergi.db"
    assert database_url(default="sqlite:///out/demo.db") == "sqlite:///out/demo.db"


@pytest.mark.parametrize("given", ["postgres://u:pw@db:5432/x", "postgresql://u:pw@db:5432/x"])
def test_postgres_urls_use_psycopg3(given: str) -> None:
    assert database_url(given) == "postgresql+psycopg://u:pw@db:5432/x"


def test_explicit_driver_is_kept() -> None:
    assert database_url("postgresql+psycopg://u@db/x") == "postgresql+psycopg://u@db/x"


def test_store_hides_the_password_when_shown() -> None:
    store = Store("postgres://user:secret@db:5432/x")
    assert "secret" not in store.url
    assert "secret" not in repr(store)


def test_store_touches_nothing_until_used(tmp_path: Path) -> None:
    folder = tmp_path / "not" / "yet"
    store = Store(f"sqlite:///{folder.as_posix()}/sinergi.db")
    assert not folder.exists()
    store.migrate()
    assert (folder / "sinergi.db").is_file()
    store.close()


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path.as_posix()}/a/b.db")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


def test_sqlite_rejects_a_flow_to_a_missing_node_at_the_database(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path.as_posix()}/fk.db")
    store.migrate()
    store.save(tiny_park())
    row = {
        "park_id": "demo-park",
        "period": "2024",
        "source": "demo-metal.furnace",
        "target": "no-such-node",
        "commodity": "co2",
        "quantity": 1.0,
        "quality": "measured",
    }
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(insert(s.flows), [row])
    store.close()


def test_save_of_a_dangling_flow_raises_and_writes_nothing(store: Store) -> None:
    store.save(tiny_park())
    before = store.fingerprint()
    eco = tiny_park()
    eco.flows.append(Flow(Period(2024), "demo-metal.furnace", "no-such-node", "co2", 1.0))
    with pytest.raises(StoreIntegrityError, match="nothing was written"):
        store.save(eco)
    assert store.fingerprint() == before


def test_missing_tables_give_a_clear_error(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path.as_posix()}/empty.db")
    with pytest.raises(StoreError, match="sinergi init"):
        store.load()
    store.close()
