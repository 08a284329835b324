"""Candidate exchanges: supplies paired with demands by rule, within and across parks.

From an :class:`~sinergi.model.Ecosystem` and a period:

* **supplies** are a company's outputs of a commodity some rule can take, now sent to a fate
  in :attr:`CandidateOptions.supply_fates` (by default landfill, open dump, a B3 waste handler, or
  discharge to air, water or land; recycler and recovery, i.e. already sold at low value, on
  request). One supply per company, commodity and fate.
* **demands** are a company's inputs of a commodity some rule can replace, from anyone but the
  company itself. One demand per company and commodity.
* A company that reports no outputs (inputs) in the period gets **inferred** supplies (demands)
  from its KBLI sector profile, with an unknown amount and ``inferred=True``.

Amounts are the sum of the reported quantities; flows with an unknown quantity (``None``) are
counted in :attr:`Site.unknown_flows` and never read as zero, and a site whose every flow is
unknown has ``amount=None``. Sites without an amount appear in candidate lists (a lead to
check) but not in the :class:`~sinergi.symbiosis.problem.ExchangeProblem`.

Pairing is by rule and by place: for each supplier park the :class:`~.spatial.ParkIndex`
returns the parks within the rule's longest distance, and only demands in those parks are
examined, so national runs are far from the naive all-pairs count (both are reported). Route
distance is the great-circle distance between parks (or :func:`~.spatial.park_internal_km`
inside one park) times the detour factor. Every candidate carries its explanation
(:meth:`CandidateSet.candidate`). Same input, same candidates, in the same order (sorted by
supply, demand and rule).

    >>> from sinergi.examples import tiny_park
    >>> from sinergi.model import Period
    >>> cs = generate_candidates(tiny_park(), Period(2024))
    >>> c = cs.candidate(0)
    >>> c.rule_id, c.supplier, c.receiver, c.supply_amount, c.max_flow
    ('ni-slag-scm-concrete', 'demo-metal', 'demo-bricks', 200.0, 9.0)
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from sinergi.errors import SymbiosisError
from sinergi.model import Ecosystem, Period
from sinergi.model.commodities import Catalogue
from sinergi.symbiosis.pairing import (
    COLUMNS,
    Arcs,
    Geography,
    SiteTables,
    best_per_supply,
    pair_rule,
    rule_terms,
)
from sinergi.symbiosis.problem import ArcGroup, ExchangeProblem
from sinergi.symbiosis.rules import (
    Fate,
    Rule,
    RuleBook,
    SectorProfiles,
    load_rules,
    load_sector_profiles,
)
from sinergi.symbiosis.sites import DEFAULT_FATES, Site, find_sites
from sinergi.symbiosis.transport import Transport, load_transport

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Knowledge:
    """The rules, transport modes and sector profiles candidate generation reads."""

    rules: RuleBook
    transport: Transport
    profiles: SectorProfiles


def load_knowledge(
    rules: Path | None = None,
    transport: Path | None = None,
    sectors: Path | None = None,
    catalogue: Catalogue | None = None,
) -> Knowledge:
    """Load (and validate) the shipped knowledge files, or the user's own in their place."""
    modes = load_transport(transport)
    book = load_rules(rules, mode_ids=modes.modes.keys(), catalogue=catalogue)
    return Knowledge(book, modes, load_sector_profiles(sectors, catalogue=catalogue))


@dataclass(frozen=True, slots=True)
class CandidateOptions:
    """Choices of candidate generation.

    ``per_supply_limit`` keeps only the best ``k`` candidates of each supply (quantified ones
    first, then by value per unit, then the receiver whose room is closest in size to the
    supply, then demand order); ``None`` keeps all. ``infer`` adds inferred
    supplies and demands from KBLI profiles for companies without flows.
    """

    supply_fates: frozenset[Fate] = DEFAULT_FATES
    per_supply_limit: int | None = None
    infer: bool = True


@dataclass(frozen=True, slots=True)
class PairingStats:
    """What pairing did: pairs examined against the naive all-pairs count, and data gaps."""

    supplies: int
    demands: int
    inferred_supplies: int
    inferred_demands: int
    naive_pairs: int
    pairs_examined: int
    candidates: int
    parks_without_coordinates: tuple[str, ...]
    sites_without_amount: int
    per_rule: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One candidate exchange with everything a facilitator needs to judge it.

    Per-unit numbers are per unit of supply (``supply_unit``). ``max_flow`` is the largest flow
    this arc could carry alone (supply, demand and quality limit); totals are at ``max_flow``
    and ``None`` when an amount is unknown.
    """

    index: int
    rule_id: str
    rule_name: str
    rule_basis: str
    rule_source: str | None
    supply_id: str
    demand_id: str
    supplier: str
    supplier_park: str
    receiver: str
    receiver_park: str
    supply_commodity: str
    replaced_commodity: str
    supply_unit: str
    fate: Fate
    hazard: str | None
    distance_km: float
    mode: str
    ratio: float
    supply_amount: float | None
    demand_amount: float | None
    max_flow: float | None
    value_per_unit: float
    co2e_per_unit: float
    landfill_per_unit: float
    fixed_cost: float
    total_value: float | None
    total_co2e: float | None
    landfill_diverted: float | None
    inferred: bool
    illustrative: bool

    def explain(self) -> str:
        """Return a one-paragraph plain-language explanation."""
        amount = "unknown amount" if self.max_flow is None else f"up to {self.max_flow:,.1f}"
        total = (
            ""
            if self.total_value is None
            else f"; at that amount IDR {self.total_value:,.0f} and {self.total_co2e:,.2f} t CO2e"
        )
        flags = [
            f
            for f, on in (("inferred", self.inferred), ("illustrative numbers", self.illustrative))
            if on
        ]
        return (
            f"{self.supplier} ({self.supplier_park}) could send {amount} {self.supply_unit} of "
            f"{self.supply_commodity} now going to {self.fate} to {self.receiver} "
            f"({self.receiver_park}) in place of {self.replaced_commodity}, by {self.mode} over "
            f"{self.distance_km:,.1f} km, under rule {self.rule_id} ({self.rule_basis}). Per "
            f"{self.supply_unit}: IDR {self.value_per_unit:,.0f} net, "
            f"{self.co2e_per_unit:,.4f} t CO2e avoided{total}."
            + (f" Flags: {', '.join(flags)}." if flags else "")
        )


@dataclass(frozen=True, slots=True)
class Exchange:
    """A candidate carrying a solved flow, with the totals of that flow."""

    candidate: Candidate
    flow: float
    value: float
    co2e: float
    landfill_diverted: float


class CandidateSet:
    """The candidates of one ecosystem and period, their explanations and their problem."""

    def __init__(
        self,
        *,
        supplies: list[Site],
        demands: list[Site],
        rules: Sequence[Rule],
        mode_ids: Sequence[str],
        arcs: Arcs,
        stats: PairingStats,
        knowledge: Knowledge,
        catalogue: Catalogue,
    ) -> None:
        self.supplies = supplies
        self.demands = demands
        self.rules = tuple(rules)
        self.mode_ids = tuple(mode_ids)
        self.stats = stats
        self._arcs = arcs
        self._knowledge = knowledge
        self._catalogue = catalogue
        self._problem: tuple[ExchangeProblem, IntArray] | None = None

    def __len__(self) -> int:
        return int(self._arcs.supply.shape[0])

    def arc_columns(self) -> dict[str, NDArray[np.generic]]:
        """Return copies of the candidate columns (indices into supplies, demands, rules)."""
        return {n: getattr(self._arcs, n).copy() for n in COLUMNS}

    def candidate(self, i: int) -> Candidate:
        """Return candidate ``i`` with its full explanation."""
        a = self._arcs
        s, d = self.supplies[int(a.supply[i])], self.demands[int(a.demand[i])]
        rule = self.rules[int(a.rule[i])]
        mode = self._knowledge.transport.modes[self.mode_ids[int(a.mode[i])]]
        commodity = self._catalogue.get(rule.supply)
        flow = _maybe(float(a.max_flow[i]))
        return Candidate(
            index=i,
            rule_id=rule.id,
            rule_name=rule.name,
            rule_basis=rule.basis,
            rule_source=rule.source,
            supply_id=s.id,
            demand_id=d.id,
            supplier=s.company,
            supplier_park=s.park,
            receiver=d.company,
            receiver_park=d.park,
            supply_commodity=rule.supply,
            replaced_commodity=rule.replaces,
            supply_unit=commodity.unit,
            fate=s.fate or Fate.LANDFILL,
            hazard=None if commodity.hazard is None else commodity.hazard.value,
            distance_km=float(a.distance_km[i]),
            mode=mode.id,
            ratio=rule.ratio.value,
            supply_amount=s.amount,
            demand_amount=d.amount,
            max_flow=flow,
            value_per_unit=float(a.value[i]),
            co2e_per_unit=float(a.co2e[i]),
            landfill_per_unit=float(a.landfill[i]),
            fixed_cost=float(a.fixed_cost[i]),
            total_value=None
            if flow is None
            else float(a.value[i]) * flow - (float(a.fixed_cost[i]) if flow > 0 else 0.0),
            total_co2e=None if flow is None else float(a.co2e[i]) * flow,
            landfill_diverted=None if flow is None else float(a.landfill[i]) * flow,
            inferred=s.inferred or d.inferred,
            illustrative=rule.uses_illustrative
            or mode.illustrative
            or self._knowledge.transport.detour.illustrative,
        )

    def __iter__(self) -> Iterator[Candidate]:
        return (self.candidate(i) for i in range(len(self)))

    # -- the array problem --------------------------------------------------------------------
    def problem(self) -> ExchangeProblem:
        """Return the :class:`ExchangeProblem` of the candidates whose amounts are known.

        Candidates with an unknown supply or demand amount (inferred, or reported without a
        quantity) are left out; arc ``k`` of the problem is candidate ``problem_arcs()[k]``.
        A rule's ``max_share`` becomes one :class:`ArcGroup` per receiving demand.
        """
        return self._build()[0]

    def problem_arcs(self) -> IntArray:
        """Return, for each arc of :meth:`problem`, the index of its candidate."""
        return self._build()[1]

    def _build(self) -> tuple[ExchangeProblem, IntArray]:
        if self._problem is None:
            self._problem = self._make_problem()
        return self._problem

    def _make_problem(self) -> tuple[ExchangeProblem, IntArray]:
        a = self._arcs
        s_known = np.array([s.amount is not None for s in self.supplies], dtype=bool)
        d_known = np.array([d.amount is not None for d in self.demands], dtype=bool)
        keep = (
            np.flatnonzero(s_known[a.supply] & d_known[a.demand])
            if len(self)
            else np.zeros(0, np.int64)
        )
        s_ids, s_new = _renumber(s_known)
        d_ids, d_new = _renumber(d_known)
        ratio = np.array([r.ratio.value for r in self.rules])[a.rule[keep]]
        demand_amount = np.array(
            [d.amount for d in self.demands if d.amount is not None], dtype=np.float64
        )
        problem = ExchangeProblem(
            supply_ids=[self.supplies[i].id for i in s_ids],
            demand_ids=[self.demands[i].id for i in d_ids],
            supply_amount=np.array([self.supplies[i].amount for i in s_ids], dtype=np.float64),
            demand_amount=demand_amount,
            arc_supply=s_new[a.supply[keep]],
            arc_demand=d_new[a.demand[keep]],
            arc_ratio=ratio.astype(np.float64),
            arc_capacity=np.full(keep.shape[0], np.inf),
            arc_value=a.value[keep],
            arc_co2e=a.co2e[keep],
            arc_landfill=a.landfill[keep],
            arc_fixed_cost=a.fixed_cost[keep],
            arc_min_amount=a.min_amount[keep],
            groups=self._groups(a.rule[keep], d_new[a.demand[keep]], d_ids, demand_amount),
        )
        return problem, keep.astype(np.int64)

    def _groups(
        self, arc_rule: IntArray, arc_demand: IntArray, d_ids: IntArray, demand_amount: FloatArray
    ) -> list[ArcGroup]:
        """Return one group per (rule with a max share, receiving demand)."""
        members: dict[tuple[int, int], list[int]] = defaultdict(list)
        for k, (r, d) in enumerate(zip(arc_rule.tolist(), arc_demand.tolist(), strict=True)):
            if self.rules[r].max_share is not None:
                members[(r, d)].append(k)
        groups = []
        for (r, d), arcs in sorted(members.items()):
            rule = self.rules[r]
            share = rule.max_share
            if share is None:
                continue
            demand = self.demands[int(d_ids[d])]
            groups.append(
                ArcGroup(
                    name=f"{rule.id}->{demand.id}",
                    arcs=np.array(arcs, dtype=np.int64),
                    limit=share.value * float(demand_amount[d]) / rule.ratio.value,
                    reason=f"rule {rule.id}: at most {share.value:.0%} of {demand.company}'s "
                    f"{rule.replaces} ({share.note or share.source})",
                )
            )
        return groups

    def exchanges(self, flows: FloatArray, tolerance: float = 1e-9) -> list[Exchange]:
        """Map a solved flow vector (one entry per :meth:`problem` arc) back to candidates.

        Returns the arcs with a flow above ``tolerance``, in problem order, each with its
        candidate explanation and the totals of that flow (fixed cost included in ``value``).
        """
        arcs = self.problem_arcs()
        if flows.shape != arcs.shape:
            raise SymbiosisError(
                f"flows has shape {flows.shape}; the problem has {arcs.shape[0]}"
                " arcs: pass the solution of this candidate set's problem()"
            )
        out = []
        for k in np.flatnonzero(flows > tolerance).tolist():
            c = self.candidate(int(arcs[k]))
            x = float(flows[k])
            out.append(
                Exchange(
                    c,
                    x,
                    c.value_per_unit * x - c.fixed_cost,
                    c.co2e_per_unit * x,
                    c.landfill_per_unit * x,
                )
            )
        return out


def _maybe(value: float) -> float | None:
    return None if math.isnan(value) else value


def _renumber(keep: BoolArray) -> tuple[IntArray, IntArray]:
    """Return the kept old indices and a map old index -> new index (-1 if dropped)."""
    kept = np.flatnonzero(keep).astype(np.int64)
    new = np.full(keep.shape[0], -1, dtype=np.int64)
    new[kept] = np.arange(kept.shape[0])
    return kept, new


# -- generation -----------------------------------------------------------------------------


def generate_candidates(
    eco: Ecosystem,
    period: Period,
    knowledge: Knowledge | None = None,
    options: CandidateOptions | None = None,
) -> CandidateSet:
    """Pair the period's supplies and demands by rule and distance into a :class:`CandidateSet`.

    Raises
    ------
    LocationError
        If a park hosting a supply or demand has coordinates outside Indonesia's bounding box
        (or only one of the two).
    """
    knowledge = knowledge or load_knowledge(catalogue=eco.catalogue)
    options = options or CandidateOptions()
    if options.per_supply_limit is not None and options.per_supply_limit < 1:
        raise SymbiosisError(
            f"per_supply_limit is {options.per_supply_limit}; use 1 or more, "
            "or None to keep every candidate"
        )
    book, transport = knowledge.rules, knowledge.transport
    supplies, demands = find_sites(
        eco, period, book, knowledge.profiles, fates=options.supply_fates, infer=options.infer
    )
    geo = Geography(eco, sorted({s.park for s in (*supplies, *demands)}), transport)
    mode_ids = sorted(transport.modes)
    tables = SiteTables.build(supplies, demands, geo, book)
    parts, per_rule, examined, naive = [], {}, 0, 0
    for r, rule in enumerate(book.rules):
        terms = rule_terms(r, rule, transport, mode_ids)
        arcs, n_examined, n_naive = pair_rule(
            terms, tables, geo, transport, options.per_supply_limit
        )
        parts.append(arcs)
        per_rule[rule.id] = int(arcs.supply.shape[0])
        examined += n_examined
        naive += n_naive
    arcs = Arcs.concat(parts)
    if options.per_supply_limit is not None:
        # Each rule kept its own best k per supply; keep the best k over all rules.
        arcs = arcs.take(best_per_supply(arcs, options.per_supply_limit, tables.s_amount))
        per_rule = {rule.id: int(np.sum(arcs.rule == r)) for r, rule in enumerate(book.rules)}
    arcs = arcs.take(np.lexsort((arcs.rule, arcs.demand, arcs.supply)).astype(np.int64))
    stats = PairingStats(
        supplies=len(supplies),
        demands=len(demands),
        inferred_supplies=sum(s.inferred for s in supplies),
        inferred_demands=sum(d.inferred for d in demands),
        naive_pairs=naive,
        pairs_examined=examined,
        candidates=int(arcs.supply.shape[0]),
        parks_without_coordinates=geo.missing,
        sites_without_amount=sum(s.amount is None for s in (*supplies, *demands)),
        per_rule=per_rule,
    )
    return CandidateSet(
        supplies=supplies,
        demands=demands,
        rules=book.rules,
        mode_ids=mode_ids,
        arcs=arcs,
        stats=stats,
        knowledge=knowledge,
        catalogue=eco.catalogue,
    )
