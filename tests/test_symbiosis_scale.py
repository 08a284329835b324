"""Issue 12, symbiosis at national scale: the scalable path is the default, and it is exact.

Reported: 19.5 M candidates (no per-supply limit; synthetic parks without coordinates, so every
pair in a park), 18.3 GB, no solution at the time limit, totals 0.0, and an explanation built
for every candidate to list 25 leads. These tests check each replacement on small cases
against an independent answer.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from sinergi.demo import synthesise
from sinergi.demo.synth import COORDINATE_REACH
from sinergi.model import Company, DataQuality, Ecosystem, Flow, Park, Period, Region
from sinergi.model.externals import default_externals
from sinergi.symbiosis.candidates import (
    DEFAULT_PER_SUPPLY,
    LARGE_RUN_PER_SUPPLY,
    CandidateOptions,
    CandidateSet,
    generate_candidates,
    load_knowledge,
)
from sinergi.symbiosis.decompose import independent_parts, restrict
from sinergi.symbiosis.formulation import Objective
from sinergi.symbiosis.optimise import SolverSettings, _solve_whole, optimise, worth_opening
from sinergi.symbiosis.problem import ArcGroup, ExchangeProblem
from sinergi.symbiosis.progress import Stage
from sinergi.symbiosis.recommend import LEADS_SHOWN, recommend
from sinergi.symbiosis.sharing import core_check, edge_game_core, fixed_benefit_game, max_excess

YEAR = Period(2024)
EXACT = SolverSettings(mip_rel_gap=0.0)


def block_problem(seed: int, blocks: int = 3) -> ExchangeProblem:
    """Several independent fixed-charge blocks side by side, with groups and exclusive pairs."""
    rng = np.random.default_rng(seed)
    supplies, demands, a_s, a_d, groups, pairs = 0, 0, [], [], [], []
    for _ in range(blocks):
        n = int(rng.integers(2, 5))
        for i, j in itertools.product(range(n), range(n)):
            if i != j:
                a_s.append(supplies + i)
                a_d.append(demands + j)
        first = len(a_s) - n * (n - 1)
        block_arcs = np.arange(first, len(a_s))
        groups.append(ArcGroup(f"g{len(groups)}", block_arcs[:3], float(rng.uniform(5, 30)), "t"))
        pairs.append((first, first + n - 1))  # (0 -> 1) and (1 -> 0) of this block
        supplies += n
        demands += n
    m = len(a_s)
    return ExchangeProblem(
        supply_ids=[f"s{i}" for i in range(supplies)],
        demand_ids=[f"d{j}" for j in range(demands)],
        supply_amount=rng.uniform(10, 60, supplies),
        demand_amount=rng.uniform(10, 60, demands),
        arc_supply=np.array(a_s),
        arc_demand=np.array(a_d),
        arc_ratio=rng.uniform(0.6, 1.0, m),
        arc_capacity=np.full(m, np.inf),
        arc_value=rng.uniform(-1, 10, m),
        arc_co2e=rng.uniform(-0.1, 1, m),
        arc_landfill=np.ones(m),
        arc_fixed_cost=rng.uniform(0, 80, m) * (rng.random(m) < 0.5),
        arc_min_amount=np.zeros(m),
        groups=groups,
        exclusive=np.array(pairs, dtype=np.int64),
    )


@pytest.mark.parametrize("seed", range(6))
def test_solving_part_by_part_gives_the_one_model_optimum(seed: int) -> None:
    problem = block_problem(seed)
    assert len(independent_parts(problem)) == 3
    for objective in Objective:
        together = _solve_whole(problem, objective, EXACT, {})
        parts = optimise(problem, objective, settings=EXACT)
        assert parts.objective_value == pytest.approx(together.objective_value, abs=1e-7)
        assert parts.status.value == "optimal"


@pytest.mark.parametrize("seed", range(6))
def test_dropping_arcs_that_cannot_pay_keeps_the_optimum(seed: int) -> None:
    problem = block_problem(seed, blocks=1)
    worth = worth_opening(problem, Objective.NET_BENEFIT)
    assert worth.size < problem.n_arcs  # some arcs lose money or never repay their link
    full = _solve_whole(problem, Objective.NET_BENEFIT, EXACT, {})
    reduced = _solve_whole(restrict(problem, worth), Objective.NET_BENEFIT, EXACT, {})
    assert reduced.objective_value == pytest.approx(full.objective_value, abs=1e-7)


def test_restricting_to_every_arc_changes_nothing() -> None:
    problem = block_problem(3)
    same = restrict(problem, np.arange(problem.n_arcs))
    assert same.n_arcs == problem.n_arcs
    assert [g.arcs.tolist() for g in same.groups] == [
        sorted(g.arcs.tolist()) for g in problem.groups
    ]
    assert same.exclusive.tolist() == problem.exclusive.tolist()


def test_a_time_limit_spent_on_parts_still_returns_the_best_found_with_its_gap() -> None:
    problem = block_problem(1, blocks=6)
    result = optimise(problem, settings=SolverSettings(time_limit=5.0, mip_rel_gap=0.0))
    assert result.has_flows
    assert result.totals is not None
    assert result.bound is not None
    assert result.bound >= (result.objective_value or 0.0) - 1e-6


# -- coordinates and candidate pruning --------------------------------------------------------


def test_synthetic_parks_have_synthetic_coordinates_inside_indonesia() -> None:
    eco = synthesise(companies=400, parks=25, seed=3)
    box = load_knowledge().transport.bbox
    for park in eco.parks.values():
        assert park.synthetic
        assert park.latitude is not None
        assert park.longitude is not None
        assert box.contains(park.latitude, park.longitude), park.id
        assert park.coordinates_approximate
        assert "coordinates" in (park.notes or "")
    cs = generate_candidates(eco, YEAR)
    assert cs.stats.parks_without_coordinates == ()


def test_the_coordinates_do_not_change_the_rest_of_the_synthetic_country() -> None:
    eco = synthesise(companies=200, parks=10, seed=7)
    again = synthesise(companies=200, parks=10, seed=7)
    assert [(p.latitude, p.longitude) for p in eco.parks.values()] == [
        (p.latitude, p.longitude) for p in again.parks.values()
    ]
    assert max(abs(p.latitude or 0.0) for p in eco.parks.values()) < 12.0
    assert COORDINATE_REACH > 0


def crowded(companies: int) -> Ecosystem:
    """One park where every company discharges effluent and buys water: every pair a candidate."""
    eco = Ecosystem()
    eco.add(Region("r", "Region"), *default_externals())
    eco.add(Park("p", "Park", "r", latitude=-6.3, longitude=107.1, area_ha=400.0))
    q = DataQuality.SYNTHETIC
    rng = np.random.default_rng(4)
    for i in range(companies):
        cid = f"c{i:03d}"
        eco.add(Company(cid, "p", cid, ("10790",), synthetic=True))
        eco.flows += [
            Flow(YEAR, cid, "env.water", "wastewater_treated", float(rng.uniform(1e4, 3e5)), q),
            Flow(YEAR, "supplier", cid, "water_municipal", float(rng.uniform(1e4, 3e5)), q),
        ]
    return eco


def _per_supply(cs: CandidateSet) -> int:
    return int(np.bincount(cs.arc_columns()["supply"]).max())


def test_each_supply_keeps_its_best_twenty_candidates_by_default() -> None:
    cs = generate_candidates(crowded(60), YEAR)
    assert cs.stats.per_supply_limit == DEFAULT_PER_SUPPLY
    assert _per_supply(cs) == DEFAULT_PER_SUPPLY
    every = generate_candidates(crowded(60), YEAR, options=CandidateOptions(per_supply_limit=None))
    assert _per_supply(every) > DEFAULT_PER_SUPPLY


def test_a_national_size_run_keeps_five_per_supply(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sinergi.symbiosis.candidates.LARGE_RUN_SUPPLIES", 50)
    cs = generate_candidates(crowded(60), YEAR)
    assert cs.stats.per_supply_limit == LARGE_RUN_PER_SUPPLY
    assert _per_supply(cs) == LARGE_RUN_PER_SUPPLY


# -- lazy explanations and progress ------------------------------------------------------------


def test_only_the_shown_leads_are_built_and_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    eco = crowded(40)
    for company in list(eco.companies.values())[:30]:
        eco.flows = [f for f in eco.flows if company.id not in (f.source, f.target)]
    built: list[int] = []
    original = CandidateSet.candidate

    def counting(self: CandidateSet, i: int) -> object:
        built.append(i)
        return original(self, i)

    monkeypatch.setattr(CandidateSet, "candidate", counting)
    result = recommend(eco, YEAR)
    leads = generate_candidates(eco, YEAR).leads()
    assert leads.size > LEADS_SHOWN
    assert len(result.leads) == LEADS_SHOWN
    # the shown leads, the recommended exchanges and their owners; never every candidate
    assert len(built) <= LEADS_SHOWN + 2 * len(result.rows)


def test_progress_is_reported_for_candidates_solve_and_sharing() -> None:
    seen: list[tuple[Stage, int, int]] = []
    recommend(
        crowded(12), YEAR, progress=lambda stage, done, total: seen.append((stage, done, total))
    )
    stages = [s for s, _, _ in seen]
    assert stages.index(Stage.CANDIDATES) < stages.index(Stage.SOLVE) < stages.index(Stage.SHARING)
    rules = len(load_knowledge().rules.rules)
    assert (Stage.CANDIDATES, rules, rules) in seen
    assert (Stage.SOLVE, 0, 1) in seen
    assert (Stage.SOLVE, 1, 1) in seen
    stage, done, total = seen[-1]
    assert stage is Stage.SHARING
    assert done == total


# -- benefit sharing without needless solves ---------------------------------------------------


@pytest.mark.parametrize("seed", range(10))
def test_edge_game_core_agrees_with_the_least_core_lp(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 7))
    m = int(rng.integers(1, 8))
    supplier = rng.integers(0, n, m)
    receiver = (supplier + 1 + rng.integers(0, n - 1, m)) % n
    benefit = rng.uniform(0, 10, m)
    game = fixed_benefit_game([f"p{i}" for i in range(n)], supplier, receiver, benefit)
    fast = edge_game_core(game, benefit)
    assert fast.stable
    assert core_check(game).stable
    assert fast.allocation is not None
    excess, _ = max_excess(game, fast.allocation.shares)
    assert excess <= 1e-9 * max(1.0, abs(game.grand_value))
