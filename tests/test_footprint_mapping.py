"""Ids ↔ matrix indices, both ways, vectorised."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.errors import DuplicateId, UnknownMatrixId
from sinergi.footprint import IdMapping


def test_string_ids_map_to_positions_and_back():
    mapping = IdMapping(["smelter", "mine", "grid"], what="process")
    assert mapping.index(["grid", "mine", "smelter"]).tolist() == [2, 1, 0]
    assert mapping.id([0, 2]).tolist() == ["smelter", "grid"]
    assert "mine" in mapping
    assert "port" not in mapping
    assert len(mapping) == 3


def test_unknown_and_duplicate_ids_are_refused():
    mapping = IdMapping([10, 20, 30], what="flow")
    with pytest.raises(UnknownMatrixId, match=r"unknown flow id\(s\) \[25\]"):
        mapping.index([20, 25])
    with pytest.raises(UnknownMatrixId, match="outside"):
        mapping.id([3])
    with pytest.raises(DuplicateId, match="'a'"):
        IdMapping(["a", "b", "a"])


@given(
    st.lists(st.text(min_size=1, max_size=8), unique=True, min_size=1, max_size=50),
    st.randoms(use_true_random=False),
)
def test_round_trip_of_any_unique_ids(ids, rnd):
    mapping = IdMapping(ids)
    query = list(ids)
    rnd.shuffle(query)
    idx = mapping.index(query)
    assert mapping.id(idx).tolist() == query
    assert np.array_equal(mapping.index(ids), np.arange(len(ids)))
