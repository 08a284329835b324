"""Symbiosis knowledge as data: substitution rules and KBLI sector profiles, validated on load.

The rules (``data/symbiosis/rules.yaml``) say which supply can replace which virgin input, at what
ratio, with what pre-treatment, quality limit, avoided price and emissions, distance and modes.
The sector profiles (``data/symbiosis/sectors.yaml``) say what a KBLI sector typically sends away
or buys, so that companies without flow data still get (inferred) candidates.

Every number is a :class:`~sinergi.reference.Sourced` value: its bibliography ``refs`` (or a
free-text ``source``) and ``year``, or flagged ``illustrative``; each rule and profile carries
the :class:`~sinergi.reference.Provenance` of what it rests on. Loading refuses a bad file with
one :class:`~sinergi.errors.SymbiosisRuleError` that names the file, the rule or profile id and
the field of every problem, and says how to fix it (see
:mod:`~sinergi.symbiosis.knowledge_file`). Users may pass their own files; they are validated
the same way.

    >>> from sinergi.symbiosis.rules import load_rules
    >>> book = load_rules(mode_ids={"truck", "ship", "pipeline"})
    >>> rule = book.get("ni-slag-aggregate")
    >>> rule.supply, rule.replaces, rule.ratio.illustrative
    ('nickel_slag', 'aggregate', True)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from sinergi.errors import SymbiosisRuleError
from sinergi.model.commodities import Catalogue, default_catalogue
from sinergi.reference import Provenance, Sourced
from sinergi.symbiosis.knowledge_file import (
    NumberContext,
    NumberIn,
    ProvenanceIn,
    StrictModel,
    entries,
    parse_entry,
    provenance,
    read_document,
    resolve_number,
    rule_error,
    shared_values,
)


class Fate(StrEnum):
    """Where a supply goes now; decides the avoided disposal cost and the landfill diverted."""

    LANDFILL = "landfill"
    OPEN_DUMP = "open_dump"
    WASTE_HANDLER = "waste_handler"
    DISCHARGE = "discharge"
    RECYCLER = "recycler"
    RECOVERY = "recovery"


#: Fates whose diversion keeps material out of landfill or open dumping.
LANDFILL_FATES = frozenset({Fate.LANDFILL, Fate.OPEN_DUMP})


@dataclass(frozen=True, slots=True)
class Rule:
    """One substitution: ``supply`` replaces ``replaces`` at the receiver (see module docs).

    Per-unit money and emissions of pre-treatment (and the disposal override) are per unit of
    supply; the avoided price and emission factor are per unit of the replaced input.
    """

    id: str
    name: str
    supply: str
    replaces: str
    receiver_kbli: tuple[str, ...]
    basis: str
    provenance: Provenance
    ratio: Sourced
    max_share: Sourced | None
    pretreatment: str
    pretreatment_cost: Sourced
    pretreatment_co2e: Sourced
    avoided_price: Sourced
    avoided_co2e: Sourced
    disposal_cost: Sourced | None
    max_distance_km: Sourced
    modes: tuple[str, ...]
    min_amount: Sourced | None = None
    name_id: str | None = None

    @property
    def illustrative(self) -> bool:
        """True when the substitution itself has no source (not only its numbers)."""
        return self.provenance.illustrative

    def numbers(self) -> tuple[Sourced, ...]:
        """Return every number the rule uses (for provenance checks and flags)."""
        optional = (self.max_share, self.disposal_cost, self.min_amount)
        return (
            self.ratio,
            self.pretreatment_cost,
            self.pretreatment_co2e,
            self.avoided_price,
            self.avoided_co2e,
            self.max_distance_km,
            *(n for n in optional if n is not None),
        )

    @property
    def uses_illustrative(self) -> bool:
        """True when the rule itself or any of its numbers is illustrative."""
        return self.illustrative or any(n.illustrative for n in self.numbers())

    def accepts(self, kbli: Collection[str]) -> bool:
        """Return whether a receiver with these KBLI codes may take the supply.

        An empty ``receiver_kbli`` accepts any receiver that buys the replaced input.
        """
        if not self.receiver_kbli:
            return True
        return any(code.startswith(prefix) for code in kbli for prefix in self.receiver_kbli)


@dataclass(frozen=True, slots=True)
class RuleBook:
    """A validated set of rules and the disposal cost of each current fate."""

    version: str
    where: str
    rules: tuple[Rule, ...]
    disposal_cost: Mapping[Fate, Sourced]

    def get(self, rule_id: str) -> Rule:
        """Return the rule with ``rule_id``."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise SymbiosisRuleError(f"{self.where}: no rule {rule_id!r}; ids are listed in the file")

    def supplies(self) -> frozenset[str]:
        """Return the commodities some rule can take as supply."""
        return frozenset(r.supply for r in self.rules)

    def replaced(self) -> frozenset[str]:
        """Return the commodities some rule can replace."""
        return frozenset(r.replaces for r in self.rules)

    def disposal_for(self, rule: Rule, fate: Fate) -> Sourced:
        """Return the avoided disposal cost per unit of supply for a rule and a current fate."""
        return rule.disposal_cost if rule.disposal_cost is not None else self.disposal_cost[fate]


@dataclass(frozen=True, slots=True)
class ProfileOutput:
    """An output a sector typically sends away, and where it goes now."""

    commodity: str
    fate: Fate


@dataclass(frozen=True, slots=True)
class SectorProfile:
    """Typical outputs and inputs of a KBLI prefix; anything inferred from it is low confidence."""

    kbli: str
    name: str
    outputs: tuple[ProfileOutput, ...]
    inputs: tuple[str, ...]
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class SectorProfiles:
    """The KBLI profiles, matched by the longest prefix of a company's codes."""

    version: str
    profiles: tuple[SectorProfile, ...]

    def match(self, kbli: Collection[str]) -> SectorProfile | None:
        """Return the most specific profile matching any of the codes, or ``None``.

        >>> from sinergi.symbiosis.rules import load_sector_profiles
        >>> load_sector_profiles().match(["24101"]).kbli
        '2410'
        """
        best: SectorProfile | None = None
        for profile in self.profiles:
            if any(code.startswith(profile.kbli) for code in kbli) and (
                best is None or len(profile.kbli) > len(best.kbli)
            ):
                best = profile
        return best


# -- raw file shapes (pydantic, extra="forbid") ------------------------------------------------


class _PretreatmentIn(StrictModel):
    description: str
    cost_idr_per_unit: NumberIn
    co2e_t_per_unit: NumberIn


class _AvoidedIn(StrictModel):
    price_idr_per_unit: NumberIn
    co2e_t_per_unit: NumberIn


class _RuleIn(StrictModel):
    id: str
    name: str
    name_id: str | None = None
    supply: str
    replaces: str
    receiver_kbli: tuple[str, ...] = ()
    basis: str
    refs: tuple[str, ...] = ()
    source: str | None = None
    year: int | str | None = None
    illustrative: bool = False
    note: str | None = None
    ratio: NumberIn
    max_share: NumberIn | None = None
    pretreatment: _PretreatmentIn
    avoided: _AvoidedIn
    disposal_cost_idr_per_unit: NumberIn | None = None
    max_distance_km: NumberIn
    modes: tuple[str, ...]
    min_amount: NumberIn | None = None


class _OutputIn(StrictModel):
    commodity: str
    fate: Fate


class _ProfileIn(StrictModel):
    kbli: str
    name: str
    refs: tuple[str, ...] = ()
    source: str | None = None
    year: int | str | None = None
    illustrative: bool = False
    note: str | None = None
    outputs: tuple[_OutputIn, ...] = ()
    inputs: tuple[str, ...] = ()


def _provenance_in(raw: _RuleIn | _ProfileIn) -> ProvenanceIn:
    return ProvenanceIn(
        source=raw.source,
        refs=raw.refs,
        year=raw.year,
        illustrative=raw.illustrative,
        note=raw.note,
    )


def _optional(
    ctx: NumberContext, raw: NumberIn | None, where: str, **bounds: Any
) -> Sourced | None:
    return None if raw is None else resolve_number(ctx, raw, where, **bounds)


def _rule(
    ctx: NumberContext, raw: _RuleIn, catalogue: Catalogue, mode_ids: Collection[str]
) -> Rule:
    """Turn one validated raw rule into a :class:`Rule`, checking references and values."""
    at = f"{ctx.where}: rule {raw.id!r}"
    for field in ("supply", "replaces"):
        commodity = getattr(raw, field)
        if commodity not in catalogue:
            raise rule_error(
                f"{at}, field {field}",
                f"commodity {commodity!r} is not in catalogue {catalogue.version}",
                "use a commodity id from commodities.yaml",
            )
    for mode in raw.modes:
        if mode not in mode_ids:
            raise rule_error(
                f"{at}, field modes", f"mode {mode!r} is unknown", f"use one of {sorted(mode_ids)}"
            )
    if not raw.modes:
        raise rule_error(f"{at}, field modes", "lists no mode", "list at least one transport mode")
    field_at = f"{at}, field "
    return Rule(
        id=raw.id,
        name=raw.name,
        supply=raw.supply,
        replaces=raw.replaces,
        receiver_kbli=raw.receiver_kbli,
        basis=raw.basis,
        provenance=provenance(_provenance_in(raw), f"{at}, field refs"),
        ratio=resolve_number(ctx, raw.ratio, field_at + "ratio", positive=True),
        max_share=_optional(ctx, raw.max_share, field_at + "max_share", positive=True, at_most=1.0),
        pretreatment=raw.pretreatment.description,
        pretreatment_cost=resolve_number(
            ctx, raw.pretreatment.cost_idr_per_unit, field_at + "pretreatment.cost_idr_per_unit"
        ),
        pretreatment_co2e=resolve_number(
            ctx, raw.pretreatment.co2e_t_per_unit, field_at + "pretreatment.co2e_t_per_unit"
        ),
        avoided_price=resolve_number(
            ctx, raw.avoided.price_idr_per_unit, field_at + "avoided.price_idr_per_unit"
        ),
        avoided_co2e=resolve_number(
            ctx, raw.avoided.co2e_t_per_unit, field_at + "avoided.co2e_t_per_unit"
        ),
        disposal_cost=_optional(
            ctx, raw.disposal_cost_idr_per_unit, field_at + "disposal_cost_idr_per_unit"
        ),
        max_distance_km=resolve_number(
            ctx, raw.max_distance_km, field_at + "max_distance_km", positive=True
        ),
        modes=raw.modes,
        min_amount=_optional(ctx, raw.min_amount, field_at + "min_amount"),
        name_id=raw.name_id,
    )


def load_rules(
    path: Path | None = None, *, mode_ids: Collection[str], catalogue: Catalogue | None = None
) -> RuleBook:
    """Load and validate substitution rules; the shipped file when ``path`` is ``None``.

    Parameters
    ----------
    path
        A rules file in the shipped format, e.g. a facilitator's own rules.
    mode_ids
        The transport modes a rule may name (see ``sinergi.symbiosis.transport``).
    catalogue
        The commodity catalogue rules must refer to; the shipped one by default.

    Raises
    ------
    SymbiosisRuleError
        Naming the file, rule id and field of the problem: an unknown commodity or mode, a
        negative or zero ratio, a negative cost or distance, a share above 1, a number without
        source or ``illustrative`` flag, a repeated id or a misspelt field.
    """
    doc, where = read_document(path, "rules.yaml")
    catalogue = catalogue or default_catalogue()
    ctx = NumberContext(where, shared_values(doc, where))
    disposal = _disposal(ctx, doc.get("disposal_cost_idr_per_unit") or {})
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries(doc, "rules", where)):
        at = f"{where}: rule {entry.get('id', f'#{i + 1}')!r}"
        rule = _rule(ctx, parse_entry(_RuleIn, entry, at), catalogue, mode_ids)
        if rule.id in seen:
            raise rule_error(at, "the id appears twice", "give each rule its own id")
        seen.add(rule.id)
        _refuse_overlap(rule, rules, at)
        rules.append(rule)
    return RuleBook(str(doc.get("version", "")), where, tuple(rules), disposal)


def _refuse_overlap(rule: Rule, earlier: list[Rule], at: str) -> None:
    """Refuse a rule that offers the same substitution to a receiver an earlier rule covers.

    Two such rules would create two arcs for one pair with different numbers; say which one
    holds by narrowing ``receiver_kbli`` or merging the rules.
    """
    for other in earlier:
        if (other.supply, other.replaces) != (rule.supply, rule.replaces):
            continue
        a, b = rule.receiver_kbli or ("",), other.receiver_kbli or ("",)
        if any(x.startswith(y) or y.startswith(x) for x in a for y in b):
            raise rule_error(
                f"{at}, field receiver_kbli",
                f"overlaps rule {other.id!r} ({rule.supply} -> {rule.replaces})",
                "merge the two rules or give them receivers that do not overlap",
            )


def _disposal(ctx: NumberContext, raw: dict[str, Any]) -> dict[Fate, Sourced]:
    """Read the disposal cost of every fate; each fate needs one, unknown fates are refused."""
    at = f"{ctx.where}: disposal_cost_idr_per_unit"
    fates = {f.value for f in Fate}
    for key in raw:
        if key not in fates:
            raise rule_error(f"{at}.{key}", f"{key!r} is not a fate", f"use one of {sorted(fates)}")
    missing = sorted(fates - set(raw))
    if missing:
        raise rule_error(
            at, f"has no entry for {missing}", "give a cost (or an illustrative one) for every fate"
        )
    return {
        Fate(k): resolve_number(ctx, parse_entry(NumberIn, v, f"{at}.{k}"), f"{at}.{k}")
        for k, v in raw.items()
    }


def load_sector_profiles(
    path: Path | None = None, *, catalogue: Catalogue | None = None
) -> SectorProfiles:
    """Load and validate KBLI sector profiles; the shipped file when ``path`` is ``None``.

    Raises
    ------
    SymbiosisRuleError
        Naming the file, the profile's KBLI prefix and the field: an unknown commodity or fate,
        a prefix that is not 2-4 digits, a profile with neither source+year nor ``illustrative``.
    """
    doc, where = read_document(path, "sectors.yaml")
    catalogue = catalogue or default_catalogue()
    profiles = []
    for i, entry in enumerate(entries(doc, "profiles", where)):
        at = f"{where}: profile {entry.get('kbli', f'#{i + 1}')!r}"
        raw: _ProfileIn = parse_entry(_ProfileIn, entry, at)
        if not (raw.kbli.isdigit() and 2 <= len(raw.kbli) <= 4):
            raise rule_error(
                f"{at}, field kbli",
                "is not a 2- to 4-digit KBLI/ISIC prefix",
                "write e.g. '2410' or '42'",
            )
        for commodity in (*raw.inputs, *(o.commodity for o in raw.outputs)):
            if commodity not in catalogue:
                raise rule_error(
                    at,
                    f"commodity {commodity!r} is not in catalogue {catalogue.version}",
                    "use a commodity id from commodities.yaml",
                )
        profiles.append(
            SectorProfile(
                raw.kbli,
                raw.name,
                tuple(ProfileOutput(o.commodity, o.fate) for o in raw.outputs),
                raw.inputs,
                provenance(_provenance_in(raw), at),
            )
        )
    return SectorProfiles(str(doc.get("version", "")), tuple(profiles))
