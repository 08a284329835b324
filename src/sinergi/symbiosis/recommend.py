"""From the flow network to a facilitator's recommendation list: candidates, optimum, split.

:func:`recommend` runs the whole chain on an :class:`~sinergi.model.Ecosystem` for one period:
candidate generation (rules × distance), the HiGHS optimisation for one objective, optionally
the cost/CO2e Pareto front, and the benefit split among the partners of the recommended
exchanges. The result is plain data: every recommendation carries its rule, source, numbers and
plain-language explanation, and the totals are the sums over the recommendations.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any

import numpy as np

from sinergi.model.exchanges import Exchange as Proposal
from sinergi.model.exchanges import exchange_id
from sinergi.model.network import Ecosystem
from sinergi.model.period import Period
from sinergi.reference import Provenance, cite
from sinergi.symbiosis.candidates import (
    CandidateOptions,
    CandidateSet,
    Knowledge,
    generate_candidates,
)
from sinergi.symbiosis.explain import candidate_sentence, exchange_sentence
from sinergi.symbiosis.formulation import Objective
from sinergi.symbiosis.optimise import SolverSettings, optimise
from sinergi.symbiosis.pareto import pareto_front
from sinergi.symbiosis.problem import ExchangeProblem, IntArray
from sinergi.symbiosis.progress import Progress, Stage, silent
from sinergi.symbiosis.sharing import (
    MAX_EXACT_PLAYERS,
    Game,
    Partners,
    core_check,
    exchange_game,
    fixed_benefit_game,
    shapley_exact,
)
from sinergi.symbiosis.solution import ExchangeSolution, json_float

#: With at most this many partners the split re-solves the optimisation for every coalition
#: (2^n solves, so interactions such as two receivers competing for one supply count); with
#: more, up to :data:`MAX_EXACT_PLAYERS`, each exchange keeps its net benefit (no re-solve).
RESOLVE_PARTNERS = 8

#: How many unquantified leads (candidates with an unknown amount) a report lists.
LEADS_SHOWN = 25


class SplitBasis(StrEnum):
    """How a cluster's benefit split was computed (reports say it in the reader's language)."""

    #: The optimisation re-solved for every coalition of partners (accepted arcs only).
    RESOLVED = "resolved"
    #: Each exchange kept at its net benefit, no re-optimisation.
    FIXED_BENEFIT = "fixed_benefit"
    #: Too many partners for an exact split; no split given.
    TOO_MANY = "too_many_partners"


@dataclass(frozen=True)
class Recommendation:
    """A recommendation run: scope, candidate statistics, solution, split and rows.

    ``rows`` hold plain data per recommended exchange; explanations are composed in the
    reader's language only when the result is turned into output (:meth:`to_dict`), and only
    for what is shown: the recommended exchanges and the first :data:`LEADS_SHOWN` leads.
    """

    scope: dict[str, Any]
    pairing: dict[str, Any]
    solution: ExchangeSolution
    rows: list[dict[str, Any]]
    leads: list[dict[str, Any]]
    sharing: dict[str, Any]
    pareto: dict[str, Any] | None
    sankey: dict[str, Any]
    map: dict[str, Any]
    proposals: list[Proposal] = field(default_factory=list)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """Return plain JSON types, explanations in ``lang`` (``en`` or ``id``)."""
        solution = self.solution
        return {
            "scope": self.scope,
            "pairing": self.pairing,
            "solver": {
                "objective": solution.objective.value,
                "status": solution.status.value,
                "message": solution.message,
                "found_solution": solution.has_flows,
                "objective_value": json_float(solution.objective_value),
                "bound": json_float(solution.bound),
                "gap": json_float(solution.gap),
                "solve_seconds": solution.solve_seconds,
            },
            "totals": None if solution.totals is None else solution.totals.to_dict(),
            "recommendations": [
                {**r, "explanation": exchange_sentence(r, lang)} for r in self.rows
            ],
            "leads": [{**r, "explanation": candidate_sentence(r, lang)} for r in self.leads],
            "sharing": self.sharing,
            "pareto": self.pareto,
            "sankey": self.sankey,
            "map": self.map,
            "illustrative": any(r["illustrative"] for r in self.rows),
            "inferred": any(r["inferred"] for r in self.rows),
            "worse": {
                "emissions": sum(1 for r in self.rows if "emissions" in r["worse"]),
                "money": sum(1 for r in self.rows if "money" in r["worse"]),
            },
        }


def recommend(
    eco: Ecosystem,
    period: Period,
    *,
    objective: Objective | str = Objective.NET_BENEFIT,
    pareto: int = 0,
    settings: SolverSettings | None = None,
    knowledge: Knowledge | None = None,
    options: CandidateOptions | None = None,
    progress: Progress = silent,
) -> Recommendation:
    """Recommend exchanges among the parks of ``eco`` for ``period``.

    Parameters
    ----------
    eco
        The network to search: one park (``eco.subset([park])``) or the whole country.
    objective
        What the optimiser maximises: ``net_benefit`` (IDR), ``co2e_avoided`` (t CO2e) or
        ``landfill_diverted`` (t).
    pareto
        Number of ε-constraint points between the net-benefit and CO2e optima (0: none).
    period
        The period whose flows are read.
    settings
        HiGHS time limit and MIP gap; the status is always reported.
    knowledge, options
        Rules, transport and sector profiles (default: the shipped files) and candidate
        choices (default: disposed-of supplies, inferred sites included, each supply's best
        :data:`~sinergi.symbiosis.candidates.DEFAULT_PER_SUPPLY` candidates).
    progress
        Told how far each stage has come (candidates, solve, sharing).
    """
    candidates = generate_candidates(eco, period, knowledge, options, progress)
    problem = candidates.problem()
    progress(Stage.SOLVE, 0, 1)
    solution = optimise(problem, objective, settings=settings)
    progress(Stage.SOLVE, 1, 1)
    rows = _rows(candidates, solution, period)
    front = None
    if pareto > 0:
        front = pareto_front(problem, pareto, settings=settings).to_dict()
    return Recommendation(
        scope={
            "parks": sorted(eco.parks),
            "period": str(period),
            "objective": str(Objective(objective)),
        },
        pairing=asdict(candidates.stats),
        solution=solution,
        rows=rows,
        leads=[candidates.candidate(int(i)).row() for i in candidates.leads()[:LEADS_SHOWN]],
        sharing=_sharing(candidates, solution, settings, progress),
        pareto=front,
        sankey=_sankey(rows),
        map=_map(eco, rows),
        proposals=[_proposal(r, period) for r in rows],
    )


def _rows(
    candidates: CandidateSet, solution: ExchangeSolution, period: Period
) -> list[dict[str, Any]]:
    """One row per arc with flow, best first by the objective's own contribution."""
    exchanges = candidates.exchanges(solution.dense_flows())
    key = {
        Objective.NET_BENEFIT: lambda x: x.value,
        Objective.CO2E_AVOIDED: lambda x: x.co2e,
        Objective.LANDFILL_DIVERTED: lambda x: x.landfill_diverted,
    }[solution.objective]
    rows = []
    for rank, x in enumerate(sorted(exchanges, key=key, reverse=True), start=1):
        c = x.candidate
        rows.append(
            {
                "rank": rank,
                "id": exchange_id(c.supplier, c.receiver, c.supply_commodity, c.rule_id, period),
                **x.row(),
                "rule_sources": _sources(c.rule_provenance),
                "per_unit": {
                    "net_benefit_idr": c.value_per_unit,
                    "co2e_avoided_t": c.co2e_per_unit,
                    "landfill_diverted_t": c.landfill_per_unit,
                    "fixed_cost_idr": c.fixed_cost,
                },
                "worse": [
                    name
                    for name, worse in (("emissions", x.co2e < 0), ("money", x.value < 0))
                    if worse
                ],
            }
        )
    return rows


def _sources(provenance: Provenance) -> list[str]:
    """Return the full citations a rule rests on (bibliography entries, or its own source)."""
    found = [cite(key).full() for key in provenance.refs]
    if provenance.source:
        found.append(provenance.source)
    return found


def _sharing(
    candidates: CandidateSet,
    solution: ExchangeSolution,
    settings: SolverSettings | None,
    progress: Progress = silent,
) -> dict[str, Any]:
    """Split the net benefit within each cluster of partners joined by recommended exchanges.

    Partners trade only inside their cluster (a connected group of suppliers and receivers),
    so each cluster is its own game: Shapley values and a core check per cluster. Clusters of
    at most :data:`RESOLVE_PARTNERS` partners re-solve the optimisation for every coalition;
    larger ones (up to :data:`MAX_EXACT_PLAYERS`) keep each exchange at its net benefit; beyond
    that the cluster is reported without a split.
    """
    owners = _arc_owners(candidates, solution.arcs)
    clusters = _clusters([(owners[a][0], owners[a][1], a) for a in owners])
    out = []
    progress(Stage.SHARING, 0, len(clusters))
    for done, (players, arcs) in enumerate(clusters, start=1):
        entry: dict[str, Any] = {"partners": players, "exchanges": len(arcs)}
        out.append(entry)
        progress(Stage.SHARING, done, len(clusters))
        if len(players) > MAX_EXACT_PLAYERS:
            entry["basis"] = SplitBasis.TOO_MANY.value
            continue
        index = {p: i for i, p in enumerate(players)}
        if len(players) <= RESOLVE_PARTNERS:
            game = _resolved_game(candidates.problem(), owners, index, arcs, settings)
            entry["basis"] = SplitBasis.RESOLVED.value
        else:
            position = {a: k for k, a in enumerate(solution.arcs.tolist())}
            game = fixed_benefit_game(
                players,
                np.array([index[owners[a][0]] for a in arcs], dtype=np.int64),
                np.array([index[owners[a][1]] for a in arcs], dtype=np.int64),
                np.array([solution.arc_net_benefit[position[a]] for a in arcs]),
            )
            entry["basis"] = SplitBasis.FIXED_BENEFIT.value
        entry["shapley"] = shapley_exact(game).to_dict()
        entry["core"] = core_check(game).to_dict()
    return {"method": "shapley per cluster of partners", "clusters": out}


def _arc_owners(candidates: CandidateSet, arcs: IntArray) -> dict[int, tuple[str, str]]:
    """Return the supplier and receiver company of each given problem arc."""
    problem_arcs = candidates.problem_arcs()
    out = {}
    for a in arcs.tolist():
        c = candidates.candidate(int(problem_arcs[a]))
        out[int(a)] = (c.supplier, c.receiver)
    return out


def _clusters(edges: list[tuple[str, str, int]]) -> list[tuple[list[str], list[int]]]:
    """Group arcs into connected clusters of partners (union-find), in a stable order."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _ in edges:
        parent[root(a)] = root(b)
    groups: dict[str, tuple[set[str], list[int]]] = {}
    for a, b, arc in edges:
        players, arcs = groups.setdefault(root(a), (set(), []))
        players |= {a, b}
        arcs.append(arc)
    return sorted(((sorted(p), arcs) for p, arcs in groups.values()), key=lambda g: g[0])


def _resolved_game(
    problem: ExchangeProblem,
    owners: dict[int, tuple[str, str]],
    index: dict[str, int],
    arcs: list[int],
    settings: SolverSettings | None,
) -> Game:
    """Return the cluster's game: v(S) = the optimum over the cluster's arcs inside S.

    Arcs outside the cluster carry no flow in any coalition, so each coalition is solved on
    the cluster's own sub-problem (its arcs, the supplies and demands they touch, and the
    part of each quality group that falls on them): the same optimum, at the size of the
    cluster rather than of the whole country.
    """
    chosen = np.array(arcs, dtype=np.int64)
    partners = Partners(
        tuple(sorted(index, key=index.__getitem__)),
        np.array([index[owners[a][0]] for a in arcs], dtype=np.int64),
        np.array([index[owners[a][1]] for a in arcs], dtype=np.int64),
    )
    return exchange_game(
        _subproblem(problem, chosen), partners, objective=Objective.NET_BENEFIT, settings=settings
    )


def _subproblem(problem: ExchangeProblem, arcs: IntArray) -> ExchangeProblem:
    """Return the problem restricted to ``arcs`` (renumbered in the given order)."""
    supplies, arc_supply = np.unique(problem.arc_supply[arcs], return_inverse=True)
    demands, arc_demand = np.unique(problem.arc_demand[arcs], return_inverse=True)
    position = np.full(problem.n_arcs, -1, dtype=np.int64)
    position[arcs] = np.arange(len(arcs))
    groups = []
    for g in problem.groups:
        inside = position[g.arcs]
        kept = inside >= 0
        if kept.any():
            weights = None if g.weights is None else np.asarray(g.weights)[kept]
            groups.append(replace(g, arcs=inside[kept], weights=weights))
    pairs = position[problem.exclusive]
    pairs = pairs[(pairs >= 0).all(axis=1)] if pairs.size else pairs
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
        supply_units=[problem.unit_of(int(i)) for i in supplies.tolist()],
    )


def _sankey(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Nodes (partners) and links (supplier → receiver, amount per commodity) for a Sankey."""
    nodes = sorted({r[k] for r in rows for k in ("supplier", "receiver")})
    index = {n: i for i, n in enumerate(nodes)}
    links = [
        {
            "source": index[r["supplier"]],
            "target": index[r["receiver"]],
            "value": r["amount"],
            "unit": r["unit"],
            "commodity": r["commodity"],
            "exchange": r["id"],
        }
        for r in rows
    ]
    return {"nodes": [{"id": n} for n in nodes], "links": links}


def _map(eco: Ecosystem, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Park locations and the park-to-park links of the recommendation (for a map layer)."""
    used = sorted({r[k] for r in rows for k in ("supplier_park", "receiver_park")})
    points = [
        {
            "park": p,
            "name": eco.parks[p].name,
            "latitude": eco.parks[p].latitude,
            "longitude": eco.parks[p].longitude,
            "approximate": eco.parks[p].coordinates_approximate,
        }
        for p in used
        if p in eco.parks
    ]
    pairs: dict[tuple[str, str, str, str], float] = {}
    for r in rows:
        key = (r["supplier_park"], r["receiver_park"], r["commodity"], r["unit"])
        pairs[key] = pairs.get(key, 0.0) + r["amount"]
    links = [
        {"from": a, "to": b, "commodity": c, "unit": u, "amount": v}
        for (a, b, c, u), v in pairs.items()
    ]
    return {"points": points, "links": links}


def _proposal(row: dict[str, Any], period: Period) -> Proposal:
    """Return the workflow proposal of one recommendation (status ``proposed``)."""
    return Proposal(
        supplier=row["supplier"],
        receiver=row["receiver"],
        commodity=row["commodity"],
        replaces=row["replaces"],
        rule_id=row["rule_id"],
        period=period,
        amount=row["amount"],
        net_benefit_idr=row["net_benefit_idr"],
        co2e_t=row["co2e_avoided_t"],
        landfill_t=row["landfill_diverted_t"],
        explanation={
            "text": exchange_sentence(row, "en"),
            "rule_sources": row["rule_sources"],
            "binding": row["binding"],
            "distance_km": row["distance_km"],
            "mode": row["mode"],
            "per_unit": row["per_unit"],
            "inferred": row["inferred"],
            "illustrative": row["illustrative"],
        },
    )
