"""Saving and loading: the database gives back exactly the ecosystem that was saved."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinergi.errors import NodeConflictError, StoreIntegrityError
from sinergi.examples import tiny_park
from sinergi.model import (
    CommunityProgramme,
    Company,
    CompanySize,
    DataQuality,
    Ecosystem,
    ExternalKind,
    ExternalNode,
    Facility,
    Flow,
    Grievances,
    Investment,
    LandUse,
    Ownership,
    Park,
    ParkServices,
    Period,
    Pillar,
    PowerSource,
    Process,
    Procurement,
    Region,
    Safety,
    Smelter,
    SmelterRoute,
    Training,
    Workforce,
    default_catalogue,
)
from sinergi.store import Store

# -- a Hypothesis strategy for small but complete ecosystems ------------------------------
# Control characters (NUL among them) are refused before any database sees them
# (sinergi.model.text), so that SQLite and PostgreSQL store the same things.
TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=10)
FLOATS = st.floats(allow_nan=False, allow_infinity=False)
INTS = st.integers(min_value=-(2**62), max_value=2**62)
COUNTS = st.none() | st.integers(min_value=0, max_value=10**9)
AMOUNTS = st.none() | FLOATS
FLAGS = st.none() | st.booleans()
PERIODS = st.sampled_from([Period(2023), Period(2024), Period(2024, 3), Period(2024, 12)])
COMMODITIES = st.sampled_from(default_catalogue().ids())


def _optional(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


@st.composite
def parks(draw: st.DrawFn, park_id: str, region_id: str) -> Park:
    return Park(
        park_id,
        draw(TEXT),
        region_id,
        draw(_optional(TEXT)),
        draw(_optional(FLOATS)),
        draw(_optional(FLOATS)),
        draw(st.booleans()),
        draw(_optional(FLOATS)),
        draw(_optional(TEXT)),
        draw(_optional(INTS)),
        tuple(draw(st.lists(TEXT, max_size=3))),
        draw(st.dictionaries(st.sampled_from(list(LandUse)), FLOATS, max_size=3)),
        tuple(draw(st.lists(TEXT, max_size=2))),
        draw(st.booleans()),
        draw(_optional(TEXT)),
    )


@st.composite
def companies(draw: st.DrawFn, company_id: str, park_id: str) -> Company:
    smelter = draw(
        _optional(
            st.builds(
                Smelter,
                st.sampled_from(list(SmelterRoute)),
                _optional(FLOATS),
                TEXT,
                st.sampled_from(list(PowerSource)),
                _optional(TEXT),
            )
        )
    )
    return Company(
        company_id,
        park_id,
        draw(TEXT),
        tuple(draw(st.lists(st.from_regex(r"\d{5}", fullmatch=True), max_size=3))),
        draw(_optional(st.sampled_from(list(CompanySize)))),
        draw(_optional(st.sampled_from(list(Ownership)))),
        smelter,
        draw(st.booleans()),
    )


def _records(draw: st.DrawFn, eco: Ecosystem) -> None:
    for company_id in eco.companies:
        for period in draw(st.sets(PERIODS, max_size=2)):
            eco.workforce.append(Workforce(company_id, period, *draw(st.tuples(*[COUNTS] * 4))))
            eco.safety.append(Safety(company_id, period, draw(COUNTS), draw(COUNTS), draw(AMOUNTS)))
            eco.training.append(Training(company_id, period, draw(AMOUNTS), draw(COUNTS)))
            amounts = draw(st.tuples(*[AMOUNTS] * 3))
            eco.procurement.append(Procurement(company_id, period, *amounts))
            eco.investment.append(Investment(company_id, period, draw(AMOUNTS)))
    for park_id in eco.parks:
        for period in draw(st.sets(PERIODS, max_size=2)):
            eco.grievances.append(Grievances(park_id, period, draw(COUNTS), draw(COUNTS)))
            eco.park_services.append(ParkServices(park_id, period, *draw(st.tuples(*[FLAGS] * 6))))
            for name in draw(st.sets(TEXT, max_size=2)):
                eco.community_programmes.append(
                    CommunityProgramme(
                        park_id,
                        period,
                        name,
                        draw(st.sampled_from(list(Pillar))),
                        draw(st.sampled_from([None, *eco.companies])),
                        draw(AMOUNTS),
                        draw(COUNTS),
                    )
                )


@st.composite
def ecosystems(draw: st.DrawFn) -> Ecosystem:
    eco = Ecosystem()
    regions = [
        Region(f"r{i}", draw(TEXT), draw(_optional(TEXT))) for i in range(draw(st.integers(1, 2)))
    ]
    eco.add(*regions)
    eco.add(
        *[
            ExternalNode(
                f"x{i}",
                draw(st.sampled_from(list(ExternalKind))),
                draw(TEXT),
                draw(st.sampled_from([None, "r0"])),
            )
            for i in range(2)
        ]
    )
    for p in range(draw(st.integers(1, 2))):
        eco.add(draw(parks(f"p{p}", draw(st.sampled_from([r.id for r in regions])))))
        for c in range(draw(st.integers(0, 2))):
            company = draw(companies(f"p{p}.c{c}", f"p{p}"))
            eco.add(company, Facility(f"{company.id}.f", company.id, draw(TEXT)))
            if draw(st.booleans()):
                eco.add(
                    Process(
                        f"{company.id}.f.p", f"{company.id}.f", draw(TEXT), draw(_optional(TEXT))
                    )
                )
    node_ids = sorted([*eco.companies, *eco.processes, *eco.externals])
    keys = draw(
        st.sets(
            st.tuples(PERIODS, st.sampled_from(node_ids), st.sampled_from(node_ids), COMMODITIES),
            max_size=8,
        )
    )
    eco.flows = [
        Flow(
            period,
            source,
            target,
            commodity,
            draw(AMOUNTS),
            draw(st.sampled_from(list(DataQuality))),
            draw(_optional(TEXT)),
        )
        for period, source, target, commodity in sorted(keys, key=str)
        if eco.flow_park(Flow(period, source, target, commodity, None)) is not None
    ]
    _records(draw, eco)
    return eco


# -- tests ---------------------------------------------------------------------------------
def test_tiny_park_round_trips(store: Store) -> None:
    store.save(tiny_park())
    assert store.load() == tiny_park()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(eco=ecosystems())
def test_generated_ecosystem_round_trips(store_factory, eco: Ecosystem) -> None:
    store = store_factory()
    store.save(eco)
    loaded = store.load()
    assert loaded == eco
    store.close()


def test_none_stays_none_and_floats_stay_exact(store: Store) -> None:
    eco = tiny_park()
    eco.flows[0].quantity = 0.1 + 0.2
    eco.flows[1].quantity = 1e-300
    store.save(eco)
    quantities = [f.quantity for f in store.load().flows]
    assert quantities[0] == 0.1 + 0.2
    assert quantities[1] == 1e-300
    assert quantities[-1] is None


def test_saving_a_park_again_replaces_it_wholly(store: Store) -> None:
    store.save(tiny_park())
    smaller = tiny_park()
    del smaller.processes["demo-bricks.press"]
    del smaller.facilities["demo-bricks.yard"]
    del smaller.companies["demo-bricks"]
    smaller.flows = [f for f in smaller.flows if "bricks" not in f.source + f.target]
    smaller.workforce = [w for w in smaller.workforce if w.company_id != "demo-bricks"]
    store.save(smaller)
    assert store.load() == smaller
    assert "demo-bricks" not in store.node_ids()


def test_load_selects_parks(store: Store) -> None:
    other = tiny_park()
    other.parks = {"other": replace(other.parks["demo-park"], id="other", name="Other")}
    for name in ("companies", "facilities", "processes"):
        setattr(other, name, {})
    other.flows, other.workforce, other.safety = [], [], []
    other.park_services = [ParkServices("other", Period(2024), shared_wwtp=True)]
    store.save(tiny_park())
    store.save(other)
    only_demo = store.load(["demo-park"])
    assert only_demo == tiny_park()
    assert set(store.load().parks) == {"demo-park", "other"}
    assert store.load([]).parks == {}


def test_node_ids_name_their_tables(store: Store) -> None:
    store.save(tiny_park())
    ids = store.node_ids()
    assert ids["demo-park"] == "parks"
    assert ids["demo-metal"] == "companies"
    assert ids["demo-metal.plant"] == "facilities"
    assert ids["demo-metal.furnace"] == "processes"
    assert ids["demo-region"] == "regions"
    assert ids["env.air"] == "externals"


def test_park_summaries_count_companies_flows_and_periods(store: Store) -> None:
    store.save(tiny_park("2024"))
    (summary,) = store.park_summaries()
    assert summary.id == "demo-park"
    assert summary.region_id == "demo-region"
    assert summary.region_name == "Demo province"
    assert summary.area_ha == 100.0
    assert (summary.companies, summary.flows) == (2, 9)
    assert summary.periods == (Period(2024),)


def test_a_company_id_used_in_another_park_is_refused(store: Store) -> None:
    store.save(tiny_park())
    other = Ecosystem()
    other.add(
        Region("demo-region", "Demo province"),
        Park("other", "Other", region_id="demo-region"),
        Company("demo-metal", "other", "Clash"),
    )
    before = store.fingerprint()
    with pytest.raises(NodeConflictError, match="demo-metal"):
        store.save(other)
    assert store.fingerprint() == before


def test_fingerprint_changes_with_content_only(store: Store) -> None:
    empty = store.fingerprint()
    assert store.fingerprint() == empty
    store.save(tiny_park())
    saved = store.fingerprint()
    assert saved != empty
    store.save(tiny_park())
    assert store.load() == tiny_park()
    eco = tiny_park()
    eco.flows[0].quantity = 1001.0
    store.save(eco)
    assert store.fingerprint() != saved


def _two_parks_with_a_crossing_flow() -> Ecosystem:
    eco = tiny_park()
    eco.add(
        Park("east", "East park", region_id="demo-region"),
        Company("east-glass", "east", "East Glass"),
    )
    eco.flows.append(Flow(Period(2024), "demo-metal.furnace", "east-glass", "nickel_slag", 5.0))
    return eco


def test_a_park_can_be_resaved_while_another_parks_flow_points_into_it(store: Store) -> None:
    eco = _two_parks_with_a_crossing_flow()
    store.save(eco)
    store.save(eco.subset(["east"]))  # deletes and rewrites east-glass inside one transaction
    assert store.load() == eco


def test_removing_a_node_another_park_still_uses_is_refused(store: Store) -> None:
    store.save(_two_parks_with_a_crossing_flow())
    before = store.fingerprint()
    east = Ecosystem()
    east.add(Region("demo-region", "Demo province"), Park("east", "East park", "demo-region"))
    with pytest.raises(StoreIntegrityError):
        store.save(east)
    assert store.fingerprint() == before


def test_flows_of_no_park_are_kept_by_key(store: Store) -> None:
    eco = tiny_park()
    eco.flows.append(Flow(Period(2024), "supplier", "market", "cement", 7.0))
    store.save(eco)
    assert store.load() == eco
    assert store.load("demo-park") == tiny_park()  # a bare id works too
    eco.flows[-1].quantity = 8.0
    store.save(eco)
    parkless = [f for f in store.load().flows if f.target == "market" and f.source == "supplier"]
    assert [f.quantity for f in parkless] == [8.0]
