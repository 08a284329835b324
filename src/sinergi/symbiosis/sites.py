"""Supplies and demands of a period, read from the flow network or inferred from KBLI profiles.

A **supply** is a company's output of a commodity some rule can take, now going to one of the
chosen fates (read from the kind of the external node it is sent to). A **demand** is a
company's input of a commodity some rule can replace, from anyone but the company itself.
Flows of processes and facilities count for the company that owns them.

A company reporting no outputs (inputs) in the period gets its KBLI profile's typical outputs
(inputs) as **inferred** sites, whose amount is unknown (``None``). Amounts are sums of the
reported quantities; a flow with an unknown quantity is counted in ``unknown_flows``, never read
as zero; a site whose every flow is unknown has ``amount=None``.

    >>> from sinergi.examples import tiny_park
    >>> from sinergi.model import Period
    >>> from sinergi.symbiosis.candidates import load_knowledge
    >>> k = load_knowledge()
    >>> supplies, demands = find_sites(tiny_park(), Period(2024), k.rules, k.profiles)
    >>> [(s.id, s.amount) for s in supplies]
    [('demo-metal:nickel_slag@landfill', 200.0)]
    >>> [(d.id, d.amount, d.unknown_flows) for d in demands]  # doctest: +NORMALIZE_WHITESPACE
    [('demo-bricks:cement', 30.0, 0), ('demo-bricks:water_municipal', None, 1),
     ('demo-metal:electricity', 500.0, 0)]
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sinergi.model import Ecosystem, ExternalKind, Period
from sinergi.symbiosis.rules import Fate, RuleBook, SectorProfiles

#: How an external target's kind maps to the current fate of a supply.
FATE_OF_KIND: dict[ExternalKind, Fate] = {
    ExternalKind.LANDFILL: Fate.LANDFILL,
    ExternalKind.OPEN_DUMP: Fate.OPEN_DUMP,
    ExternalKind.WASTE_HANDLER: Fate.WASTE_HANDLER,
    ExternalKind.AIR: Fate.DISCHARGE,
    ExternalKind.WATER: Fate.DISCHARGE,
    ExternalKind.LAND: Fate.DISCHARGE,
    ExternalKind.RECYCLER: Fate.RECYCLER,
    ExternalKind.RECOVERY: Fate.RECOVERY,
}
#: Supplies that count by default: streams disposed of or discharged, not those already sold.
DEFAULT_FATES = frozenset({Fate.LANDFILL, Fate.OPEN_DUMP, Fate.WASTE_HANDLER, Fate.DISCHARGE})


@dataclass(frozen=True, slots=True)
class Site:
    """A supply or a demand of one company: its commodity, amount, current fate and park."""

    id: str
    company: str
    park: str
    commodity: str
    amount: float | None
    fate: Fate | None
    inferred: bool
    kbli: tuple[str, ...]
    unknown_flows: int = 0


class _Tally:
    """Running sum of known quantities and count of unknown ones for one site."""

    __slots__ = ("known", "total", "unknown")

    def __init__(self) -> None:
        self.total, self.known, self.unknown = 0.0, 0, 0

    def add(self, quantity: float | None) -> None:
        if quantity is None:
            self.unknown += 1
        else:
            self.total += quantity
            self.known += 1

    @property
    def amount(self) -> float | None:
        return self.total if self.known else None


def company_owners(eco: Ecosystem) -> dict[str, str]:
    """Return a map from every company, facility and process id to its company id."""
    owner = {c: c for c in eco.companies}
    owner.update({f.id: f.company_id for f in eco.facilities.values()})
    owner.update(
        {p.id: owner[p.facility_id] for p in eco.processes.values() if p.facility_id in owner}
    )
    return owner


def find_sites(
    eco: Ecosystem,
    period: Period,
    rules: RuleBook,
    profiles: SectorProfiles,
    *,
    fates: Collection[Fate] = DEFAULT_FATES,
    infer: bool = True,
) -> tuple[list[Site], list[Site]]:
    """Return the period's supplies and demands, each sorted by id.

    Parameters
    ----------
    eco, period
        The ecosystem and the period whose flows are read.
    rules
        Decide which commodities are supplies (a rule takes them) and demands (a rule
        replaces them).
    profiles
        KBLI profiles for inference.
    fates
        Current fates that make an output a supply.
    infer
        Add inferred sites from KBLI profiles for companies without outputs or inputs.
    """
    owner = company_owners(eco)
    supply_commodities, replaced = rules.supplies(), rules.replaced()
    supplies: dict[tuple[str, str, Fate], _Tally] = {}
    demands: dict[tuple[str, str], _Tally] = {}
    has_out: set[str] = set()
    has_in: set[str] = set()
    for flow in eco.flows:
        if flow.period != period:
            continue
        src, tgt = owner.get(flow.source), owner.get(flow.target)
        if src is not None:
            has_out.add(src)
            external = eco.externals.get(flow.target)
            fate = None if external is None else FATE_OF_KIND.get(external.kind)
            if fate is not None and fate in fates and flow.commodity in supply_commodities:
                supplies.setdefault((src, flow.commodity, fate), _Tally()).add(flow.quantity)
        if tgt is not None:
            has_in.add(tgt)
            if flow.commodity in replaced and src != tgt:
                demands.setdefault((tgt, flow.commodity), _Tally()).add(flow.quantity)
    out_s = [
        _site(eco, f"{c}:{m}@{f}", c, m, t.amount, f, t.unknown)
        for (c, m, f), t in supplies.items()
    ]
    out_d = [
        _site(eco, f"{c}:{m}", c, m, t.amount, None, t.unknown) for (c, m), t in demands.items()
    ]
    if infer:
        inferred_s, inferred_d = _inferred(eco, rules, profiles, fates, has_out, has_in)
        out_s += inferred_s
        out_d += inferred_d
    return sorted(out_s, key=lambda s: s.id), sorted(out_d, key=lambda d: d.id)


def _site(
    eco: Ecosystem,
    site_id: str,
    company: str,
    commodity: str,
    amount: float | None,
    fate: Fate | None,
    unknown: int,
    *,
    inferred: bool = False,
) -> Site:
    c = eco.companies[company]
    return Site(site_id, company, c.park_id, commodity, amount, fate, inferred, c.kbli, unknown)


def _inferred(
    eco: Ecosystem,
    rules: RuleBook,
    profiles: SectorProfiles,
    fates: Collection[Fate],
    has_out: set[str],
    has_in: set[str],
) -> tuple[list[Site], list[Site]]:
    """Return profile-based sites for companies that report no outputs, or no inputs."""
    supply_commodities, replaced = rules.supplies(), rules.replaced()
    supplies, demands = [], []
    for company in sorted(eco.companies.values(), key=lambda c: c.id):
        profile = profiles.match(company.kbli) if company.kbli else None
        if profile is None:
            continue
        if company.id not in has_out:
            supplies += [
                _site(
                    eco,
                    f"{company.id}:{o.commodity}@{o.fate}",
                    company.id,
                    o.commodity,
                    None,
                    o.fate,
                    0,
                    inferred=True,
                )
                for o in profile.outputs
                if o.commodity in supply_commodities and o.fate in fates
            ]
        if company.id not in has_in:
            demands += [
                _site(eco, f"{company.id}:{m}", company.id, m, None, None, 0, inferred=True)
                for m in profile.inputs
                if m in replaced
            ]
    return supplies, demands
