"""Benefit sharing: Shapley values, proportional splits and the core, against hand-made games."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest
from scipy.optimize import linprog

from sinergi.errors import InvalidGame
from sinergi.symbiosis.optimise import SolverSettings, optimise
from sinergi.symbiosis.problem import ExchangeProblem
from sinergi.symbiosis.sharing import (
    Game,
    core_check,
    exchange_game,
    exchange_value_function,
    fixed_benefit_game,
    fixed_benefit_game_from_solution,
    max_excess,
    partners_from_labels,
    proportional_split,
    proportional_to_standalone,
    shapley_exact,
    shapley_sampled,
    tonnes_by_partner,
)

EXACT = SolverSettings(mip_rel_gap=0.0)


def glove_game() -> Game:
    # player 0 holds a left glove, players 1 and 2 a right glove: a pair is worth 1
    return Game.from_function(["L", "R1", "R2"], lambda m: float(bool(m & 1) and bool(m & 6)))


def majority_game() -> Game:
    return Game.from_function(["A", "B", "C"], lambda m: float(m.bit_count() >= 2))


def random_game(seed: int, n: int) -> Game:
    rng = np.random.default_rng(seed)
    values = rng.uniform(0, 10, 1 << n)
    values[0] = 0.0
    return Game(tuple(f"p{i}" for i in range(n)), values)


def shapley_by_permutations(game: Game) -> np.ndarray:
    """The definition, written out: average marginal contribution over all n! orders."""
    totals = np.zeros(game.n)
    orders = list(itertools.permutations(range(game.n)))
    for order in orders:
        mask = 0
        for player in order:
            totals[player] += game.values[mask | 1 << player] - game.values[mask]
            mask |= 1 << player
    return totals / len(orders)


def least_core_by_linprog(game: Game) -> float:
    """The least-core ε from scipy's linprog with a dense, separately written LP."""
    n = game.n
    rows, rhs = [], []
    for mask in range(1, (1 << n) - 1):
        members = [1.0 if mask >> i & 1 else 0.0 for i in range(n)]
        rows.append([-m for m in members] + [-1.0])  # -x(S) - ε <= -v(S)
        rhs.append(-game.values[mask])
    res = linprog(
        c=[0.0] * n + [1.0],
        A_ub=np.array(rows),
        b_ub=np.array(rhs),
        A_eq=np.array([[1.0] * n + [0.0]]),
        b_eq=[game.grand_value],
        bounds=[(None, None)] * (n + 1),
        method="highs",
    )
    assert res.status == 0
    return float(res.fun)


def test_glove_game_shapley_is_two_thirds_and_one_sixth() -> None:
    shares = shapley_exact(glove_game()).shares
    np.testing.assert_allclose(shares, [2 / 3, 1 / 6, 1 / 6], atol=1e-12)


def test_glove_game_core_gives_everything_to_the_scarce_glove() -> None:
    result = core_check(glove_game())
    assert result.stable
    assert result.allocation is not None
    np.testing.assert_allclose(result.allocation.shares, [1.0, 0.0, 0.0], atol=1e-9)


def test_additive_game_shapley_equals_standalone_values() -> None:
    standalone = np.array([3.0, -1.0, 4.5, 0.0, 2.25])
    game = Game.from_function(
        [f"p{i}" for i in range(5)],
        lambda m: float(sum(standalone[i] for i in range(5) if m >> i & 1)),
    )
    np.testing.assert_allclose(shapley_exact(game).shares, standalone, atol=1e-12)


def test_shapley_equals_the_permutation_definition_on_random_games() -> None:
    for seed in range(10):
        game = random_game(seed, 5)
        np.testing.assert_allclose(
            shapley_exact(game).shares, shapley_by_permutations(game), atol=1e-10
        )


def test_shapley_is_efficient() -> None:
    for seed in range(10):
        game = random_game(100 + seed, 7)
        assert math.isclose(shapley_exact(game).shares.sum(), game.grand_value, rel_tol=1e-12)


def test_symmetric_players_get_equal_shapley_shares() -> None:
    game = random_game(7, 6)
    masks = np.arange(1 << 6)
    # swap players 0 and 1 in every mask, then average: the game becomes symmetric in them
    b0, b1 = masks & 1, (masks >> 1) & 1
    swapped = (masks & ~3) | (b0 << 1) | b1
    symmetric = Game(game.players, (game.values + game.values[swapped]) / 2)
    shares = shapley_exact(symmetric).shares
    assert math.isclose(shares[0], shares[1], rel_tol=1e-12)
    assert not math.isclose(shares[0], shares[2], rel_tol=1e-6)


def test_sampled_shapley_converges_to_exact_within_its_standard_error() -> None:
    game = random_game(42, 8)
    exact = shapley_exact(game).shares
    sampled = shapley_sampled(game.players, game, 4000, seed=1)
    assert sampled.standard_errors is not None
    assert np.all(np.abs(sampled.shares - exact) <= 4 * sampled.standard_errors)
    assert math.isclose(sampled.shares.sum(), game.grand_value, rel_tol=1e-12)
    fewer = shapley_sampled(game.players, game, 250, seed=1)
    assert fewer.standard_errors is not None
    assert np.all(sampled.standard_errors < fewer.standard_errors)


def test_sampled_shapley_is_reproducible_with_its_seed() -> None:
    game = random_game(3, 6)
    first = shapley_sampled(game.players, game, 50, seed=9).shares
    again = shapley_sampled(game.players, game, 50, seed=9).shares
    other = shapley_sampled(game.players, game, 50, seed=10).shares
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_majority_game_has_no_stable_split_and_prints_none() -> None:
    result = core_check(majority_game())
    assert not result.stable
    assert result.allocation is None
    assert math.isclose(result.least_core_epsilon, 1 / 3, rel_tol=1e-9)
    assert "no stable split" in result.message
    assert json.loads(json.dumps(result.to_dict()))["allocation"] is None


def test_convex_game_core_holds_the_shapley_value_and_the_returned_split() -> None:
    game = Game.from_function([f"p{i}" for i in range(6)], lambda m: float(m.bit_count() ** 2))
    result = core_check(game)
    assert result.stable
    assert result.allocation is not None
    assert max_excess(game, result.allocation.shares)[0] <= 1e-9
    assert math.isclose(result.allocation.shares.sum(), game.grand_value, rel_tol=1e-12)
    # convex games: the Shapley value lies in the core (Shapley 1971)
    assert max_excess(game, shapley_exact(game).shares)[0] <= 1e-9


def test_least_core_epsilon_equals_linprog_on_random_games() -> None:
    stable_seen = unstable_seen = False
    for seed in range(15):
        game = random_game(200 + seed, 4)
        if seed % 2:  # make some games superadditive enough to have a core
            game = Game(game.players, game.values * (np.arange(16) == 15) * 5 + game.values)
        result = core_check(game)
        assert math.isclose(
            result.least_core_epsilon, least_core_by_linprog(game), rel_tol=1e-7, abs_tol=1e-7
        )
        stable_seen |= result.stable
        unstable_seen |= not result.stable
    assert stable_seen
    assert unstable_seen


def test_fixed_benefit_game_shapley_gives_each_side_half_of_each_exchange() -> None:
    supplier = np.array([0, 0, 1, 3])
    receiver = np.array([1, 2, 2, 3])  # the last exchange stays inside partner 3
    benefit = np.array([10.0, 4.0, -2.0, 6.0])
    game = fixed_benefit_game(["a", "b", "c", "d"], supplier, receiver, benefit)
    expected = np.zeros(4)
    for s, r, b in zip(supplier, receiver, benefit, strict=True):
        expected[s] += b / 2
        expected[r] += b / 2
    np.testing.assert_allclose(shapley_exact(game).shares, expected, atol=1e-12)
    assert game.grand_value == benefit.sum()


def competing_receivers() -> ExchangeProblem:
    """One slag supply of 10 t; a cement plant gains 5 per t, a road builder 3 per t."""
    return ExchangeProblem(
        supply_ids=["smelter:slag"],
        demand_ids=["cement:clinker", "road:aggregate"],
        supply_amount=np.array([10.0]),
        demand_amount=np.array([10.0, 10.0]),
        arc_supply=np.array([0, 0]),
        arc_demand=np.array([0, 1]),
        arc_ratio=np.array([1.0, 1.0]),
        arc_capacity=np.array([np.inf, np.inf]),
        arc_value=np.array([5.0, 3.0]),
        arc_co2e=np.array([0.5, 0.2]),
        arc_landfill=np.array([1.0, 1.0]),
        arc_fixed_cost=np.zeros(2),
        arc_min_amount=np.zeros(2),
    )


def test_exchange_game_with_competing_receivers_matches_hand_computed_shapley() -> None:
    problem = competing_receivers()
    partners = partners_from_labels(problem)
    assert partners.names == ("smelter", "cement", "road")
    game = exchange_game(problem, partners, settings=EXACT)
    # v(smelter, cement) = 50, v(smelter, road) = 30, v(all) = 50; every other coalition 0
    np.testing.assert_allclose(shapley_exact(game).shares, [30.0, 15.0, 5.0], atol=1e-9)
    check = core_check(game)
    assert check.stable
    assert check.allocation is not None
    assert check.allocation.shares[0] >= 30.0 - 1e-9
    assert abs(check.allocation.shares[2]) <= 1e-9
    # the Shapley split is not stable here: smelter and cement alone make 50 > 45
    excess, coalition = max_excess(game, shapley_exact(game).shares)
    assert math.isclose(excess, 5.0, rel_tol=1e-9)
    assert coalition == ["smelter", "cement"]


def partner_problem(
    seed: int, *, n_partners: int, n_arcs: int, fixed_share: float
) -> ExchangeProblem:
    """Each partner ``c<i>`` has one waste and one input; arcs join random pairs."""
    rng = np.random.default_rng(seed)
    n = n_arcs
    return ExchangeProblem(
        supply_ids=[f"c{i}:waste" for i in range(n_partners)],
        demand_ids=[f"c{i}:input" for i in range(n_partners)],
        supply_amount=rng.uniform(10, 50, n_partners),
        demand_amount=rng.uniform(10, 50, n_partners),
        arc_supply=rng.integers(0, n_partners, n),
        arc_demand=rng.integers(0, n_partners, n),
        arc_ratio=rng.uniform(0.5, 1.5, n),
        arc_capacity=rng.uniform(5, 40, n),
        arc_value=rng.normal(3, 2, n),
        arc_co2e=rng.normal(0.5, 0.5, n),
        arc_landfill=np.ones(n),
        arc_fixed_cost=np.where(rng.random(n) < fixed_share, 20.0, 0.0),
        arc_min_amount=np.zeros(n),
    )


def test_exchange_game_grand_value_equals_the_full_optimisation() -> None:
    problem = partner_problem(5, n_partners=6, n_arcs=12, fixed_share=0.4)
    full = optimise(problem, "net_benefit", settings=EXACT)
    partners = partners_from_labels(problem)
    game = exchange_game(problem, partners, accepted=full.arcs, settings=EXACT)
    assert full.objective_value is not None
    assert math.isclose(game.grand_value, full.objective_value, rel_tol=1e-9, abs_tol=1e-9)
    assert math.isclose(shapley_exact(game).shares.sum(), full.objective_value, abs_tol=1e-6)
    fixed = fixed_benefit_game_from_solution(full, partners)
    assert math.isclose(fixed.grand_value, full.totals.net_benefit, abs_tol=1e-9)


def test_sampled_shapley_over_re_solved_coalitions_for_many_partners() -> None:
    problem = partner_problem(8, n_partners=20, n_arcs=30, fixed_share=0.0)
    partners = partners_from_labels(problem)
    value = exchange_value_function(problem, partners)
    sampled = shapley_sampled(partners.names, value, 20, seed=0)
    full = optimise(problem, "net_benefit").objective_value
    assert full is not None
    assert math.isclose(sampled.shares.sum(), full, rel_tol=1e-9)
    assert sampled.standard_errors is not None
    assert np.all(np.isfinite(sampled.standard_errors))


def test_proportional_split_by_tonnes_handled() -> None:
    problem = competing_receivers()
    solution = optimise(problem, "net_benefit")
    partners = partners_from_labels(problem)
    tonnes = tonnes_by_partner(solution, partners)
    np.testing.assert_allclose(tonnes, [10.0, 10.0, 0.0])
    split = proportional_split(partners.names, 50.0, tonnes)
    np.testing.assert_allclose(split.shares, [25.0, 25.0, 0.0])
    assert json.loads(json.dumps(split.to_dict()))["shares"]["cement"]["share"] == 25.0


def test_proportional_to_standalone_is_refused_when_nobody_gains_alone() -> None:
    with pytest.raises(InvalidGame, match="every weight is zero"):
        proportional_to_standalone(glove_game())


def test_proportional_to_standalone_values() -> None:
    game = Game.from_function(["a", "b"], lambda m: {1: 1.0, 2: 3.0, 3: 8.0}[m])
    np.testing.assert_allclose(proportional_to_standalone(game).shares, [2.0, 6.0])


def test_game_table_of_the_wrong_size_is_refused() -> None:
    with pytest.raises(InvalidGame, match=r"expected \(8,\)"):
        Game(("a", "b", "c"), np.zeros(7))
    with pytest.raises(InvalidGame, match="empty coalition"):
        Game(("a",), np.array([1.0, 2.0]))
    with pytest.raises(InvalidGame, match="receiver"):
        fixed_benefit_game(["a", "b"], np.array([0]), np.array([2]), np.array([1.0]))


def test_accepted_arc_outside_the_problem_is_refused() -> None:
    problem = competing_receivers()
    with pytest.raises(InvalidGame, match=r"accepted\[0\] = 5"):
        exchange_game(problem, partners_from_labels(problem), accepted=np.array([5]))
