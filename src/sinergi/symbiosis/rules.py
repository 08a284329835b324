"""Symbiosis knowledge as data: substitution rules and KBLI sector profiles, validated on load.

The rules (``data/symbiosis/rules.yaml``) say which supply can replace which virgin input, at what
ratio, with what pre-treatment, quality limit, avoided price and emissions, distance and modes.
The sector profiles (``data/symbiosis/sectors.yaml``) say what a KBLI sector typically sends away
or buys, so that companies without flow data still get (inferred) candidates.

Every number is a :class:`Number`: a value with its source and year, or flagged illustrative.
Loading refuses a bad file with one :class:`~sinergi.errors.SymbiosisRuleError` that names the
file, the rule or profile id and the field of every problem, and says how to fix it. Users may
pass their own files; they are validated the same way.

    >>> from sinergi.symbiosis.rules import load_rules
    >>> book = load_rules(mode_ids={"truck", "ship", "pipeline"})
    >>> rule = book.get("ni-slag-aggregate")
    >>> rule.supply, rule.replaces, rule.ratio.illustrative
    ('nickel_slag', 'aggregate', True)
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from sinergi.errors import SymbiosisRuleError
from sinergi.model.commodities import Catalogue, default_catalogue


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
class Number:
    """A reference value with its provenance: ``source`` and ``year``, or ``illustrative``."""

    value: float
    source: str | None = None
    year: str | None = None
    illustrative: bool = False
    note: str | None = None


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
    source: str | None
    illustrative: bool
    ratio: Number
    max_share: Number | None
    pretreatment: str
    pretreatment_cost: Number
    pretreatment_co2e: Number
    avoided_price: Number
    avoided_co2e: Number
    disposal_cost: Number | None
    max_distance_km: Number
    modes: tuple[str, ...]
    min_amount: Number | None = None

    def numbers(self) -> tuple[Number, ...]:
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
    disposal_cost: Mapping[Fate, Number]

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

    def disposal_for(self, rule: Rule, fate: Fate) -> Number:
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
    source: str | None
    illustrative: bool


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


class StrictModel(BaseModel):
    """Base of the raw file shapes: unknown (misspelt) fields are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class NumberIn(StrictModel):
    """A number as written in a file: ``value`` or ``ref``, with its provenance."""

    value: float | None = None
    ref: str | None = None
    source: str | None = None
    year: int | str | None = None
    illustrative: bool = False
    unit: str | None = None
    note: str | None = None


class _SourceIn(StrictModel):
    citation: str
    url: str


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
    supply: str
    replaces: str
    receiver_kbli: tuple[str, ...] = ()
    basis: str
    source: str | None = None
    illustrative: bool = False
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
    source: str | None = None
    year: int | str | None = None
    illustrative: bool = False
    note: str | None = None
    outputs: tuple[_OutputIn, ...] = ()
    inputs: tuple[str, ...] = ()


# -- resolving numbers with located errors ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class NumberContext:
    """What a number may refer to, and where it sits (for error messages)."""

    where: str
    sources: Mapping[str, _SourceIn]
    values: Mapping[str, NumberIn]


def rule_error(where: str, problem: str, fix: str) -> SymbiosisRuleError:
    """Return the located error ``<where>: <problem>; <fix>``."""
    return SymbiosisRuleError(f"{where}: {problem}; {fix}")


def _citation(ctx: NumberContext, key: str | None, where: str) -> str | None:
    if key is None:
        return None
    if key not in ctx.sources:
        raise rule_error(
            where,
            f"source {key!r} is not defined",
            "add it under `sources` (citation and url) or fix the key",
        )
    found = ctx.sources[key]
    return f"{found.citation} {found.url}"


#: A ``ref`` starting with this names one of the project's emission factors
#: (``factors:grid.jamali``, ``factors:captive_coal``), so the assessment, the footprint
#: engine and the symbiosis rules read the same sourced number from one file.
FACTOR_REF = "factors:"


def _project_factor(name: str, where: str) -> Number:
    """Return an electricity emission factor from ``data/factors/emission_factors.yaml``."""
    from sinergi.reference.factors import default_factors

    factors = default_factors()
    known = {**factors.grid, "captive_coal": factors.captive_coal}
    if name not in known:
        raise rule_error(
            where,
            f"refers to unknown emission factor {name!r}",
            f"use one of {sorted(known)} after `{FACTOR_REF}`",
        )
    found = known[name]
    note = f"project emission factor {name} ({found.unit}, status {found.status})"
    return Number(found.value, found.source, found.year, False, note)


def resolve_number(
    ctx: NumberContext,
    raw: NumberIn,
    where: str,
    *,
    positive: bool = False,
    at_most: float | None = None,
    signed: bool = False,
) -> Number:
    """Resolve a raw number (or its ``ref``) and check its sign, bound and provenance.

    ``signed`` allows negative values (coordinates); otherwise a value must be zero or more
    (above zero with ``positive``).
    """
    if raw.ref is not None:
        if raw.value is not None or raw.source is not None:
            raise rule_error(
                where, "gives both `ref` and a value or source", "give one or the other"
            )
        if raw.ref.startswith(FACTOR_REF):
            return _project_factor(raw.ref.removeprefix(FACTOR_REF), where)
        if raw.ref not in ctx.values:
            raise rule_error(
                where,
                f"refers to unknown value {raw.ref!r}",
                "define it under `values` or fix the name",
            )
        raw = ctx.values[raw.ref]
    if raw.value is None:
        raise rule_error(where, "has no `value`", "give `value` (or `ref` to a shared value)")
    value = raw.value
    if not math.isfinite(value):
        raise rule_error(where, f"is {value}", "give a finite number")
    if not signed and (value < 0 or (positive and value == 0)):
        bound = "above zero" if positive else "zero or more"
        raise rule_error(
            where, f"is {value:g}, a negative or impossible value", f"use a value {bound}"
        )
    if at_most is not None and value > at_most:
        raise rule_error(where, f"is {value:g}", f"use a value of at most {at_most:g}")
    if not raw.illustrative and (raw.source is None or raw.year is None):
        raise rule_error(
            where,
            "has no source and year",
            "give `source` and `year`, or flag it `illustrative: true` with a `note`",
        )
    return Number(
        value,
        _citation(ctx, raw.source, where),
        None if raw.year is None else str(raw.year),
        raw.illustrative,
        raw.note,
    )


def _optional(ctx: NumberContext, raw: NumberIn | None, where: str, **bounds: Any) -> Number | None:
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
    if not raw.illustrative and raw.source is None:
        raise rule_error(
            f"{at}, field source",
            "the rule has no source",
            "give `source` or flag the rule `illustrative: true`",
        )
    field_at = f"{at}, field "
    return Rule(
        id=raw.id,
        name=raw.name,
        supply=raw.supply,
        replaces=raw.replaces,
        receiver_kbli=raw.receiver_kbli,
        basis=raw.basis,
        source=_citation(ctx, raw.source, f"{at}, field source"),
        illustrative=raw.illustrative,
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
    )


def _shape_error(where: str, exc: ValidationError) -> SymbiosisRuleError:
    lines = [
        f"{where}, field {'.'.join(str(p) for p in err['loc']) or '(entry)'}: {err['msg']}"
        for err in exc.errors()
    ]
    return SymbiosisRuleError("; ".join(lines) + "; fix these fields (see the shipped file)")


def read_document(path: Path | None, name: str) -> tuple[dict[str, Any], str]:
    """Read a YAML mapping: the user's file, or the shipped ``name``; return it and its place."""
    if path is None:
        package = resources.files("sinergi.data.symbiosis")
        text, where = package.joinpath(name).read_text("utf-8"), f"sinergi/data/symbiosis/{name}"
    else:
        text, where = path.read_text("utf-8"), str(path)
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict):
        raise rule_error(where, "is not a YAML mapping", "start from the shipped file")
    return doc, where


def _entries(doc: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    entries = doc.get(key)
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise rule_error(
            where,
            f"`{key}` is missing or is not a list of mappings",
            f"write `{key}:` followed by entries",
        )
    return entries


def parse_entry(model: type[StrictModel], raw: Any, where: str) -> Any:
    """Validate one raw entry against its shape, turning pydantic errors into located ones."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise _shape_error(where, exc) from None


def source_table(doc: dict[str, Any], where: str) -> dict[str, _SourceIn]:
    """Read a file's ``sources`` table (key -> citation and url)."""
    return {
        k: parse_entry(_SourceIn, v, f"{where}: source {k!r}")
        for k, v in (doc.get("sources") or {}).items()
    }


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
    values = {
        k: parse_entry(NumberIn, v, f"{where}: value {k!r}")
        for k, v in (doc.get("values") or {}).items()
    }
    ctx = NumberContext(where, source_table(doc, where), values)
    disposal = _disposal(ctx, doc.get("disposal_cost_idr_per_unit") or {})
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, entry in enumerate(_entries(doc, "rules", where)):
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


def _disposal(ctx: NumberContext, raw: dict[str, Any]) -> dict[Fate, Number]:
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
    sources = source_table(doc, where)
    ctx = NumberContext(where, sources, {})
    profiles = []
    for i, entry in enumerate(_entries(doc, "profiles", where)):
        at = f"{where}: profile {entry.get('kbli', f'#{i + 1}')!r}"
        raw: _ProfileIn = parse_entry(_ProfileIn, entry, at)
        if not (raw.kbli.isdigit() and 2 <= len(raw.kbli) <= 4):
            raise rule_error(
                f"{at}, field kbli",
                "is not a 2- to 4-digit KBLI/ISIC prefix",
                "write e.g. '2410' or '42'",
            )
        if not raw.illustrative and (raw.source is None or raw.year is None):
            raise rule_error(
                at,
                "has no source and year",
                "give `source` and `year`, or flag it `illustrative: true`",
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
                _citation(ctx, raw.source, f"{at}, field source"),
                raw.illustrative,
            )
        )
    return SectorProfiles(str(doc.get("version", "")), tuple(profiles))
