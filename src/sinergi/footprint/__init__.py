"""Matrix LCA engine: technosphere A, biosphere B, factors c, for many demands at once.

``lca(A, B, c, demands)`` solves ``A s = f`` with A factorised once (strongly connected
blocks first, then one triangular solve for all demand columns), and returns supply,
inventory and scores. :class:`LcaSystem` keeps the factorisation for further demand,
adjoint-score and contribution queries; :class:`MonteCarlo` samples per-entry
distributions with per-draw seeds, identical on every execution backend.
"""

from __future__ import annotations

from sinergi.footprint.engine import (
    CONDITION_WARNING_THRESHOLD,
    LcaResult,
    LcaSystem,
    lca,
)
from sinergi.footprint.mapping import IdMapping
from sinergi.footprint.solver import (
    BlockStructure,
    SolverBackend,
    Strategy,
    available_backends,
    block_structure,
    factorize,
)
from sinergi.footprint.uncertainty import (
    Distribution,
    ExecutionBackend,
    MonteCarlo,
    MonteCarloResult,
    Uncertainty,
)

__all__ = [
    "CONDITION_WARNING_THRESHOLD",
    "BlockStructure",
    "Distribution",
    "ExecutionBackend",
    "IdMapping",
    "LcaResult",
    "LcaSystem",
    "MonteCarlo",
    "MonteCarloResult",
    "SolverBackend",
    "Strategy",
    "Uncertainty",
    "available_backends",
    "block_structure",
    "factorize",
    "lca",
]
