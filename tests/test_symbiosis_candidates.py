"""Candidate generation: hand-computed numbers, brute-force pairing, flags, problem building."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from sinergi.demo import demo_ecosystem
from sinergi.errors import LocationError
from sinergi.examples import tiny_park, tiny_symbiosis
from sinergi.model import (
    Company,
    DataQuality,
    Ecosystem,
    Flow,
    Park,
    Period,
    Region,
)
from sinergi.model.externals import default_externals
from sinergi.symbiosis.candidates import (
    Candidate,
    CandidateOptions,
    CandidateSet,
    Knowledge,
    generate_candidates,
    load_knowledge,
)
from sinergi.symbiosis.problem import ExchangeProblem
from sinergi.symbiosis.rules import Rule
from sinergi.units import Dimension

YEAR = Period(2024)
Q = DataQuality.SYNTHETIC

RULES = """
version: test
disposal_cost_idr_per_unit:
  landfill: {value: 100, source: test-source-s1, year: 2024}
  open_dump: {value: 0, source: test-source-s1, year: 2024}
  waste_handler: {value: 0, source: test-source-s1, year: 2024}
  discharge: {value: 0, source: test-source-s1, year: 2024}
  recycler: {value: 0, source: test-source-s1, year: 2024}
  recovery: {value: 0, source: test-source-s1, year: 2024}
rules:
  - id: slag-agg
    name: Slag to aggregate
    supply: nickel_slag
    replaces: aggregate
    receiver_kbli: ["2395"]
    basis: test rule
    source: test-source-s1
    year: 2024
    ratio: {value: 0.8, source: test-source-s1, year: 2024}
    max_share: {value: 0.5, source: test-source-s1, year: 2024}
    pretreatment:
      description: screening
      cost_idr_per_unit: {value: 20, source: test-source-s1, year: 2024}
      co2e_t_per_unit: {value: 0.01, source: test-source-s1, year: 2024}
    avoided:
      price_idr_per_unit: {value: 300, source: test-source-s1, year: 2024}
      co2e_t_per_unit: {value: 0.05, source: test-source-s1, year: 2024}
    max_distance_km: {value: 100, source: test-source-s1, year: 2024}
    modes: [truck]
"""

TRANSPORT = """
version: test
modes:
  truck:
    name: Truck
    carries: [mass, volume]
    cost_idr_per_unit_km: {value: 2, source: test-source-s1, year: 2024}
    handling_idr_per_unit: {value: 5, source: test-source-s1, year: 2024}
    co2e_t_per_unit_km: {value: 0.0001, source: test-source-s1, year: 2024}
    fixed_cost_idr_per_year: {value: 0, source: test-source-s1, year: 2024}
    max_distance_km: {value: 500, source: test-source-s1, year: 2024}
geography:
  bbox:
    lat_min: {value: -11.2, illustrative: true}
    lat_max: {value: 6.3, illustrative: true}
    lon_min: {value: 94.7, illustrative: true}
    lon_max: {value: 141.2, illustrative: true}
  detour_factor: {value: 1.25, source: test-source-s1, year: 2024}
"""


def _knowledge(tmp_path: Path, rules: str = RULES) -> Knowledge:
    (tmp_path / "rules.yaml").write_text(rules, encoding="utf-8")
    (tmp_path / "transport.yaml").write_text(TRANSPORT, encoding="utf-8")
    return load_knowledge(tmp_path / "rules.yaml", tmp_path / "transport.yaml")


def _two_parks() -> Ecosystem:
    eco = Ecosystem()
    eco.add(Region("r", "Region"), *default_externals())
    eco.add(
        Park("a", "Park A", "r", latitude=-2.80, longitude=122.10, synthetic=True),
        Park("b", "Park B", "r", latitude=-2.90, longitude=122.30, synthetic=True),
        Company("smelter", "a", "Smelter", ("24101",), synthetic=True),
        Company("blocks", "b", "Blocks", ("23953",), synthetic=True),
    )
    eco.flows += [
        Flow(YEAR, "smelter", "landfill", "nickel_slag", 1000.0, Q),
        Flow(YEAR, "supplier", "blocks", "aggregate", 600.0, Q),
    ]
    return eco


def _arccos_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance by the spherical law of cosines (independent of haversine)."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    cos = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0088 * math.acos(min(1.0, cos))


# -- a hand-computed candidate --------------------------------------------------------------


def test_hand_computed_candidate_has_distance_benefit_co2e_and_landfill(tmp_path: Path) -> None:
    cs = generate_candidates(_two_parks(), YEAR, _knowledge(tmp_path))
    assert len(cs) == 1
    c = cs.candidate(0)
    road = 1.25 * _arccos_km(-2.80, 122.10, -2.90, 122.30)
    value = 0.8 * 300 + 100 - 20 - (5 + 2 * road)
    co2e = 0.8 * 0.05 - 0.01 - 0.0001 * road
    flow = min(1000.0, 600.0 * 0.5 / 0.8)  # the blend limit binds: 375 t of slag
    assert (c.supplier, c.receiver, c.rule_id, c.mode) == ("smelter", "blocks", "slag-agg", "truck")
    assert c.distance_km == pytest.approx(road, rel=1e-9)
    assert c.value_per_unit == pytest.approx(value, rel=1e-9)
    assert c.co2e_per_unit == pytest.approx(co2e, rel=1e-9)
    assert c.max_flow == pytest.approx(375.0)
    assert c.total_value == pytest.approx(value * flow)
    assert c.total_co2e == pytest.approx(co2e * flow)
    assert c.landfill_diverted == pytest.approx(flow)
    assert not c.inferred
    assert not c.illustrative  # every number in these test files is sourced
    assert c.rule_provenance.source == "test-source-s1"
    assert "slag-agg" in c.explain()


def test_one_illustrative_number_flags_the_candidate(tmp_path: Path) -> None:
    rules = RULES.replace(
        "ratio: {value: 0.8, source: test-source-s1, year: 2024}",
        "ratio: {value: 0.8, illustrative: true}",
    )
    cs = generate_candidates(_two_parks(), YEAR, _knowledge(tmp_path, rules))
    assert cs.candidate(0).illustrative


def test_problem_carries_the_blend_limit_as_a_group(tmp_path: Path) -> None:
    cs = generate_candidates(_two_parks(), YEAR, _knowledge(tmp_path))
    problem = cs.problem()
    assert isinstance(problem, ExchangeProblem)
    assert problem.supply_ids == ["smelter:nickel_slag@landfill"]
    assert problem.demand_ids == ["blocks:aggregate"]
    assert problem.supply_amount.tolist() == [1000.0]
    assert problem.demand_amount.tolist() == [600.0]
    assert problem.arc_ratio.tolist() == [0.8]
    assert problem.arc_landfill.tolist() == [1.0]
    (group,) = problem.groups
    assert group.arcs.tolist() == [0]
    assert group.limit == pytest.approx(0.5 * 600.0 / 0.8)


def test_solved_flows_map_back_to_candidates_with_totals(tmp_path: Path) -> None:
    cs = generate_candidates(_two_parks(), YEAR, _knowledge(tmp_path))
    (exchange,) = cs.exchanges(np.array([200.0]))
    c = cs.candidate(int(cs.problem_arcs()[0]))
    assert exchange.candidate == c
    assert exchange.value == pytest.approx(c.value_per_unit * 200.0)
    assert exchange.co2e == pytest.approx(c.co2e_per_unit * 200.0)
    assert exchange.landfill_diverted == pytest.approx(200.0)
    assert cs.exchanges(np.array([0.0])) == []


def test_receiver_beyond_the_rule_distance_gets_no_candidate(tmp_path: Path) -> None:
    eco = _two_parks()
    eco.parks["b"].latitude = -3.80  # about 140 km of road from park A
    cs = generate_candidates(eco, YEAR, _knowledge(tmp_path))
    assert len(cs) == 0
    assert cs.stats.naive_pairs == 1
    assert cs.stats.pairs_examined == 0


# -- spatial pairing equals brute force -------------------------------------------------------

ARCHETYPES = (
    # (KBLI, outputs (commodity, target node), inputs)
    ("24101", [("nickel_slag", "landfill"), ("waste_heat", "env.air")], ["electricity_coal"]),
    ("35101", [("fly_ash", "landfill"), ("bottom_ash", "open_dump")], ["coal"]),
    ("23953", [], ["aggregate", "cement"]),
    ("23941", [("general_waste", "landfill")], ["cement_raw_materials", "coal"]),
    ("42101", [], ["aggregate"]),
    (
        "10790",
        [("wastewater_treated", "env.water"), ("organic_waste", "landfill")],
        ["water_municipal", "electricity"],
    ),
    ("22220", [("plastic_waste", "landfill")], ["plastic_resin", "water_municipal"]),
)


def _random_ecosystem(seed: int, companies: int = 160, parks: int = 14) -> Ecosystem:
    rng = np.random.default_rng(seed)
    eco = Ecosystem()
    eco.add(Region("r", "Region"), *default_externals())
    for p in range(parks):
        eco.add(
            Park(
                f"p{p:02d}",
                f"Park {p}",
                "r",
                latitude=float(rng.uniform(-4.0, -1.0)),
                longitude=float(rng.uniform(119.0, 123.0)),
                area_ha=float(rng.uniform(50, 900)),
                synthetic=True,
            )
        )
    for i in range(companies):
        kbli, outputs, inputs = ARCHETYPES[int(rng.integers(len(ARCHETYPES)))]
        cid = f"c{i:03d}"
        eco.add(Company(cid, f"p{int(rng.integers(parks)):02d}", cid, (kbli,), synthetic=True))
        if rng.random() < 0.1:
            continue  # reports nothing: its sites are inferred from the KBLI profile
        for commodity, target in outputs:
            eco.flows.append(Flow(YEAR, cid, target, commodity, float(rng.uniform(10, 500)), Q))
        for commodity in inputs:
            quantity = None if rng.random() < 0.1 else float(rng.uniform(10, 500))
            eco.flows.append(Flow(YEAR, "supplier", cid, commodity, quantity, Q))
    return eco


def _carried(k: Knowledge, rule: Rule, km: float, flow: float | None, dimension: str) -> bool:
    """Whether some mode of the rule can carry ``flow`` (a year of it) over ``km``."""
    for m in rule.modes:
        mode = k.transport.modes[m]
        if dimension not in mode.carries or km > mode.max_distance_km.value:
            continue
        daily = mode.daily_limit.get(Dimension(dimension))
        if flow is None or daily is None or flow <= daily.value * 366:
            return True
    return False


def _brute_force_pairs(eco: Ecosystem, cs: CandidateSet, k: Knowledge) -> set[tuple[str, ...]]:
    """Every (supply, demand, rule) pair a mode can serve, by comparing all pairs directly."""
    out = set()
    detour = k.transport.detour.value
    for rule in k.rules.rules:
        reach = rule.max_distance_km.value
        dimension = eco.catalogue.get(rule.supply).dimension
        share = 1.0 if rule.max_share is None else rule.max_share.value
        for s in cs.supplies:
            if s.commodity != rule.supply:
                continue
            for d in cs.demands:
                if d.commodity != rule.replaces or d.company == s.company:
                    continue
                if not rule.accepts(d.kbli):
                    continue
                a, b = eco.parks[s.park], eco.parks[d.park]
                if s.park == d.park:
                    side = math.sqrt((a.area_ha or 0.0) / 100.0)
                    straight = side * (2 + math.sqrt(2) + 5 * math.log(1 + math.sqrt(2))) / 15
                else:
                    straight = _arccos_km(
                        a.latitude,
                        a.longitude,  # type: ignore[arg-type]
                        b.latitude,
                        b.longitude,
                    )  # type: ignore[arg-type]
                room = None if d.amount is None else d.amount * share / rule.ratio.value
                flow = None if s.amount is None or room is None else min(s.amount, room)
                km = straight * detour
                if km <= reach and _carried(k, rule, km, flow, dimension):
                    out.add((s.id, d.id, rule.id))
    return out


@pytest.mark.parametrize("seed", [3, 11])
def test_spatial_pairing_equals_brute_force_all_pairs(seed: int) -> None:
    eco = _random_ecosystem(seed)
    k = load_knowledge()
    every = CandidateOptions(per_supply_limit=None, keep_emission_increases=True)
    cs = generate_candidates(eco, YEAR, k, every)
    found = {(c.supply_id, c.demand_id, c.rule_id) for c in cs}
    assert len(found) == len(cs)  # no pair twice
    expected = _brute_force_pairs(eco, cs, k)
    assert len(expected) > 50
    assert found == expected
    assert cs.stats.pairs_examined < cs.stats.naive_pairs


def test_no_supply_is_paired_under_a_rule_it_does_not_match() -> None:
    cs = generate_candidates(demo_ecosystem(), YEAR)
    rules = {r.id: r for r in cs.rules}
    assert len(cs) > 0
    for c in cs:
        rule = rules[c.rule_id]
        supply = next(s for s in cs.supplies if s.id == c.supply_id)
        demand = next(d for d in cs.demands if d.id == c.demand_id)
        assert supply.commodity == rule.supply == c.supply_commodity
        assert demand.commodity == rule.replaces == c.replaced_commodity
        assert rule.accepts(demand.kbli)
        assert supply.company != demand.company


def test_same_input_gives_the_same_candidates_in_the_same_order() -> None:
    first = generate_candidates(_random_ecosystem(5), YEAR)
    second = generate_candidates(_random_ecosystem(5), YEAR)
    assert [c.supply_id for c in first] == [c.supply_id for c in second]
    for name, column in first.arc_columns().items():
        np.testing.assert_array_equal(column, second.arc_columns()[name], err_msg=name)


def test_per_supply_limit_keeps_each_supplys_best_candidates() -> None:
    eco = _random_ecosystem(7)
    every = generate_candidates(eco, YEAR)
    best = generate_candidates(eco, YEAR, options=CandidateOptions(per_supply_limit=2))
    assert 0 < len(best) < len(every)

    def rank(c: Candidate) -> tuple[bool, float]:
        return (c.max_flow is None, -c.value_per_unit)  # quantified first, then value

    by_supply: dict[str, list[tuple[bool, float]]] = {}
    for c in every:
        by_supply.setdefault(c.supply_id, []).append(rank(c))
    kept: dict[str, list[tuple[bool, float]]] = {}
    for c in best:
        kept.setdefault(c.supply_id, []).append(rank(c))
    assert kept.keys() == by_supply.keys()
    assert any(flag for ranks in by_supply.values() for flag, _ in ranks)  # some unquantified
    for supply, ranks in kept.items():
        assert len(ranks) <= 2
        assert sorted(ranks) == sorted(by_supply[supply])[: len(ranks)]
    assert best.stats.pairs_examined == every.stats.pairs_examined


# -- inferred sites, unknown amounts, bad coordinates ------------------------------------------


def test_company_without_flows_gets_inferred_flagged_candidates() -> None:
    cs = generate_candidates(tiny_symbiosis(), YEAR)
    inferred = [c for c in cs if c.receiver == "demo-roads"]
    assert inferred
    for c in inferred:
        assert c.inferred
        assert c.demand_amount is None
        assert c.total_value is None
        assert c.max_flow is None
    assert all(not c.inferred for c in cs if c.receiver != "demo-roads")
    assert cs.stats.inferred_demands == 2  # aggregate and cement from KBLI 42


def test_inferred_and_unmeasured_sites_stay_out_of_the_problem() -> None:
    cs = generate_candidates(tiny_symbiosis(), YEAR)
    problem = cs.problem()
    assert not any(d.startswith("demo-roads") for d in problem.demand_ids)
    kept = {cs.candidate(int(i)).demand_id for i in cs.problem_arcs()}
    assert "demo-roads:aggregate" not in kept
    assert problem.n_arcs == sum(1 for c in cs if c.max_flow is not None)


def test_inference_can_be_switched_off() -> None:
    cs = generate_candidates(tiny_symbiosis(), YEAR, options=CandidateOptions(infer=False))
    assert cs.stats.inferred_demands == 0
    assert all(not c.inferred for c in cs)


def test_unknown_quantity_is_counted_never_read_as_zero() -> None:
    eco = tiny_park()
    p = Period(2024)
    eco.flows.append(Flow(p, "demo-metal.furnace", "landfill", "nickel_slag", None, Q))
    cs = generate_candidates(eco, p)
    (slag,) = [s for s in cs.supplies if s.commodity == "nickel_slag"]
    assert slag.amount == 200.0  # the known part, a lower bound
    assert slag.unknown_flows == 1
    water = next(d for d in cs.demands if d.commodity == "water_municipal")
    assert water.amount is None


@pytest.mark.parametrize(
    ("field", "lat", "lon"),
    [("latitude", 12.0, 122.3), ("longitude", -2.9, 150.0), ("latitude", 122.3, -2.9)],
)
def test_coordinates_outside_indonesia_name_the_park_and_field(
    field: str, lat: float, lon: float
) -> None:
    eco = tiny_symbiosis()
    eco.parks["demo-cement-park"].latitude = lat
    eco.parks["demo-cement-park"].longitude = lon
    with pytest.raises(LocationError, match=rf"park 'demo-cement-park', field {field}: .*outside"):
        generate_candidates(eco, YEAR)


def test_park_without_coordinates_pairs_only_inside_itself() -> None:
    eco = _random_ecosystem(3)
    for park in eco.parks.values():
        park.latitude = park.longitude = None
    cs = generate_candidates(eco, YEAR)
    assert len(cs.stats.parks_without_coordinates) == len(eco.parks)
    assert all(c.supplier_park == c.receiver_park for c in cs)


def test_per_supply_limit_matches_supplies_to_receivers_of_their_size(tmp_path: Path) -> None:
    eco = Ecosystem()
    eco.add(Region("r", "Region"), *default_externals())
    eco.add(Park("a", "Park A", "r", latitude=-2.8, longitude=122.1, synthetic=True))
    for cid, kbli in [
        ("small-smelter", "24101"),
        ("big-smelter", "24101"),
        ("small-blocks", "23953"),
        ("big-blocks", "23953"),
    ]:
        eco.add(Company(cid, "a", cid, (kbli,), synthetic=True))
    eco.flows += [
        Flow(YEAR, "small-smelter", "landfill", "nickel_slag", 10.0, Q),
        Flow(YEAR, "big-smelter", "landfill", "nickel_slag", 1000.0, Q),
        # room = demand x max_share 0.5 / ratio 0.8: 10 t and 1000 t of slag
        Flow(YEAR, "supplier", "small-blocks", "aggregate", 16.0, Q),
        Flow(YEAR, "supplier", "big-blocks", "aggregate", 1600.0, Q),
    ]
    options = CandidateOptions(per_supply_limit=1)
    cs = generate_candidates(eco, YEAR, _knowledge(tmp_path), options)
    assert {(c.supplier, c.receiver) for c in cs} == {
        ("small-smelter", "small-blocks"),
        ("big-smelter", "big-blocks"),
    }
