"""The matrix LCA engine: results, factorisation reuse, properties and located errors."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from footprint_cases import make_system
from sinergi.errors import (
    IllConditionedTechnosphere,
    InvalidMatrix,
    MissingFactor,
    SingularTechnosphere,
    SolverUnavailable,
    UnknownMatrixId,
    ZeroProduction,
)
from sinergi.footprint.lca import (
    LcaSystem,
    SolverBackend,
    available_backends,
    block_structure,
    factorize,
    lca,
    resolve_backend,
)
from sinergi.footprint.lca.structure import _topological_labels


def test_two_process_chain_matches_hand_calculation():
    # process "cell" uses 0.5 kg of "nickel" per unit; B: CO2 per unit of each process
    a = sp.csc_array([[1.0, 0.0], [-0.5, 1.0]])
    b = sp.csc_array([[2.0, 4.0]])
    result = lca(a, b, np.array([1.0]), np.array([1.0, 0.0]), labels=["cell", "nickel"])
    assert result.supply[:, 0].tolist() == [1.0, 0.5]
    assert result.inventory[:, 0].tolist() == [4.0]
    assert result.scores.tolist() == [4.0]
    assert result.labels == ("cell", "nickel")
    assert result.solver == "block/scipy"


@pytest.mark.parametrize(
    ("strategy", "transpose"),
    [("block", None), ("block", True), ("block", False), ("whole", True), ("whole", False)],
)
def test_every_factorisation_solves_both_systems(strategy, transpose):
    system = make_system(200, seed=1)
    factor = factorize(system.technosphere, strategy=strategy, backend="scipy", transpose=transpose)
    rhs = np.random.default_rng(2).random((200, 3))
    x = factor.solve(rhs)
    y = factor.solve_transposed(rhs)
    assert np.abs(system.technosphere @ x - rhs).max() < 1e-12
    assert np.abs(system.technosphere.T @ y - rhs).max() < 1e-12
    np.testing.assert_allclose(factor.solve(rhs[:, 1]), x[:, 1], rtol=0, atol=1e-15)


def test_iterative_strategy_agrees_with_the_block_lu_without_factorising():
    system = make_system(300, seed=21, back=0.3)
    rhs = np.random.default_rng(3).random((300, 3))
    direct = factorize(system.technosphere)
    iterative = factorize(system.technosphere, strategy="iterative")
    for solve in ("solve", "solve_transposed"):
        expected = getattr(direct, solve)(rhs)
        np.testing.assert_allclose(getattr(iterative, solve)(rhs), expected, rtol=1e-9)
        np.testing.assert_allclose(getattr(iterative, solve)(rhs[:, 0]), expected[:, 0], rtol=1e-9)
    assert iterative.fallbacks == 0
    result = lca(
        system.technosphere, system.biosphere, system.factors, system.demand, strategy="iterative"
    )
    assert result.solver == "iterative/scipy"


def test_auto_strategy_hands_a_matrix_that_is_one_big_loop_to_the_whole_lu():
    rng = np.random.default_rng(9)
    n = 600
    cols = np.repeat(np.arange(n), 4)
    rows = (cols + rng.integers(1, n, len(cols))) % n  # uniformly random, never the diagonal
    a = sp.csc_array(
        (
            np.concatenate([np.ones(n), -rng.uniform(0, 0.2, len(rows))]),
            (np.concatenate([np.arange(n), rows]), np.concatenate([np.arange(n), cols])),
        ),
        shape=(n, n),
    )
    assert block_structure(a).largest >= 0.9 * n
    factor = factorize(a)
    assert factor.strategy.value == "whole"
    rhs = rng.random(n)
    assert np.abs(a @ factor.solve(rhs) - rhs).max() < 1e-12
    assert factorize(a, strategy="block").strategy.value == "block"  # asked for: kept
    small = make_system(200, seed=1)
    assert factorize(small.technosphere).strategy.value == "block"


def test_iterative_solve_that_cannot_converge_falls_back_to_the_lu():
    from sinergi.footprint.lca import IterativeSolver

    system = make_system(120, seed=22)
    demand = np.random.default_rng(4).random(120)
    stubborn = IterativeSolver(system.technosphere, [f"p{i}" for i in range(120)], rtol=1e-30)
    x = stubborn.solve(demand)
    assert stubborn.fallbacks == 1
    assert np.abs(system.technosphere @ x - demand).max() < 1e-12


def test_iterative_strategy_with_condition_check_names_the_processes_of_a_singular_loop():
    # the demand is consistent, so GMRES alone would return one of many supplies; the
    # condition check's solves fail to converge and the LU fallback names the loop
    a = sp.csc_array([[1.0, -1.0, 0.0], [-1.0, 1.0, 0.0], [0.0, -0.5, 1.0]])
    with pytest.raises(SingularTechnosphere, match=r"'a'.*'b'|'b'.*'a'"):
        lca(
            a,
            sp.csc_array([[1.0, 1.0, 1.0]]),
            np.array([1.0]),
            np.array([0.0, 0.0, 1.0]),
            labels=["a", "b", "c"],
            strategy="iterative",
        )


def test_public_triangular_solver_fallback_gives_the_same_supply(monkeypatch):
    system = make_system(100, seed=14)
    rhs = np.random.default_rng(1).random((100, 2))
    fast = factorize(system.technosphere)
    expected = fast.solve(rhs), fast.solve_transposed(rhs)
    monkeypatch.setattr("sinergi.footprint.lca.triangular._GSTRS", None)
    slow = factorize(system.technosphere)
    np.testing.assert_allclose(slow.solve(rhs), expected[0], rtol=1e-12)
    np.testing.assert_allclose(slow.solve_transposed(rhs), expected[1], rtol=1e-12)


def test_test_systems_have_loops_and_triangular_parts():
    structure = block_structure(make_system(300, seed=3).technosphere)
    assert 1 < structure.largest < 300
    assert (structure.sizes == 1).sum() > 10


def test_many_demands_equal_one_by_one():
    system = make_system(150, seed=4)
    demands = np.random.default_rng(5).random((150, 6))
    many = lca(system.technosphere, system.biosphere, system.factors, demands)
    for k in range(6):
        one = lca(system.technosphere, system.biosphere, system.factors, demands[:, k])
        np.testing.assert_allclose(many.supply[:, k], one.supply[:, 0], rtol=1e-12)
        np.testing.assert_allclose(many.scores[k], one.scores[0], rtol=1e-12)
    assert many.supply.shape == (150, 6)
    assert many.inventory.shape == (7, 6)


def test_block_and_whole_strategies_agree_with_dense_solve():
    system = make_system(120, seed=6)
    dense = np.linalg.solve(system.technosphere.toarray(), system.demand)
    for strategy in ("block", "whole"):
        result = lca(
            system.technosphere,
            system.biosphere,
            system.factors,
            system.demand,
            strategy=strategy,
            backend="scipy",
        )
        np.testing.assert_allclose(result.supply[:, 0], dense, rtol=1e-11, atol=1e-14)


def test_adjoint_scores_and_contributions_match_direct_scores():
    system = make_system(180, seed=7)
    model = LcaSystem(system.technosphere, system.biosphere, system.factors)
    demands = np.random.default_rng(8).random((180, 4))
    result = model.solve(demands)
    np.testing.assert_allclose(model.scores(demands), result.scores, rtol=1e-11)
    np.testing.assert_allclose(
        model.contributions(result.supply).sum(axis=0), result.scores, rtol=1e-11
    )


def test_demand_array_maps_ids_to_columns():
    system = make_system(10, seed=9)
    labels = [f"p{i}" for i in range(10)]
    model = LcaSystem(system.technosphere, system.biosphere, system.factors, labels=labels)
    demands = model.demand_array([{"p3": 2.0}, {"p0": 1.0, "p9": 0.5}])
    assert demands[3, 0] == 2.0
    assert demands[[0, 9], 1].tolist() == [1.0, 0.5]
    assert demands.sum() == 3.5
    with pytest.raises(UnknownMatrixId, match="p99"):
        model.demand_array({"p99": 1.0})


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 120), back=st.floats(0.0, 0.6))
def test_residual_is_tiny(seed, n, back):
    system = make_system(n, seed, back=back)
    result = lca(system.technosphere, system.biosphere, system.factors, system.demand)
    residual = system.technosphere @ result.supply[:, 0] - system.demand
    assert np.abs(residual).max() <= 1e-12 * max(1.0, np.abs(result.supply).max())


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), alpha=st.floats(-5, 5), beta=st.floats(-5, 5))
def test_supply_and_scores_are_linear_in_demand(seed, alpha, beta):
    system = make_system(60, seed)
    rng = np.random.default_rng(seed)
    f1, f2 = rng.random(60), rng.random(60)
    model = LcaSystem(system.technosphere, system.biosphere, system.factors)
    combined = model.solve(alpha * f1 + beta * f2)
    parts = model.solve(np.column_stack([f1, f2]))
    expected = alpha * parts.supply[:, 0] + beta * parts.supply[:, 1]
    np.testing.assert_allclose(combined.supply[:, 0], expected, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(
        combined.scores[0], alpha * parts.scores[0] + beta * parts.scores[1], rtol=1e-9, atol=1e-9
    )


def test_zero_production_names_the_process():
    a = sp.csc_array([[1.0, -0.2, 0.0], [0.0, 0.0, -0.5], [0.0, -0.1, 1.0]])
    with pytest.raises(ZeroProduction, match="'smelter'"):
        lca(a, np.ones((1, 3)), [1.0], [1.0, 0, 0], labels=["mine", "smelter", "grid"])


def test_singular_loop_names_both_processes():
    # two processes that only make each other, one for one: no unique supply
    a = sp.csc_array([[1.0, -1.0, 0.0], [-1.0, 1.0, 0.0], [0.0, -0.3, 1.0]])
    with pytest.raises(SingularTechnosphere, match="'loop a', 'loop b'") as info:
        lca(a, np.ones((1, 3)), [1.0], [0, 0, 1.0], labels=["loop a", "loop b", "grid"])
    assert "'grid'" not in str(info.value)


def test_singular_whole_strategy_names_the_block():
    a = sp.csc_array([[1.0, -1.0, 0.0], [-1.0, 1.0, 0.0], [0.0, -0.3, 1.0]])
    with pytest.raises(SingularTechnosphere, match="'loop a', 'loop b'"):
        factorize(a, labels=["loop a", "loop b", "grid"], strategy="whole", backend="scipy")


def test_empty_process_is_singular_and_named():
    a = sp.csc_array(([1.0, 1.0], ([0, 2], [0, 2])), shape=(3, 3))
    with pytest.raises(SingularTechnosphere, match="'idle'"):
        lca(a, np.ones((1, 3)), [1.0], [1.0, 0, 0], labels=["a", "idle", "c"])


def test_missing_factor_names_flow_and_emitting_process():
    a = sp.eye_array(3, format="csc")
    b = sp.csc_array([[1.0, 0.0, 0.0], [0.0, 0.0, 3.0]])
    with pytest.raises(MissingFactor, match=r"'CH4'.*'kiln'"):
        lca(
            a,
            b,
            [1.0, np.nan],
            [1.0, 1.0, 1.0],
            labels=["mine", "smelter", "kiln"],
            flow_labels=["CO2", "CH4"],
        )


def test_missing_factor_for_unused_flow_is_allowed():
    a = sp.eye_array(2, format="csc")
    b = sp.csc_array([[1.0, 2.0], [0.0, 0.0]])
    result = lca(a, b, [3.0, np.nan], [1.0, 1.0])
    assert result.scores.tolist() == [9.0]


def test_nan_exchange_is_located_by_labels():
    a = sp.csc_array([[1.0, np.nan], [0.0, 1.0]])
    with pytest.raises(InvalidMatrix, match=r"\('ore', 'mill'\)"):
        lca(a, np.ones((1, 2)), [1.0], [1.0, 0.0], labels=["ore", "mill"])


@pytest.mark.parametrize(
    ("a", "b", "c", "f", "message"),
    [
        (np.ones((2, 3)), np.ones((1, 3)), [1.0], [1.0, 1.0], "square"),
        (np.eye(2), np.ones((1, 3)), [1.0], [1.0, 1.0], "one column per process"),
        (np.eye(2), np.ones((1, 2)), [1.0, 2.0], [1.0, 1.0], "one factor per biosphere row"),
        (np.eye(2), np.ones((1, 2)), [1.0], [1.0, 1.0, 1.0], "shape"),
        (np.eye(2), np.ones((1, 2)), [1.0], [1.0, np.inf], "'column 1'"),
    ],
)
def test_bad_shapes_and_values_are_rejected(a, b, c, f, message):
    with pytest.raises(InvalidMatrix, match=message):
        lca(a, b, c, f)


def test_ill_conditioned_technosphere_warns():
    a = sp.csc_array([[1.0, -1.0], [-(1.0 - 1e-14), 1.0]])
    with pytest.warns(IllConditionedTechnosphere, match="condition estimate"):
        result = lca(a, np.ones((1, 2)), [1.0], [1.0, 0.0])
    assert result.condition is not None
    assert result.condition > 1e12


def test_condition_estimate_is_close_to_exact_on_small_system():
    system = make_system(40, seed=11)
    dense = system.technosphere.toarray()
    exact = np.linalg.cond(dense, 1)
    estimate = LcaSystem(system.technosphere, system.biosphere, system.factors).condition
    assert estimate is not None
    assert exact / 3 <= estimate <= exact * (1 + 1e-9)


def test_topological_repair_orders_suppliers_first():
    # component 0 reads 2, 2 reads 1: a valid order is 1, 2, 0
    labels = np.array([0, 1, 2], dtype=np.int64)
    ranks = _topological_labels(3, labels, np.array([0, 2]), np.array([2, 1]))
    assert ranks[1] < ranks[2] < ranks[0]


@pytest.mark.parametrize("backend", available_backends())
def test_every_installed_backend_solves_both_systems(backend):
    system = make_system(150, seed=13)
    factor = factorize(system.technosphere, strategy="whole", backend=backend)
    rhs = np.random.default_rng(3).random((150, 2))
    assert factor.backend is backend
    assert np.abs(system.technosphere @ factor.solve(rhs) - rhs).max() < 1e-12
    assert np.abs(system.technosphere.T @ factor.solve_transposed(rhs) - rhs).max() < 1e-12
    # alternating directions on one factorisation (PARDISO switches a solve flag per call)
    assert np.abs(system.technosphere @ factor.solve(rhs[:, 0]) - rhs[:, 0]).max() < 1e-12
    assert (
        np.abs(system.technosphere.T @ factor.solve_transposed(rhs[:, 1]) - rhs[:, 1]).max() < 1e-12
    )


def test_backend_resolution_falls_back_to_scipy():
    assert available_backends()[-1] is SolverBackend.SCIPY
    assert resolve_backend("auto") is available_backends()[0]
    if SolverBackend.PARDISO not in available_backends():
        with pytest.raises(SolverUnavailable, match=r"sinergi\[fast\]"):
            resolve_backend("pardiso")
