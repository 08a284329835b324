"""From the flow network to a facilitator's recommendation list: candidates, optimum, split.

:func:`recommend` runs the whole chain on an :class:`~sinergi.model.Ecosystem` for one period:
candidate generation (rules × distance), the HiGHS optimisation for one objective, optionally
the cost/CO2e Pareto front, and the benefit split among the partners of the recommended
exchanges. The result is plain data: every recommendation carries its rule, source, numbers and
plain-language explanation, and the totals are the sums over the recommendations.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
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
from sinergi.symbiosis.decompose import restrict
from sinergi.symbiosis.explain import candidate_sentence, exchange_sentence
from sinergi.symbiosis.formulation import (
    Objective,
    arc_upper_bounds,
    group_membership,
)
from sinergi.symbiosis.optimise import SolverSettings, optimise
from sinergi.symbiosis.pareto import pareto_front
from sinergi.symbiosis.problem import ExchangeProblem, FloatArray, IntArray
from sinergi.symbiosis.progress import Progress, Stage, silent
from sinergi.symbiosis.sharing import (
    MAX_EXACT_PLAYERS,
    Game,
    Partners,
    core_check,
    edge_game_core,
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
    at most :data:`RESOLVE_PARTNERS` partners are re-optimised for every coalition, within
    :data:`RESOLVE_BUDGET` coalition solves per run (clusters in order, so the same input gives
    the same split); other clusters up to :data:`MAX_EXACT_PLAYERS` partners keep each exchange
    at its net benefit; beyond that the cluster is reported without a split.
    """
    owners = _arc_owners(candidates, solution.arcs)
    clusters = _clusters([(owners[a][0], owners[a][1], a) for a in owners])
    cut = _Cutter(candidates.problem(), owners, solution, settings)
    out = []
    progress(Stage.SHARING, 0, len(clusters))
    for done, (players, arcs) in enumerate(clusters, start=1):
        entry: dict[str, Any] = {"partners": players, "exchanges": len(arcs)}
        out.append(entry)
        progress(Stage.SHARING, done, len(clusters))
        if len(players) > MAX_EXACT_PLAYERS:
            entry["basis"] = SplitBasis.TOO_MANY.value
            continue
        basis, game, benefit = cut.game(players, arcs)
        entry["basis"] = basis.value
        shapley = shapley_exact(game)
        entry["shapley"] = shapley.to_dict()
        core = core_check(game) if benefit is None else edge_game_core(game, benefit, shapley)
        entry["core"] = core.to_dict()
    return {"method": "shapley per cluster of partners", "clusters": out}


#: Coalition solves one run may spend re-optimising cluster games (each a small LP or MILP).
RESOLVE_BUDGET = 2_000


class _Cutter:
    """Builds each cluster's game, re-optimising within the run's budget of solves."""

    def __init__(
        self,
        problem: ExchangeProblem,
        owners: dict[int, tuple[str, str]],
        solution: ExchangeSolution,
        settings: SolverSettings | None,
    ) -> None:
        self.problem, self.owners, self.settings = problem, owners, settings
        self.member = group_membership(problem)
        self.benefit = dict(zip(solution.arcs.tolist(), solution.arc_net_benefit, strict=True))
        self.spent = 0

    def game(
        self, players: list[str], arcs: list[int]
    ) -> tuple[SplitBasis, Game, FloatArray | None]:
        """Return how the cluster's game was built, the game and, for an edge game, its weights.

        An edge game (each exchange worth a fixed amount to the coalitions holding both its
        partners) comes with those amounts, so its core needs no LP.
        """
        index = {p: i for i, p in enumerate(players)}
        partners = Partners(
            tuple(players),
            np.array([index[self.owners[a][0]] for a in arcs], dtype=np.int64),
            np.array([index[self.owners[a][1]] for a in arcs], dtype=np.int64),
        )
        if len(players) <= RESOLVE_PARTNERS:
            sub = restrict(self.problem, np.array(arcs, dtype=np.int64), self.member)
            alone = standalone_optima(sub)
            if alone is not None:
                return SplitBasis.RESOLVED, _fixed(partners, alone), alone
            cost = (1 << len(players)) - 1
            if self.spent + cost <= RESOLVE_BUDGET:
                self.spent += cost
                game = exchange_game(
                    sub, partners, objective=Objective.NET_BENEFIT, settings=self.settings
                )
                return SplitBasis.RESOLVED, game, None
        kept = np.array([self.benefit[a] for a in arcs], dtype=np.float64)
        return SplitBasis.FIXED_BENEFIT, _fixed(partners, kept), kept


def _fixed(partners: Partners, benefit: FloatArray) -> Game:
    return fixed_benefit_game(partners.names, partners.arc_supplier, partners.arc_receiver, benefit)


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


def standalone_optima(problem: ExchangeProblem) -> FloatArray | None:
    """Return each arc's best net benefit alone, or ``None`` when some arcs interact.

    Arcs interact when two share a supply, a demand or a group, or form an exclusive pair.
    Alone, an arc carries its largest flow if that pays (value times flow, less the fixed
    cost, above zero, and the flow reaches any minimum volume), else nothing.
    """
    shared = (
        np.unique(problem.arc_supply).size < problem.n_arcs
        or np.unique(problem.arc_demand).size < problem.n_arcs
        or any(np.unique(g.arcs).size > 1 for g in problem.groups)
        or problem.exclusive.shape[0] > 0
    )
    if shared:
        return None
    upper = arc_upper_bounds(problem)
    best = problem.arc_value * upper - problem.arc_fixed_cost
    feasible = upper >= problem.arc_min_amount
    return np.where(feasible & (best > 0), best, 0.0).astype(np.float64)


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
