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

import calendar
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from sinergi.errors import SymbiosisError
from sinergi.model import Ecosystem, Period
from sinergi.model.commodities import Catalogue, default_catalogue
from sinergi.reference import Provenance
from sinergi.symbiosis.assemble import ArcTable, GroupInfo, assemble
from sinergi.symbiosis.explain import candidate_sentence, exchange_sentence
from sinergi.symbiosis.knowledge_file import rule_error
from sinergi.symbiosis.pairing import (
    COLUMNS,
    Arcs,
    Geography,
    Pairing,
    SiteTables,
    best_per_supply,
    pair_rule,
    rule_terms,
)
from sinergi.symbiosis.problem import ExchangeProblem
from sinergi.symbiosis.progress import Progress, Stage, silent
from sinergi.symbiosis.rules import (
    Fate,
    Rule,
    RuleBook,
    SectorProfiles,
    load_rules,
    load_sector_profiles,
)
from sinergi.symbiosis.sites import DEFAULT_FATES, Site, find_sites
from sinergi.symbiosis.solution import tight_limits
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
    """Load (and validate) the shipped knowledge files, or the user's own in their place.

    Raises
    ------
    SymbiosisRuleError
        Besides each file's own checks: a rule none of whose modes can carry its supply (heat
        by truck), naming the rule and its modes.
    """
    catalogue = catalogue or default_catalogue()
    modes = load_transport(transport)
    book = load_rules(rules, mode_ids=modes.modes.keys(), catalogue=catalogue)
    for rule in book.rules:
        dimension = catalogue.get(rule.supply).dimension
        if not any(dimension in modes.modes[m].carries for m in rule.modes):
            raise rule_error(
                f"{book.where}: rule {rule.id!r}, field modes",
                f"none of {list(rule.modes)} can carry {rule.supply} ({dimension})",
                "list a mode whose `carries` includes it (a pipeline for heat, steam or water)",
            )
    return Knowledge(book, modes, load_sector_profiles(sectors, catalogue=catalogue))


#: Each supply keeps its best this many candidates unless told otherwise (see
#: :class:`CandidateOptions`): on every demonstration park the optimum over these equals the
#: optimum over all candidates (docs/symbiosis.md).
DEFAULT_PER_SUPPLY = 20
#: A run with more supplies than this (with known amounts) keeps each supply's best
#: :data:`LARGE_RUN_PER_SUPPLY` instead: a national run, whose optimisation must finish in
#: minutes. On the 30,000-company synthetic country the optimum over 5 per supply was 96 % of
#: the best network found over 20 in ten minutes (docs/benchmarks.md).
LARGE_RUN_SUPPLIES = 5_000
LARGE_RUN_PER_SUPPLY = 5


@dataclass(frozen=True, slots=True)
class CandidateOptions:
    """Choices of candidate generation.

    ``per_supply_limit`` keeps only the best ``k`` candidates of each supply (quantified ones
    first, then by value per unit, then the receiver whose room is closest in size to the
    supply, then demand order); ``None`` keeps all, which a national run cannot afford (tens
    of millions of candidates); ``"auto"`` (the default) keeps :data:`DEFAULT_PER_SUPPLY`, or
    :data:`LARGE_RUN_PER_SUPPLY` in a run of more than :data:`LARGE_RUN_SUPPLIES` supplies.
    ``infer`` adds inferred supplies and demands from KBLI profiles for companies without
    flows. A candidate whose CO2e avoided per unit is negative
    (transport and pre-treatment emit more than the substitution saves: water trucked a few
    km) is set aside and counted in :attr:`PairingStats.emission_increases`, unless
    ``keep_emission_increases``; kept ones are flagged in every result.
    """

    supply_fates: frozenset[Fate] = DEFAULT_FATES
    per_supply_limit: int | Literal["auto"] | None = "auto"
    infer: bool = True
    keep_emission_increases: bool = False


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
    emission_increases: int = 0
    per_supply_limit: int | None = None


#: Row keys of a candidate or exchange that name something in both languages.
NAMED = ("commodity_name", "replaces_name", "rule_name")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One candidate exchange with everything a facilitator needs to judge it.

    Per-unit numbers are per unit of supply (``supply_unit``). ``max_flow`` is the largest flow
    this arc could carry alone (supply, demand and quality limit); totals are at ``max_flow``
    and ``None`` when an amount is unknown. ``names`` holds the English and Indonesian names
    of the supply (``commodity_name``), the replaced input (``replaces_name``) and the rule
    (``rule_name``).
    """

    index: int
    rule_id: str
    rule_basis: str
    rule_provenance: Provenance
    supply_id: str
    demand_id: str
    supplier: str
    supplier_park: str
    receiver: str
    receiver_park: str
    supply_commodity: str
    replaced_commodity: str
    supply_unit: str
    replaced_unit: str
    commodity_kind: str
    fate: Fate
    hazard: str | None
    waste_code: str | None
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
    names: dict[str, dict[str, str]] = field(default_factory=dict)

    def row(self) -> dict[str, Any]:
        """Return the candidate as plain data (the keys the explanations read)."""
        return {
            "rule_id": self.rule_id,
            "rule_basis": self.rule_basis,
            "supplier": self.supplier,
            "supplier_park": self.supplier_park,
            "receiver": self.receiver,
            "receiver_park": self.receiver_park,
            "commodity": self.supply_commodity,
            "replaces": self.replaced_commodity,
            "commodity_kind": self.commodity_kind,
            "hazard": self.hazard,
            "waste_code": self.waste_code,
            "fate_now": str(self.fate),
            "unit": self.supply_unit,
            "replaced_unit": self.replaced_unit,
            "distance_km": self.distance_km,
            "mode": self.mode,
            "supply_amount": self.supply_amount,
            "demand_amount": self.demand_amount,
            "max_flow": self.max_flow,
            "inferred": self.inferred,
            "illustrative": self.illustrative,
            **{key: dict(self.names.get(key, {})) for key in NAMED},
        }

    def explain(self, lang: str = "en") -> str:
        """Return what this candidate could do before optimisation (the most it could carry).

        A recommended exchange is explained by its solved flow instead: see
        :meth:`Exchange.explain`.
        """
        return candidate_sentence(self.row(), lang)


@dataclass(frozen=True, slots=True)
class Exchange:
    """A candidate carrying a solved flow, with the totals of that flow and what limits it.

    ``binding`` lists the limits the solved flows reach at this arc, each a mapping with
    ``limit`` (``supply``, ``demand``, ``rule_share``, ``joint_share`` or ``capacity``) and its
    details; empty when the flow is held back by economics only.
    """

    candidate: Candidate
    flow: float
    value: float
    co2e: float
    landfill_diverted: float
    binding: tuple[dict[str, Any], ...] = ()

    def row(self) -> dict[str, Any]:
        """Return the exchange as plain data: the solved flow and its shares and limits."""
        c = self.candidate
        replaced = self.flow * c.ratio
        return {
            **c.row(),
            "amount": self.flow,
            "replaced_amount": replaced,
            "share_of_supply": _share(self.flow, c.supply_amount),
            "share_of_demand": _share(replaced, c.demand_amount),
            "net_benefit_idr": self.value,
            "co2e_avoided_t": self.co2e,
            "landfill_diverted_t": self.landfill_diverted,
            "binding": [dict(b) for b in self.binding],
        }

    def explain(self, lang: str = "en") -> str:
        """Return the plain-language explanation of the solved flow."""
        return exchange_sentence(self.row(), lang)


def _share(part: float, whole: float | None) -> float | None:
    return None if whole is None or whole <= 0 else part / whole


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
        self._problem: tuple[ExchangeProblem, IntArray, list[GroupInfo]] | None = None

    def __len__(self) -> int:
        return int(self._arcs.supply.shape[0])

    def arc_columns(self) -> dict[str, NDArray[np.generic]]:
        """Return copies of the candidate columns (indices into supplies, demands, rules)."""
        return {n: getattr(self._arcs, n).copy() for n in COLUMNS}

    def leads(self) -> IntArray:
        """Return the indices of candidates whose amount is unknown (data to collect)."""
        return np.flatnonzero(np.isnan(self._arcs.max_flow)).astype(np.int64)

    def candidate(self, i: int) -> Candidate:
        """Return candidate ``i`` with its full explanation."""
        a = self._arcs
        s, d = self.supplies[int(a.supply[i])], self.demands[int(a.demand[i])]
        rule = self.rules[int(a.rule[i])]
        mode = self._knowledge.transport.modes[self.mode_ids[int(a.mode[i])]]
        commodity = self._catalogue.get(rule.supply)
        replaced = self._catalogue.get(rule.replaces)
        flow = _maybe(float(a.max_flow[i]))
        return Candidate(
            index=i,
            rule_id=rule.id,
            rule_basis=rule.basis,
            rule_provenance=rule.provenance,
            supply_id=s.id,
            demand_id=d.id,
            supplier=s.company,
            supplier_park=s.park,
            receiver=d.company,
            receiver_park=d.park,
            supply_commodity=rule.supply,
            replaced_commodity=rule.replaces,
            supply_unit=commodity.unit,
            replaced_unit=replaced.unit,
            commodity_kind=str(commodity.kind),
            fate=s.fate or Fate.LANDFILL,
            hazard=None if commodity.hazard is None else commodity.hazard.value,
            waste_code=commodity.waste_code,
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
            names={
                "commodity_name": {"en": commodity.name_en, "id": commodity.name_id},
                "replaces_name": {"en": replaced.name_en, "id": replaced.name_id},
                "rule_name": {"en": rule.name, "id": rule.name_id or rule.name},
            },
        )

    def __iter__(self) -> Iterator[Candidate]:
        return (self.candidate(i) for i in range(len(self)))

    # -- the array problem --------------------------------------------------------------------
    def problem(self) -> ExchangeProblem:
        """Return the :class:`ExchangeProblem` of the candidates whose amounts are known.

        Candidates with an unknown supply or demand amount (inferred, or reported without a
        quantity) are left out; arc ``k`` of the problem is candidate ``problem_arcs()[k]``.
        Blend limits, joint limits and mutual pairs are built by
        :func:`~sinergi.symbiosis.assemble.assemble`.
        """
        return self._build()[0]

    def problem_arcs(self) -> IntArray:
        """Return, for each arc of :meth:`problem`, the index of its candidate."""
        return self._build()[1]

    def _build(self) -> tuple[ExchangeProblem, IntArray, list[GroupInfo]]:
        if self._problem is None:
            self._problem = self._make_problem()
        return self._problem

    def _make_problem(self) -> tuple[ExchangeProblem, IntArray, list[GroupInfo]]:
        a = self._arcs
        s_known = np.array([s.amount is not None for s in self.supplies], dtype=bool)
        d_known = np.array([d.amount is not None for d in self.demands], dtype=bool)
        keep = (
            np.flatnonzero(s_known[a.supply] & d_known[a.demand])
            if len(self)
            else np.zeros(0, np.int64)
        ).astype(np.int64)
        s_ids, s_new = _renumber(s_known)
        d_ids, d_new = _renumber(d_known)
        table = ArcTable(s_new[a.supply[keep]], d_new[a.demand[keep]], a.rule[keep])
        columns = {n: getattr(a, n)[keep] for n in ("value", "co2e", "landfill")}
        columns |= {n: getattr(a, n)[keep] for n in ("fixed_cost", "min_amount")}
        problem, info = assemble(
            table,
            columns,
            [self.supplies[i] for i in s_ids],
            [self.demands[i] for i in d_ids],
            self.rules,
            self._catalogue,
        )
        return problem, keep, info

    def exchanges(self, flows: FloatArray, tolerance: float = 1e-9) -> list[Exchange]:
        """Map a solved flow vector (one entry per :meth:`problem` arc) back to candidates.

        Returns the arcs with a flow above ``tolerance``, in problem order, each with its
        candidate, the totals of that flow (fixed cost included in ``value``) and the limits
        the flows reach at it.
        """
        problem, arcs, info = self._build()
        if flows.shape != arcs.shape:
            raise SymbiosisError(
                f"flows has shape {flows.shape}; the problem has {arcs.shape[0]}"
                " arcs: pass the solution of this candidate set's problem()"
            )
        tight = tight_limits(problem, np.where(flows > tolerance, flows, 0.0))
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
                    tuple(_binding(kind, index, info) for kind, index in tight.get(k, [])),
                )
            )
        return out


def _binding(kind: str, index: int, info: Sequence[GroupInfo]) -> dict[str, Any]:
    """Return one binding limit as plain data (groups say which rule and share)."""
    if kind != "group":
        return {"limit": kind}
    group = info[index]
    return {"limit": group.kind, "share": group.share, "rule": ", ".join(group.rules)}


@dataclass(frozen=True, slots=True)
class _Run:
    """What pairing every rule of one run shares."""

    knowledge: Knowledge
    geo: Geography
    tables: SiteTables
    mode_ids: list[str]
    days: float
    limit: int | None

    def pair(self, r: int, rule: Rule, catalogue: Catalogue, *, keep: bool) -> Pairing:
        """Pair one rule's supplies and demands."""
        transport = self.knowledge.transport
        dimension = catalogue.get(rule.supply).dimension
        terms = rule_terms(r, rule, transport, self.mode_ids, dimension=dimension, days=self.days)
        return pair_rule(terms, self.tables, self.geo, transport, self.limit, keep_increases=keep)


def per_supply(options: CandidateOptions, supplies: Sequence[Site]) -> int | None:
    """Return how many candidates each supply keeps (``None``: all), ``"auto"`` resolved."""
    limit = options.per_supply_limit
    if limit == "auto":
        known = sum(s.amount is not None for s in supplies)
        return LARGE_RUN_PER_SUPPLY if known > LARGE_RUN_SUPPLIES else DEFAULT_PER_SUPPLY
    if limit is not None and limit < 1:
        raise SymbiosisError(
            f"per_supply_limit is {limit}; use 1 or more, 'auto', or None to keep every candidate"
        )
    return limit


def period_days(period: Period) -> float:
    """Return the number of days in a reporting period (a year or a calendar month)."""
    if period.month is None:
        return float(366 if calendar.isleap(period.year) else 365)
    return float(calendar.monthrange(period.year, period.month)[1])


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
    progress: Progress = silent,
) -> CandidateSet:
    """Pair the period's supplies and demands by rule and distance into a :class:`CandidateSet`.

    ``progress`` is told after each rule (stage ``candidates``).

    Raises
    ------
    LocationError
        If a park hosting a supply or demand has coordinates outside Indonesia's bounding box
        (or only one of the two).
    """
    knowledge = knowledge or load_knowledge(catalogue=eco.catalogue)
    options = options or CandidateOptions()
    book, transport = knowledge.rules, knowledge.transport
    supplies, demands = find_sites(
        eco, period, book, knowledge.profiles, fates=options.supply_fates, infer=options.infer
    )
    limit = per_supply(options, supplies)
    geo = Geography(eco, sorted({s.park for s in (*supplies, *demands)}), transport)
    mode_ids = sorted(transport.modes)
    tables = SiteTables.build(supplies, demands, geo, book)
    run = _Run(knowledge, geo, tables, mode_ids, period_days(period), limit)
    parts, per_rule, examined, naive, increases = [], {}, 0, 0, 0
    progress(Stage.CANDIDATES, 0, len(book.rules))
    for r, rule in enumerate(book.rules):
        paired = run.pair(r, rule, eco.catalogue, keep=options.keep_emission_increases)
        parts.append(paired.arcs)
        per_rule[rule.id] = int(paired.arcs.supply.shape[0])
        examined += paired.examined
        naive += paired.naive
        increases += paired.increases
        progress(Stage.CANDIDATES, r + 1, len(book.rules))
    arcs = Arcs.concat(parts)
    if limit is not None:
        # Each rule kept its own best k per supply; keep the best k over all rules.
        arcs = arcs.take(best_per_supply(arcs, limit, tables.s_amount))
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
        emission_increases=increases,
        per_supply_limit=limit,
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
