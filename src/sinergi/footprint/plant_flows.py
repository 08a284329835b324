"""A plant's reported flows (the intake's) as its own values of a route's parameters.

The template CSV of :mod:`sinergi.footprint.plant` asks a plant to compute its figures per t Ni
by hand. A plant that already reports its period's flows through the intake need not: this
module reads them and divides by the reported output, following the explicit table
``data/footprint/plant_flows.yaml`` (catalogue code → parameter, unit, per what). Nothing is
guessed: a code the table does not name is listed as unused, a parameter none of whose codes
is reported keeps its generic value and says so, and a parameter with no generic value
(``plant_data: true``) that the plant did not report stops the footprint with the parameter,
the catalogue codes and the node to report them into.

The engine reads plain rows (``source``, ``target``, ``commodity``, ``quantity`` in the
commodity's canonical unit), as the store's submissions and flows hold them; which rows count
(approved or locked data only, unless drafts are asked for) is decided by the caller, which
also writes the ``source`` every value carries ("reported by …, 2024, submission 7 v2,
approved").

Examples
--------
>>> from sinergi.footprint.inventory import load_inventory
>>> rows = [
...     {"source": "mkt", "target": "p", "commodity": "natural_gas", "quantity": 50.0},
...     {"source": "p", "target": "mkt", "commodity": "nickel_sulfate", "quantity": 100.0},
... ]
>>> reading = read_plant_flows(rows, {"p"}, load_inventory(), node="p", source="s", year=2024)
>>> reading.kind, round(reading.values["nsh_natural_gas_mj_per_kg"].value, 6)
('nickel-sulfate', 1.8)
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from sinergi.errors import InventoryError, PlantFlowsMissing
from sinergi.footprint.inventory import Inventory, Parameter
from sinergi.footprint.network import Settings
from sinergi.footprint.results import FootprintResult, parameter_record
from sinergi.footprint.schema import Text
from sinergi.model.commodities import default_catalogue
from sinergi.reference import Basis, Provenance
from sinergi.units import CANONICAL_UNIT, conversion_factor

__all__ = ["MAPPING_FILE", "PlantReading", "load_mapping", "read_plant_flows"]

#: The shipped table of catalogue codes → parameters.
MAPPING_FILE = "plant_flows.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PerInput(_Strict):
    """A denominator that is another reported input (limestone per t ore)."""

    input: str
    unit: str


class ParameterMap(_Strict):
    """How one parameter is read: the codes summed, their unit, and per what."""

    inputs: tuple[str, ...]
    unit: str
    per: Literal["output", "content"] | PerInput
    times: str | None = None
    replaces: tuple[str, ...] = ()


class Output(_Strict):
    """The product a plant of this kind reports, and the unit the denominators use."""

    commodity: str
    unit: str


class PlantKind(_Strict):
    """One kind of plant: its output, the route process it is, the route and its parameters."""

    label: Text
    output: Output
    process: str
    route: str | None = None
    content: str | None = None
    note: Text | None = None
    parameters: dict[str, ParameterMap]

    @field_validator("parameters")
    @classmethod
    def _not_empty(cls, value: dict[str, ParameterMap]) -> dict[str, ParameterMap]:
        if not value:
            raise ValueError("a plant kind maps at least one parameter")
        return value


class PlantFlowTable(_Strict):
    """The whole table (``plant_flows.yaml``)."""

    version: str
    #: electricity codes -> the power supply process they stand for (``default``: the mix
    #: the route gives the plant's process)
    electricity: dict[str, str]
    #: codes no parameter reads, with the reason told to the user
    not_read: dict[str, Text] = {}
    plants: dict[str, PlantKind]


@dataclass(frozen=True)
class PlantReading:
    """What a plant's flows gave: its values, what stayed generic, what was not used."""

    node: str
    kind: str
    label: Text
    route: str | None
    source: str
    #: the plant's values by parameter name (``plant=True``, provenance ``source``)
    values: dict[str, Parameter]
    #: the arithmetic of each value, as a person checks it
    derivations: dict[str, str]
    #: parameters that keep their generic value, with the codes the plant did not report
    generic: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: reported flows no parameter reads ("input coke", "output nickel_slag")
    unused: tuple[str, ...] = ()
    #: the plant's own power mix by route process (``{supply process: share}``), when its
    #: electricity sources differ from the route's mix
    mixes: dict[str, dict[str, float]] = field(default_factory=dict)
    #: parameters read only to convert (t MHP -> t Ni, t coal -> GJ), as the result lists them
    conversions: dict[str, Parameter] = field(default_factory=dict)
    #: parameters with no generic value that the plant did not report: their exchanges stay
    #: missing (the converter's electricity), with the codes that would give them
    absent: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: why an unused code is not read, by code
    reasons: dict[str, Text] = field(default_factory=dict)
    #: what a reader of this kind's values must know (the sulfate's hydrate basis)
    note: Text | None = None

    def settings(self) -> Settings:
        """Return the route settings carrying the plant's values and its power mix."""
        return Settings(plant=self.values, mixes=self.mixes)

    def applied(self, result: FootprintResult) -> FootprintResult:
        """Return ``result`` with the conversion parameters in its parameter table.

        No route formula reads a content parameter such as ``mhp_ni_content``, so the network
        does not list it; it decided every value divided by it, so the result shows it with
        its source (generic, or set by the user).
        """
        extra = {n: p for n, p in self.conversions.items() if n not in result.parameters}
        return replace(result, parameters={**result.parameters, **extra})

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """Return the reading as JSON-ready data, its texts in ``lang``."""
        return {
            "node": self.node,
            "kind": self.kind,
            "label": self.label.in_(lang),
            "route": self.route,
            "source": self.source,
            "note": None if self.note is None else self.note.in_(lang),
            "values": {
                name: {"value": p.value, "unit": p.unit.en, "derivation": self.derivations[name]}
                for name, p in self.values.items()
            },
            "power_mix": {
                process: {
                    "shares": shares,
                    "derivation": self.derivations[f"power mix of {process}"],
                }
                for process, shares in self.mixes.items()
            },
            "conversions": {
                name: parameter_record(p, lang) for name, p in self.conversions.items()
            },
            "generic": {name: list(codes) for name, codes in self.generic.items()},
            "not_reported_left_missing": {name: list(c) for name, c in self.absent.items()},
            "unused_flows": list(self.unused),
            "not_read_because": {code: r.in_(lang) for code, r in self.reasons.items()},
        }


@cache
def load_mapping() -> PlantFlowTable:
    """Return the shipped table, checked against the catalogue and the route parameters."""
    text = resources.files("sinergi.data.footprint").joinpath(MAPPING_FILE).read_text("utf-8")
    try:
        doc = PlantFlowTable.model_validate(yaml.safe_load(text))
    except ValueError as exc:
        raise InventoryError(f"{MAPPING_FILE}: {exc}") from exc
    catalogue = default_catalogue()
    for code in [*doc.electricity, *doc.not_read]:
        if code not in catalogue:
            raise InventoryError(f"{MAPPING_FILE}: {code!r} is not a catalogue code")
    for kind, spec in doc.plants.items():
        codes = [spec.output.commodity]
        for p in spec.parameters.values():
            codes += list(p.inputs) + ([p.per.input] if isinstance(p.per, PerInput) else [])
        for code in codes:
            if code not in catalogue:
                raise InventoryError(
                    f"{MAPPING_FILE}, plant {kind!r}: {code!r} is not a catalogue code"
                )
    return doc


def _canonical(code: str) -> str:
    return CANONICAL_UNIT[default_catalogue().get(code).dimension]


def _in_unit(total: Fraction, code: str, unit: str) -> Fraction:
    """Return ``total`` (canonical unit of ``code``) in ``unit``, exactly."""
    dimension = default_catalogue().get(code).dimension
    return total / conversion_factor(unit, dimension)


def _fmt(value: Fraction | float) -> str:
    number = float(value)
    # a plant's yearly totals run to millions: whole digits read better than 3.6e+07
    return f"{number:,.0f}" if abs(number) >= 1e6 else f"{number:,.6g}"


def read_plant_flows(
    rows: Iterable[Mapping[str, Any]],
    nodes: Collection[str],
    inventory: Inventory,
    *,
    node: str,
    source: str,
    year: int | str,
    values: Mapping[str, float] | None = None,
    where: str | None = None,
) -> PlantReading:
    """Return a plant's values of its route's parameters from its reported flows.

    Parameters
    ----------
    rows
        The period's flows touching the plant: mappings with ``source``, ``target``,
        ``commodity`` and ``quantity`` (canonical unit; ``None`` = unknown).
    nodes
        The plant: its node and every node below it. Only flows crossing this set count.
    inventory
        The route inventory (generic values, units and provenance of the parameters).
    node, source, year
        The node asked for, the text every value cites as its source, and the period's year.
    values
        Values the user set (``--set``); a content parameter (t Ni per t MHP) is read from
        here first, so a plant's own assay replaces the generic one.
    where
        How messages name the data ("kiic.x, 2024"); defaults to ``node``.

    Raises
    ------
    PlantFlowsMissing
        When the plant reports no output of a known kind, outputs of two kinds, no or zero
        output or denominator, no Ni content for a kind that has no generic one, or no flow
        for a parameter only the plant can give.
    """
    where = where or node
    inputs, outputs = _crossing(rows, set(nodes))
    kind, spec = _kind(outputs, where)
    if spec.process not in inventory.processes:
        raise InventoryError(f"{MAPPING_FILE}, plant {kind!r}: no route process {spec.process!r}")
    user = dict(values or {})
    out, content, conversions = _basis(inventory, spec, outputs, user, where)
    read = _Read()
    used = {spec.output.commodity}
    for name, how in spec.parameters.items():
        reported = [c for c in how.inputs if c in inputs]
        used.update(reported)
        if isinstance(how.per, PerInput):
            used.add(how.per.input)
        if not reported or any(q is None for c in reported for q in inputs[c]):
            _not_reported(inventory, read, name, how, bool(reported), where)
            continue
        numerator, text = _numerator(inventory, how, reported, inputs, user)
        if how.times is not None:
            conversions[how.times] = _conversion(inventory, how.times, user)
        # a conversion resting on an illustrative value (the coal's calorific value) makes
        # the plant's figure illustrative too, so the illustrative share still counts it
        names = [how.times] if how.times else []
        if how.per == "content" and spec.content:
            names.append(spec.content)
        illustrative = any(conversions[c].illustrative for c in names)
        denominator, below = _denominator(how, inputs, out, content, where)
        read.derivations[name] = f"{text} / {below}"
        read.found[name] = _plant_value(
            _parameter(inventory, name),
            float(numerator / denominator),
            source,
            year,
            read.derivations[name],
            illustrative,
        )
        for other in how.replaces:
            note = f"included in {name} (the plant reports all its {'+'.join(reported)} as one)"
            read.found[other] = _plant_value(_parameter(inventory, other), 0.0, source, year, note)
            read.derivations[other] = note
    mix = _power_mix(inventory, spec, inputs)
    if mix is not None:
        read.mixes[spec.process] = mix[0]
        read.derivations[f"power mix of {spec.process}"] = mix[1]
    codes = [("input", c) for c in sorted(inputs) if c not in used]
    codes += [("output", c) for c in sorted(outputs) if c not in used]
    table = load_mapping()
    return PlantReading(
        node,
        kind,
        spec.label,
        spec.route,
        source,
        read.found,
        read.derivations,
        read.generic,
        tuple(f"{side} {c}" for side, c in codes),
        mixes=read.mixes,
        conversions=conversions,
        absent=read.absent,
        reasons={c: table.not_read[c] for _, c in codes if c in table.not_read},
        note=spec.note,
    )


@dataclass
class _Read:
    """What the parameters of one plant gave, collected while they are read."""

    found: dict[str, Parameter] = field(default_factory=dict)
    derivations: dict[str, str] = field(default_factory=dict)
    generic: dict[str, tuple[str, ...]] = field(default_factory=dict)
    absent: dict[str, tuple[str, ...]] = field(default_factory=dict)
    mixes: dict[str, dict[str, float]] = field(default_factory=dict)


def _not_reported(
    inventory: Inventory, read: _Read, name: str, how: ParameterMap, unknown: bool, where: str
) -> None:
    """Note a parameter the plant did not report: generic, left missing, or refused."""
    spec = inventory.plant_data.get(name)
    if spec is None:
        read.generic[name] = how.inputs
    elif spec.optional:
        read.absent[name] = how.inputs
    else:
        raise PlantFlowsMissing(_missing_text(where, name, how, unknown))


def _conversion(inventory: Inventory, name: str, user: Mapping[str, float]) -> Parameter:
    """Return a conversion parameter as used: the user's value, else the generic one."""
    generic = _parameter(inventory, name)
    if name in user:
        return Parameter(name, float(user[name]), generic.unit, None)
    return generic


def _basis(
    inventory: Inventory,
    spec: PlantKind,
    outputs: _Side,
    user: Mapping[str, float],
    where: str,
) -> tuple[tuple[Fraction, str], tuple[Fraction, str] | None, dict[str, Parameter]]:
    """Return the output, its content (t Ni, kWh) and the conversion read, with their text."""
    output = _total(outputs[spec.output.commodity])
    if output is None or output <= 0:
        raise PlantFlowsMissing(
            f"{where}: the output of {spec.output.commodity} is unknown or zero; report its "
            "quantity, since every value is divided by it"
        )
    qty = _in_unit(output, spec.output.commodity, spec.output.unit)
    out = (qty, f"{_fmt(qty)} {spec.output.unit} {spec.output.commodity}")
    if spec.content is None:
        return out, None, {}
    grade = _conversion(inventory, spec.content, user)
    if math.isnan(grade.value) or grade.value <= 0:
        raise PlantFlowsMissing(
            f"{where}: {spec.output.commodity} has no generic content ({spec.content}, "
            f"{grade.unit.en}); give the plant's own assay with --set {spec.content}=VALUE"
        )
    whose = "set by the user" if grade.user else "generic"
    amount = Fraction(grade.value)
    content = (
        qty * amount,
        f"({out[1]} x {_fmt(amount)} {grade.unit.en}, {spec.content}, {whose})",
    )
    return out, content, {spec.content: grade}


def _power_mix(
    inventory: Inventory, spec: PlantKind, inputs: _Side
) -> tuple[dict[str, float], str] | None:
    """Return the plant's own power mix and how, when its sources differ from the route's.

    Shares are the reported MWh by source; ``electricity`` (grid or unspecified) keeps the
    route's mix for the process, so only what the plant says it bought differently moves.
    """
    sources = load_mapping().electricity
    read = {c for how in spec.parameters.values() for c in how.inputs if c in sources}
    reported = {c: _total(inputs[c]) for c in sorted(read) if c in inputs}
    if not reported or any(q is None for q in reported.values()):
        return None
    total = sum((q for q in reported.values() if q is not None), Fraction(0))
    default = inventory.processes[spec.process].power_mix or {}
    mix: dict[str, Fraction] = {}
    parts = []
    for code, q in reported.items():
        assert q is not None
        providers = default if sources[code] == "default" else {sources[code]: 1.0}
        for provider, share in providers.items():
            mix[provider] = mix.get(provider, Fraction(0)) + q * Fraction(share) / total
        parts.append(f"{_fmt(q)} MWh {code} -> {', '.join(providers)}")
    if total <= 0 or {k: float(v) for k, v in mix.items() if v} == dict(default):
        return None
    shares = {k: float(v) for k, v in mix.items() if v}
    text = f"{'; '.join(parts)}, of {_fmt(total)} MWh: " + ", ".join(
        f"{k} {float(v):.4g}" for k, v in shares.items()
    )
    return shares, text


_Side = dict[str, list[float | None]]


def _crossing(rows: Iterable[Mapping[str, Any]], inside: set[str]) -> tuple[_Side, _Side]:
    """Return the quantities entering and leaving the plant, by catalogue code."""
    inputs: _Side = {}
    outputs: _Side = {}
    for r in rows:
        src, dst = str(r["source"]), str(r["target"])
        if (src in inside) == (dst in inside):
            continue  # internal, or not the plant's
        side = outputs if src in inside else inputs
        q = r.get("quantity")
        side.setdefault(str(r["commodity"]), []).append(None if q is None else float(q))
    return inputs, outputs


def _kind(outputs: _Side, where: str) -> tuple[str, PlantKind]:
    """Return the one plant kind whose product leaves the plant."""
    doc = load_mapping()
    kinds = [k for k, spec in doc.plants.items() if spec.output.commodity in outputs]
    if not kinds:
        known = ", ".join(sorted(s.output.commodity for s in doc.plants.values()))
        raise PlantFlowsMissing(
            f"{where}: no output of {known} leaves the plant in the data used; report the "
            "plant's product (catalogue code) as an output of its process"
        )
    if len(kinds) > 1:
        raise PlantFlowsMissing(
            f"{where}: outputs of several plant kinds ({', '.join(kinds)}); name the process "
            "or facility that makes the product instead of the company"
        )
    return kinds[0], doc.plants[kinds[0]]


def _numerator(
    inventory: Inventory,
    how: ParameterMap,
    reported: list[str],
    inputs: _Side,
    user: Mapping[str, float],
) -> tuple[Fraction, str]:
    """Return the reported inputs summed in the parameter's unit (times a factor), and how."""
    total = Fraction(0)
    for code in reported:
        total += sum(
            (_in_unit(Fraction(q), code, how.unit) for q in inputs[code] if q is not None),
            Fraction(0),
        )
    text = f"{_fmt(total)} {how.unit} {'+'.join(reported)}"
    if how.times is not None:
        factor = _parameter(inventory, how.times)
        times = Fraction(user.get(how.times, factor.value))
        total *= times
        text += f" x {_fmt(times)} {factor.unit.en} ({how.times})"
    return total, text


def _total(quantities: list[float | None]) -> Fraction | None:
    if any(q is None for q in quantities):
        return None
    return sum((Fraction(q) for q in quantities if q is not None), Fraction(0))


def _parameter(inventory: Inventory, name: str) -> Parameter:
    found = inventory.parameters.get(name)
    if found is not None:
        return found
    spec = inventory.plant_data.get(name)
    if spec is None:
        raise InventoryError(f"{MAPPING_FILE}: parameter {name!r} is not in routes.yaml")
    return Parameter(name, float("nan"), spec.unit_text(), None)


def _denominator(
    how: ParameterMap,
    inputs: _Side,
    out: tuple[Fraction, str],
    content: tuple[Fraction, str] | None,
    where: str,
) -> tuple[Fraction, str]:
    """Return what the parameter is per (output, Ni content or another input), and how."""
    if how.per == "output":
        return out
    if how.per == "content":
        if content is None:
            raise InventoryError(f"{MAPPING_FILE}: per: content without a content parameter")
        return content
    assert isinstance(how.per, PerInput)
    code = how.per.input
    total = _total(inputs.get(code, [None]))
    if total is None or total <= 0:
        raise PlantFlowsMissing(
            f"{where}: {'+'.join(how.inputs)} is reported per {code}, whose input is unknown "
            f"or zero; report the {code} the plant takes in (catalogue code {code!r})"
        )
    qty = _in_unit(total, code, how.per.unit)
    return qty, f"{_fmt(qty)} {how.per.unit} {code}"


def _missing_text(where: str, name: str, how: ParameterMap, unknown: bool) -> str:
    codes = " or ".join(repr(c) for c in how.inputs)
    state = "has an unknown quantity" if unknown else "is not reported"
    return (
        f"{where}: parameter {name!r} has no generic value and its input ({codes}, "
        f"{_canonical(how.inputs[0])}) {state}; report it as an input of the plant for the "
        "period (0 if none is used)"
    )


def _plant_value(
    target: Parameter,
    value: float,
    source: str,
    year: int | str,
    derivation: str,
    illustrative: bool = False,
) -> Parameter:
    """Return the plant's value; illustrative too when a conversion it reads is."""
    provenance = Provenance(
        source=source, year=year, basis=Basis.DERIVED, note=derivation, illustrative=illustrative
    )
    return Parameter(target.name, value, target.unit, provenance, plant=True)
