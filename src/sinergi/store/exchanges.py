"""Rows of the symbiosis workflow: exchanges, their status history and implemented flows.

Functions take an open connection; :class:`~sinergi.store.Store` wraps each call in one
transaction, so a status change and its flow are written together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from sinergi.errors import NotFound, StoreIntegrityError
from sinergi.i18n import N_
from sinergi.i18n.messages import msg
from sinergi.model.exchanges import Exchange, ExchangeStatus, transition
from sinergi.model.period import Period
from sinergi.store import schema as s
from sinergi.store.rows import chunks, flow_row, node_index


@dataclass(frozen=True)
class ExchangeEvent:
    """One status change of a stored exchange."""

    exchange_id: str
    at: datetime
    from_status: ExchangeStatus | None
    to_status: ExchangeStatus
    reason: str | None
    actor: str | None


@dataclass(frozen=True)
class ProposalResult:
    """What :meth:`Store.propose_exchanges` did: new ids and ids already stored."""

    added: tuple[str, ...]
    kept: tuple[str, ...]


def _row(x: Exchange, park_id: str | None) -> dict[str, Any]:
    return {**x.to_dict(), "park_id": park_id}


def _exchange(row: Any) -> Exchange:
    return Exchange(
        supplier=row.supplier,
        receiver=row.receiver,
        commodity=row.commodity,
        replaces=row.replaces,
        rule_id=row.rule_id,
        period=Period.parse(row.period),
        amount=row.amount,
        net_benefit_idr=row.net_benefit_idr,
        co2e_t=row.co2e_t,
        landfill_t=row.landfill_t,
        explanation=dict(row.explanation),
        status=ExchangeStatus(row.status),
        reason=row.reason,
    )


def _event(x: Exchange, before: ExchangeStatus | None, actor: str | None) -> dict[str, Any]:
    return {
        "exchange_id": x.id,
        "at": datetime.now(UTC).replace(tzinfo=None),
        "from_status": None if before is None else str(before),
        "to_status": str(x.status),
        "reason": x.reason,
        "actor": actor,
    }


def propose(conn: Connection, proposals: Iterable[Exchange], actor: str | None) -> ProposalResult:
    """Insert proposals whose id is not stored yet; stored ones keep their status.

    Raises
    ------
    StoreIntegrityError
        If a proposal names a supplier or receiver that is not stored.
    """
    wanted = {x.id: x for x in proposals}
    stored: set[str] = set()
    for part in chunks(sorted(wanted)):
        stored |= set(
            conn.execute(select(s.exchanges.c.id).where(s.exchanges.c.id.in_(part))).scalars()
        )
    nodes = node_index(conn)
    new = [x for key, x in wanted.items() if key not in stored]
    for x in new:
        for side, node in ((N_("supplier"), x.supplier), (N_("receiver"), x.receiver)):
            if node not in nodes:
                raise StoreIntegrityError(
                    msg(
                        N_(
                            "exchange {id}: {role} {node!r} is not in the database; load or "
                            "import the park data first ('sinergi import'), then propose again"
                        ),
                        id=x.id,
                        role=msg(side),
                        node=node,
                    )
                )
    if new:
        conn.execute(insert(s.exchanges), [_row(x, _park(x, nodes)) for x in new])
        conn.execute(insert(s.exchange_events), [_event(x, None, actor) for x in new])
    return ProposalResult(added=tuple(x.id for x in new), kept=tuple(sorted(stored)))


def _park(x: Exchange, nodes: dict[str, tuple[str, str | None]]) -> str | None:
    """Return the park of an exchange: the supplier's, as for any flow, else the receiver's."""
    return nodes[x.supplier][1] or nodes[x.receiver][1]


def read(
    conn: Connection, park_id: str | None = None, status: ExchangeStatus | None = None
) -> list[Exchange]:
    """Return stored exchanges, optionally of one park and one status, ordered by id."""
    query = select(s.exchanges).order_by(s.exchanges.c.id)
    if park_id is not None:
        query = query.where(s.exchanges.c.park_id == park_id)
    if status is not None:
        query = query.where(s.exchanges.c.status == str(status))
    return [_exchange(row) for row in conn.execute(query)]


def history(conn: Connection, exchange_id: str) -> list[ExchangeEvent]:
    """Return the status changes of one exchange, oldest first."""
    e = s.exchange_events.c
    rows = conn.execute(
        select(s.exchange_events).where(e.exchange_id == exchange_id).order_by(e.id)
    )
    return [
        ExchangeEvent(
            r.exchange_id,
            r.at,
            None if r.from_status is None else ExchangeStatus(r.from_status),
            ExchangeStatus(r.to_status),
            r.reason,
            r.actor,
        )
        for r in rows
    ]


def set_status(
    conn: Connection,
    exchange_id: str,
    status: ExchangeStatus,
    reason: str | None,
    actor: str | None,
) -> Exchange:
    """Move one exchange to ``status``; an implemented exchange becomes a flow.

    If the network already holds a flow with the same key (the partners reported the
    exchange themselves), that flow is kept as reported and no second one is written.

    Raises
    ------
    NotFound
        If no exchange has this id.
    WorkflowError
        If the workflow does not allow the move.
    """
    row = conn.execute(select(s.exchanges).where(s.exchanges.c.id == exchange_id)).first()
    if row is None:
        raise NotFound(
            msg(
                N_("no exchange {id!r} in the database; see 'sinergi exchanges list'"),
                id=exchange_id,
            )
        )
    before = _exchange(row)
    after = transition(before, status, reason)
    conn.execute(
        s.exchanges.update()
        .where(s.exchanges.c.id == exchange_id)
        .values(status=str(after.status), reason=after.reason)
    )
    conn.execute(insert(s.exchange_events), [_event(after, before.status, actor)])
    if after.status is ExchangeStatus.IMPLEMENTED:
        _write_flow(conn, after, row.park_id)
    return after


def _write_flow(conn: Connection, x: Exchange, park_id: str | None) -> None:
    f = s.flows.c
    flow = x.to_flow()
    existing = conn.execute(
        select(f.id).where(
            (f.period == str(flow.period))
            & (f.source == flow.source)
            & (f.target == flow.target)
            & (f.commodity == flow.commodity)
        )
    ).first()
    if existing is None:
        conn.execute(insert(s.flows), [flow_row(flow, park_id, None)])


def delete_for_nodes(conn: Connection, node_ids: Sequence[str]) -> None:
    """Delete the exchanges (and their history) whose supplier or receiver is in ``node_ids``."""
    x = s.exchanges.c
    for part in chunks(list(node_ids)):
        ids = select(x.id).where(x.supplier.in_(part) | x.receiver.in_(part))
        conn.execute(delete(s.exchange_events).where(s.exchange_events.c.exchange_id.in_(ids)))
        conn.execute(delete(s.exchanges).where(x.id.in_(ids)))
