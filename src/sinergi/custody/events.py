"""Custody events, shaped after GS1 EPCIS 2.0, and the mass check of every transformation.

Each :class:`Event` is one business step on lots: commissioning (a new lot enters the chain,
EPCIS ``ObjectEvent`` ADD), transformation (inputs become outputs: ore → MHP → NiSO4 → pCAM →
CAM → cells, EPCIS ``TransformationEvent``), aggregation and disaggregation (cells into modules
and packs and back, EPCIS ``AggregationEvent`` ADD/DELETE), shipping and receiving (change of
custody, EPCIS ``ObjectEvent`` OBSERVE with ``bizStep`` shipping/receiving) and recycling
(pack → black mass → recovered salts, a ``TransformationEvent``). How they are written as EPCIS
JSON, and the canonical hash, are in :mod:`sinergi.custody.epcis`.

**Mass check.** A transformation, recycling, aggregation or disaggregation must balance:
``outputs + losses = inputs`` (in t) within :data:`BALANCE_TOLERANCE` of the inputs, and when a
yield is stated, ``outputs / inputs`` must equal it within :data:`YIELD_TOLERANCE`. Anything
else is refused with the numbers (:class:`~sinergi.errors.MassImbalance`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sinergi.custody.lots import Lot, Portion, check_id
from sinergi.errors import CustodyError, MassImbalance, UnknownLot
from sinergi.i18n import N_
from sinergi.i18n.messages import Msg, Sig, msg

__all__ = [
    "BALANCE_TOLERANCE",
    "YIELD_TOLERANCE",
    "Event",
    "EventKind",
    "check_mass",
    "normalise_time",
]

#: Largest relative gap between inputs and outputs + losses that still balances (of inputs).
BALANCE_TOLERANCE = 1e-6
#: Largest gap between the stated yield and outputs / inputs (absolute, as a fraction).
YIELD_TOLERANCE = 1e-3


class EventKind(StrEnum):
    """What an event does to lots."""

    COMMISSION = "commission"
    TRANSFORMATION = "transformation"
    AGGREGATION = "aggregation"
    DISAGGREGATION = "disaggregation"
    SHIPPING = "shipping"
    RECEIVING = "receiving"
    RECYCLING = "recycling"

    @property
    def converts(self) -> bool:
        """Return whether the event turns input lots into output lots (a genealogy step)."""
        return self in _CONVERTING

    @property
    def moves(self) -> bool:
        """Return whether the event changes custody of a lot (no new lot)."""
        return self in (EventKind.SHIPPING, EventKind.RECEIVING)


_CONVERTING = frozenset(
    {
        EventKind.TRANSFORMATION,
        EventKind.AGGREGATION,
        EventKind.DISAGGREGATION,
        EventKind.RECYCLING,
    }
)


@dataclass(frozen=True, slots=True)
class Event:
    """One custody event.

    Parameters
    ----------
    id
        The custodian's event id (unique in the chain).
    kind
        See :class:`EventKind`.
    time
        When it happened: ISO 8601 with a UTC offset (``2026-01-15T08:00:00+08:00``).
    facility
        Where (the EPCIS ``bizLocation``): the site that holds the lots.
    inputs, outputs
        Portions of lots going in and coming out. A commission has outputs only, a shipment
        or receipt one input and no outputs.
    losses_t
        Mass that leaves the chain in the step (tailings, slag, water, scrap), in t.
    stated_yield
        Output mass per input mass the custodian declares (0-1], checked against the numbers.
    from_owner, to_owner, to_facility
        For shipping and receiving: the parties and the receiving site.
    """

    id: str
    kind: EventKind
    time: str
    facility: str
    inputs: tuple[Portion, ...] = ()
    outputs: tuple[Portion, ...] = ()
    losses_t: float = 0.0
    stated_yield: float | None = None
    from_owner: str | None = None
    to_owner: str | None = None
    to_facility: str | None = None

    def __post_init__(self) -> None:
        check_id(self.id, N_("event id"))
        # one spelling per instant and sorted portions, so equal events are equal objects
        object.__setattr__(self, "time", normalise_time(self.time, self.id))
        object.__setattr__(self, "kind", EventKind(self.kind))
        object.__setattr__(self, "inputs", tuple(sorted(self.inputs, key=lambda p: p.lot)))
        object.__setattr__(self, "outputs", tuple(sorted(self.outputs, key=lambda p: p.lot)))
        if not math.isfinite(self.losses_t) or self.losses_t < 0:
            raise CustodyError(
                msg(
                    N_("event {id}: losses_t {losses} must be 0 or more"),
                    id=self.id,
                    losses=Sig(self.losses_t, 15),
                )
            )
        if self.stated_yield is not None and not 0 < self.stated_yield <= 1:
            raise CustodyError(
                msg(
                    N_("event {id}: stated yield {value} must be above 0 and at most 1"),
                    id=self.id,
                    value=Sig(self.stated_yield, 15),
                )
            )
        self._check_shape()

    def _check_shape(self) -> None:
        kind = self.kind
        if kind is EventKind.COMMISSION and (self.inputs or not self.outputs):
            raise CustodyError(
                self._shape(N_("event {id}: a commission has outputs (new lots) only"))
            )
        if kind.converts and not (self.inputs and self.outputs):
            raise CustodyError(self._shape(N_("event {id}: a {kind} needs inputs and outputs")))
        if kind.moves and (len(self.inputs) != 1 or self.outputs):
            raise CustodyError(self._shape(N_("event {id}: a {kind} moves exactly one input lot")))
        if kind is EventKind.AGGREGATION and len(self.outputs) != 1:
            raise CustodyError(
                self._shape(N_("event {id}: an aggregation has one output (the parent)"))
            )
        if kind is EventKind.DISAGGREGATION and len(self.inputs) != 1:
            raise CustodyError(
                self._shape(N_("event {id}: a disaggregation has one input (the parent)"))
            )
        lots = [p.lot for p in (*self.inputs, *self.outputs)]
        if len(set(lots)) != len(lots):
            raise CustodyError(
                self._shape(N_("event {id}: a lot appears twice among inputs and outputs"))
            )

    def _shape(self, text: str) -> Msg:
        return msg(text, id=self.id, kind=self.kind.value)


def normalise_time(time: str, where: str = "") -> str:
    """Return an ISO 8601 time with its UTC offset in one spelling (``Z`` → ``+00:00``).

    >>> normalise_time("2026-01-15T00:00:00Z")
    '2026-01-15T00:00:00+00:00'
    """
    try:
        parsed = datetime.fromisoformat(time)
    except (TypeError, ValueError):
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise CustodyError(
            msg(
                N_(
                    "event {id}: time {time} must be ISO 8601 with a UTC offset, "
                    "e.g. 2026-01-15T08:00:00+08:00"
                ),
                id=where,
                time=repr(time),
            )
        )
    return parsed.isoformat()


def _mass(event: Event, portions: tuple[Portion, ...], lots: Mapping[str, Lot]) -> float:
    total = 0.0
    for portion in portions:
        lot = lots.get(portion.lot)
        if lot is None:
            raise UnknownLot(
                msg(
                    N_("event {id} names lot {lot}, which is not known"),
                    id=event.id,
                    lot=repr(portion.lot),
                )
            )
        mass = lot.mass_of(portion.quantity)
        if mass is None:
            raise MassImbalance(
                msg(
                    N_(
                        "event {id}: lot {lot} is counted in {unit} and states no mass; give "
                        "the lot's mass_t so the transformation can be weighed"
                    ),
                    id=event.id,
                    lot=lot.id,
                    unit=lot.unit,
                )
            )
        total += mass
    return total


def check_mass(event: Event, lots: Mapping[str, Lot]) -> tuple[float, float]:
    """Check that a converting event balances; return ``(input t, output t)``.

    Raises
    ------
    MassImbalance
        With the input, output and loss masses and the gap (or the yield) in the message.
    """
    mass_in = _mass(event, event.inputs, lots)
    mass_out = _mass(event, event.outputs, lots)
    gap = mass_in - mass_out - event.losses_t
    if abs(gap) > BALANCE_TOLERANCE * max(mass_in, 1e-12):
        raise MassImbalance(
            msg(
                N_(
                    "event {id} ({kind}) does not balance: inputs {inputs} t, outputs {outputs} t "
                    "+ losses {losses} t = {total} t; {gap} t {which}. Report the losses or "
                    "correct the quantities"
                ),
                id=event.id,
                kind=event.kind.value,
                inputs=Sig(mass_in),
                outputs=Sig(mass_out),
                losses=Sig(event.losses_t),
                total=Sig(mass_out + event.losses_t),
                gap=Sig(abs(gap)),
                which=msg(N_("unaccounted for")) if gap > 0 else msg(N_("too much")),
            )
        )
    if event.stated_yield is not None:
        actual = mass_out / mass_in
        if abs(actual - event.stated_yield) > YIELD_TOLERANCE:
            raise MassImbalance(
                msg(
                    N_(
                        "event {id} ({kind}) states a yield of {stated} but outputs {outputs} t "
                        "/ inputs {inputs} t = {actual}; correct the yield or the quantities"
                    ),
                    id=event.id,
                    kind=event.kind.value,
                    stated=Sig(event.stated_yield, 4),
                    outputs=Sig(mass_out),
                    inputs=Sig(mass_in),
                    actual=Sig(actual, 4),
                )
            )
    return mass_in, mass_out
