"""Per-entry uncertainty of matrix values: distributions, validation, seeded sampling.

Uncertainty is given per matrix entry, in COO form like ``bw_processing``'s distribution
arrays: row, column, distribution id (the ``stats_arrays`` ids below), ``loc``, ``scale``,
``minimum``, ``maximum``. The order in which random numbers are drawn is part of the
reproducibility contract of :mod:`.montecarlo`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from sinergi.errors import InvalidUncertainty
from sinergi.footprint.lca.arrays import FloatArray
from sinergi.footprint.lca.checks import ArrayLike


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
    spec = Sampler(
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
class Sampler:
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


def _draw_sorted(s: Sampler, nominal: FloatArray, rng: np.random.Generator) -> FloatArray:
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


def sampler(
    matrix: sp.csc_array, specs: Sequence[Uncertainty], rows: Sequence[str], cols: Sequence[str]
) -> Sampler:
    """Validate the specifications of one matrix and return its sampler (distribution order)."""
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
    return Sampler(
        positions=positions[order],
        distribution=dist[order],
        loc=cat("loc")[order],
        scale=cat("scale")[order],
        minimum=cat("minimum")[order],
        maximum=cat("maximum")[order],
        sign=np.sign(matrix.data[positions[order]]),
    )
