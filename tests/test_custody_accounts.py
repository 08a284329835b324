"""ISO 22095 custody models: mass-balance credits and claims, physical models, book and claim."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custody_cases import nickel_chain, t
from sinergi.custody import Chain, Characteristic, Event, EventKind, Lot, Portion
from sinergi.custody.accounts import (
    Accounting,
    Certificate,
    Claim,
    CustodyModel,
    SiteModel,
    accounting_period,
    replay,
)
from sinergi.errors import ClaimRefused, CustodyError

RECYCLED = Characteristic.RECYCLED_POST_CONSUMER
IRMA = Characteristic.IRMA_ORIGIN


def _mass_balance_refinery(factor: float = 1.0) -> Accounting:
    models = {
        ("refinery", "nickel_sulfate"): SiteModel(
            "refinery", "nickel_sulfate", CustodyModel.MASS_BALANCE, factor
        )
    }
    accounting = Accounting(nickel_chain(), models)
    for event in accounting.chain.events:
        accounting.book(event)
    return accounting


def test_mass_balance_credits_are_quantity_times_share_times_conversion_factor() -> None:
    accounting = _mass_balance_refinery(factor=0.9)
    key = ("refinery", "nickel_sulfate", RECYCLED, "2026-P1")
    assert accounting.available(key) == pytest.approx(20.0 * 1.0 * 0.9)


def test_a_claim_within_the_balance_is_accepted_and_debits_the_account() -> None:
    accounting = _mass_balance_refinery()
    assert accounting.claim(Claim("NS-2", RECYCLED, 0.5)) == pytest.approx(15.0)
    key = ("refinery", "nickel_sulfate", RECYCLED, "2026-P1")
    assert accounting.available(key) == pytest.approx(5.0)


def test_a_claim_beyond_the_balance_is_refused_with_the_shortfall() -> None:
    accounting = _mass_balance_refinery()
    accounting.claim(Claim("NS-2", RECYCLED, 0.5))  # 15 of 20 t
    with pytest.raises(ClaimRefused, match=r"holds 5 t, a shortfall of 20 t"):
        accounting.claim(Claim("NS-1", RECYCLED, 0.5))  # 25 t


def test_a_lot_is_claimed_once_per_characteristic() -> None:
    accounting = _mass_balance_refinery()
    accounting.claim(Claim("NS-2", RECYCLED, 0.1))
    with pytest.raises(ClaimRefused, match="claimed once"):
        accounting.claim(Claim("NS-2", RECYCLED, 0.1))


def test_an_event_is_booked_once() -> None:
    accounting = _mass_balance_refinery()
    with pytest.raises(CustodyError, match="booked once"):
        accounting.book(accounting.chain.events[4])


def test_credits_move_only_within_one_product_group() -> None:
    accounting = _mass_balance_refinery()
    with pytest.raises(ClaimRefused, match="within one product group"):
        accounting.transfer(
            RECYCLED, ("refinery", "nickel_sulfate"), ("pcam", "pcam_nmc"), 1.0, t(5)
        )


def test_a_claimed_share_propagates_to_the_next_step_as_an_input_share() -> None:
    accounting = _mass_balance_refinery()
    accounting.claim(Claim("NS-1", RECYCLED, 0.3))
    # pcam is segregated (the default): PC-1 is made from NS-1 only
    assert accounting.share("PC-1", RECYCLED) == pytest.approx(0.3)
    with pytest.raises(ClaimRefused, match=r"inputs cover 30\.0%, a shortfall of 10\.0%"):
        accounting.claim(Claim("PC-1", RECYCLED, 0.4))
    accounting.claim(Claim("PC-1", RECYCLED, 0.3))


def test_controlled_blending_claims_the_mass_weighted_share() -> None:
    chain = nickel_chain()
    models = {
        ("refinery", "nickel_sulfate"): SiteModel(
            "refinery", "nickel_sulfate", CustodyModel.CONTROLLED_BLENDING
        )
    }
    accounting = Accounting(chain, models)
    assert accounting.share("NS-1", RECYCLED) == pytest.approx(20 / 80)
    accounting.claim(Claim("NS-1", RECYCLED, 0.25))
    with pytest.raises(ClaimRefused, match="shortfall"):
        accounting.claim(Claim("NS-2", RECYCLED, 0.3))


def test_identity_preserved_refuses_a_lot_from_two_origins() -> None:
    models = {("hpal", "mhp"): SiteModel("hpal", "mhp", CustodyModel.IDENTITY_PRESERVED)}
    accounting = Accounting(nickel_chain(), models)
    with pytest.raises(ClaimRefused, match="2 origin lots"):
        accounting.claim(Claim("MHP-1", IRMA, 0.5))


def test_segregated_refuses_mixing_with_uncertified_material() -> None:
    accounting = Accounting(nickel_chain())
    with pytest.raises(ClaimRefused, match=r"inputs cover 0\.0%"):
        accounting.claim(Claim("MHP-1", IRMA, 0.1))


def test_book_and_claim_retires_each_certificate_once() -> None:
    models = {("pcam", "pcam_nmc"): SiteModel("pcam", "pcam_nmc", CustodyModel.BOOK_AND_CLAIM)}
    accounting = Accounting(nickel_chain(), models)
    accounting.certificates["C1"] = Certificate("C1", Characteristic.LOW_CARBON, "pcam_nmc", 30.0)
    accounting.claim(Claim("PC-1", Characteristic.LOW_CARBON, 0.5))  # 20 t
    assert accounting.retired["C1"] == pytest.approx(20.0)
    chain = accounting.chain
    chain.record(
        Event(
            "PCAM-2",
            EventKind.TRANSFORMATION,
            t(7),
            "pcam",
            inputs=(Portion("NS-2", 30.0),),
            outputs=(Portion("PC-2", 30.0),),
        ),
        new_lots=[Lot("PC-2", "pcam_nmc", 30.0, facility="pcam")],
    )
    with pytest.raises(ClaimRefused, match="cover 10 t, a shortfall of 20 t"):
        accounting.claim(Claim("PC-2", Characteristic.LOW_CARBON, 1.0))


def test_a_closed_period_carries_its_balance_and_takes_no_more_entries() -> None:
    accounting = _mass_balance_refinery()
    closes = accounting.close("refinery", "nickel_sulfate", "2026-P1")
    recycled = next(c for c in closes if c.characteristic is RECYCLED)
    assert recycled.balance == pytest.approx(20.0)
    assert accounting.available(("refinery", "nickel_sulfate", RECYCLED, "2026-P2")) == 20.0
    with pytest.raises(CustodyError, match="closed up to 2026-P1"):
        accounting.claim(Claim("NS-1", RECYCLED, 0.1))


def test_the_accounting_period_is_configurable_and_three_months_by_default() -> None:
    assert accounting_period("2026-03-31T23:00:00Z") == "2026-P1"
    assert accounting_period("2026-04-01T00:00:00Z") == "2026-P2"
    assert accounting_period("2026-12-01T00:00:00Z", months=6) == "2026-P2"
    with pytest.raises(CustodyError, match="does not divide a year"):
        accounting_period("2026-01-01T00:00:00Z", months=5)


@st.composite
def mass_balance_worlds(draw: st.DrawFn) -> tuple[Accounting, list[Claim], list[float]]:
    """Random inputs with recycled shares into a mass-balance site, and random claims."""
    chain = Chain()
    n_in = draw(st.integers(1, 4))
    for i in range(n_in):
        share = draw(st.floats(0.0, 1.0))
        chain.commission(
            Lot(f"IN{i}", "mhp", draw(st.floats(1.0, 50.0)), attributes={RECYCLED.value: share}),
            t(1 + i),
        )
    factor = draw(st.floats(0.1, 1.0))
    models = {
        ("mb", "nickel_sulfate"): SiteModel(
            "mb", "nickel_sulfate", CustodyModel.MASS_BALANCE, factor
        )
    }
    accounting = Accounting(chain, models)
    for k in range(draw(st.integers(1, 3))):
        inputs = tuple(Portion(f"IN{i}", chain.lots[f"IN{i}"].quantity / 3) for i in range(n_in))
        total = sum(p.quantity for p in inputs)
        outs = (Portion(f"OUT{k}a", total / 2), Portion(f"OUT{k}b", total / 2))
        month = draw(st.integers(1, 12))
        chain.record(
            Event(
                f"E{k}", EventKind.TRANSFORMATION, t(10, month), "mb", inputs=inputs, outputs=outs
            ),
            new_lots=[Lot(p.lot, "nickel_sulfate", p.quantity, facility="mb") for p in outs],
        )
        accounting.book(chain.events[-1])
    claims = [
        Claim(lot, RECYCLED, draw(st.floats(0.01, 1.0)))
        for lot in chain.lots
        if lot.startswith("OUT")
    ]
    return accounting, claims, [factor]


@settings(max_examples=80, deadline=None)
@given(mass_balance_worlds())
def test_claims_never_exceed_credits_and_no_period_closes_below_zero(
    world: tuple[Accounting, list[Claim], list[float]],
) -> None:
    accounting, claims, (factor,) = world
    issued = 0.0
    for claim in claims:
        try:
            issued += accounting.claim(claim)
        except ClaimRefused:
            continue
    specified = sum(
        portion.quantity * accounting.chain.lots[portion.lot].share(RECYCLED)
        for event in accounting.chain.events
        if event.kind is EventKind.TRANSFORMATION
        for portion in event.inputs
    )
    assert issued <= specified * factor + 1e-9
    for period in ("2026-P1", "2026-P2", "2026-P3", "2026-P4"):
        for close in accounting.close("mb", "nickel_sulfate", period):
            assert close.debits <= close.credits + close.carried_in + 1e-9
            assert close.balance >= -1e-9


def test_replay_carries_a_balance_across_an_empty_period_and_refuses_an_uncovered_claim() -> None:
    chain = nickel_chain()  # everything in January 2026 (2026-P1)
    chain.record(
        Event(
            "REF-2",
            EventKind.TRANSFORMATION,
            t(5, 9),
            "refinery",
            inputs=(Portion("NS-2", 30.0),),
            outputs=(Portion("NS-3", 30.0),),
        ),
        new_lots=[Lot("NS-3", "nickel_sulfate", 30.0, facility="refinery")],
    )
    models = {
        ("refinery", "nickel_sulfate"): SiteModel(
            "refinery", "nickel_sulfate", CustodyModel.MASS_BALANCE
        )
    }
    accounting = replay(chain, models, [Claim("NS-3", RECYCLED, 0.5)])
    # 20 t of credits from January reach September (P3) through the empty P2: 15 t claimed
    close = accounting.close_record("refinery", "nickel_sulfate", RECYCLED, "2026-P3")
    assert (close.carried_in, close.debits) == pytest.approx((20.0, 15.0))
    with pytest.raises(ClaimRefused, match="shortfall of 10 t"):
        replay(chain, models, [Claim("NS-3", RECYCLED, 1.0)])


def test_refusals_keep_their_english_figures_and_read_in_indonesian_with_decimal_commas() -> None:
    from sinergi.i18n.messages import Pct, Sig

    with pytest.raises(CustodyError) as raised:
        Claim("L1", Characteristic.IRMA_ORIGIN, 1.5)
    assert str(raised.value) == "claim on lot L1: share 1.5 must be in (0, 1]"
    assert raised.value.localised("id") == "klaim atas lot L1: porsi 1,5 harus di dalam (0, 1]"
    # six significant digits and one-decimal shares, as the English sentences always showed
    assert [Sig(12.345678).render("en"), Sig(12.345678).render("id")] == ["12.3457", "12,3457"]
    assert [Pct(0.125).render("en"), Pct(0.125).render("id")] == ["12.5%", "12,5%"]
    assert Sig("x").render("id") == "'x'"  # a refused input that is not a number, as written
