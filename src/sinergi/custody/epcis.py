"""Custody events as GS1 EPCIS 2.0 JSON(-LD), and their canonical event hash.

**Mapping.** A commission is an ``ObjectEvent`` with action ``ADD`` and bizStep
``commissioning``; a shipment or receipt an ``ObjectEvent`` ``OBSERVE`` with bizStep
``shipping``/``receiving`` and ``owning_party``/``location`` destinations; a transformation or
recycling a ``TransformationEvent`` (bizStep ``creating_class_instance``/``destroying``); an
aggregation or disaggregation an ``AggregationEvent`` ``ADD``/``DELETE`` (bizStep
``assembling``/``disassembling``) whose ``parentID`` is the pack. Lots are quantities of a class
(``quantityList`` with ``epcClass`` = ``urn:sinergi:lot:<id>``, ``uom`` ``TNE`` for tonnes and
``H87`` for pieces, UN/ECE Recommendation 20). What EPCIS has no field for (the lots an event
makes, losses, stated yield, our event kind and id) is written under the ``sinergi:``
prefix, declared in the document's ``@context`` as :data:`NAMESPACE`.

**Event hash.** In the style of the EPCIS event-hash generator (a fingerprint independent of
the serialisation): the event's EPCIS JSON without ``eventID`` and ``recordTime``, with its
time in UTC milliseconds and its quantity lists sorted by class, is canonicalised with the JSON
Canonicalization Scheme (RFC 8785, the bytes of package ``rfc8785`` written by
:func:`sinergi.model.jcs.dumps`) and hashed with SHA-256; ``eventID`` is then
``ni:///sha-256;<hex>?ver=CBV2.0``. The pre-hash text differs from the generator's
field-concatenation string, so the hashes are sinergi's own, not GS1-tool-compatible.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sinergi.custody.events import Event, EventKind
from sinergi.custody.lots import Lot, Portion
from sinergi.errors import CustodyError
from sinergi.i18n import N_
from sinergi.i18n.messages import Msg, Num, msg
from sinergi.model import jcs

__all__ = [
    "GS1_CONTEXT",
    "NAMESPACE",
    "document",
    "event_from_epcis",
    "event_hash",
    "event_to_epcis",
    "events_from_document",
]

#: The sinergi extension namespace (the ``sinergi:`` prefix).
NAMESPACE = "urn:sinergi:epcis:"
#: GS1's EPCIS 2.0 JSON-LD context.
GS1_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
_LOT = "urn:sinergi:lot:"
_SITE = "urn:sinergi:site:"
_PARTY = "urn:sinergi:party:"
_UOM = {"t": "TNE", "item": "H87"}
_UNIT = {v: k for k, v in _UOM.items()}
_BIZSTEP = {
    EventKind.COMMISSION: "commissioning",
    EventKind.TRANSFORMATION: "creating_class_instance",
    EventKind.RECYCLING: "destroying",
    EventKind.AGGREGATION: "assembling",
    EventKind.DISAGGREGATION: "disassembling",
    EventKind.SHIPPING: "shipping",
    EventKind.RECEIVING: "receiving",
}


def _utc(time: str) -> str:
    moment = datetime.fromisoformat(time).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _offset(time: str) -> str:
    delta = datetime.fromisoformat(time).utcoffset() or timedelta(0)
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def lot_record(lot: Lot) -> dict[str, Any]:
    """Return a lot as plain JSON (the ``sinergi:lots`` entries)."""
    record: dict[str, Any] = {
        "id": lot.id,
        "commodity": lot.commodity,
        "quantity": lot.quantity,
        "unit": lot.unit,
        "owner": lot.owner,
        "facility": lot.facility,
        "period": lot.period,
        "attributes": dict(sorted(lot.attributes.items())),
        "evidence": list(lot.evidence),
        "synthetic": lot.synthetic,
    }
    if lot.mass_t is not None:
        record["massT"] = lot.mass_t
    return record


def lot_from_record(record: Mapping[str, Any]) -> Lot:
    """Return the lot of a ``sinergi:lots`` entry."""
    try:
        return Lot(
            id=str(record["id"]),
            commodity=str(record["commodity"]),
            quantity=float(record["quantity"]),
            unit=str(record.get("unit", "t")),
            owner=str(record.get("owner", "")),
            facility=str(record.get("facility", "")),
            period=str(record.get("period", "")),
            attributes=dict(record.get("attributes") or {}),
            evidence=tuple(record.get("evidence") or ()),
            mass_t=None if record.get("massT") is None else float(record["massT"]),
            synthetic=bool(record.get("synthetic", False)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CustodyError(
            msg(N_("lot record is incomplete or malformed ({detail})"), detail=str(exc))
        ) from None


def _quantities(portions: Iterable[Portion], units: Mapping[str, str]) -> list[dict[str, Any]]:
    return [
        {"epcClass": _LOT + p.lot, "quantity": p.quantity, "uom": _UOM[units.get(p.lot, "t")]}
        for p in sorted(portions, key=lambda p: p.lot)
    ]


def _body(event: Event, made: list[Lot], units: Mapping[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "eventTime": _utc(event.time),
        "eventTimeZoneOffset": _offset(event.time),
        "bizStep": _BIZSTEP[event.kind],
        "bizLocation": {"id": _SITE + event.facility},
        "sinergi:eventId": event.id,
        "sinergi:kind": event.kind.value,
    }
    kind = event.kind
    if kind is EventKind.COMMISSION:
        body.update(
            type="ObjectEvent", action="ADD", quantityList=_quantities(event.outputs, units)
        )
    elif kind.moves:
        body.update(type="ObjectEvent", action="OBSERVE")
        body["quantityList"] = _quantities(event.inputs, units)
        if event.from_owner:
            body["sourceList"] = [{"type": "owning_party", "source": _PARTY + event.from_owner}]
        dest = []
        if event.to_owner:
            dest.append({"type": "owning_party", "destination": _PARTY + event.to_owner})
        if event.to_facility:
            dest.append({"type": "location", "destination": _SITE + event.to_facility})
        if dest:
            body["destinationList"] = dest
    elif kind in (EventKind.TRANSFORMATION, EventKind.RECYCLING):
        body.update(type="TransformationEvent")
        body["inputQuantityList"] = _quantities(event.inputs, units)
        body["outputQuantityList"] = _quantities(event.outputs, units)
    else:
        parent, children = (
            (event.outputs[0], event.inputs)
            if kind is EventKind.AGGREGATION
            else (event.inputs[0], event.outputs)
        )
        body.update(
            type="AggregationEvent",
            action="ADD" if kind is EventKind.AGGREGATION else "DELETE",
            parentID=_LOT + parent.lot,
            childQuantityList=_quantities(children, units),
        )
        body["sinergi:parentQuantity"] = parent.quantity
    if event.losses_t:
        body["sinergi:lossesT"] = event.losses_t
    if event.stated_yield is not None:
        body["sinergi:statedYield"] = event.stated_yield
    if made:
        body["sinergi:lots"] = [lot_record(lot) for lot in sorted(made, key=lambda x: x.id)]
    return body


def event_hash(body: Mapping[str, Any]) -> str:
    """Return the ``ni:///sha-256;…`` event id of an EPCIS event body (see module docstring)."""
    content = {k: v for k, v in body.items() if k not in ("eventID", "recordTime")}
    digest = hashlib.sha256(jcs.dumps(content)).hexdigest()
    return f"ni:///sha-256;{digest}?ver=CBV2.0"


def event_to_epcis(
    event: Event, made: Iterable[Lot] = (), units: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return one event as EPCIS 2.0 JSON with its canonical hash as ``eventID``.

    ``made`` are the lots the event makes (carried in ``sinergi:lots``); ``units`` maps lot
    ids to their units where they are not tonnes.
    """
    made_list = list(made)
    known = units or {}
    made_units = {lot.id: lot.unit for lot in made_list}
    # only this event's lots: copying a chain-wide unit map per event would be quadratic
    unit_of = {
        p.lot: made_units.get(p.lot) or known.get(p.lot, "t")
        for p in (*event.inputs, *event.outputs)
    }
    body = _body(event, made_list, unit_of)
    return {"eventID": event_hash(body), **body}


def document(events: Iterable[dict[str, Any]], created: str) -> dict[str, Any]:
    """Return an EPCIS 2.0 document (``EPCISDocument``) holding ``events``."""
    return {
        "@context": [GS1_CONTEXT, {"sinergi": NAMESPACE}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": created,
        "epcisBody": {"eventList": list(events)},
    }


def _portions(items: Any, where: str) -> tuple[tuple[Portion, ...], dict[str, str]]:
    if not isinstance(items, list):
        raise CustodyError(msg(N_("{where} must be a list of quantities"), where=where))
    portions, units = [], {}
    for item in items:
        cls = str(item.get("epcClass", "")) if isinstance(item, dict) else ""
        if not cls.startswith(_LOT):
            raise CustodyError(
                msg(
                    N_("{where}: epcClass {value} is not a sinergi lot ({prefix}<id>)"),
                    where=where,
                    value=repr(cls),
                    prefix=_LOT,
                )
            )
        uom = item.get("uom", "TNE")
        if uom not in _UNIT:
            raise CustodyError(
                msg(
                    N_("{where}: uom {value} is not TNE (tonne) or H87 (piece)"),
                    where=where,
                    value=repr(uom),
                )
            )
        lot = cls.removeprefix(_LOT)
        portions.append(Portion(lot, float(item.get("quantity", 0.0))))
        units[lot] = _UNIT[uom]
    return tuple(portions), units


def _local_time(body: Mapping[str, Any]) -> str:
    try:
        moment = datetime.fromisoformat(str(body["eventTime"]).replace("Z", "+00:00"))
        sign = -1 if str(body["eventTimeZoneOffset"]).startswith("-") else 1
        hours, minutes = str(body["eventTimeZoneOffset"])[1:].split(":")
    except (KeyError, ValueError):
        raise CustodyError(msg(N_("eventTime and eventTimeZoneOffset must be ISO 8601"))) from None
    zone = timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
    return moment.astimezone(zone).isoformat()


def event_from_epcis(body: Mapping[str, Any]) -> tuple[Event, list[Lot]]:
    """Return the event and the lots it makes from one EPCIS event written by sinergi.

    Raises
    ------
    CustodyError
        The event is not one sinergi can read, or its ``eventID`` does not match its content.
    """
    try:
        kind = EventKind(body.get("sinergi:kind", ""))
    except ValueError:
        raise CustodyError(
            msg(
                N_("sinergi:kind {value} is not one of {choices}"),
                value=repr(body.get("sinergi:kind")),
                choices=", ".join(k.value for k in EventKind),
            )
        ) from None
    site = str(body.get("bizLocation", {}).get("id", "")).removeprefix(_SITE)
    made = [lot_from_record(r) for r in body.get("sinergi:lots", [])]
    fields: dict[str, Any] = {
        "id": str(body.get("sinergi:eventId", "")),
        "kind": kind,
        "time": _local_time(body),
        "facility": site,
        "losses_t": float(body.get("sinergi:lossesT", 0.0)),
        "stated_yield": body.get("sinergi:statedYield"),
    }
    if kind is EventKind.COMMISSION:
        fields["outputs"], _ = _portions(body.get("quantityList"), "quantityList")
    elif kind.moves:
        fields["inputs"], _ = _portions(body.get("quantityList"), "quantityList")
        for source in body.get("sourceList", []):
            fields["from_owner"] = str(source.get("source", "")).removeprefix(_PARTY)
        for dest in body.get("destinationList", []):
            key = "to_owner" if dest.get("type") == "owning_party" else "to_facility"
            value = str(dest.get("destination", ""))
            fields[key] = value.removeprefix(_PARTY).removeprefix(_SITE)
    elif kind in (EventKind.TRANSFORMATION, EventKind.RECYCLING):
        fields["inputs"], _ = _portions(body.get("inputQuantityList"), "inputQuantityList")
        fields["outputs"], _ = _portions(body.get("outputQuantityList"), "outputQuantityList")
    else:
        children, _ = _portions(body.get("childQuantityList"), "childQuantityList")
        parent = (
            Portion(
                str(body.get("parentID", "")).removeprefix(_LOT),
                float(body.get("sinergi:parentQuantity", 0.0)),
            ),
        )
        fields["inputs"], fields["outputs"] = (
            (children, parent) if kind is EventKind.AGGREGATION else (parent, children)
        )
    event = Event(**fields)
    stated = body.get("eventID")
    if stated is not None and stated != event_hash(body):
        raise CustodyError(
            msg(
                N_(
                    "event {id}: eventID {stated} does not match the event's content (it was "
                    "changed after it was hashed)"
                ),
                id=event.id,
                stated=str(stated),
            )
        )
    return event, made


def events_from_document(doc: Mapping[str, Any]) -> list[tuple[Event, list[Lot]]]:
    """Return the events of an EPCIS document; the first bad event is named by position."""
    if doc.get("type") != "EPCISDocument":
        raise CustodyError(msg(N_("not an EPCIS document: 'type' must be 'EPCISDocument'")))
    events = doc.get("epcisBody", {}).get("eventList")
    if not isinstance(events, list):
        raise CustodyError(msg(N_("epcisBody.eventList must be a list of events")))
    out = []
    for position, body in enumerate(events, start=1):
        try:
            out.append(event_from_epcis(body))
        except CustodyError as exc:
            raise CustodyError(_item(position, exc)) from None
    return out


def _item(position: int, exc: CustodyError) -> Msg:
    return msg(N_("eventList item {position}: {detail}"), position=Num(position), detail=exc.detail)


def chain_document(chain: Any, created: str) -> dict[str, Any]:
    """Return every event of a :class:`~sinergi.custody.chain.Chain` as one EPCIS document."""
    units = {lot_id: lot.unit for lot_id, lot in chain.lots.items() if lot.unit != "t"}
    bodies = []
    for event in chain.events:
        made = (
            [chain.lots[p.lot] for p in event.outputs]
            if event.kind is EventKind.COMMISSION or event.kind.converts
            else []
        )
        bodies.append(event_to_epcis(event, made, units))
    return document(bodies, created)


def chain_from_document(doc: Mapping[str, Any], chain: Any = None) -> Any:
    """Record the events of an EPCIS document into ``chain`` (a new chain by default)."""
    from sinergi.custody.chain import Chain

    target = Chain() if chain is None else chain
    for position, (event, made) in enumerate(events_from_document(doc), start=1):
        try:
            target.record(event, new_lots=made)
        except CustodyError as exc:
            raise CustodyError(_item(position, exc)) from None
    return target
