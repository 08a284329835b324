"""The audit ledger: tampering is found at the right entry, appends never fork the chain."""

from __future__ import annotations

import multiprocessing
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from typer.testing import CliRunner

from sinergi.cli import app as cli
from sinergi.model import audit as chain
from sinergi.model.audit import Actor
from sinergi.store import Store, audit
from sinergi.store.audited import AuditedStore


def _entries(n: int) -> list[chain.Entry]:
    out, prev = [], chain.GENESIS
    for seq in range(1, n + 1):
        entry = chain.seal(
            chain.entry_body(seq, f"2026-01-0{seq}T00:00:00Z", "ana", "kemenperin", "x", "y", "z"),
            prev,
        )
        out.append(entry)
        prev = entry.hash
    return out


def test_an_intact_chain_verifies() -> None:
    result = chain.verify(_entries(5), expected_size=5)
    assert result.ok
    assert result.size == 5


def test_a_changed_entry_is_named() -> None:
    entries = _entries(5)
    body = {**entries[2].body, "actor": "mallory"}
    entries[2] = chain.Entry(body, entries[2].prev_hash, entries[2].hash)
    result = chain.verify(entries)
    assert (result.ok, result.first_bad) == (False, 3)
    assert "changed" in (result.reason or "")


def test_a_deleted_entry_is_named() -> None:
    entries = _entries(5)
    del entries[1]
    assert chain.verify(entries).first_bad == 2


def test_deleting_the_last_entries_is_caught_by_the_head() -> None:
    result = chain.verify(_entries(5)[:3], expected_size=5)
    assert (result.ok, result.first_bad) == (False, 4)


def test_canonical_form_ignores_key_order_and_float_spelling() -> None:
    assert chain.canonical({"b": 1.0, "a": "x"}) == chain.canonical({"a": "x", "b": 1})


@pytest.fixture
def ledger(store_factory: Callable[..., Store]) -> Iterator[AuditedStore]:
    plain = store_factory()
    store = AuditedStore(plain._url, actor=Actor("ana", "kemenperin"))
    with store.transaction() as conn:
        for n in range(6):
            audit.append(conn, store.actor, "test.write", "thing", str(n), detail={"n": n})
    yield store
    store.close()


def _as_owner(store: AuditedStore, *statements: str) -> None:
    """Change the ledger as its owner would, triggers dropped first (an attack, on purpose)."""
    with store.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_ledger DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER IF EXISTS audit_ledger_no_update"))
            conn.execute(text("DROP TRIGGER IF EXISTS audit_ledger_no_delete"))
        for statement in statements:
            conn.execute(text(statement))


def _verify(store: AuditedStore) -> chain.Verification:
    with store.reading() as conn:
        return audit.verify(conn)


def test_the_database_refuses_update_and_delete(ledger: AuditedStore) -> None:
    for statement in ("UPDATE audit_ledger SET actor = 'x'", "DELETE FROM audit_ledger"):
        with pytest.raises(DBAPIError, match="append-only"), ledger.engine.begin() as conn:
            conn.execute(text(statement))
    assert _verify(ledger).ok


def test_tampering_in_the_database_is_named_by_audit_verify(ledger: AuditedStore) -> None:
    _as_owner(ledger, "UPDATE audit_ledger SET actor = 'mallory' WHERE seq = 4")
    result = CliRunner().invoke(cli, ["audit", "verify", "--db", ledger._url])
    assert result.exit_code == 1
    assert "entry 4" in result.output


def test_a_deleted_row_is_named(ledger: AuditedStore) -> None:
    _as_owner(ledger, "DELETE FROM audit_ledger WHERE seq = 3")
    assert _verify(ledger).first_bad == 3


def test_two_reordered_rows_are_named(ledger: AuditedStore) -> None:
    _as_owner(
        ledger,
        "UPDATE audit_ledger SET seq = 100 WHERE seq = 2",
        "UPDATE audit_ledger SET seq = 2 WHERE seq = 5",
        "UPDATE audit_ledger SET seq = 5 WHERE seq = 100",
    )
    assert _verify(ledger).first_bad == 2


def test_a_checkpoint_catches_a_rewritten_chain(ledger: AuditedStore, tmp_path) -> None:
    runner = CliRunner()
    point = tmp_path / "ledger.checkpoint"
    assert (
        runner.invoke(cli, ["audit", "export", "--db", ledger._url, "--out", str(point)]).exit_code
        == 0
    )
    # rewrite history consistently (every hash recomputed): only the checkpoint can tell
    with ledger.reading() as conn:
        kept = audit.entries(conn)[:2]
    _as_owner(ledger, "DELETE FROM audit_ledger WHERE seq > 2")
    with ledger.engine.begin() as conn:
        conn.execute(text("UPDATE audit_head SET size = 2, head_hash = :h"), {"h": kept[-1].hash})
    assert _verify(ledger).ok
    result = runner.invoke(
        cli, ["audit", "verify", "--db", ledger._url, "--checkpoint", str(point)]
    )
    assert result.exit_code == 1
    assert "checkpoint" in result.output


def _writer(url: str, n: int) -> None:
    store = AuditedStore(url, actor=Actor(f"writer-{n}"))
    try:
        for i in range(10):
            with store.transaction() as conn:
                audit.append(conn, store.actor, "test.concurrent", "writer", f"{n}-{i}")
    finally:
        store.close()


def test_eight_concurrent_writers_make_one_unbroken_chain(ledger: AuditedStore) -> None:
    context = multiprocessing.get_context("fork")  # fast; each child opens its own engine
    with ProcessPoolExecutor(max_workers=8, mp_context=context) as pool:
        for done in [pool.submit(_writer, ledger._url, n) for n in range(8)]:
            done.result()
    result = _verify(ledger)
    assert result.ok, result.reason
    assert result.size == 6 + 80


@pytest.mark.postgres
def test_the_application_role_cannot_change_the_ledger(pg_url: str, store_factory) -> None:
    if store_factory.backend != "postgres":
        pytest.skip("PostgreSQL roles")
    store = AuditedStore(store_factory()._url)
    with store.transaction() as conn:
        audit.append(conn, Actor("ana"), "test.write", "thing", "1")
    role = f"sinergi_app_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_url, poolclass=NullPool)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" NOLOGIN'))
    try:
        with store.engine.begin() as conn:
            audit.protect(conn, role)
        for statement in (
            "UPDATE audit_ledger SET actor = 'x'",
            "DELETE FROM audit_ledger",
            "TRUNCATE audit_ledger",
        ):
            with store.engine.begin() as conn:
                conn.execute(text(f'SET LOCAL ROLE "{role}"'))
                with pytest.raises(DBAPIError, match="permission denied"):
                    conn.execute(text(statement))
        with store.engine.begin() as conn:  # the role still appends
            conn.execute(text(f'SET LOCAL ROLE "{role}"'))
            audit.append(conn, Actor("app"), "test.write", "thing", "2")
        assert _verify(store).ok
    finally:
        store.close()
        with admin.begin() as conn:
            conn.execute(text(f'DROP OWNED BY "{role}"'))
            conn.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()
