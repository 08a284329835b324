"""Monte Carlo: per-draw seeds, identical results on every backend, statistics, validation."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
import scipy.sparse as sp

from footprint_cases import lognormal_inputs, make_system
from sinergi.errors import InvalidUncertainty
from sinergi.footprint.lca import Distribution, MonteCarlo, MonteCarloResult, Uncertainty, lca
from sinergi.footprint.lca.distributions import sample


def _monte_carlo(seed: int = 1, **kwargs) -> MonteCarlo:
    system = make_system(80, seed=12)
    b = system.biosphere.tocoo()
    specs = [
        lognormal_inputs(system, 0.3),
        Uncertainty.of(
            "biosphere",
            b.row,
            b.col,
            np.full(b.nnz, 5),
            b.data,
            minimum=0.8 * b.data,
            maximum=1.3 * b.data,
        ),
    ]
    return MonteCarlo(
        system.technosphere,
        system.biosphere,
        system.factors,
        system.demand,
        uncertainty=specs,
        seed=seed,
        **kwargs,
    )


@pytest.fixture(scope="module")
def dask_client() -> Iterator[object]:
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_draw_seed_is_the_spawned_child_of_the_root_seed():
    mc = _monte_carlo(seed=99)
    child = np.random.SeedSequence(99).spawn(5)[3]
    rng = np.random.default_rng(child)
    tech = mc.model.tech_sampler.draw(mc.model.tech.data, rng)
    assert np.array_equal(tech, mc.draw_values(3)[0])


def test_serial_chunking_does_not_change_any_draw():
    mc = _monte_carlo()
    whole = mc.run(12, chunk_size=12).scores
    assert np.array_equal(whole, mc.run(12, chunk_size=5).scores)
    assert np.array_equal(whole[:4], mc.run(4).scores)


def test_serial_process_and_dask_agree_bit_for_bit(dask_client):
    serial = _monte_carlo().run(10).scores
    process = _monte_carlo(backend="process", workers=2).run(10, chunk_size=3).scores
    dask = _monte_carlo(backend="dask", client=dask_client).run(10, chunk_size=4).scores
    assert np.array_equal(serial, process)
    assert np.array_equal(serial, dask)


def test_iterative_and_direct_draws_agree():
    direct = _monte_carlo(iterative=False).run(8).scores
    iterative = _monte_carlo(iterative=True).run(8).scores
    np.testing.assert_allclose(iterative, direct, rtol=1e-11)


def test_different_root_seeds_give_different_draws():
    assert not np.array_equal(
        _monte_carlo(seed=1).run(3).scores, _monte_carlo(seed=2).run(3).scores
    )


def test_statistics_and_convergence_of_a_run():
    result = _monte_carlo().run(200)
    scores = result.scores
    assert result.mean == pytest.approx(scores.mean())
    assert result.std == pytest.approx(scores.std(ddof=1))
    pct = result.percentiles
    assert pct[2.5] < pct[50.0] < pct[97.5]
    assert pct[50.0] == pytest.approx(np.median(scores))
    running = result.running_relative_error
    assert np.isnan(running[0])
    assert result.relative_standard_error == pytest.approx(
        scores.std(ddof=1) / np.sqrt(200) / abs(scores.mean()), rel=1e-9
    )
    assert running[-1] < running[9]


def test_relative_error_of_constant_scores_is_zero():
    result = MonteCarloResult(np.full(5, 2.0), seed=0, backend="serial")
    assert result.relative_standard_error == 0.0
    assert result.std == 0.0


def test_samples_follow_their_distributions():
    rng = np.random.default_rng(4)
    n = 20_000
    dist = np.repeat([2, 3, 4, 5], n)
    loc = np.repeat([np.log(2.0), 10.0, np.nan, 1.0], n)
    scale = np.repeat([0.1, 2.0, np.nan, np.nan], n)
    low = np.repeat([np.nan, np.nan, -1.0, 0.0], n)
    high = np.repeat([np.nan, np.nan, 1.0, 4.0], n)
    nominal = np.repeat([-2.0, 10.0, 0.0, 1.0], n)
    out = sample(dist, loc, scale, low, high, nominal, rng).reshape(4, n)
    assert (out[0] < 0).all()  # lognormal keeps the nominal (input) sign
    assert np.median(-out[0]) == pytest.approx(2.0, rel=0.01)
    assert out[1].mean() == pytest.approx(10.0, abs=0.05)
    assert out[1].std() == pytest.approx(2.0, rel=0.03)
    assert out[2].min() >= -1.0
    assert out[2].max() <= 1.0
    assert out[3].mean() == pytest.approx(5.0 / 3.0, rel=0.01)
    assert Distribution.TRIANGULAR == 5


@pytest.mark.parametrize(
    ("dist", "loc", "scale", "low", "high", "message"),
    [
        (2, 0.0, -1.0, None, None, "scale > 0"),
        (4, 0.0, None, 2.0, 1.0, "minimum < maximum"),
        (5, 3.0, None, 0.0, 1.0, "minimum <= loc"),
        (9, 0.0, None, None, None, "unknown distribution"),
    ],
)
def test_bad_parameters_are_located(dist, loc, scale, low, high, message):
    system = make_system(10, seed=1)
    spec = Uncertainty.of(
        "technosphere",
        [0],
        [0],
        [dist],
        [loc],
        None if scale is None else [scale],
        None if low is None else [low],
        None if high is None else [high],
    )
    with pytest.raises(InvalidUncertainty, match=message) as info:
        MonteCarlo(
            system.technosphere,
            system.biosphere,
            system.factors,
            system.demand,
            uncertainty=spec,
            seed=0,
            labels=[f"p{i}" for i in range(10)],
        )
    assert "('p0', 'p0')" in str(info.value)


def test_uncertainty_on_a_missing_exchange_is_refused():
    system = make_system(10, seed=1)
    dense = system.technosphere.toarray()
    row, col = np.argwhere(dense == 0)[0]
    spec = Uncertainty.of("technosphere", [row], [col], [3], [0.0], [1.0])
    with pytest.raises(InvalidUncertainty, match="no such entry"):
        MonteCarlo(
            system.technosphere,
            system.biosphere,
            system.factors,
            system.demand,
            uncertainty=spec,
            seed=0,
        )


def test_run_needs_at_least_one_draw():
    with pytest.raises(InvalidUncertainty, match="at least 1"):
        _monte_carlo().run(0)


@pytest.mark.parametrize("iterative", [True, False])
def test_draws_with_negative_production_columns_equal_direct_solves(iterative):
    # waste-treatment columns (production −1) keep their sign through lognormal draws
    base = make_system(120, seed=21)
    flip = np.where(np.random.default_rng(21).random(120) < 0.15, -1.0, 1.0)
    a = sp.csc_array(base.technosphere @ sp.diags_array(flip))
    coo = a.tocoo()
    off = coo.row != coo.col
    spec = Uncertainty.of(
        "technosphere",
        coo.row[off],
        coo.col[off],
        np.full(off.sum(), int(Distribution.LOGNORMAL)),
        np.log(np.abs(coo.data[off])),
        np.full(off.sum(), 0.2),
    )
    mc = MonteCarlo(
        a, base.biosphere, base.factors, base.demand, uncertainty=spec, seed=4, iterative=iterative
    )
    scores = mc.run(4).scores
    rows, cols = mc.technosphere_pattern
    for i, score in enumerate(scores):
        tech, _ = mc.draw_values(i)
        drawn = sp.csc_array((tech, (rows, cols)), shape=a.shape)
        assert np.array_equal(np.sign(drawn.diagonal()), flip)
        direct = lca(drawn, base.biosphere, base.factors, base.demand)
        assert score == pytest.approx(direct.scores[0], rel=1e-9)


@pytest.mark.parametrize("backend", ["serial", "process"])
def test_run_reports_progress_as_chunks_finish(backend):
    calls: list[tuple[int, int]] = []
    mc = _monte_carlo(backend=backend)
    result = mc.run(10, chunk_size=3, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(3, 10), (6, 10), (9, 10), (10, 10)]
    assert np.array_equal(result.scores, _monte_carlo().run(10).scores)
