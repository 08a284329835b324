"""Name the processes of a singular technosphere, in the error a user reads.

A technosphere is singular when some processes have no unique supply: a process that makes
nothing, or a set of processes that only supply each other in fixed proportions (one column a
multiple of another inside a loop). Exactly singular blocks make the LU fail; numerically
singular ones (condition estimate at or above 1/ε, see :mod:`.condition`) do not, and are found
here from the near-null direction of A.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu

from sinergi.errors import SingularTechnosphere
from sinergi.footprint.lca.arrays import IndexArray
from sinergi.footprint.lca.structure import BlockStructure

#: Number of column labels quoted in a singular-matrix message before "and N more".
_LABELS_QUOTED = 8


def _quote(labels: Sequence[str], cols: Sequence[int] | IndexArray) -> str:
    cols = list(cols)
    shown = ", ".join(repr(labels[int(c)]) for c in cols[:_LABELS_QUOTED])
    more = len(cols) - _LABELS_QUOTED
    return shown + (f" and {more} more" if more > 0 else "")


def singular_error(labels: Sequence[str], cols: Sequence[int] | IndexArray) -> SingularTechnosphere:
    """Return the error naming the process columns that have no unique supply."""
    return SingularTechnosphere(
        f"technosphere is singular: no unique supply for process column(s) "
        f"{_quote(labels, cols)}; check that each process produces its own product and that "
        "no set of processes only supply each other in fixed proportions"
    )


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
