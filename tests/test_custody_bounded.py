"""Custody at scale: the store reads only the part of the chain a question or an import needs.

Every bounded read is checked against the same question asked of the whole chain (read back in
full) and, for traces, against the naive recursions; every bounded import check is checked to
accept and refuse exactly what a replay of the whole chain accepts and refuses.
"""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from custody_cases import nickel_chain, t
from sinergi.custody import (
    CLAIMABLE,
    Characteristic,
    Event,
    EventKind,
    Lot,
    Portion,
    downstream_naive,
)
from sinergi.custody.accounts import (
    Claim,
    CustodyModel,
    SiteModel,
    Transfer,
    accounting_period,
    replay,
)
from sinergi.custody.synth import SyntheticSites, synthesise_chain
from sinergi.errors import ClaimRefused, CustodyError, MassImbalance, UnknownLot
from sinergi.model.audit import Actor
from sinergi.store import Store
from sinergi.store import schema_custody as sc
from sinergi.store.custody import CustodyRecords

SITES = SyntheticSites()
MB = CustodyModel.MASS_BALANCE
MODELS = [SiteModel(r, "nickel_sulfate", MB) for r in SITES.refineries] + [
    SiteModel(c, "pcam_nmc", MB) for c in SITES.cells
]


def _synthetic(store: Store, lots: int = 320, seed: int = 3) -> CustodyRecords:
    records = CustodyRecords(store, Actor("tester"))
    records.append(list(synthesise_chain(lots, seed=seed)), models=MODELS)
    return records


def _events() -> list[tuple[Event, list[Lot]]]:
    chain = nickel_chain()
    return [(event, [chain.lots[p.lot] for p in event.outputs]) for event in chain.events]


def test_a_downstream_trace_from_the_database_equals_the_whole_chains(store: Store) -> None:
    records = _synthetic(store)
    whole = records.chain()
    for lot in ("O2-1", "O11-3", "M5", "N7-0", "R2"):
        if lot not in whole.lots:
            continue
        trace, part = records.downstream(lot)
        assert len(part.events) < len(whole.events) / 5  # only the descendants were read
        assert trace.quantities == pytest.approx(whole.downstream(lot).quantities)
        assert trace.quantities == pytest.approx(downstream_naive(whole, lot))
    with pytest.raises(UnknownLot, match="NO-SUCH"):
        records.downstream("NO-SUCH")


def test_a_lot_read_alone_has_the_maker_holder_and_use_of_the_whole_chain(store: Store) -> None:
    records = _synthetic(store)
    whole = records.chain()
    for lot in ("M4", "M5", "N6-1", "K3-0-1", "O9-2"):
        part, claims = records.lot_view(lot)
        assert part.producer(lot) == whole.producer(lot)
        assert part.holder[lot] == whole.holder[lot]
        assert part.used(lot) == pytest.approx(whole.used(lot))
        assert claims == []
    assert records.lot_view("K3-0-1")[0].holder["K3-0-1"] == ("oem", "oem-plant")  # shipped
    assert records.lot_view("M4")[0].used("M4") == pytest.approx(whole.lots["M4"].quantity)


def _closes(accounting: object, site: str, group: str, period: str) -> list[float]:
    rows: list[float] = []
    for characteristic in CLAIMABLE:
        c = accounting.close_record(site, group, characteristic, period)  # type: ignore[attr-defined]
        rows.extend((c.carried_in, c.credits, c.debits, c.transfers, c.balance))
    return rows


def test_a_site_balance_equals_the_whole_chains_and_its_kept_closings_stay_true(
    store: Store,
) -> None:
    records = _synthetic(store)
    whole = records.chain()
    made = [lot for lot in whole.lots if lot.startswith("N")]
    claims = [Claim(lot, Characteristic.IRMA_ORIGIN, 0.05) for lot in made[::3]]
    records.append([], claims=claims)
    reference = records.accounting()
    periods = sorted(
        {accounting_period(e.time) for e in whole.events},
        key=lambda p: tuple(int(x) for x in p.split("-P")),
    )
    site = "refinery-1"
    for period in periods:  # in order: each uses the closings the previous one kept
        ours = records.balance(site, period)
        assert _closes(ours, site, "nickel_sulfate", period) == pytest.approx(
            _closes(reference, site, "nickel_sulfate", period)
        )
    with store.engine.connect() as conn:
        kept = conn.execute(select(func.count()).select_from(sc.custody_closings)).scalar()
    assert kept
    # a late event at the refinery books credits in an early period: its closings are stale
    early = periods[1]
    month = int(early.split("-P")[1]) * 3 - 2
    when = f"{early[:4]}-{month:02d}-20T08:00:00+08:00"
    recycled = Lot(
        "LATE-R", "nickel_sulfate", 50.0, facility="recycler", attributes={"irma_share": 1.0}
    )
    late = [
        (
            Event(
                "C-LATE", EventKind.COMMISSION, when, "recycler", outputs=(Portion("LATE-R", 50.0),)
            ),
            [recycled],
        ),
        (
            Event(
                "T-LATE",
                EventKind.TRANSFORMATION,
                when,
                site,
                inputs=(Portion("LATE-R", 50.0),),
                outputs=(Portion("LATE-N", 45.0),),
                losses_t=5.0,
            ),
            [Lot("LATE-N", "nickel_sulfate", 45.0, facility=site)],
        ),
    ]
    records.append(late)
    reference = records.accounting()
    last = periods[-1]
    ours = records.balance(site, last)
    assert _closes(ours, site, "nickel_sulfate", last) == pytest.approx(
        _closes(reference, site, "nickel_sulfate", last)
    )
    assert ours.close_record(site, "nickel_sulfate", Characteristic.IRMA_ORIGIN, last).carried_in
    assert len(ours.chain.events) < len(whole.events)


@pytest.mark.parametrize(
    ("event", "made", "error", "words"),
    [
        (
            Event(
                "OVER",
                EventKind.TRANSFORMATION,
                t(9),
                "pcam",
                inputs=(Portion("NS-2", 31.0),),
                outputs=(Portion("X", 31.0),),
            ),
            [Lot("X", "pcam_nmc", 31.0)],
            CustodyError,
            "event OVER uses 31 t of lot NS-2, but only 30 of its 30 t are left",
        ),
        (
            Event(
                "USED-UP",
                EventKind.TRANSFORMATION,
                t(9),
                "pcam",
                inputs=(Portion("NS-1", 1.0),),
                outputs=(Portion("X", 1.0),),
            ),
            [Lot("X", "pcam_nmc", 1.0)],
            CustodyError,
            "event USED-UP uses 1 t of lot NS-1, but only 0 of its 50 t are left",
        ),
        (
            Event(
                "GHOST",
                EventKind.TRANSFORMATION,
                t(9),
                "pcam",
                inputs=(Portion("NOPE", 1.0),),
                outputs=(Portion("X", 1.0),),
            ),
            [Lot("X", "pcam_nmc", 1.0)],
            UnknownLot,
            "event GHOST uses lot 'NOPE', which is not in the chain",
        ),
        (
            Event(
                "TWICE",
                EventKind.TRANSFORMATION,
                t(9),
                "pcam",
                inputs=(Portion("NS-2", 10.0),),
                outputs=(Portion("PC-1", 10.0),),
            ),
            [Lot("PC-1", "pcam_nmc", 10.0)],
            CustodyError,
            "lot PC-1 already exists; a lot is made only once",
        ),
        (
            Event(
                "LEAK",
                EventKind.TRANSFORMATION,
                t(9),
                "pcam",
                inputs=(Portion("NS-2", 10.0),),
                outputs=(Portion("X", 5.0),),
            ),
            [Lot("X", "pcam_nmc", 5.0)],
            MassImbalance,
            "event LEAK (transformation) does not balance",
        ),
    ],
)
def test_a_later_import_is_checked_against_the_stored_lots_as_strictly(
    store: Store, event: Event, made: list[Lot], error: type[Exception], words: str
) -> None:
    records = CustodyRecords(store, Actor("tester"))
    records.append(_events())
    before = store.fingerprint()
    with pytest.raises(error) as raised:
        records.append([(event, made)])
    assert words in str(raised.value)
    assert store.fingerprint() == before
    # the same event recorded on the whole chain in memory is refused the same way
    whole = nickel_chain()
    with pytest.raises(error) as same:
        whole.record(event, new_lots=made)
    assert str(same.value) == str(raised.value)


def test_later_claims_and_transfers_are_accepted_exactly_when_the_whole_chain_accepts(
    store: Store,
) -> None:
    records = _synthetic(store, lots=240, seed=5)
    whole = records.chain()
    models = {(m.site, m.product_group): m for m in MODELS}
    rng = random.Random(11)
    # any lot made by an event: physical claims downstream of claims of their period too
    lots = sorted(k for k in whole.lots if whole.producer(k) is not None)
    accepted: list[Claim] = []
    moved: list[Transfer] = []
    outcomes = []
    for step in range(36):
        if step % 6 == 5:
            source, target = rng.sample(SITES.refineries, 2)
            event = rng.choice([e for e in whole.events if e.facility == source])
            new: Claim | Transfer = Transfer(
                f"TR-{step}",
                rng.choice([Characteristic.IRMA_ORIGIN, Characteristic.RECYCLED_POST_CONSUMER]),
                "nickel_sulfate",
                source,
                target,
                rng.choice([0.5, 5.0, 50.0, 500.0]),
                event.time,
            )
            claims, transfers = accepted, [*moved, new]
        else:
            lot = rng.choice(lots)
            characteristic = rng.choice(
                [Characteristic.IRMA_ORIGIN, Characteristic.RECYCLED_POST_CONSUMER]
            )
            if any((c.lot, c.characteristic) == (lot, characteristic) for c in accepted):
                continue
            new = Claim(lot, characteristic, rng.choice([0.01, 0.1, 0.3, 0.6, 1.0]))
            claims, transfers = [*accepted, new], moved
        try:
            replay(whole, models, claims, transfers=sorted(transfers, key=lambda x: x.time))
            expected = ""
        except ClaimRefused as exc:
            expected = str(exc)
        try:
            if isinstance(new, Claim):
                records.append([], claims=[new])
            else:
                records.append([], transfers=[new])
            said = ""
        except ClaimRefused as exc:
            said = str(exc)
        assert said == expected, (step, new)  # the same refusal, in the same words
        got = not said
        outcomes.append(got)
        if got and isinstance(new, Claim):
            accepted.append(new)
        elif got:
            moved.append(new)  # type: ignore[arg-type]
    assert True in outcomes
    assert False in outcomes  # both ways were exercised
    assert records.claims()
    assert len(records.claims()) == len(accepted)


def test_a_claim_that_lowers_an_upstream_share_is_refused_if_it_breaks_a_claim_downstream(
    store: Store,
) -> None:
    records = CustodyRecords(store, Actor("tester"))
    models = [
        SiteModel("refinery", "nickel_sulfate", MB),
        SiteModel("hpal", "mhp", CustodyModel.CONTROLLED_BLENDING),
    ]
    # the nickel chain, refined one quarter after the MHP was made (2026-P2)
    events = []
    for event, made in _events()[:5]:
        if event.id == "REF-1":
            later = Event(
                event.id,
                event.kind,
                t(5, month=4),
                event.facility,
                inputs=event.inputs,
                outputs=event.outputs,
                stated_yield=event.stated_yield,
            )
            events.append((later, made))
        else:
            events.append((event, made))
    records.append(events, models=models)
    # ORE-1 (1000 t, IRMA) and ORE-2 (500 t) make MHP-1: its IRMA share blends to 2/3;
    # the refinery's IRMA credit is 60 t x 2/3 = 40 t; claim 40 t on NS-1 (50 t): share 0.8
    records.append([], claims=[Claim("NS-1", Characteristic.IRMA_ORIGIN, 0.8)])
    lower = Claim("MHP-1", Characteristic.IRMA_ORIGIN, 0.5)
    whole = {(m.site, m.product_group): m for m in models}
    with pytest.raises(ClaimRefused, match="NS-1"):  # the whole chain refuses it too
        replay(records.chain(), whole, [*records.claims(), lower])
    with pytest.raises(ClaimRefused, match="NS-1"):
        # a lower IRMA claim on MHP-1 (within its blend) cuts the refinery's credit to 30 t
        records.append([], claims=[lower])
    assert len(records.claims()) == 1
    records.append([], claims=[Claim("MHP-1", Characteristic.IRMA_ORIGIN, 2 / 3)])  # 40 t: fits
    assert len(records.claims()) == 2


def test_a_transfer_moves_credits_within_one_group_and_never_below_zero(store: Store) -> None:
    records = CustodyRecords(store, Actor("tester"))
    models = [
        SiteModel("refinery", "nickel_sulfate", MB),
        SiteModel("refinery-b", "nickel_sulfate", MB),
        SiteModel("refinery-b", "pcam_nmc", MB),
    ]
    records.append(_events(), models=models)
    recycled = Characteristic.RECYCLED_POST_CONSUMER  # the refinery holds 20 t (RNS-1)
    with pytest.raises(ClaimRefused, match="only within one product group"):
        records.append(
            [],
            transfers=[
                Transfer(
                    "X1",
                    recycled,
                    "nickel_sulfate",
                    "refinery",
                    "refinery-b",
                    5.0,
                    t(20),
                    "pcam_nmc",
                )
            ],
        )
    with pytest.raises(ClaimRefused, match="short by 5 t"):
        records.append(
            [],
            transfers=[
                Transfer("X2", recycled, "nickel_sulfate", "refinery", "refinery-b", 25.0, t(20))
            ],
        )
    records.append(
        [],
        transfers=[
            Transfer("X3", recycled, "nickel_sulfate", "refinery", "refinery-b", 15.0, t(20))
        ],
    )
    with pytest.raises(ClaimRefused, match="NS-2"):
        # the 5 t left at the refinery cannot cover 10 t claimed on NS-2
        records.append([], claims=[Claim("NS-2", recycled, 1 / 3)])
    balance = records.balance("refinery-b", "2026-P1")
    close = balance.close_record("refinery-b", "nickel_sulfate", recycled, "2026-P1")
    assert (close.transfers, close.balance) == pytest.approx((15.0, 15.0))
    source = records.balance("refinery", "2026-P1")
    close = source.close_record("refinery", "nickel_sulfate", recycled, "2026-P1")
    assert (close.credits, close.transfers, close.balance) == pytest.approx((20.0, -15.0, 5.0))
    assert [x.id for x in records.transfers()] == ["X3"]
    with pytest.raises(CustodyError, match="stored with another content"):
        records.append(
            [],
            transfers=[
                Transfer("X3", recycled, "nickel_sulfate", "refinery", "refinery-b", 1.0, t(20))
            ],
        )
