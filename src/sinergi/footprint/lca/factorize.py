"""Choose a strategy and factorise A once, so every later solve is cheap."""

from __future__ import annotations

from collections.abc import Sequence

import scipy.sparse as sp

from sinergi.footprint.lca.block_lu import BlockPlan, BlockTriangularLU
from sinergi.footprint.lca.interface import SolverBackend, Strategy
from sinergi.footprint.lca.iterative import IterativeSolver
from sinergi.footprint.lca.structure import BlockStructure
from sinergi.footprint.lca.whole_lu import WholeLU

#: The block strategy hands over to a whole-matrix LU when one strongly connected block holds
#: at least this share of the processes (and there are at least ``WHOLE_SWITCH_MIN_N``): the
#: uniformly random 2,000-process worst case took 0.95 s block-wise against 0.44 s (SuperLU) and
#: 0.39 s (PARDISO) whole (bench/footprint.py, docs/benchmarks.md).
WHOLE_SWITCH_SHARE = 0.9
WHOLE_SWITCH_MIN_N = 500


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
        Square sparse A (production on the diagonal, inputs of the opposite sign).
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
