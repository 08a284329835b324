"""Product carbon footprints: a matrix LCA core and the Indonesian nickel → battery inventories.

:mod:`sinergi.footprint.lca` is the matrix core on plain SciPy matrices (factorise once, many
demands, adjoint scores, Monte Carlo). Over it: ``inventory`` (validated route data, parameters
as formulas), ``network`` (A, B, c from routes), ``ecosystem`` (foreground columns from a park's
reported flows), ``scenarios`` (:class:`~sinergi.footprint.scenarios.FootprintModel`),
``results``, ``calibration``, ``battery`` (EU 2023/1542 declaration) and ``route_uncertainty``.
The engine computes and returns results; rendering lives in :mod:`sinergi.reports.footprint`.

The one-call solver is ``sinergi.footprint.lca.lca`` (``from sinergi.footprint.lca import lca``):
it is not re-exported here, where the name ``lca`` is the subpackage.
"""

from __future__ import annotations

from sinergi.footprint.lca import (
    CONDITION_WARNING_THRESHOLD,
    BlockStructure,
    Distribution,
    ExecutionBackend,
    IdMapping,
    LcaResult,
    LcaSystem,
    MonteCarlo,
    MonteCarloResult,
    SolverBackend,
    Strategy,
    Uncertainty,
    available_backends,
    block_structure,
    factorize,
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
]
