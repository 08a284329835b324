"""Issue 12, symbiosis: results a facilitator can trust, each case as the issue reports it.

Every test reproduces a reported defect (totals across units, water trucked by the tanker-load,
mutual exchanges, caps that add up past their limit, explanations of the maximum instead of
the flow, zeros reported as results) and checks the behaviour that replaces it.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linprog

from sinergi.demo import demo_ecosystem
from sinergi.model import Company, DataQuality, Ecosystem, Flow, Park, Period, Region
from sinergi.model.externals import default_externals
from sinergi.symbiosis.candidates import CandidateOptions, generate_candidates
from sinergi.symbiosis.formulation import Objective
from sinergi.symbiosis.optimise import SolverSettings, optimise
from sinergi.symbiosis.problem import ExchangeProblem
from sinergi.symbiosis.recommend import recommend
from sinergi.symbiosis.solution import ExchangeTotals, verify

YEAR = Period(2024)
Q = DataQuality.SYNTHETIC
EXACT = SolverSettings(mip_rel_gap=0.0)
EVERY = CandidateOptions(keep_emission_increases=True)


def one_park(area_ha: float = 300.0) -> Ecosystem:
    """An empty synthetic park; callers add tenants and flows."""
    eco = Ecosystem()
    eco.add(Region("r", "Region"), *default_externals())
    eco.add(Park("p", "Park", "r", latitude=-6.36, longitude=107.27, area_ha=area_ha))
    return eco


def food_plant(eco: Ecosystem, cid: str, effluent: float, water: float) -> None:
    """A food plant discharging treated effluent and buying piped water (the KIIC tenants)."""
    eco.add(Company(cid, "p", cid, ("10790",), synthetic=True))
    eco.flows += [
        Flow(YEAR, cid, "env.water", "wastewater_treated", effluent, Q),
        Flow(YEAR, "supplier", cid, "water_municipal", water, Q),
    ]


# -- 1. totals per unit, never across units ----------------------------------------------------


def test_totals_are_kept_per_unit_and_never_added_across_units() -> None:
    eco = demo_ecosystem(seed=1).subset(["iwip", "kim"])
    d = recommend(eco, YEAR).to_dict()
    totals = d["totals"]
    assert "amount_exchanged" not in totals
    assert set(totals["amount_by_unit"]) == {"t", "m3"}
    for unit, amount in totals["amount_by_unit"].items():
        rows = [r["amount"] for r in d["recommendations"] if r["unit"] == unit]
        assert amount == pytest.approx(sum(rows))


def test_exchange_totals_hold_one_amount_per_unit() -> None:
    problem = ExchangeProblem(
        supply_ids=["slag", "water"],
        demand_ids=["cement", "process water"],
        supply_amount=np.array([10.0, 500.0]),
        demand_amount=np.array([10.0, 500.0]),
        arc_supply=np.array([0, 1]),
        arc_demand=np.array([0, 1]),
        arc_ratio=np.ones(2),
        arc_capacity=np.full(2, np.inf),
        arc_value=np.ones(2),
        arc_co2e=np.ones(2),
        arc_landfill=np.array([1.0, 0.0]),
        arc_fixed_cost=np.zeros(2),
        arc_min_amount=np.zeros(2),
        supply_units=["t", "m3"],
    )
    totals = optimise(problem).totals
    assert isinstance(totals, ExchangeTotals)
    assert totals.amount_by_unit == {"m3": 500.0, "t": 10.0}
    assert totals.landfill_diverted == 10.0


# -- 2. no exchange that makes things worse without saying so ---------------------------------


def kiic_like() -> Ecosystem:
    """Three food plants that each discharge effluent and buy water, as at KIIC."""
    eco = one_park()
    food_plant(eco, "food-01", 99_773.0, 300_980.0)
    food_plant(eco, "food-04", 91_293.0, 127_715.0)
    food_plant(eco, "food-05", 235_593.0, 108_645.0)
    return eco


def test_two_companies_never_send_one_commodity_to_each_other() -> None:
    rows = recommend(kiic_like(), YEAR, options=EVERY).to_dict()["recommendations"]
    assert rows
    directions = {(r["supplier"], r["receiver"], r["commodity"]) for r in rows}
    for supplier, receiver, commodity in directions:
        assert (receiver, supplier, commodity) not in directions


def _exclusive_problem(seed: int) -> ExchangeProblem:
    """Two to four companies sending one stream both ways, and outside arcs, no fixed costs."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 5))
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    arcs = np.array(pairs, dtype=np.int64)
    exclusive = [
        (a, b)
        for a, b in itertools.combinations(range(len(pairs)), 2)
        if pairs[a] == pairs[b][::-1]
    ]
    return ExchangeProblem(
        supply_ids=[f"s{i}" for i in range(n)],
        demand_ids=[f"d{i}" for i in range(n)],
        supply_amount=rng.uniform(10, 100, n),
        demand_amount=rng.uniform(10, 100, n),
        arc_supply=arcs[:, 0],
        arc_demand=arcs[:, 1],
        arc_ratio=rng.uniform(0.5, 1.0, len(pairs)),
        arc_capacity=np.full(len(pairs), np.inf),
        arc_value=rng.uniform(1, 10, len(pairs)),
        arc_co2e=rng.uniform(0, 1, len(pairs)),
        arc_landfill=np.zeros(len(pairs)),
        arc_fixed_cost=np.zeros(len(pairs)),
        arc_min_amount=np.zeros(len(pairs)),
        exclusive=np.array(exclusive, dtype=np.int64).reshape(-1, 2),
    )


def _brute_force_exclusive(problem: ExchangeProblem) -> float:
    """Best net benefit over every choice of which arc of each exclusive pair stays closed."""
    best = 0.0
    n_s, n_d, n = len(problem.supply_ids), len(problem.demand_ids), problem.n_arcs
    rows = np.zeros((n_s + n_d, n))
    rows[problem.arc_supply, np.arange(n)] = 1.0
    rows[n_s + problem.arc_demand, np.arange(n)] = problem.arc_ratio
    limits = np.concatenate([problem.supply_amount, problem.demand_amount])
    for closed_side in itertools.product((0, 1), repeat=problem.exclusive.shape[0]):
        upper = np.full(n, np.inf)
        for pair, side in zip(problem.exclusive, closed_side, strict=True):
            upper[pair[side]] = 0.0
        result = linprog(
            -problem.arc_value,
            A_ub=rows,
            b_ub=limits,
            bounds=list(zip([0.0] * n, upper, strict=True)),
        )
        assert result.status == 0
        best = max(best, -float(result.fun))
    return best


@pytest.mark.parametrize("seed", range(8))
def test_no_mutual_exchange_optimum_equals_brute_force(seed: int) -> None:
    problem = _exclusive_problem(seed)
    result = optimise(problem, settings=EXACT)
    assert result.objective_value == pytest.approx(_brute_force_exclusive(problem), rel=1e-7)
    flows = result.dense_flows()
    assert verify(problem, flows).ok
    both = [(a, b) for a, b in problem.exclusive if flows[a] > 0 and flows[b] > 0]
    assert both == []


def test_verify_names_a_pair_that_flows_both_ways() -> None:
    problem = _exclusive_problem(1)
    flows = np.zeros(problem.n_arcs)
    a, b = problem.exclusive[0]
    flows[[a, b]] = 1.0
    kinds = {v.kind for v in verify(problem, flows).violations}
    assert kinds == {"exclusive pair"}


def kim_like(effluent: float) -> Ecosystem:
    """Two palm-oil mills in a compact park (about 1.6 km apart), as at KIM."""
    eco = one_park(area_ha=560.0)
    food_plant(eco, "mill-01", effluent, 10.0)
    food_plant(eco, "mill-04", 10.0, 600_000.0)
    return eco


def test_water_beyond_a_tankers_daily_limit_goes_by_pipe() -> None:
    cs = generate_candidates(kim_like(116_474.0), YEAR, options=EVERY)
    main = [c for c in cs if c.supplier == "mill-01"]
    assert main
    assert {c.mode for c in main} == {"pipeline"}
    assert main[0].distance_km == pytest.approx(1.6, abs=0.1)


def test_a_few_tanker_loads_of_water_still_go_by_truck() -> None:
    cs = generate_candidates(kim_like(5_000.0), YEAR, options=EVERY)
    assert {c.mode for c in cs if c.supplier == "mill-01"} == {"truck"}


def test_exchanges_that_emit_more_than_they_save_are_set_aside_by_default() -> None:
    eco = demo_ecosystem(seed=1).subset(["kiic"])
    default = recommend(eco, YEAR).to_dict()
    assert default["pairing"]["emission_increases"] > 0
    assert all(r["co2e_avoided_t"] >= 0 for r in default["recommendations"])
    assert default["worse"]["emissions"] == 0


def test_exchanges_that_emit_more_are_labelled_as_an_increase_when_kept() -> None:
    eco = demo_ecosystem(seed=1).subset(["kiic"])
    kept = recommend(eco, YEAR, options=EVERY).to_dict()
    worse = [r for r in kept["recommendations"] if r["co2e_avoided_t"] < 0]
    assert worse, "KIIC trucks small volumes of water: those add emissions"
    assert kept["worse"]["emissions"] == len(worse)
    for r in worse:
        assert r["worse"] == ["emissions"]
        assert "an increase of" in r["explanation"]
        assert "t CO2e avoided" not in r["explanation"]


def test_objectives_are_named_after_the_totals_they_maximise() -> None:
    totals = ExchangeTotals({"t": 1.0}, 2.0, 3.0, 4.0).to_dict()
    assert {o.value for o in Objective} == set(totals) - {"amount_by_unit"}
    assert ExchangeTotals({"t": 1.0}, 2.0, 3.0, 4.0).value_of(Objective.CO2E_AVOIDED) == 3.0


# -- 3. joint substitution limits ---------------------------------------------------------------


def block_maker_with_two_substitutes() -> Ecosystem:
    """A block maker buying 40,000 t cement; a smelter's slag and a power plant's fly ash."""
    eco = one_park()
    eco.add(
        Company("smelter", "p", "Smelter", ("24101",), synthetic=True),
        Company("power", "p", "Captive coal plant", ("35101",), synthetic=True),
        Company("blocks", "p", "Block maker", ("23953",), synthetic=True),
    )
    eco.flows += [
        Flow(YEAR, "smelter", "landfill", "nickel_slag", 100_000.0, Q),
        Flow(YEAR, "power", "landfill", "fly_ash", 100_000.0, Q),
        Flow(YEAR, "supplier", "blocks", "cement", 40_000.0, Q),
    ]
    return eco


def test_slag_and_fly_ash_together_replace_at_most_the_joint_share_of_cement() -> None:
    rows = recommend(block_maker_with_two_substitutes(), YEAR).to_dict()["recommendations"]
    into_cement = [r for r in rows if r["replaces"] == "cement" and r["receiver"] == "blocks"]
    assert into_cement
    replaced = sum(r["replaced_amount"] for r in into_cement)
    assert replaced <= 0.30 * 40_000.0 * (1 + 1e-9)
    assert replaced == pytest.approx(12_000.0)


# -- 4. explanations of the solved flow ---------------------------------------------------------


def test_explanation_describes_the_solved_flow_with_class_shares_and_limit() -> None:
    rows = recommend(block_maker_with_two_substitutes(), YEAR).to_dict()["recommendations"]
    ash = next(r for r in rows if r["commodity"] == "fly_ash")
    text = ash["explanation"]
    assert f"sends {ash['amount']:,.0f} t" in text
    assert "12,000 t" in text
    assert "100,000 t" not in text.split("That is")[0]
    assert "12% of the 100,000 t the supplier now sends to landfill" in text
    assert "30% of the receiver's 40,000 t" in text
    assert "registered non-B3 waste (Annex XIV), waste code N106" in text
    assert "all substitutes together may replace at most 30%" in text
    assert ash["share_of_supply"] == pytest.approx(0.12)
    assert {b["limit"] for b in ash["binding"]} >= {"joint_share"}


def test_a_slag_without_a_recorded_code_says_so() -> None:
    rows = recommend(block_maker_with_two_substitutes(), YEAR).to_dict()["recommendations"]
    for r in rows:
        if r["commodity"] == "nickel_slag":
            assert "waste code not recorded" in r["explanation"]


def test_indonesian_explanation_uses_indonesian_numbers_and_words() -> None:
    result = recommend(block_maker_with_two_substitutes(), YEAR)
    ash = next(r for r in result.to_dict("id")["recommendations"] if r["commodity"] == "fly_ash")
    assert "12.000 t" in ash["explanation"]
    assert "dihindari" in ash["explanation"]
    assert "kode limbah N106" in ash["explanation"]


# -- 5. never zeros as a result -----------------------------------------------------------------


def test_a_solve_that_found_nothing_reports_no_totals_rather_than_zeros(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sinergi.symbiosis import recommend as module
    from sinergi.symbiosis.solution import SolveStatus, no_solution

    def stopped(problem: ExchangeProblem, *args: object, **kwargs: object) -> object:
        return no_solution(
            problem.n_arcs, Objective.NET_BENEFIT, SolveStatus.TIME_LIMIT, "Time limit", 60.0
        )

    monkeypatch.setattr(module, "optimise", stopped)
    d = recommend(block_maker_with_two_substitutes(), YEAR).to_dict()
    assert d["totals"] is None
    assert d["solver"]["found_solution"] is False
    assert d["solver"]["status"] == "time_limit"
    assert d["recommendations"] == []


def test_rounding_and_scaling_keep_the_optimum_in_idr() -> None:
    eco = block_maker_with_two_substitutes()
    problem = generate_candidates(eco, YEAR).problem()
    result = optimise(problem, settings=EXACT)
    reference = linprog(
        -problem.arc_value,
        A_ub=_rows(problem),
        b_ub=_limits(problem),
        bounds=[(0, None)] * problem.n_arcs,
    )
    assert result.objective_value == pytest.approx(-reference.fun, rel=1e-9)
    assert math.isfinite(result.objective_value or math.nan)


def _rows(problem: ExchangeProblem) -> np.ndarray:
    n_s, n_d, n = len(problem.supply_ids), len(problem.demand_ids), problem.n_arcs
    rows = np.zeros((n_s + n_d + len(problem.groups), n))
    rows[problem.arc_supply, np.arange(n)] = 1.0
    rows[n_s + problem.arc_demand, np.arange(n)] = problem.arc_ratio
    for g, group in enumerate(problem.groups):
        weights = np.ones(len(group.arcs)) if group.weights is None else group.weights
        rows[n_s + n_d + g, group.arcs] = weights
    return rows


def _limits(problem: ExchangeProblem) -> np.ndarray:
    groups = np.array([g.limit for g in problem.groups])
    return np.concatenate([problem.supply_amount, problem.demand_amount, groups])


def test_highs_sees_a_well_scaled_model(tmp_path: Path) -> None:
    """The demo country's model once made HiGHS warn "Problem is badly scaled" (2.5e8 IDR)."""
    from sinergi.symbiosis.formulation import highs_model, layout_of
    from sinergi.symbiosis.highs import new_highs

    eco = demo_ecosystem(seed=1)
    problem = generate_candidates(eco, YEAR, options=EVERY).problem()
    assert float(problem.arc_fixed_cost.max()) >= 2.5e8
    lp, scaling = highs_model(problem, layout_of(problem), Objective.NET_BENEFIT, {})
    assert scaling.objective > 1.0
    log = tmp_path / "highs.log"
    highs = new_highs()
    highs.setOptionValue("output_flag", True)
    highs.setOptionValue("log_to_console", False)
    highs.setOptionValue("log_file", str(log))
    highs.passModel(lp)
    highs.run()
    text = log.read_text("utf-8")
    assert "Coefficient ranges" in text
    assert "badly scaled" not in text
    assert "excessively large" not in text
