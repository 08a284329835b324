"""The exchange model as HiGHS reads it: columns, rows and objective, built with numpy.

The model, on the arrays of an :class:`~sinergi.symbiosis.problem.ExchangeProblem`:

* ``x_a >= 0``: flow on arc ``a`` in supply units; ``y_a ∈ {0, 1}`` (link opened) only for
  arcs with a fixed cost or a minimum volume, so a problem without them stays an LP;
* ``Σ_{a from s} x_a <= supply_amount[s]`` and ``Σ_{a into d} ratio_a x_a <= demand_amount[d]``;
* ``x_a <= arc_capacity[a]``, and for arcs with ``y``: ``x_a <= M_a y_a`` and
  ``x_a >= arc_min_amount[a] y_a``, where ``M_a`` is the smallest of the arc's capacity, its
  supply and its demand divided by the ratio, and every group limit it belongs to (all
  implied by the other rows, so ``M_a`` cuts off nothing);
* each :class:`~sinergi.symbiosis.problem.ArcGroup`: ``Σ_{a in group} w_a x_a <= limit``;
* each exclusive pair ``(a, b)`` (two companies sending each other one commodity):
  ``y_a + y_b <= 1``, both arcs getting a ``y`` (with no cost) for the purpose.

Objectives are maximised (:class:`Objective`). Every row is an upper bound and every
coefficient on ``x`` is positive, so ``x = 0, y = 0`` is always feasible. The model is passed to
HiGHS as one column-wise sparse matrix built with numpy, never row by row in Python.

**Scaling.** HiGHS sees flows in a power-of-ten unit that brings the largest finite amount
under :data:`LARGEST_AMOUNT`, and objective (and floor-row) coefficients in a power-of-ten unit
that brings the largest under :data:`LARGEST_COEFFICIENT`: a pipeline's 2.5e8 IDR fixed cost
next to a few IDR per m3, or a demand of 2e7 m3, would otherwise make the model "badly scaled"
(HiGHS's own warning) and its tolerances meaningless. :class:`Scaling` records both factors so
that flows, objective and bound are read back in the problem's own units.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

import highspy
import numpy as np
import scipy.sparse as sp

from sinergi.errors import SymbiosisError
from sinergi.symbiosis.problem import ExchangeProblem, FloatArray, IntArray

#: Objective and floor-row coefficients are scaled by a power of ten to at most this size.
LARGEST_COEFFICIENT = 1e3
#: Flows are scaled by a power of ten so that the largest finite amount is at most this.
LARGEST_AMOUNT = 1e5


class Objective(StrEnum):
    """What the optimiser maximises; each value is the name of the total it maximises."""

    NET_BENEFIT = "net_benefit"
    CO2E_AVOIDED = "co2e_avoided"
    LANDFILL_DIVERTED = "landfill_diverted"


@dataclass(frozen=True)
class Layout:
    """Which columns exist: ``x`` for every arc, then ``y`` for ``binary_arcs``."""

    n_arcs: int
    binary_arcs: IntArray
    big_m: FloatArray

    @property
    def n_cols(self) -> int:
        """Number of columns: one ``x`` per arc, one ``y`` per binary arc."""
        return self.n_arcs + int(self.binary_arcs.size)


@dataclass(frozen=True)
class Membership:
    """Every (group, arc) pair of the problem's groups with its weight, and the group limits.

    Entries are sorted by group, then arc. ``by_arc`` orders them by arc instead, so that the
    entries of a few arcs are found without scanning all of them (:meth:`entries_of`).
    """

    group: IntArray
    arc: IntArray
    weight: FloatArray
    limits: FloatArray

    @cached_property
    def by_arc(self) -> IntArray:
        """Return the entry positions sorted by arc."""
        return np.argsort(self.arc, kind="stable").astype(np.int64)

    @cached_property
    def sorted_arcs(self) -> IntArray:
        """Return the entries' arcs in :attr:`by_arc` order."""
        return self.arc[self.by_arc]

    def entries_of(self, arcs: IntArray) -> IntArray:
        """Return the positions of the entries of ``arcs`` (sorted by group, then arc)."""
        sorted_arcs = self.sorted_arcs
        lo = np.searchsorted(sorted_arcs, arcs, side="left")
        hi = np.searchsorted(sorted_arcs, arcs, side="right")
        count = hi - lo
        offsets = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        return np.sort(self.by_arc[np.repeat(lo, count) + offsets]).astype(np.int64)


def group_membership(problem: ExchangeProblem) -> Membership:
    """Return the ``(group, arc, weight)`` triples of every group and the group limits.

    A group is a set of arcs: an arc listed twice in one group counts once (its first weight).
    Built in one vectorised pass, as a national problem can hold tens of thousands of groups.
    """
    n_arcs = max(problem.n_arcs, 1)
    sizes = np.array([np.asarray(g.arcs).size for g in problem.groups], dtype=np.int64)
    limits = np.array([g.limit for g in problem.groups], dtype=np.float64)
    if not sizes.sum():
        none = np.zeros(0, dtype=np.int64)
        return Membership(none, none, np.zeros(0), limits)
    arcs = np.concatenate([np.asarray(g.arcs, dtype=np.int64) for g in problem.groups])
    weights = np.concatenate(
        [
            np.ones(np.asarray(g.arcs).size) if g.weights is None else g.weights
            for g in problem.groups
        ]
    )
    keys = np.repeat(np.arange(sizes.size, dtype=np.int64), sizes) * n_arcs + arcs
    keys, first = np.unique(keys, return_index=True)
    return Membership(keys // n_arcs, keys % n_arcs, weights[first].astype(np.float64), limits)


def arc_upper_bounds(problem: ExchangeProblem) -> FloatArray:
    """Return the largest flow each arc could carry alone under every limit it touches.

    The smallest of its capacity, its supply, its demand divided by the ratio and the limit of
    every group it belongs to. Used as the column bound and as ``M`` in ``x <= M y``.
    """
    upper = np.minimum(problem.arc_capacity, problem.supply_amount[problem.arc_supply])
    upper = np.minimum(upper, problem.demand_amount[problem.arc_demand] / problem.arc_ratio)
    member = group_membership(problem)
    np.minimum.at(upper, member.arc, member.limits[member.group] / member.weight)
    return np.asarray(upper, dtype=np.float64)


def layout_of(problem: ExchangeProblem) -> Layout:
    """Return which columns the model has and the big-M of each binary column."""
    upper = arc_upper_bounds(problem)
    in_pair = np.zeros(problem.n_arcs, dtype=bool)
    in_pair[problem.exclusive.ravel()] = True
    binary = np.flatnonzero((problem.arc_fixed_cost > 0) | (problem.arc_min_amount > 0) | in_pair)
    unbounded = binary[~np.isfinite(upper[binary])]
    if unbounded.size:
        a = int(unbounded[0])
        raise SymbiosisError(
            f"arc {a} ({arc_label(problem, a)}) has a fixed cost, a minimum volume or an "
            "exclusive partner but no finite bound: give it a finite arc_capacity, or a finite "
            "supply or demand amount"
        )
    return Layout(problem.n_arcs, binary.astype(np.int64), upper[binary])


def arc_label(problem: ExchangeProblem, arc: int) -> str:
    """Return ``supply -> demand`` for an arc (for messages)."""
    s, d = int(problem.arc_supply[arc]), int(problem.arc_demand[arc])
    return f"{problem.supply_ids[s]} -> {problem.demand_ids[d]}"


def objective_columns(problem: ExchangeProblem, layout: Layout, objective: Objective) -> FloatArray:
    """Objective coefficients over all columns (``x`` then ``y``)."""
    per_arc = {
        Objective.NET_BENEFIT: problem.arc_value,
        Objective.CO2E_AVOIDED: problem.arc_co2e,
        Objective.LANDFILL_DIVERTED: problem.arc_landfill,
    }[objective]
    costs = np.zeros(layout.n_cols)
    costs[: layout.n_arcs] = per_arc
    if objective is Objective.NET_BENEFIT:
        costs[layout.n_arcs :] = -problem.arc_fixed_cost[layout.binary_arcs]
    return costs


def _power_of_ten(values: FloatArray, largest_allowed: float) -> float:
    finite = np.abs(values[np.isfinite(values)])
    largest = float(finite.max()) if finite.size else 0.0
    if not largest > largest_allowed:
        return 1.0
    return float(10.0 ** math.ceil(math.log10(largest / largest_allowed)))


def coefficient_scale(coefficients: FloatArray) -> float:
    """Return the power of ten that brings the largest coefficient to at most 1e3 (or 1)."""
    return _power_of_ten(coefficients, LARGEST_COEFFICIENT)


def flow_scale(problem: ExchangeProblem) -> float:
    """Return the power of ten that brings every finite amount and limit to at most 1e5."""
    limits = [problem.supply_amount, problem.demand_amount, problem.arc_capacity]
    limits.append(np.array([g.limit for g in problem.groups], dtype=np.float64))
    return _power_of_ten(np.concatenate(limits), LARGEST_AMOUNT)


@dataclass(frozen=True)
class Scaling:
    """How HiGHS's model is scaled: ``x = flow * x'`` and ``objective = objective_scale * z'``."""

    flow: float = 1.0
    objective: float = 1.0

    def columns(self, layout: Layout) -> FloatArray:
        """Return each column's factor: ``flow`` for the ``x`` columns, 1 for the ``y``."""
        factor = np.ones(layout.n_cols)
        factor[: layout.n_arcs] = self.flow
        return factor


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
    layout: Layout,
    floors: Mapping[Objective, float],
    f: float,
) -> _Rows:
    """Return every row in scaled units: flows ``x' = x / f``, amounts and limits divided by f."""
    n, arcs = layout.n_arcs, np.arange(layout.n_arcs, dtype=np.int64)
    n_s, n_d = problem.supply_amount.size, problem.demand_amount.size
    out = _Rows([], [], [], [], [])
    out.add(problem.arc_supply, arcs, np.ones(n), np.full(n_s, -np.inf), problem.supply_amount / f)
    out.add(
        problem.arc_demand,
        arcs,
        problem.arc_ratio,
        np.full(n_d, -np.inf),
        problem.demand_amount / f,
    )
    if problem.groups:
        m = group_membership(problem)
        out.add(m.group, m.arc, m.weight, np.full(m.limits.size, -np.inf), m.limits / f)
    nb = int(layout.binary_arcs.size)
    if nb:
        k = np.arange(nb, dtype=np.int64)
        y_cols = n + k
        # x_a - M_a y_a <= 0
        out.add(
            np.concatenate([k, k]),
            np.concatenate([layout.binary_arcs, y_cols]),
            np.concatenate([np.ones(nb), -layout.big_m / f]),
            np.full(nb, -np.inf),
            np.zeros(nb),
        )
        minimum = problem.arc_min_amount[layout.binary_arcs]
        has_min = np.flatnonzero(minimum > 0)
        j = np.arange(has_min.size, dtype=np.int64)
        # x_a - min_a y_a >= 0
        out.add(
            np.concatenate([j, j]),
            np.concatenate([layout.binary_arcs[has_min], y_cols[has_min]]),
            np.concatenate([np.ones(has_min.size), -minimum[has_min] / f]),
            np.zeros(has_min.size),
            np.full(has_min.size, np.inf),
        )
        _exclusive_rows(problem, layout, out)
    for objective, floor in floors.items():
        coeffs = objective_columns(problem, layout, objective) * Scaling(f).columns(layout)
        scale = coefficient_scale(coeffs)
        cols = np.flatnonzero(coeffs)
        out.add(
            np.zeros(cols.size, dtype=np.int64),
            cols.astype(np.int64),
            coeffs[cols] / scale,
            np.array([floor / scale]),
            np.array([np.inf]),
        )
    return out


def _exclusive_rows(problem: ExchangeProblem, layout: Layout, out: _Rows) -> None:
    """Add ``y_a + y_b <= 1`` for every exclusive pair of arcs."""
    pairs = problem.exclusive
    if not pairs.shape[0]:
        return
    column = np.full(layout.n_arcs, -1, dtype=np.int64)
    column[layout.binary_arcs] = layout.n_arcs + np.arange(layout.binary_arcs.size)
    k = np.arange(pairs.shape[0], dtype=np.int64)
    out.add(
        np.concatenate([k, k]),
        np.concatenate([column[pairs[:, 0]], column[pairs[:, 1]]]),
        np.ones(2 * k.size),
        np.full(k.size, -np.inf),
        np.ones(k.size),
    )


def highs_model(
    problem: ExchangeProblem,
    layout: Layout,
    objective: Objective,
    floors: Mapping[Objective, float],
) -> tuple[highspy.HighsLp, Scaling]:
    """Return the model maximising ``objective`` under ``floors``, and how it is scaled.

    HiGHS sees flows divided by ``scaling.flow`` and the objective divided by
    ``scaling.objective``; multiply what it reports back by them.
    """
    f = flow_scale(problem)
    rows = _build_rows(problem, layout, floors, f)
    n_rows = rows.n
    values = np.concatenate(rows.vals)
    keep = values != 0
    matrix = sp.csc_array(
        (values[keep], (np.concatenate(rows.rows)[keep], np.concatenate(rows.cols)[keep])),
        shape=(n_rows, layout.n_cols),
    )
    matrix.sum_duplicates()
    upper = np.ones(layout.n_cols)
    upper[: layout.n_arcs] = arc_upper_bounds(problem) / f
    costs = objective_columns(problem, layout, objective) * Scaling(f).columns(layout)
    scaling = Scaling(f, coefficient_scale(costs))
    lp = highs_lp(
        matrix,
        costs / scaling.objective,
        np.zeros(layout.n_cols),
        upper,
        np.concatenate(rows.lower),
        np.concatenate(rows.upper),
        maximise=True,
        integer_from=layout.n_arcs if layout.binary_arcs.size else None,
    )
    return lp, scaling


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
