"""Deleting parks: all their data goes in one transaction, or nothing does."""

from __future__ import annotations

import re

import pytest

from sinergi.errors import NotFound, StoreIntegrityError
from sinergi.examples import tiny_park
from sinergi.intake import import_file, initialise
from sinergi.io import write_file
from sinergi.model import Company, Facility, Flow, Park, Period, Process


def _other_park_using_slag(eco):
    eco.add(
        Park("other", "Other park", "demo-region", synthetic=True),
        Company("other.co", "other", "Other Co", synthetic=True),
        Facility("other.f", "other.co", "plant"),
        Process("other.p", "other.f", "kiln"),
    )
    eco.flows.append(Flow(Period(2024), "other.p", "demo-bricks.press", "fly_ash", 5.0))
    return eco


def test_delete_removes_the_park_and_allows_reimport(store, tmp_path):
    initialise(store)
    path = tmp_path / "park.yaml"
    write_file(tiny_park(), path)
    import_file(store, path)
    store.delete_parks(["demo-park"])
    assert store.load().parks == {}
    assert store.imports() == []
    again = import_file(store, path)
    assert str(again.result.status) == "new"
    assert set(store.load().parks) == {"demo-park"}


def test_unknown_park_deletes_nothing(store):
    initialise(store)
    store.save(tiny_park())
    before = store.fingerprint()
    with pytest.raises(NotFound, match="'ghost'"):
        store.delete_parks(["demo-park", "ghost"])
    assert store.fingerprint() == before


def test_flows_of_another_park_into_it_block_the_delete(store):
    initialise(store)
    store.save(_other_park_using_slag(tiny_park()))
    before = store.fingerprint()
    with pytest.raises(StoreIntegrityError, match=re.escape("other.p → demo-bricks.press")):
        store.delete_parks(["demo-park"])
    assert store.fingerprint() == before
    store.delete_parks(["demo-park", "other"])
    assert store.load().parks == {}
