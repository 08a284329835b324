"""Route intensities for the national accounts, from the footprint engine.

The national engine takes per-route intensities as plain data; this module composes them from
:class:`~sinergi.footprint.scenarios.FootprintModel`. For each route it solves the footprint of
one t Ni of the route's product and splits it into the captive-coal electricity drawn (MWh per
t Ni, the supply of the ``power.captive_coal`` column) and everything else (``process``), so
that each smelter's electricity can be charged at its own sources' factors.

Primary routes (RKEF NPI and ferronickel, matte, HPAL) are cradle-to-gate from ore. Downstream
routes count only what they add to their feed (nickel sulfate minus the MHP it refines, pCAM
minus its nickel sulfate), so a tonne of nickel that passes through several smelters is not
counted twice. CAM, cells and recycling have no footprint per t Ni in the inventory, and a
downstream step whose own exchanges are all missing adds nothing (today: the refinery and
pCAM steps); these get no intensity, and the accounts list their smelters as missing one.

Monte Carlo: each draw draws every ranged parameter once (triangular, as
:func:`~sinergi.footprint.route_uncertainty.draw_parameters`), so routes are correlated as
they are in reality (one coal emission factor for all). The network is built once and every
draw's exchanges are evaluated over arrays and solved in one stacked call
(:mod:`sinergi.footprint.draws`); where that path cannot reproduce the network, each draw
rebuilds the network and solves every route from its one factorisation (the same numbers, a
test checks). ``factorisations`` counts the technosphere factorisations done (each draw
changes A, so each draw has its own, a dense LU in the stacked solve).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from sinergi import __version__
from sinergi.footprint.draws import network_draws
from sinergi.footprint.network import Network, Settings
from sinergi.footprint.route_uncertainty import draw_parameters, ranged_parameters
from sinergi.footprint.scenarios import FootprintModel
from sinergi.national.inputs import PowerFactor, RouteIntensity
from sinergi.national.registry import Route
from sinergi.reference import Provenance
from sinergi.reference.factors import default_factors

__all__ = ["ROUTE_PRODUCTS", "RouteInputs", "power_factors", "route_inputs"]

#: route -> (footprint product, feed product subtracted for downstream routes)
ROUTE_PRODUCTS: dict[Route, tuple[str, str | None]] = {
    Route.RKEF_NPI: ("npi", None),
    Route.RKEF_FENI: ("ferronickel", None),
    Route.CONVERTER_MATTE: ("matte", None),
    Route.HPAL_MHP: ("mhp", None),
    Route.REFINERY_NISO4: ("niso4", "mhp"),
    Route.PCAM: ("pcam-nmc811", "niso4"),
}
COAL_COLUMN = "power.captive_coal"
COAL_FACTOR = "captive_coal_co2_t_per_mwh"
#: Bumped when the meaning of cached draws changes.
CACHE_FORMAT = 1


@dataclass(frozen=True)
class RouteInputs:
    """Intensities per route value and power factors per key, with the work it took.

    ``factorisations`` counts every LU of a technosphere done: the nominal network's sparse
    factorisation, plus one per draw (a dense LU in the stacked solve, or a sparse one per
    drawn network); draws read from the cache cost none.
    """

    intensities: dict[str, RouteIntensity]
    factors: dict[str, PowerFactor]
    draws: int
    factorisations: int
    seed: int
    #: networks built (the nominal one, plus one per draw unless the draws were stacked)
    networks: int = 1
    #: whether the draws were solved in one stacked call (one dense LU per draw)
    stacked: bool = False


def _products() -> list[str]:
    """Return the footprint products the routes need, in a fixed order."""
    return sorted({p for pair in ROUTE_PRODUCTS.values() for p in pair if p})


def _demand(model: FootprintModel, net: Network) -> np.ndarray:
    """Return one t of every footprint product needed, one demand column each."""
    columns = [model.inventory.product_column(p) for p in _products()]
    return np.column_stack([net.demand(c) for c in columns])


def _solve(model: FootprintModel, net: Network) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Return per product (score, coal MWh) for one t of every footprint product needed."""
    result = model.system(net).solve(_demand(model, net))
    coal = net.labels.index(COAL_COLUMN)
    return {
        p: (np.asarray(result.scores[k]), np.asarray(result.supply[coal, k]))
        for k, p in enumerate(_products())
    }


def _split(
    solved: dict[str, tuple[np.ndarray, np.ndarray]], coal_factor: np.ndarray | float
) -> dict[Route, tuple[np.ndarray, np.ndarray]]:
    """Split each route's score into process and coal electricity (arrays over draws)."""
    out = {}
    for route, (product, feed) in ROUTE_PRODUCTS.items():
        score, mwh = solved[product]
        process = score - mwh * coal_factor
        if feed is not None:
            feed_score, feed_mwh = solved[feed]
            process = process - (feed_score - feed_mwh * coal_factor)
            mwh = mwh - feed_mwh
        out[route] = (process, mwh)
    return out


@dataclass(frozen=True)
class _Draws:
    """Route draws (routes x draws), the coal factor's draws and what computing them took."""

    process: np.ndarray
    mwh: np.ndarray
    coal: np.ndarray
    #: networks built for the draws (one per draw on the per-network path)
    networks: int = 0
    #: dense LUs of the stacked solve (the per-network path's are counted by the model)
    dense_factorisations: int = 0


def _draws_per_network(
    model: FootprintModel, settings: Settings, net: Network, draws: int, seed: int
) -> _Draws:
    """Return the draws by building and factorising one network per draw.

    The reference path (and the fallback when :func:`network_draws` cannot batch): each draw
    is exactly the deterministic model at the drawn values.
    """
    process_draws = np.empty((len(ROUTE_PRODUCTS), draws))
    mwh_draws = np.empty_like(process_draws)
    coal_draws = np.empty(draws)
    params = ranged_parameters(net)
    for i in range(draws):
        values = draw_parameters(params, seed, i)
        drawn_net = model.network(settings.merged(Settings(values=values)))
        coal_draws[i] = drawn_net.parameters[COAL_FACTOR].value
        split = _split(_solve(model, drawn_net), coal_draws[i])
        for k, route in enumerate(ROUTE_PRODUCTS):
            process_draws[k, i], mwh_draws[k, i] = split[route]
    return _Draws(process_draws, mwh_draws, coal_draws, networks=draws)


def _draws_stacked(model: FootprintModel, net: Network, draws: int, seed: int) -> _Draws | None:
    """Return the draws from one network, every draw's matrices solved in one stacked call.

    Same draws as :func:`_draws_per_network` (same parameters, seeds and order); ``None`` when
    :func:`~sinergi.footprint.draws.network_draws` cannot batch this network.
    """
    params = ranged_parameters(net)
    if not draws or not params:
        return None
    table = np.array([list(draw_parameters(params, seed, i).values()) for i in range(draws)])
    drawn = {p.name: table[:, j] for j, p in enumerate(params)}
    stacked = network_draws(model.inventory, net, drawn)
    if stacked is None:
        return None
    try:
        supply, scores = stacked.solve(_demand(model, net))
    except np.linalg.LinAlgError:
        return None  # a singular draw: the per-draw path says which column
    coal = net.labels.index(COAL_COLUMN)
    coal_draws = drawn.get(COAL_FACTOR, np.full(draws, net.parameters[COAL_FACTOR].value))
    solved = {p: (scores[:, k], supply[:, coal, k]) for k, p in enumerate(_products())}
    split = _split(solved, coal_draws)
    return _Draws(
        np.array([split[r][0] for r in ROUTE_PRODUCTS]),
        np.array([split[r][1] for r in ROUTE_PRODUCTS]),
        np.asarray(coal_draws, dtype=np.float64),
        dense_factorisations=draws,
    )


def _draws(
    model: FootprintModel, settings: Settings, net: Network, draws: int, seed: int
) -> _Draws:
    """Return the route draws: stacked when the network allows it, else one network per draw."""
    return _draws_stacked(model, net, draws, seed) or _draws_per_network(
        model, settings, net, draws, seed
    )


def _cache_file(cache: Path, draws: int, seed: int) -> Path:
    """Return the cache file of these draws: keyed by the data, the version, draws and seed."""
    digest = hashlib.sha256(f"{__version__}|{CACHE_FORMAT}|{draws}|{seed}".encode())
    for package, name in (
        ("sinergi.data.footprint", "routes.yaml"),
        ("sinergi.data.footprint", "characterisation.yaml"),
        ("sinergi.data.factors", "emission_factors.yaml"),
    ):
        digest.update(resources.files(package).joinpath(name).read_bytes())
    return cache / f"route-draws-{digest.hexdigest()[:24]}.npz"


def route_inputs(
    draws: int = 0,
    seed: int = 20231,
    model: FootprintModel | None = None,
    *,
    cache: Path | None = None,
) -> RouteInputs:
    """Return route intensities and power factors, with ``draws`` Monte Carlo draws.

    With ``cache`` (a folder), the draws of the shipped inventory are kept there, keyed by
    the inventory and factor files, sinergi's version, ``draws`` and ``seed``: a second
    command on the same draws reuses them (its ``factorisations`` count only the nominal
    network).
    """
    model = model or FootprintModel()
    settings = model.settings()
    net = model.network(settings)
    nominal = {
        route: (float(process), float(mwh))
        for route, (process, mwh) in _split(
            _solve(model, net), net.parameters[COAL_FACTOR].value
        ).items()
    }
    stored = None if cache is None or not draws else _cache_file(cache, draws, seed)
    if stored is not None and stored.is_file():
        with np.load(stored) as kept:
            computed = _Draws(kept["process"], kept["mwh"], kept["coal"])
    else:
        computed = _draws(model, settings, net, draws, seed)
        if stored is not None:
            _keep(stored, computed.process, computed.mwh, computed.coal)
    process_draws, mwh_draws, coal_draws = computed.process, computed.mwh, computed.coal
    # a step whose own exchanges are all missing adds nothing: no intensity, never zero
    known = [r for r in ROUTE_PRODUCTS if nominal[r] != (0.0, 0.0)]
    incomplete = {r for r in known if not model.footprint(ROUTE_PRODUCTS[r][0]).complete}
    intensities = {
        route.value: RouteIntensity(
            route=route,
            process=nominal[route][0],
            electricity_mwh=nominal[route][1],
            process_draws=process_draws[k] if draws else None,
            electricity_draws=mwh_draws[k] if draws else None,
            basis=f"footprint engine, product {ROUTE_PRODUCTS[route][0]}"
            + (f" minus {ROUTE_PRODUCTS[route][1]}" if ROUTE_PRODUCTS[route][1] else ""),
            lower_bound=route in incomplete,
        )
        for k, route in enumerate(ROUTE_PRODUCTS)
        if route in known
    }
    return RouteInputs(
        intensities=intensities,
        factors=power_factors(net, coal_draws if draws else None),
        draws=draws,
        factorisations=model.factorisations + computed.dense_factorisations,
        seed=seed,
        networks=1 + computed.networks,
        stacked=computed.dense_factorisations > 0,
    )


def _keep(path: Path, process: np.ndarray, mwh: np.ndarray, coal: np.ndarray) -> None:
    """Write the draws atomically (a file half written is never read); a failure is ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial.npz")
        np.savez(partial, process=process, mwh=mwh, coal=coal)
        partial.replace(path)
    except OSError:
        return  # a cache that cannot be written only costs the next run its draws


def power_factors(net: Network, coal_draws: np.ndarray | None = None) -> dict[str, PowerFactor]:
    """Return t CO2e per MWh by source key: captive coal, hydro, solar and the grids."""
    params = net.parameters
    coal = params["captive_coal_co2_t_per_mwh"]
    out = {"coal": PowerFactor("coal", coal.value, coal_draws, coal.provenance)}
    for key, name in (("hydro", "hydro_co2e_t_per_mwh"), ("solar", "solar_co2e_t_per_mwh")):
        p = params[name]
        out[key] = PowerFactor(key, p.value, None, p.provenance, illustrative=p.illustrative)
    for node, factor in default_factors().grid.items():
        provenance = Provenance.model_validate(
            {
                "source": factor.source,
                "year": factor.year,
                "status": factor.status,
                "note": factor.note,
                "note_id": factor.note_id,
            }
        )
        out[node] = PowerFactor(node, factor.value, None, provenance)
    return out
