"""Bulk inserts (COPY on PostgreSQL, executemany on SQLite) store what ``insert()`` stores."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Connection, insert, select, text

from sinergi.custody.epcis import event_to_epcis, lot_record
from sinergi.custody.synth import synthesise_chain
from sinergi.model.audit import Actor
from sinergi.store import Store, audit
from sinergi.store import schema_custody as sc
from sinergi.store.bulk import insert_rows
from sinergi.store.custody import CustodyRecords


def _lot_rows(offset: int) -> list[dict[str, Any]]:
    """Lot rows with JSON, text with quotes and non-ASCII, floats, ints, booleans and None."""
    rows = []
    for i, (event, made) in enumerate(synthesise_chain(40, seed=5)):
        for lot in made:
            record = lot_record(lot)
            rows.append(
                {
                    "id": f"{offset}-{lot.id}",
                    "commodity": lot.commodity,
                    "quantity": lot.quantity if i % 3 else int(lot.quantity),  # an int for REAL
                    "unit": lot.unit,
                    "owner": 'pemilik "é" \\ tab\t' if i % 2 else lot.owner,
                    "facility": lot.facility,
                    "period": lot.period,
                    "attributes": {**record["attributes"], "note": "ñ\u2028\U0001f600", "x": 1e-7},
                    "evidence": [*record["evidence"], event.id],
                    "mass_t": None if i % 2 else 0.1 + i,
                    "synthetic": bool(i % 2),
                    "made_by": event.id,
                }
            )
    return rows


def _raw(conn: Connection, prefix: str) -> list[tuple[Any, ...]]:
    """Return the stored lots as the database holds them (JSON as its stored text)."""
    cast = "CAST({} AS TEXT)" if conn.dialect.name == "postgresql" else "{}"
    columns = ", ".join(
        cast.format(c.name) if c.name in ("attributes", "evidence") else c.name
        for c in sc.custody_lots.c
    )
    query = text(f"SELECT {columns} FROM custody_lots WHERE id LIKE :p ORDER BY id")
    return [(*tuple(r)[1:], r[0][len(prefix) :]) for r in conn.execute(query, {"p": prefix + "%"})]


def test_bulk_rows_are_stored_exactly_as_sqlalchemy_inserts_them(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(insert(sc.custody_lots), _lot_rows(1))
        insert_rows(conn, sc.custody_lots, _lot_rows(2))
    with store.engine.connect() as conn:
        by_insert, by_bulk = _raw(conn, "1-"), _raw(conn, "2-")
        assert len(by_bulk) == len(_lot_rows(2)) > 20
        assert by_bulk == by_insert
        read = conn.execute(select(sc.custody_lots).where(sc.custody_lots.c.id.like("2-%"))).all()
        assert {r.id: r.attributes for r in read} == {
            r["id"]: r["attributes"] for r in _lot_rows(2)
        }


def test_a_bulk_insert_breaking_a_constraint_raises_integrity_error_and_writes_nothing(
    store: Store,
) -> None:
    from sqlalchemy.exc import IntegrityError

    rows = _lot_rows(3)

    def twice() -> None:
        with store.engine.begin() as conn:
            insert_rows(conn, sc.custody_lots, rows[:5])
            insert_rows(conn, sc.custody_lots, rows[4:6])  # rows[4] again

    with pytest.raises(IntegrityError):
        twice()
    with store.engine.connect() as conn:
        assert _raw(conn, "3-") == []


def test_stored_event_bodies_are_the_json_of_their_epcis_and_the_ledger_verifies(
    store: Store,
) -> None:
    events = list(synthesise_chain(60, seed=2))
    records = CustodyRecords(store, Actor("tester"))
    records.append(events, evidence_sha256="ab" * 32)
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(sc.custody_events.c.body, sc.custody_events.c.event_hash).order_by(
                sc.custody_events.c.seq
            )
        ).all()
        assert audit.verify(conn).ok
        assert audit.head(conn)[0] == len(events)
    units = {lot.id: lot.unit for _e, made in events for lot in made if lot.unit != "t"}
    for (event, made), row in zip(events, rows, strict=True):
        body = event_to_epcis(event, made, units)
        assert row.body == body
        assert body["eventID"] == f"ni:///sha-256;{row.event_hash}?ver=CBV2.0"


def _highest_seq_analysed(store: Store) -> int | None:
    """Return the top of the planner's histogram of event seqs (``None``: never analysed)."""
    with store.engine.connect() as conn:
        query = text(
            "SELECT CAST(histogram_bounds AS TEXT) FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = 'custody_events' "
            "AND attname = 'seq'"
        )
        bounds = conn.execute(query).scalar()
    return None if bounds is None else int(bounds.strip("{}").split(",")[-1])


def test_postgres_analyses_the_custody_tables_after_an_append_that_grows_them(
    store: Store,
) -> None:
    """An append adding more than 10 % of the stored events refreshes the planner's statistics.

    ``ANALYZE`` of a small table reads every row, so the histogram of seqs ends at the last
    event; a small append afterwards (below 10 %) leaves the statistics as they were.
    """
    if store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite plans from its indexes; nothing to analyse")
    events = list(synthesise_chain(200, seed=4))
    records = CustodyRecords(store, Actor("tester"))
    head, tail = events[:-3], events[-3:]
    assert _highest_seq_analysed(store) is None
    records.append(head)
    assert _highest_seq_analysed(store) == len(head)
    records.append(tail)
    assert records.count() == len(events)
    assert _highest_seq_analysed(store) == len(head)
