"""EPCIS 2.0 export: valid against the GS1 schema; re-import gives identical events and hashes."""

from __future__ import annotations

import copy

import jsonschema
import pytest

from custody_cases import nickel_chain, t
from schemas import load_schema
from sinergi.custody import Chain, Event, EventKind, Lot, Portion
from sinergi.custody.epcis import (
    chain_document,
    chain_from_document,
    event_hash,
    event_to_epcis,
)
from sinergi.errors import CustodyError

CREATED = "2026-12-06T00:00:00Z"


def _full_chain() -> Chain:
    """The nickel chain plus cells → pack, shipping, receiving, recycling, disaggregation."""
    chain = nickel_chain()
    chain.record(
        Event(
            "CELL-1",
            EventKind.TRANSFORMATION,
            t(8),
            "cells",
            inputs=(Portion("PC-1", 4.0),),
            outputs=(Portion("CL-1", 3.0),),
            losses_t=1.0,
        ),
        new_lots=[Lot("CL-1", "cell_nmc811", 3.0, facility="cells")],
    )
    chain.record(
        Event(
            "AGG-1",
            EventKind.AGGREGATION,
            t(9),
            "packs",
            inputs=(Portion("CL-1", 0.5),),
            outputs=(Portion("PACK-1", 1.0),),
        ),
        new_lots=[
            Lot("PACK-1", "battery_pack_car", 1.0, unit="item", mass_t=0.5, facility="packs")
        ],
    )
    chain.record(
        Event(
            "SHIP-1",
            EventKind.SHIPPING,
            t(10),
            "packs",
            inputs=(Portion("PACK-1", 1.0),),
            from_owner="maker",
            to_owner="oem",
            to_facility="oem-plant",
        )
    )
    chain.record(
        Event(
            "RECV-1",
            EventKind.RECEIVING,
            t(11),
            "oem-plant",
            inputs=(Portion("PACK-1", 1.0),),
            to_owner="oem",
        )
    )
    chain.record(
        Event(
            "DIS-1",
            EventKind.DISAGGREGATION,
            t(12),
            "recycler",
            inputs=(Portion("PACK-1", 1.0),),
            outputs=(Portion("MOD-1", 0.5),),
        ),
        new_lots=[Lot("MOD-1", "battery_module", 0.5, facility="recycler")],
    )
    chain.record(
        Event(
            "REC-1",
            EventKind.RECYCLING,
            t(13),
            "recycler",
            inputs=(Portion("MOD-1", 0.5),),
            outputs=(Portion("BM-1", 0.2),),
            losses_t=0.3,
        ),
        new_lots=[Lot("BM-1", "black_mass", 0.2, facility="recycler")],
    )
    return chain


def test_every_event_kind_validates_against_the_gs1_epcis_schema() -> None:
    schema = load_schema("epcis-2.0/EPCIS-JSON-Schema.json")
    doc = chain_document(_full_chain(), CREATED)
    jsonschema.validate(doc, schema)
    types = {e["type"] for e in doc["epcisBody"]["eventList"]}
    assert types == {"ObjectEvent", "TransformationEvent", "AggregationEvent"}


def test_a_broken_export_fails_the_schema_so_the_check_has_teeth() -> None:
    schema = load_schema("epcis-2.0/EPCIS-JSON-Schema.json")
    doc = chain_document(nickel_chain(), CREATED)
    doc["epcisBody"]["eventList"][0]["action"] = "CREATE"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)


def test_reimport_gives_identical_events_lots_and_hashes() -> None:
    chain = _full_chain()
    doc = chain_document(chain, CREATED)
    again = chain_from_document(copy.deepcopy(doc))
    assert again.events == chain.events
    assert again.lots == chain.lots
    assert chain_document(again, CREATED) == doc


def test_the_hash_ignores_serialisation_but_not_content() -> None:
    chain = nickel_chain()
    event = chain.events[4]  # REF-1
    body = event_to_epcis(event, [chain.lots["NS-1"], chain.lots["NS-2"]])
    reordered = dict(reversed(list(body.items())))
    assert event_hash(reordered) == body["eventID"]
    changed = {**body, "sinergi:lossesT": 1.0}
    assert event_hash(changed) != body["eventID"]


def test_a_tampered_event_is_refused_on_import() -> None:
    doc = chain_document(nickel_chain(), CREATED)
    doc["epcisBody"]["eventList"][2]["sinergi:lossesT"] = 1000.0
    with pytest.raises(CustodyError, match=r"eventList item 3: .*does not match"):
        chain_from_document(doc)


def test_an_import_that_breaks_the_mass_balance_names_the_event() -> None:
    chain = nickel_chain()
    doc = chain_document(chain, CREATED)
    body = doc["epcisBody"]["eventList"][2]
    body["sinergi:lossesT"] = 1000.0
    body["eventID"] = event_hash(body)
    with pytest.raises(CustodyError, match=r"eventList item 3: event HPAL-1 .*does not balance"):
        chain_from_document(doc)
