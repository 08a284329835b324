"""The national synthesiser: reproducible, consistent, fully synthetic, right-sized."""

from __future__ import annotations

import doctest
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sinergi.demo.synth
from sinergi.demo import SynthesisError, load_parks, synthesise
from sinergi.errors import SinergiError
from sinergi.model import DataQuality
from sinergi.model.checks import check


@pytest.fixture(scope="module")
def small():
    return synthesise(companies=300, parks=5, seed=11)


def test_small_national_ecosystem_passes_strict_checks(small):
    assert check(small, strict=True) == []


def test_counts_match_the_request(small):
    assert len(small.companies) == 300
    assert len(small.parks) == 5
    assert len(small.facilities) == len(small.processes) == 300
    assert len(small.workforce) == 300
    assert sorted(small.parks) == [f"synth-park-{i:03d}" for i in range(1, 6)]


def test_same_seed_gives_identical_ecosystem(small):
    assert synthesise(companies=300, parks=5, seed=11) == small


def test_different_seed_gives_a_different_ecosystem(small):
    other = synthesise(companies=300, parks=5, seed=12)
    assert other != small
    assert [f.quantity for f in other.flows[:50]] != [f.quantity for f in small.flows[:50]]


def test_everything_is_flagged_synthetic(small):
    assert all(p.synthetic for p in small.parks.values())
    assert all(c.synthetic for c in small.companies.values())
    assert {f.quality for f in small.flows} == {DataQuality.SYNTHETIC}


def test_each_company_has_eight_to_twelve_flows(small):
    per_process = Counter()
    for f in small.flows:
        for end in (f.source, f.target):
            if end in small.processes:
                per_process[end] += 1
    assert set(per_process) == set(small.processes)
    assert all(8 <= n <= 12 for n in per_process.values())


def test_parks_lie_in_regions_with_a_grid_and_draw_from_it(small):
    grids = {r.id: r.grid for r in load_parks().regions}
    for f in small.flows:
        if f.commodity == "electricity":
            park = small.parks[small.park_of(f.target) or ""]
            assert f.source == grids[park.region_id]


def test_park_sizes_are_skewed_but_every_park_has_a_tenant():
    eco = synthesise(companies=2000, parks=40, seed=3)
    sizes = Counter(c.park_id for c in eco.companies.values())
    assert len(sizes) == 40
    assert min(sizes.values()) >= 1
    assert max(sizes.values()) > 2 * (2000 / 40)


def test_workforce_splits_add_up(small):
    for w in small.workforce:
        assert w.female is not None
        assert w.male is not None
        assert w.local is not None
        assert w.non_local is not None
        assert w.female + w.male == w.local + w.non_local >= 1


@settings(max_examples=20, deadline=None)
@given(companies=st.integers(0, 120), parks=st.integers(1, 8), seed=st.integers(0, 2**32 - 1))
def test_any_request_gives_exact_counts_and_unique_ids(companies, parks, seed):
    eco = synthesise(companies=companies, parks=parks, seed=seed)
    assert len(eco.companies) == companies
    assert len(eco.parks) == parks
    assert {c.park_id for c in eco.companies.values()} <= set(eco.parks)
    assert len({f.key for f in eco.flows}) == len(eco.flows)


@pytest.mark.parametrize(("companies", "parks"), [(10, 0), (-1, 3)])
def test_impossible_requests_are_refused(companies, parks):
    with pytest.raises(SynthesisError, match="at least one park"):
        synthesise(companies=companies, parks=parks, seed=1)
    assert issubclass(SynthesisError, SinergiError)


def test_module_docstring_example_runs():
    result = doctest.testmod(sinergi.demo.synth)
    assert result.attempted > 0
    assert result.failed == 0
