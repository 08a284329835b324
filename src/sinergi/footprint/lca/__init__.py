"""The matrix LCA core: technosphere A, biosphere B, factors c, for many demands at once.

``lca(A, B, c, demands)`` solves ``A s = f`` with A factorised once and returns supply,
inventory and scores; :class:`LcaSystem` keeps the factorisation for further demand,
adjoint-score and contribution queries; :class:`MonteCarlo` samples per-entry distributions
with per-draw seeds, identical on every execution backend. Nothing here knows about routes,
parks or files: the inputs are plain SciPy matrices and labels.

Modules, by concern:

``checks``, ``condition``, ``singular``
    Validation at the boundary, Hager's condition estimate, and the naming of the processes
    of a singular technosphere.
``structure``, ``triangular``, ``mapping``
    Strongly connected blocks and their solve order; sparse triangular solves; ids ↔ indices.
``interface``, ``factorize``
    The :class:`Factorization` protocol, the :class:`Strategy` and :class:`SolverBackend`
    choices, and :func:`factorize`, which picks a strategy.
``block_lu``, ``whole_lu``, ``iterative``, ``loop_reduction``
    One module per strategy: block-triangular LU (default), whole-matrix LU (SuperLU, PARDISO,
    UMFPACK), Jacobi-GMRES without factorisation, and the GMRES over loop-closing rows that
    Monte Carlo draws use on large systems.
``system``, ``distributions``, ``montecarlo``
    :class:`LcaSystem` and :func:`lca`; per-entry uncertainty; Monte Carlo runs.
"""

from __future__ import annotations

from sinergi.footprint.lca.block_lu import BlockPlan, BlockTriangularLU
from sinergi.footprint.lca.condition import CONDITION_WARNING_THRESHOLD
from sinergi.footprint.lca.distributions import Distribution, MatrixName, Uncertainty
from sinergi.footprint.lca.factorize import factorize
from sinergi.footprint.lca.interface import (
    Factorization,
    SolverBackend,
    Strategy,
    available_backends,
    resolve_backend,
)
from sinergi.footprint.lca.iterative import IterativeSolver
from sinergi.footprint.lca.loop_reduction import GaussSeidelPlan, LoopReduction
from sinergi.footprint.lca.mapping import IdMapping
from sinergi.footprint.lca.montecarlo import ExecutionBackend, MonteCarlo, MonteCarloResult
from sinergi.footprint.lca.structure import BlockStructure, block_structure
from sinergi.footprint.lca.system import LcaResult, LcaSystem, lca
from sinergi.footprint.lca.whole_lu import WholeLU

__all__ = [
    "CONDITION_WARNING_THRESHOLD",
    "BlockPlan",
    "BlockStructure",
    "BlockTriangularLU",
    "Distribution",
    "ExecutionBackend",
    "Factorization",
    "GaussSeidelPlan",
    "IdMapping",
    "IterativeSolver",
    "LcaResult",
    "LcaSystem",
    "LoopReduction",
    "MatrixName",
    "MonteCarlo",
    "MonteCarloResult",
    "SolverBackend",
    "Strategy",
    "Uncertainty",
    "WholeLU",
    "available_backends",
    "block_structure",
    "factorize",
    "lca",
    "resolve_backend",
]
