"""Routes and scenarios over one inventory, reusing factorisations where A is unchanged.

A :class:`FootprintModel` builds the network for each set of settings (route choices,
scenario changes, user overrides) and keeps the :class:`~sinergi.footprint.lca.system.LcaSystem`
of every distinct technosphere it has factorised. A scenario that changes only B or c (an
emission factor, the GWP method) gets a system that shares the kept factorisation; one that
changes A (a power mix, an ore grade, a provider choice) is factorised once, then kept too.
``factorisations`` counts how many times A was factorised.

Examples
--------
>>> model = FootprintModel()
>>> base = model.footprint("npi")
>>> solar = model.footprint("npi", scenario="captive-coal-to-solar")
>>> solar.score < base.score
True
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from sinergi.errors import PlantDataRequired
from sinergi.footprint.inventory import Inventory, load_inventory
from sinergi.footprint.lca.system import LcaSystem
from sinergi.footprint.network import Network, Settings, build_network
from sinergi.footprint.results import FootprintResult, footprint_result
from sinergi.footprint.schema import AllocationMethod


def _key(matrix: sp.csc_array) -> tuple[bytes, bytes, bytes, tuple[int, ...]]:
    m = matrix.copy()
    m.sort_indices()
    return (m.indptr.tobytes(), m.indices.tobytes(), m.data.tobytes(), tuple(m.shape))


#: At most this many built networks are kept per model (oldest dropped first).
_KEPT_NETWORKS = 64


def _settings_key(settings: Settings) -> Hashable:
    """Return a hashable key of everything that decides a network (settings are mappings)."""
    return (
        tuple(sorted(settings.values.items())),
        tuple(sorted((k, tuple(sorted(v.items()))) for k, v in settings.mixes.items())),
        tuple(sorted(settings.choices.items())),
        tuple(sorted(settings.allocation.items())),
        settings.method,
        tuple(sorted(settings.plant.items())),
    )


@dataclass(frozen=True)
class Request:
    """A footprint question: product, nickel route, scenario and user changes."""

    product: str
    route: str | None = None
    scenario: str | None = None
    amount: float = 1.0
    overrides: Settings | None = None


class FootprintModel:
    """Footprints of the route inventory under routes and scenarios.

    Parameters
    ----------
    inventory
        Route data; the shipped inventory by default.
    method
        Characterisation method, ``ar6`` (default) or ``ar5``.
    allocation
        Allocation method per multi-output process id, overriding the data file.
    """

    def __init__(
        self,
        inventory: Inventory | None = None,
        *,
        method: str = "ar6",
        allocation: Mapping[str, AllocationMethod] | None = None,
    ) -> None:
        self.inventory = inventory or load_inventory()
        self.base = Settings(method=method, allocation=dict(allocation or {}))
        self._systems: dict[tuple[bytes, bytes, bytes, tuple[int, ...]], LcaSystem] = {}
        self._networks: dict[Hashable, Network] = {}
        self.factorisations = 0

    def settings(
        self,
        route: str | None = None,
        scenario: str | None = None,
        overrides: Settings | None = None,
    ) -> Settings:
        """Return the settings of a route and scenario, with user overrides applied last."""
        out = self.base
        if route is not None:
            out = out.merged(
                Settings(choices=dict(self.inventory.route(route).choices), method=out.method)
            )
        if scenario is not None:
            spec = self.inventory.scenario(scenario)
            out = out.merged(
                Settings(
                    values=spec.values, mixes=spec.mixes, choices=spec.choices, method=out.method
                )
            )
        if overrides is not None:
            out = out.merged(overrides)
        return out

    def network(self, settings: Settings) -> Network:
        """Return the matrices for one set of settings (built once per distinct settings)."""
        key = _settings_key(settings)
        net = self._networks.get(key)
        if net is None:
            net = build_network(self.inventory, settings)
            if len(self._networks) >= _KEPT_NETWORKS:  # a long-lived model stays bounded
                del self._networks[next(iter(self._networks))]
            self._networks[key] = net
        return net

    def system(self, net: Network) -> LcaSystem:
        """Return an LCA system for a network, factorising A only if it was not seen."""
        key = _key(net.technosphere)
        kept = self._systems.get(key)
        if kept is None:
            kept = LcaSystem(
                net.technosphere,
                net.biosphere,
                net.characterization,
                labels=net.labels,
                flow_labels=net.flow_labels,
            )
            self.factorisations += 1
            self._systems[key] = kept
            return kept
        same_b = _key(net.biosphere) == _key(kept.biosphere) and np.array_equal(
            net.characterization, kept.factors
        )
        return (
            kept
            if same_b
            else kept.with_biosphere(
                net.biosphere, net.characterization, flow_labels=net.flow_labels
            )
        )

    def footprint(
        self,
        product: str,
        *,
        route: str | None = None,
        scenario: str | None = None,
        amount: float = 1.0,
        overrides: Settings | None = None,
    ) -> FootprintResult:
        """Return the footprint of ``amount`` of a product under a route and scenario."""
        column = self.inventory.product_column(product)
        settings = self.settings(route, scenario, overrides)
        net = self.network(settings)
        net.require(column)
        alias = self.inventory.product(product)
        result = footprint_result(
            net,
            self.system(net),
            product,
            column,
            amount,
            route=route,
            scenario=scenario,
            functional_unit=None if alias is None else alias.functional_unit,
        )
        spec = None if scenario is None else self.inventory.scenario(scenario)
        return replace(
            result,
            route_label=None if route is None else self.inventory.route(route).label,
            scenario_label=None if spec is None else spec.label,
            refs=() if spec is None else spec.refs,
            generic_score=None
            if not settings.plant
            else self._generic_score(product, amount, route, scenario, overrides),
        )

    def _generic_score(
        self,
        product: str,
        amount: float,
        route: str | None,
        scenario: str | None,
        overrides: Settings | None,
    ) -> float | None:
        """Return the score of the same question on generic data alone (plant data removed).

        A product or route that exists only with plant data (the bottom-up HPAL model) is
        compared with its ``generic`` counterpart of the data (the published aggregate);
        ``None`` when there is none.
        """
        alias = self.inventory.product(product)
        generic_product = alias.generic if alias is not None and alias.generic else product
        generic_route = route
        if route is not None and self.inventory.route(route).generic:
            generic_route = self.inventory.route(route).generic
        generic = replace(overrides or Settings(), plant={})
        try:
            column = self.inventory.product_column(generic_product)
            net = self.network(self.settings(generic_route, scenario, generic))
            net.require(column)
        except PlantDataRequired:
            return None
        return float(self.system(net).solve(net.demand(column, amount)).scores[0])

    def compare(self, requests: list[Request]) -> list[FootprintResult]:
        """Return footprints side by side (same order as the requests)."""
        return [
            self.footprint(
                r.product,
                route=r.route,
                scenario=r.scenario,
                amount=r.amount,
                overrides=r.overrides,
            )
            for r in requests
        ]
