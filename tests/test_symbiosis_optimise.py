"""The HiGHS exchange optimiser against independent formulations, plus status reporting."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from sinergi.errors import SymbiosisError
from sinergi.symbiosis.optimise import (
    Objective,
    SolverSettings,
    SolveStatus,
    optimise,
    pareto_front,
    verify,
)
from sinergi.symbiosis.problem import ArcGroup, ExchangeProblem

EXACT = SolverSettings(mip_rel_gap=0.0)
N_INSTANCES = 50


def random_problem(seed: int, *, integer: bool) -> ExchangeProblem:
    """Small seeded instance: 3-6 supplies and demands, <= 15 arcs, some groups."""
    rng = np.random.default_rng(seed)
    n_s, n_d = int(rng.integers(3, 7)), int(rng.integers(3, 7))
    n = int(rng.integers(4, 16))
    capacity = rng.uniform(5, 80, n)
    capacity[rng.random(n) < 0.3] = np.inf
    fixed, minimum = np.zeros(n), np.zeros(n)
    if integer:
        chosen = rng.choice(n, size=min(n, int(rng.integers(1, 6))), replace=False)
        fixed[chosen] = rng.uniform(0, 120, chosen.size) * (rng.random(chosen.size) < 0.8)
        minimum[chosen] = rng.uniform(0, 40, chosen.size) * (rng.random(chosen.size) < 0.6)
        # at least one real binary
        fixed[chosen[0]] = max(fixed[chosen[0]], 10.0)
    groups = tuple(
        ArcGroup(
            name=f"g{k}",
            arcs=rng.choice(n, size=min(n, int(rng.integers(2, 5))), replace=False),
            limit=float(rng.uniform(10, 60)),
            reason="test blend limit",
        )
        for k in range(int(rng.integers(0, 3)))
    )
    return ExchangeProblem(
        supply_ids=[f"s{i}" for i in range(n_s)],
        demand_ids=[f"d{j}" for j in range(n_d)],
        supply_amount=rng.uniform(10, 100, n_s),
        demand_amount=rng.uniform(10, 100, n_d),
        arc_supply=rng.integers(0, n_s, n),
        arc_demand=rng.integers(0, n_d, n),
        arc_ratio=rng.uniform(0.5, 1.5, n),
        arc_capacity=capacity,
        arc_value=rng.normal(2.0, 3.0, n),
        arc_co2e=rng.normal(0.5, 1.0, n),
        arc_landfill=rng.uniform(0, 1, n),
        arc_fixed_cost=fixed,
        arc_min_amount=minimum,
        groups=groups,
    )


def objective_vector(problem: ExchangeProblem, objective: str) -> np.ndarray:
    return {
        "net_benefit": problem.arc_value,
        "co2e_avoided": problem.arc_co2e,
        "landfill_diverted": problem.arc_landfill,
    }[objective]


def dense_rows(problem: ExchangeProblem) -> tuple[np.ndarray, np.ndarray]:
    """A_ub x <= b_ub written out densely, one row per supply, demand and group."""
    n = problem.n_arcs
    rows, rhs = [], []
    for s, amount in enumerate(problem.supply_amount):
        rows.append([1.0 if problem.arc_supply[a] == s else 0.0 for a in range(n)])
        rhs.append(amount)
    for d, amount in enumerate(problem.demand_amount):
        rows.append([problem.arc_ratio[a] if problem.arc_demand[a] == d else 0.0 for a in range(n)])
        rhs.append(amount)
    for group in problem.groups:
        members = set(group.arcs.tolist())
        rows.append([1.0 if a in members else 0.0 for a in range(n)])
        rhs.append(group.limit)
    return np.array(rows), np.array(rhs)


def brute_force(
    problem: ExchangeProblem, objective: str, co2_floor: float | None = None
) -> float | None:
    """Enumerate every open/closed choice of the integer arcs; solve each LP with linprog.

    No big-M: a closed arc gets bounds [0, 0], an open one [minimum, capacity], and an open
    arc pays its fixed cost under the cost objective. Returns None when nothing is feasible.
    """
    a_ub, b_ub = dense_rows(problem)
    c = objective_vector(problem, objective)
    if co2_floor is not None:
        a_ub = np.vstack([a_ub, -problem.arc_co2e])
        b_ub = np.append(b_ub, -co2_floor)
    binary = [
        a
        for a in range(problem.n_arcs)
        if problem.arc_fixed_cost[a] > 0 or problem.arc_min_amount[a] > 0
    ]
    best = None
    for choice in itertools.product([0, 1], repeat=len(binary)):
        lower = np.zeros(problem.n_arcs)
        upper = problem.arc_capacity.copy()
        paid = 0.0
        for a, is_open in zip(binary, choice, strict=True):
            if is_open:
                lower[a] = problem.arc_min_amount[a]
                paid += problem.arc_fixed_cost[a] if objective == "net_benefit" else 0.0
            else:
                upper[a] = 0.0
        if np.any(lower > upper):
            continue
        res = linprog(
            -c,
            A_ub=a_ub,
            b_ub=b_ub,
            bounds=list(zip(lower, [None if math.isinf(u) else u for u in upper], strict=True)),
            method="highs",
        )
        if res.status == 0:
            value = -res.fun - paid
            best = value if best is None else max(best, value)
    return best


def scipy_milp(problem: ExchangeProblem) -> float:
    """The cost objective as one scipy MILP with a y for every arc and M = the supply amount."""
    n = problem.n_arcs
    a_ub, b_ub = dense_rows(problem)
    upper_x = np.minimum(problem.arc_capacity, problem.supply_amount[problem.arc_supply])
    eye = np.eye(n)
    link_upper = np.hstack([eye, -np.diag(upper_x)])  # x - M y <= 0
    link_lower = np.hstack([eye, -np.diag(problem.arc_min_amount)])  # x - min y >= 0
    constraints = [
        LinearConstraint(np.hstack([a_ub, np.zeros((a_ub.shape[0], n))]), -np.inf, b_ub),
        LinearConstraint(link_upper, -np.inf, 0.0),
        LinearConstraint(link_lower, 0.0, np.inf),
    ]
    c = np.concatenate([-problem.arc_value, problem.arc_fixed_cost])
    res = milp(
        c,
        constraints=constraints,
        integrality=np.concatenate([np.zeros(n), np.ones(n)]),
        bounds=Bounds(np.zeros(2 * n), np.concatenate([upper_x, np.ones(n)])),
        options={"mip_rel_gap": 0.0},
    )
    assert res.status == 0
    return float(-res.fun)


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


@pytest.mark.parametrize("integer", [False, True], ids=["lp", "milp"])
@pytest.mark.parametrize("objective", ["net_benefit", "co2e_avoided", "landfill_diverted"])
def test_objective_equals_brute_force_over_binary_choices(integer: bool, objective: str) -> None:
    for seed in range(N_INSTANCES):
        problem = random_problem(1000 * integer + seed, integer=integer)
        assert problem.needs_integers is integer
        result = optimise(problem, objective, settings=EXACT)
        assert result.status is SolveStatus.OPTIMAL
        reference = brute_force(problem, objective)
        assert reference is not None
        assert result.objective_value is not None
        assert close(result.objective_value, reference), (seed, result.objective_value, reference)
        assert verify(problem, result.dense_flows()).ok, seed


def test_milp_cost_equals_scipy_milp_with_other_big_m() -> None:
    for seed in range(N_INSTANCES):
        problem = random_problem(2000 + seed, integer=True)
        result = optimise(problem, "net_benefit", settings=EXACT)
        assert result.objective_value is not None
        assert close(result.objective_value, scipy_milp(problem)), seed


def test_totals_equal_sums_over_reported_arcs() -> None:
    for seed in range(20):
        problem = random_problem(3000 + seed, integer=bool(seed % 2))
        result = optimise(problem, "net_benefit", settings=EXACT)
        x = result.dense_flows()
        opened = np.zeros(problem.n_arcs, dtype=bool)
        opened[result.opened] = True
        assert result.totals is not None
        assert math.isclose(result.totals.amount_by_unit.get("unit", 0.0), x.sum(), abs_tol=1e-9)
        net = problem.arc_value @ x - problem.arc_fixed_cost[opened].sum()
        assert math.isclose(result.totals.net_benefit, net, rel_tol=1e-12, abs_tol=1e-9)
        assert math.isclose(result.totals.co2e_avoided, problem.arc_co2e @ x, abs_tol=1e-9)
        assert math.isclose(result.totals.landfill_diverted, problem.arc_landfill @ x, abs_tol=1e-9)
        assert result.objective_value == result.totals.net_benefit
        assert math.isclose(result.arc_net_benefit.sum(), result.totals.net_benefit, abs_tol=1e-9)


def test_money_losing_arcs_carry_no_flow_under_cost_objective() -> None:
    for seed in range(N_INSTANCES):
        problem = random_problem(seed, integer=False)
        result = optimise(problem, "net_benefit", settings=EXACT)
        assert np.all(problem.arc_value[result.arcs] > 0), seed


def test_opened_links_carry_at_least_their_minimum() -> None:
    for seed in range(N_INSTANCES):
        problem = random_problem(4000 + seed, integer=True)
        result = optimise(problem, "co2e_avoided", settings=EXACT)
        x = result.dense_flows()
        assert np.all(x[result.opened] > 0)
        assert np.all(x[result.opened] >= problem.arc_min_amount[result.opened] - 1e-6)


def test_lp_reports_zero_gap_and_bound_equal_to_objective() -> None:
    result = optimise(random_problem(7, integer=False), "net_benefit")
    assert result.status is SolveStatus.OPTIMAL
    assert result.gap == 0.0
    assert result.bound == result.objective_value


def test_floor_above_the_reachable_co2e_is_reported_infeasible() -> None:
    problem = random_problem(11, integer=True)
    best = optimise(problem, "co2e_avoided", settings=EXACT).objective_value
    assert best is not None
    result = optimise(problem, "net_benefit", at_least={"co2e_avoided": best + 10.0})
    assert result.status is SolveStatus.INFEASIBLE
    assert not result.has_flows
    assert result.objective_value is None
    assert result.arcs.size == 0
    assert result.to_dict()["status"] == "infeasible"


def test_arc_without_any_finite_bound_is_reported_unbounded() -> None:
    problem = single_arc(supply=np.inf, demand=np.inf, capacity=np.inf, fixed=0.0)
    result = optimise(problem, "net_benefit")
    assert result.status is SolveStatus.UNBOUNDED
    assert not result.has_flows


def test_integer_arc_without_finite_bound_is_refused_with_its_name() -> None:
    problem = single_arc(supply=np.inf, demand=np.inf, capacity=np.inf, fixed=5.0)
    with pytest.raises(SymbiosisError, match=r"arc 0 \(mill:scrap -> foundry:iron\)"):
        optimise(problem, "net_benefit")


def single_arc(*, supply: float, demand: float, capacity: float, fixed: float) -> ExchangeProblem:
    return ExchangeProblem(
        supply_ids=["mill:scrap"],
        demand_ids=["foundry:iron"],
        supply_amount=np.array([supply]),
        demand_amount=np.array([demand]),
        arc_supply=np.array([0]),
        arc_demand=np.array([0]),
        arc_ratio=np.array([1.0]),
        arc_capacity=np.array([capacity]),
        arc_value=np.array([3.0]),
        arc_co2e=np.array([0.2]),
        arc_landfill=np.array([1.0]),
        arc_fixed_cost=np.array([fixed]),
        arc_min_amount=np.array([0.0]),
    )


def crowded_park(seed: int) -> ExchangeProblem:
    """A park-like fixed-charge MILP: many near-equal alternatives, hard to close the gap."""
    rng = np.random.default_rng(seed)
    n_s = n_d = 90
    per_supply = 20
    arc_supply = np.repeat(np.arange(n_s), per_supply)
    arc_demand = np.concatenate([rng.choice(n_d, per_supply, replace=False) for _ in range(n_s)])
    n = arc_supply.size
    return ExchangeProblem(
        supply_ids=[f"s{i}" for i in range(n_s)],
        demand_ids=[f"d{j}" for j in range(n_d)],
        supply_amount=rng.uniform(50, 150, n_s),
        demand_amount=rng.uniform(50, 150, n_d),
        arc_supply=arc_supply,
        arc_demand=arc_demand,
        arc_ratio=np.ones(n),
        arc_capacity=np.full(n, np.inf),
        arc_value=rng.uniform(9.0, 11.0, n),
        arc_co2e=rng.uniform(0.1, 1.0, n),
        arc_landfill=np.ones(n),
        arc_fixed_cost=rng.uniform(200.0, 400.0, n),
        arc_min_amount=rng.uniform(0.0, 30.0, n),
    )


def test_time_limit_is_a_status_with_bound_and_gap_not_an_error() -> None:
    problem = crowded_park(5)
    result = optimise(
        problem, "net_benefit", settings=SolverSettings(time_limit=2.0, mip_rel_gap=0.0)
    )
    assert result.status is SolveStatus.TIME_LIMIT
    assert result.message
    assert result.has_flows
    assert result.bound is not None
    assert result.objective_value is not None
    assert result.bound >= result.objective_value - 1e-6
    assert result.gap is not None
    assert result.gap > 0
    assert verify(problem, result.dense_flows()).ok


def test_pareto_front_spans_cost_optimum_to_co2_optimum() -> None:
    for seed in range(10):
        problem = random_problem(5000 + seed, integer=bool(seed % 2))
        front = pareto_front(problem, 5, settings=EXACT)
        assert front.points
        benefits = [p.solution.totals.net_benefit for p in front.points]
        co2 = [p.solution.totals.co2e_avoided for p in front.points]
        assert close(benefits[0], front.cost_optimal.totals.net_benefit)
        assert close(co2[-1], front.co2_optimal.totals.co2e_avoided)
        assert all(b1 >= b2 - 1e-6 for b1, b2 in itertools.pairwise(benefits))
        for point in front.points:
            assert point.solution.status is SolveStatus.OPTIMAL
            assert point.solution.totals.co2e_avoided >= point.co2e_floor - 1e-6
            assert verify(problem, point.solution.dense_flows()).ok


def test_pareto_middle_point_equals_brute_force_with_the_same_floor() -> None:
    for seed in range(10):
        problem = random_problem(6000 + seed, integer=True)
        front = pareto_front(problem, 3, settings=EXACT)
        middle = front.points[len(front.points) // 2]
        reference = brute_force(problem, "net_benefit", co2_floor=middle.co2e_floor)
        assert reference is not None
        assert middle.solution.objective_value is not None
        assert close(middle.solution.objective_value, reference), seed


def test_result_to_dict_is_plain_json() -> None:
    problem = random_problem(3, integer=True)
    front = pareto_front(problem, 3, settings=EXACT)
    text = json.dumps(front.to_dict(), allow_nan=False)
    data = json.loads(text)
    exchanges = data["cost_optimal"]["exchanges"]
    assert math.isclose(
        sum(e["net_benefit"] for e in exchanges),
        data["cost_optimal"]["totals"]["net_benefit"],
        abs_tol=1e-9,
    )


def test_verify_names_each_broken_limit() -> None:
    problem = single_arc(supply=10.0, demand=8.0, capacity=9.0, fixed=0.0)
    report = verify(problem, np.array([12.0]))
    kinds = {v.kind for v in report.violations}
    assert kinds == {"supply", "demand", "capacity"}
    assert "mill:scrap" in str(report.violations[0])


def test_verify_accepts_flows_within_tolerance_and_rejects_minimum_shortfall() -> None:
    problem = ExchangeProblem(
        **{**single_arc(supply=10.0, demand=10.0, capacity=10.0, fixed=0.0).__dict__}
        | {"arc_min_amount": np.array([4.0])}
    )
    assert verify(problem, np.array([10.0 + 1e-7])).ok
    assert verify(problem, np.array([0.0])).ok
    report = verify(problem, np.array([2.0]))
    assert [v.kind for v in report.violations] == ["minimum volume"]


def test_unknown_objective_is_refused_with_the_choices() -> None:
    with pytest.raises(SymbiosisError, match="net_benefit, co2e_avoided, landfill_diverted"):
        optimise(random_problem(0, integer=False), "profit")


def test_bad_settings_are_refused() -> None:
    with pytest.raises(SymbiosisError, match="time_limit"):
        SolverSettings(time_limit=0)
    with pytest.raises(SymbiosisError, match="mip_rel_gap"):
        SolverSettings(mip_rel_gap=-0.1)


def test_problem_without_arcs_is_optimal_with_nothing_exchanged() -> None:
    problem = ExchangeProblem(
        supply_ids=["a:slag"],
        demand_ids=["b:sand"],
        supply_amount=np.array([5.0]),
        demand_amount=np.array([5.0]),
        arc_supply=np.zeros(0, dtype=np.int64),
        arc_demand=np.zeros(0, dtype=np.int64),
        arc_ratio=np.zeros(0),
        arc_capacity=np.zeros(0),
        arc_value=np.zeros(0),
        arc_co2e=np.zeros(0),
        arc_landfill=np.zeros(0),
        arc_fixed_cost=np.zeros(0),
        arc_min_amount=np.zeros(0),
    )
    result = optimise(problem, "landfill_diverted")
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective_value == 0.0
    assert result.totals is not None
    assert result.totals.amount_by_unit == {}
    assert (
        optimise(problem, "net_benefit", at_least={"co2e_avoided": 1.0}).status
        is SolveStatus.INFEASIBLE
    )


def test_time_limit_before_any_incumbent_reports_no_flows_rather_than_zeros() -> None:
    result = optimise(crowded_park(6), "net_benefit", settings=SolverSettings(time_limit=1e-3))
    assert result.status is SolveStatus.TIME_LIMIT
    if not result.has_flows:
        assert result.objective_value is None
        assert result.arcs.size == 0
        assert result.gap is None
        assert result.to_dict()["objective_value"] is None


def test_flows_worth_less_than_the_reported_objective_are_flagged() -> None:
    from sinergi.symbiosis.formulation import layout_of
    from sinergi.symbiosis.optimise import _agrees

    problem = random_problem(1, integer=True)
    layout = layout_of(problem)
    assert _agrees(problem, layout, Objective.NET_BENEFIT, 100.0, 100.0)
    assert _agrees(problem, layout, Objective.NET_BENEFIT, 101.0, 100.0)  # idle fixed cost removed
    assert not _agrees(problem, layout, Objective.NET_BENEFIT, 0.0, 123.0)
    assert not _agrees(problem, layout, Objective.NET_BENEFIT, None, 0.0)


def test_changing_the_thread_count_between_solves_still_solves() -> None:
    problem = random_problem(1001, integer=True)
    values = [
        optimise(problem, "net_benefit", settings=SolverSettings(threads=t, mip_rel_gap=0.0))
        for t in (1, 2, 1)
    ]
    assert [v.status for v in values] == [SolveStatus.OPTIMAL] * 3
    first = values[0].objective_value
    assert first is not None
    assert all(close(v.objective_value or math.nan, first) for v in values)
