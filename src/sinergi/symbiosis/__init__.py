"""Industrial symbiosis: substitution rules, candidate exchanges, optimisation, benefit sharing.

``candidates`` pairs supplies (wastes, by-products, heat, water) with demands (virgin inputs) by
rule; ``problem`` is the array contract handed to ``optimise`` (HiGHS LP/MILP, Pareto front);
``sharing`` splits the benefit of an accepted set of exchanges.
"""

from __future__ import annotations

# ``optimise`` (the function) is not re-exported: it would hide the submodule of the same name.
from sinergi.symbiosis.formulation import Objective
from sinergi.symbiosis.optimise import SolverSettings
from sinergi.symbiosis.pareto import ParetoFront, pareto_front
from sinergi.symbiosis.problem import ArcGroup, ExchangeProblem
from sinergi.symbiosis.sharing import (
    Allocation,
    CoreCheck,
    Game,
    core_check,
    exchange_game,
    partners_from_labels,
    shapley_exact,
    shapley_sampled,
)
from sinergi.symbiosis.solution import ExchangeSolution, SolveStatus, verify

__all__ = [
    "Allocation",
    "ArcGroup",
    "CoreCheck",
    "ExchangeProblem",
    "ExchangeSolution",
    "Game",
    "Objective",
    "ParetoFront",
    "SolveStatus",
    "SolverSettings",
    "core_check",
    "exchange_game",
    "pareto_front",
    "partners_from_labels",
    "shapley_exact",
    "shapley_sampled",
    "verify",
]
