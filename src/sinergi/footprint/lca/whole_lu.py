"""The ``whole`` strategy: one LU of the whole technosphere (SuperLU, PARDISO or UMFPACK).

SuperLU factorises Aᵀ by default, whose factors have far fewer nonzeros than those of A on LCA
matrices (bw2calc 3.1 ``utils.lu_solver``); PARDISO reuses its one factorisation for
transposed solves.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu

from sinergi.footprint.lca.arrays import FloatArray
from sinergi.footprint.lca.interface import SolverBackend, Strategy, resolve_backend
from sinergi.footprint.lca.singular import failing_blocks, singular_error
from sinergi.footprint.lca.structure import block_structure


def _pardiso_solver() -> Any:
    """Return a new pypardiso solver without its search for the MKL library each time.

    Unless ``PYPARDISO_MKL_RT`` names the library, every ``PyPardisoSolver()`` walks the
    directories under ``sys.prefix`` looking for ``mkl_rt`` (0.37 s per factorisation on the
    project machine, more than PARDISO's own factorisation of the 2,000-process bench matrix).
    The path pypardiso's module-level solver found at import is recorded there once, through
    that documented variable.
    """
    import pypardiso

    if "PYPARDISO_MKL_RT" not in os.environ:
        os.environ["PYPARDISO_MKL_RT"] = str(pypardiso.ps.libmkl._name)
    return pypardiso.PyPardisoSolver()


class WholeLU:
    """LU of the whole technosphere with SciPy SuperLU, PARDISO or UMFPACK."""

    strategy = Strategy.WHOLE

    def __init__(
        self,
        technosphere: sp.sparray | sp.spmatrix,
        labels: Sequence[str],
        *,
        backend: SolverBackend | str = SolverBackend.AUTO,
        transpose: bool = True,
    ) -> None:
        self.backend = resolve_backend(backend)
        self._matrix = sp.csc_array(technosphere)
        self.n = self._matrix.shape[0]
        try:
            self._solver: Any = self._factorize(self._matrix, transpose)
        except RuntimeError as exc:
            structure = block_structure(self._matrix)
            raise singular_error(labels, failing_blocks(self._matrix, structure)) from exc
        self._transpose = transpose

    def _factorize(self, matrix: sp.csc_array, transpose: bool) -> Any:
        if self.backend is SolverBackend.PARDISO:
            solver = _pardiso_solver()
            csr = sp.csr_matrix(matrix)
            solver.factorize(csr)
            return (solver, csr)
        if self.backend is SolverBackend.UMFPACK:
            import scikits.umfpack

            return scikits.umfpack.splu(sp.csc_matrix(matrix))
        return splu(sp.csc_array(matrix.T) if transpose else matrix)

    def _pardiso(self, solver: Any, rhs: FloatArray) -> FloatArray:
        pardiso, csr = solver
        return np.asarray(pardiso.solve(csr, np.ascontiguousarray(rhs)), dtype=np.float64)

    def solve(self, rhs: FloatArray) -> FloatArray:
        """Return x with ``A x = rhs`` for an ``(n,)`` or ``(n, k)`` right-hand side."""
        if self.backend is SolverBackend.PARDISO:
            return self._pardiso(self._solver, rhs)
        trans = "T" if self._transpose and self.backend is SolverBackend.SCIPY else "N"
        return self._superlu_like(rhs, trans)

    def solve_transposed(self, rhs: FloatArray) -> FloatArray:
        """Return y with ``Aᵀ y = rhs`` for an ``(n,)`` or ``(n, k)`` right-hand side."""
        if self.backend is SolverBackend.PARDISO:
            # the CSC matrix over A's CSR arrays is Aᵀ; pypardiso solves CSC input with
            # PARDISO's transposed-solve flag on those arrays and, seeing the arrays it
            # factorised, reuses that factorisation: no second factorisation of Aᵀ
            pardiso, csr = self._solver
            transposed = sp.csc_matrix((csr.data, csr.indices, csr.indptr), shape=csr.shape)
            return self._pardiso((pardiso, transposed), rhs)
        trans = "N" if self._transpose and self.backend is SolverBackend.SCIPY else "T"
        return self._superlu_like(rhs, trans)

    def _superlu_like(self, rhs: FloatArray, trans: str) -> FloatArray:
        if self.backend is SolverBackend.UMFPACK and rhs.ndim == 2:
            cols = [self._solver.solve(np.ascontiguousarray(col), trans) for col in rhs.T]
            return np.column_stack(cols) if cols else np.zeros_like(rhs)
        return np.asarray(
            self._solver.solve(np.asarray(rhs, dtype=np.float64), trans=trans), dtype=np.float64
        )
