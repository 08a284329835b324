"""Validate matrices and demands at the boundary of the matrix core, naming what is wrong.

Conventions (Brightway's): the technosphere A (n × n) has each process's production on the
diagonal (negative for a waste-treatment activity) and its inputs as entries of the opposite
sign in its column; the biosphere B (m × n) holds
elementary flows per unit of each process; ``c`` holds one characterisation factor per flow.
Missing data is NaN, never zero: a missing factor for a flow that some process emits is an
error (:class:`~sinergi.errors.MissingFactor`), a missing factor for an unused flow is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from sinergi.errors import InvalidMatrix, MissingFactor, SingularTechnosphere, ZeroProduction
from sinergi.footprint.lca.arrays import FloatArray

#: Number of labels quoted in a message before "and N more".
_QUOTED = 8

ArrayLike: TypeAlias = npt.ArrayLike
#: A matrix argument: SciPy sparse (any format) or a dense 2-D array.
Matrix: TypeAlias = "sp.sparray | sp.spmatrix | npt.NDArray[np.float64]"


def _quote(labels: Sequence[str], idx: Sequence[int] | npt.NDArray[np.int64]) -> str:
    items = [int(i) for i in idx]
    shown = ", ".join(repr(labels[i]) for i in items[:_QUOTED])
    return shown + (f" and {len(items) - _QUOTED} more" if len(items) > _QUOTED else "")


def as_csc(matrix: Matrix, name: str) -> sp.csc_array:
    """Return a canonical float CSC copy of a sparse or dense 2-D matrix."""
    try:
        out = sp.csc_array(matrix, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidMatrix(f"{name} must be a 2-D numeric matrix: {exc}") from exc
    if out.ndim != 2:
        raise InvalidMatrix(f"{name} must be 2-D, got {out.ndim}-D")
    out.sum_duplicates()
    return out


def check_finite(matrix: sp.csc_array, name: str, rows: Sequence[str], cols: Sequence[str]) -> None:
    """Reject NaN or infinite entries, naming the first few by row and column label."""
    bad = ~np.isfinite(matrix.data)
    if bad.any():
        coo = matrix.tocoo()
        where = [
            f"({rows[r]!r}, {cols[c]!r})"
            for r, c in zip(coo.row[bad][:_QUOTED], coo.col[bad][:_QUOTED], strict=True)
        ]
        raise InvalidMatrix(
            f"{name} has {int(bad.sum())} missing or infinite entr(y/ies) at (flow/product, "
            f"process) {', '.join(where)}; give a number, or drop the entry if it is truly 0"
        )


def check_production(technosphere: sp.csc_array, labels: Sequence[str]) -> None:
    """Reject empty processes/products and a zero production amount on the diagonal.

    A negative production amount is accepted, as Brightway accepts it: it is how a
    waste-treatment activity is written (its reference product is the waste it takes in,
    ``-1`` on the diagonal, and a process that sends waste to it has a positive entry in the
    waste's row). See ``docs/footprint.md``, "Sign convention".
    """
    n = technosphere.shape[0]
    empty_cols = np.flatnonzero(np.diff(technosphere.indptr) == 0)
    empty_rows = np.flatnonzero(np.bincount(technosphere.indices, minlength=n) == 0)
    if len(empty_cols) or len(empty_rows):
        cols = np.union1d(empty_cols, empty_rows)
        raise SingularTechnosphere(
            f"technosphere is singular: process column(s)/product row(s) {_quote(labels, cols)}"
            " have no entry at all; give each process its production on the diagonal"
        )
    bad = np.flatnonzero(technosphere.diagonal() == 0)
    if len(bad):
        raise ZeroProduction(
            f"process column(s) {_quote(labels, bad)} produce nothing: the technosphere "
            "diagonal (production amount) is 0; put the reference product's amount on the "
            "diagonal (positive for a product, negative for a waste-treatment activity) and "
            "inputs as entries of the opposite sign"
        )


def check_factors(
    biosphere: sp.csc_array, factors: FloatArray, labels: Sequence[str], flow_labels: Sequence[str]
) -> None:
    """Reject a missing (NaN) factor for a flow that a process emits; name both."""
    if np.isinf(factors).any():
        bad = np.flatnonzero(np.isinf(factors))
        raise InvalidMatrix(
            f"characterisation factor is infinite for flow(s) "
            f"{_quote(flow_labels, bad)}; give a finite number"
        )
    missing = np.isnan(factors)
    if not missing.any():
        return
    coo = biosphere.tocoo()
    used = missing[coo.row] & (coo.data != 0)
    if used.any():
        flows = np.unique(coo.row[used])
        flow = int(flows[0])
        emitters = np.unique(coo.col[used & (coo.row == flow)])
        others = f" (and {len(flows) - 1} more flow(s))" if len(flows) > 1 else ""
        raise MissingFactor(
            f"flow {flow_labels[flow]!r} has no characterisation factor but is emitted by "
            f"process(es) {_quote(labels, emitters)}{others}; give the factor "
            "(0 if the method ignores the flow)"
        )


def as_demands(
    demands: ArrayLike | sp.sparray | sp.spmatrix, n: int, labels: Sequence[str]
) -> FloatArray:
    """Return demands as an n × k float array (a length-n vector becomes k = 1)."""
    if sp.issparse(demands):
        demands = demands.toarray()  # type: ignore[union-attr]
    arr = np.asarray(demands, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] != n:
        raise InvalidMatrix(
            f"demands must have shape (n,) or (n, k) with n = {n} processes; got {arr.shape}"
        )
    bad_rows = np.flatnonzero(~np.isfinite(arr).all(axis=1))
    if len(bad_rows):
        raise InvalidMatrix(
            f"demands are missing or infinite for product(s) "
            f"{_quote(labels, bad_rows)}; give a number (0 for no demand)"
        )
    return arr
