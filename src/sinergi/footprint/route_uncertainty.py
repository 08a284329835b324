"""Monte Carlo of a route footprint over the published ranges of its parameters.

By parameter (the default): each parameter with a published ``low``/``high`` range that
changes the product's score (tried at both ends), and not fixed by the scenario or the user
(``--set``), is drawn once per iteration from a triangular
distribution (mode at its value, bounds at the range, widened to include the value), and the
network is rebuilt from the drawn values. Every exchange that reads a parameter moves with it,
allocation shares and credits follow, and each draw is a footprint the deterministic model
would give for those values (a test checks this). Draw ``i`` uses
``SeedSequence(seed, spawn_key=(i,))`` like the engine's :class:`MonteCarlo`, parameters in
name order. The result names the drawn parameters, flags the illustrative ones (value and
range), and ranks them by the Spearman rank correlation of their draws with the score (which input
drives the spread).

By exchange (``by="exchanges"``): the earlier model, kept for comparison. Each matrix entry
whose formula reads ranged parameters gets its own triangular distribution (bounds over the
corners of those ranges) and entries are drawn independently by the engine's
:class:`MonteCarlo`: two exchanges that read the same parameter are not correlated, which
understates or overstates the spread, and entries that several exchanges add up stay nominal.

Examples
--------
>>> from sinergi.footprint.scenarios import FootprintModel
>>> mc = route_monte_carlo(FootprintModel(), "npi", iterations=20, seed=1)
>>> mc["iterations"], len(mc["uncertain_parameters"]) > 0
(20, True)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from sinergi.footprint.inventory import Parameter
from sinergi.footprint.lca import (
    Distribution,
    ExecutionBackend,
    MonteCarlo,
    MonteCarloResult,
    Uncertainty,
    lca,
)
from sinergi.footprint.network import Entry, Network, Settings, build_network
from sinergi.footprint.scenarios import FootprintModel

Draw = Literal["parameters", "exchanges"]
#: A progress callback: ``progress(done, total)``.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ParameterDraws:
    """The parameters drawn, their values per draw and the score of each draw."""

    parameters: tuple[Parameter, ...]
    values: np.ndarray  # (iterations, len(parameters))
    scores: np.ndarray  # (iterations,)

    @property
    def names(self) -> tuple[str, ...]:
        """Return the drawn parameters' names, in draw order."""
        return tuple(p.name for p in self.parameters)


def ranged_parameters(net: Network) -> list[Parameter]:
    """Return the parameters a by-parameter run draws, in name order.

    Those with a published range that neither the scenario nor the user fixed.
    """
    return [
        p
        for _, p in sorted(net.parameters.items())
        if p.low is not None and p.high is not None and p.high > p.low and not p.user
    ]


def draw_parameters(params: list[Parameter], seed: int, i: int) -> dict[str, float]:
    """Return draw ``i``'s parameter values (triangular, mode at each value)."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))
    low = np.array([min(float(p.low or 0.0), p.value) for p in params])
    high = np.array([max(float(p.high or 0.0), p.value) for p in params])
    mode = np.array([p.value for p in params])
    values = rng.triangular(low, mode, high)
    return {p.name: float(v) for p, v in zip(params, values, strict=True)}


def _score(model: FootprintModel, column: str, settings: Settings) -> float:
    net = build_network(model.inventory, settings)
    result = lca(
        net.technosphere,
        net.biosphere,
        net.characterization,
        net.demand(column),
        labels=net.labels,
        flow_labels=net.flow_labels,
    )
    return float(result.scores[0])


def relevant_parameters(model: FootprintModel, product: str, settings: Settings) -> list[Parameter]:
    """Return the ranged parameters whose low or high end changes this product's score.

    The inventory's parameters cover every route; drawing those the product does not read
    would add nothing but chance correlations to the sensitivity ranking.
    """
    column = model.inventory.product_column(product)
    nominal = _score(model, column, settings)
    return [
        p
        for p in ranged_parameters(model.network(settings))
        if any(
            _score(model, column, settings.merged(Settings(values={p.name: end}))) != nominal
            for end in (p.low, p.high)
            if end is not None
        )
    ]


def parameter_draws(
    model: FootprintModel,
    product: str,
    settings: Settings,
    *,
    iterations: int,
    seed: int,
    progress: Progress | None = None,
) -> ParameterDraws:
    """Run the by-parameter Monte Carlo and return every draw (see the module docstring).

    ``progress(done, total)`` is called after each draw (the CLI draws a progress bar with it).
    """
    column = model.inventory.product_column(product)
    params = relevant_parameters(model, product, settings)
    values = np.empty((iterations, len(params)))
    scores = np.empty(iterations)
    for i in range(iterations):
        drawn = draw_parameters(params, seed, i)
        values[i] = list(drawn.values())
        scores[i] = _score(model, column, settings.merged(Settings(values=drawn)))
        if progress is not None:
            progress(i + 1, iterations)
    return ParameterDraws(tuple(params), values, scores)


def _sensitivity(draws: ParameterDraws) -> dict[str, float]:
    """Spearman rank correlation of each parameter's draws with the score, largest first."""
    if len(draws.scores) < 3 or np.ptp(draws.scores) == 0:
        return {}
    from scipy.stats import spearmanr  # here: scipy.stats costs every command a second

    rho = {}
    for k, name in enumerate(draws.names):
        column = draws.values[:, k]
        if np.ptp(column) > 0:
            rho[name] = float(spearmanr(column, draws.scores).statistic)
    return dict(sorted(rho.items(), key=lambda kv: -abs(kv[1])))


#: Bins of the score histogram a Monte Carlo result carries (for drawing the distribution).
HISTOGRAM_BINS = 30


def histogram(scores: np.ndarray, bins: int = HISTOGRAM_BINS) -> dict[str, list[float] | list[int]]:
    """Return the draws counted in ``bins`` equal bins: ``edges`` (bins + 1) and ``counts``.

    The result is JSON-ready, so a job's stored result can be drawn without the draws.

    >>> histogram(np.array([1.0, 2.0, 2.0, 3.0]), bins=2)
    {'edges': [1.0, 2.0, 3.0], 'counts': [1, 3]}
    """
    counts, edges = np.histogram(scores, bins=bins)
    return {"edges": [float(e) for e in edges], "counts": [int(c) for c in counts]}


def _summary(scores: np.ndarray, iterations: int, seed: int) -> dict[str, Any]:
    result = MonteCarloResult(scores=scores, seed=seed, backend=ExecutionBackend.SERIAL)
    return {
        "iterations": iterations,
        "seed": seed,
        "mean": result.mean,
        "std": result.std,
        "percentiles": {str(q): v for q, v in result.percentiles.items()},
        "relative_standard_error": result.relative_standard_error,
        "histogram": histogram(scores),
    }


def route_monte_carlo(
    model: FootprintModel,
    product: str,
    *,
    iterations: int,
    seed: int,
    route: str | None = None,
    scenario: str | None = None,
    overrides: Settings | None = None,
    by: Draw = "parameters",
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run a seeded Monte Carlo of one product's footprint over the parameter ranges.

    Parameters
    ----------
    model
        The footprint model (inventory and characterisation method).
    product
        Product name, as for :meth:`FootprintModel.footprint`.
    iterations, seed
        Number of draws and root seed.
    route, scenario, overrides
        As for :meth:`FootprintModel.footprint`; parameters they fix are not drawn.
    by
        ``parameters`` (default: each parameter drawn once per iteration) or ``exchanges``
        (each matrix entry drawn independently; see the module docstring).
    progress
        Called as ``progress(done, total)`` while draws run: a plain callback, so the engine
        stays free of any display library.

    Returns
    -------
    dict
        ``mean``, ``std``, ``percentiles`` and a ``histogram`` of the draws (t CO2e per
        functional unit), what was drawn and, by parameter, ``sensitivity`` (Spearman ρ
        with the score, largest first).
    """
    settings = model.settings(route, scenario, overrides)
    if by == "exchanges":
        return _by_exchange(
            model, product, settings, iterations=iterations, seed=seed, progress=progress
        )
    draws = parameter_draws(
        model, product, settings, iterations=iterations, seed=seed, progress=progress
    )
    if not draws.parameters:
        return {"iterations": iterations, "seed": seed, "by": by, "uncertain_parameters": []}
    return {
        **_summary(draws.scores, iterations, seed),
        "by": by,
        "uncertain_parameters": list(draws.names),
        "illustrative_parameters": [p.name for p in draws.parameters if p.illustrative],
        "sensitivity": _sensitivity(draws),
        "distribution": "triangular per ranged parameter (mode = value), each parameter "
        "drawn once per iteration; the network is rebuilt from the drawn values",
    }


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


def _by_exchange(
    model: FootprintModel,
    product: str,
    settings: Settings,
    *,
    iterations: int,
    seed: int,
    progress: Progress | None = None,
) -> dict[str, Any]:
    net = model.network(settings)
    demand = net.demand(model.inventory.product_column(product))
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
        return {"iterations": iterations, "seed": seed, "by": "exchanges", "uncertain_entries": 0}
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
    return {
        **_summary(mc.run(iterations, progress=progress).scores, iterations, seed),
        "by": "exchanges",
        "uncertain_entries": n_uncertain,
        "distribution": "triangular over published parameter ranges, entries independent",
    }
