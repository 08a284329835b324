"""Assemble the :class:`~sinergi.symbiosis.problem.ExchangeProblem` from candidate arcs.

Three kinds of limit come from the candidates rather than from single arcs:

* **Blend limits per rule.** A rule's ``max_share`` caps the share of a receiver's use of the
  replaced input that the rule's supplies may cover, whoever sends them: one
  :class:`~sinergi.symbiosis.problem.ArcGroup` per (rule, receiving demand).
* **Joint limits per receiver and replaced input.** Where several rules replace the same input
  at one receiver (nickel slag and fly ash both replacing a block maker's cement), the rules'
  limits hold together, not one by one: all substitutes together may replace at most the
  largest share any one of them may replace alone. One group per such demand, its arcs
  weighted by their ratios (the limit is in units of the replaced input).
* **No mutual exchange.** Two companies sending each other the same commodity (treated
  wastewater from A to B and from B to A) are each reusing their own stream at twice the
  transport; at most one direction of such a pair may carry flow (``exclusive`` pairs).

Everything is built with numpy sorts, never a Python loop over arcs, as a national problem
holds hundreds of thousands of arcs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from sinergi.model.commodities import Catalogue
from sinergi.symbiosis.problem import ArcGroup, ExchangeProblem
from sinergi.symbiosis.rules import Rule
from sinergi.symbiosis.sites import Site

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class GroupInfo:
    """What one group of the problem stands for, to explain it when it binds."""

    kind: Literal["rule_share", "joint_share"]
    share: float
    rules: tuple[str, ...]
    demand: int


@dataclass(frozen=True, slots=True)
class ArcTable:
    """The kept arcs of the problem: supply, demand and rule indices (into the site lists)."""

    supply: IntArray
    demand: IntArray
    rule: IntArray


def _split(keys: IntArray) -> list[IntArray]:
    """Return the positions of each distinct key, keys in ascending order."""
    if not keys.size:
        return []
    order = np.argsort(keys, kind="stable")
    cuts = np.flatnonzero(np.diff(keys[order])) + 1
    return [part.astype(np.int64) for part in np.split(order, cuts)]


def rule_groups(
    arcs: ArcTable,
    rules: Sequence[Rule],
    demand_amount: FloatArray,
    demand_ids: Sequence[str],
) -> tuple[list[ArcGroup], list[GroupInfo]]:
    """Return one blend-limit group per (rule with ``max_share``, receiving demand).

    ``arcs.demand`` indexes ``demand_amount`` (the problem's demands).
    """
    shares = np.array([np.nan if r.max_share is None else r.max_share.value for r in rules])
    limited = np.flatnonzero(np.isfinite(shares[arcs.rule]))
    keys = arcs.rule[limited] * max(len(demand_ids), 1) + arcs.demand[limited]
    groups, info = [], []
    for part in _split(keys):
        members = limited[part]
        rule = rules[int(arcs.rule[members[0]])]
        d = int(arcs.demand[members[0]])
        share = float(shares[arcs.rule[members[0]]])
        groups.append(
            ArcGroup(
                name=f"{rule.id}->{demand_ids[d]}",
                arcs=members,
                limit=share * float(demand_amount[d]) / rule.ratio.value,
                reason=f"rule {rule.id}: at most {share:.0%} of {demand_ids[d]}",
            )
        )
        info.append(GroupInfo("rule_share", share, (rule.id,), d))
    return groups, info


def joint_groups(
    arcs: ArcTable,
    rules: Sequence[Rule],
    demand_amount: FloatArray,
    demand_ids: Sequence[str],
) -> tuple[list[ArcGroup], list[GroupInfo]]:
    """Return one joint limit per demand that two or more rules with a blend limit replace.

    The joint share is the largest share of the rules involved (a rule without ``max_share``
    makes it 1, which the demand row already enforces, so no group is made).
    """
    shares = np.array([1.0 if r.max_share is None else r.max_share.value for r in rules])
    ratios = np.array([r.ratio.value for r in rules])
    groups, info = [], []
    for members in _split(arcs.demand):
        used = np.unique(arcs.rule[members])
        share = float(shares[used].max())
        if used.size < 2 or share >= 1.0:
            continue
        d = int(arcs.demand[members[0]])
        names = tuple(rules[int(r)].id for r in used)
        groups.append(
            ArcGroup(
                name=f"joint->{demand_ids[d]}",
                arcs=members,
                limit=share * float(demand_amount[d]),
                reason=f"rules {', '.join(names)} together: at most {share:.0%} of {demand_ids[d]}",
                weights=ratios[arcs.rule[members]].astype(np.float64),
            )
        )
        info.append(GroupInfo("joint_share", share, names, d))
    return groups, info


def mutual_pairs(
    arcs: ArcTable, supplies: Sequence[Site], demands: Sequence[Site], rules: Sequence[Rule]
) -> IntArray:
    """Return pairs of arcs (k, j), k < j, that send one commodity both ways between two firms.

    ``arcs.supply``/``arcs.demand`` index ``supplies``/``demands``.
    """
    companies = {c: i for i, c in enumerate(sorted({s.company for s in (*supplies, *demands)}))}
    goods = {c: i for i, c in enumerate(sorted({r.supply for r in rules}))}
    s_company = np.array([companies[s.company] for s in supplies], dtype=np.int64)
    d_company = np.array([companies[d.company] for d in demands], dtype=np.int64)
    good = np.array([goods[r.supply] for r in rules], dtype=np.int64)
    n_c, n_g = max(len(companies), 1), max(len(goods), 1)
    sender, taker = s_company[arcs.supply], d_company[arcs.demand]
    forward = (sender * n_c + taker) * n_g + good[arcs.rule]
    backward = (taker * n_c + sender) * n_g + good[arcs.rule]
    order = np.argsort(forward, kind="stable")
    sorted_keys = forward[order]
    lo = np.searchsorted(sorted_keys, backward, side="left")
    hi = np.searchsorted(sorted_keys, backward, side="right")
    count = hi - lo
    k = np.repeat(np.arange(forward.size, dtype=np.int64), count)
    offsets = np.arange(int(count.sum()), dtype=np.int64) - np.repeat(
        np.cumsum(count) - count, count
    )
    j = order[np.repeat(lo, count) + offsets]
    keep = k < j
    return np.column_stack([k[keep], j[keep]]).astype(np.int64)


def supply_units(supplies: Sequence[Site], catalogue: Catalogue) -> list[str]:
    """Return the canonical unit of each supply's commodity."""
    return [catalogue.get(s.commodity).unit for s in supplies]


def assemble(
    arcs: ArcTable,
    columns: dict[str, NDArray[np.generic]],
    supplies: Sequence[Site],
    demands: Sequence[Site],
    rules: Sequence[Rule],
    catalogue: Catalogue,
) -> tuple[ExchangeProblem, list[GroupInfo]]:
    """Return the problem over ``arcs`` (indices into the problem's own supplies and demands).

    ``columns`` holds the per-arc ``value``, ``co2e``, ``landfill``, ``fixed_cost`` and
    ``min_amount`` of the kept arcs; ``supplies``/``demands`` are the problem's sites (all with
    a known amount), in problem order.
    """
    demand_amount = np.array([d.amount for d in demands], dtype=np.float64)
    demand_ids = [d.id for d in demands]
    per_rule, per_rule_info = rule_groups(arcs, rules, demand_amount, demand_ids)
    joint, joint_info = joint_groups(arcs, rules, demand_amount, demand_ids)
    ratio = np.array([r.ratio.value for r in rules], dtype=np.float64)[arcs.rule]
    n = arcs.supply.shape[0]
    problem = ExchangeProblem(
        supply_ids=[s.id for s in supplies],
        demand_ids=demand_ids,
        supply_amount=np.array([s.amount for s in supplies], dtype=np.float64),
        demand_amount=demand_amount,
        arc_supply=arcs.supply,
        arc_demand=arcs.demand,
        arc_ratio=ratio,
        arc_capacity=np.full(n, np.inf),
        arc_value=np.asarray(columns["value"], dtype=np.float64),
        arc_co2e=np.asarray(columns["co2e"], dtype=np.float64),
        arc_landfill=np.asarray(columns["landfill"], dtype=np.float64),
        arc_fixed_cost=np.asarray(columns["fixed_cost"], dtype=np.float64),
        arc_min_amount=np.asarray(columns["min_amount"], dtype=np.float64),
        groups=(*per_rule, *joint),
        exclusive=mutual_pairs(arcs, supplies, demands, rules),
        supply_units=supply_units(supplies, catalogue),
    )
    return problem, [*per_rule_info, *joint_info]
