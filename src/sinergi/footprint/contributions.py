"""Contributions of one solved footprint: by process, stage, gas and scope, and Sankey data.

All breakdowns come from one solve: the supply ``s``, the adjoint unit scores ``y`` (kept by
:class:`~sinergi.footprint.lca.system.LcaSystem`) and B. Power-supply columns (stage ``power``)
are attributed to the processes that draw the electricity, so the stage breakdown sums to the
total. :func:`pass_through` finds the processes that add nothing because their own exchanges
are missing, which is why two products can show the same total.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from sinergi.footprint.network import POWER_STAGE, Network

#: Contributions smaller than this (t CO2e per functional unit) are left out of listings.
NEGLIGIBLE = 1e-12
#: Relative size above which the power left unattributed is listed as its own stage.
_RELATIVE_REST = 1e-9


def _add(out: dict[str, float], key: str, value: float) -> None:
    if abs(value) > NEGLIGIBLE:
        out[key] = out.get(key, 0.0) + value


def by_process(net: Network, direct: npt.NDArray[np.float64]) -> dict[str, float]:
    """Return each process's direct emissions (co-product columns summed per process)."""
    out: dict[str, float] = {}
    for j, value in enumerate(direct):
        _add(out, net.column_process[j], float(value))
    return dict(sorted(out.items(), key=lambda kv: -abs(kv[1])))


def power_drawn(
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
    drawn = power_drawn(net, supply, unit_scores)
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
    drawn = power_drawn(net, supply, unit_scores)
    scope1 = float(sum(direct[j] for j in own))
    scope2 = float(sum(drawn[j] for j in own))
    return {"scope1": scope1, "scope2": scope2, "scope3": total - scope1 - scope2}


def sankey(
    net: Network, supply: npt.NDArray[np.float64], unit_scores: npt.NDArray[np.float64]
) -> dict[str, list[dict[str, Any]]]:
    """Return Sankey nodes (columns with supply) and links (physical flow, carried CO2e)."""
    active = np.abs(supply) > NEGLIGIBLE
    nodes = [
        {
            "id": net.labels[j],
            "label": net.column_label[j].model_dump(),
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


def pass_through(
    net: Network,
    supply: npt.NDArray[np.float64],
    direct: npt.NDArray[np.float64],
    drawn: npt.NDArray[np.float64],
) -> list[str]:
    """Return the processes on the chain that add nothing and have missing exchanges.

    Such a process passes its inputs' footprint on unchanged: its own emissions and power are
    the very exchanges the data lacks. A product made by it then shows the same total as its
    feed (NiSO4 via matte equals matte equals NPI), which a result must say, not hide.
    """
    own: dict[str, float] = {}
    for j in np.flatnonzero(np.abs(supply) > NEGLIGIBLE):
        process = net.column_process[j]
        if net.column_stage[j] == POWER_STAGE:
            continue
        own[process] = own.get(process, 0.0) + abs(float(direct[j])) + abs(float(drawn[j]))
    return sorted(p for p, value in own.items() if value <= NEGLIGIBLE and p in net.missing)
