"""The ``block`` strategy: factorise strongly connected blocks, solve one triangular system.

Supply chains are nearly triangular. The strongly connected components of the process graph
(:func:`~sinergi.footprint.lca.structure.block_structure`) order A as block-triangular; only
the diagonal blocks of size > 1 are LU-factorised (all together, in one SuperLU call on their
block-diagonal matrix, whose factors never mix blocks). The block factors and the off-block
entries are then assembled into one sparse *lower-triangular* system of size
``n + Σ|block|``: for a block ``D = P₁ L U P₂`` the unknowns ``z = U P₂ x`` sit before ``x``,
so ``L z = P₁ᵀ (b - N x_upstream)`` and ``U (P₂ x) = z`` are both substitution steps. One
sparse triangular solve then handles an ``n × k`` right-hand side in compiled code, and the
transposed system (for adjoint scores) is the transposed triangular solve.

Blocks keep their natural (input) order when that gives little fill — supply chains listed
upstream-to-downstream factorise almost without fill and skip the ordering step — and use
COLAMD on Dᵀ otherwise, whose factors have far fewer nonzeros than those of D on LCA matrices
(bw2calc 3.1 ``utils.lu_solver``). :class:`BlockPlan` keeps everything that depends only on the
pattern, so Monte Carlo draws refactorise the non-trivial blocks only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu

from sinergi.footprint.lca.arrays import FloatArray, IndexArray
from sinergi.footprint.lca.interface import SolverBackend, Strategy
from sinergi.footprint.lca.singular import (
    failing_blocks,
    near_null_columns,
    singular_error,
    tiny_pivots,
)
from sinergi.footprint.lca.structure import BlockStructure, block_structure
from sinergi.footprint.lca.triangular import TriangularSystem, diagonal_first_csc

#: Fill ratio nnz(L + U) / nnz(D) above which the natural (input) order of a block is
#: abandoned for COLAMD on Dᵀ. Processes listed in supply-chain order factorise with little
#: fill and no ordering cost (20k bench: 0.04 s natural vs 0.5 s COLAMD on the same block).
NATURAL_FILL_LIMIT = 100.0


def _lu_factors(
    matrix: sp.csc_array, transpose: bool | None
) -> tuple[sp.csc_array, sp.csc_array, IndexArray, IndexArray, bool | None]:
    """Return ``lower, upper, row_of_pivot, col_of_pivot, choice`` with ``D = P₁ lower upper P₂``.

    Pivot ``k``'s equation is row ``row_of_pivot[k]`` of ``D`` and its unknown is column
    ``col_of_pivot[k]``. ``transpose=None`` means "natural order of D" (kept if its fill stays
    under :data:`NATURAL_FILL_LIMIT`, else COLAMD on Dᵀ); ``True``/``False`` means COLAMD on
    Dᵀ/D. ``choice`` is the option actually used, to reuse for later draws.
    """
    if transpose is None:
        lu = splu(matrix, permc_spec="NATURAL")
        if lu.L.nnz + lu.U.nnz <= NATURAL_FILL_LIMIT * max(matrix.nnz, 1):
            return (*_unpack(lu, transposed=False), None)
        transpose = True
    lu = splu(sp.csc_array(matrix.T) if transpose else matrix)
    return (*_unpack(lu, transposed=transpose), transpose)


def _unpack(
    lu: Any, *, transposed: bool
) -> tuple[sp.csc_array, sp.csc_array, IndexArray, IndexArray]:
    # SciPy: Pr A Pc = L U with row i of A at row perm_r[i] and column j at column perm_c[j]
    at_row = np.argsort(lu.perm_r).astype(np.int64)
    at_col = np.argsort(lu.perm_c).astype(np.int64)
    if transposed:
        return sp.csc_array(lu.U.T), sp.csc_array(lu.L.T), at_col, at_row
    return sp.csc_array(lu.L), sp.csc_array(lu.U), at_row, at_col


class BlockPlan:
    """Everything about a block-triangular solve that depends only on A's sparsity pattern.

    Built once per pattern; :meth:`factorize` then takes new values for the same pattern
    (the Monte Carlo case) and only refactorises the non-trivial blocks.

    Parameters
    ----------
    technosphere
        The matrix whose pattern is planned (its values are not used).
    structure
        Its strongly connected blocks; computed when omitted.
    """

    def __init__(
        self, technosphere: sp.sparray | sp.spmatrix, structure: BlockStructure | None = None
    ) -> None:
        pattern = sp.csc_array(technosphere)
        pattern.sum_duplicates()
        self.n = pattern.shape[0]
        self.structure = structure or block_structure(pattern)
        st = self.structure
        coo = pattern.tocoo()
        self.rows, self.cols = coo.row.astype(np.int64), coo.col.astype(np.int64)
        sizes = st.sizes
        nontrivial = sizes[st.block_of] > 1
        self.inblock = nontrivial[self.rows] & (st.block_of[self.rows] == st.block_of[self.cols])
        self.dense_nodes = st.order[nontrivial[st.order]]
        self.local = np.full(self.n, -1, dtype=np.int64)
        self.local[self.dense_nodes] = np.arange(len(self.dense_nodes))
        width = np.where(sizes > 1, 2 * sizes, 1)
        self.base = np.concatenate([[0], np.cumsum(width)]).astype(np.int64)
        self.size = int(self.base[-1])
        self.block_sizes = sizes
        self.single = st.order[st.starts[:-1][sizes == 1]]
        #: ordering the last factorisation used (None = natural), reused by Monte Carlo draws
        self.ordering: bool | None = None

    def canonical(self, technosphere: sp.sparray | sp.spmatrix) -> FloatArray:
        """Return A's values in the planned entry order (canonical CSC order)."""
        mat = sp.csc_array(technosphere)
        mat.sum_duplicates()
        return np.asarray(mat.tocoo().data, dtype=np.float64)

    def factorize(
        self, values: FloatArray, labels: Sequence[str], *, transpose: bool | None = None
    ) -> BlockTriangularLU:
        """Factorise the matrix with this pattern and these values (canonical order)."""
        st = self.structure
        diag_single = np.zeros(self.n)
        on_diag = (self.rows == self.cols) & ~self.inblock
        diag_single[self.rows[on_diag]] = values[on_diag]
        if np.any(diag_single[self.single] == 0):
            zero = self.single[diag_single[self.single] == 0]
            raise singular_error(labels, np.sort(zero))
        p = np.empty(self.n, dtype=np.int64)
        q = np.empty(self.n, dtype=np.int64)
        p[self.single] = q[self.single] = self.base[st.block_of[self.single]]
        parts_r, parts_c, parts_v = [], [], []
        off = ~self.inblock
        rounding = False
        if len(self.dense_nodes):
            r, c, v, rounding = self._dense_entries(values, labels, transpose, p, q)
            parts_r.append(r)
            parts_c.append(c)
            parts_v.append(v)
        parts_r.append(q[self.rows[off]])
        parts_c.append(p[self.cols[off]])
        parts_v.append(values[off])
        rows, cols = np.concatenate(parts_r), np.concatenate(parts_c)
        factor = BlockTriangularLU(
            self,
            TriangularSystem(diagonal_first_csc(np.concatenate(parts_v), rows, cols, self.size)),
            p,
            q,
        )
        if rounding:
            # the LU went through, but a block is singular to working precision: its solves
            # would be rounding noise scaled by 1/ε, so name the processes instead
            raise singular_error(labels, near_null_columns(factor.solve, self.n), rounding=True)
        return factor

    def _dense_entries(
        self,
        values: FloatArray,
        labels: Sequence[str],
        transpose: bool | None,
        p: IndexArray,
        q: IndexArray,
    ) -> tuple[IndexArray, IndexArray, FloatArray, bool]:
        """Factorise the non-trivial blocks; place their factors, fill ``p``/``q`` for them.

        The last value says whether a pivot is at rounding level (see
        :func:`~sinergi.footprint.lca.singular.tiny_pivots`).
        """
        size = len(self.dense_nodes)
        sel = self.inblock
        dense = sp.csc_array(
            (values[sel], (self.local[self.rows[sel]], self.local[self.cols[sel]])),
            shape=(size, size),
        )
        try:
            lower, upper, row_of, col_of, self.ordering = _lu_factors(dense, transpose)
        except RuntimeError as exc:
            full = sp.csc_array((values, (self.rows, self.cols)), shape=(self.n, self.n))
            raise singular_error(labels, failing_blocks(full, self.structure)) from exc
        block = self.structure.block_of[self.dense_nodes[col_of]]
        scale = np.zeros(self.structure.n_blocks)
        np.maximum.at(scale, self.structure.block_of[self.rows[sel]], np.abs(values[sel]))
        pivots = lower.diagonal() * upper.diagonal()
        rounding = tiny_pivots(pivots, self.block_sizes[block], scale[block])
        by_block = np.argsort(block, kind="stable")
        rank = np.empty(size, dtype=np.int64)
        first = np.searchsorted(block[by_block], block[by_block])
        rank[by_block] = np.arange(size) - first
        zpos = self.base[block] + rank
        ypos = self.base[block] + 2 * self.block_sizes[block] - 1 - rank
        q[self.dense_nodes[row_of]] = zpos
        p[self.dense_nodes[col_of]] = ypos
        lo, up = lower.tocoo(), upper.tocoo()
        rows = np.concatenate([zpos[lo.row], ypos[up.row], ypos])
        cols = np.concatenate([zpos[lo.col], ypos[up.col], zpos])
        vals = np.concatenate([lo.data, up.data, -np.ones(size)])
        return rows, cols, vals, rounding


class BlockTriangularLU:
    """A technosphere factorised block by block and assembled into one triangular system."""

    backend = SolverBackend.SCIPY
    strategy = Strategy.BLOCK

    def __init__(
        self, plan: BlockPlan, system: TriangularSystem, p: IndexArray, q: IndexArray
    ) -> None:
        self.plan = plan
        self.n = plan.n
        self._system = system
        self._p = p
        self._q = q

    @property
    def factor_nnz(self) -> int:
        """Return the nonzeros of the assembled triangular system (factors + off-block)."""
        return int(self._system.unit.nnz)

    def solve(self, rhs: FloatArray) -> FloatArray:
        """Return x with ``A x = rhs`` for an ``(n,)`` or ``(n, k)`` right-hand side."""
        full = np.zeros((self.plan.size, *rhs.shape[1:]))
        full[self._q] = rhs
        return self._system.solve(full)[self._p]

    def solve_transposed(self, rhs: FloatArray) -> FloatArray:
        """Return y with ``Aᵀ y = rhs`` for an ``(n,)`` or ``(n, k)`` right-hand side."""
        full = np.zeros((self.plan.size, *rhs.shape[1:]))
        full[self._p] = rhs
        return self._system.solve_transposed(full)[self._q]
