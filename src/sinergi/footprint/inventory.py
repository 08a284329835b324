"""Route inventories as data: parameters with provenance, processes, exchanges, scenarios.

The shipped file ``data/footprint/routes.yaml`` holds unit processes of the Indonesian
nickel -> battery chain. Exchange amounts are small arithmetic formulas over named
parameters, so that ore grade, recovery or a power factor can be overridden in one place and
the provenance of every amount (sources used, illustrative or not) follows from the
parameters it reads. Validation happens here, at the boundary, with pydantic
(``extra="forbid"``); errors name the file, the process and the exchange.

Examples
--------
>>> inv = load_inventory()
>>> inv.parameters["npi_ni_grade"].value
0.1
>>> evaluate("1 / (a * b)", {"a": 0.5, "b": 4.0})
0.5
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sinergi.errors import InventoryError, UnknownName

#: The shipped route inventory and characterisation files.
ROUTES_FILE = "routes.yaml"
CHARACTERISATION_FILE = "characterisation.yaml"

AllocationMethod = Literal["mass", "economic", "system_expansion"]

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ParameterSpec(_Strict):
    """One named parameter with its provenance (or a pointer to the emission-factor file)."""

    value: float | None = None
    from_factors: str | None = None
    low: float | None = None
    high: float | None = None
    unit: str = ""
    status: str = ""
    year: int | str | None = None
    source: str | None = None
    illustrative: bool = False
    definition: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _provenance(self) -> ParameterSpec:
        if (self.value is None) == (self.from_factors is None):
            raise ValueError("give exactly one of `value` or `from_factors`")
        sourced = self.source is not None and self.year is not None
        if self.value is not None and not (sourced or self.illustrative or self.definition):
            raise ValueError("give `source` and `year`, or `illustrative: true`")
        return self


class ProductSpec(_Strict):
    """One output of a process; the first listed is the reference product."""

    id: str
    unit: str
    amount: str
    label: str = ""
    price: float | None = None
    substitutes: str | None = None


class InputSpec(_Strict):
    """A technosphere input: a product id, the special ``electricity``, or a choice."""

    product: str | None = None
    choice: str | None = None
    unit: str
    amount: str
    illustrative: bool = False

    @model_validator(mode="after")
    def _one_provider(self) -> InputSpec:
        if (self.product is None) == (self.choice is None):
            raise ValueError("give exactly one of `product` or `choice`")
        return self


class EmissionSpec(_Strict):
    """An elementary flow emitted per reference output."""

    flow: str
    unit: str
    amount: str
    illustrative: bool = False


class ProcessSpec(_Strict):
    """One unit process."""

    id: str
    name: str
    stage: str
    products: list[ProductSpec] = Field(min_length=1)
    inputs: list[InputSpec] = Field(default_factory=list)
    emissions: list[EmissionSpec] = Field(default_factory=list)
    power_mix: dict[str, float] | None = None
    allocation: AllocationMethod | None = None
    missing: list[str] = Field(default_factory=list)


class ChoiceSpec(_Strict):
    """A switch between providers of one input (e.g. which nickel feed is refined)."""

    label: str
    default: str
    options: list[str]


class RouteSpec(_Strict):
    """A named nickel route: the choices it fixes."""

    label: str
    choices: dict[str, str]


class ProductAlias(_Strict):
    """A product a user can ask for by name."""

    column: str
    label: str


class ScenarioSpec(_Strict):
    """Named parameter changes."""

    label: str
    note: str = ""
    mixes: dict[str, dict[str, float]] = Field(default_factory=dict)
    values: dict[str, float] = Field(default_factory=dict)
    choices: dict[str, str] = Field(default_factory=dict)


class BenchmarkSpec(_Strict):
    """A published route total to check the model against."""

    id: str
    product: str
    check: Literal["range", "lower_bound", "context"]
    low: float | None = None
    high: float | None = None
    value: float | None = None
    scenario: str | None = None
    year: int
    source: str


class BatterySpec(_Strict):
    """Battery declaration settings: default cycles, chemistries and stage mapping."""

    cycles: ParameterSpec
    chemistries: dict[str, dict[str, str]]
    stages: dict[str, str]


class RoutesDoc(_Strict):
    """The whole ``routes.yaml`` document."""

    version: str
    sources: dict[str, str]
    parameters: dict[str, ParameterSpec]
    grid_from_factors: bool = False
    choices: dict[str, ChoiceSpec]
    routes: dict[str, RouteSpec]
    processes: list[ProcessSpec]
    products: dict[str, ProductAlias]
    scenarios: dict[str, ScenarioSpec]
    benchmarks: list[BenchmarkSpec]
    battery: BatterySpec


class FactorSpec(_Strict):
    """One characterisation factor."""

    value: float
    illustrative: bool = False
    definition: bool = False


class MethodSpec(_Strict):
    """A characterisation method (GWP100 AR6 or AR5)."""

    label: str
    source: str
    year: int
    factors: dict[str, FactorSpec]


class CharacterisationDoc(_Strict):
    """The whole ``characterisation.yaml`` document."""

    version: str
    default: str
    methods: dict[str, MethodSpec]
    flows: dict[str, dict[str, str]]


@dataclass(frozen=True, slots=True)
class Parameter:
    """A resolved parameter value with the provenance results report."""

    name: str
    value: float
    unit: str
    source: str
    year: str
    status: str
    illustrative: bool
    low: float | None = None
    high: float | None = None
    user: bool = False


@dataclass(frozen=True)
class Inventory:
    """Validated route data, with parameters resolved to values and provenance."""

    doc: RoutesDoc
    parameters: dict[str, Parameter]
    processes: dict[str, ProcessSpec]
    characterisation: CharacterisationDoc
    grid_regions: tuple[str, ...] = field(default=())

    def product_column(self, name: str) -> str:
        """Return the matrix column of a product name or column id."""
        if name in self.doc.products:
            return self.doc.products[name].column
        columns = {p.id for spec in self.processes.values() for p in spec.products}
        if name in columns:
            return name
        raise UnknownName(f"unknown product {name!r}; choose one of {sorted(self.doc.products)}")

    def route(self, name: str) -> RouteSpec:
        """Return a named nickel route."""
        if name not in self.doc.routes:
            raise UnknownName(
                f"unknown nickel route {name!r}; choose one of {sorted(self.doc.routes)}"
            )
        return self.doc.routes[name]

    def scenario(self, name: str) -> ScenarioSpec:
        """Return a named scenario."""
        if name not in self.doc.scenarios:
            raise UnknownName(
                f"unknown scenario {name!r}; choose one of {sorted(self.doc.scenarios)}"
            )
        return self.doc.scenarios[name]


def evaluate(formula: str, values: Mapping[str, float]) -> float:
    """Evaluate an arithmetic formula (+ - * / and parentheses) over named values.

    Only numbers, names and the four operations are accepted, so a data file cannot run
    code.

    Raises
    ------
    InventoryError
        On a syntax error, an unknown name or another construct.
    """
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise InventoryError(f"formula {formula!r} is not arithmetic: {exc.msg}") from exc
    return _eval_node(tree.body, values, formula)


def formula_names(formula: str) -> set[str]:
    """Return the parameter names a formula reads."""
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise InventoryError(f"formula {formula!r} is not arithmetic: {exc.msg}") from exc
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def _eval_node(node: ast.AST, values: Mapping[str, float], formula: str) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.Name):
        if node.id not in values:
            raise UnknownName(
                f"formula {formula!r} uses unknown parameter {node.id!r}; "
                "define it under `parameters`"
            )
        return float(values[node.id])
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _eval_node(node.operand, values, formula)
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left = _eval_node(node.left, values, formula)
        right = _eval_node(node.right, values, formula)
        if isinstance(node.op, ast.Div) and right == 0:
            raise InventoryError(f"formula {formula!r} divides by zero")
        return _BINARY[type(node.op)](left, right)
    raise InventoryError(
        f"formula {formula!r} may only use numbers, parameter names, + - * / and parentheses"
    )


def _grid_parameters(emission_factors: Any) -> dict[str, Parameter]:
    out: dict[str, Parameter] = {}
    for node, factor in emission_factors.grid.items():
        region = node.removeprefix("grid.")
        name = f"grid_{region}_co2_t_per_mwh"
        out[name] = Parameter(
            name,
            factor.value,
            factor.unit,
            factor.source,
            factor.year,
            factor.status,
            illustrative=False,
        )
    return out


def _resolve(name: str, spec: ParameterSpec, doc: RoutesDoc, factors: Any) -> Parameter:
    if spec.from_factors is not None:
        if spec.from_factors != "captive_coal":
            raise InventoryError(
                f"parameter {name!r}: from_factors must be 'captive_coal'; "
                "grid factors are added automatically"
            )
        f = factors.captive_coal
        return Parameter(
            name, f.value, f.unit, f.source, f.year, f.status, False, spec.low, spec.high
        )
    source = "" if spec.source is None else doc.sources.get(spec.source, spec.source)
    return Parameter(
        name,
        float(spec.value or 0.0),
        spec.unit,
        source,
        "" if spec.year is None else str(spec.year),
        spec.status,
        spec.illustrative,
        spec.low,
        spec.high,
    )


def _parse(text: str, model: type[_Strict], where: str) -> Any:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InventoryError(f"{where}: not valid YAML: {exc}") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:8]
        )
        raise InventoryError(f"{where}: {problems}") from exc


def _check_references(doc: RoutesDoc, where: str) -> None:
    """Reject duplicate process ids and sources that are not declared."""
    seen: set[str] = set()
    for p in doc.processes:
        if p.id in seen:
            raise InventoryError(f"{where}: process id {p.id!r} appears twice; rename one")
        seen.add(p.id)
    for name, spec in doc.parameters.items():
        if spec.source is not None and spec.source not in doc.sources:
            raise InventoryError(
                f"{where}: parameter {name!r} cites source {spec.source!r}, "
                "which is not under `sources`; add it"
            )


def read_inventory(
    routes_text: str, characterisation_text: str, *, where: str = ROUTES_FILE
) -> Inventory:
    """Validate route and characterisation YAML text and resolve the parameters.

    Parameters
    ----------
    routes_text, characterisation_text
        The two documents.
    where
        File name used in error messages.
    """
    from sinergi.reference.factors import default_factors

    doc: RoutesDoc = _parse(routes_text, RoutesDoc, where)
    char: CharacterisationDoc = _parse(
        characterisation_text, CharacterisationDoc, CHARACTERISATION_FILE
    )
    _check_references(doc, where)
    factors = default_factors()
    params = {name: _resolve(name, spec, doc, factors) for name, spec in doc.parameters.items()}
    regions: tuple[str, ...] = ()
    if doc.grid_from_factors:
        grid = _grid_parameters(factors)
        params.update(grid)
        regions = tuple(sorted(n.removeprefix("grid.") for n in factors.grid))
    return Inventory(doc, params, {p.id: p for p in doc.processes}, char, regions)


@cache
def load_inventory(path: Path | None = None) -> Inventory:
    """Load the shipped inventory (or a user file with the same schema)."""
    data = resources.files("sinergi.data.footprint")
    char = data.joinpath(CHARACTERISATION_FILE).read_text("utf-8")
    if path is None:
        return read_inventory(data.joinpath(ROUTES_FILE).read_text("utf-8"), char)
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise InventoryError(f"{path}: cannot read the file: {exc}") from exc
    return read_inventory(text, char, where=str(path))
