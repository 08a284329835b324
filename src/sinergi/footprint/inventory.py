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
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml
from pydantic import BaseModel, ValidationError

from sinergi.errors import InventoryError, ReferenceDataError, UnknownName
from sinergi.footprint.schema import (
    AllocationMethod,
    CharacterisationDoc,
    ParameterSpec,
    ProcessSpec,
    ProductAlias,
    RoutesDoc,
    RouteSpec,
    ScenarioSpec,
    Text,
)
from sinergi.reference import Provenance, cite

__all__ = [
    "AllocationMethod",
    "Inventory",
    "Parameter",
    "evaluate",
    "evaluate_draws",
    "formula_names",
    "load_inventory",
    "read_inventory",
]

#: The shipped route inventory and characterisation files.
ROUTES_FILE = "routes.yaml"
CHARACTERISATION_FILE = "characterisation.yaml"

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}

_BINARY_DRAWS: dict[type[ast.operator], Callable[[Any, Any], npt.NDArray[np.float64]]] = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
}


@dataclass(frozen=True, slots=True)
class Parameter:
    """A resolved parameter value with the provenance results report.

    ``provenance`` is ``None`` for a value a scenario or the user set (``--set NAME=VALUE``):
    it is a what-if, not a shipped default.
    """

    name: str
    value: float
    unit: Text
    provenance: Provenance | None
    low: float | None = None
    high: float | None = None
    #: the value is the plant's own data (a tenant's reported figure), not a generic default
    plant: bool = False

    @property
    def user(self) -> bool:
        """Return whether a scenario or the user set this value."""
        return self.provenance is None

    @property
    def illustrative(self) -> bool:
        """Return whether the value is an illustrative placeholder (no source found)."""
        return self.provenance is not None and self.provenance.illustrative


@dataclass(frozen=True)
class Inventory:
    """Validated route data, with parameters resolved to values and provenance."""

    doc: RoutesDoc
    parameters: dict[str, Parameter]
    processes: dict[str, ProcessSpec]
    characterisation: CharacterisationDoc
    grid_regions: tuple[str, ...] = field(default=())
    #: parameters with no shipped value: only the plant can supply them (``plant_data: true``)
    plant_data: dict[str, ParameterSpec] = field(default_factory=dict)

    def product_column(self, name: str) -> str:
        """Return the matrix column of a product name or column id."""
        if name in self.doc.products:
            return self.doc.products[name].column
        columns = {p.id for spec in self.processes.values() for p in spec.products}
        if name in columns:
            return name
        raise UnknownName(
            f"unknown product {name!r}; choose one of {', '.join(sorted(self.doc.products))}"
        )

    def product(self, name: str) -> ProductAlias | None:
        """Return the product named, by its name or its matrix column, if it is one."""
        if name in self.doc.products:
            return self.doc.products[name]
        return next((p for p in self.doc.products.values() if p.column == name), None)

    def stage(self, stage: str) -> Text:
        """Return a process stage's label (its key when the data gives none)."""
        return self.doc.stages.get(stage) or Text.same(stage)

    def route(self, name: str) -> RouteSpec:
        """Return a named nickel route."""
        if name not in self.doc.routes:
            raise UnknownName(
                f"unknown nickel route {name!r}; choose one of {', '.join(sorted(self.doc.routes))}"
            )
        return self.doc.routes[name]

    def scenario(self, name: str) -> ScenarioSpec:
        """Return a named scenario."""
        if name not in self.doc.scenarios:
            raise UnknownName(
                f"unknown scenario {name!r}; choose one of {', '.join(sorted(self.doc.scenarios))}"
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
    return _eval_node(_parsed(formula).body, values, formula)


def evaluate_draws(
    formula: str, values: Mapping[str, float | npt.NDArray[np.float64]]
) -> npt.NDArray[np.float64]:
    """Evaluate a formula over many draws at once: each value a number or an array of draws.

    The same arithmetic as :func:`evaluate`, element by element, so a Monte Carlo can
    evaluate every exchange once for all its draws instead of once per draw. A division by
    zero in any draw is refused like :func:`evaluate` refuses it.

    >>> evaluate_draws("1 / (a * b)", {"a": np.array([0.5, 1.0]), "b": 4.0}).tolist()
    [0.5, 0.25]
    """
    return np.asarray(_eval_draws(_parsed(formula).body, values, formula), dtype=np.float64)


def _eval_draws(
    node: ast.AST, values: Mapping[str, float | npt.NDArray[np.float64]], formula: str
) -> float | npt.NDArray[np.float64]:
    if isinstance(node, ast.Name) and node.id in values:
        return values[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _eval_draws(node.operand, values, formula)
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left = _eval_draws(node.left, values, formula)
        right = _eval_draws(node.right, values, formula)
        if isinstance(node.op, ast.Div) and np.any(np.asarray(right) == 0):
            raise InventoryError(f"formula {formula!r} divides by zero")
        return _BINARY_DRAWS[type(node.op)](left, right)
    # numbers, unknown names and refused constructs: as the scalar evaluation says
    return _eval_node(node, {}, formula)


def formula_names(formula: str) -> frozenset[str]:
    """Return the parameter names a formula reads."""
    return _names(formula)


@cache
def _parsed(formula: str) -> ast.Expression:
    # a network is rebuilt for every route and scenario: parse each formula once per process
    try:
        return ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise InventoryError(f"formula {formula!r} is not arithmetic: {exc.msg}") from exc


@cache
def _names(formula: str) -> frozenset[str]:
    return frozenset(n.id for n in ast.walk(_parsed(formula)) if isinstance(n, ast.Name))


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


def _factor_provenance(factor: Any) -> Provenance:
    """Return the provenance of an emission factor of ``data/factors/emission_factors.yaml``."""
    return Provenance.model_validate(
        {
            "source": factor.source,
            "year": factor.year,
            "status": factor.status,
            "note": factor.note,
            "note_id": factor.note_id,
        }
    )


def _grid_parameters(emission_factors: Any) -> dict[str, Parameter]:
    out: dict[str, Parameter] = {}
    for node, factor in emission_factors.grid.items():
        region = node.removeprefix("grid.")
        name = f"grid_{region}_co2_t_per_mwh"
        unit = Text.same(factor.unit)
        out[name] = Parameter(name, factor.value, unit, _factor_provenance(factor))
    return out


def _resolve(name: str, spec: ParameterSpec, factors: Any) -> Parameter:
    if spec.from_factors is not None:
        if spec.from_factors != "captive_coal":
            raise InventoryError(
                f"parameter {name!r}: from_factors must be 'captive_coal'; "
                "grid factors are added automatically"
            )
        f = factors.captive_coal
        provenance = _factor_provenance(f)
        return Parameter(name, f.value, Text.same(f.unit), provenance, spec.low, spec.high)
    return Parameter(
        name, float(spec.value or 0.0), spec.unit_text(), spec.provenance(), spec.low, spec.high
    )


#: libyaml's safe loader where installed (about ten times faster), else the Python one
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(text: str, model: type[BaseModel], where: str) -> Any:
    try:
        raw = yaml.load(text, Loader=_SAFE_LOADER)  # a safe loader either way
    except yaml.YAMLError as exc:
        raise InventoryError(f"{where}: not valid YAML: {exc}") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:8]
        )
        raise InventoryError(f"{where}: {problems}") from exc


def _check_references(doc: RoutesDoc, char: CharacterisationDoc, where: str) -> None:
    """Reject duplicate process ids and citations that are not in the bibliography."""
    seen: set[str] = set()
    for p in doc.processes:
        if p.id in seen:
            raise InventoryError(f"{where}: process id {p.id!r} appears twice; rename one")
        seen.add(p.id)
    cited = doc.cited() | {key for m in char.methods.values() for key in m.refs}
    for key in sorted(cited):
        try:
            cite(key)
        except ReferenceDataError as exc:
            raise InventoryError(f"{where}: {exc}") from None


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
    _check_references(doc, char, where)
    factors = default_factors()
    params = {
        name: _resolve(name, spec, factors)
        for name, spec in doc.parameters.items()
        if not spec.plant_data
    }
    plant = {name: spec for name, spec in doc.parameters.items() if spec.plant_data}
    regions: tuple[str, ...] = ()
    if doc.grid_from_factors:
        grid = _grid_parameters(factors)
        params.update(grid)
        regions = tuple(sorted(n.removeprefix("grid.") for n in factors.grid))
    return Inventory(doc, params, {p.id: p for p in doc.processes}, char, regions, plant)


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
