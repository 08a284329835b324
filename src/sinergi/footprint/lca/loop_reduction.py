"""Solve a draw without factorising: Gauss–Seidel in block order, GMRES over loop rows only.

Used by Monte Carlo on large systems (:mod:`.montecarlo`): :class:`GaussSeidelPlan` keeps the
lower-triangular part of A in solve order (the part that does not close a loop), and
:class:`LoopReduction` runs Krylov iterations over the few rows whose entries close loops.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order
from scipy.sparse.linalg import LinearOperator, gmres

from sinergi.footprint.lca.arrays import FloatArray, IndexArray
from sinergi.footprint.lca.block_lu import BlockPlan
from sinergi.footprint.lca.triangular import SolvePattern, TriangularSystem, diagonal_first_csc


class GaussSeidelPlan:
    """The lower-triangular part of A in solve order, as a cheap preconditioner.

    Blocks come suppliers first and processes keep their input order inside a block, so
    only the entries that close loops inside strongly connected blocks are dropped. Solving
    with the kept part is one sparse triangular solve over about nnz(A) entries, several
    times cheaper than a solve with LU factors, and on supply-chain matrices (few loop-closing
    entries) a preconditioned Krylov method needs only a handful of iterations.

    Parameters
    ----------
    plan
        The block plan of A's pattern.
    """

    def __init__(self, plan: BlockPlan) -> None:
        self.n = plan.n
        self.order = plan.structure.order
        pos = np.empty(plan.n, dtype=np.int64)
        pos[self.order] = np.arange(plan.n)
        #: position of each process in solve order
        self.position = pos
        keep = pos[plan.rows] >= pos[plan.cols]
        self.entries = np.flatnonzero(keep)
        #: the entries left out (they close loops inside blocks), in canonical order
        self.dropped = np.flatnonzero(~keep)
        rows, cols = pos[plan.rows[keep]], pos[plan.cols[keep]]
        # the CSC pattern is fixed; find where each kept entry lands in its data array once
        tag = diagonal_first_csc(np.arange(len(rows), dtype=np.float64), rows, cols, plan.n)
        self.data_order = tag.data.astype(np.int64)
        self.indices, self.indptr = tag.indices, tag.indptr
        self._pattern = SolvePattern.of(tag)

    def preconditioner(self, values: FloatArray) -> _PermutedTriangular:
        """Return a solver for the kept part of the matrix with these (canonical) values."""
        data = values[self.entries][self.data_order]
        matrix = sp.csc_array((data, self.indices, self.indptr), shape=(self.n, self.n))
        return _PermutedTriangular(TriangularSystem(matrix, self._pattern), self.order)


class _PermutedTriangular:
    """Solve with a triangular system stated in solve-order coordinates."""

    def __init__(self, system: TriangularSystem, order: IndexArray) -> None:
        self._system = system
        self._order = order

    def solve(self, rhs: FloatArray) -> FloatArray:
        """Return x with ``M x = rhs`` in the original process order."""
        out = np.empty_like(rhs, dtype=np.float64)
        out[self._order] = self._system.solve(rhs[self._order])
        return out


class LoopReduction:
    """Krylov iterations over the loop-closing rows only, around a Gauss–Seidel solve.

    In solve order A = L + U, with L the part :class:`GaussSeidelPlan` keeps and U the few
    entries that close loops inside strongly connected blocks. Preconditioning on the right
    by L turns ``A x = f`` into ``(I + U L⁻¹) y = f`` with ``x = L⁻¹ y``; the rows of U that
    hold no entry read ``y_i = f_i`` exactly, so only the ``|R|`` loop-closing rows are
    unknown: ``(I + K) z = g`` with ``K = U_R L⁻¹ E_R``, ``g = −U_R L⁻¹ f`` and
    ``y = f + E_R z``. Applying ``K`` needs ``L⁻¹`` only on the processes that lie on a path
    (through L) from a loop-closing row to a loop-closing column, so each Krylov step is one
    triangular solve over those processes and a product with U, instead of a product with A
    and a triangular solve over all n processes. The reduced residual equals the residual of
    ``A x = f`` row for row (the other rows are exact), so the tolerance is the true one.

    On the 20,000-process bench system (one block of 2,832): 2,176 unknowns instead of 20,000,
    each step over 12,314 processes; a draw's solve takes about half the time of GMRES on A.

    Parameters
    ----------
    plan
        The block plan of A's pattern.
    gauss_seidel
        Its Gauss–Seidel plan (the kept lower part, solved in full twice per solve).
    """

    def __init__(self, plan: BlockPlan, gauss_seidel: GaussSeidelPlan) -> None:
        self.plan = plan
        self.gauss_seidel = gauss_seidel
        self._diagonal = np.flatnonzero(plan.rows == plan.cols)
        self._every_diagonal = len(self._diagonal) == plan.n  # else L is singular for any values
        dropped = gauss_seidel.dropped
        self.loop_rows = np.unique(plan.rows[dropped])
        on_path = self._on_paths(plan, gauss_seidel, self.loop_rows, np.unique(plan.cols[dropped]))
        order = gauss_seidel.order
        self.path = order[on_path[order]]  # processes on a path, in solve order
        local = np.full(plan.n, -1, dtype=np.int64)
        local[self.path] = np.arange(len(self.path))
        kept = gauss_seidel.entries
        self.path_entries = kept[on_path[plan.rows[kept]] & on_path[plan.cols[kept]]]
        tag = diagonal_first_csc(
            np.arange(len(self.path_entries), dtype=np.float64),
            local[plan.rows[self.path_entries]],
            local[plan.cols[self.path_entries]],
            len(self.path),
        )
        self._path_order = tag.data.astype(np.int64)
        self._path_csc = (tag.indices, tag.indptr)
        self._path_pattern = SolvePattern.of(tag)
        # U with its columns numbered along the path (every loop column is on it)
        row_of = np.full(plan.n, -1, dtype=np.int64)
        row_of[self.loop_rows] = np.arange(len(self.loop_rows))
        self.loop_entries = dropped
        utag = sp.csr_array(
            (
                np.arange(len(self.loop_entries), dtype=np.float64),
                (row_of[plan.rows[self.loop_entries]], local[plan.cols[self.loop_entries]]),
            ),
            shape=(len(self.loop_rows), len(self.path)),
        )
        self._loop_order = utag.data.astype(np.int64)
        self._loop_csr = (utag.indices, utag.indptr)
        feeds = on_path[self.loop_rows]
        self._feeding = np.flatnonzero(feeds)  # reduced unknowns that enter a path solve
        self._feeding_at = local[self.loop_rows[feeds]]

    @staticmethod
    def _on_paths(
        plan: BlockPlan, gs: GaussSeidelPlan, rows: IndexArray, cols: IndexArray
    ) -> npt.NDArray[np.bool_]:
        """Mark processes reachable from ``rows`` that also reach ``cols`` through L."""
        kept = gs.entries[plan.rows[gs.entries] != plan.cols[gs.entries]]
        # x_row depends on x_col for a kept entry, so L⁻¹ carries values from col to row
        forward = _reachable(plan.n, plan.cols[kept], plan.rows[kept], rows)
        backward = _reachable(plan.n, plan.rows[kept], plan.cols[kept], cols)
        on_path = forward & backward
        # every loop column is reachable already: the loop it closes alternates loop-closing
        # entries (each ending at a loop row) and stretches of L, the last of which starts at a
        # loop row. Marking them anyway keeps g = −U_R L⁻¹ f exact without relying on that:
        # a column no loop row reaches simply gets zero from every path solve
        on_path[cols] = True
        return on_path

    @property
    def size(self) -> int:
        """Return the number of reduced unknowns (loop-closing rows)."""
        return len(self.loop_rows)

    def solve(
        self,
        values: FloatArray,
        rhs: FloatArray,
        *,
        tolerance: float,
        restart: int = 40,
        maxiter: int = 20,
    ) -> FloatArray | None:
        """Return x with ``‖A x − rhs‖ ≤ tolerance`` for A with these (canonical) values.

        Returns None if a production amount (diagonal entry) is zero or missing, which
        makes L singular, or if GMRES on the reduced system does not reach ``tolerance``:
        callers then factorise, which names a singular block. ``rhs`` is one vector of
        length n.
        """
        if not (self._every_diagonal and np.all(values[self._diagonal] != 0)):
            return None
        lower = self.gauss_seidel.preconditioner(values)
        if not self.size:  # no loops: L is A
            return lower.solve(rhs)
        path = TriangularSystem(
            sp.csc_array(
                (values[self.path_entries][self._path_order], *self._path_csc),
                shape=(len(self.path), len(self.path)),
            ),
            self._path_pattern,
        )
        loops = sp.csr_array(
            (values[self.loop_entries][self._loop_order], *self._loop_csr),
            shape=(self.size, len(self.path)),
        )
        g = -(loops @ lower.solve(rhs)[self.path])

        def apply(z: FloatArray) -> FloatArray:
            w = np.zeros(len(self.path))
            w[self._feeding_at] = z[self._feeding]
            result: FloatArray = z + loops @ path.solve(w)
            return result

        operator = LinearOperator((self.size, self.size), matvec=apply, dtype=np.float64)
        z, info = gmres(operator, g, rtol=0.0, atol=tolerance, restart=restart, maxiter=maxiter)
        if info != 0:
            return None
        y = np.array(rhs, dtype=np.float64)
        y[self.loop_rows] += z
        return lower.solve(y)


def _reachable(
    n: int, src: IndexArray, dst: IndexArray, start: IndexArray
) -> npt.NDArray[np.bool_]:
    """Mark the nodes reachable from ``start`` (included) along edges ``src → dst``."""
    root = np.full(len(start), n)
    graph = sp.csr_array(
        (
            np.ones(len(src) + len(start)),
            (np.concatenate([src, root]), np.concatenate([dst, start])),
        ),
        shape=(n + 1, n + 1),
    )
    found = np.zeros(n + 1, dtype=bool)
    found[breadth_first_order(graph, n, directed=True, return_predecessors=False)] = True
    return found[:n]
