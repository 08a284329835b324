"""Every indicator names where its data is entered, in tables and columns the template has."""

from __future__ import annotations

from dataclasses import fields

from sinergi.assess.engine import SERVICE_TEXT
from sinergi.assess.indicators import INDICATORS
from sinergi.assess.supply import SUPPLY, services_supply
from sinergi.io.columns import schema
from sinergi.model import ParkServices


def test_every_indicator_says_where_its_data_is_entered():
    assert set(SUPPLY) == set(INDICATORS)


def test_every_named_table_and_column_is_in_the_template():
    tables = {t.name: {c.field for c in t.columns} for t in schema().tables}
    supplies = [s for group in SUPPLY.values() for s in group]
    supplies += [services_supply(name) for name in SERVICE_TEXT]
    for supply in supplies:
        assert supply.table in tables, supply.table
        assert set(supply.columns) <= tables[supply.table], (supply.table, supply.columns)


def test_every_park_services_answer_has_words():
    answers = {f.name for f in fields(ParkServices)} - {"park_id", "period"}
    assert set(SERVICE_TEXT) == answers
