"""Sparse lower-triangular systems solved many times with SuperLU's triangular kernel.

Every direct strategy ends in triangular solves: the block strategy assembles its factors
into one lower-triangular system, the Gauss–Seidel preconditioner of the loop reduction is
one. :class:`TriangularSystem` scales such a matrix to a unit diagonal once and then solves any
number of right-hand sides, plain or transposed, in compiled code; :class:`SolvePattern` keeps
what depends only on the sparsity pattern, so Monte Carlo draws with new values reuse it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve_triangular

from sinergi.errors import SingularTechnosphere
from sinergi.footprint.lca.arrays import FloatArray, IndexArray

try:  # SciPy's private SuperLU triangular kernel: skips spsolve_triangular's copies per call
    from scipy.sparse.linalg._dsolve import _superlu

    _GSTRS: Any = _superlu.gstrs
except ImportError:  # pragma: no cover - depends on the SciPy build
    _GSTRS = None


def diagonal_first_csc(
    values: FloatArray, rows: IndexArray, cols: IndexArray, size: int
) -> sp.csc_array:
    """Build a CSC matrix (no duplicate entries) whose columns each start with the diagonal.

    SuperLU's triangular solve needs the diagonal first in each column, not sorted rows, so
    this skips the full index sort: COO→CSC conversion is a stable counting sort by column,
    and diagonal entries are placed first in the input. The COO flag only tells SciPy not to
    sum duplicates; callers guarantee there are none.
    """
    on_diag = rows == cols
    order = np.concatenate([np.flatnonzero(on_diag), np.flatnonzero(~on_diag)])
    coo = sp.coo_array((values[order], (rows[order], cols[order])), shape=(size, size))
    coo.has_canonical_format = True
    return sp.csc_array(coo.tocsc())


@dataclass(frozen=True)
class SolvePattern:
    """What a triangular solve needs from a sparsity pattern, computed once per pattern.

    Monte Carlo draws keep A's pattern and change its values, so the column of every entry,
    SuperLU's integer index arrays and whether each column starts with its diagonal are reused.
    """

    column: IndexArray
    first: IndexArray
    diagonal_first: bool
    indices: npt.NDArray[np.intc]
    indptr: npt.NDArray[np.intc]

    @classmethod
    def of(cls, matrix: sp.csc_array) -> SolvePattern:
        n = matrix.shape[1]
        first = matrix.indptr[:-1].astype(np.int64)
        nonempty = np.diff(matrix.indptr) > 0
        diagonal_first = bool(
            nonempty.all() and np.array_equal(matrix.indices[first], np.arange(n))
        )
        return cls(
            np.repeat(np.arange(n), np.diff(matrix.indptr)),
            first,
            diagonal_first,
            matrix.indices.astype(np.intc),
            matrix.indptr.astype(np.intc),
        )


class TriangularSystem:
    """A sparse lower-triangular matrix scaled to unit diagonal, for repeated solves.

    Each column of ``matrix`` must start with its diagonal entry (see
    :func:`diagonal_first_csc`); rows below it may come in any order.
    """

    def __init__(self, matrix: sp.csc_array, pattern: SolvePattern | None = None) -> None:
        pattern = pattern or SolvePattern.of(matrix)
        self.inv_diag: FloatArray = 1.0 / (
            matrix.data[pattern.first] if pattern.diagonal_first else matrix.diagonal()
        )
        scaled = sp.csc_array(
            (matrix.data * self.inv_diag[pattern.column], matrix.indices, matrix.indptr),
            shape=matrix.shape,
        )
        self.unit = scaled
        self.n = scaled.shape[0]
        self._indices = pattern.indices
        self._indptr = pattern.indptr
        self._empty = (np.zeros(0), np.zeros(0, dtype=np.intc), np.zeros(self.n + 1, np.intc))

    def _gstrs(self, trans: str, rhs: FloatArray) -> FloatArray:
        if _GSTRS is None:
            mat = sp.csc_array(self.unit.T) if trans == "T" else self.unit.copy()
            return np.asarray(
                spsolve_triangular(mat, rhs, lower=trans == "N", unit_diagonal=True),
                dtype=np.float64,
            )
        empty_data, empty_idx, empty_ptr = self._empty
        x, info = _GSTRS(
            trans,
            self.n,
            self.unit.nnz,
            self.unit.data,
            self._indices,
            self._indptr,
            self.n,
            0,
            empty_data,
            empty_idx,
            empty_ptr,
            rhs,
        )
        if info:  # pragma: no cover - unit diagonal cannot be singular
            raise SingularTechnosphere(f"triangular solve failed (SuperLU info {info})")
        return np.asarray(x, dtype=np.float64)

    def solve(self, rhs: FloatArray) -> FloatArray:
        """Return x with ``M x = rhs``."""
        x = self._gstrs("N", np.array(rhs, dtype=np.float64, order="F"))
        return x * (self.inv_diag if x.ndim == 1 else self.inv_diag[:, None])

    def solve_transposed(self, rhs: FloatArray) -> FloatArray:
        """Return w with ``Mᵀ w = rhs``."""
        scaled = rhs * (self.inv_diag if rhs.ndim == 1 else self.inv_diag[:, None])
        return self._gstrs("T", np.array(scaled, dtype=np.float64, order="F"))
