"""Cross-check sinergi.footprint against Brightway (bw2calc 3.1) on the same matrices.

The same seeded systems are fed to bw2calc through ``bw_processing`` datapackages (indices,
signed data, no flips), process ids ``1..n`` and flow ids ``FLOW0 + row``, and every supply,
inventory and score must agree to 1e-9 relative.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from footprint_cases import System, lognormal_inputs, make_system
from sinergi.footprint.lca import LcaSystem, MonteCarlo, Uncertainty, lca

with warnings.catch_warnings():
    # allow-list: bw2calc warns at import that pypardiso is not installed (a speed hint)
    warnings.simplefilter("ignore", UserWarning)
    bc = pytest.importorskip("bw2calc")
bwp = pytest.importorskip("bw_processing")

FLOW0 = 1_000_000
RTOL = 1e-9


def _indices(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    idx = np.empty(len(rows), dtype=bwp.INDICES_DTYPE)
    idx["row"], idx["col"] = rows, cols
    return idx


def _datapackage(system: System, tech: np.ndarray | None = None, bio: np.ndarray | None = None):
    """Return a datapackage; 2-D ``tech``/``bio`` give array resources used in sequence."""
    dp = bwp.create_datapackage(sequential=True)
    a, b = system.technosphere.tocoo(), system.biosphere.tocoo()
    for matrix, coo, rows, values in (
        ("technosphere_matrix", a, a.row + 1, tech),
        ("biosphere_matrix", b, b.row + FLOW0, bio),
    ):
        indices = _indices(rows, coo.col + 1)
        if values is None:
            dp.add_persistent_vector(
                matrix=matrix, indices_array=indices, data_array=coo.data, name=matrix
            )
        else:
            dp.add_persistent_array(
                matrix=matrix, indices_array=indices, data_array=values, name=matrix
            )
    flows = np.arange(len(system.factors)) + FLOW0
    dp.add_persistent_vector(
        matrix="characterization_matrix",
        indices_array=_indices(flows, flows),
        data_array=system.factors,
        name="cf",
    )
    return dp


def _bw_inventory(model, m: int) -> np.ndarray:
    summed = np.asarray(model.inventory.sum(axis=1)).ravel()
    out = np.zeros(m)
    for flow, row in model.dicts.biosphere.items():
        out[flow - FLOW0] = summed[row]
    return out


def _bw_lca(system: System, demand: np.ndarray, dp=None):
    nonzero = {int(i) + 1: float(demand[i]) for i in np.flatnonzero(demand)}
    model = bc.LCA(nonzero, data_objs=[dp or _datapackage(system)])
    model.lci()
    model.lcia()
    return model


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_single_demand_matches_bw2calc(seed):
    system = make_system(250, seed)
    ours = lca(system.technosphere, system.biosphere, system.factors, system.demand)
    theirs = _bw_lca(system, system.demand)
    np.testing.assert_allclose(ours.supply[:, 0], theirs.supply_array, rtol=RTOL, atol=1e-13)
    np.testing.assert_allclose(
        ours.inventory[:, 0], _bw_inventory(theirs, system.biosphere.shape[0]), rtol=RTOL
    )
    assert ours.scores[0] == pytest.approx(theirs.score, rel=RTOL)


def _waste_treatment_system() -> System:
    """A plant whose waste goes to a treatment activity, in Brightway's sign convention.

    Columns: plant (makes 1 t product, sends 0.5 t waste to treatment, uses 0.2 MWh),
    treatment (reference product: the waste, production −1; uses 0.1 MWh per t treated and
    emits 2 t CO2), power (1 MWh, emits 1 t CO2). Synthetic numbers.
    """
    a = sp.csc_array(
        np.array(
            [
                [1.0, 0.0, 0.0],
                [0.5, -1.0, 0.0],
                [-0.2, -0.1, 1.0],
            ]
        )
    )
    b = sp.csc_array(np.array([[0.0, 2.0, 1.0]]))
    return System(a, b, np.array([1.0]), np.array([1.0, 0.0, 0.0]))


def test_waste_treatment_with_negative_production_matches_hand_and_bw2calc():
    system = _waste_treatment_system()
    ours = lca(system.technosphere, system.biosphere, system.factors, system.demand)
    # by hand: treatment runs 0.5 (of its −1 t), power 0.2 + 0.1 × 0.5 = 0.25 MWh
    np.testing.assert_allclose(ours.supply[:, 0], [1.0, 0.5, 0.25], rtol=1e-15)
    assert ours.scores[0] == pytest.approx(2.0 * 0.5 + 0.25, rel=1e-15)
    theirs = _bw_lca(system, system.demand)
    np.testing.assert_allclose(ours.supply[:, 0], theirs.supply_array, rtol=RTOL)
    assert ours.scores[0] == pytest.approx(theirs.score, rel=RTOL)
    # Brightway's functional unit "treat 1 t of waste" is a demand of −1 in the waste's row
    treat = lca(system.technosphere, system.biosphere, system.factors, [0.0, -1.0, 0.0])
    theirs_treat = _bw_lca(system, np.array([0.0, -1.0, 0.0]))
    assert treat.scores[0] == pytest.approx(2.0 + 0.1, rel=1e-15)
    assert treat.scores[0] == pytest.approx(theirs_treat.score, rel=RTOL)


@pytest.mark.parametrize("strategy", ["block", "whole", "iterative"])
@pytest.mark.parametrize("seed", [3, 4])
def test_negative_production_columns_match_bw2calc(strategy, seed):
    # a tenth of the processes written with negative production (their whole column flipped)
    base = make_system(200, seed)
    flip = np.where(np.random.default_rng(seed).random(200) < 0.1, -1.0, 1.0)
    a = sp.csc_array(base.technosphere @ sp.diags_array(flip))
    system = System(a, base.biosphere, base.factors, base.demand)
    assert (a.diagonal() < 0).sum() > 5
    ours = lca(a, system.biosphere, system.factors, system.demand, strategy=strategy)
    theirs = _bw_lca(system, system.demand)
    np.testing.assert_allclose(ours.supply[:, 0], theirs.supply_array, rtol=RTOL, atol=1e-13)
    assert ours.scores[0] == pytest.approx(theirs.score, rel=RTOL)


def test_many_demands_match_bw2calc_one_by_one():
    system = make_system(200, seed=5)
    rng = np.random.default_rng(6)
    demands = np.zeros((200, 8))
    for k in range(8):
        demands[rng.integers(0, 200, 2), k] = rng.uniform(0.5, 3, 2)
    ours = LcaSystem(system.technosphere, system.biosphere, system.factors).solve(demands)
    model = _bw_lca(system, demands[:, 0])
    for k in range(8):
        model.lci(demand={int(i) + 1: float(demands[i, k]) for i in np.flatnonzero(demands[:, k])})
        model.lcia()
        np.testing.assert_allclose(ours.supply[:, k], model.supply_array, rtol=RTOL, atol=1e-13)
        assert ours.scores[k] == pytest.approx(model.score, rel=RTOL)


def test_monte_carlo_with_fixed_draws_matches_bw2calc():
    system = make_system(150, seed=9)
    a, b = system.technosphere.tocoo(), system.biosphere.tocoo()
    specs = [
        lognormal_inputs(system, 0.2),
        Uncertainty.of(
            "biosphere",
            b.row,
            b.col,
            np.full(b.nnz, 4),
            np.zeros(b.nnz),
            minimum=0.5 * b.data,
            maximum=1.5 * b.data,
        ),
    ]
    mc = MonteCarlo(
        system.technosphere,
        system.biosphere,
        system.factors,
        system.demand,
        uncertainty=specs,
        seed=42,
    )
    draws = 6
    ours = mc.run(draws)
    values = [mc.draw_values(i) for i in range(draws)]
    # the patterns of our draw values are A's and B's canonical CSC entries, like tocoo()
    assert np.array_equal(mc.technosphere_pattern[0], a.row)
    assert np.array_equal(mc.biosphere_pattern[1], b.col)
    tech = np.column_stack([v[0] for v in values])
    bio = np.column_stack([v[1] for v in values])
    dp = _datapackage(system, tech, bio)
    nonzero = {int(i) + 1: float(system.demand[i]) for i in np.flatnonzero(system.demand)}
    model = bc.LCA(nonzero, data_objs=[dp], use_arrays=True)
    model.lci()
    model.lcia()
    theirs = [model.score]
    for _ in range(draws - 1):
        next(model)
        theirs.append(model.score)
    np.testing.assert_allclose(ours.scores, theirs, rtol=RTOL)
    assert len(set(np.round(theirs, 6))) == draws  # the draws really differ


def test_iterative_monte_carlo_draws_match_bw2calc_too():
    system = make_system(120, seed=10)
    a = system.technosphere.tocoo()
    off = a.row != a.col
    spec = Uncertainty.of(
        "technosphere",
        a.row[off],
        a.col[off],
        np.full(off.sum(), 3),
        a.data[off],
        np.abs(a.data[off]) * 0.1,
    )
    mc = MonteCarlo(
        system.technosphere,
        system.biosphere,
        system.factors,
        system.demand,
        uncertainty=spec,
        seed=3,
        iterative=True,
    )
    tech, bio = mc.draw_values(0)
    dp = _datapackage(system, tech[:, None], bio[:, None])
    nonzero = {int(i) + 1: float(system.demand[i]) for i in np.flatnonzero(system.demand)}
    model = bc.LCA(nonzero, data_objs=[dp], use_arrays=True)
    model.lci()
    model.lcia()
    assert mc.run(1).scores[0] == pytest.approx(model.score, rel=RTOL)
    assert sp.issparse(model.technosphere_matrix)
