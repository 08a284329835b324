"""Custody in the database (SQLite and PostgreSQL): atomic, idempotent, audited appends."""

from __future__ import annotations

import pytest

from custody_cases import nickel_chain, t
from sinergi.custody import Event, EventKind, Lot, Portion
from sinergi.custody.accounts import CustodyModel, SiteModel
from sinergi.errors import CustodyError, MassImbalance
from sinergi.model.audit import Actor
from sinergi.store import Store, audit
from sinergi.store.custody import CustodyRecords


def _events() -> list[tuple[Event, list[Lot]]]:
    chain = nickel_chain()
    return [(event, [chain.lots[p.lot] for p in event.outputs]) for event in chain.events]


def test_a_chain_reads_back_identical(store: Store) -> None:
    records = CustodyRecords(store, Actor("tester"))
    result = records.append(_events())
    assert (result.added, result.lots, result.unchanged) == (6, 7, 0)
    again = records.chain()
    assert again.events == nickel_chain().events
    assert again.lots == nickel_chain().lots


def test_appending_the_same_events_again_changes_nothing(store: Store) -> None:
    records = CustodyRecords(store, Actor("tester"))
    records.append(_events())
    before = store.fingerprint()
    with store.engine.connect() as conn:
        ledger = audit.head(conn)
    result = records.append(_events())
    assert (result.added, result.unchanged) == (0, 6)
    assert store.fingerprint() == before
    assert records.count() == 6
    with store.engine.connect() as conn:
        assert audit.head(conn) == ledger


def test_a_bad_event_in_a_batch_writes_nothing(store: Store) -> None:
    records = CustodyRecords(store, Actor("tester"))
    bad = Event(
        "BAD",
        EventKind.TRANSFORMATION,
        t(9),
        "x",
        inputs=(Portion("NS-2", 30.0),),
        outputs=(Portion("Y", 10.0),),
    )
    with pytest.raises(MassImbalance, match="BAD"):
        records.append([*_events(), (bad, [Lot("Y", "pcam_nmc", 10.0)])])
    assert records.count() == 0


def test_an_event_cannot_change_once_stored(store: Store) -> None:
    records = CustodyRecords(store, Actor("tester"))
    records.append(_events())
    event, made = _events()[0]
    changed = Event(event.id, event.kind, t(2), event.facility, outputs=event.outputs)
    with pytest.raises(CustodyError, match="stored with another content"):
        records.append([(changed, made)])


def test_every_event_is_appended_to_the_audit_ledger_with_its_hash(store: Store) -> None:
    records = CustodyRecords(store, Actor("tester"))
    records.append(_events(), evidence_sha256="a" * 64)
    with store.engine.begin() as conn:
        audit.append(conn, Actor("tester"), "note", "custody_event", "after-the-batch")
    with store.engine.connect() as conn:
        entries = audit.entries(conn, object_type="custody_event")[:-1]
        assert audit.verify(conn).ok  # a batch and a single append make one unbroken chain
    assert [e.body["object_id"] for e in entries] == [e.id for e, _ in _events()]
    assert all(len(e.body["after_sha256"]) == 64 for e in entries)
    assert {e.body["evidence_sha256"] for e in entries} == {"a" * 64}


def test_models_and_pack_facts_are_kept(store: Store) -> None:
    records = CustodyRecords(store, Actor("tester"))
    model = SiteModel("refinery", "nickel_sulfate", CustodyModel.MASS_BALANCE, 0.9)
    records.append(_events(), models=[model], packs={"PC-1": {"pack_id": "PC-1"}})
    assert records.models() == {("refinery", "nickel_sulfate"): model}
    assert records.pack_facts("PC-1") == {"pack_id": "PC-1"}
    assert records.pack_facts("NS-1") is None


def test_the_database_trace_equals_the_trace_of_the_whole_chain(store: Store) -> None:
    from sinergi.custody.synth import synthesise_chain

    events = list(synthesise_chain(160, seed=3))
    records = CustodyRecords(store, Actor("tester"))
    records.append(events)
    whole = records.chain()
    for pack in ("K3-0-1", "K7-1-0", "K9-1-1"):
        assert records.upstream(pack).quantities == pytest.approx(whole.upstream(pack).quantities)


def test_a_passport_from_the_packs_history_equals_one_from_the_whole_chain(store: Store) -> None:
    from sinergi.passport import Audience
    from sinergi.reports.custody import compose_passport
    from sinergi.reports.demo_custody import CLAIMS, MODELS, demo_chain, demo_packs

    records = CustodyRecords(store, Actor("tester"))
    records.append(demo_chain(), models=MODELS, claims=CLAIMS)
    facts = demo_packs()[0]
    whole, _ = compose_passport(records.accounting(), facts, Audience.authority, "en", "x")
    part, _ = compose_passport(records.history("PACK-EV-1"), facts, Audience.authority, "en", "x")
    assert part == whole
    shares = {e["recycledMaterial"]: e for e in part["Circularity"]["recycledContent"]}
    assert shares["Nickel"]["postConsumerShare"] == pytest.approx(30.0)
