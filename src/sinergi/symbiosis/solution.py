"""What a solve returns: status, flows, totals, and an independent check of any flows.

:class:`ExchangeSolution` holds the nonzero flows of one solve with each arc's contribution and
the totals (each the sum over the reported arcs); :func:`verify` re-checks any flow vector
against the problem's arrays alone, without the solver.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sinergi.errors import SymbiosisError
from sinergi.symbiosis.formulation import Objective, arc_label, group_membership
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


class SolveStatus(StrEnum):
    """How a solve ended; always reported with the result, never hidden."""

    OPTIMAL = "optimal"
    TIME_LIMIT = "time_limit"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    ERROR = "error"


@dataclass(frozen=True)
class ExchangeTotals:
    """Totals of a solution; each equals the sum of the same quantity over its arcs.

    ``amount_by_unit`` sums the flows of each unit separately (tonnes of materials, m3 of
    water, MWh of heat are never added together), ``net_benefit`` is in IDR after the fixed
    costs of opened links, ``co2e_avoided`` in t CO2e (negative: an increase) and
    ``landfill_diverted`` in tonnes.
    """

    amount_by_unit: dict[str, float]
    net_benefit: float
    co2e_avoided: float
    landfill_diverted: float

    def value_of(self, objective: Objective) -> float:
        """Return the total that ``objective`` maximises."""
        return {
            Objective.NET_BENEFIT: self.net_benefit,
            Objective.CO2E_AVOIDED: self.co2e_avoided,
            Objective.LANDFILL_DIVERTED: self.landfill_diverted,
        }[objective]

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types."""
        return {
            "amount_by_unit": dict(self.amount_by_unit),
            "net_benefit": self.net_benefit,
            "co2e_avoided": self.co2e_avoided,
            "landfill_diverted": self.landfill_diverted,
        }


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
    units
        The unit of each reported arc's flow.
    opened
        Arcs whose link variable is on (``y_a = 1`` with flow).
    totals
        Sums over the reported arcs; ``None`` when the solve found no flows, so that "nothing
        found" is never shown as zeros.
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
    units: tuple[str, ...]
    opened: IntArray
    totals: ExchangeTotals | None

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
            "objective_value": json_float(self.objective_value),
            "bound": json_float(self.bound),
            "gap": json_float(self.gap),
            "solve_seconds": self.solve_seconds,
            "totals": None if self.totals is None else self.totals.to_dict(),
            "exchanges": [
                {
                    "arc": int(a),
                    "supply": int(s),
                    "demand": int(d),
                    "flow": float(x),
                    "unit": unit,
                    "net_benefit": float(b),
                    "co2e_avoided": float(c),
                    "landfill_diverted": float(w),
                    "opened_link": bool(o),
                }
                for a, s, d, x, unit, b, c, w, o in zip(
                    self.arcs,
                    self.arc_supply,
                    self.arc_demand,
                    self.flows,
                    self.units,
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


def relative_gap(bound: float | None, value: float | None) -> float | None:
    """Return ``(bound - value) / |value|`` (0 when both are 0, ``inf`` when only value is)."""
    if bound is None or value is None:
        return None
    # A MIP bound can sit a hair below the incumbent after cleaning idle links; that is no gap.
    difference = max(bound - value, 0.0)
    if value == 0:
        return 0.0 if difference == 0 else math.inf
    return difference / abs(value)


def from_flows(
    problem: ExchangeProblem,
    objective: Objective,
    x: FloatArray,
    opened_mask: BoolArray,
    status: SolveStatus,
    message: str,
    seconds: float,
) -> ExchangeSolution:
    """Return the solution of flows ``x``, re-valued from the problem's own arrays."""
    arcs = np.flatnonzero(x > 0).astype(np.int64)
    flows = x[arcs]
    benefit = problem.arc_value[arcs] * flows - np.where(
        opened_mask[arcs], problem.arc_fixed_cost[arcs], 0.0
    )
    co2e = problem.arc_co2e[arcs] * flows
    landfill = problem.arc_landfill[arcs] * flows
    units = tuple(problem.unit_of(int(s)) for s in problem.arc_supply[arcs])
    by_unit: dict[str, float] = {}
    for unit, flow in zip(units, flows.tolist(), strict=True):
        by_unit[unit] = by_unit.get(unit, 0.0) + flow
    totals = ExchangeTotals(
        amount_by_unit=dict(sorted(by_unit.items())),
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
        units=units,
        opened=np.flatnonzero(opened_mask).astype(np.int64),
        totals=totals,
    )


def no_solution(
    n_arcs: int, objective: Objective, status: SolveStatus, message: str, seconds: float
) -> ExchangeSolution:
    """Return a solve that found no flows: every value, bound and gap is ``None``."""
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
        units=(),
        opened=none_i,
        totals=None,
    )


def json_float(value: float | None) -> float | None:
    """Return ``value`` for JSON: non-finite numbers become ``None``."""
    return value if value is not None and math.isfinite(value) else None


# --- verification ------------------------------------------------------------------------


def verify(problem: ExchangeProblem, flows: FloatArray) -> VerifyReport:
    """Check that flows on every arc respect supply, demand, capacity, minimum and group limits.

    Independent of the solver: it reads only the problem's arrays, so tests and users can check
    any reported flows. A limit ``rhs`` is broken when the left-hand side exceeds
    ``rhs + VERIFY_ABS_TOL + VERIFY_REL_TOL * |rhs|``; a flow breaks its minimum volume when it
    is above ``VERIFY_ABS_TOL`` (so not "unused") yet below the minimum by more than the same
    tolerance; an exclusive pair is broken when both its arcs carry more than ``VERIFY_ABS_TOL``.

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

    def label(a: int) -> str:
        return arc_label(problem, a)

    found: list[Violation] = []
    found += _over("negative flow", -x, np.zeros_like(x), label)
    n_s, n_d = len(problem.supply_ids), len(problem.demand_ids)
    supplied = np.bincount(problem.arc_supply, weights=x, minlength=n_s).astype(np.float64)
    found += _over("supply", supplied, problem.supply_amount, _at(problem.supply_ids))
    replaced = np.bincount(problem.arc_demand, weights=problem.arc_ratio * x, minlength=n_d)
    found += _over(
        "demand", replaced.astype(np.float64), problem.demand_amount, _at(problem.demand_ids)
    )
    found += _over("capacity", x, problem.arc_capacity, label)
    minimum = problem.arc_min_amount
    short = (x > VERIFY_ABS_TOL) & (x < minimum - _slack(minimum))
    found += [
        Violation("minimum volume", int(a), label(int(a)), float(x[a]), float(minimum[a]))
        for a in np.flatnonzero(short)
    ]
    if problem.groups:
        member = group_membership(problem)
        weighted = member.weight * x[member.arc]
        sums = np.bincount(member.group, weights=weighted, minlength=member.limits.size)
        found += _over(
            "group", sums.astype(np.float64), member.limits, _at([g.name for g in problem.groups])
        )
    found += _exclusive_broken(problem, x)
    return VerifyReport(tuple(found))


def _exclusive_broken(problem: ExchangeProblem, x: FloatArray) -> list[Violation]:
    """Return the exclusive pairs whose two arcs both carry flow."""
    pairs = problem.exclusive
    both = np.flatnonzero((x[pairs[:, 0]] > VERIFY_ABS_TOL) & (x[pairs[:, 1]] > VERIFY_ABS_TOL))
    return [
        Violation(
            "exclusive pair",
            int(k),
            f"{arc_label(problem, int(pairs[k, 0]))} and {arc_label(problem, int(pairs[k, 1]))}",
            float(min(x[pairs[k, 0]], x[pairs[k, 1]])),
            0.0,
        )
        for k in both
    ]


def _at(labels: Sequence[str]) -> Callable[[int], str]:
    return labels.__getitem__


def _slack(limit: FloatArray) -> FloatArray:
    return VERIFY_ABS_TOL + VERIFY_REL_TOL * np.abs(np.where(np.isfinite(limit), limit, 0.0))


def _over(
    kind: str, lhs: FloatArray, rhs: FloatArray, label: Callable[[int], str]
) -> list[Violation]:
    broken = np.flatnonzero(lhs > rhs + _slack(rhs))
    return [Violation(kind, int(i), label(int(i)), float(lhs[i]), float(rhs[i])) for i in broken]


# --- what binds --------------------------------------------------------------------------

#: A limit counts as binding when the flows reach it within this share of its size (or 1e-6).
BINDING_REL_TOL = 1e-6


def tight_limits(problem: ExchangeProblem, flows: FloatArray) -> dict[int, list[tuple[str, int]]]:
    """Return, for each arc with flow, the limits it touches that the flows reach.

    Each limit is ``(kind, index)`` with kind ``supply``, ``demand``, ``group`` (index into
    ``problem.groups``) or ``capacity`` (index: the arc). A limit is reached when its left-hand
    side is within :data:`BINDING_REL_TOL` of it. Used to say why a recommended flow is not
    larger; an arc with none was held back by economics (other uses pay more).
    """
    x = np.asarray(flows, dtype=np.float64)
    used = np.flatnonzero(x > 0)
    if not used.size:
        return {}

    def reached(lhs: FloatArray, rhs: FloatArray) -> BoolArray:
        finite = np.isfinite(rhs)
        size = np.where(finite, np.abs(rhs), 0.0)
        slack = BINDING_REL_TOL * np.maximum(size, 1.0)
        return np.asarray(finite & (lhs >= np.where(finite, rhs, 0.0) - slack))

    n_s, n_d = len(problem.supply_ids), len(problem.demand_ids)
    supplied = np.bincount(problem.arc_supply, weights=x, minlength=n_s).astype(np.float64)
    replaced = np.bincount(problem.arc_demand, weights=problem.arc_ratio * x, minlength=n_d)
    full_supply = reached(supplied, problem.supply_amount)
    full_demand = reached(replaced.astype(np.float64), problem.demand_amount)
    full_arc = reached(x, problem.arc_capacity)
    out: dict[int, list[tuple[str, int]]] = {int(a): [] for a in used}
    for a in used.tolist():
        s, d = int(problem.arc_supply[a]), int(problem.arc_demand[a])
        if full_supply[s]:
            out[a].append(("supply", s))
        if full_demand[d]:
            out[a].append(("demand", d))
        if full_arc[a]:
            out[a].append(("capacity", a))
    if problem.groups:
        member = group_membership(problem)
        sums = np.bincount(
            member.group, weights=member.weight * x[member.arc], minlength=member.limits.size
        )
        full_group = reached(sums.astype(np.float64), member.limits)
        for g, a in zip(member.group.tolist(), member.arc.tolist(), strict=True):
            if full_group[g] and a in out:
                out[a].append(("group", g))
    return out
