"""Krylov over the loop-closing rows only: same answer as the block LU, fewer unknowns."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve

from footprint_cases import lognormal_inputs, make_system
from sinergi.errors import SingularTechnosphere
from sinergi.footprint.lca import BlockPlan, GaussSeidelPlan, LoopReduction, montecarlo


def _reduction(a: sp.csc_array) -> tuple[BlockPlan, LoopReduction]:
    plan = BlockPlan(a)
    return plan, LoopReduction(plan, GaussSeidelPlan(plan))


def _draw(plan: BlockPlan, values: np.ndarray, seed: int) -> np.ndarray:
    """Scale every input (off-diagonal entry) by a lognormal factor, as a Monte Carlo draw."""
    rng = np.random.default_rng(seed)
    off = plan.rows != plan.cols
    out = values.copy()
    out[off] *= rng.lognormal(0.0, 0.3, off.sum())
    return out


@pytest.mark.parametrize("seed", [3, 5, 8])
def test_loop_reduction_gives_the_block_lu_supply_with_fewer_unknowns(seed):
    # make_system's loops are local (inputs from up to five processes downstream), so there
    # are many small blocks and paths between them through processes outside any loop: the
    # path set must carry those, or the supply would be wrong
    system = make_system(400, seed=seed, back=0.3)
    plan, loops = _reduction(system.technosphere)
    labels = [f"p{i}" for i in range(400)]
    rhs = np.random.default_rng(seed).random(400)
    for draw in range(3):
        values = _draw(plan, plan.canonical(system.technosphere), 10 * seed + draw)
        tolerance = 1e-12 * np.linalg.norm(rhs)
        x = loops.solve(values, rhs, tolerance=tolerance)
        assert x is not None
        expected = plan.factorize(values, labels).solve(rhs)
        np.testing.assert_allclose(x, expected, rtol=1e-10, atol=1e-14)
        a = sp.csc_array((values, (plan.rows, plan.cols)), shape=(400, 400))
        assert np.linalg.norm(a @ x - rhs) <= 10 * tolerance
    assert plan.structure.n_blocks < 400  # there are loops ...
    assert 0 < loops.size < len(plan.dense_nodes)  # only rows closing a loop are unknowns


def test_loop_reduction_without_loops_is_one_triangular_solve():
    system = make_system(150, seed=4, back=0.0)
    plan, loops = _reduction(system.technosphere)
    assert loops.size == 0
    rhs = np.random.default_rng(1).random(150)
    x = loops.solve(plan.canonical(system.technosphere), rhs, tolerance=1e-12)
    np.testing.assert_allclose(x, spsolve(system.technosphere.tocsc(), rhs), rtol=1e-12)


def test_loop_reduction_that_cannot_reach_the_tolerance_returns_none():
    system = make_system(200, seed=6, back=0.3)
    plan, loops = _reduction(system.technosphere)
    rhs = np.ones(200)
    assert loops.solve(plan.canonical(system.technosphere), rhs, tolerance=1e-30, maxiter=1) is None


def test_monte_carlo_draws_that_do_not_converge_fall_back_to_the_lu(monkeypatch):
    system = make_system(120, seed=9, back=0.3)
    spec = lognormal_inputs(system, 0.2)

    def run(**kwargs: object) -> np.ndarray:
        return (
            montecarlo.MonteCarlo(
                system.technosphere,
                system.biosphere,
                system.factors,
                system.demand,
                uncertainty=spec,
                seed=4,
                **kwargs,
            )
            .run(5)
            .scores
        )

    direct = run(iterative=False)
    monkeypatch.setattr(montecarlo, "ITERATIVE_RTOL", 1e-30)  # unreachable: every draw falls back
    np.testing.assert_allclose(run(iterative=True), direct, rtol=1e-12)


def test_a_draw_with_a_zero_production_amount_is_a_located_error_not_nan():
    # a zero on the diagonal makes the Gauss-Seidel part singular: its solves give inf/NaN,
    # which must not pass the residual check; the LU fallback then names the process
    system = make_system(120, seed=9, back=0.3)
    labels = [f"p{i}" for i in range(120)]
    spec = lognormal_inputs(system, 0.2)
    mc = montecarlo.MonteCarlo(
        system.technosphere,
        system.biosphere,
        system.factors,
        system.demand,
        uncertainty=spec,
        seed=1,
        iterative=True,
        labels=labels,
    )
    values = mc.model.tech.data.copy()
    plan = mc.model.plan
    diagonal = np.flatnonzero(plan.rows == plan.cols)
    values[diagonal[plan.rows[diagonal] == 7]] = 0.0
    with pytest.raises(SingularTechnosphere, match="p7"):
        mc.model.supply(values)


@pytest.mark.parametrize("seed", range(5))
def test_loop_reduction_on_random_loop_structures_matches_a_direct_solve(seed):
    # uniformly random inputs: one large block whose loops close in every direction, plus
    # whatever small blocks chance makes; column diagonal dominance keeps A nonsingular
    rng = np.random.default_rng(seed)
    n, k = 60, 3
    rows = rng.integers(0, n, n * k)
    cols = np.repeat(np.arange(n), k)
    keep = rows != cols
    a = sp.csc_array(
        (
            np.concatenate([np.ones(n), -rng.uniform(0, 0.9 / k, keep.sum())]),
            (
                np.concatenate([np.arange(n), rows[keep]]),
                np.concatenate([np.arange(n), cols[keep]]),
            ),
        ),
        shape=(n, n),
    )
    a.sum_duplicates()
    plan, loops = _reduction(a)
    rhs = rng.random(n)
    x = loops.solve(plan.canonical(a), rhs, tolerance=1e-13 * np.linalg.norm(rhs))
    assert x is not None
    np.testing.assert_allclose(x, spsolve(a.tocsc(), rhs), rtol=1e-10)
