"""The custody chain: lots and events, checked as they are added, and genealogy queries.

:class:`Chain` keeps lots and events in the order they were recorded and refuses anything that
would break custody: an event naming an unknown lot, a lot made twice, a lot used before it
was made (so the genealogy is always acyclic), more of a lot used than it holds, and
transformations that do not balance (:func:`~sinergi.custody.events.check_mass`).

**Attribution.** The genealogy answers "how much of lot U is in lot X": a converting event
splits what went in over its outputs in proportion to their mass (their quantity when a mass
is unknown), so an input portion ``q`` reaches output ``o`` as ``q × share(o)``; a lot used in
part passes on the used fraction. :meth:`Chain.upstream` and :meth:`Chain.downstream` follow
every path in one pass over the sub-graph in topological order; :func:`upstream_naive` is the
plain recursion over every path (the benchmark's peer and the tests' independent reference).

    >>> from sinergi.custody.lots import Lot, Portion
    >>> chain = Chain()
    >>> _ = chain.commission(Lot("ORE", "laterite_ore_limonite", 100.0), "2026-01-01T00:00:00Z")
    >>> chain.record(Event("T1", EventKind.TRANSFORMATION, "2026-01-02T00:00:00Z", "hpal",
    ...     inputs=(Portion("ORE", 100.0),), outputs=(Portion("MHP", 10.0),), losses_t=90.0),
    ...     new_lots=[Lot("MHP", "mhp", 10.0)])
    >>> chain.upstream("MHP").quantities["ORE"]
    100.0
"""

from __future__ import annotations

from collections import ChainMap, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from sinergi.custody.events import Event, EventKind, check_mass
from sinergi.custody.lots import Lot, Portion
from sinergi.errors import CustodyError, UnknownLot
from sinergi.i18n import N_
from sinergi.i18n.messages import Msg, Sig, msg

__all__ = ["Chain", "Trace", "TraceEdge", "downstream_naive", "upstream_naive"]

#: Relative slack when comparing quantities used with quantities held.
_SLACK = 1e-9


@dataclass(frozen=True, slots=True)
class TraceEdge:
    """One step of a trace: ``quantity`` of ``source`` (in its unit) reaching ``target``."""

    event: str
    source: str
    target: str
    quantity: float


@dataclass(frozen=True)
class Trace:
    """The result of a genealogy query from one lot.

    ``quantities`` maps every lot reached to the attributed quantity: upstream, how much of
    that lot (in its unit) is in the start lot; downstream, how much of the start lot (in
    its unit) is in that lot. ``edges`` are the steps with the quantity attributed along each.
    """

    start: str
    direction: str
    quantities: dict[str, float]
    edges: list[TraceEdge] = field(default_factory=list)

    def ends(self, chain: Chain) -> list[str]:
        """Return the lots at the far end: origins upstream, current lots downstream."""
        if self.direction == "upstream":
            return [lot for lot in self.quantities if not chain.producer_inputs(lot)]
        return [lot for lot in self.quantities if not chain.consumers(lot)]


class Chain:
    """Lots and events of one custody chain (in memory; the store persists it)."""

    def __init__(self) -> None:
        self.lots: dict[str, Lot] = {}
        self.events: list[Event] = []
        self._event_ids: set[str] = set()
        self._producer: dict[str, int] = {}
        self._consumers: dict[str, list[int]] = defaultdict(list)
        self._used: dict[str, float] = defaultdict(float)
        self._shares: dict[int, dict[str, float]] = {}
        self.holder: dict[str, tuple[str, str]] = {}

    def __len__(self) -> int:
        return len(self.events)

    # -- recording -----------------------------------------------------------------------
    def seed(self, lots: Iterable[Lot], used: dict[str, float] | None = None) -> None:
        """Add lots made outside the part of a chain being loaded, with what is used of them.

        A store reads only part of a stored chain (a lot's history, its downstream events,
        the lots a new import touches): the lots those events take in but that were made
        by events not read are seeded first, each with the quantity converting events have
        already used of it, so that :meth:`record` checks the events that follow exactly
        as the whole chain would (a lot used beyond what is left is still refused).
        """
        for lot in lots:
            if lot.id in self.lots:
                raise CustodyError(_made_twice(lot.id))
            self.lots[lot.id] = lot
            self.holder.setdefault(lot.id, (lot.owner, lot.facility))
            if used and used.get(lot.id):
                self._used[lot.id] = used[lot.id]

    def commission(self, lot: Lot, time: str, event_id: str | None = None) -> Event:
        """Add a new lot with its commissioning event (EPCIS ObjectEvent ADD) and return it."""
        event = Event(
            event_id or f"commission-{lot.id}",
            EventKind.COMMISSION,
            time,
            lot.facility or "unknown",
            outputs=(Portion(lot.id, lot.quantity),),
        )
        self.record(event, new_lots=[lot])
        return event

    def record(self, event: Event, new_lots: Iterable[Lot] = ()) -> None:
        """Check ``event`` (and the lots it makes) and add them; nothing is added on error.

        Raises
        ------
        CustodyError
            A duplicate event or lot, a lot used before it was made or beyond its quantity,
            an output lot whose quantity differs from the event's output.
        MassImbalance
            The event does not balance (see :func:`~sinergi.custody.events.check_mass`).
        """
        made = {lot.id: lot for lot in new_lots}
        self._check_new(event, made)
        # a view, not a copy: copying every lot for every event made recording quadratic
        known = ChainMap(made, self.lots)
        for portion in event.inputs:
            self._check_use(event, portion)
        if event.kind.converts:
            check_mass(event, known)
        self.lots.update(made)
        index = len(self.events)
        self.events.append(event)
        self._event_ids.add(event.id)
        for portion in event.inputs:
            self._used[portion.lot] += portion.quantity if not event.kind.moves else 0.0
            if event.kind.converts:
                self._consumers[portion.lot].append(index)
        for portion in event.outputs:
            self._producer[portion.lot] = index
            lot = known[portion.lot]
            self.holder[lot.id] = (lot.owner, lot.facility or event.facility)
        if event.kind.converts:
            self._shares[index] = _output_shares(event, known)
        if event.kind.moves:
            lot_id = event.inputs[0].lot
            owner, facility = self.holder.get(lot_id, ("", ""))
            self.holder[lot_id] = (event.to_owner or owner, event.to_facility or facility)

    def _check_new(self, event: Event, made: dict[str, Lot]) -> None:
        if event.id in self._event_ids:
            raise CustodyError(msg(N_("event {id} is already recorded"), id=event.id))
        outputs = {p.lot: p for p in event.outputs}
        for lot_id in made:
            if lot_id in self.lots:
                raise CustodyError(_made_twice(lot_id))
            if lot_id not in outputs:
                raise CustodyError(
                    msg(N_("lot {lot} is not an output of event {id}"), lot=lot_id, id=event.id)
                )
        for lot_id, portion in outputs.items():
            lot = made.get(lot_id)
            if lot is None:
                raise CustodyError(
                    msg(
                        N_(
                            "event {id} outputs lot {lot}, which must be a new lot (give it "
                            "with the event)"
                        ),
                        id=event.id,
                        lot=lot_id,
                    )
                )
            if abs(lot.quantity - portion.quantity) > _SLACK * lot.quantity:
                raise CustodyError(
                    msg(
                        N_(
                            "event {id} outputs {quantity} {unit} of lot {lot} but the lot "
                            "holds {held} {unit}"
                        ),
                        id=event.id,
                        quantity=Sig(portion.quantity),
                        unit=lot.unit,
                        lot=lot_id,
                        held=Sig(lot.quantity),
                    )
                )

    def _check_use(self, event: Event, portion: Portion) -> None:
        lot = self.lots.get(portion.lot)
        if lot is None:
            raise UnknownLot(
                msg(
                    N_(
                        "event {id} uses lot {lot}, which is not in the chain (commission it or "
                        "record the event that makes it first)"
                    ),
                    id=event.id,
                    lot=repr(portion.lot),
                )
            )
        if event.kind.moves:
            if portion.quantity > lot.quantity * (1 + _SLACK):
                raise CustodyError(
                    msg(
                        N_(
                            "event {id} moves {quantity} {unit} of lot {lot}, which holds "
                            "{held} {unit}"
                        ),
                        id=event.id,
                        quantity=Sig(portion.quantity),
                        unit=lot.unit,
                        lot=lot.id,
                        held=Sig(lot.quantity),
                    )
                )
            return
        left = lot.quantity - self._used[lot.id]
        if portion.quantity > left + _SLACK * lot.quantity:
            raise CustodyError(
                msg(
                    N_(
                        "event {id} uses {quantity} {unit} of lot {lot}, but only {left} of its "
                        "{held} {unit} are left"
                    ),
                    id=event.id,
                    quantity=Sig(portion.quantity),
                    unit=lot.unit,
                    lot=lot.id,
                    left=Sig(max(left, 0.0)),
                    held=Sig(lot.quantity),
                )
            )

    # -- reading -------------------------------------------------------------------------
    def lot(self, lot_id: str) -> Lot:
        """Return a lot, or raise :class:`UnknownLot` naming it."""
        try:
            return self.lots[lot_id]
        except KeyError:
            raise UnknownLot(msg(N_("lot {lot} is not in the chain"), lot=repr(lot_id))) from None

    def producer(self, lot_id: str) -> Event | None:
        """Return the event that made a lot (a commission or a converting event)."""
        index = self._producer.get(lot_id)
        return None if index is None else self.events[index]

    def position(self, lot_id: str) -> int:
        """Return where the event that made a lot stands in the chain (-1 for a seeded lot).

        Events are recorded in order and an event takes in only lots already known, so a
        lot's producer stands before the producers of the lots made from it; a chain read
        in part keeps the recorded order of what it holds.
        """
        return self._producer.get(lot_id, -1)

    def producer_inputs(self, lot_id: str) -> tuple[Portion, ...]:
        """Return the input portions of the converting event that made ``lot_id``."""
        event = self.producer(lot_id)
        return event.inputs if event is not None and event.kind.converts else ()

    def consumers(self, lot_id: str) -> list[Event]:
        """Return the converting events that used part of a lot."""
        return [self.events[i] for i in self._consumers.get(lot_id, ())]

    def used(self, lot_id: str) -> float:
        """Return how much of a lot converting events have used (in its unit)."""
        return self._used.get(lot_id, 0.0)

    def output_share(self, event: Event, lot_id: str) -> float:
        """Return the share of a converting event's outputs that went to ``lot_id``."""
        return self._shares[self.events.index(event)][lot_id]

    # -- genealogy -----------------------------------------------------------------------
    def upstream(self, lot_id: str) -> Trace:
        """Return every lot upstream of ``lot_id`` with how much of it ``lot_id`` contains."""
        self.lot(lot_id)
        order = self._topological(lot_id, self._upstream_next)
        weight = {lot_id: 1.0}
        edges = []
        for node in order:
            index = self._producer.get(node)
            if index is None or not self.events[index].kind.converts:
                continue
            event, share = self.events[index], self._shares[index][node]
            for portion in event.inputs:
                amount = weight[node] * self.lots[node].quantity * share * portion.quantity
                amount /= self.lots[node].quantity
                weight[portion.lot] = weight.get(portion.lot, 0.0) + amount / (
                    self.lots[portion.lot].quantity
                )
                edges.append(TraceEdge(event.id, portion.lot, node, amount))
        quantities = {k: w * self.lots[k].quantity for k, w in weight.items()}
        return Trace(lot_id, "upstream", quantities, edges)

    def downstream(self, lot_id: str) -> Trace:
        """Return every lot downstream of ``lot_id`` with how much of ``lot_id`` it contains."""
        start = self.lot(lot_id)
        order = self._topological(lot_id, self._downstream_next)
        contained = {lot_id: start.quantity}
        edges = []
        for node in order:
            for index in self._consumers.get(node, ()):
                event = self.events[index]
                used = next(p.quantity for p in event.inputs if p.lot == node)
                entering = contained[node] * used / self.lots[node].quantity
                for out, share in self._shares[index].items():
                    contained[out] = contained.get(out, 0.0) + entering * share
                    edges.append(TraceEdge(event.id, node, out, entering * share))
        return Trace(lot_id, "downstream", contained, edges)

    def _upstream_next(self, node: str) -> Iterator[str]:
        return (p.lot for p in self.producer_inputs(node))

    def _downstream_next(self, node: str) -> Iterator[str]:
        for index in self._consumers.get(node, ()):
            yield from self._shares[index]

    @staticmethod
    def _topological(start: str, step: Callable[[str], Iterator[str]]) -> list[str]:
        """Return the nodes reachable from ``start``, each before every node it leads to."""
        seen = {start}
        post: list[str] = []
        stack: list[tuple[str, Iterator[str]]] = [(start, step(start))]
        while stack:
            node, children = stack[-1]
            for child in children:
                if child not in seen:
                    seen.add(child)
                    stack.append((child, step(child)))
                    break
            else:
                stack.pop()
                post.append(node)
        post.reverse()
        return post


def _made_twice(lot_id: str) -> Msg:
    return msg(N_("lot {lot} already exists; a lot is made only once"), lot=lot_id)


def _output_shares(event: Event, lots: Mapping[str, Lot]) -> dict[str, float]:
    masses = [lots[p.lot].mass_of(p.quantity) for p in event.outputs]
    if all(m is not None for m in masses):
        amounts = [float(m) for m in masses if m is not None]
    else:
        amounts = [p.quantity for p in event.outputs]
    total = sum(amounts)
    return {p.lot: a / total for p, a in zip(event.outputs, amounts, strict=True)}


def upstream_naive(chain: Chain, lot_id: str) -> dict[str, float]:
    """Return upstream attributed quantities by plain recursion over every path.

    No index and no memory: the producer of each lot is found by scanning the event list, and
    a lot reached by two paths is walked twice. The benchmark's peer and the tests' reference.
    """
    out: dict[str, float] = defaultdict(float)

    def walk(node: str, amount: float) -> None:
        out[node] += amount
        for event in chain.events:
            if event.kind.converts and any(p.lot == node for p in event.outputs):
                shares = _output_shares(event, chain.lots)
                for portion in event.inputs:
                    walk(
                        portion.lot,
                        amount / chain.lots[node].quantity * shares[node] * portion.quantity,
                    )
                return

    walk(lot_id, chain.lot(lot_id).quantity)
    return dict(out)


def downstream_naive(chain: Chain, lot_id: str) -> dict[str, float]:
    """Return downstream contained quantities by plain recursion over every path.

    No index and no memory: the events using each lot are found by scanning the event list,
    and a lot reached by two paths is walked twice. The downstream peer of the benchmark and
    an independent reference for the tests.
    """
    out: dict[str, float] = defaultdict(float)

    def walk(node: str, amount: float) -> None:
        out[node] += amount
        for event in chain.events:
            if not event.kind.converts:
                continue
            used = next((p.quantity for p in event.inputs if p.lot == node), None)
            if used is None:
                continue
            entering = amount * used / chain.lots[node].quantity
            for out_lot, share in _output_shares(event, chain.lots).items():
                walk(out_lot, entering * share)

    walk(lot_id, chain.lot(lot_id).quantity)
    return dict(out)
