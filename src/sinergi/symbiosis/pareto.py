"""The cost / CO2e trade-off traced by the ε-constraint method.

Each point maximises net benefit subject to a floor on CO2e avoided; see :func:`pareto_front`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sinergi.errors import SymbiosisError
from sinergi.symbiosis.formulation import Objective
from sinergi.symbiosis.problem import ExchangeProblem
from sinergi.symbiosis.solution import ExchangeSolution, SolveStatus

if TYPE_CHECKING:
    from sinergi.symbiosis.optimise import SolverSettings

#: The top ε (the CO2-optimal value) is relaxed by this fraction of its size (at least this
#: much absolute) so that solver round-off cannot make the last point infeasible.
PARETO_TOP_RELAXATION = 1e-7


@dataclass(frozen=True)
class ParetoPoint:
    """One ε-constraint solve: maximise net benefit with CO2e avoided >= ``co2e_floor``."""

    co2e_floor: float
    solution: ExchangeSolution

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types."""
        totals = self.solution.totals
        return {
            "co2e_floor": self.co2e_floor,
            "net_benefit": None if totals is None else totals.net_benefit,
            "co2e_avoided": None if totals is None else totals.co2e_avoided,
            "solution": self.solution.to_dict(),
        }


@dataclass(frozen=True)
class ParetoFront:
    """The cost/CO2e trade-off: its two end solves and the ε-constraint points between."""

    cost_optimal: ExchangeSolution
    co2_optimal: ExchangeSolution
    points: tuple[ParetoPoint, ...]
    message: str

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types."""
        return {
            "message": self.message,
            "cost_optimal": self.cost_optimal.to_dict(),
            "co2_optimal": self.co2_optimal.to_dict(),
            "points": [p.to_dict() for p in self.points],
        }


def pareto_front(
    problem: ExchangeProblem, n_points: int, *, settings: SolverSettings | None = None
) -> ParetoFront:
    """Trace the trade-off between net benefit and CO2e avoided by the ε-constraint method.

    The two ends are solved first: the cost-optimal flows (their CO2e avoided is ``low``) and
    the CO2-optimal flows (``high``, the most CO2e the network can avoid). The ``n_points`` ε
    values are spaced evenly from ``low`` to ``high`` (the top one relaxed by
    :data:`PARETO_TOP_RELAXATION` of its size), and each point maximises net benefit subject to
    CO2e avoided >= ε. Below ``low`` the constraint would not bind, above ``high`` nothing is
    feasible, so these ε cover the whole front. Each point is weakly Pareto-optimal; when the
    two ends coincide (no trade-off) the front is the single cost-optimal point. When an end
    solve stops at its time limit the front spans only what was found, as ``message`` says.

    Parameters
    ----------
    problem
        The exchange problem.
    n_points
        Number of ε values (>= 1).
    settings
        Passed to every solve.
    """
    # Imported here: ``optimise`` re-exports this module's names for its callers.
    from sinergi.symbiosis.optimise import optimise

    if n_points < 1:
        raise SymbiosisError(f"n_points is {n_points}; ask for at least 1 Pareto point")
    cost_end = optimise(problem, Objective.NET_BENEFIT, settings=settings)
    co2_end = optimise(problem, Objective.CO2E_AVOIDED, settings=settings)
    if cost_end.totals is None or co2_end.totals is None:
        return ParetoFront(
            cost_end,
            co2_end,
            (),
            f"no front: the cost solve ended {cost_end.status.value}, "
            f"the CO2e solve ended {co2_end.status.value}",
        )
    low = cost_end.totals.co2e_avoided
    high = co2_end.totals.co2e_avoided
    high -= PARETO_TOP_RELAXATION * max(abs(high), 1.0)
    floors = np.linspace(low, high, n_points) if high > low and n_points > 1 else np.array([low])
    points = tuple(
        ParetoPoint(
            float(eps),
            optimise(
                problem,
                Objective.NET_BENEFIT,
                settings=settings,
                at_least={Objective.CO2E_AVOIDED: eps},
            ),
        )
        for eps in floors
    )
    ends = {cost_end.status, co2_end.status}
    message = (
        "both ends solved to optimality"
        if ends == {SolveStatus.OPTIMAL}
        else "an end solve hit its time limit; the front spans only the solutions found"
    )
    return ParetoFront(cost_end, co2_end, points, message)
