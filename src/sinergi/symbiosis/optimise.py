"""Optimise the exchange network with HiGHS: an LP for flows, a MILP for fixed costs and minimums.

The model, on the arrays of an :class:`~sinergi.symbiosis.problem.ExchangeProblem`:

* ``x_a >= 0``: flow on arc ``a`` in supply units; ``y_a ∈ {0, 1}`` (link opened) only for
  arcs with a fixed cost or a minimum volume, so a problem without them stays an LP;
* ``Σ_{a from s} x_a <= supply_amount[s]`` and ``Σ_{a into d} ratio_a x_a <= demand_amount[d]``;
* ``x_a <= arc_capacity[a]``, and for arcs with ``y``: ``x_a <= M_a y_a`` and
  ``x_a >= arc_min_amount[a] y_a``, where ``M_a`` is the smallest of the arc's capacity, its
  supply and its demand divided by the ratio, and every group limit it belongs to (all
  implied by the other rows, so ``M_a`` cuts off nothing);
* each :class:`~sinergi.symbiosis.problem.ArcGroup`: ``Σ_{a in group} x_a <= limit``.

Objectives are maximised: ``cost`` = ``Σ value_a x_a − Σ fixed_a y_a`` (IDR), ``co2`` =
``Σ co2e_a x_a`` (t CO2e avoided), ``landfill`` = ``Σ landfill_a x_a`` (t diverted). Every row
is an upper bound and every coefficient on ``x`` is positive, so ``x = 0, y = 0`` is always
feasible: the contract itself can never be infeasible, and an arc that loses money is never
forced. Infeasibility can only come from a floor the caller adds (``at_least``, which the
ε-constraint Pareto front uses), and unboundedness only from an arc with a positive objective
coefficient and no finite capacity, supply or demand.

The model is passed to HiGHS as one column-wise sparse matrix built with numpy, never row by row
in Python. The status is always returned (:class:`SolveStatus`), never raised: a time limit
gives ``time_limit`` with the best flows found, the bound and the gap.

Examples
--------
>>> import numpy as np
>>> from sinergi.symbiosis.problem import ExchangeProblem
>>> p = ExchangeProblem(
...     supply_ids=["smelter:slag"], demand_ids=["cement:clinker", "road:aggregate"],
...     supply_amount=np.array([100.0]), demand_amount=np.array([60.0, 80.0]),
...     arc_supply=np.array([0, 0]), arc_demand=np.array([0, 1]),
...     arc_ratio=np.array([1.0, 1.0]), arc_capacity=np.array([np.inf, np.inf]),
...     arc_value=np.array([5.0, 2.0]), arc_co2e=np.array([0.5, 0.1]),
...     arc_landfill=np.array([1.0, 1.0]), arc_fixed_cost=np.zeros(2),
...     arc_min_amount=np.zeros(2))
>>> result = optimise(p, "cost")
>>> result.status.value, result.objective_value, result.flows.tolist()
('optimal', 380.0, [60.0, 40.0])
>>> verify(p, result.dense_flows()).ok
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

import highspy
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from sinergi.errors import SymbiosisError
from sinergi.symbiosis.highs import new_highs
from sinergi.symbiosis.problem import ExchangeProblem, FloatArray, IntArray

BoolArray = NDArray[np.bool_]

#: Flows at or below this (supply units) are reported as zero: HiGHS's default primal
#: feasibility tolerance is 1e-7, so anything smaller is solver noise, not an exchange.
FLOW_ZERO_TOLERANCE = 1e-7

#: ``verify`` accepts ``lhs <= rhs + VERIFY_ABS_TOL + VERIFY_REL_TOL * |rhs|`` (and the mirror
#: for lower bounds). HiGHS's feasibility tolerance is 1e-7 on its scaled model; 1e-6 absolute
#: plus 1e-9 relative leaves room for unscaling while still catching any real over-allocation.
VERIFY_ABS_TOL = 1e-6
VERIFY_REL_TOL = 1e-9

#: Default relative MIP gap: HiGHS's own default ``mip_rel_gap`` (1e-4).
DEFAULT_MIP_REL_GAP = 1e-4


class Objective(StrEnum):
    """What the optimiser maximises."""

    COST = "cost"
    CO2 = "co2"
    LANDFILL = "landfill"


class SolveStatus(StrEnum):
    """How a solve ended; always reported with the result, never hidden."""

    OPTIMAL = "optimal"
    TIME_LIMIT = "time_limit"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    ERROR = "error"


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


@dataclass(frozen=True)
class ExchangeTotals:
    """Totals of a solution; each equals the sum of the same quantity over its arcs.

    ``amount_exchanged`` is in supply units (tonnes for materials; MWh or m3 for heat or
    water), ``net_benefit`` in IDR after the fixed costs of opened links, ``co2e_avoided`` in
    t CO2e and ``landfill_diverted`` in tonnes.
    """

    amount_exchanged: float
    net_benefit: float
    co2e_avoided: float
    landfill_diverted: float

    def value_of(self, objective: Objective) -> float:
        """Return the total that ``objective`` maximises."""
        return {
            Objective.COST: self.net_benefit,
            Objective.CO2: self.co2e_avoided,
            Objective.LANDFILL: self.landfill_diverted,
        }[objective]


@dataclass(frozen=True)
class ExchangeSolution:
    """One solve: status, objective, bound, gap, time and the nonzero flows.

    Parameters
    ----------
    objective
        What was maximised.
    status
        How the solve ended; ``message`` holds HiGHS's own status text.
    objective_value
        Value of the reported flows (``None`` when the solve found none).
    bound
        Best proven upper bound on the objective (``None`` when HiGHS proved none).
    gap
        ``|bound − objective_value| / |objective_value|`` (0 when both are 0, ``inf`` when only
        the objective is 0); ``None`` without a bound.
    solve_seconds
        HiGHS run time.
    n_arcs
        Number of arcs in the problem (to rebuild the dense flow vector).
    arcs, arc_supply, arc_demand, flows, arc_net_benefit, arc_co2e, arc_landfill
        Arcs with nonzero flow, their supply and demand indices, the flow, and each arc's own
        contribution to the totals (the net benefit includes its fixed cost).
    opened
        Arcs whose fixed-cost or minimum-volume link is opened (``y_a = 1`` with flow).
    totals
        Sums over the reported arcs.
    """

    objective: Objective
    status: SolveStatus
    message: str
    objective_value: float | None
    bound: float | None
    gap: float | None
    solve_seconds: float
    n_arcs: int
    arcs: IntArray
    arc_supply: IntArray
    arc_demand: IntArray
    flows: FloatArray
    arc_net_benefit: FloatArray
    arc_co2e: FloatArray
    arc_landfill: FloatArray
    opened: IntArray
    totals: ExchangeTotals

    @property
    def has_flows(self) -> bool:
        """True when the solve returned a feasible set of flows (possibly all zero)."""
        return self.objective_value is not None

    def dense_flows(self) -> FloatArray:
        """Return the flow on every arc (zeros where none is reported)."""
        dense = np.zeros(self.n_arcs)
        dense[self.arcs] = self.flows
        return dense

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types (non-finite numbers become ``None``)."""
        return {
            "objective": self.objective.value,
            "status": self.status.value,
            "message": self.message,
            "objective_value": _json_float(self.objective_value),
            "bound": _json_float(self.bound),
            "gap": _json_float(self.gap),
            "solve_seconds": self.solve_seconds,
            "totals": {
                "amount_exchanged": self.totals.amount_exchanged,
                "net_benefit": self.totals.net_benefit,
                "co2e_avoided": self.totals.co2e_avoided,
                "landfill_diverted": self.totals.landfill_diverted,
            },
            "exchanges": [
                {
                    "arc": int(a),
                    "supply": int(s),
                    "demand": int(d),
                    "flow": float(x),
                    "net_benefit": float(b),
                    "co2e_avoided": float(c),
                    "landfill_diverted": float(w),
                    "opened_link": bool(o),
                }
                for a, s, d, x, b, c, w, o in zip(
                    self.arcs,
                    self.arc_supply,
                    self.arc_demand,
                    self.flows,
                    self.arc_net_benefit,
                    self.arc_co2e,
                    self.arc_landfill,
                    np.isin(self.arcs, self.opened),
                    strict=True,
                )
            ],
        }


@dataclass(frozen=True)
class Violation:
    """One constraint a set of flows breaks, named by its kind and index."""

    kind: str
    index: int
    label: str
    amount: float
    limit: float

    def __str__(self) -> str:
        return (
            f"{self.kind}[{self.index}] ({self.label}): {self.amount:.9g} against {self.limit:.9g}"
        )


@dataclass(frozen=True)
class VerifyReport:
    """Result of :func:`verify`: ``ok`` when no constraint is broken beyond the tolerance."""

    violations: tuple[Violation, ...]

    @property
    def ok(self) -> bool:
        """True when every flow respects every limit."""
        return not self.violations


# --- model building ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """Which columns exist: ``x`` for every arc, then ``y`` for ``binary_arcs``."""

    n_arcs: int
    binary_arcs: IntArray
    big_m: FloatArray

    @property
    def n_cols(self) -> int:
        return self.n_arcs + int(self.binary_arcs.size)


def group_membership(problem: ExchangeProblem) -> tuple[IntArray, IntArray, FloatArray]:
    """Return ``(group index, arc index)`` pairs of every group and the group limits.

    A group is a set of arcs: an arc listed twice in one group counts once. Built in one
    vectorised pass, as a national problem can hold tens of thousands of groups.
    """
    n_arcs = max(problem.n_arcs, 1)
    sizes = np.array([np.asarray(g.arcs).size for g in problem.groups], dtype=np.int64)
    limits = np.array([g.limit for g in problem.groups], dtype=np.float64)
    if not sizes.sum():
        none = np.zeros(0, dtype=np.int64)
        return none, none, limits
    arcs = np.concatenate([np.asarray(g.arcs, dtype=np.int64) for g in problem.groups])
    pairs = np.unique(np.repeat(np.arange(sizes.size, dtype=np.int64), sizes) * n_arcs + arcs)
    return pairs // n_arcs, pairs % n_arcs, limits


def arc_upper_bounds(problem: ExchangeProblem) -> FloatArray:
    """Return the largest flow each arc could carry alone under every limit it touches.

    The smallest of its capacity, its supply, its demand divided by the ratio and the limit of
    every group it belongs to. Used as the column bound and as ``M`` in ``x <= M y``.
    """
    upper = np.minimum(problem.arc_capacity, problem.supply_amount[problem.arc_supply])
    upper = np.minimum(upper, problem.demand_amount[problem.arc_demand] / problem.arc_ratio)
    group, arc, limits = group_membership(problem)
    np.minimum.at(upper, arc, limits[group])
    return np.asarray(upper, dtype=np.float64)


def _layout(problem: ExchangeProblem) -> _Layout:
    upper = arc_upper_bounds(problem)
    binary = np.flatnonzero((problem.arc_fixed_cost > 0) | (problem.arc_min_amount > 0))
    unbounded = binary[~np.isfinite(upper[binary])]
    if unbounded.size:
        a = int(unbounded[0])
        raise SymbiosisError(
            f"arc {a} ({_arc_label(problem, a)}) has a fixed cost or minimum volume but no finite "
            "bound: give it a finite arc_capacity, or a finite supply or demand amount"
        )
    return _Layout(problem.n_arcs, binary.astype(np.int64), upper[binary])


def _arc_label(problem: ExchangeProblem, arc: int) -> str:
    s, d = int(problem.arc_supply[arc]), int(problem.arc_demand[arc])
    return f"{problem.supply_ids[s]} -> {problem.demand_ids[d]}"


def _objective_columns(
    problem: ExchangeProblem, layout: _Layout, objective: Objective
) -> FloatArray:
    """Objective coefficients over all columns (``x`` then ``y``)."""
    per_arc = {
        Objective.COST: problem.arc_value,
        Objective.CO2: problem.arc_co2e,
        Objective.LANDFILL: problem.arc_landfill,
    }[objective]
    costs = np.zeros(layout.n_cols)
    costs[: layout.n_arcs] = per_arc
    if objective is Objective.COST:
        costs[layout.n_arcs :] = -problem.arc_fixed_cost[layout.binary_arcs]
    return costs


@dataclass(frozen=True)
class _Rows:
    """Row triplets and bounds, accumulated block by block."""

    rows: list[IntArray]
    cols: list[IntArray]
    vals: list[FloatArray]
    lower: list[FloatArray]
    upper: list[FloatArray]

    @property
    def n(self) -> int:
        return sum(block.size for block in self.lower)

    def add(
        self,
        rows: IntArray,
        cols: IntArray,
        vals: FloatArray,
        lower: FloatArray,
        upper: FloatArray,
    ) -> None:
        self.rows.append(rows + self.n)
        self.cols.append(cols)
        self.vals.append(vals)
        self.lower.append(lower)
        self.upper.append(upper)


def _build_rows(
    problem: ExchangeProblem,
    layout: _Layout,
    floors: Mapping[Objective, float],
) -> _Rows:
    n, arcs = layout.n_arcs, np.arange(layout.n_arcs, dtype=np.int64)
    n_s, n_d = problem.supply_amount.size, problem.demand_amount.size
    out = _Rows([], [], [], [], [])
    out.add(problem.arc_supply, arcs, np.ones(n), np.full(n_s, -np.inf), problem.supply_amount)
    out.add(
        problem.arc_demand, arcs, problem.arc_ratio, np.full(n_d, -np.inf), problem.demand_amount
    )
    if problem.groups:
        group, arc, limits = group_membership(problem)
        out.add(group, arc, np.ones(arc.size), np.full(limits.size, -np.inf), limits)
    nb = int(layout.binary_arcs.size)
    if nb:
        k = np.arange(nb, dtype=np.int64)
        y_cols = n + k
        # x_a - M_a y_a <= 0
        out.add(
            np.concatenate([k, k]),
            np.concatenate([layout.binary_arcs, y_cols]),
            np.concatenate([np.ones(nb), -layout.big_m]),
            np.full(nb, -np.inf),
            np.zeros(nb),
        )
        minimum = problem.arc_min_amount[layout.binary_arcs]
        has_min = np.flatnonzero(minimum > 0)
        m = np.arange(has_min.size, dtype=np.int64)
        # x_a - min_a y_a >= 0
        out.add(
            np.concatenate([m, m]),
            np.concatenate([layout.binary_arcs[has_min], y_cols[has_min]]),
            np.concatenate([np.ones(has_min.size), -minimum[has_min]]),
            np.zeros(has_min.size),
            np.full(has_min.size, np.inf),
        )
    for objective, floor in floors.items():
        coeffs = _objective_columns(problem, layout, objective)
        cols = np.flatnonzero(coeffs)
        out.add(
            np.zeros(cols.size, dtype=np.int64),
            cols.astype(np.int64),
            coeffs[cols],
            np.array([floor]),
            np.array([np.inf]),
        )
    return out


def _highs_lp(
    problem: ExchangeProblem,
    layout: _Layout,
    objective: Objective,
    floors: Mapping[Objective, float],
) -> highspy.HighsLp:
    rows = _build_rows(problem, layout, floors)
    n_rows = rows.n
    values = np.concatenate(rows.vals)
    keep = values != 0
    matrix = sp.csc_array(
        (values[keep], (np.concatenate(rows.rows)[keep], np.concatenate(rows.cols)[keep])),
        shape=(n_rows, layout.n_cols),
    )
    matrix.sum_duplicates()
    upper = np.ones(layout.n_cols)
    upper[: layout.n_arcs] = arc_upper_bounds(problem)
    return highs_lp(
        matrix,
        _objective_columns(problem, layout, objective),
        np.zeros(layout.n_cols),
        upper,
        np.concatenate(rows.lower),
        np.concatenate(rows.upper),
        maximise=True,
        integer_from=layout.n_arcs if layout.binary_arcs.size else None,
    )


def highs_lp(
    matrix: sp.csc_array,
    cost: FloatArray,
    col_lower: FloatArray,
    col_upper: FloatArray,
    row_lower: FloatArray,
    row_upper: FloatArray,
    *,
    maximise: bool,
    integer_from: int | None = None,
) -> highspy.HighsLp:
    """Wrap a column-wise sparse model as one ``HighsLp`` (no per-row Python calls).

    Columns from ``integer_from`` on are integer; infinite bounds are passed as they are.
    """
    n_rows, n_cols = matrix.shape
    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = n_rows
    lp.sense_ = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
    lp.col_cost_ = cost
    lp.col_lower_ = col_lower
    lp.col_upper_ = col_upper
    lp.row_lower_ = row_lower
    lp.row_upper_ = row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = n_cols
    lp.a_matrix_.num_row_ = n_rows
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data.astype(np.float64)
    if integer_from is not None:
        kinds = [highspy.HighsVarType.kContinuous] * integer_from
        kinds += [highspy.HighsVarType.kInteger] * (n_cols - integer_from)
        lp.integrality_ = kinds
    return lp


# --- solving -----------------------------------------------------------------------------


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
    objective: Objective | str = Objective.COST,
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
        ``cost`` (net benefit, IDR), ``co2`` (t CO2e avoided) or ``landfill`` (t diverted).
    settings
        Time limit, MIP gap and threads.
    at_least
        Floors on other objectives' totals (``{"co2": 1000.0}``: at least 1000 t CO2e avoided);
        the ε-constraint of :func:`pareto_front`. A floor above what is reachable gives the
        status ``infeasible``.

    Returns
    -------
    ExchangeSolution
        Always returned, whatever the status; flows are reported only when HiGHS has a
        feasible solution (``optimal``, or ``time_limit`` with an incumbent).
    """
    settings = settings or SolverSettings()
    objective = _objective(objective)
    floors = {_objective(k): float(v) for k, v in (at_least or {}).items()}
    for key, floor in floors.items():
        if not math.isfinite(floor):
            raise SymbiosisError(f"at_least[{key.value!r}] is {floor}; give a finite number")
    layout = _layout(problem)
    if problem.n_arcs == 0:
        return _without_arcs(problem, objective, floors)
    lp = _highs_lp(problem, layout, objective, floors)
    highs = run_highs(lp, settings)
    model_status = highs.getModelStatus()
    if model_status == highspy.HighsModelStatus.kUnboundedOrInfeasible:
        # Presolve can stop without telling which; the simplex without presolve tells.
        highs = run_highs(lp, settings, presolve=False)
        model_status = highs.getModelStatus()
    return _solution(problem, layout, objective, highs, model_status)


def _without_arcs(
    problem: ExchangeProblem, objective: Objective, floors: Mapping[Objective, float]
) -> ExchangeSolution:
    """Answer a problem without arcs directly: HiGHS calls a model without columns "empty"."""
    if any(floor > 0 for floor in floors.values()):
        return _empty(0, objective, SolveStatus.INFEASIBLE, "no candidate arcs", 0.0)
    none = np.zeros(0)
    solution = _from_flows(
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
    layout: _Layout,
    objective: Objective,
    highs: highspy.Highs,
    model_status: highspy.HighsModelStatus,
) -> ExchangeSolution:
    status = _STATUS.get(model_status, SolveStatus.ERROR)
    message = highs.modelStatusToString(model_status)
    info = highs.getInfo()
    seconds = float(highs.getRunTime())
    feasible = info.primal_solution_status == highspy.kSolutionStatusFeasible
    if status not in (SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT) or not feasible:
        return _empty(problem.n_arcs, objective, status, message, seconds)
    values = np.asarray(highs.getSolution().col_value, dtype=np.float64)
    x = values[: layout.n_arcs].copy()
    x[x <= FLOW_ZERO_TOLERANCE] = 0.0
    y_on = np.zeros(layout.n_arcs, dtype=bool)
    # A link counts as opened only if it carries flow: y = 1 with x = 0 is feasible but idle
    # (possible when y has no cost in the objective) and must not be charged its fixed cost.
    y_on[layout.binary_arcs] = values[layout.n_arcs :] > 0.5
    y_on &= x > 0
    solution = _from_flows(problem, objective, x, y_on, status, message, seconds)
    reported = float(info.objective_function_value)
    if not _agrees(problem, layout, objective, solution.objective_value, reported):
        return _empty(
            problem.n_arcs,
            objective,
            SolveStatus.ERROR,
            f"HiGHS reported objective {reported:.9g} but its flows are worth "
            f"{solution.objective_value:.9g}; the flows are withheld",
            seconds,
        )
    bound = _bound(layout, info, status, solution.objective_value)
    return replace(solution, bound=bound, gap=_gap(bound, solution.objective_value))


def _agrees(
    problem: ExchangeProblem,
    layout: _Layout,
    objective: Objective,
    value: float | None,
    reported: float,
) -> bool:
    """Check the flows are worth at least what HiGHS says, up to zeroed noise and tolerance.

    Cleaning idle links can only raise the value; a value below HiGHS's means the columns
    returned are not the solution it describes, and such flows must not be reported.
    """
    if value is None:
        return False
    noise = FLOW_ZERO_TOLERANCE * float(
        np.abs(_objective_columns(problem, layout, objective)).sum()
    )
    return value >= reported - 1e-6 * max(1.0, abs(reported)) - noise


def _bound(
    layout: _Layout, info: highspy.HighsInfo, status: SolveStatus, value: float | None
) -> float | None:
    if layout.binary_arcs.size:
        bound = float(info.mip_dual_bound)
        return bound if math.isfinite(bound) else None
    # An LP stopped early proves no bound here; an optimal LP's bound is its value.
    return value if status is SolveStatus.OPTIMAL else None


def _gap(bound: float | None, value: float | None) -> float | None:
    if bound is None or value is None:
        return None
    # A MIP bound can sit a hair below the incumbent after cleaning idle links; that is no gap.
    difference = max(bound - value, 0.0)
    if value == 0:
        return 0.0 if difference == 0 else math.inf
    return difference / abs(value)


def _from_flows(
    problem: ExchangeProblem,
    objective: Objective,
    x: FloatArray,
    opened_mask: BoolArray,
    status: SolveStatus,
    message: str,
    seconds: float,
) -> ExchangeSolution:
    arcs = np.flatnonzero(x > 0).astype(np.int64)
    flows = x[arcs]
    benefit = problem.arc_value[arcs] * flows - np.where(
        opened_mask[arcs], problem.arc_fixed_cost[arcs], 0.0
    )
    co2e = problem.arc_co2e[arcs] * flows
    landfill = problem.arc_landfill[arcs] * flows
    totals = ExchangeTotals(
        amount_exchanged=float(flows.sum()),
        net_benefit=float(benefit.sum()),
        co2e_avoided=float(co2e.sum()),
        landfill_diverted=float(landfill.sum()),
    )
    return ExchangeSolution(
        objective=objective,
        status=status,
        message=message,
        objective_value=totals.value_of(objective),
        bound=None,
        gap=None,
        solve_seconds=seconds,
        n_arcs=problem.n_arcs,
        arcs=arcs,
        arc_supply=problem.arc_supply[arcs].astype(np.int64),
        arc_demand=problem.arc_demand[arcs].astype(np.int64),
        flows=flows,
        arc_net_benefit=benefit,
        arc_co2e=co2e,
        arc_landfill=landfill,
        opened=np.flatnonzero(opened_mask).astype(np.int64),
        totals=totals,
    )


def _empty(
    n_arcs: int, objective: Objective, status: SolveStatus, message: str, seconds: float
) -> ExchangeSolution:
    none_i = np.zeros(0, dtype=np.int64)
    none_f = np.zeros(0)
    return ExchangeSolution(
        objective=objective,
        status=status,
        message=message,
        objective_value=None,
        bound=None,
        gap=None,
        solve_seconds=seconds,
        n_arcs=n_arcs,
        arcs=none_i,
        arc_supply=none_i,
        arc_demand=none_i,
        flows=none_f,
        arc_net_benefit=none_f,
        arc_co2e=none_f,
        arc_landfill=none_f,
        opened=none_i,
        totals=ExchangeTotals(0.0, 0.0, 0.0, 0.0),
    )


def _json_float(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


# --- verification ------------------------------------------------------------------------


def verify(problem: ExchangeProblem, flows: FloatArray) -> VerifyReport:
    """Check that flows on every arc respect supply, demand, capacity, minimum and group limits.

    Independent of the solver: it reads only the problem's arrays, so tests and users can check
    any reported flows. A limit ``rhs`` is broken when the left-hand side exceeds
    ``rhs + VERIFY_ABS_TOL + VERIFY_REL_TOL * |rhs|``; a flow breaks its minimum volume when it
    is above ``VERIFY_ABS_TOL`` (so not "unused") yet below the minimum by more than the same
    tolerance.

    Parameters
    ----------
    problem
        The exchange problem.
    flows
        Flow on every arc (length ``problem.n_arcs``), e.g. ``solution.dense_flows()``.

    Returns
    -------
    VerifyReport
        Every violation found, each naming its constraint and index.
    """
    x = np.asarray(flows, dtype=np.float64)
    if x.shape != (problem.n_arcs,):
        raise SymbiosisError(f"flows has shape {x.shape}; expected ({problem.n_arcs},)")
    bad = np.flatnonzero(~np.isfinite(x))
    if bad.size:
        raise SymbiosisError(f"flows[{bad[0]}] is {x[bad[0]]}; flows must be finite numbers")

    def arc_label(a: int) -> str:
        return _arc_label(problem, a)

    found: list[Violation] = []
    found += _over("negative flow", -x, np.zeros_like(x), arc_label)
    n_s, n_d = len(problem.supply_ids), len(problem.demand_ids)
    supplied = np.bincount(problem.arc_supply, weights=x, minlength=n_s).astype(np.float64)
    found += _over("supply", supplied, problem.supply_amount, _at(problem.supply_ids))
    replaced = np.bincount(problem.arc_demand, weights=problem.arc_ratio * x, minlength=n_d)
    found += _over(
        "demand", replaced.astype(np.float64), problem.demand_amount, _at(problem.demand_ids)
    )
    found += _over("capacity", x, problem.arc_capacity, arc_label)
    minimum = problem.arc_min_amount
    short = (x > VERIFY_ABS_TOL) & (x < minimum - _slack(minimum))
    found += [
        Violation("minimum volume", int(a), arc_label(int(a)), float(x[a]), float(minimum[a]))
        for a in np.flatnonzero(short)
    ]
    if problem.groups:
        group, arc, limits = group_membership(problem)
        sums = np.bincount(group, weights=x[arc], minlength=limits.size).astype(np.float64)
        found += _over("group", sums, limits, _at([g.name for g in problem.groups]))
    return VerifyReport(tuple(found))


def _at(labels: Sequence[str]) -> Callable[[int], str]:
    return labels.__getitem__


def _slack(limit: FloatArray) -> FloatArray:
    return VERIFY_ABS_TOL + VERIFY_REL_TOL * np.abs(np.where(np.isfinite(limit), limit, 0.0))


def _over(
    kind: str, lhs: FloatArray, rhs: FloatArray, label: Callable[[int], str]
) -> list[Violation]:
    broken = np.flatnonzero(lhs > rhs + _slack(rhs))
    return [Violation(kind, int(i), label(int(i)), float(lhs[i]), float(rhs[i])) for i in broken]


# --- Pareto front ------------------------------------------------------------------------

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
        return {
            "co2e_floor": self.co2e_floor,
            "net_benefit": self.solution.totals.net_benefit,
            "co2e_avoided": self.solution.totals.co2e_avoided,
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
    if n_points < 1:
        raise SymbiosisError(f"n_points is {n_points}; ask for at least 1 Pareto point")
    cost_end = optimise(problem, Objective.COST, settings=settings)
    co2_end = optimise(problem, Objective.CO2, settings=settings)
    if not (cost_end.has_flows and co2_end.has_flows):
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
            optimise(problem, Objective.COST, settings=settings, at_least={Objective.CO2: eps}),
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
