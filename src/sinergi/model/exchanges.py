"""The facilitator's workflow: an exchange moves from proposed to implemented, or is rejected.

A recommended exchange is *proposed*; the facilitator brokers it (*under discussion*), the
partners agree (*accepted*) and build it (*implemented*), or it is *rejected* with a reason.
Only an implemented exchange becomes a flow of the network, so it counts in the park
assessment (the symbiosis-exchange indicator) from then on; proposals never do.

The rules are pure; :class:`sinergi.store.Store` persists exchanges and their history.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from sinergi.errors import WorkflowError
from sinergi.i18n import N_
from sinergi.i18n.messages import Msg, items, msg
from sinergi.model.flows import DataQuality, Flow
from sinergi.model.period import Period


class ExchangeStatus(StrEnum):
    """Where an exchange stands in the facilitator's workflow."""

    PROPOSED = "proposed"
    UNDER_DISCUSSION = "under_discussion"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    IMPLEMENTED = "implemented"


#: What each status is called in a sentence (an error names where an exchange stands).
STATUS_NAMES: dict[ExchangeStatus, str] = {
    ExchangeStatus.PROPOSED: N_("proposed"),
    ExchangeStatus.UNDER_DISCUSSION: N_("under discussion"),
    ExchangeStatus.ACCEPTED: N_("accepted"),
    ExchangeStatus.REJECTED: N_("rejected"),
    ExchangeStatus.IMPLEMENTED: N_("implemented"),
}


def status_name(status: ExchangeStatus | str) -> Msg:
    """Return the name of an exchange status as a message argument."""
    return msg(STATUS_NAMES[ExchangeStatus(status)])


#: Allowed moves. An implemented exchange is final: it is now a flow, and removing it is a
#: data correction (re-import the park's flows), not a workflow step.
TRANSITIONS: dict[ExchangeStatus, frozenset[ExchangeStatus]] = {
    ExchangeStatus.PROPOSED: frozenset(
        {ExchangeStatus.UNDER_DISCUSSION, ExchangeStatus.ACCEPTED, ExchangeStatus.REJECTED}
    ),
    ExchangeStatus.UNDER_DISCUSSION: frozenset(
        {ExchangeStatus.ACCEPTED, ExchangeStatus.REJECTED, ExchangeStatus.PROPOSED}
    ),
    ExchangeStatus.ACCEPTED: frozenset(
        {ExchangeStatus.IMPLEMENTED, ExchangeStatus.REJECTED, ExchangeStatus.UNDER_DISCUSSION}
    ),
    ExchangeStatus.REJECTED: frozenset({ExchangeStatus.PROPOSED}),
    ExchangeStatus.IMPLEMENTED: frozenset(),
}


@dataclass(frozen=True)
class Exchange:
    """One brokered (or to-be-brokered) exchange between a supplier and a receiver.

    ``amount`` is in the supplied commodity's canonical unit per period; ``explanation``
    keeps the candidate's explanation (rule, source, distance, per-unit numbers) as plain
    data so that a stored proposal still explains itself later.
    """

    supplier: str
    receiver: str
    commodity: str
    replaces: str
    rule_id: str
    period: Period
    amount: float
    net_benefit_idr: float
    co2e_t: float
    landfill_t: float
    explanation: dict[str, Any] = field(default_factory=dict)
    status: ExchangeStatus = ExchangeStatus.PROPOSED
    reason: str | None = None

    @property
    def id(self) -> str:
        """A stable id: the same supplier, receiver, commodity, rule and period give the same id.

        Proposing the same recommendation twice therefore finds the stored one instead of
        creating a duplicate.
        """
        return exchange_id(self.supplier, self.receiver, self.commodity, self.rule_id, self.period)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types (period and status as text), with the id."""
        return {
            "id": self.id,
            "supplier": self.supplier,
            "receiver": self.receiver,
            "commodity": self.commodity,
            "replaces": self.replaces,
            "rule_id": self.rule_id,
            "period": str(self.period),
            "amount": self.amount,
            "net_benefit_idr": self.net_benefit_idr,
            "co2e_t": self.co2e_t,
            "landfill_t": self.landfill_t,
            "explanation": self.explanation,
            "status": str(self.status),
            "reason": self.reason,
        }

    def to_flow(self) -> Flow:
        """Return the flow this exchange adds to the network once implemented."""
        return Flow(
            period=self.period,
            source=self.supplier,
            target=self.receiver,
            commodity=self.commodity,
            quantity=self.amount,
            quality=DataQuality.ESTIMATED,
            evidence=f"symbiosis exchange {self.id} (rule {self.rule_id})",
        )


def exchange_id(supplier: str, receiver: str, commodity: str, rule_id: str, period: Period) -> str:
    """Return ``x-`` and 12 hex digits of a hash over the exchange's natural key."""
    text = "\x1f".join((supplier, receiver, commodity, rule_id, str(period)))
    return "x-" + hashlib.sha256(text.encode()).hexdigest()[:12]


def transition(exchange: Exchange, to: ExchangeStatus, reason: str | None = None) -> Exchange:
    """Return ``exchange`` moved to status ``to``.

    Raises
    ------
    WorkflowError
        If the move is not allowed from the current status, or a rejection has no reason.
    """
    allowed = TRANSITIONS[exchange.status]
    if to not in allowed:
        if not allowed:
            raise WorkflowError(
                msg(
                    N_(
                        "exchange {id} is {status}; it cannot become {to}. Allowed next: none "
                        "(an implemented exchange is final)"
                    ),
                    id=exchange.id,
                    status=status_name(exchange.status),
                    to=status_name(to),
                )
            )
        raise WorkflowError(
            msg(
                N_("exchange {id} is {status}; it cannot become {to}. Allowed next: {allowed}"),
                id=exchange.id,
                status=status_name(exchange.status),
                to=status_name(to),
                allowed=items(status_name(a) for a in sorted(allowed)),
            )
        )
    if to is ExchangeStatus.REJECTED and not (reason and reason.strip()):
        raise WorkflowError(
            msg(
                N_(
                    "rejecting exchange {id} needs a reason (e.g. \"the receiver's kiln cannot "
                    'take more slag"), so that the decision can be revisited'
                ),
                id=exchange.id,
            )
        )
    return replace(exchange, status=to, reason=reason.strip() if reason else None)
