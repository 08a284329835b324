"""Name the processes of a singular technosphere, in the error a user reads.

A technosphere is singular when some processes have no unique supply: a process that makes
nothing, or a set of processes that only supply each other in fixed proportions (one column a
multiple of another inside a loop). Exactly singular blocks make the LU fail; numerically
singular ones (condition estimate at or above 1/ε, see :mod:`.condition`) do not, and are found
here from the near-null direction of A.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu

from sinergi.errors import SingularTechnosphere
from sinergi.footprint.lca.arrays import FloatArray, IndexArray
from sinergi.footprint.lca.condition import probe_vector
from sinergi.footprint.lca.structure import BlockStructure

#: Number of column labels quoted in a singular-matrix message before "and N more".
_LABELS_QUOTED = 8

#: Machine epsilon of float64.
EPS = float(np.finfo(np.float64).eps)


def _quote(labels: Sequence[str], cols: Sequence[int] | IndexArray) -> str:
    cols = list(cols)
    shown = ", ".join(repr(labels[int(c)]) for c in cols[:_LABELS_QUOTED])
    more = len(cols) - _LABELS_QUOTED
    return shown + (f" and {more} more" if more > 0 else "")


def singular_error(
    labels: Sequence[str],
    cols: Sequence[int] | IndexArray,
    *,
    condition: float | None = None,
    rounding: bool = False,
) -> SingularTechnosphere:
    """Return the error naming the process columns that have no unique supply.

    A is singular to working precision rather than exactly when the LU succeeded but left a
    pivot at rounding level (``rounding``), or its ``condition`` estimate is at least 1/ε.
    """
    how = "singular"
    if condition is not None:
        how = f"singular to working precision (condition estimate {condition:.2g})"
    elif rounding:
        how = "singular to working precision (an LU pivot is at rounding level)"
    return SingularTechnosphere(
        f"technosphere is {how}: no unique supply for process column(s) "
        f"{_quote(labels, cols)}; check that each process produces its own product and that "
        "no set of processes only supply each other in fixed proportions (one column a "
        "multiple of another inside a loop)"
    )


def near_null_columns(solve: Callable[[FloatArray], FloatArray], n: int) -> IndexArray:
    """Return the processes whose supply a numerically singular A leaves undetermined.

    A solve with such an A is dominated by its near-null direction v (A v ≈ 0): a supply can
    move along v at no cost, so the processes with ``v_i ≠ 0`` are the ones without a unique
    supply. They are the entries of one solve (of a generic probe) larger than √ε times the
    largest; when two columns are proportional, exactly those two.
    """
    x = np.abs(solve(probe_vector(n)))
    x[~np.isfinite(x)] = np.inf
    top = float(x.max()) if n else 0.0
    if not np.isfinite(top):
        return np.flatnonzero(~np.isfinite(x)).astype(np.int64)
    return np.flatnonzero(x >= np.sqrt(EPS) * top).astype(np.int64)


def tiny_pivots(pivots: FloatArray, size: IndexArray, scale: FloatArray) -> bool:
    """Return whether an LU pivot is at rounding level: ``|u_kk| <= size · ε · max|D|``.

    ``size`` and ``scale`` are, per pivot, the order of its block and the largest entry of that
    block. An LU that succeeds on a numerically singular block leaves such a pivot; this check
    costs one comparison per pivot, so Monte Carlo draws run it on every factorisation.
    """
    return bool(np.any(np.abs(pivots) <= size * EPS * scale))


def failing_blocks(technosphere: sp.csc_array, structure: BlockStructure) -> IndexArray:
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
