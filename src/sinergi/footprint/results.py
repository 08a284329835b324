"""Footprint results: score, provenance and contributions by process, stage, gas and scope.

All breakdowns come from one solve: the supply ``s``, the adjoint unit scores ``y`` (kept by
:class:`~sinergi.footprint.lca.system.LcaSystem`) and B. Power-supply columns (stage ``power``)
are attributed to the processes that draw the electricity, so the stage breakdown sums to
the total. Everything is returned as plain dicts for JSON, tables and Sankey diagrams.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from sinergi.footprint.lca.system import LcaSystem
from sinergi.footprint.network import POWER_STAGE, Network

#: Contributions smaller than this (t CO2e per functional unit) are left out of listings.
_NEGLIGIBLE = 1e-12
#: Relative size above which the power left unattributed is listed as its own stage.
_RELATIVE_REST = 1e-9


@dataclass(frozen=True)
class FootprintResult:
    """The footprint of one functional unit of a product, with its provenance.

    Attributes
    ----------
    product, column, unit
        Product name asked for, its matrix column and its reference unit.
    amount
        Functional-unit amount (in ``unit``).
    score
        t CO2e for ``amount`` of the product (GWP100 of ``method``).
    illustrative_share
        Share of ``score`` emitted by exchanges whose amount or factor is illustrative.
    illustrative_inputs
        Technosphere exchanges on the supply chain whose amount is illustrative.
    missing
        Exchanges known to exist but absent (no data), by process: ``score`` is a lower bound
        whenever this is not empty.
    """

    product: str
    column: str
    unit: str
    amount: float
    score: float
    method: str
    route: str | None
    scenario: str | None
    illustrative_share: float
    illustrative_inputs: list[str]
    missing: dict[str, list[str]]
    allocations: dict[str, dict[str, Any]]
    by_process: dict[str, float]
    by_stage: dict[str, float]
    by_gas: dict[str, float]
    by_scope: dict[str, float]
    sankey: dict[str, list[dict[str, Any]]]
    parameters: dict[str, dict[str, Any]]
    solver: str
    monte_carlo: dict[str, Any] | None = field(default=None)

    @property
    def complete(self) -> bool:
        """Return whether no exchange on the supply chain is known to be missing."""
        return not self.missing

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "product": self.product,
            "column": self.column,
            "functional_unit": f"{self.amount:g} {self.unit}",
            "score_t_co2e": self.score,
            "method": self.method,
            "route": self.route,
            "scenario": self.scenario,
            "complete": self.complete,
            "lower_bound": not self.complete,
            "illustrative_share": self.illustrative_share,
            "illustrative_inputs": self.illustrative_inputs,
            "missing": self.missing,
            "allocations": self.allocations,
            "contributions": {
                "by_process": self.by_process,
                "by_stage": self.by_stage,
                "by_gas": self.by_gas,
                "by_scope": self.by_scope,
            },
            "sankey": self.sankey,
            "parameters": self.parameters,
            "solver": self.solver,
            "monte_carlo": self.monte_carlo,
        }


def _add(out: dict[str, float], key: str, value: float) -> None:
    if abs(value) > _NEGLIGIBLE:
        out[key] = out.get(key, 0.0) + value


def by_process(net: Network, direct: npt.NDArray[np.float64]) -> dict[str, float]:
    """Return each process's direct emissions (co-product columns summed per process)."""
    out: dict[str, float] = {}
    for j, value in enumerate(direct):
        _add(out, net.column_process[j], float(value))
    return dict(sorted(out.items(), key=lambda kv: -abs(kv[1])))


def _power_drawn(
    net: Network, supply: npt.NDArray[np.float64], unit_scores: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Return, per column, the upstream score of the power it draws (power columns: 0)."""
    power = np.array([s == POWER_STAGE for s in net.column_stage])
    coo = net.technosphere.tocoo()
    keep = power[coo.row] & ~power[coo.col] & (coo.row != coo.col)
    out = np.zeros(len(supply))
    np.add.at(
        out, coo.col[keep], -coo.data[keep] * supply[coo.col[keep]] * unit_scores[coo.row[keep]]
    )
    return out


def by_stage(
    net: Network,
    direct: npt.NDArray[np.float64],
    supply: npt.NDArray[np.float64],
    unit_scores: npt.NDArray[np.float64],
    total: float,
) -> dict[str, float]:
    """Return the score by life-cycle stage, with power attributed to its consumers.

    Power that no other stage draws (when the product itself is electricity) stays under
    ``power``, so the stages always sum to the total.
    """
    drawn = _power_drawn(net, supply, unit_scores)
    out: dict[str, float] = {}
    for j, stage in enumerate(net.column_stage):
        if stage != POWER_STAGE:
            _add(out, stage, float(direct[j] + drawn[j]))
    rest = total - sum(out.values())
    if abs(rest) > _RELATIVE_REST * max(1.0, abs(total)):
        out[POWER_STAGE] = rest
    return out


def by_gas(net: Network, inventory: npt.NDArray[np.float64]) -> dict[str, float]:
    """Return the score by elementary flow (gas)."""
    out: dict[str, float] = {}
    for f, flow in enumerate(net.flow_labels):
        _add(out, flow, float(inventory[f] * net.characterization[f]))
    return out


def by_scope(
    net: Network,
    column: int,
    direct: npt.NDArray[np.float64],
    supply: npt.NDArray[np.float64],
    unit_scores: npt.NDArray[np.float64],
    total: float,
) -> dict[str, float]:
    """Return scope 1/2/3 from the view of the company running the product's process.

    Scope 1 is the direct emission of the product's own process, scope 2 the emissions of
    the electricity it draws, scope 3 everything else upstream.
    """
    process = net.column_process[column]
    own = [j for j, p in enumerate(net.column_process) if p == process]
    drawn = _power_drawn(net, supply, unit_scores)
    scope1 = float(sum(direct[j] for j in own))
    scope2 = float(sum(drawn[j] for j in own))
    return {"scope1": scope1, "scope2": scope2, "scope3": total - scope1 - scope2}


def sankey(
    net: Network, supply: npt.NDArray[np.float64], unit_scores: npt.NDArray[np.float64]
) -> dict[str, list[dict[str, Any]]]:
    """Return Sankey nodes (columns with supply) and links (physical flow, carried CO2e)."""
    active = np.abs(supply) > _NEGLIGIBLE
    nodes = [
        {
            "id": net.labels[j],
            "label": net.column_label[j],
            "process": net.column_process[j],
            "stage": net.column_stage[j],
            "supply": float(supply[j]),
            "unit": net.column_unit[j],
        }
        for j in np.flatnonzero(active)
    ]
    coo = net.technosphere.tocoo()
    production = net.technosphere.diagonal()
    links = []
    for i, j, v in zip(coo.row, coo.col, coo.data, strict=True):
        if i == j or not active[j] or v == 0:
            continue
        amount = float(-v * production[i] * supply[j])
        links.append(
            {
                "source": net.labels[i],
                "target": net.labels[j],
                "amount": amount,
                "unit": net.column_unit[i],
                "co2e_t": float(amount * production[i] * unit_scores[i]),
                # an entry of the row's own production sign is an output (a credited
                # co-product); of the opposite sign an input (waste sent to treatment too)
                "avoided": bool(v * production[i] > 0),
            }
        )
    return {"nodes": nodes, "links": links}


def provenance(
    net: Network, supply: npt.NDArray[np.float64]
) -> tuple[list[str], dict[str, list[str]], dict[str, dict[str, Any]]]:
    """Return illustrative inputs, missing exchanges and parameters used on the chain."""
    active = {net.labels[j] for j in np.flatnonzero(np.abs(supply) > _NEGLIGIBLE)}
    used: set[str] = set()
    inputs: list[str] = []
    processes: set[str] = set()
    for e in net.entries:
        if e.column not in active:
            continue
        processes.add(e.process)
        used.update(e.parameters)
        if e.matrix == "technosphere" and e.illustrative:
            inputs.append(f"{e.process} <- {e.row}: {e.formula}")
    processes.update(net.column_process[int(net.columns.index([c])[0])] for c in active)
    missing = {p: list(net.missing[p]) for p in sorted(processes) if p in net.missing}
    params = {
        name: {
            "value": p.value,
            "unit": p.unit,
            "source": p.source,
            "year": p.year,
            "status": p.status,
            "illustrative": p.illustrative,
            "user": p.user,
        }
        for name, p in sorted(net.parameters.items())
        if name in used
    }
    return sorted(set(inputs)), missing, params


def footprint_result(
    net: Network,
    system: LcaSystem,
    product: str,
    column: str,
    amount: float = 1.0,
    *,
    route: str | None = None,
    scenario: str | None = None,
) -> FootprintResult:
    """Solve one product's footprint on a built network and its (shared) LCA system."""
    j = int(net.columns.index([column])[0])
    solved = system.solve(net.demand(column, amount))
    supply = solved.supply[:, 0]
    total = float(solved.scores[0])
    unit_scores = system.unit_scores()
    direct = np.asarray(system.biosphere.T @ system.factors) * supply
    illustrative = float(net.characterization @ (net.illustrative_mask() @ supply))
    inputs, missing, params = provenance(net, supply)
    active = {net.labels[i] for i in np.flatnonzero(np.abs(supply) > _NEGLIGIBLE)}
    return FootprintResult(
        product=product,
        column=column,
        unit=net.column_unit[j],
        amount=amount,
        score=total,
        method=net.method,
        route=route,
        scenario=scenario,
        illustrative_share=illustrative / total if total else 0.0,
        illustrative_inputs=inputs,
        missing=missing,
        allocations={
            k: {"method": a.method, "factors": a.factors, "basis": a.basis}
            for k, a in net.allocations.items()
            if active & set(a.factors)
        },
        by_process=by_process(net, direct),
        by_stage=by_stage(net, direct, supply, unit_scores, total),
        by_gas=by_gas(net, solved.inventory[:, 0]),
        by_scope=by_scope(net, j, direct, supply, unit_scores, total),
        sankey=sankey(net, supply, unit_scores),
        parameters=params,
        solver=system.solver,
    )
