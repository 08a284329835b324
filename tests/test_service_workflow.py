"""The submission workflow: every move by every role, concurrent reviewers, locked data."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, select

from sinergi.demo.ecosystem import demo_ecosystem
from sinergi.errors import LockedData, StaleVersion, TransitionRefused
from sinergi.intake import initialise
from sinergi.model.accounts import Role
from sinergi.model.audit import Actor
from sinergi.model.submissions import TRANSITIONS, SubmissionStatus, check_move
from sinergi.store import Store
from sinergi.store import schema_platform as sp
from sinergi.store import submissions as subs
from sinergi.store.audited import AuditedStore

S = SubmissionStatus
TENANT = Actor("tina")
MANAGER = Actor("pak")


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("to", list(S))
@pytest.mark.parametrize("role", [r for r in Role if r is not Role.PUBLIC])
def test_every_move_is_allowed_only_as_the_table_says(current: S, to: S, role: Role) -> None:
    move = TRANSITIONS[current].get(to)
    if move is not None and move.role is role:
        assert check_move(current, to, role, "fix the electricity row") is move
    else:
        with pytest.raises(TransitionRefused):
            check_move(current, to, role, "fix the electricity row")


def test_returning_needs_a_comment() -> None:
    with pytest.raises(TransitionRefused, match="comment"):
        check_move(S.SUBMITTED, S.RETURNED, Role.PARK_MANAGER, "  ")


def test_locked_is_final() -> None:
    assert TRANSITIONS[S.LOCKED] == {}


@pytest.fixture
def audited(store_factory: Callable[..., Store]) -> Iterator[AuditedStore]:
    plain = store_factory()
    store = AuditedStore(plain._url, actor=TENANT)
    initialise(store)
    store.save(demo_ecosystem())
    yield store
    store.close()


def _company(store: AuditedStore) -> str:
    eco = store.load(["kiic"])
    return sorted(c.id for c in eco.companies.values())[0]


def _flows(company: str, mwh: float) -> list[dict[str, object]]:
    return [
        {
            "source": "grid.jamali",
            "target": f"{company}.main",
            "commodity": "electricity",
            "quantity": mwh,
            "quality": "measured",
        }
    ]


def _submitted(store: AuditedStore) -> subs.Submission:
    company = _company(store)
    with store.transaction() as conn:
        made = subs.create(conn, TENANT, company, "2024", _flows(company, 1200.0))
        return subs.move(conn, TENANT, Role.TENANT, made.id, S.SUBMITTED, None, made.row_version)


def test_editing_a_draft_with_the_same_flows_changes_nothing(audited: AuditedStore) -> None:
    company = _company(audited)
    with audited.transaction() as conn:
        made = subs.create(conn, TENANT, company, "2024", _flows(company, 1200.0))
    before = audited.fingerprint()
    with audited.transaction() as conn:
        again = subs.replace_data(conn, TENANT, made.id, _flows(company, 1200.0), 1)
        ledger = conn.execute(select(func.count()).select_from(sp.audit_ledger)).scalar_one()
    assert again.row_version == 1  # no new version for the same data
    assert audited.fingerprint() == before
    with audited.transaction() as conn:
        changed = subs.replace_data(conn, TENANT, made.id, _flows(company, 1300.0), 1)
        grown = conn.execute(select(func.count()).select_from(sp.audit_ledger)).scalar_one()
    assert changed.row_version == 2
    assert grown == ledger + 1  # a real edit is one ledger entry


def test_two_reviewers_at_once_one_wins_the_other_gets_stale_version(
    audited: AuditedStore,
) -> None:
    sub = _submitted(audited)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def review(name: str, to: S, comment: str | None) -> None:
        store = AuditedStore(audited._url, actor=Actor(name))
        barrier.wait()
        try:
            with store.transaction() as conn:
                outcomes[name] = subs.move(
                    conn, Actor(name), Role.PARK_MANAGER, sub.id, to, comment, sub.row_version
                )
        except StaleVersion as exc:
            outcomes[name] = exc
        finally:
            store.close()

    threads = [
        threading.Thread(target=review, args=("rina", S.APPROVED, None)),
        threading.Thread(target=review, args=("budi", S.RETURNED, "check the meter")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    won = [v for v in outcomes.values() if isinstance(v, subs.Submission)]
    lost = [v for v in outcomes.values() if isinstance(v, StaleVersion)]
    assert len(won) == 1
    assert len(lost) == 1
    with audited.reading() as conn:
        stored = subs.get(conn, sub.id)
        moves = subs.events(conn, sub.id)
    assert stored.status is won[0].status  # the winner's decision stands, nothing lost
    assert stored.row_version == sub.row_version + 1
    assert [e.to_status for e in moves] == [S.DRAFT, S.SUBMITTED, won[0].status]
    assert stored.flows == sub.flows


def test_approval_writes_the_flows_and_locked_data_refuses_writes(audited: AuditedStore) -> None:
    sub = _submitted(audited)
    company = sub.company_id
    with audited.transaction() as conn:
        approved = subs.move(conn, MANAGER, Role.PARK_MANAGER, sub.id, S.APPROVED, None, 2)
        locked = subs.move(
            conn, Actor("ana"), Role.MINISTRY, sub.id, S.LOCKED, None, approved.row_version
        )
    eco = audited.load(["kiic"])
    mine = [f for f in eco.flows if f.target == f"{company}.main" and str(f.period) == "2024"]
    assert [(f.commodity, f.quantity) for f in mine] == [("electricity", 1200.0)]
    before = audited.fingerprint()
    with pytest.raises(LockedData), audited.transaction() as conn:
        subs.replace_data(conn, TENANT, sub.id, _flows(company, 9.0), locked.row_version)
    # an import (or save) of the locked park and period is refused too, and writes nothing
    fragment = eco.subset(["kiic"])
    with pytest.raises(LockedData):
        audited.apply_import(
            fragment,
            sha256="f" * 64,
            source_name="kiic.yaml",
            fmt="yaml",
            tables=frozenset({"flows"}),
            periods={"flows": frozenset({sub_period(sub)})},
        )
    assert audited.fingerprint() == before


def sub_period(sub: subs.Submission) -> object:
    from sinergi.model.period import Period

    return Period.parse(sub.period)


def test_a_correction_is_a_new_version_and_the_locked_one_stays_readable(
    audited: AuditedStore,
) -> None:
    sub = _submitted(audited)
    with audited.transaction() as conn:
        a = subs.move(conn, MANAGER, Role.PARK_MANAGER, sub.id, S.APPROVED, None, 2)
        locked = subs.move(conn, Actor("ana"), Role.MINISTRY, sub.id, S.LOCKED, None, a.row_version)
        fixed = subs.correct(conn, TENANT, sub.id, "meter read twice")
        old = subs.get(conn, sub.id)
    assert fixed.version == 2
    assert fixed.supersedes == sub.id
    assert fixed.status is S.DRAFT
    assert fixed.reason == "meter read twice"
    assert old == locked
