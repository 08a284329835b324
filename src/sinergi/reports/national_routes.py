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
:func:`~sinergi.footprint.route_uncertainty.draw_parameters`), rebuilds the network once and
solves every route from the one factorisation, so routes are correlated as they are in
reality (one coal emission factor for all). ``factorisations`` counts the technosphere
factorisations done.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from sinergi import __version__
from sinergi.footprint.network import Network, Settings
from sinergi.footprint.route_uncertainty import draw_parameters, ranged_parameters
from sinergi.footprint.scenarios import FootprintModel
from sinergi.national.inputs import PowerFactor, RouteIntensity
from sinergi.national.registry import Route
from sinergi.reference import describe
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
#: Bumped when the meaning of cached draws changes.
CACHE_FORMAT = 1


@dataclass(frozen=True)
class RouteInputs:
    """Intensities per route value and power factors per key, with the work it took."""

    intensities: dict[str, RouteIntensity]
    factors: dict[str, PowerFactor]
    draws: int
    factorisations: int
    seed: int


def _solve(model: FootprintModel, net: Network) -> dict[str, tuple[float, float]]:
    """Return per product (score, coal MWh) for one t of every footprint product needed."""
    system = model.system(net)
    products = sorted({p for pair in ROUTE_PRODUCTS.values() for p in pair if p})
    columns = [model.inventory.product_column(p) for p in products]
    demand = np.column_stack([net.demand(c) for c in columns])
    result = system.solve(demand)
    coal = net.labels.index(COAL_COLUMN)
    return {
        p: (float(result.scores[k]), float(result.supply[coal, k])) for k, p in enumerate(products)
    }


def _split(
    solved: dict[str, tuple[float, float]], coal_factor: float
) -> dict[Route, tuple[float, float]]:
    out = {}
    for route, (product, feed) in ROUTE_PRODUCTS.items():
        score, mwh = solved[product]
        process = score - mwh * coal_factor
        if feed is not None:
            feed_score, feed_mwh = solved[feed]
            process -= feed_score - feed_mwh * coal_factor
            mwh -= feed_mwh
        out[route] = (process, mwh)
    return out


def _draws(
    model: FootprintModel, settings: Settings, net: Network, draws: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return process and electricity draws per route (routes x draws) and coal factors."""
    process_draws = np.empty((len(ROUTE_PRODUCTS), draws))
    mwh_draws = np.empty_like(process_draws)
    coal_draws = np.empty(draws)
    params = ranged_parameters(net)
    for i in range(draws):
        values = draw_parameters(params, seed, i)
        drawn_net = model.network(settings.merged(Settings(values=values)))
        coal_draws[i] = drawn_net.parameters["captive_coal_co2_t_per_mwh"].value
        split = _split(_solve(model, drawn_net), coal_draws[i])
        for k, route in enumerate(ROUTE_PRODUCTS):
            process_draws[k, i], mwh_draws[k, i] = split[route]
    return process_draws, mwh_draws, coal_draws


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
    coal_factor = net.parameters["captive_coal_co2_t_per_mwh"].value
    nominal = _split(_solve(model, net), coal_factor)
    stored = None if cache is None or not draws else _cache_file(cache, draws, seed)
    if stored is not None and stored.is_file():
        with np.load(stored) as kept:
            process_draws, mwh_draws, coal_draws = kept["process"], kept["mwh"], kept["coal"]
    else:
        process_draws, mwh_draws, coal_draws = _draws(model, settings, net, draws, seed)
        if stored is not None:
            _keep(stored, process_draws, mwh_draws, coal_draws)
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
        factorisations=model.factorisations,
        seed=seed,
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
    out = {
        "coal": PowerFactor(
            "coal",
            coal.value,
            coal_draws,
            describe(coal.provenance) if coal.provenance else "",
        )
    }
    for key, name in (("hydro", "hydro_co2e_t_per_mwh"), ("solar", "solar_co2e_t_per_mwh")):
        p = params[name]
        out[key] = PowerFactor(
            key,
            p.value,
            None,
            describe(p.provenance) if p.provenance else "",
            illustrative=p.illustrative,
        )
    for node, factor in default_factors().grid.items():
        out[node] = PowerFactor(node, factor.value, None, f"{factor.source} ({factor.year})")
    return out
