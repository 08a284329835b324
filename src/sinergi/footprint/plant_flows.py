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

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from sinergi.errors import InventoryError, PlantFlowsMissing
from sinergi.footprint.inventory import Inventory, Parameter
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
    """One kind of plant: its output, the route it feeds and its parameters."""

    label: Text
    output: Output
    route: str | None = None
    content: str | None = None
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

    def to_dict(self) -> dict[str, Any]:
        """Return the reading as JSON-ready data."""
        return {
            "node": self.node,
            "kind": self.kind,
            "route": self.route,
            "source": self.source,
            "values": {
                name: {"value": p.value, "unit": p.unit.en, "derivation": self.derivations[name]}
                for name, p in self.values.items()
            },
            "generic": {name: list(codes) for name, codes in self.generic.items()},
            "unused_flows": list(self.unused),
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
    return f"{float(value):,.6g}"


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
        output or denominator, or no flow for a parameter only the plant can give.
    """
    where = where or node
    inputs, outputs = _crossing(rows, set(nodes))
    kind, spec = _kind(outputs, where)
    user = dict(values or {})
    output = _total(outputs[spec.output.commodity])
    if output is None or output <= 0:
        raise PlantFlowsMissing(
            f"{where}: the output of {spec.output.commodity} is unknown or zero; report its "
            "quantity, since every value is divided by it"
        )
    out_qty = _in_unit(output, spec.output.commodity, spec.output.unit)
    out = (out_qty, f"{_fmt(out_qty)} {spec.output.unit} {spec.output.commodity}")
    content: tuple[Fraction, str] | None = None
    if spec.content is not None:
        grade = _parameter(inventory, spec.content)
        amount = Fraction(user.get(spec.content, grade.value))
        whose = "set by the user" if spec.content in user else "generic"
        content = (
            out_qty * amount,
            f"({out[1]} x {_fmt(amount)} {grade.unit.en}, {spec.content}, {whose})",
        )
    found: dict[str, Parameter] = {}
    derivations: dict[str, str] = {}
    generic: dict[str, tuple[str, ...]] = {}
    used = {spec.output.commodity}
    for name, how in spec.parameters.items():
        reported = [c for c in how.inputs if c in inputs]
        used.update(reported)
        if isinstance(how.per, PerInput):
            used.add(how.per.input)
        if not reported or any(q is None for c in reported for q in inputs[c]):
            if name in inventory.plant_data:
                raise PlantFlowsMissing(_missing_text(where, name, how, bool(reported)))
            generic[name] = how.inputs
            continue
        numerator, text = _numerator(inventory, how, reported, inputs, user)
        # a conversion resting on an illustrative value (the coal's calorific value) makes
        # the plant's figure illustrative too, so the illustrative share still counts it
        conversions = [how.times] if how.times and how.times not in user else []
        if how.per == "content" and spec.content and spec.content not in user:
            conversions.append(spec.content)
        illustrative = any(_parameter(inventory, c).illustrative for c in conversions)
        denominator, below = _denominator(how, inputs, out, content, where)
        derivations[name] = f"{text} / {below}"
        found[name] = _plant_value(
            _parameter(inventory, name),
            float(numerator / denominator),
            source,
            year,
            derivations[name],
            illustrative,
        )
        for other in how.replaces:
            note = f"included in {name} (the plant reports all its {'+'.join(reported)} as one)"
            found[other] = _plant_value(_parameter(inventory, other), 0.0, source, year, note)
            derivations[other] = note
    unused = tuple(
        [f"input {c}" for c in sorted(inputs) if c not in used]
        + [f"output {c}" for c in sorted(outputs) if c not in used]
    )
    return PlantReading(
        node, kind, spec.label, spec.route, source, found, derivations, generic, unused
    )


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
