"""Estimate the condition of a factorised technosphere (Hager's 1-norm estimator).

Two thresholds apply to the estimate κ. Above :data:`CONDITION_WARNING_THRESHOLD` a solve warns
(:class:`~sinergi.errors.IllConditionedTechnosphere`): supplies keep few digits. At or above
:data:`SINGULAR_CONDITION` = 1/ε the matrix is singular to working precision and
:class:`~sinergi.footprint.lca.system.LcaSystem` raises
:class:`~sinergi.errors.SingularTechnosphere` instead of returning numbers with no correct
digit (a loop with one column a multiple of another gives κ ≈ 1e17 and "supplies" of 1e16).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from sinergi.footprint.lca.arrays import FloatArray
from sinergi.footprint.lca.interface import Factorization

#: Condition-number estimate (1-norm) above which a solve warns. A direct solve's relative
#: forward error is bounded by about κ·ε with ε ≈ 2.2e-16 in double precision, so above
#: 1e12 a supply may keep fewer than about four significant digits.
CONDITION_WARNING_THRESHOLD = 1e12

#: Condition estimate at or above which A is singular to working precision: LAPACK's
#: expert drivers (xGESVX) report the same case, INFO = N+1, when the reciprocal condition
#: number is below the machine epsilon ε ≈ 2.2e-16; then κ·ε ≥ 1 and no digit of a solve
#: can be trusted.
SINGULAR_CONDITION = 1.0 / float(np.finfo(np.float64).eps)

#: Iterations of Hager's 1-norm estimator of ‖A⁻¹‖ (LAPACK xLACON uses at most five).
_HAGER_ITERATIONS = 5


def estimate_inverse_norm(factor: Factorization) -> float:
    """Estimate ‖A⁻¹‖₁ from a factorisation with Hager's method (deterministic start)."""
    n = factor.n
    x = np.full(n, 1.0 / n)
    estimate = 0.0
    for it in range(_HAGER_ITERATIONS):
        y = factor.solve(x)
        new = float(np.abs(y).sum())
        if it > 0 and new <= estimate:
            break
        estimate = new
        z = factor.solve_transposed(np.where(y >= 0, 1.0, -1.0))
        j = int(np.argmax(np.abs(z)))
        if it > 0 and abs(float(z[j])) <= float(z @ x):
            break
        x = np.zeros(n)
        x[j] = 1.0
    # Higham's extra probe guards against the estimator's known failure cases
    extra = 2.0 * float(np.abs(factor.solve(probe_vector(n))).sum()) / (3.0 * n)
    return float(max(estimate, extra))


def probe_vector(n: int) -> FloatArray:
    """Return Higham's alternating probe ``(-1)^i (1 + i/(n-1))``, deterministic and generic."""
    i = np.arange(n)
    return np.where(i % 2 == 0, 1.0, -1.0) * (1.0 + i / max(n - 1, 1))


def condition_estimate(technosphere: sp.csc_array, factor: Factorization) -> float:
    """Return the 1-norm condition estimate ‖A‖₁·‖A⁻¹‖₁."""
    norm = float(np.abs(technosphere).sum(axis=0).max())
    return float(norm * estimate_inverse_norm(factor))
