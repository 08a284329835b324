"""The facilitator workflow: statuses, the audit trail, and implemented exchanges as flows."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sinergi.assess.indicators import compute
from sinergi.errors import NotFound, StoreIntegrityError, WorkflowError
from sinergi.examples import tiny_park
from sinergi.model.exchanges import (
    TRANSITIONS,
    Exchange,
    ExchangeStatus,
    exchange_id,
    transition,
)
from sinergi.model.period import Period
from sinergi.store import Store

S = ExchangeStatus


def _slag_to_bricks(amount: float = 200.0, receiver: str = "demo-bricks") -> Exchange:
    return Exchange(
        supplier="demo-metal.furnace",
        receiver=receiver,
        commodity="nickel_slag",
        replaces="sand",
        rule_id="test-slag-bricks",
        period=Period.parse("2024"),
        amount=amount,
        net_benefit_idr=1.0e6,
        co2e_t=2.0,
        landfill_t=amount,
        explanation={"rule": "test-slag-bricks", "distance_km": 0.0},
    )


def test_exchange_id_is_stable_and_depends_on_the_natural_key() -> None:
    a, b = _slag_to_bricks(200.0), _slag_to_bricks(150.0)
    assert a.id == b.id  # the amount is not part of the key
    assert a.id == exchange_id(
        "demo-metal.furnace", "demo-bricks", "nickel_slag", "test-slag-bricks", Period.parse("2024")
    )
    assert _slag_to_bricks(receiver="demo-bricks.press").id != a.id


def test_every_status_can_reach_every_allowed_next_status_and_no_other() -> None:
    for start in S:
        x = replace(_slag_to_bricks(), status=start)
        for to in S:
            if to in TRANSITIONS[start]:
                moved = transition(x, to, reason="why" if to is S.REJECTED else None)
                assert moved.status is to
            else:
                with pytest.raises(WorkflowError, match="Allowed next"):
                    transition(x, to, reason="why")


def test_rejecting_without_a_reason_is_refused() -> None:
    with pytest.raises(WorkflowError, match="needs a reason"):
        transition(_slag_to_bricks(), S.REJECTED, reason="  ")


def test_proposing_twice_keeps_the_stored_exchange_and_its_status(store: Store) -> None:
    store.save(tiny_park())
    first = store.propose_exchanges([_slag_to_bricks()], actor="facilitator")
    assert first.added == (_slag_to_bricks().id,)
    store.set_exchange_status(first.added[0], S.UNDER_DISCUSSION)
    before = store.fingerprint()
    second = store.propose_exchanges([_slag_to_bricks()])
    assert second.added == ()
    assert second.kept == first.added
    assert store.fingerprint() == before
    assert store.exchanges()[0].status is S.UNDER_DISCUSSION


def test_proposing_an_exchange_with_an_unknown_node_writes_nothing(store: Store) -> None:
    store.save(tiny_park())
    before = store.fingerprint()
    bad = replace(_slag_to_bricks(), receiver="no-such-company")
    with pytest.raises(StoreIntegrityError, match="receiver 'no-such-company'"):
        store.propose_exchanges([_slag_to_bricks(receiver="demo-bricks.press"), bad])
    assert store.fingerprint() == before


def test_implemented_exchange_becomes_a_flow_and_counts_in_the_assessment(store: Store) -> None:
    store.save(tiny_park())
    (xid,) = store.propose_exchanges([_slag_to_bricks(200.0)]).added
    period = Period.parse("2024")
    tonnes = compute(store.load(), "demo-park", period, ["symbiosis_exchanges"])
    assert tonnes["symbiosis_exchanges"].detail == {"t": 300.0}  # proposals do not count
    store.set_exchange_status(xid, S.ACCEPTED, actor="park manager")
    store.set_exchange_status(xid, S.IMPLEMENTED, actor="park manager")
    eco = store.load()
    added = [f for f in eco.flows if f.evidence and xid in f.evidence]
    assert [(f.source, f.target, f.quantity) for f in added] == [
        ("demo-metal.furnace", "demo-bricks", 200.0)
    ]
    after = compute(eco, "demo-park", period, ["symbiosis_exchanges"])
    assert after["symbiosis_exchanges"].detail == {"t": 500.0}
    history = [(e.from_status, e.to_status, e.actor) for e in store.exchange_history(xid)]
    assert history == [
        (None, S.PROPOSED, None),
        (S.PROPOSED, S.ACCEPTED, "park manager"),
        (S.ACCEPTED, S.IMPLEMENTED, "park manager"),
    ]


def test_implementing_an_exchange_the_partners_already_report_adds_no_second_flow(
    store: Store,
) -> None:
    store.save(tiny_park())  # tiny_park already reports 300 t furnace -> brick press
    (xid,) = store.propose_exchanges([_slag_to_bricks(receiver="demo-bricks.press")]).added
    store.set_exchange_status(xid, S.ACCEPTED)
    store.set_exchange_status(xid, S.IMPLEMENTED)
    slag = [
        f.quantity
        for f in store.load().flows
        if (f.source, f.target, f.commodity)
        == ("demo-metal.furnace", "demo-bricks.press", "nickel_slag")
    ]
    assert slag == [300.0]


def test_a_refused_move_writes_nothing(store: Store) -> None:
    store.save(tiny_park())
    (xid,) = store.propose_exchanges([_slag_to_bricks()]).added
    before = store.fingerprint()
    with pytest.raises(WorkflowError, match="cannot become implemented"):
        store.set_exchange_status(xid, S.IMPLEMENTED)
    with pytest.raises(NotFound, match="sinergi exchanges list"):
        store.set_exchange_status("x-000000000000", S.ACCEPTED)
    assert store.fingerprint() == before


def test_deleting_a_park_deletes_its_exchanges(store: Store) -> None:
    store.save(tiny_park())
    store.propose_exchanges([_slag_to_bricks()])
    store.delete_parks(["demo-park"])
    assert store.exchanges() == []


def test_exchanges_filter_by_park_and_status(store: Store) -> None:
    store.save(tiny_park())
    (a,) = store.propose_exchanges([_slag_to_bricks()]).added
    (b,) = store.propose_exchanges([_slag_to_bricks(receiver="demo-bricks.press")]).added
    store.set_exchange_status(b, S.REJECTED, reason="press cannot take more slag")
    assert [x.id for x in store.exchanges(park_id="demo-park", status=S.PROPOSED)] == [a]
    rejected = store.exchanges(status=S.REJECTED)
    assert [(x.id, x.reason) for x in rejected] == [(b, "press cannot take more slag")]
    assert store.exchanges(park_id="other-park") == []
