"""Factorise a technosphere matrix once and solve it for many right-hand sides.

Two strategies share one interface (:class:`Factorization`):

``block`` (default)
    Supply chains are nearly triangular. The strongly connected components of the process
    graph (:func:`block_structure`) order A as block-triangular; only the diagonal blocks of
    size > 1 are LU-factorised (all together, in one SuperLU call on their block-diagonal
    matrix, whose factors never mix blocks). The block factors and the off-block entries are
    then assembled into one sparse *lower-triangular* system of size ``n + Σ|block|``:
    for a block ``D = P₁ L U P₂`` the unknowns ``z = U P₂ x`` sit before ``x``, so
    ``L z = P₁ᵀ (b - N x_upstream)`` and ``U (P₂ x) = z`` are both substitution steps. One
    sparse triangular solve then handles an ``n × k`` right-hand side in compiled code, and
    the transposed system (for adjoint scores) is the transposed triangular solve.
``whole``
    LU of the whole matrix with the chosen backend (SciPy SuperLU, PARDISO, UMFPACK).

Blocks keep their natural (input) order when that gives little fill — supply chains listed
upstream-to-downstream factorise almost without fill and skip the ordering step — and use
COLAMD on Dᵀ otherwise; the whole strategy factorises Aᵀ, whose factors have far fewer
nonzeros than those of A on LCA matrices (bw2calc 3.1 ``utils.lu_solver``, reference §1.3).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order, connected_components
from scipy.sparse.linalg import LinearOperator, gmres, splu, spsolve_triangular

from sinergi.errors import SingularTechnosphere, SolverUnavailable

try:  # SciPy's private SuperLU triangular kernel: skips spsolve_triangular's copies per call
    from scipy.sparse.linalg._dsolve import _superlu

    _GSTRS: Any = _superlu.gstrs
except ImportError:  # pragma: no cover - depends on the SciPy build
    _GSTRS = None

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.int64]

#: Number of column labels quoted in a singular-matrix message before "and N more".
_LABELS_QUOTED = 8


class SolverBackend(StrEnum):
    """Sparse direct solver used for whole-matrix factorisations."""

    AUTO = "auto"
    SCIPY = "scipy"
    PARDISO = "pardiso"
    UMFPACK = "umfpack"


class Strategy(StrEnum):
    """How the technosphere is factorised."""

    AUTO = "auto"
    BLOCK = "block"
    WHOLE = "whole"
    ITERATIVE = "iterative"


_MODULE_OF = {SolverBackend.PARDISO: "pypardiso", SolverBackend.UMFPACK: "scikits.umfpack"}
_EXTRA_OF = {SolverBackend.PARDISO: "fast", SolverBackend.UMFPACK: "umfpack"}


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def available_backends() -> tuple[SolverBackend, ...]:
    """Return the installed backends, fastest first; SciPy is always there."""
    found = [b for b, mod in _MODULE_OF.items() if _installed(mod)]
    return (*found, SolverBackend.SCIPY)


def resolve_backend(backend: SolverBackend | str) -> SolverBackend:
    """Turn ``auto`` into the fastest installed backend; refuse a named one that is missing."""
    choice = SolverBackend(backend)
    if choice is SolverBackend.AUTO:
        return available_backends()[0]
    if choice is not SolverBackend.SCIPY and not _installed(_MODULE_OF[choice]):
        raise SolverUnavailable(
            f"solver backend {choice.value!r} is not installed; "
            f"run `pip install 'sinergi[{_EXTRA_OF[choice]}]'` or use backend='scipy'"
        )
    return choice


@dataclass(frozen=True, slots=True)
class BlockStructure:
    """Strongly connected blocks of a technosphere, in solve order (suppliers first).

    Attributes
    ----------
    order
        Process indices grouped by block, blocks in solve order.
    starts
        Block ``b`` is ``order[starts[b]:starts[b + 1]]``.
    block_of
        Block number of each process index.
    """

    order: IndexArray
    starts: IndexArray
    block_of: IndexArray

    @property
    def sizes(self) -> IndexArray:
        """Return the number of processes in each block."""
        return np.diff(self.starts)

    @property
    def largest(self) -> int:
        """Return the size of the largest strongly connected block."""
        return int(self.sizes.max()) if len(self.starts) > 1 else 0

    @property
    def n_blocks(self) -> int:
        """Return the number of blocks."""
        return len(self.starts) - 1


def block_structure(technosphere: sp.sparray | sp.spmatrix) -> BlockStructure:
    """Find the strongly connected blocks of A and a solve order, suppliers first.

    Row ``i``'s equation reads ``x_j`` for every ``A[i, j] != 0``, so the block holding
    ``j`` is solved before the block holding ``i``. SciPy numbers components so that this
    holds already; the order is checked and repaired by a topological sort if it does not.
    """
    graph = sp.csr_array(technosphere)
    n_comp, labels = connected_components(graph, directed=True, connection="strong")
    labels = labels.astype(np.int64)
    coo = graph.tocoo()
    src, dst = labels[coo.row], labels[coo.col]
    cross = src != dst
    if not np.all(src[cross] > dst[cross]):
        labels = _topological_labels(n_comp, labels, src[cross], dst[cross])
    order = np.argsort(labels, kind="stable").astype(np.int64)
    starts = np.searchsorted(labels[order], np.arange(n_comp + 1)).astype(np.int64)
    return BlockStructure(order=order, starts=starts, block_of=labels)


def _topological_labels(
    n_comp: int, labels: IndexArray, src: IndexArray, dst: IndexArray
) -> IndexArray:
    """Relabel components so that each one comes after every component it reads (Kahn)."""
    # needed_by[d] lists the components whose equations read component d
    needed_by = sp.csr_array((np.ones(len(src)), (dst, src)), shape=(n_comp, n_comp))
    waiting = np.bincount(needed_by.indices, minlength=n_comp)
    ready = list(np.flatnonzero(waiting == 0))
    rank = np.empty(n_comp, dtype=np.int64)
    for nxt in range(n_comp):
        c = ready.pop()
        rank[c] = nxt
        for d in needed_by.indices[needed_by.indptr[c] : needed_by.indptr[c + 1]]:
            waiting[d] -= 1
            if waiting[d] == 0:
                ready.append(d)
    return rank[labels]


class Factorization(Protocol):
    """A factorised technosphere that solves ``A x = b`` and ``Aᵀ y = g``."""

    n: int
    backend: SolverBackend
    strategy: Strategy

    def solve(self, rhs: FloatArray) -> FloatArray:
        """Return x with ``A x = rhs`` for an ``(n,)`` or ``(n, k)`` right-hand side."""
        ...

    def solve_transposed(self, rhs: FloatArray) -> FloatArray:
        """Return y with ``Aᵀ y = rhs`` for an ``(n,)`` or ``(n, k)`` right-hand side."""
        ...


def _quote(labels: Sequence[str], cols: Sequence[int] | IndexArray) -> str:
    cols = list(cols)
    shown = ", ".join(repr(labels[int(c)]) for c in cols[:_LABELS_QUOTED])
    more = len(cols) - _LABELS_QUOTED
    return shown + (f" and {more} more" if more > 0 else "")


def _singular(labels: Sequence[str], cols: Sequence[int] | IndexArray) -> SingularTechnosphere:
    return SingularTechnosphere(
        f"technosphere is singular: no unique supply for process column(s) "
        f"{_quote(labels, cols)}; check that each process produces its own product and that "
        "no set of processes only supply each other in fixed proportions"
    )


def _diagonal_first_csc(
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
class _Pattern:
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
    def of(cls, matrix: sp.csc_array) -> _Pattern:
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


class _TriangularSystem:
    """A sparse lower-triangular matrix scaled to unit diagonal, for repeated solves.

    Each column of ``matrix`` must start with its diagonal entry (see
    :func:`_diagonal_first_csc`); rows below it may come in any order.
    """

    def __init__(self, matrix: sp.csc_array, pattern: _Pattern | None = None) -> None:
        pattern = pattern or _Pattern.of(matrix)
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


def _failing_blocks(technosphere: sp.csc_array, structure: BlockStructure) -> IndexArray:
    """Return the process columns of the blocks that cannot be factorised on their own."""
    bad: list[IndexArray] = []
    dense = structure.sizes
    for b in np.flatnonzero(dense > 1):
        cols = structure.order[structure.starts[b] : structure.starts[b + 1]]
        try:
            splu(sp.csc_array(technosphere[cols][:, cols]))
        except RuntimeError:
            bad.append(cols)
    single = structure.order[structure.starts[:-1][dense == 1]]
    zero = single[technosphere.diagonal()[single] == 0]
    found = np.concatenate([zero, *bad]) if bad or len(zero) else np.arange(0)
    return np.sort(found).astype(np.int64)


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
            raise _singular(labels, np.sort(zero))
        p = np.empty(self.n, dtype=np.int64)
        q = np.empty(self.n, dtype=np.int64)
        p[self.single] = q[self.single] = self.base[st.block_of[self.single]]
        parts_r, parts_c, parts_v = [], [], []
        off = ~self.inblock
        if len(self.dense_nodes):
            r, c, v = self._dense_entries(values, labels, transpose, p, q)
            parts_r.append(r)
            parts_c.append(c)
            parts_v.append(v)
        parts_r.append(q[self.rows[off]])
        parts_c.append(p[self.cols[off]])
        parts_v.append(values[off])
        rows, cols = np.concatenate(parts_r), np.concatenate(parts_c)
        return BlockTriangularLU(
            self,
            _TriangularSystem(_diagonal_first_csc(np.concatenate(parts_v), rows, cols, self.size)),
            p,
            q,
        )

    def _dense_entries(
        self,
        values: FloatArray,
        labels: Sequence[str],
        transpose: bool | None,
        p: IndexArray,
        q: IndexArray,
    ) -> tuple[IndexArray, IndexArray, FloatArray]:
        """Factorise the non-trivial blocks; place their factors, fill ``p``/``q`` for them."""
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
            raise _singular(labels, _failing_blocks(full, self.structure)) from exc
        block = self.structure.block_of[self.dense_nodes[col_of]]
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
        return rows, cols, vals


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
        tag = _diagonal_first_csc(np.arange(len(rows), dtype=np.float64), rows, cols, plan.n)
        self.data_order = tag.data.astype(np.int64)
        self.indices, self.indptr = tag.indices, tag.indptr
        self._pattern = _Pattern.of(tag)

    def preconditioner(self, values: FloatArray) -> _PermutedTriangular:
        """Return a solver for the kept part of the matrix with these (canonical) values."""
        data = values[self.entries][self.data_order]
        matrix = sp.csc_array((data, self.indices, self.indptr), shape=(self.n, self.n))
        return _PermutedTriangular(_TriangularSystem(matrix, self._pattern), self.order)


class _PermutedTriangular:
    """Solve with a triangular system stated in solve-order coordinates."""

    def __init__(self, system: _TriangularSystem, order: IndexArray) -> None:
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
        tag = _diagonal_first_csc(
            np.arange(len(self.path_entries), dtype=np.float64),
            local[plan.rows[self.path_entries]],
            local[plan.cols[self.path_entries]],
            len(self.path),
        )
        self._path_order = tag.data.astype(np.int64)
        self._path_csc = (tag.indices, tag.indptr)
        self._path_pattern = _Pattern.of(tag)
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
        path = _TriangularSystem(
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


class BlockTriangularLU:
    """A technosphere factorised block by block and assembled into one triangular system."""

    backend = SolverBackend.SCIPY
    strategy = Strategy.BLOCK

    def __init__(
        self, plan: BlockPlan, system: _TriangularSystem, p: IndexArray, q: IndexArray
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


#: The block strategy hands over to a whole-matrix LU when one strongly connected block holds
#: at least this share of the processes (and there are at least ``WHOLE_SWITCH_MIN_N``): the
#: uniformly random 2,000-process worst case took 0.95 s block-wise against 0.44 s (SuperLU) and
#: 0.39 s (PARDISO) whole (bench/footprint.py, docs/benchmarks.md).
WHOLE_SWITCH_SHARE = 0.9
WHOLE_SWITCH_MIN_N = 500

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
        Square A with a positive diagonal (checked by the caller).
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
            raise _singular(labels, _failing_blocks(self._matrix, structure)) from exc
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


def factorize(
    technosphere: sp.sparray | sp.spmatrix,
    *,
    labels: Sequence[str] | None = None,
    strategy: Strategy | str = Strategy.AUTO,
    backend: SolverBackend | str = SolverBackend.AUTO,
    structure: BlockStructure | None = None,
    transpose: bool | None = None,
) -> BlockTriangularLU | WholeLU | IterativeSolver:
    """Factorise A once so that every later demand or adjoint query is a cheap solve.

    Parameters
    ----------
    technosphere
        Square sparse A (production positive on the diagonal, inputs negative).
    labels
        Column labels for error messages; ``"column i"`` when omitted.
    strategy
        ``auto`` (default: ``block``, unless one block holds :data:`WHOLE_SWITCH_SHARE` of a
        large matrix, then ``whole``), ``block`` (strongly connected blocks, SuperLU
        factors), ``whole``, or ``iterative``
        (Jacobi-preconditioned GMRES, no factorisation; for one or a few demands, see
        :class:`IterativeSolver`).
    backend
        Whole-matrix backend (``auto`` = fastest installed); the block strategy always
        uses SuperLU because it needs the explicit factors.
    structure
        Precomputed :func:`block_structure` of A, reused if given.
    transpose
        SuperLU ordering: ``True`` COLAMD on Aᵀ (fewer nonzeros than A on supply chains),
        ``False`` COLAMD on A; ``None`` (default) keeps each block's natural order when its
        fill is low (:data:`NATURAL_FILL_LIMIT`), else COLAMD on Aᵀ. The whole strategy
        treats ``None`` as ``True``.

    Returns
    -------
    BlockTriangularLU, WholeLU or IterativeSolver
        An object with ``solve`` and ``solve_transposed``.

    Raises
    ------
    SingularTechnosphere
        If A is singular; the message names the columns of the failing block(s).
    """
    names = (
        list(labels)
        if labels is not None
        else [f"column {i}" for i in range(technosphere.shape[1])]
    )
    if Strategy(strategy) is Strategy.ITERATIVE:
        return IterativeSolver(technosphere, names)
    if Strategy(strategy) is Strategy.WHOLE:
        return WholeLU(technosphere, names, backend=backend, transpose=transpose is not False)
    plan = BlockPlan(technosphere, structure)
    if (
        Strategy(strategy) is Strategy.AUTO
        and plan.n >= WHOLE_SWITCH_MIN_N
        and plan.structure.largest >= WHOLE_SWITCH_SHARE * plan.n
    ):
        # one block holds (nearly) everything: there is no triangular structure to exploit,
        # and a whole-matrix LU with a fill-reducing order (PARDISO when installed) is faster
        return WholeLU(technosphere, names, backend=backend, transpose=transpose is not False)
    return plan.factorize(plan.canonical(technosphere), names, transpose=transpose)
