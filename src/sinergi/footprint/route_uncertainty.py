"""Monte Carlo over the published ranges of route parameters, reusing :class:`MonteCarlo`.

An exchange whose formula reads parameters with a ``low``/``high`` range gets a triangular
distribution: mode at its nominal amount, bounds at the smallest and largest amount over the
corners of those ranges. Entries are drawn independently, so two exchanges that read the same
parameter are not correlated (a known simplification), and entries that several exchanges
add up to keep their nominal value.

Examples
--------
>>> from sinergi.footprint.scenarios import FootprintModel
>>> mc = route_monte_carlo(FootprintModel(), "npi", iterations=20, seed=1)
>>> mc["iterations"], mc["uncertain_entries"] > 0
(20, True)
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from sinergi.footprint.network import Entry, Network
from sinergi.footprint.scenarios import FootprintModel
from sinergi.footprint.uncertainty import Distribution, MonteCarlo, Uncertainty


def _spec(net: Network, entries: list[Entry], matrix: str) -> Uncertainty | None:
    counts = Counter((e.row, e.column) for e in net.entries if e.matrix == matrix)
    rows = net.columns if matrix == "technosphere" else net.flows
    chosen = [
        e
        for e in entries
        if e.matrix == matrix
        and counts[(e.row, e.column)] == 1
        and e.low is not None
        and e.high is not None
        and e.high > e.low
    ]
    if not chosen:
        return None
    low = np.array([min(float(e.low or 0.0), e.amount) for e in chosen])
    high = np.array([max(float(e.high or 0.0), e.amount) for e in chosen])
    return Uncertainty.of(
        matrix,
        rows.index([e.row for e in chosen]),
        net.columns.index([e.column for e in chosen]),
        np.full(len(chosen), int(Distribution.TRIANGULAR)),
        [e.amount for e in chosen],
        minimum=low,
        maximum=high,
    )


def route_monte_carlo(
    model: FootprintModel,
    product: str,
    *,
    iterations: int,
    seed: int,
    route: str | None = None,
    scenario: str | None = None,
) -> dict[str, Any]:
    """Run a seeded Monte Carlo of one product's footprint over the parameter ranges."""
    net = model.network(model.settings(route, scenario))
    column = model.inventory.product_column(product)
    demand = np.zeros(len(net.labels))
    demand[int(net.columns.index([column])[0])] = 1.0
    specs = [
        s
        for s in (
            _spec(net, list(net.entries), "technosphere"),
            _spec(net, list(net.entries), "biosphere"),
        )
        if s is not None
    ]
    n_uncertain = sum(len(s.rows) for s in specs)
    if not specs:
        return {"iterations": iterations, "seed": seed, "uncertain_entries": 0}
    mc = MonteCarlo(
        net.technosphere,
        net.biosphere,
        net.characterization,
        demand,
        uncertainty=specs,
        seed=seed,
        labels=net.labels,
        flow_labels=net.flow_labels,
    )
    result = mc.run(iterations)
    return {
        "iterations": iterations,
        "seed": seed,
        "uncertain_entries": n_uncertain,
        "mean": result.mean,
        "std": result.std,
        "percentiles": {str(k): v for k, v in result.percentiles.items()},
        "distribution": "triangular over published parameter ranges, entries independent",
    }
