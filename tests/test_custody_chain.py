"""Custody chain: recording rules, the mass check and genealogy with attributed quantities."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custody_cases import nickel_chain, t
from sinergi.custody import Chain, Event, EventKind, Lot, Portion, upstream_naive
from sinergi.errors import CustodyError, MassImbalance, UnknownLot


def test_a_transformation_that_does_not_balance_is_refused_with_the_numbers() -> None:
    chain = Chain()
    chain.commission(Lot("A", "mhp", 10.0), t(1))
    event = Event(
        "X",
        EventKind.TRANSFORMATION,
        t(2),
        "site",
        inputs=(Portion("A", 10.0),),
        outputs=(Portion("B", 9.0),),
        losses_t=0.5,
    )
    with pytest.raises(MassImbalance, match=r"inputs 10 t.*9 t \+ losses 0.5 t = 9.5 t; 0.5 t"):
        chain.record(event, new_lots=[Lot("B", "nickel_sulfate", 9.0)])
    assert "B" not in chain.lots
    assert len(chain) == 1


def test_a_stated_yield_must_match_outputs_over_inputs() -> None:
    chain = Chain()
    chain.commission(Lot("A", "mhp", 10.0), t(1))
    event = Event(
        "X",
        EventKind.TRANSFORMATION,
        t(2),
        "site",
        inputs=(Portion("A", 10.0),),
        outputs=(Portion("B", 8.0),),
        losses_t=2.0,
        stated_yield=0.9,
    )
    with pytest.raises(MassImbalance, match=r"yield of 0\.9 but outputs 8 t / inputs 10 t = 0\.8"):
        chain.record(event, new_lots=[Lot("B", "nickel_sulfate", 8.0)])


def test_using_more_of_a_lot_than_is_left_is_refused() -> None:
    chain = nickel_chain()
    event = Event(
        "PCAM-2",
        EventKind.TRANSFORMATION,
        t(7),
        "pcam",
        inputs=(Portion("NS-1", 1.0),),
        outputs=(Portion("PC-2", 1.0),),
    )
    with pytest.raises(CustodyError, match="only 0 of its 50 t are left"):
        chain.record(event, new_lots=[Lot("PC-2", "pcam_nmc", 1.0)])


def test_an_unknown_input_lot_is_named() -> None:
    chain = Chain()
    event = Event(
        "X",
        EventKind.TRANSFORMATION,
        t(2),
        "s",
        inputs=(Portion("GHOST", 1.0),),
        outputs=(Portion("B", 1.0),),
    )
    with pytest.raises(UnknownLot, match="GHOST"):
        chain.record(event, new_lots=[Lot("B", "mhp", 1.0)])


def test_a_counted_lot_without_mass_cannot_be_weighed() -> None:
    chain = Chain()
    chain.commission(Lot("PACK", "battery_pack_car", 1.0, unit="item"), t(1))
    event = Event(
        "R",
        EventKind.RECYCLING,
        t(2),
        "rec",
        inputs=(Portion("PACK", 1.0),),
        outputs=(Portion("BM", 0.2),),
        losses_t=0.1,
    )
    with pytest.raises(MassImbalance, match="give the lot's mass_t"):
        chain.record(event, new_lots=[Lot("BM", "black_mass", 0.2)])


def test_upstream_attributes_quantities_by_hand_calculation() -> None:
    trace = nickel_chain().upstream("PC-1")
    # PC-1 is all of NS-1, which is 50/80 of the refinery's inputs (60 t MHP + 20 t RNS-1)
    assert trace.quantities["NS-1"] == pytest.approx(50.0)
    assert trace.quantities["MHP-1"] == pytest.approx(60.0 * 50 / 80)
    assert trace.quantities["RNS-1"] == pytest.approx(20.0 * 50 / 80)
    assert trace.quantities["ORE-1"] == pytest.approx(1000.0 * 50 / 80)
    assert trace.quantities["ORE-2"] == pytest.approx(500.0 * 50 / 80)
    assert sorted(trace.ends(nickel_chain())) == ["ORE-1", "ORE-2", "RNS-1"]


def test_downstream_splits_the_start_lot_over_its_outputs() -> None:
    trace = nickel_chain().downstream("RNS-1")
    assert trace.quantities["NS-1"] == pytest.approx(20.0 * 50 / 80)
    assert trace.quantities["NS-2"] == pytest.approx(20.0 * 30 / 80)
    assert trace.quantities["PC-1"] == pytest.approx(20.0 * 50 / 80)


def test_upstream_equals_the_naive_recursion_on_the_demo_chain() -> None:
    chain = nickel_chain()
    assert upstream_naive(chain, "PC-1") == pytest.approx(chain.upstream("PC-1").quantities)


@st.composite
def random_chains(draw: st.DrawFn) -> Chain:
    """Build a random acyclic chain: sources, then transformations over earlier lots."""
    chain = Chain()
    sources = draw(st.integers(1, 4))
    for i in range(sources):
        qty = draw(st.floats(1.0, 100.0))
        chain.commission(Lot(f"S{i}", "mhp", qty), t(1))
    for step in range(draw(st.integers(1, 8))):
        available = [
            (lot_id, lot.quantity - chain.used(lot_id))
            for lot_id, lot in chain.lots.items()
            if lot.quantity - chain.used(lot_id) > 1e-6
        ]
        if not available:
            break
        picked = draw(
            st.lists(st.sampled_from(available), min_size=1, max_size=3, unique_by=lambda a: a[0])
        )
        inputs = tuple(Portion(lot_id, left * draw(st.floats(0.1, 1.0))) for lot_id, left in picked)
        total = sum(p.quantity for p in inputs)
        loss = total * draw(st.floats(0.0, 0.5))
        n_out = draw(st.integers(1, 3))
        out_q = (total - loss) / n_out
        outputs = tuple(Portion(f"L{step}-{k}", out_q) for k in range(n_out))
        chain.record(
            Event(
                f"E{step}",
                EventKind.TRANSFORMATION,
                t(2),
                "site",
                inputs=inputs,
                outputs=outputs,
                losses_t=loss,
            ),
            new_lots=[Lot(p.lot, "mhp", p.quantity) for p in outputs],
        )
    return chain


@settings(max_examples=60, deadline=None)
@given(random_chains())
def test_tracing_upstream_then_downstream_returns_the_starting_lot(chain: Chain) -> None:
    for lot_id in chain.lots:
        for origin in chain.upstream(lot_id).quantities:
            assert lot_id in chain.downstream(origin).quantities


@settings(max_examples=60, deadline=None)
@given(random_chains())
def test_upstream_and_downstream_attributions_agree_and_match_the_naive_peer(
    chain: Chain,
) -> None:
    for lot_id in chain.lots:
        up = chain.upstream(lot_id).quantities
        assert upstream_naive(chain, lot_id) == pytest.approx(up, rel=1e-9)
        for origin, amount in up.items():
            assert chain.downstream(origin).quantities[lot_id] == pytest.approx(amount, rel=1e-9)
