"""openLCA exchange: a footprint network as olca-schema JSON-LD entities, and back.

:func:`to_olca` turns a built :class:`~sinergi.footprint.network.Network` and one solved
result into the entities of an openLCA 2 JSON-LD package (olca-schema 2 names: ``isInput``,
``isQuantitativeReference``, ``isRefFlowProperty``, ``isRefUnit``, ``refProcess``): unit
groups and flow properties (mass and energy, with the units sinergi uses), one flow per
product and per elementary flow, one unit process per matrix column, the product system of the
asked product, the GWP100 impact method and the result. :func:`from_olca` reads unit processes
(and impact categories) from such entities into matrices A, B and c, with errors that name the
file and the exchange. Units are mapped explicitly (:data:`UNITS`); a unit outside the table is
refused, never guessed. The engine stays pure: packing and unpacking the zip is the CLI's.

Sign conventions: a process's reference product is an output of amount ``A[j, j]``; an input
``A[i, j] < 0`` is an input exchange of ``-A[i, j]`` with process ``i`` as default provider;
a positive off-diagonal entry (a credited co-product) is an avoided product; emissions are
outputs of elementary flows.

Examples
--------
>>> from sinergi.footprint.scenarios import FootprintModel
>>> model = FootprintModel()
>>> net = model.network(model.settings("hpal"))
>>> result = model.footprint("cam-nmc811", route="hpal")
>>> entities = to_olca(net, result)
>>> back = from_olca(entities)
>>> abs(back.score(result.column) - result.score) < 1e-12 * result.score
True
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from sinergi.errors import InventoryError
from sinergi.footprint.network import Network
from sinergi.footprint.results import FootprintResult

__all__ = ["UNITS", "OlcaSystem", "from_olca", "to_olca"]

#: sinergi unit -> (quantity, factor to the quantity's openLCA reference unit: kg or MJ).
UNITS: dict[str, tuple[str, float]] = {
    "kg": ("mass", 1.0),
    "t": ("mass", 1000.0),
    "MJ": ("energy", 1.0),
    "GJ": ("energy", 1000.0),
    "kWh": ("energy", 3.6),
    "MWh": ("energy", 3600.0),
}
#: quantity -> (flow property name, unit group name, reference unit).
_QUANTITIES = {
    "mass": ("Mass", "Units of mass", "kg"),
    "energy": ("Energy", "Units of energy", "MJ"),
}
#: Category of sinergi's elementary flows in openLCA's tree.
_EMISSIONS = "Elementary flows/Emission to air/unspecified"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/sinergi")


def _id(kind: str, key: str) -> str:
    """Return a stable UUID for one entity, so a re-export gives the same ids."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{key}"))


def _ref(kind: str, key: str, name: str) -> dict[str, Any]:
    return {"@type": kind, "@id": _id(kind, key), "name": name}


def _unit_entities() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for quantity, (prop, group, reference) in _QUANTITIES.items():
        units = [
            {
                "@type": "Unit",
                "@id": _id("Unit", unit),
                "name": unit,
                "conversionFactor": factor,
                "isRefUnit": unit == reference,
            }
            for unit, (q, factor) in UNITS.items()
            if q == quantity
        ]
        out[f"unit_groups/{_id('UnitGroup', quantity)}.json"] = {
            "@type": "UnitGroup",
            "@id": _id("UnitGroup", quantity),
            "name": group,
            "units": units,
            "defaultFlowProperty": _ref("FlowProperty", quantity, prop),
        }
        out[f"flow_properties/{_id('FlowProperty', quantity)}.json"] = {
            "@type": "FlowProperty",
            "@id": _id("FlowProperty", quantity),
            "name": prop,
            "flowPropertyType": "PHYSICAL_QUANTITY",
            "unitGroup": _ref("UnitGroup", quantity, group),
        }
    return out


def _quantity(unit: str, where: str) -> str:
    if unit not in UNITS:
        raise InventoryError(
            f"{where}: unit {unit!r} has no openLCA mapping; use one of {', '.join(UNITS)}"
        )
    return UNITS[unit][0]


def _flow(key: str, name: str, unit: str, flow_type: str, where: str) -> dict[str, Any]:
    quantity = _quantity(unit, where)
    flow: dict[str, Any] = {
        "@type": "Flow",
        "@id": _id("Flow", key),
        "name": name,
        "flowType": flow_type,
        "flowProperties": [
            {
                "@type": "FlowPropertyFactor",
                "flowProperty": _ref("FlowProperty", quantity, _QUANTITIES[quantity][0]),
                "conversionFactor": 1.0,
                "isRefFlowProperty": True,
            }
        ],
    }
    if flow_type == "ELEMENTARY_FLOW":
        flow["category"] = _EMISSIONS
    return flow


def _exchange(
    internal_id: int, flow: str, name: str, unit: str, amount: float, **flags: Any
) -> dict[str, Any]:
    quantity = UNITS[unit][0]
    out = {
        "@type": "Exchange",
        "internalId": internal_id,
        "flow": _ref("Flow", flow, name),
        "flowProperty": _ref("FlowProperty", quantity, _QUANTITIES[quantity][0]),
        "unit": _ref("Unit", unit, unit),
        "amount": amount,
        "isInput": False,
        "isQuantitativeReference": False,
    }
    out.update(flags)
    return out


def _inputs(net: Network, j: int) -> list[tuple[int, float]]:
    """Return column ``j``'s technosphere exchanges other than its reference, by row.

    Their order is the order of the process's exchanges after the reference (internal ids
    2, 3, …), which the product system's process links name.
    """
    col = net.technosphere[:, [j]].tocoo()
    return [
        (int(i), float(v))
        for i, v in sorted(zip(col.row, col.data, strict=True))
        if i != j and v != 0
    ]


def _process(net: Network, j: int, flow_units: Mapping[str, str]) -> dict[str, Any]:
    column = net.labels[j]
    name = f"{net.column_label[j].en} [{column}]"
    a = net.technosphere
    exchanges = [
        _exchange(
            1, column, column, net.column_unit[j], float(a[j, j]), isQuantitativeReference=True
        )
    ]
    for i, value in _inputs(net, j):
        row = net.labels[i]
        flags: dict[str, Any] = {"defaultProvider": _ref("Process", row, row)}
        if value < 0:
            flags["isInput"] = True
        else:
            flags["isAvoidedProduct"] = True
        exchanges.append(
            _exchange(len(exchanges) + 1, row, row, net.column_unit[i], float(abs(value)), **flags)
        )
    bio = net.biosphere[:, [j]].tocoo()
    for f, value in sorted(zip(bio.row, bio.data, strict=True)):
        flow = net.flow_labels[f]
        exchanges.append(
            _exchange(
                len(exchanges) + 1, f"elementary:{flow}", flow, flow_units[flow], float(value)
            )
        )
    return {
        "@type": "Process",
        "@id": _id("Process", column),
        "name": name,
        "processType": "UNIT_PROCESS",
        "description": f"sinergi column {column} (process {net.column_process[j]})",
        "exchanges": exchanges,
        "lastInternalId": len(exchanges),
    }


def to_olca(net: Network, result: FootprintResult) -> dict[str, dict[str, Any]]:
    """Return the JSON-LD entities of a network and one result, keyed by path in the zip.

    Raises
    ------
    InventoryError
        If a product or flow is in a unit without an openLCA mapping (:data:`UNITS`).
    """
    flow_units = dict.fromkeys(net.flow_labels, "t")  # every sinergi flow is in t of gas
    out = _unit_entities()
    for j, column in enumerate(net.labels):
        product = _flow(column, column, net.column_unit[j], "PRODUCT_FLOW", f"product {column!r}")
        out[f"flows/{product['@id']}.json"] = product
        process = _process(net, j, flow_units)
        out[f"processes/{process['@id']}.json"] = process
    for name in net.flow_labels:
        entity = _flow(f"elementary:{name}", name, "t", "ELEMENTARY_FLOW", f"flow {name!r}")
        out[f"flows/{entity['@id']}.json"] = entity
    out.update(_method(net))
    out.update(_system_and_result(net, result))
    return out


def _method(net: Network) -> dict[str, dict[str, Any]]:
    name = f"GWP100 ({net.method.upper()})"
    category = {
        "@type": "ImpactCategory",
        "@id": _id("ImpactCategory", net.method),
        "name": name,
        "refUnit": "t CO2e",
        "impactFactors": [
            {
                "@type": "ImpactFactor",
                "flow": _ref("Flow", f"elementary:{flow}", flow),
                "flowProperty": _ref("FlowProperty", "mass", "Mass"),
                "unit": _ref("Unit", "t", "t"),
                "value": float(net.characterization[f]),
            }
            for f, flow in enumerate(net.flow_labels)
        ],
    }
    method = {
        "@type": "ImpactMethod",
        "@id": _id("ImpactMethod", net.method),
        "name": name,
        "impactCategories": [_ref("ImpactCategory", net.method, name)],
    }
    return {
        f"lcia_categories/{category['@id']}.json": category,
        f"lcia_methods/{method['@id']}.json": method,
    }


def _system_and_result(net: Network, result: FootprintResult) -> dict[str, dict[str, Any]]:
    j = int(net.columns.index([result.column])[0])
    key = f"{result.product}:{result.route}:{result.scenario}"
    links = [
        {
            "@type": "ProcessLink",
            "provider": _ref("Process", net.labels[i], net.labels[i]),
            "flow": _ref("Flow", net.labels[i], net.labels[i]),
            "process": _ref("Process", net.labels[k], net.labels[k]),
            # the taking process's exchange (reference first, then its inputs in row order)
            "exchange": {"@type": "Exchange", "internalId": n},
        }
        for k in range(len(net.labels))
        for n, (i, _) in enumerate(_inputs(net, k), start=2)
    ]
    system = {
        "@type": "ProductSystem",
        "@id": _id("ProductSystem", key),
        "name": f"{result.functional_unit.en} ({result.route or 'default route'})",
        "refProcess": _ref("Process", result.column, result.column),
        "refExchange": {"@type": "Exchange", "internalId": 1},
        "targetAmount": result.amount,
        "targetUnit": _ref("Unit", net.column_unit[j], net.column_unit[j]),
        "targetFlowProperty": _ref(
            "FlowProperty",
            UNITS[net.column_unit[j]][0],
            _QUANTITIES[UNITS[net.column_unit[j]][0]][0],
        ),
        "processes": [_ref("Process", c, c) for c in net.labels],
        "processLinks": links,
    }
    inventory = result.by_gas
    outcome = {
        "@type": "Result",
        "@id": _id("Result", key),
        "name": f"sinergi result: {result.product}",
        "productSystem": _ref("ProductSystem", key, str(system["name"])),
        "impactMethod": _ref("ImpactMethod", net.method, f"GWP100 ({net.method.upper()})"),
        "impactResults": [
            {
                "@type": "ImpactResult",
                "indicator": _ref("ImpactCategory", net.method, f"GWP100 ({net.method.upper()})"),
                "amount": result.score,
            }
        ],
        "flowResults": [
            {
                "@type": "FlowResult",
                "flow": _ref("Flow", f"elementary:{flow}", flow),
                "isInput": False,
                "amount": value / float(net.characterization[int(net.flows.index([flow])[0])]),
            }
            for flow, value in inventory.items()
            if net.characterization[int(net.flows.index([flow])[0])]
        ],
    }
    return {
        f"product_systems/{system['@id']}.json": system,
        f"results/{outcome['@id']}.json": outcome,
    }


@dataclass(frozen=True)
class OlcaSystem:
    """Unit processes read from olca-schema entities, as matrices.

    ``products`` are the reference flows' ids (one column each, in ``columns`` order, named by
    the exported sinergi column where the process description gives it), ``flows`` the
    elementary flows' names.
    """

    technosphere: sp.csc_array
    biosphere: sp.csc_array
    characterization: npt.NDArray[np.float64]
    columns: tuple[str, ...]
    flows: tuple[str, ...]

    def score(self, column: str, amount: float = 1.0) -> float:
        """Return the characterised score of ``amount`` of one column's product."""
        j = self.columns.index(column)
        demand = np.zeros(len(self.columns))
        demand[j] = amount * np.sign(self.technosphere[j, j])
        supply = spla.spsolve(sp.csc_matrix(self.technosphere), demand)
        return float(self.characterization @ (self.biosphere @ np.asarray(supply)))


def _index(
    entities: Mapping[str, dict[str, Any]], kind: str
) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        str(e.get("@id")): (path, e)
        for path, e in entities.items()
        if isinstance(e, dict) and e.get("@type") == kind
    }


class _Units:
    """Conversion of exchange amounts between the package's units (explicit, never guessed)."""

    def __init__(self, entities: Mapping[str, dict[str, Any]]) -> None:
        self.factor: dict[str, float] = {name: f for name, (_, f) in UNITS.items()}
        for _, group in _index(entities, "UnitGroup").values():
            for u in group.get("units", []):
                self.factor[str(u.get("@id"))] = float(u.get("conversionFactor", 1.0))

    def key(self, exchange: dict[str, Any], where: str) -> str:
        """Return the key of an exchange's unit (its id, else its name in :data:`UNITS`)."""
        unit = exchange.get("unit") or {}
        uid, name = str(unit.get("@id")), unit.get("name")
        if uid in self.factor:
            return uid
        if name in UNITS:
            return str(name)
        raise InventoryError(
            f"{where}: unit {name or uid!r} is in no unit group of the package and not one of "
            f"{', '.join(UNITS)}; add its unit group or convert the amount"
        )

    def ratio(self, source: str, target: str) -> float:
        """Return the factor from ``source`` to ``target`` units (exactly 1 when the same)."""
        return 1.0 if source == target else self.factor[source] / self.factor[target]


def from_olca(entities: Mapping[str, dict[str, Any]]) -> OlcaSystem:
    """Read the unit processes and the first impact category of a JSON-LD package.

    Amounts are converted to the unit of each product's reference exchange (and emissions to
    the unit of their characterisation factor) through the package's unit groups or
    :data:`UNITS`. Every product input must name a flow that some process of the package
    makes (its quantitative reference).

    Raises
    ------
    InventoryError
        Naming the file (``processes/<id>.json``), the exchange's internal id and the fix.
    """
    units = _Units(entities)
    processes = sorted(_index(entities, "Process").values())
    if not processes:
        raise InventoryError("the package holds no process (processes/*.json); export one")
    refs = _reference_products(processes, units)
    flows = _index(entities, "Flow")
    factors = _factors(entities, units)
    tech: list[tuple[int, int, float]] = []
    bio: list[tuple[str, int, float]] = []
    for j, (path, proc) in enumerate(processes):
        for e in proc.get("exchanges", []):
            if e.get("isQuantitativeReference"):
                continue
            where = f"{path}, exchange {e.get('internalId')}"
            fid = str((e.get("flow") or {}).get("@id"))
            if fid not in flows:
                raise InventoryError(f"{where}: flow {fid} is not in the package's flows/")
            unit = units.key(e, where)
            amount = float(e.get("amount", 0.0))
            name = str(flows[fid][1].get("name"))
            if flows[fid][1].get("flowType") == "ELEMENTARY_FLOW":
                target = factors.get(name, (0.0, unit))[1]
                bio.append((name, j, amount * units.ratio(unit, target)))
                continue
            if fid not in refs.makes:
                raise InventoryError(
                    f"{where}: no process of the package makes flow {fid}; add its provider"
                )
            i = refs.makes[fid]
            sign = -1.0 if e.get("isInput") else 1.0
            tech.append((i, j, sign * amount * units.ratio(unit, refs.units[i])))
    return _assemble(refs, tech, bio, factors)


@dataclass(frozen=True)
class _References:
    columns: tuple[str, ...]
    makes: dict[str, int]
    units: list[str]
    amounts: list[float]


def _reference_products(processes: list[tuple[str, dict[str, Any]]], units: _Units) -> _References:
    columns: list[str] = []
    makes: dict[str, int] = {}
    keys: list[str] = []
    amounts: list[float] = []
    for j, (path, proc) in enumerate(processes):
        refs = [e for e in proc.get("exchanges", []) if e.get("isQuantitativeReference")]
        if len(refs) != 1:
            raise InventoryError(
                f"{path}: {len(refs)} exchanges are the quantitative reference; mark exactly one"
            )
        where = f"{path}, exchange {refs[0].get('internalId')}"
        fid = str((refs[0].get("flow") or {}).get("@id"))
        if fid in makes:
            raise InventoryError(f"{path}: flow {fid} is made by two processes; keep one")
        amount = float(refs[0].get("amount", 0.0))
        if amount == 0:
            raise InventoryError(f"{where}: the reference amount is 0; give the amount made")
        makes[fid] = j
        keys.append(units.key(refs[0], where))
        amounts.append(amount)
        described = str(proc.get("description", ""))
        columns.append(described.split()[2] if described.startswith("sinergi column ") else fid)
    return _References(tuple(columns), makes, keys, amounts)


def _factors(entities: Mapping[str, dict[str, Any]], units: _Units) -> dict[str, tuple[float, str]]:
    """Return the first impact category's factors by flow name, with their unit keys."""
    categories = _index(entities, "ImpactCategory")
    if not categories:
        return {}
    path, category = sorted(categories.values())[0]
    out = {}
    for k, factor in enumerate(category.get("impactFactors", [])):
        name = str((factor.get("flow") or {}).get("name"))
        unit = units.key(factor, f"{path}, impact factor {k + 1}")
        out[name] = (float(factor.get("value", 0.0)), unit)
    return out


def _assemble(
    refs: _References,
    tech: list[tuple[int, int, float]],
    bio: list[tuple[str, int, float]],
    factors: Mapping[str, tuple[float, str]],
) -> OlcaSystem:
    n = len(refs.columns)
    rows = [t[0] for t in tech] + list(range(n))
    cols = [t[1] for t in tech] + list(range(n))
    a = sp.csc_array(([t[2] for t in tech] + refs.amounts, (rows, cols)), shape=(n, n))
    flow_names = tuple(sorted({x[0] for x in bio} | set(factors)))
    position = {name: k for k, name in enumerate(flow_names)}
    b = sp.csc_array(
        ([x[2] for x in bio], ([position[x[0]] for x in bio], [x[1] for x in bio])),
        shape=(len(flow_names), n),
    )
    c = np.array([factors.get(name, (0.0, ""))[0] for name in flow_names], dtype=np.float64)
    return OlcaSystem(a, b, c, refs.columns, flow_names)
