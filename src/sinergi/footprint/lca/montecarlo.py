"""Monte Carlo over per-entry distributions, reproducible on every execution backend.

Uncertainty is given per matrix entry, in COO form like ``bw_processing``'s distribution
arrays: row, column, distribution id (the ``stats_arrays`` ids below), ``loc``, ``scale``,
``minimum``, ``maximum``. Draw ``i`` of a run with root seed ``s`` uses the generator seeded by
``SeedSequence(s).spawn(N)[i]`` (built directly as ``SeedSequence(s, spawn_key=(i,))``, the
same thing), so draw ``i``'s score does not depend on the backend, the number of workers or the
chunking: ``serial``, ``process`` and ``dask`` runs agree bit for bit.

Every draw keeps A's sparsity pattern and strongly connected blocks; only values change.
Small systems refactorise the non-trivial blocks directly; systems whose largest block
exceeds :data:`ITERATIVE_BLOCK_SIZE` solve each draw with the draw's own Gauss–Seidel part in
block (supply-chain) order and GMRES over the loop-closing rows only
(:class:`~sinergi.footprint.lca.loop_reduction.LoopReduction`), checked by the true residual
and falling back to a direct factorisation if it does not converge.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from sinergi.errors import InvalidUncertainty
from sinergi.footprint.lca.arrays import FloatArray
from sinergi.footprint.lca.block_lu import BlockPlan, BlockTriangularLU
from sinergi.footprint.lca.checks import ArrayLike, Matrix, as_demands
from sinergi.footprint.lca.distributions import MatrixName, Sampler, Uncertainty, sampler
from sinergi.footprint.lca.interface import Strategy
from sinergi.footprint.lca.loop_reduction import GaussSeidelPlan, LoopReduction
from sinergi.footprint.lca.system import LcaSystem

#: Largest strongly connected block (processes) refactorised directly in each draw; above it
#: draws are solved iteratively. Measured on bench/footprint.py's n = 2,000 system (largest
#: block 293), solve only: 3.1-3.9 ms per direct draw vs 1.1 ms per iterative draw.
ITERATIVE_BLOCK_SIZE = 200

#: Relative residual ‖A x − f‖ / ‖f‖ an iterative draw must reach. The relative error of
#: the supply is at most about κ(A) times this; κ is ~4 on the bench systems, so draws keep
#: ~10 digits, inside the 1e-9 agreement with Brightway the tests require.
ITERATIVE_RTOL = 1e-11

#: Percentiles reported by :class:`MonteCarloResult` (a 95 % interval and the median).
PERCENTILES = (2.5, 50.0, 97.5)


class ExecutionBackend(StrEnum):
    """Where Monte Carlo draws run."""

    SERIAL = "serial"
    PROCESS = "process"
    DASK = "dask"


@dataclass(frozen=True)
class _Model:
    """Everything one worker needs to compute any draw; pickled once per worker/chunk."""

    seed: int
    plan: BlockPlan
    tech: sp.csc_array
    bio: sp.csc_array
    factors: FloatArray
    demand: FloatArray
    tech_sampler: Sampler
    bio_sampler: Sampler
    labels: tuple[str, ...]
    iterative: bool
    ordering: bool | None
    loops: LoopReduction

    def values(self, i: int) -> tuple[FloatArray, FloatArray]:
        rng = np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(i,)))
        return (
            self.tech_sampler.draw(self.tech.data, rng),
            self.bio_sampler.draw(self.bio.data, rng),
        )

    def score(self, tech_values: FloatArray, bio_values: FloatArray) -> float:
        supply = self.supply(tech_values)
        bio = sp.csc_array((bio_values, self.bio.indices, self.bio.indptr), shape=self.bio.shape)
        return float(self.factors @ (bio @ supply))

    def supply(self, tech_values: FloatArray) -> FloatArray:
        if self.iterative:
            x = self._iterate(tech_values)
            if x is not None:
                return x
        factor = self.plan.factorize(tech_values, self.labels, transpose=self.ordering)
        return factor.solve(self.demand)

    def _iterate(self, tech_values: FloatArray) -> FloatArray | None:
        """Solve one draw by :class:`LoopReduction`, or return None to factorise instead.

        The true residual ‖A x − f‖ is checked against 10× the tolerance: the reduced
        residual equals it in exact arithmetic, this guards against round-off.
        """
        tolerance = ITERATIVE_RTOL * float(np.linalg.norm(self.demand))
        x = self.loops.solve(tech_values, self.demand, tolerance=tolerance)
        if x is None:
            return None
        matrix = sp.csc_array(
            (tech_values, self.tech.indices, self.tech.indptr), shape=self.tech.shape
        )
        residual = float(np.linalg.norm(matrix @ x - self.demand))
        return x if residual <= 10 * tolerance else None  # False for NaN too


def _run_draws(model: _Model, start: int, stop: int) -> FloatArray:
    """Return the scores of draws ``start..stop-1`` (a top-level function: picklable)."""
    return np.array([model.score(*model.values(i)) for i in range(start, stop)])


@dataclass(frozen=True)
class MonteCarloResult:
    """Scores per draw and their summary statistics."""

    scores: FloatArray
    seed: int
    backend: ExecutionBackend

    @property
    def mean(self) -> float:
        """Return the mean score."""
        return float(self.scores.mean())

    @property
    def std(self) -> float:
        """Return the sample standard deviation (ddof = 1)."""
        return float(self.scores.std(ddof=1)) if len(self.scores) > 1 else float("nan")

    @property
    def percentiles(self) -> dict[float, float]:
        """Return the 2.5th, 50th and 97.5th percentiles."""
        values = np.percentile(self.scores, PERCENTILES)
        return {p: float(v) for p, v in zip(PERCENTILES, values, strict=True)}

    @property
    def running_relative_error(self) -> FloatArray:
        """Return the running mean's relative standard error after each draw (NaN before 2)."""
        k = np.arange(1, len(self.scores) + 1, dtype=np.float64)
        mean = np.cumsum(self.scores) / k
        second = np.cumsum(self.scores**2) / k
        with np.errstate(invalid="ignore", divide="ignore"):
            var = np.maximum(second - mean**2, 0.0) * k / (k - 1)
            rse = np.sqrt(var / k) / np.abs(mean)
        rse[0] = np.nan
        return np.asarray(rse, dtype=np.float64)

    @property
    def relative_standard_error(self) -> float:
        """Return the final relative standard error of the mean: the convergence statistic."""
        return float(self.running_relative_error[-1])


class MonteCarlo:
    """Monte Carlo LCA over per-entry distributions with a root seed.

    Parameters
    ----------
    technosphere, biosphere, characterization
        As for :func:`sinergi.footprint.lca`.
    demand
        One demand vector (length n).
    uncertainty
        One or more :class:`Uncertainty` specifications (technosphere and/or biosphere).
    seed
        Root seed; draw ``i`` uses ``SeedSequence(seed).spawn(N)[i]``.
    backend
        ``serial``, ``process`` (a process pool) or ``dask`` (``client`` or a temporary
        in-process cluster).
    client
        A ``distributed.Client`` for the dask backend.
    workers
        Process-pool size for ``process``.
    labels, flow_labels
        Process and flow ids for error messages.
    iterative
        Force (``True``) or forbid (``False``) iterative draws; by default iterative when the
        largest block exceeds :data:`ITERATIVE_BLOCK_SIZE`.
    """

    def __init__(
        self,
        technosphere: Matrix,
        biosphere: Matrix,
        characterization: ArrayLike,
        demand: ArrayLike,
        *,
        uncertainty: Uncertainty | Sequence[Uncertainty],
        seed: int,
        backend: ExecutionBackend | str = ExecutionBackend.SERIAL,
        client: Any = None,
        workers: int = 2,
        labels: Sequence[str] | None = None,
        flow_labels: Sequence[str] | None = None,
        iterative: bool | None = None,
    ) -> None:
        system = LcaSystem(
            technosphere,
            biosphere,
            characterization,
            labels=labels,
            flow_labels=flow_labels,
            strategy=Strategy.BLOCK,
            # a nominal A singular to working precision raises here, naming its processes;
            # each draw's block factorisation checks its pivots (BlockPlan.factorize)
            check_condition=True,
        )
        specs = [uncertainty] if isinstance(uncertainty, Uncertainty) else list(uncertainty)
        tech_specs = [s for s in specs if s.matrix is MatrixName.TECHNOSPHERE]
        bio_specs = [s for s in specs if s.matrix is MatrixName.BIOSPHERE]
        demand_vector = as_demands(demand, len(system.labels), system.labels)[:, 0]
        nominal = system.factorization
        if not isinstance(nominal, BlockTriangularLU):  # pragma: no cover - default strategy
            raise InvalidUncertainty("Monte Carlo needs the block strategy")
        self.backend = ExecutionBackend(backend)
        self.client = client
        self.workers = workers
        self.model = _Model(
            seed=int(seed),
            plan=nominal.plan,
            tech=system.technosphere,
            bio=system.biosphere,
            factors=system.factors,
            demand=demand_vector,
            tech_sampler=sampler(system.technosphere, tech_specs, system.labels, system.labels),
            bio_sampler=sampler(system.biosphere, bio_specs, system.flow_labels, system.labels),
            labels=tuple(system.labels),
            iterative=(
                nominal.plan.structure.largest > ITERATIVE_BLOCK_SIZE
                if iterative is None
                else iterative
            ),
            ordering=nominal.plan.ordering,
            loops=LoopReduction(nominal.plan, GaussSeidelPlan(nominal.plan)),
        )

    @property
    def technosphere_pattern(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Return (rows, cols) of A's entries in the order of :meth:`draw_values` output."""
        coo = self.model.tech.tocoo()
        return coo.row.astype(np.int64), coo.col.astype(np.int64)

    @property
    def biosphere_pattern(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Return (rows, cols) of B's entries in the order of :meth:`draw_values` output."""
        coo = self.model.bio.tocoo()
        return coo.row.astype(np.int64), coo.col.astype(np.int64)

    def draw_values(self, i: int) -> tuple[FloatArray, FloatArray]:
        """Return draw ``i``'s technosphere and biosphere entry values (canonical CSC order)."""
        return self.model.values(i)

    def score_of(self, tech_values: FloatArray, bio_values: FloatArray) -> float:
        """Return the score for given entry values (to feed fixed draws, e.g. in tests)."""
        return self.model.score(tech_values, bio_values)

    def run(
        self,
        iterations: int,
        *,
        chunk_size: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> MonteCarloResult:
        """Run draws ``0..iterations-1`` and summarise their scores.

        ``progress(done, total)`` is called as chunks of draws finish (any backend).
        """
        if iterations < 1:
            raise InvalidUncertainty(f"iterations must be at least 1, got {iterations}")
        size = chunk_size or max(1, -(-iterations // (4 * max(self.workers, 1))))
        chunks = [(a, min(a + size, iterations)) for a in range(0, iterations, size)]
        tick = _Ticker(iterations, progress)
        if self.backend is ExecutionBackend.SERIAL:
            parts = [tick(_run_draws(self.model, a, b)) for a, b in chunks]
        elif self.backend is ExecutionBackend.PROCESS:
            parts = self._run_processes(chunks, tick)
        else:
            parts = self._run_dask(chunks, tick)
        return MonteCarloResult(np.concatenate(parts), self.model.seed, self.backend)

    def _run_processes(self, chunks: list[tuple[int, int]], tick: _Ticker) -> list[FloatArray]:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=context) as pool:
            futures = [pool.submit(_run_draws, self.model, a, b) for a, b in chunks]
            return [tick(f.result()) for f in futures]

    def _run_dask(self, chunks: list[tuple[int, int]], tick: _Ticker) -> list[FloatArray]:
        from distributed import Client

        if self.client is not None:
            return self._submit(self.client, chunks, tick)
        with Client(
            processes=False,
            n_workers=1,  # type: ignore[no-untyped-call]
            threads_per_worker=self.workers,
            dashboard_address=None,
        ) as client:
            return self._submit(client, chunks, tick)

    def _submit(
        self, client: Any, chunks: list[tuple[int, int]], tick: _Ticker
    ) -> list[FloatArray]:
        [model] = client.scatter([self.model], broadcast=True)
        futures = [client.submit(_run_draws, model, a, b, pure=False) for a, b in chunks]
        # results in submission order (the reproducibility contract), counted as each arrives
        return [tick(np.asarray(f.result(), dtype=np.float64)) for f in futures]


class _Ticker:
    """Count finished draws and report them to an optional ``progress(done, total)``."""

    def __init__(self, total: int, progress: Callable[[int, int], None] | None) -> None:
        self.total = total
        self.done = 0
        self.progress = progress

    def __call__(self, scores: FloatArray) -> FloatArray:
        self.done += len(scores)
        if self.progress is not None:
            self.progress(self.done, self.total)
        return scores
