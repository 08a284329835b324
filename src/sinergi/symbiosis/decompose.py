"""Split an exchange problem into independent parts, and cut out the part over given arcs.

Two arcs interact only through a supply or a demand they share, a group (blend limit) that
holds both, or an exclusive pair. The connected components of that relation are independent
problems: the optimum of the whole is the union of the parts' optima, and its value their sum.
A national problem falls apart into hundreds of small parts (mostly one park, or a few parks
close together), each of which HiGHS solves far faster than the whole; see
:func:`sinergi.symbiosis.optimise.optimise`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from sinergi.symbiosis.formulation import Membership, Objective, group_membership
from sinergi.symbiosis.problem import ArcGroup, ExchangeProblem, IntArray
from sinergi.symbiosis.solution import (
    ExchangeSolution,
    SolveStatus,
    from_flows,
    no_solution,
    relative_gap,
)


def independent_parts(problem: ExchangeProblem) -> list[IntArray]:
    """Return the arcs of each independent part, parts in order of their first arc.

    Nodes are the supplies and demands; every arc joins its supply and demand, every group
    chains the supplies of its arcs, every exclusive pair joins the supplies of its two arcs.
    """
    n_s = len(problem.supply_ids)
    n_nodes = n_s + len(problem.demand_ids)
    if problem.n_arcs == 0:
        return []
    heads = [problem.arc_supply]
    tails = [n_s + problem.arc_demand]
    member = group_membership(problem)
    if member.arc.size > 1:
        same = member.group[1:] == member.group[:-1]
        heads.append(problem.arc_supply[member.arc[:-1][same]])
        tails.append(problem.arc_supply[member.arc[1:][same]])
    if problem.exclusive.shape[0]:
        heads.append(problem.arc_supply[problem.exclusive[:, 0]])
        tails.append(problem.arc_supply[problem.exclusive[:, 1]])
    a, b = np.concatenate(heads), np.concatenate(tails)
    graph = sp.coo_array((np.ones(a.size), (a, b)), shape=(n_nodes, n_nodes))
    _, label = connected_components(graph, directed=False)
    arc_label = label[problem.arc_supply]
    order = np.argsort(arc_label, kind="stable")
    cuts = np.flatnonzero(np.diff(arc_label[order])) + 1
    parts = [part.astype(np.int64) for part in np.split(order, cuts)]
    return sorted(parts, key=lambda part: int(part[0]))


def restrict(
    problem: ExchangeProblem, arcs: IntArray, member: Membership | None = None
) -> ExchangeProblem:
    """Return the problem restricted to ``arcs`` (renumbered in the given order).

    Supplies and demands the arcs touch are kept (renumbered), each group keeps its members
    among ``arcs`` (with their weights), and exclusive pairs with both arcs inside are kept.
    ``member`` (from :func:`group_membership` of ``problem``) saves recomputing it when many
    parts are cut from one problem.
    """
    member = member if member is not None else group_membership(problem)
    arcs = np.asarray(arcs, dtype=np.int64)
    supplies, arc_supply = np.unique(problem.arc_supply[arcs], return_inverse=True)
    demands, arc_demand = np.unique(problem.arc_demand[arcs], return_inverse=True)
    inside = member.entries_of(arcs)
    groups: list[ArcGroup] = []
    if inside.size:
        g, w = member.group[inside], member.weight[inside]
        k = _positions(arcs, member.arc[inside])
        cuts = np.flatnonzero(np.diff(g)) + 1
        for gs, ks, ws in zip(np.split(g, cuts), np.split(k, cuts), np.split(w, cuts), strict=True):
            original = problem.groups[int(gs[0])]
            weights = None if original.weights is None else ws.astype(np.float64)
            groups.append(replace(original, arcs=ks.astype(np.int64), weights=weights))
    pairs = problem.exclusive
    if pairs.size:
        pairs = pairs[np.isin(pairs, arcs).all(axis=1)]
        pairs = _positions(arcs, pairs.ravel()).reshape(-1, 2)
    return ExchangeProblem(
        supply_ids=[problem.supply_ids[i] for i in supplies.tolist()],
        demand_ids=[problem.demand_ids[i] for i in demands.tolist()],
        supply_amount=problem.supply_amount[supplies],
        demand_amount=problem.demand_amount[demands],
        arc_supply=arc_supply.astype(np.int64),
        arc_demand=arc_demand.astype(np.int64),
        arc_ratio=problem.arc_ratio[arcs],
        arc_capacity=problem.arc_capacity[arcs],
        arc_value=problem.arc_value[arcs],
        arc_co2e=problem.arc_co2e[arcs],
        arc_landfill=problem.arc_landfill[arcs],
        arc_fixed_cost=problem.arc_fixed_cost[arcs],
        arc_min_amount=problem.arc_min_amount[arcs],
        groups=tuple(groups),
        exclusive=pairs.reshape(-1, 2).astype(np.int64),
        supply_units=[problem.unit_of(int(i)) for i in supplies.tolist()]
        if problem.supply_units
        else (),
    )


def _positions(arcs: IntArray, found: IntArray) -> IntArray:
    """Return where each of ``found`` (all in ``arcs``) sits in ``arcs``."""
    order = np.argsort(arcs, kind="stable")
    return order[np.searchsorted(arcs[order], found)].astype(np.int64)


#: Solve one part within a time limit (seconds); :func:`sinergi.symbiosis.optimise.optimise`.
PartSolver = Callable[[ExchangeProblem, float], ExchangeSolution]


def solve_by_parts(
    problem: ExchangeProblem,
    parts: list[IntArray],
    solve: PartSolver,
    *,
    objective: Objective,
    time_limit: float,
) -> ExchangeSolution:
    """Solve each part within a share of ``time_limit`` and put the solutions together.

    Parts are solved smallest first; each gets an equal share of the time left among the parts
    not yet solved, so quick parts hand their unused time on and the largest parts, solved
    last, get the most. Parts stopped at their share are then solved again, smallest first,
    sharing the time still left; each keeps the better of its two results and the tighter
    bound. The result is ``optimal`` only when every part is; a part stopped at the time limit
    keeps its best flows (or none: no flow is always feasible here, as no floor couples the
    parts), and the bound is the sum of the parts' bounds when every part proved one.
    """
    start = time.monotonic()
    member = group_membership(problem)
    cut = [restrict(problem, part, member) for part in sorted(parts, key=lambda p: p.size)]
    order = sorted(parts, key=lambda p: p.size)
    results: list[ExchangeSolution | None] = [None] * len(cut)
    for again in (False, True):
        todo = [k for k, r in enumerate(results) if r is None or r.status is SolveStatus.TIME_LIMIT]
        if again and len(todo) == len(cut):
            break  # nothing was solved in the first pass: no time to share out
        for done, k in enumerate(todo):
            remaining = time_limit - (time.monotonic() - start)
            budget = remaining / (len(todo) - done) if math.isfinite(time_limit) else math.inf
            if budget <= MIN_PART_SECONDS:
                break
            result = solve(cut[k], budget)
            if result.status in (SolveStatus.UNBOUNDED, SolveStatus.ERROR, SolveStatus.INFEASIBLE):
                return no_solution(problem.n_arcs, objective, result.status, result.message, 0.0)
            results[k] = _better(results[k], result)
    return _together(problem, objective, order, results, time.monotonic() - start)


def _better(before: ExchangeSolution | None, now: ExchangeSolution) -> ExchangeSolution:
    """Return the better of two solves of one part, with the tighter of their bounds."""
    if before is None:
        return now
    best = now if _value(now) > _value(before) else before
    bounds = [b for b in (before.bound, now.bound) if b is not None]
    bound = min(bounds) if bounds else None
    status = (
        SolveStatus.OPTIMAL if SolveStatus.OPTIMAL in (before.status, now.status) else best.status
    )
    return replace(best, status=status, bound=bound, gap=relative_gap(bound, best.objective_value))


def _value(solution: ExchangeSolution) -> float:
    value = solution.objective_value
    return -math.inf if value is None else value


#: A part whose share of the time left is below this (seconds) is not started.
MIN_PART_SECONDS = 1e-3


def _together(
    problem: ExchangeProblem,
    objective: Objective,
    parts: list[IntArray],
    results: list[ExchangeSolution | None],
    seconds: float,
) -> ExchangeSolution:
    """Put the parts' solutions together (a part never started counts as stopped, no bound)."""
    x = np.zeros(problem.n_arcs)
    opened = np.zeros(problem.n_arcs, dtype=bool)
    for part, result in zip(parts, results, strict=True):
        if result is not None:
            x[part[result.arcs]] = result.flows
            opened[part[result.opened]] = True
    statuses = [SolveStatus.TIME_LIMIT if r is None else r.status for r in results]
    stopped = sum(s is SolveStatus.TIME_LIMIT for s in statuses)
    status = SolveStatus.TIME_LIMIT if stopped else SolveStatus.OPTIMAL
    message = (
        f"{stopped} of {len(statuses)} independent parts stopped at the time limit"
        if stopped
        else f"all {len(statuses)} independent parts solved to optimality"
    )
    solution = from_flows(problem, objective, x, opened, status, message, seconds)
    bounds = [None if r is None else r.bound for r in results]
    known = [b for b in bounds if b is not None]
    bound = sum(known) if len(known) == len(bounds) else None
    return replace(solution, bound=bound, gap=relative_gap(bound, solution.objective_value))
