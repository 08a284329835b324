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
(:class:`~sinergi.footprint.solver.LoopReduction`), checked by the true residual and falling
back to a direct factorisation if it does not converge.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from sinergi.errors import InvalidUncertainty
from sinergi.footprint.engine import ArrayLike, LcaSystem, Matrix, as_demands
from sinergi.footprint.solver import (
    BlockPlan,
    BlockTriangularLU,
    FloatArray,
    GaussSeidelPlan,
    LoopReduction,
    Strategy,
)

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


class Distribution(IntEnum):
    """Distribution ids, numbered as in ``stats_arrays`` / ``bw_processing``."""

    UNDEFINED = 0
    NONE = 1
    LOGNORMAL = 2
    NORMAL = 3
    UNIFORM = 4
    TRIANGULAR = 5


class MatrixName(StrEnum):
    """Which matrix an uncertainty specification applies to."""

    TECHNOSPHERE = "technosphere"
    BIOSPHERE = "biosphere"


class ExecutionBackend(StrEnum):
    """Where Monte Carlo draws run."""

    SERIAL = "serial"
    PROCESS = "process"
    DASK = "dask"


@dataclass(frozen=True)
class Uncertainty:
    """Distributions for some entries of one matrix (COO, one array element per entry).

    ``lognormal``: ``sign(nominal) · exp(N(loc, scale))`` — ``loc`` is the log of the
    median magnitude, the sign is the nominal entry's (inputs stay negative). ``normal``:
    ``N(loc, scale)``. ``uniform``: ``U(minimum, maximum)``. ``triangular``: mode ``loc``
    between ``minimum`` and ``maximum``. ``none``/``undefined`` keep the nominal value.
    Bounds are not applied to normal or lognormal draws.
    """

    matrix: MatrixName
    rows: npt.NDArray[np.int64]
    cols: npt.NDArray[np.int64]
    distribution: npt.NDArray[np.int64]
    loc: FloatArray
    scale: FloatArray = field(default_factory=lambda: np.zeros(0))
    minimum: FloatArray = field(default_factory=lambda: np.zeros(0))
    maximum: FloatArray = field(default_factory=lambda: np.zeros(0))

    @classmethod
    def of(
        cls,
        matrix: MatrixName | str,
        rows: ArrayLike,
        cols: ArrayLike,
        distribution: ArrayLike,
        loc: ArrayLike,
        scale: ArrayLike | None = None,
        minimum: ArrayLike | None = None,
        maximum: ArrayLike | None = None,
    ) -> Uncertainty:
        """Build from array-likes; omitted parameters are NaN."""
        r = np.asarray(rows, dtype=np.int64)

        def fill(x: ArrayLike | None) -> FloatArray:
            return np.full(len(r), np.nan) if x is None else np.asarray(x, dtype=np.float64)

        return cls(
            MatrixName(matrix),
            r,
            np.asarray(cols, dtype=np.int64),
            np.asarray(distribution, dtype=np.int64),
            fill(loc),
            fill(scale),
            fill(minimum),
            fill(maximum),
        )


def _bad(
    spec: Uncertainty,
    mask: npt.NDArray[np.bool_],
    rows: Sequence[str],
    cols: Sequence[str],
    problem: str,
) -> InvalidUncertainty:
    idx = np.flatnonzero(mask)[:5]
    where = ", ".join(f"({rows[spec.rows[i]]!r}, {cols[spec.cols[i]]!r})" for i in idx)
    return InvalidUncertainty(f"{spec.matrix.value} uncertainty at {where}: {problem}")


def _validate(
    spec: Uncertainty, rows: Sequence[str], cols: Sequence[str], nominal: FloatArray
) -> None:
    """Check one specification's parameters, naming the (row, column) entries at fault."""
    d = spec.distribution
    known = np.isin(d, [int(x) for x in Distribution])
    if not known.all():
        raise _bad(spec, ~known, rows, cols, "unknown distribution id; use 0-5")
    lo_n = (d == Distribution.LOGNORMAL) | (d == Distribution.NORMAL)
    checks = [
        (lo_n & ~(np.isfinite(spec.loc) & (spec.scale > 0)), "needs finite loc and scale > 0"),
        ((d == Distribution.LOGNORMAL) & (nominal == 0), "lognormal needs a nonzero entry"),
        (
            (d == Distribution.UNIFORM) & ~(spec.minimum < spec.maximum),
            "uniform needs minimum < maximum",
        ),
        (
            (d == Distribution.TRIANGULAR)
            & ~(
                (spec.minimum <= spec.loc)
                & (spec.loc <= spec.maximum)
                & (spec.minimum < spec.maximum)
            ),
            "triangular needs minimum <= loc (mode) <= maximum",
        ),
    ]
    for mask, problem in checks:
        if mask.any():
            raise _bad(spec, mask, rows, cols, problem)


def _positions(
    matrix: sp.csc_array, spec: Uncertainty, rows: Sequence[str], cols: Sequence[str]
) -> npt.NDArray[np.int64]:
    """Return each entry's position in ``matrix.data`` (canonical CSC), refusing absent ones."""
    n_rows, n_cols = matrix.shape
    out_of = (spec.rows < 0) | (spec.rows >= n_rows) | (spec.cols < 0) | (spec.cols >= n_cols)
    if out_of.any():
        raise InvalidUncertainty(
            f"{spec.matrix.value} uncertainty has entries outside the "
            f"{n_rows} × {n_cols} matrix; fix the row/column indices"
        )
    # canonical CSC entries sorted by (column, row) give a sorted flat key
    flat = np.asarray(matrix.indices, dtype=np.int64) + np.repeat(
        np.arange(n_cols, dtype=np.int64) * n_rows, np.diff(matrix.indptr)
    )
    want = spec.cols * n_rows + spec.rows
    pos = np.searchsorted(flat, want)
    found = pos < len(flat)
    found[found] = flat[pos[found]] == want[found]
    if not found.all():
        raise _bad(
            spec,
            ~found,
            rows,
            cols,
            "no such entry in the matrix; uncertainty can "
            "only vary entries that exist (add the exchange first)",
        )
    return np.asarray(pos, dtype=np.int64)


def sample(
    distribution: npt.NDArray[np.int64],
    loc: FloatArray,
    scale: FloatArray,
    minimum: FloatArray,
    maximum: FloatArray,
    nominal: FloatArray,
    rng: np.random.Generator,
) -> FloatArray:
    """Draw one value per entry; random numbers are used distribution by distribution.

    Parameters
    ----------
    distribution, loc, scale, minimum, maximum
        Per-entry parameters (see :class:`Uncertainty`).
    nominal
        Nominal entry values (their sign is kept by lognormal draws).
    rng
        The draw's generator.

    Returns
    -------
    numpy.ndarray
        One value per entry, in the given order.
    """
    order = np.argsort(distribution, kind="stable")
    spec = _Sampler(
        positions=order,
        distribution=distribution[order],
        loc=loc[order],
        scale=scale[order],
        minimum=minimum[order],
        maximum=maximum[order],
        sign=np.sign(nominal[order]),
    )
    out = np.empty_like(nominal)
    out[order] = _draw_sorted(spec, nominal[order], rng)
    return out


@dataclass(frozen=True)
class _Sampler:
    """Where and how to draw the uncertain values of one matrix.

    Entries are kept sorted by distribution so each draw works on contiguous slices; the
    order of random numbers is part of the reproducibility contract (fixed per model).
    """

    positions: npt.NDArray[np.int64]
    distribution: npt.NDArray[np.int64]
    loc: FloatArray
    scale: FloatArray
    minimum: FloatArray
    maximum: FloatArray
    sign: FloatArray

    def __post_init__(self) -> None:
        # every entry uncertain and already in distribution order (the common case of one
        # distribution for a whole matrix): a draw needs no gather and scatter
        identity = bool(np.array_equal(self.positions, np.arange(len(self.positions))))
        object.__setattr__(self, "_identity", identity)

    def draw(self, values: FloatArray, rng: np.random.Generator) -> FloatArray:
        if getattr(self, "_identity", False) and len(values) == len(self.positions):
            return _draw_sorted(self, values, rng)
        out = values.copy()
        out[self.positions] = _draw_sorted(self, values[self.positions], rng)
        return out


def _draw_sorted(s: _Sampler, nominal: FloatArray, rng: np.random.Generator) -> FloatArray:
    """Draw all entries of a distribution-sorted sampler, slice by slice."""
    out = nominal.copy()
    for dist in (
        Distribution.LOGNORMAL,
        Distribution.NORMAL,
        Distribution.UNIFORM,
        Distribution.TRIANGULAR,
    ):
        a, b = np.searchsorted(s.distribution, [int(dist), int(dist) + 1])
        if a == b:
            continue
        cut = slice(int(a), int(b))
        if dist is Distribution.LOGNORMAL:
            normal = rng.standard_normal(int(b - a))
            normal *= s.scale[cut]
            normal += s.loc[cut]
            np.multiply(s.sign[cut], np.exp(normal, out=normal), out=out[cut])
        elif dist is Distribution.NORMAL:
            out[cut] = s.loc[cut] + s.scale[cut] * rng.standard_normal(int(b - a))
        elif dist is Distribution.UNIFORM:
            out[cut] = rng.uniform(s.minimum[cut], s.maximum[cut])
        else:
            out[cut] = rng.triangular(s.minimum[cut], s.loc[cut], s.maximum[cut])
    return out


def _sampler(
    matrix: sp.csc_array, specs: Sequence[Uncertainty], rows: Sequence[str], cols: Sequence[str]
) -> _Sampler:
    parts = []
    for spec in specs:
        pos = _positions(matrix, spec, rows, cols)
        _validate(spec, rows, cols, matrix.data[pos])
        parts.append((pos, spec))
    positions = (
        np.concatenate([p for p, _ in parts]).astype(np.int64)
        if parts
        else np.zeros(0, dtype=np.int64)
    )
    if len(np.unique(positions)) != len(positions):
        raise InvalidUncertainty("an entry has two uncertainty specifications; keep one")

    def cat(attr: str) -> Any:
        return np.concatenate([getattr(s, attr) for _, s in parts]) if parts else np.zeros(0)

    dist = cat("distribution").astype(np.int64)
    order = np.argsort(dist, kind="stable")
    return _Sampler(
        positions=positions[order],
        distribution=dist[order],
        loc=cat("loc")[order],
        scale=cat("scale")[order],
        minimum=cat("minimum")[order],
        maximum=cat("maximum")[order],
        sign=np.sign(matrix.data[positions[order]]),
    )


@dataclass(frozen=True)
class _Model:
    """Everything one worker needs to compute any draw; pickled once per worker/chunk."""

    seed: int
    plan: BlockPlan
    tech: sp.csc_array
    bio: sp.csc_array
    factors: FloatArray
    demand: FloatArray
    tech_sampler: _Sampler
    bio_sampler: _Sampler
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
            check_condition=False,
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
            tech_sampler=_sampler(system.technosphere, tech_specs, system.labels, system.labels),
            bio_sampler=_sampler(system.biosphere, bio_specs, system.flow_labels, system.labels),
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

    def run(self, iterations: int, *, chunk_size: int | None = None) -> MonteCarloResult:
        """Run draws ``0..iterations-1`` and summarise their scores."""
        if iterations < 1:
            raise InvalidUncertainty(f"iterations must be at least 1, got {iterations}")
        size = chunk_size or max(1, -(-iterations // (4 * max(self.workers, 1))))
        chunks = [(a, min(a + size, iterations)) for a in range(0, iterations, size)]
        if self.backend is ExecutionBackend.SERIAL:
            parts = [_run_draws(self.model, a, b) for a, b in chunks]
        elif self.backend is ExecutionBackend.PROCESS:
            parts = self._run_processes(chunks)
        else:
            parts = self._run_dask(chunks)
        return MonteCarloResult(np.concatenate(parts), self.model.seed, self.backend)

    def _run_processes(self, chunks: list[tuple[int, int]]) -> list[FloatArray]:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=context) as pool:
            futures = [pool.submit(_run_draws, self.model, a, b) for a, b in chunks]
            return [f.result() for f in futures]

    def _run_dask(self, chunks: list[tuple[int, int]]) -> list[FloatArray]:
        from distributed import Client

        if self.client is not None:
            return self._submit(self.client, chunks)
        with Client(
            processes=False,
            n_workers=1,  # type: ignore[no-untyped-call]
            threads_per_worker=self.workers,
            dashboard_address=None,
        ) as client:
            return self._submit(client, chunks)

    def _submit(self, client: Any, chunks: list[tuple[int, int]]) -> list[FloatArray]:
        [model] = client.scatter([self.model], broadcast=True)
        futures = [client.submit(_run_draws, model, a, b, pure=False) for a, b in chunks]
        return [np.asarray(x, dtype=np.float64) for x in client.gather(futures)]
