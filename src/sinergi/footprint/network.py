"""Build technosphere A, biosphere B and factors c from route inventories.

Each matrix column is one product (a process's reference product, or each co-product of a
multi-output process after mass or economic allocation), scaled to one unit of it:
production +1 on the diagonal, inputs negative (Brightway's convention, see
``docs/architecture.md``). Electricity inputs go to a per-process mix column
``electricity@<process>`` whose inputs are the power sources in the process's mix, so a
scenario can change one process's power without touching the others. System expansion keeps
one column and credits each co-product as a positive entry in the row of the product it
substitutes.

Every entry keeps its provenance (parameters read, illustrative or not, published range) so
results can say how much of a score rests on illustrative values.

Examples
--------
>>> from sinergi.footprint.inventory import load_inventory
>>> net = build_network(load_inventory())
>>> net.technosphere.shape[0] == len(net.columns)
True
>>> net.needs_plant["mhp_plant.ni"]  # the bottom-up HPAL model awaits the plant's data
('hpal_electricity_mwh_per_t_ni', 'hpal_limestone_t_per_t_ore', 'hpal_onsite_coal_gj_per_t_ni')
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from sinergi.errors import (
    InvalidReferenceOutput,
    InventoryError,
    MissingFactor,
    MissingProvider,
    PlantDataRequired,
    UnitMismatch,
    UnknownName,
)
from sinergi.footprint.allocation import Allocation, allocate
from sinergi.footprint.inventory import Inventory, Parameter, evaluate, formula_names
from sinergi.footprint.lca.mapping import IdMapping
from sinergi.footprint.schema import (
    AllocationMethod,
    EmissionSpec,
    InputSpec,
    ProcessSpec,
    ProductSpec,
    Text,
)

#: The input product name that means "electricity from this process's power mix".
ELECTRICITY = "electricity"
#: Stage of power supply and mix columns; their emissions are attributed to consumers.
POWER_STAGE = "power"
#: One matrix column: (column id, process id, stage, reference unit, label).
Column = tuple[str, str, str, str, Text]
#: Tolerance on a power mix's shares summing to one.
_SHARE_TOLERANCE = 1e-9
#: At most this many ranged parameters are combined when bounding one exchange.
_MAX_RANGED = 4


@dataclass(frozen=True)
class Settings:
    """What a route or scenario changes: parameter values, power mixes, choices, allocation.

    Attributes
    ----------
    values
        Parameter overrides by name.
    mixes
        Power mix (``{power product: share}``) by process id; ``"*"`` applies to every
        process that uses electricity and has no mix of its own here.
    choices
        Provider choices by choice name (e.g. ``nickel_feed``).
    allocation
        Allocation method by multi-output process id.
    method
        Characterisation method (``ar6`` or ``ar5``); ``None`` keeps the data file's
        default (or, when merging, the other settings' method).
    plant
        The plant's own values (from its reported data), with their provenance: they
        replace generic parameters and supply those only a plant can (``plant_data``).
    """

    values: Mapping[str, float] = field(default_factory=dict)
    mixes: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    choices: Mapping[str, str] = field(default_factory=dict)
    allocation: Mapping[str, AllocationMethod] = field(default_factory=dict)
    method: str | None = None
    plant: Mapping[str, Parameter] = field(default_factory=dict)

    def merged(self, other: Settings) -> Settings:
        """Return these settings updated by ``other`` (``other`` wins)."""
        return Settings(
            values={**self.values, **other.values},
            mixes={**self.mixes, **other.mixes},
            choices={**self.choices, **other.choices},
            allocation={**self.allocation, **other.allocation},
            method=other.method or self.method,
            plant={**self.plant, **other.plant},
        )


@dataclass(frozen=True, slots=True)
class Entry:
    """One exchange as placed in a matrix, with its provenance."""

    matrix: Literal["technosphere", "biosphere"]
    row: str
    column: str
    amount: float
    process: str
    formula: str
    parameters: tuple[str, ...]
    illustrative: bool
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Network:
    """Matrices of one inventory under one set of settings, with labels and provenance."""

    technosphere: sp.csc_array
    biosphere: sp.csc_array
    characterization: npt.NDArray[np.float64]
    illustrative_factor: npt.NDArray[np.bool_]
    columns: IdMapping
    flows: IdMapping
    column_process: tuple[str, ...]
    column_stage: tuple[str, ...]
    column_unit: tuple[str, ...]
    column_label: tuple[Text, ...]
    entries: tuple[Entry, ...]
    allocations: dict[str, Allocation]
    missing: dict[str, tuple[Text, ...]]
    parameters: dict[str, Parameter]
    method: str
    #: process and stage names in both languages, for results a person reads
    process_names: dict[str, Text] = field(default_factory=dict)
    stage_names: dict[str, Text] = field(default_factory=dict)
    #: products left out because their process needs plant data: product -> parameters
    needs_plant: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def require(self, column: str) -> None:
        """Raise :class:`PlantDataRequired` if ``column`` awaits the plant's own data."""
        if column in self.needs_plant and column not in self.columns:
            raise PlantDataRequired(
                f"{column!r} is modelled bottom-up from the plant's own data, which was not "
                f"given ({', '.join(self.needs_plant[column])}); fill the template of "
                "'sinergi footprint plant-template' and pass it with --plant-data, or ask for "
                "the product made from the published aggregate (e.g. mhp)"
            )

    @property
    def labels(self) -> list[str]:
        """Return the column ids in matrix order."""
        return [str(x) for x in self.columns.ids]

    @property
    def flow_labels(self) -> list[str]:
        """Return the flow ids in matrix order."""
        return [str(x) for x in self.flows.ids]

    def demand(self, column: str, amount: float = 1.0) -> npt.NDArray[np.float64]:
        """Return the demand vector asking ``amount`` of one column's product.

        For a waste-treatment column (production −1 on the diagonal) the demand is
        ``−amount`` in its row, as Brightway writes "treat this much waste", so the result is
        the burden of treating ``amount`` of the waste (supply +``amount``).
        """
        out = np.zeros(len(self.labels))
        j = int(self.columns.index([column])[0])
        out[j] = amount * (1.0 if self.technosphere[j, j] > 0 else -1.0)
        return out

    def illustrative_mask(self) -> sp.csc_array:
        """Return B's illustrative part: entries flagged, or flows whose factor is."""
        rows, cols, vals = [], [], []
        for e in self.entries:
            if e.matrix != "biosphere":
                continue
            r = int(self.columns.index([e.column])[0])
            f = int(self.flows.index([e.row])[0])
            if e.illustrative or self.illustrative_factor[f]:
                rows.append(f)
                cols.append(r)
                vals.append(e.amount)
        return sp.csc_array((vals, (rows, cols)), shape=self.biosphere.shape)


@dataclass
class _Builder:
    """Collects columns and entries while the network is assembled."""

    inventory: Inventory
    settings: Settings
    params: dict[str, Parameter]
    values: dict[str, float]
    method: str
    products: dict[str, tuple[ProcessSpec, ProductSpec]] = field(default_factory=dict)
    columns: list[Column] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    allocations: dict[str, Allocation] = field(default_factory=dict)
    missing: dict[str, tuple[Text, ...]] = field(default_factory=dict)
    #: production sign of columns whose reference amount is negative (waste treatment)
    production: dict[str, float] = field(default_factory=dict)
    #: products of processes left out because they need plant data: product -> parameters
    needs_plant: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: missing texts of exchanges left out for lack of an optional plant value, by process
    left_missing: dict[str, list[Text]] = field(default_factory=dict)

    def illustrative(self, names: Set[str]) -> bool:
        return any(self.params[n].illustrative for n in names if n in self.params)

    def amount(self, formula: str, where: str) -> float:
        try:
            return evaluate(formula, self.values)
        except InventoryError as exc:
            raise type(exc)(f"{where}: {exc}") from exc

    def bounds(self, formula: str, scale: float) -> tuple[float | None, float | None]:
        """Return min/max of a formula over the corners of its ranged parameters."""
        ranged = [
            n
            for n in sorted(formula_names(formula))
            if n in self.params
            and self.params[n].low is not None
            and self.params[n].high is not None
            and not self.params[n].user
        ]
        if not ranged or len(ranged) > _MAX_RANGED:
            return None, None
        results = []
        for corner in itertools.product(
            *[(self.params[n].low, self.params[n].high) for n in ranged]
        ):
            vals = dict(self.values)
            vals.update({n: float(v) for n, v in zip(ranged, corner, strict=True) if v is not None})
            results.append(evaluate(formula, vals) * scale)
        return min(results), max(results)


def effective_parameters(
    inventory: Inventory,
    values: Mapping[str, float],
    plant: Mapping[str, Parameter] | None = None,
) -> dict[str, Parameter]:
    """Return the inventory's parameters with plant data and overrides applied.

    A plant's value keeps the provenance the plant gave it and is marked ``plant``. An
    overridden value (by a scenario or ``--set``) has no shipped provenance: its
    ``provenance`` is ``None`` and it is reported as set by the scenario or the user.
    """
    params = dict(inventory.parameters)
    for name, parameter in (plant or {}).items():
        if name not in params and name not in inventory.plant_data:
            raise UnknownName(
                f"plant data names unknown parameter {name!r}; use a parameter of "
                "routes.yaml (see 'sinergi footprint plant-template')"
            )
        params[name] = parameter
    for name, value in values.items():
        if name in inventory.plant_data and name not in params:
            params[name] = Parameter(
                name, float(value), inventory.plant_data[name].unit_text(), None
            )
            continue
        if name not in params:
            raise UnknownName(
                f"cannot override unknown parameter {name!r}; known parameters "
                f"include {', '.join(sorted(params)[:12])}, …"
            )
        params[name] = Parameter(name, float(value), params[name].unit, None)
    return params


def _grid_processes(inventory: Inventory) -> list[ProcessSpec]:
    out = []
    for region in inventory.grid_regions:
        out.append(
            ProcessSpec(
                id=f"power.grid.{region}",
                name=Text(
                    en=f"Grid electricity, {region} (JCM factor)",
                    id=f"Listrik jaringan, {region} (faktor JCM)",
                ),
                stage=POWER_STAGE,
                products=[ProductSpec(id=f"power.grid.{region}", unit="MWh", amount="1")],
                emissions=[
                    EmissionSpec(flow="co2", unit="t", amount=f"grid_{region}_co2_t_per_mwh")
                ],
            )
        )
    return out


def network_processes(inventory: Inventory) -> list[ProcessSpec]:
    """Return every process a network is built from: the inventory's and one per grid."""
    return [*inventory.processes.values(), *_grid_processes(inventory)]


def _index_products(b: _Builder, processes: list[ProcessSpec]) -> None:
    for proc in processes:
        for prod in proc.products:
            if prod.id.startswith(f"{ELECTRICITY}@") or prod.id == ELECTRICITY:
                raise InventoryError(
                    f"process {proc.id!r}: product id {prod.id!r} is reserved "
                    "for electricity mixes; rename it"
                )
            if prod.id in b.products:
                raise InventoryError(
                    f"product {prod.id!r} of process {proc.id!r} is also made "
                    f"by {b.products[prod.id][0].id!r}; give one producer"
                )
            b.products[prod.id] = (proc, prod)


def _mix_for(b: _Builder, proc: ProcessSpec) -> Mapping[str, float]:
    mix = b.settings.mixes.get(proc.id) or b.settings.mixes.get("*") or proc.power_mix
    if mix is None:
        raise InventoryError(
            f"process {proc.id!r} uses electricity but has no power_mix; "
            "give `power_mix: {power.captive_coal: 1.0}` or similar"
        )
    total = sum(mix.values())
    if abs(total - 1.0) > _SHARE_TOLERANCE or any(v < 0 for v in mix.values()):
        raise InventoryError(
            f"power mix of process {proc.id!r} must have non-negative shares "
            f"summing to 1; got {dict(mix)} (sum {total:g})"
        )
    return mix


def _add_mix(b: _Builder, proc: ProcessSpec) -> str:
    column = f"{ELECTRICITY}@{proc.id}"
    label = Text(en=f"electricity mix of {proc.id}", id=f"bauran listrik {proc.id}")
    b.columns.append((column, column, POWER_STAGE, "MWh", label))
    for provider, share in _mix_for(b, proc).items():
        if provider not in b.products:
            raise MissingProvider(
                f"power mix of process {proc.id!r} names {provider!r}, which "
                f"no process produces; use one of "
                f"{sorted(p for p in b.products if p.startswith('power.'))}"
            )
        unit = b.products[provider][1].unit
        if unit != "MWh":
            raise UnitMismatch(
                f"power mix of process {proc.id!r}: provider {provider!r} makes {unit!r}, not MWh"
            )
        if share > 0:
            b.entries.append(
                Entry(
                    "technosphere",
                    provider,
                    column,
                    -share,
                    column,
                    f"share {share:g}",
                    (),
                    illustrative=False,
                )
            )
    return column


def _plant_gaps(b: _Builder, processes: list[ProcessSpec]) -> set[str]:
    """Return the processes that read plant-data parameters nobody supplied, and note them."""
    skipped = set()
    plant = b.inventory.plant_data
    for proc in processes:
        formulas = [p.amount for p in proc.products]
        formulas += [i.amount for i in proc.inputs] + [e.amount for e in proc.emissions]
        lacking = sorted(
            {
                n
                for f in formulas
                for n in formula_names(f)
                if n in plant and not plant[n].optional and n not in b.values
            }
        )
        if lacking:
            skipped.add(proc.id)
            for prod in proc.products:
                b.needs_plant[prod.id] = tuple(lacking)
    return skipped


def _left_out(b: _Builder, proc: ProcessSpec, spec: InputSpec | EmissionSpec, where: str) -> bool:
    """Return whether an exchange stays out of the matrices, noting what it leaves missing.

    An exchange that reads an ``optional`` plant parameter nobody gave is left out and its
    ``missing`` text listed; a generic exchange is left out when the plant gave the parameter
    of the exchange that replaces it (``replaced_by``).
    """
    plant = b.inventory.plant_data
    if spec.replaced_by is not None:
        if spec.replaced_by not in plant:
            raise InventoryError(
                f"{where}: replaced_by {spec.replaced_by!r} is not a plant_data parameter"
            )
        if spec.replaced_by in b.values:
            return True
    lacking = [n for n in formula_names(spec.amount) if n in plant and n not in b.values]
    if not lacking:
        return False
    if spec.missing is not None:
        b.left_missing.setdefault(proc.id, []).append(spec.missing)
    return True


def _refuse_plant_gap(b: _Builder, provider: str, where: str) -> None:
    if provider in b.needs_plant:
        names = ", ".join(b.needs_plant[provider])
        raise PlantDataRequired(
            f"{where}: {provider!r} is modelled bottom-up from the plant's own data, which "
            f"was not given ({names}); fill the template of 'sinergi footprint "
            "plant-template' and pass it with --plant-data, or choose the route that uses "
            "the published aggregate (e.g. --route hpal)"
        )


def _provider(b: _Builder, proc: ProcessSpec, index: int) -> str:
    spec = proc.inputs[index]
    if spec.choice is not None:
        choice = b.inventory.doc.choices.get(spec.choice)
        if choice is None:
            raise UnknownName(
                f"process {proc.id!r} input {index}: unknown choice "
                f"{spec.choice!r}; define it under `choices`"
            )
        picked = b.settings.choices.get(spec.choice, choice.default)
        if picked not in choice.options:
            raise UnknownName(f"choice {spec.choice!r} = {picked!r} is not one of {choice.options}")
        return picked
    return str(spec.product)


def _add_process(b: _Builder, proc: ProcessSpec) -> None:
    outputs = [b.amount(p.amount, f"process {proc.id!r} product {p.id!r}") for p in proc.products]
    _check_outputs(proc, outputs)
    if outputs[0] < 0:
        # a waste-treatment activity: its reference product is the waste it takes in
        b.production[proc.products[0].id] = -1.0
    if len(proc.products) == 1:
        shares = {proc.products[0].id: 1.0}
    else:
        record = allocate(proc, outputs, b.settings.allocation.get(proc.id, proc.allocation))
        b.allocations[proc.id] = record
        shares = record.factors
    uses_power = any(i.product == ELECTRICITY for i in proc.inputs)
    mix_column = _add_mix(b, proc) if uses_power else None
    amounts = dict(zip([p.id for p in proc.products], outputs, strict=True))
    for column, share in shares.items():
        prod = b.products[column][1]
        b.columns.append((column, proc.id, proc.stage, prod.unit, prod.label or proc.name))
        scale = share / abs(amounts[column])
        _add_inputs(b, proc, column, scale, mix_column)
        _add_emissions(b, proc, column, scale)
        if len(shares) == 1 and len(proc.products) > 1:
            _add_credits(b, proc, column, amounts[column])
    missing = [*proc.missing, *b.left_missing.get(proc.id, [])]
    if missing:
        b.missing[proc.id] = tuple(dict.fromkeys(missing))


def _check_outputs(proc: ProcessSpec, outputs: list[float]) -> None:
    """Refuse zero outputs, and negative ones except a single waste-treatment reference."""
    for index, (p, q) in enumerate(zip(proc.products, outputs, strict=True)):
        if q == 0 or (q < 0 and (index > 0 or len(proc.products) > 1)):
            raise InvalidReferenceOutput(
                f"process {proc.id!r}: output of product {p.id!r} is {q:g}; give a positive "
                "amount (only a single-product waste-treatment process may give its reference "
                "product, the waste it takes in, as a negative amount)"
            )


def _add_inputs(
    b: _Builder, proc: ProcessSpec, column: str, scale: float, mix_column: str | None
) -> None:
    for index, spec in enumerate(proc.inputs):
        where = f"process {proc.id!r} input {index} ({spec.product or spec.choice})"
        if _left_out(b, proc, spec, where):
            continue
        provider = mix_column if spec.product == ELECTRICITY else _provider(b, proc, index)
        if provider is not None:
            _refuse_plant_gap(b, provider, where)
        if provider is None or (provider not in b.products and provider != mix_column):
            raise MissingProvider(
                f"{where}: no process produces {provider!r}; add it or fix the product id"
            )
        unit = "MWh" if provider == mix_column else b.products[provider][1].unit
        if spec.unit != unit:
            raise UnitMismatch(
                f"{where}: exchange unit {spec.unit!r} differs from the "
                f"reference unit {unit!r} of {provider!r}; convert the amount"
            )
        amount = b.amount(spec.amount, where) * scale
        names = formula_names(spec.amount)
        low, high = b.bounds(spec.amount, scale)
        b.entries.append(
            Entry(
                "technosphere",
                provider,
                column,
                -amount,
                proc.id,
                spec.amount,
                tuple(sorted(names)),
                spec.illustrative or b.illustrative(names),
                None if high is None else -high,
                None if low is None else -low,
            )
        )


def _add_emissions(b: _Builder, proc: ProcessSpec, column: str, scale: float) -> None:
    flows = b.inventory.characterisation.flows
    method = b.inventory.characterisation.methods[b.method]
    for index, spec in enumerate(proc.emissions):
        where = f"process {proc.id!r} emission {index} ({spec.flow})"
        if _left_out(b, proc, spec, where):
            continue
        if spec.flow not in flows or spec.flow not in method.factors:
            raise MissingFactor(
                f"{where}: flow {spec.flow!r} has no characterisation factor "
                f"in method {b.method!r}; add it to "
                "characterisation.yaml (0 if the method ignores it)"
            )
        unit = flows[spec.flow].get("unit", "t")
        if spec.unit != unit:
            raise UnitMismatch(
                f"{where}: unit {spec.unit!r} differs from the flow's unit "
                f"{unit!r}; convert the amount"
            )
        amount = b.amount(spec.amount, where) * scale
        names = formula_names(spec.amount)
        low, high = b.bounds(spec.amount, scale)
        b.entries.append(
            Entry(
                "biosphere",
                spec.flow,
                column,
                amount,
                proc.id,
                spec.amount,
                tuple(sorted(names)),
                spec.illustrative or b.illustrative(names),
                low,
                high,
            )
        )


def _add_credits(b: _Builder, proc: ProcessSpec, column: str, reference: float) -> None:
    for prod in proc.products[1:]:
        target = str(prod.substitutes)
        if target not in b.products:
            raise MissingProvider(
                f"process {proc.id!r}: co-product {prod.id!r} substitutes "
                f"{target!r}, which no process produces"
            )
        if b.products[target][1].unit != prod.unit:
            raise UnitMismatch(
                f"process {proc.id!r}: co-product {prod.id!r} in {prod.unit!r} "
                f"cannot substitute {target!r} made in "
                f"{b.products[target][1].unit!r}"
            )
        amount = b.amount(prod.amount, f"process {proc.id!r} product {prod.id!r}") / reference
        names = formula_names(prod.amount)
        b.entries.append(
            Entry(
                "technosphere",
                target,
                column,
                amount,
                proc.id,
                prod.amount,
                tuple(sorted(names)),
                b.illustrative(names),
            )
        )


def _characterisation(
    inventory: Inventory, method: str, flows: list[str]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    methods = inventory.characterisation.methods
    if method not in methods:
        raise UnknownName(
            f"unknown characterisation method {method!r}; choose one of {sorted(methods)}"
        )
    factors = methods[method].factors
    values = np.array([factors[f].value for f in flows], dtype=np.float64)
    flags = np.array([factors[f].illustrative for f in flows], dtype=bool)
    return values, flags


def build_network(inventory: Inventory, settings: Settings | None = None) -> Network:
    """Build A, B and c for every process of an inventory under the given settings.

    Raises
    ------
    UnitMismatch, MissingProvider, MissingFactor, InvalidReferenceOutput, AllocationError,
    UnknownName, InventoryError
        Each naming the process id and the exchange or flow.
    """
    settings = settings or Settings()
    method = settings.method or inventory.characterisation.default
    methods = inventory.characterisation.methods
    if method not in methods:
        raise UnknownName(
            f"unknown characterisation method {method!r}; choose one of {sorted(methods)}"
        )
    params = effective_parameters(inventory, settings.values, settings.plant)
    b = _Builder(inventory, settings, params, {n: p.value for n, p in params.items()}, method)
    processes = network_processes(inventory)
    _index_products(b, processes)
    skipped = _plant_gaps(b, processes)
    processes = [p for p in processes if p.id not in skipped]
    for name in settings.choices:
        if name not in inventory.doc.choices:
            raise UnknownName(
                f"unknown choice {name!r}; choose one of {sorted(inventory.doc.choices)}"
            )
    for proc in processes:
        _add_process(b, proc)
    return assemble(
        inventory,
        method,
        b.columns,
        b.entries,
        allocations=b.allocations,
        missing=b.missing,
        parameters=params,
        production=b.production,
        process_names={p.id: p.name for p in processes},
        needs_plant=b.needs_plant,
    )


def assemble(
    inventory: Inventory,
    method: str,
    columns_meta: list[Column],
    entries: list[Entry],
    *,
    allocations: dict[str, Allocation],
    missing: dict[str, tuple[Text, ...]],
    parameters: dict[str, Parameter],
    production: Mapping[str, float] | None = None,
    process_names: Mapping[str, Text] | None = None,
    needs_plant: Mapping[str, tuple[str, ...]] | None = None,
) -> Network:
    """Assemble A (±1 on the diagonal), B and c from columns and placed entries.

    ``columns_meta`` holds ``(column id, process id, stage, unit, label)`` per column;
    ``production`` gives −1 for the columns of waste-treatment activities (default +1).
    """
    labels = [c[0] for c in columns_meta]
    columns = IdMapping(labels, what="product")
    flow_ids = sorted(inventory.characterisation.flows)
    flows = IdMapping(flow_ids, what="flow")
    cf, flags = _characterisation(inventory, method, flow_ids)
    n = len(labels)
    tech = [e for e in entries if e.matrix == "technosphere"]
    bio = [e for e in entries if e.matrix == "biosphere"]
    a = sp.csc_array(
        (
            np.concatenate([_diagonal(labels, production or {}), [e.amount for e in tech]]),
            (
                np.concatenate([np.arange(n), columns.index([e.row for e in tech])]),
                np.concatenate([np.arange(n), columns.index([e.column for e in tech])]),
            ),
        ),
        shape=(n, n),
    )
    a.sum_duplicates()
    bmat = sp.csc_array(
        (
            [e.amount for e in bio],
            (flows.index([e.row for e in bio]), columns.index([e.column for e in bio])),
        ),
        shape=(len(flow_ids), n),
    )
    bmat.sum_duplicates()
    return Network(
        technosphere=a,
        biosphere=bmat,
        characterization=cf,
        illustrative_factor=flags,
        columns=columns,
        flows=flows,
        column_process=tuple(c[1] for c in columns_meta),
        column_stage=tuple(c[2] for c in columns_meta),
        column_unit=tuple(c[3] for c in columns_meta),
        column_label=tuple(c[4] for c in columns_meta),
        entries=tuple(entries),
        allocations=allocations,
        missing=missing,
        parameters=parameters,
        method=method,
        process_names=dict(process_names or {}),
        stage_names=dict(inventory.doc.stages),
        needs_plant=dict(needs_plant or {}),
    )


def _diagonal(labels: list[str], production: Mapping[str, float]) -> npt.NDArray[np.float64]:
    return np.array([production.get(label, 1.0) for label in labels], dtype=np.float64)
