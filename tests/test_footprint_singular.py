"""A numerically singular technosphere raises SingularTechnosphere on every strategy (issue 12).

The case of the issue: inside a loop, one process's column is a multiple of another's
(here the refinery's column is −2 × the converter's), so the two have no unique supply. In
exact arithmetic A is singular; in floating point the LU goes through with a pivot at rounding
level, the condition estimate is ~1e17, and the old code warned and returned a footprint of
6.7e15. Every number here is synthetic.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from sinergi.errors import SingularTechnosphere
from sinergi.footprint.lca import (
    Distribution,
    LcaSystem,
    MonteCarlo,
    Uncertainty,
    available_backends,
    lca,
)

LABELS = ["consumer", "smelter", "converter", "refinery", "power"]
#: Column 3 (refinery) is −2 × column 2 (converter): converter, refinery and smelter form a loop.
SINGULAR = np.array(
    [
        [1.0, 0.0, 0.0, 0.0, 0.0],
        [-1.0, 1.0, -0.3, 0.6, 0.0],
        [0.0, -0.3, 1.0, -2.0, 0.0],
        [0.0, 0.0, -0.5, 1.0, 0.0],
        [0.0, -0.1, -0.1, 0.2, 1.0],
    ]
)
B = np.array([[0.0, 1.0, 2.0, 0.5, 3.0]])
DEMAND = np.array([1.0, 0.0, 0.0, 0.0, 0.0])
NAMED = r"'converter', 'refinery'"


def _power_emission_uncertainty() -> Uncertainty:
    lognormal = [int(Distribution.LOGNORMAL)]
    return Uncertainty.of("biosphere", [0], [4], lognormal, [np.log(3.0)], [0.1])


def _regular() -> np.ndarray:
    """Return the same pattern with the refinery's column no longer proportional."""
    a = SINGULAR.copy()
    a[2, 3] = -1.9
    return a


def test_the_case_is_singular_in_exact_arithmetic_only():
    # the converter and refinery columns are exactly proportional...
    np.testing.assert_array_equal(SINGULAR[:, 3], -2.0 * SINGULAR[:, 2])
    assert np.linalg.matrix_rank(SINGULAR) == 4
    # ...yet floating-point elimination does not hit an exact zero pivot
    assert np.linalg.cond(SINGULAR, 1) >= 1 / np.finfo(np.float64).eps


@pytest.mark.parametrize("strategy", ["auto", "block", "whole", "iterative"])
def test_singular_technosphere_raises_naming_the_processes_on_every_strategy(strategy):
    with pytest.raises(SingularTechnosphere, match=NAMED) as info:
        lca(sp.csc_array(SINGULAR), B, [1.0], DEMAND, labels=LABELS, strategy=strategy)
    message = str(info.value)
    assert "'consumer'" not in message
    assert "'power'" not in message


@pytest.mark.parametrize("backend", available_backends())
def test_singular_technosphere_raises_with_every_whole_matrix_backend(backend):
    with pytest.raises(SingularTechnosphere, match=NAMED):
        LcaSystem(
            sp.csc_array(SINGULAR), B, [1.0], labels=LABELS, strategy="whole", backend=backend
        )


@pytest.mark.parametrize("iterative", [True, False])
def test_monte_carlo_on_a_singular_technosphere_raises(iterative):
    spec = _power_emission_uncertainty()
    with pytest.raises(SingularTechnosphere, match=NAMED):
        MonteCarlo(
            sp.csc_array(SINGULAR),
            B,
            [1.0],
            DEMAND,
            uncertainty=spec,
            seed=1,
            labels=LABELS,
            iterative=iterative,
        )


@pytest.mark.parametrize("iterative", [True, False])
def test_monte_carlo_draw_that_is_singular_raises(iterative):
    # LoopReduction (iterative) and the per-draw block LU both meet the singular draw
    spec = _power_emission_uncertainty()
    mc = MonteCarlo(
        sp.csc_array(_regular()),
        B,
        [1.0],
        DEMAND,
        uncertainty=spec,
        seed=1,
        labels=LABELS,
        iterative=iterative,
    )
    tech, bio = mc.draw_values(0)
    assert np.isfinite(mc.score_of(tech, bio))
    singular_values = sp.csc_array(SINGULAR).data
    assert len(singular_values) == len(tech)
    with pytest.raises(SingularTechnosphere, match=NAMED):
        mc.score_of(singular_values, bio)


def test_regular_neighbour_of_the_case_still_solves():
    result = lca(sp.csc_array(_regular()), B, [1.0], DEMAND, labels=LABELS)
    dense = np.linalg.solve(_regular(), DEMAND)
    np.testing.assert_allclose(result.supply[:, 0], dense, rtol=1e-12)
