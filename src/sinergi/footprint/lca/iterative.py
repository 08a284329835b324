"""The ``iterative`` strategy: Jacobi-preconditioned GMRES, no factorisation at all."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, gmres

from sinergi.footprint.lca.arrays import FloatArray
from sinergi.footprint.lca.block_lu import BlockPlan, BlockTriangularLU
from sinergi.footprint.lca.interface import SolverBackend, Strategy

#: Relative residual ‖A x − f‖ / ‖f‖ an iterative solve must reach, else it falls back to the
#: block LU. Far below the 1e-9 relative agreement the footprint tests ask of any solver.
ITERATIVE_RTOL = 1e-12


class IterativeSolver:
    """GMRES with a Jacobi (diagonal) preconditioner: no factorisation at all.

    For one or a few demands on a large technosphere this is the cheapest solve when A is
    column diagonally dominant, as LCI databases are (each process needs less than one unit
    of inputs per unit of output): there is nothing to set up, and each iteration is one
    sparse product. Every solution's true residual is checked; a solve that does not reach
    :data:`ITERATIVE_RTOL` falls back to the block LU (factorised on first need), which also
    reports a singular A by name. A singular A with a demand that happens to be consistent
    would give one of many supplies: the condition check that :class:`LcaSystem` runs by
    default solves unrelated right-hand sides, fails, and so reports it; keep it on with this
    strategy. Many demands are better served by a factorisation (``block``), whose cost is
    paid once.

    Parameters
    ----------
    technosphere
        Square A with a nonzero diagonal (checked by the caller).
    labels
        Column labels for the fallback's error messages.
    rtol
        Required relative residual.
    """

    backend = SolverBackend.SCIPY
    strategy = Strategy.ITERATIVE

    def __init__(
        self,
        technosphere: sp.sparray | sp.spmatrix,
        labels: Sequence[str],
        *,
        rtol: float = ITERATIVE_RTOL,
    ) -> None:
        self._matrix = sp.csc_array(technosphere)
        self.n = self._matrix.shape[0]
        self._labels = list(labels)
        self._rtol = rtol
        inv_diag = 1.0 / self._matrix.diagonal()
        n = self._matrix.shape[0]
        self._jacobi = LinearOperator(
            (n, n), matvec=lambda x: inv_diag * x.ravel(), dtype=np.float64
        )
        self._direct: BlockTriangularLU | None = None
        self._transposed: sp.csr_array | None = None
        #: solves that fell back to the LU (for tests and diagnostics)
        self.fallbacks = 0

    def solve(self, rhs: FloatArray) -> FloatArray:
        """Return x with ``A x = rhs`` (one column or n × k)."""
        return self._columns(self._matrix, rhs, transposed=False)

    def solve_transposed(self, rhs: FloatArray) -> FloatArray:
        """Return w with ``Aᵀ w = rhs``."""
        if self._transposed is None:
            self._transposed = sp.csr_array(self._matrix.T)
        return self._columns(self._transposed, rhs, transposed=True)

    def _columns(self, matrix: sp.sparray, rhs: FloatArray, *, transposed: bool) -> FloatArray:
        rhs = np.asarray(rhs, dtype=np.float64)
        if rhs.ndim == 1:
            return self._one(matrix, rhs, transposed=transposed)
        cols = [self._one(matrix, col, transposed=transposed) for col in rhs.T]
        return np.column_stack(cols) if cols else np.zeros_like(rhs)

    def _one(self, matrix: sp.sparray, rhs: FloatArray, *, transposed: bool) -> FloatArray:
        norm = float(np.linalg.norm(rhs))
        if norm == 0.0:
            return np.zeros_like(rhs)
        x, info = gmres(
            matrix, rhs, M=self._jacobi, rtol=self._rtol, atol=0.0, restart=50, maxiter=20
        )
        residual = float(np.linalg.norm(matrix @ x - rhs))
        if info == 0 and residual <= 10 * self._rtol * norm:
            return np.asarray(x, dtype=np.float64)
        self.fallbacks += 1
        if self._direct is None:
            plan = BlockPlan(self._matrix)
            self._direct = plan.factorize(plan.canonical(self._matrix), self._labels)
        direct = self._direct
        return direct.solve_transposed(rhs) if transposed else direct.solve(rhs)
