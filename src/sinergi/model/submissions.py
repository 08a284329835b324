"""A tenant's data for one period and its review: draft → submitted → approved → locked.

The statuses follow SIINas (*Konsep* is a draft, *Pengembalian Data* a return for
correction): the tenant fills in a draft and submits it; the park manager returns it with a
comment or approves it; the ministry locks approved data. Locked data never changes: a
correction is a new version (with its reason) that starts as a draft, and the locked version
stays readable. Who may make each move is data (:data:`TRANSITIONS`), like the exchange
workflow in :mod:`sinergi.model.exchanges`; :mod:`sinergi.store.submissions` persists it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sinergi.errors import TransitionRefused
from sinergi.i18n import N_
from sinergi.i18n.messages import Msg, items, msg
from sinergi.model.accounts import Role, role_name


class SubmissionStatus(StrEnum):
    """Where a submission stands in the review."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    LOCKED = "locked"


@dataclass(frozen=True, slots=True)
class Move:
    """One allowed transition: who may make it and whether it needs a comment."""

    role: Role
    needs_comment: bool = False


#: What each status is called in a sentence (an error, a notice); pages may say more.
STATUS_NAMES: dict[SubmissionStatus, str] = {
    SubmissionStatus.DRAFT: N_("draft"),
    SubmissionStatus.SUBMITTED: N_("submitted"),
    SubmissionStatus.RETURNED: N_("returned"),
    SubmissionStatus.APPROVED: N_("approved"),
    SubmissionStatus.LOCKED: N_("locked"),
}


def status_name(status: SubmissionStatus | str) -> Msg:
    """Return the name of a status as a message argument (worded in the reader's language)."""
    return msg(STATUS_NAMES[SubmissionStatus(status)])


#: Allowed moves, ``from -> to -> Move``. Anything absent is refused.
TRANSITIONS: dict[SubmissionStatus, dict[SubmissionStatus, Move]] = {
    SubmissionStatus.DRAFT: {SubmissionStatus.SUBMITTED: Move(Role.TENANT)},
    SubmissionStatus.SUBMITTED: {
        SubmissionStatus.RETURNED: Move(Role.PARK_MANAGER, needs_comment=True),
        SubmissionStatus.APPROVED: Move(Role.PARK_MANAGER),
    },
    SubmissionStatus.RETURNED: {SubmissionStatus.SUBMITTED: Move(Role.TENANT)},
    SubmissionStatus.APPROVED: {
        SubmissionStatus.LOCKED: Move(Role.MINISTRY),
        SubmissionStatus.RETURNED: Move(Role.PARK_MANAGER, needs_comment=True),
    },
    SubmissionStatus.LOCKED: {},
}

#: Statuses in which the tenant may still change the data.
EDITABLE: frozenset[SubmissionStatus] = frozenset(
    {SubmissionStatus.DRAFT, SubmissionStatus.RETURNED}
)

#: Statuses whose data counts as approved (for assessments restricted to approved data).
APPROVED_STATES: frozenset[SubmissionStatus] = frozenset(
    {SubmissionStatus.APPROVED, SubmissionStatus.LOCKED}
)


def check_move(
    current: SubmissionStatus, to: SubmissionStatus, role: Role, comment: str | None
) -> Move:
    """Return the move from ``current`` to ``to`` if ``role`` may make it.

    Raises
    ------
    TransitionRefused
        If the workflow has no such move, another role makes it, or a return lacks a comment.
    """
    move = TRANSITIONS[current].get(to)
    if move is None:
        allowed = [status_name(s) for s in sorted(TRANSITIONS[current])]
        if not allowed:
            raise TransitionRefused(
                msg(
                    N_(
                        "a {current} submission cannot become {to}; allowed next: none "
                        "(locked data is final)"
                    ),
                    current=status_name(current),
                    to=status_name(to),
                )
            )
        raise TransitionRefused(
            msg(
                N_("a {current} submission cannot become {to}; allowed next: {allowed}"),
                current=status_name(current),
                to=status_name(to),
                allowed=items(allowed),
            )
        )
    if move.role is not role:
        raise TransitionRefused(
            msg(
                N_("only a {role} moves a submission from {current} to {to}"),
                role=role_name(move.role),
                current=status_name(current),
                to=status_name(to),
            )
        )
    if move.needs_comment and not (comment and comment.strip()):
        raise TransitionRefused(
            msg(
                N_("moving a submission to {to} needs a comment that tells the tenant what to fix"),
                to=status_name(to),
            )
        )
    return move


def approved_only(eco: Any, period: Any, approved: frozenset[str]) -> Any:
    """Return ``eco`` without the period's flows of companies whose data is not approved.

    A flow is kept when no company end of it is unapproved: flows between a company with
    approved data and a market, grid or the environment stay; a flow touching a company whose
    data for the period is not approved (or never submitted) goes. Other periods are kept.
    """
    from dataclasses import replace

    owner: dict[str, str] = {c: c for c in eco.companies}
    for f_id, facility in eco.facilities.items():
        owner[f_id] = facility.company_id
    for p_id, process in eco.processes.items():
        owner[p_id] = owner.get(process.facility_id, process.facility_id)

    def keep(flow: Any) -> bool:
        if flow.period != period:
            return True
        ends = {owner.get(flow.source), owner.get(flow.target)} - {None}
        return ends <= approved

    return replace(eco, flows=[f for f in eco.flows if keep(f)])
