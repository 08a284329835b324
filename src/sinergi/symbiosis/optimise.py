"""Optimise the exchange network with HiGHS: an LP for flows, a MILP for fixed costs and minimums.

The model is written in :mod:`~sinergi.symbiosis.formulation`, the result read into an
:class:`~sinergi.symbiosis.solution.ExchangeSolution`; this module runs HiGHS between them. The
status is always returned (:class:`SolveStatus`), never raised: a time limit gives
``time_limit`` with the best flows found, the bound and the gap. Objectives are maximised and
named after the total they maximise: ``net_benefit`` = ``Σ value_a x_a − Σ fixed_a y_a``
(IDR), ``co2e_avoided`` = ``Σ co2e_a x_a`` (t CO2e avoided; negative would be an increase),
``landfill_diverted`` = ``Σ landfill_a x_a`` (t kept out of landfill). The contract can never be
infeasible (``x = 0`` is feasible); infeasibility can only come from a floor the caller adds
(``at_least``, which the ε-constraint Pareto front uses), and unboundedness only from an arc
with a positive objective coefficient and no finite capacity, supply or demand.

Examples
--------
>>> import numpy as np
>>> from sinergi.symbiosis.problem import ExchangeProblem, IntArray
>>> p = ExchangeProblem(
...     supply_ids=["smelter:slag"], demand_ids=["cement:clinker", "road:aggregate"],
...     supply_amount=np.array([100.0]), demand_amount=np.array([60.0, 80.0]),
...     arc_supply=np.array([0, 0]), arc_demand=np.array([0, 1]),
...     arc_ratio=np.array([1.0, 1.0]), arc_capacity=np.array([np.inf, np.inf]),
...     arc_value=np.array([5.0, 2.0]), arc_co2e=np.array([0.5, 0.1]),
...     arc_landfill=np.array([1.0, 1.0]), arc_fixed_cost=np.zeros(2),
...     arc_min_amount=np.zeros(2))
>>> result = optimise(p, "net_benefit")
>>> result.status.value, result.objective_value, result.flows.tolist()
('optimal', 380.0, [60.0, 40.0])
>>> verify(p, result.dense_flows()).ok
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import highspy
import numpy as np

from sinergi.errors import SymbiosisError
from sinergi.symbiosis.decompose import independent_parts, restrict, solve_by_parts
from sinergi.symbiosis.formulation import (
    Layout,
    Objective,
    Scaling,
    arc_upper_bounds,
    highs_lp,
    highs_model,
    layout_of,
    objective_columns,
)
from sinergi.symbiosis.highs import new_highs
from sinergi.symbiosis.pareto import ParetoFront, ParetoPoint, pareto_front
from sinergi.symbiosis.problem import ExchangeProblem, IntArray
from sinergi.symbiosis.solution import (
    FLOW_ZERO_TOLERANCE,
    ExchangeSolution,
    ExchangeTotals,
    SolveStatus,
    VerifyReport,
    Violation,
    from_flows,
    no_solution,
    relative_gap,
    verify,
)

__all__ = [
    "DEFAULT_MIP_REL_GAP",
    "ExchangeSolution",
    "ExchangeTotals",
    "Objective",
    "ParetoFront",
    "ParetoPoint",
    "SolveStatus",
    "SolverSettings",
    "VerifyReport",
    "Violation",
    "highs_lp",
    "optimise",
    "pareto_front",
    "run_highs",
    "verify",
]

#: Default relative MIP gap: HiGHS's own default ``mip_rel_gap`` (1e-4).
DEFAULT_MIP_REL_GAP = 1e-4


@dataclass(frozen=True)
class SolverSettings:
    """Limits handed to HiGHS.

    Parameters
    ----------
    time_limit
        Wall-clock limit in seconds (``inf`` for none). Reaching it is a status, not an error.
    mip_rel_gap
        Relative MIP gap at which HiGHS stops and calls the solution optimal.
    threads
        HiGHS threads; ``None`` lets HiGHS choose.
    """

    time_limit: float = math.inf
    mip_rel_gap: float = DEFAULT_MIP_REL_GAP
    threads: int | None = None

    def __post_init__(self) -> None:
        if not self.time_limit > 0:
            raise SymbiosisError(f"time_limit is {self.time_limit}; give seconds above zero")
        if not 0 <= self.mip_rel_gap < 1:
            raise SymbiosisError(f"mip_rel_gap is {self.mip_rel_gap}; give a value in [0, 1)")
        if self.threads is not None and self.threads < 1:
            raise SymbiosisError(f"threads is {self.threads}; give at least 1 or None")


_STATUS = {
    highspy.HighsModelStatus.kOptimal: SolveStatus.OPTIMAL,
    highspy.HighsModelStatus.kTimeLimit: SolveStatus.TIME_LIMIT,
    highspy.HighsModelStatus.kInfeasible: SolveStatus.INFEASIBLE,
    highspy.HighsModelStatus.kUnbounded: SolveStatus.UNBOUNDED,
}


def run_highs(
    lp: highspy.HighsLp, settings: SolverSettings | None = None, *, presolve: bool = True
) -> highspy.Highs:
    """Solve ``lp`` silently with ``settings`` and return the solver to read results from."""
    settings = settings or SolverSettings()
    highs = new_highs()
    highs.setOptionValue("mip_rel_gap", settings.mip_rel_gap)
    if math.isfinite(settings.time_limit):
        highs.setOptionValue("time_limit", float(settings.time_limit))
    if settings.threads is not None:
        # HiGHS keeps one thread pool per process, sized by the first solve; another size
        # fails the run unless the pool is rebuilt first.
        highs.resetGlobalScheduler(True)
        highs.setOptionValue("threads", settings.threads)
    if not presolve:
        highs.setOptionValue("presolve", "off")
    # No start solution is handed over (all links closed would be feasible): with highspy
    # 1.16 a start set by setSolution came back as the "optimal" columns while the reported
    # objective was another solution's, so the solver searches from scratch.
    highs.passModel(lp)
    highs.run()
    return highs


def optimise(
    problem: ExchangeProblem,
    objective: Objective | str = Objective.NET_BENEFIT,
    *,
    settings: SolverSettings | None = None,
    at_least: Mapping[Objective | str, float] | None = None,
) -> ExchangeSolution:
    """Choose the flows on the candidate arcs that maximise ``objective``.

    Parameters
    ----------
    problem
        The supplies, demands and candidate arcs.
    objective
        ``net_benefit`` (IDR), ``co2e_avoided`` (t CO2e) or ``landfill_diverted`` (t).
    settings
        Time limit, MIP gap and threads.
    at_least
        Floors on totals (``{"co2e_avoided": 1000.0}``: at least 1000 t CO2e avoided);
        the ε-constraint of :func:`pareto_front`. A floor above what is reachable gives the
        status ``infeasible``.

    Returns
    -------
    ExchangeSolution
        Always returned, whatever the status; flows are reported only when HiGHS has a
        feasible solution (``optimal``, or ``time_limit`` with an incumbent).

    Notes
    -----
    Without floors, a problem that falls apart into independent parts (see
    :mod:`~sinergi.symbiosis.decompose`) is solved part by part within the same time limit:
    the same optimum, found far faster at national scale. Floors couple every arc, so a
    problem with floors is always one model.
    """
    settings = settings or SolverSettings()
    objective = _objective(objective)
    floors = {_objective(k): float(v) for k, v in (at_least or {}).items()}
    for key, floor in floors.items():
        if not math.isfinite(floor):
            raise SymbiosisError(f"at_least[{key.value!r}] is {floor}; give a finite number")
    if problem.n_arcs == 0:
        return _without_arcs(problem, objective, floors)
    if not floors:
        return _without_floors(problem, objective, settings)
    return _solve_whole(problem, objective, settings, floors)


def _without_floors(
    problem: ExchangeProblem, objective: Objective, settings: SolverSettings
) -> ExchangeSolution:
    """Solve without the arcs that cannot pay for themselves, part by part.

    An arc whose objective contribution is at most zero even at its largest flow (net benefit
    of water piped a short way that never repays the pipe) is never needed by an optimum:
    closing it keeps every row satisfied (all are upper bounds) and loses nothing. Dropping
    such arcs, and splitting what remains into independent parts, leaves the optimum as it is
    and shrinks a national model several times over. With floors neither holds, so a problem
    with floors is one model of every arc.
    """
    worth = worth_opening(problem, objective)
    reduced = restrict(problem, worth) if worth.size < problem.n_arcs else problem
    if reduced.n_arcs == 0:
        nothing = np.zeros(problem.n_arcs)
        closed = np.zeros(problem.n_arcs, dtype=bool)
        message = "no arc can add to the objective"
        solution = from_flows(
            problem, objective, nothing, closed, SolveStatus.OPTIMAL, message, 0.0
        )
        return replace(solution, bound=0.0, gap=0.0)
    parts = independent_parts(reduced)
    if len(parts) > 1:
        solution = solve_by_parts(
            reduced,
            parts,
            lambda part, seconds: _solve_whole(
                part, objective, replace(settings, time_limit=seconds), {}
            ),
            objective=objective,
            time_limit=settings.time_limit,
        )
    else:
        solution = _solve_whole(reduced, objective, settings, {})
    if reduced is problem:
        return solution
    if not solution.has_flows:
        return no_solution(
            problem.n_arcs, objective, solution.status, solution.message, solution.solve_seconds
        )
    x = np.zeros(problem.n_arcs)
    x[worth[solution.arcs]] = solution.flows
    opened = np.zeros(problem.n_arcs, dtype=bool)
    opened[worth[solution.opened]] = True
    full = from_flows(
        problem, objective, x, opened, solution.status, solution.message, solution.solve_seconds
    )
    return replace(full, bound=solution.bound, gap=solution.gap)


def worth_opening(problem: ExchangeProblem, objective: Objective) -> IntArray:
    """Return the arcs whose best contribution to ``objective`` is above zero.

    The best contribution is the objective coefficient times the arc's largest flow, less its
    fixed cost for ``net_benefit``.
    """
    upper = arc_upper_bounds(problem)
    per_unit = {
        Objective.NET_BENEFIT: problem.arc_value,
        Objective.CO2E_AVOIDED: problem.arc_co2e,
        Objective.LANDFILL_DIVERTED: problem.arc_landfill,
    }[objective]
    fixed = problem.arc_fixed_cost if objective is Objective.NET_BENEFIT else 0.0
    with np.errstate(invalid="ignore"):
        best = np.where(per_unit > 0, per_unit * upper, per_unit) - fixed
    return np.flatnonzero(best > 0).astype(np.int64)


def _solve_whole(
    problem: ExchangeProblem,
    objective: Objective,
    settings: SolverSettings,
    floors: Mapping[Objective, float],
) -> ExchangeSolution:
    """Solve the problem as one HiGHS model."""
    layout = layout_of(problem)
    lp, scaling = highs_model(problem, layout, objective, floors)
    highs = run_highs(lp, settings)
    model_status = highs.getModelStatus()
    if model_status == highspy.HighsModelStatus.kUnboundedOrInfeasible:
        # Presolve can stop without telling which; the simplex without presolve tells.
        highs = run_highs(lp, settings, presolve=False)
        model_status = highs.getModelStatus()
    return _solution(problem, _Run(layout, objective, scaling), highs, model_status)


@dataclass(frozen=True)
class _Run:
    """What one solve was asked: its columns, objective and how HiGHS's model is scaled."""

    layout: Layout
    objective: Objective
    scaling: Scaling


def _without_arcs(
    problem: ExchangeProblem, objective: Objective, floors: Mapping[Objective, float]
) -> ExchangeSolution:
    """Answer a problem without arcs directly: HiGHS calls a model without columns "empty"."""
    if any(floor > 0 for floor in floors.values()):
        return no_solution(0, objective, SolveStatus.INFEASIBLE, "no candidate arcs", 0.0)
    none = np.zeros(0)
    solution = from_flows(
        problem, objective, none, none.astype(bool), SolveStatus.OPTIMAL, "no candidate arcs", 0.0
    )
    return replace(solution, bound=0.0, gap=0.0)


def _objective(value: Objective | str) -> Objective:
    try:
        return Objective(value)
    except ValueError:
        choices = ", ".join(o.value for o in Objective)
        raise SymbiosisError(f"objective {value!r} is unknown; use one of {choices}") from None


def _solution(
    problem: ExchangeProblem,
    run: _Run,
    highs: highspy.Highs,
    model_status: highspy.HighsModelStatus,
) -> ExchangeSolution:
    layout, objective = run.layout, run.objective
    status = _STATUS.get(model_status, SolveStatus.ERROR)
    message = highs.modelStatusToString(model_status)
    info = highs.getInfo()
    seconds = float(highs.getRunTime())
    feasible = info.primal_solution_status == highspy.kSolutionStatusFeasible
    if status not in (SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT) or not feasible:
        return no_solution(problem.n_arcs, objective, status, message, seconds)
    values = np.asarray(highs.getSolution().col_value, dtype=np.float64)
    # HiGHS's tolerance applies to its scaled flows, so zero what is noise at that scale.
    scaled = values[: layout.n_arcs]
    x = np.where(scaled <= FLOW_ZERO_TOLERANCE, 0.0, scaled * run.scaling.flow)
    y_on = np.zeros(layout.n_arcs, dtype=bool)
    # A link counts as opened only if it carries flow: y = 1 with x = 0 is feasible but idle
    # (possible when y has no cost in the objective) and must not be charged its fixed cost.
    y_on[layout.binary_arcs] = values[layout.n_arcs :] > 0.5
    y_on &= x > 0
    solution = from_flows(problem, objective, x, y_on, status, message, seconds)
    reported = float(info.objective_function_value) * run.scaling.objective
    value = solution.objective_value
    if not _agrees(problem, layout, objective, value, reported, run.scaling.flow):
        return no_solution(
            problem.n_arcs,
            objective,
            SolveStatus.ERROR,
            f"HiGHS reported objective {reported:.9g} but its flows are worth "
            f"{solution.objective_value:.9g}; the flows are withheld",
            seconds,
        )
    bound = _bound(run, info, status, solution.objective_value)
    return replace(solution, bound=bound, gap=relative_gap(bound, solution.objective_value))


def _agrees(
    problem: ExchangeProblem,
    layout: Layout,
    objective: Objective,
    value: float | None,
    reported: float,
    flow_scale: float = 1.0,
) -> bool:
    """Check the flows are worth at least what HiGHS says, up to zeroed noise and tolerance.

    Cleaning idle links can only raise the value; a value below HiGHS's means the columns
    returned are not the solution it describes, and such flows must not be reported.
    """
    if value is None:
        return False
    coefficients = np.abs(objective_columns(problem, layout, objective))
    noise = FLOW_ZERO_TOLERANCE * flow_scale * float(coefficients.sum())
    return value >= reported - 1e-6 * max(1.0, abs(reported)) - noise


def _bound(
    run: _Run, info: highspy.HighsInfo, status: SolveStatus, value: float | None
) -> float | None:
    if run.layout.binary_arcs.size:
        bound = float(info.mip_dual_bound) * run.scaling.objective
        return bound if math.isfinite(bound) else None
    # An LP stopped early proves no bound here; an optimal LP's bound is its value.
    return value if status is SolveStatus.OPTIMAL else None
