"""The credit journal: a site-period closed from it equals a replay of the whole chain.

Seeded random chains (the synthetic generator, with claims, credit transfers, a
controlled-blending step, book-and-claim certificates and mass-balance packs counted in
items) are built by successive appends on SQLite and PostgreSQL. Every balance the journal
gives is compared with :func:`~sinergi.custody.accounts.replay` of the whole chain read back;
every refusal with the refusal of that replay, word for word; the journal written as data
arrived with one derived from scratch.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from alembic import command
from sqlalchemy import event, select

from sinergi.custody import CLAIMABLE, Characteristic
from sinergi.custody.accounts import (
    Accounting,
    Certificate,
    Claim,
    CustodyModel,
    SiteModel,
    Transfer,
    accounting_period,
    close_ledger,
    period_order,
    replay,
)
from sinergi.custody.synth import SyntheticSites, synthesise_chain
from sinergi.errors import ClaimRefused
from sinergi.model.audit import Actor
from sinergi.store import Store
from sinergi.store import custody as store_custody
from sinergi.store import schema_custody as sc
from sinergi.store.custody import CustodyRecords, derive_journal
from sinergi.store.migrations import alembic_config

SITES = SyntheticSites()
MB = CustodyModel.MASS_BALANCE
BC = CustodyModel.BOOK_AND_CLAIM
IRMA = Characteristic.IRMA_ORIGIN
RECYCLED = Characteristic.RECYCLED_POST_CONSUMER
CERTS = [
    Certificate("CERT-1", IRMA, "cam_nmc811", 40.0, "issuer"),
    Certificate("CERT-2", IRMA, "cam_nmc811", 25.0, "issuer"),
    Certificate("CERT-3", RECYCLED, "cam_nmc811", 30.0, "issuer"),
]


def _models(rng: random.Random) -> list[SiteModel]:
    models = [SiteModel(r, "nickel_sulfate", MB, rng.choice([1.0, 0.95])) for r in SITES.refineries]
    models += [SiteModel(c, "pcam_nmc", MB) for c in SITES.cells]
    models += [SiteModel(c, "cam_nmc811", BC) for c in SITES.cells[:2]]
    models += [SiteModel(SITES.cells[2], "battery_pack_car", MB, 0.9)]
    models += [SiteModel(SITES.hpal[0], "mhp", CustodyModel.CONTROLLED_BLENDING)]
    return models


class World:
    """A stored random chain and what was accepted, with the whole-chain replay to match."""

    def __init__(self, store: Store, seed: int, steps: int = 40, *, anywhere: bool = True) -> None:
        rng = random.Random(seed)
        self.records = CustodyRecords(store, Actor("tester"))
        self.models = {(m.site, m.product_group): m for m in _models(rng)}
        events = list(synthesise_chain(200, seed=seed))
        half = len(events) // 2
        self.records.append(events[:half], models=self.models.values(), certificates=CERTS)
        self.records.append(events[half:])
        self.whole = self.records.chain()
        self.certificates = {c.id: c for c in CERTS}
        self.claims: list[Claim] = []
        self.transfers: list[Transfer] = []
        self.refused: list[tuple[str, str]] = []
        # claims mostly on MHP, sulfate and precursor lots, on cathode material at
        # book-and-claim sites and on packs at the mass-balance pack site; unless not
        # ``anywhere``, a third on any lot, so physical claims downstream of claims of their
        # own period are checked too
        focus = sorted(
            k
            for k, lot in self.whole.lots.items()
            if k[0] in "MNP"
            or (k[0] == "A" and lot.facility in SITES.cells[:2])
            or (k[0] == "K" and lot.facility == SITES.cells[2])
        )
        everywhere = sorted(k for k in self.whole.lots if self.whole.producer(k) is not None)
        busy = sorted({e.facility for e in self.whole.events} & set(SITES.refineries))
        for step in range(steps):
            if step % 8 == 7:
                source = rng.choice(busy)
                target = rng.choice([r for r in SITES.refineries if r != source])
                event = rng.choice([e for e in self.whole.events if e.facility == source])
                moved = Transfer(
                    f"TR-{step}",
                    rng.choice([IRMA, RECYCLED]),
                    "nickel_sulfate",
                    source,
                    target,
                    rng.choice([0.5, 5.0, 50.0]),
                    event.time,
                )
                self.offer(transfer=moved)
                continue
            lot = rng.choice(everywhere if anywhere and rng.random() < 1 / 3 else focus)
            characteristic = rng.choice([IRMA, RECYCLED])
            if any((c.lot, c.characteristic) == (lot, characteristic) for c in self.claims):
                continue
            self.offer(Claim(lot, characteristic, rng.choice([0.01, 0.05, 0.2, 0.6, 1.0])))

    def expected(self, claims: list[Claim], transfers: list[Transfer]) -> Accounting:
        """Return the replay of the whole chain with these claims and transfers."""
        return replay(
            self.whole,
            self.models,
            claims,
            certificates=self.certificates,
            transfers=sorted(transfers, key=lambda x: (x.time, x.id)),
        )

    def offer(self, claim: Claim | None = None, transfer: Transfer | None = None) -> None:
        """Append a claim or a transfer; check it is refused exactly when the replay refuses."""
        claims = [*self.claims, *([claim] if claim else [])]
        transfers = [*self.transfers, *([transfer] if transfer else [])]
        try:
            self.expected(claims, transfers)
            words = None
        except ClaimRefused as exc:
            words = str(exc)
        try:
            self.records.append(
                [], claims=[claim] if claim else [], transfers=[transfer] if transfer else []
            )
            got = None
        except ClaimRefused as exc:
            got = str(exc)
        assert (got is None) == (words is None), (claim, transfer, got, words)
        if got is None:
            self.claims, self.transfers = claims, transfers
        else:
            self.refused.append((got, words or ""))

    def periods(self) -> list[str]:
        """Return every accounting period of the chain, in order."""
        return sorted({accounting_period(e.time) for e in self.whole.events}, key=period_order)


def _closes(accounting: Accounting, site: str, group: str, period: str) -> list[float]:
    out = []
    for c in CLAIMABLE:
        close = accounting.close_record(site, group, c, period)
        out += [close.carried_in, close.credits, close.debits, close.transfers, close.balance]
    return out


def _journal(store: Store) -> list[tuple[Any, ...]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(sc.custody_journal)).all()
        shares = conn.execute(select(sc.custody_shares)).all()
    return sorted(tuple(r) for r in rows) + sorted(tuple(r) for r in shares)


def _assert_balances_match(world: World, reference: Accounting) -> None:
    accounts = [k for k, m in world.models.items() if m.model is MB]
    for period in world.periods():  # in order: each may start from the closings kept before
        for site, group in accounts:
            ours = world.records.balance(site, period, group=group)
            assert not ours.chain.events  # answered from the journal: no event read
            assert _closes(ours, site, group, period) == pytest.approx(
                _closes(reference, site, group, period), rel=1e-9, abs=1e-9
            ), (site, group, period)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_balance_from_the_journal_equals_a_replay_of_the_whole_chain(
    store: Store, seed: int
) -> None:
    world = World(store, seed)
    assert world.claims
    assert world.refused  # both ways were exercised
    reference = world.expected(world.claims, world.transfers)
    assert any(reference._accounts[k].debits for k in reference.accounts())
    assert any(reference._accounts[k].transfers for k in reference.accounts())
    _assert_balances_match(world, reference)


def test_a_balance_replayed_from_the_events_equals_the_whole_chain_and_keeps_nothing(
    store: Store,
) -> None:
    world = World(store, 6)
    reference = world.expected(world.claims, world.transfers)
    accounts = [k for k, m in world.models.items() if m.model is MB]
    with store.engine.connect() as conn:
        kept = conn.execute(select(sc.custody_closings)).all()
    read = 0
    for period in world.periods()[::-1]:  # latest first: no earlier closing could carry in
        for site, group in accounts:
            ours = world.records.balance(site, period, group=group, replay=True)
            read += len(ours.chain.events)
            assert _closes(ours, site, group, period) == pytest.approx(
                _closes(reference, site, group, period), rel=1e-9, abs=1e-9
            ), (site, group, period)
    assert read  # recomputed from stored events, not from the journal
    with store.engine.connect() as conn:
        assert conn.execute(select(sc.custody_closings)).all() == kept


@pytest.mark.parametrize("seed", [22, 23, 24, 25])
def test_claims_downstream_of_claims_of_their_period_are_judged_as_the_whole_chain_replay(
    store: Store, seed: int
) -> None:
    world = World(store, seed, steps=60)  # every offer compared with the whole-chain replay
    for got, expected in world.refused:
        assert got == expected
    period = {
        lot: accounting_period(event.time)
        for lot in world.whole.lots
        if (event := world.whole.producer(lot)) is not None
    }
    claimed = {c.lot for c in world.claims}
    below = [  # accepted claims with an accepted claim upstream made in the same period
        c
        for c in world.claims
        if any(
            up != c.lot and up in claimed and period[up] == period[c.lot]
            for up in world.whole.upstream(c.lot).quantities
        )
    ]
    assert below  # the case the bounded check once listed in another order than the replay
    # the replay does not depend on the order claims are given in (nor the store's scan)
    forward = world.expected(world.claims, world.transfers)
    backward = world.expected(world.claims[::-1], world.transfers)
    stored = world.records.accounting()
    for key in forward.accounts():
        assert backward._accounts[key] == forward._accounts[key]
        assert stored._accounts[key].debits == pytest.approx(forward._accounts[key].debits)


def test_a_refusal_names_the_same_claim_and_shortfall_as_the_whole_chain_replay(
    store: Store,
) -> None:
    world = World(store, 4, steps=60)
    assert world.refused
    for got, expected in world.refused:
        assert got == expected
    assert any("shortfall" in got for got, _ in world.refused)


def test_the_journal_written_as_data_arrived_equals_one_derived_from_scratch(store: Store) -> None:
    World(store, 5)
    written = _journal(store)
    assert any(r[0] == "debit" for r in written)
    with store.engine.begin() as conn:
        derive_journal(conn)
    assert _journal(store) == written


def test_migration_0011_derives_the_journal_of_data_stored_before_it(store: Store) -> None:
    world = World(store, 9, steps=16)
    written = _journal(store)
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(connection=conn), "0010")
    with store.engine.begin() as conn:
        command.upgrade(alembic_config(connection=conn), "head")
    assert _journal(store) == written
    _assert_balances_match(world, world.expected(world.claims, world.transfers))


def test_a_balance_sums_the_journal_from_its_covering_index_without_a_sort(
    store: Store,
) -> None:
    world = World(store, 7, steps=12)
    site, group = next(k for k, m in world.models.items() if m.model is MB)
    statements: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "custody_journal" in statement and "sum(" in statement:
            statements.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", keep)
    try:
        world.records.balance(site, world.periods()[-1], group=group)
    finally:
        event.remove(store.engine, "before_cursor_execute", keep)
    ((statement, parameters),) = statements
    with store.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        if store.engine.dialect.name == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
        else:  # tables this small are read whole unless told otherwise
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("SET enable_bitmapscan = off")
            cursor.execute(f"EXPLAIN {statement}", parameters)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "ix_custody_journal_totals" in plan
    assert "TEMP B-TREE" not in plan  # SQLite: no sort for the grouping
    assert "Sort" not in plan  # PostgreSQL: grouped in index order
    if store.engine.dialect.name == "sqlite":
        assert "COVERING INDEX" in plan  # no table row read


def test_a_model_change_books_the_sites_it_touches_again(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = World(store, 14, steps=24, anywhere=False)  # a seed whose refusals cover each kind
    monkeypatch.setattr(store_custody, "_read_chain", _whole_chain)
    before = _journal(store)
    refusing = [
        # the MHP of hpal-1 would carry only what is claimed: the refineries lose credits
        SiteModel(SITES.hpal[1], "mhp", MB),
        # claims and transfers at a refinery that no longer keeps a mass balance
        *(SiteModel(r, "nickel_sulfate", CustodyModel.SEGREGATED) for r in SITES.refineries),
        # claims on precursor of cells-0 would retire certificates there are none of
        SiteModel(SITES.cells[0], "pcam_nmc", BC),
    ]
    refusals: list[str] = []
    for model in refusing:
        try:
            replay(
                world.whole,
                world.models | _keyed([model]),
                world.claims,
                certificates=world.certificates,
                transfers=sorted(world.transfers, key=lambda x: (x.time, x.id)),
            )
            continue  # accepted by the replay: not a refusal to compare
        except ClaimRefused as exc:
            expected = str(exc)
        with pytest.raises(ClaimRefused) as raised:
            world.records.append([], models=[model])
        assert str(raised.value) == expected
        refusals.append(expected)
    assert any(r.startswith("transfer") for r in refusals)
    assert any(r.startswith("segregated claim") for r in refusals)
    assert _journal(store) == before
    changed = [
        SiteModel(SITES.refineries[0], "nickel_sulfate", MB, 1.5),  # another factor
        SiteModel(SITES.hpal[2], "mhp", CustodyModel.CONTROLLED_BLENDING),
        SiteModel(SITES.cells[3], "cell_nmc811", MB),  # a new account
    ]
    world.records.append([], models=changed)
    world.models |= _keyed(changed)
    _assert_balances_match(world, world.expected(world.claims, world.transfers))
    written = _journal(store)
    assert written != before
    with store.engine.begin() as conn:
        derive_journal(conn)
    assert _journal(store) == written


def _whole_chain(*_args: object) -> None:
    raise AssertionError("the whole chain was read")


def _keyed(models: list[SiteModel]) -> dict[tuple[str, str], SiteModel]:
    return {(m.site, m.product_group): m for m in models}


def test_certificates_and_book_and_claim_claims_are_checked_without_the_chain(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = World(store, 7, steps=0)
    monkeypatch.setattr(store_custody, "_read_chain", _whole_chain)
    cams = sorted(
        lot
        for lot, value in world.whole.lots.items()
        if value.commodity == "cam_nmc811" and value.facility in SITES.cells[:2]
    )
    for lot in cams[:8]:  # a tenth of each: more than the two IRMA certificates hold
        world.offer(Claim(lot, IRMA, 0.1))
    assert len(world.claims) >= 2
    assert any("unretired certificates for cam_nmc811" in got for got, _ in world.refused)
    for got, expected in world.refused:
        assert got == expected
    # lowering a certificate below what is retired is refused as the replay refuses it
    lower = Certificate("CERT-1", IRMA, "cam_nmc811", 1.0, "issuer")
    with pytest.raises(ClaimRefused) as raised:
        world.records.append([], certificates=[lower])
    kept, world.certificates = world.certificates, world.certificates | {"CERT-1": lower}
    with pytest.raises(ClaimRefused) as same:
        world.expected(world.claims, world.transfers)
    world.certificates = kept
    assert str(raised.value) == str(same.value)
    # a new certificate makes room for one more claim
    more = Certificate("CERT-4", IRMA, "cam_nmc811", 500.0, "issuer")
    world.records.append([], certificates=[more])
    world.certificates |= {"CERT-4": more}
    world.refused.clear()
    world.offer(Claim(cams[-1], IRMA, 0.1))
    assert not world.refused
    _assert_balances_match(world, world.expected(world.claims, world.transfers))


def test_another_period_length_replays_and_matches_the_whole_chain(store: Store) -> None:
    world = World(store, 8, steps=16)
    reference = replay(
        world.whole,
        world.models,
        world.claims,
        certificates=world.certificates,
        transfers=sorted(world.transfers, key=lambda x: (x.time, x.id)),
        period_months=6,
    )
    site = SITES.refineries[1]
    for period in sorted(
        {accounting_period(e.time, 6) for e in world.whole.events}, key=period_order
    ):
        ours = world.records.balance(site, period, period_months=6)
        assert _closes(ours, site, "nickel_sulfate", period) == pytest.approx(
            _closes(reference, site, "nickel_sulfate", period), rel=1e-9, abs=1e-9
        )


def test_a_ledger_that_cannot_cover_its_claims_or_transfers_is_left_to_the_replay() -> None:
    models = {("a", "g"): SiteModel("a", "g", MB), ("b", "g"): SiteModel("b", "g", MB)}
    key = ("a", "g", IRMA, "2026-P1")
    covered = close_ledger({("a", "g")}, models, {key: (10.0, 10.0)}, through="2026-P2")
    assert covered is not None
    assert covered.close_record("a", "g", IRMA, "2026-P2").carried_in == 0.0
    assert close_ledger({("a", "g")}, models, {key: (10.0, 10.5)}) is None
    moved = Transfer("X", IRMA, "g", "a", "b", 12.0, "2026-02-01T00:00:00+00:00")
    assert close_ledger({("a", "g")}, models, {key: (10.0, 0.0)}, [moved]) is None
    fits = Transfer("Y", IRMA, "g", "a", "b", 4.0, "2026-02-01T00:00:00+00:00")
    ledger = close_ledger({("a", "g")}, models, {key: (10.0, 5.0)}, [fits])
    assert ledger is not None
    assert ledger.close_record("a", "g", IRMA, "2026-P1").balance == pytest.approx(1.0)


def test_a_journal_that_would_close_below_zero_is_left_to_the_replay(store: Store) -> None:
    world = World(store, 10, steps=16)
    group = "nickel_sulfate"
    refining = [e for e in world.whole.events if e.facility in SITES.refineries]
    site = refining[len(refining) // 2].facility
    period = accounting_period(refining[len(refining) // 2].time)
    month = f"{period[:4]}-{(int(period.split('-P')[1]) - 1) * 3 + 1:02d}"
    with store.engine.begin() as conn:  # a debit no claim made: the sums go below zero
        conn.execute(
            sc.custody_journal.insert().values(
                kind="debit",
                cause="NO-SUCH-LOT",
                product_group=group,
                characteristic=IRMA.value,
                site=site,
                month=month,
                quantity=1e6,
            )
        )
    ours = world.records.balance(site, period)
    assert ours.chain.events  # replayed, not summed
    reference = world.expected(world.claims, world.transfers)
    assert _closes(ours, site, group, period) == pytest.approx(
        _closes(reference, site, group, period), rel=1e-9, abs=1e-9
    )


def test_monthly_accounts_refuse_a_claim_a_quarter_covers_as_the_replay_does(
    store: Store,
) -> None:
    world = World(store, 13, steps=60, anywhere=False)  # claims a month cannot all cover
    with pytest.raises(ClaimRefused) as whole:
        replay(
            world.whole,
            world.models,
            world.claims,
            certificates=world.certificates,
            transfers=sorted(world.transfers, key=lambda x: (x.time, x.id)),
            period_months=1,
        )
    expected = str(whole.value)
    site = next(s for s in SITES.refineries + SITES.cells if f"account of {s} /" in expected)
    last = max({accounting_period(e.time, 1) for e in world.whole.events}, key=period_order)
    with pytest.raises(ClaimRefused) as raised:
        world.records.balance(site, last, period_months=1)
    assert str(raised.value) == expected
