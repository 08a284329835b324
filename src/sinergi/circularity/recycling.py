"""End of life and recycling of the batteries a forecast retires.

Flow of end-of-first-life packs, per year, vehicle type and chemistry (kWh):

1. a share of each type's outflow gets a **second life** (stationary storage); it runs as its
   own inflow-driven stock with its own lifetime and returns later;
2. the rest, plus the second-life outflow, is **available** for collection; a **collection
   rate** of it reaches recyclers (this is also the recycling capacity needed, t/yr);
3. a **route** (hydro, pyro) recovers a share of each element of the collected packs; metal
   contents per kWh by chemistry come from ``data/circularity/recycling.yaml`` (derived from
   cathode stoichiometry); **black mass** is cathode active material plus graphite.

Comparisons (:mod:`sinergi.circularity.eu_targets`): the recycling efficiency the recovered
metals alone prove (a lower bound) against Annex XII Part B of Regulation (EU) 2023/1542, the
route's recovery rates against Annex XII Part C, and the recovered metal against the metal in
the packs placed on the Indonesian market in the same year, read as the recycled-content share
that domestic recycling could supply at most, against Article 8 (2031, 2036). Emissions
avoided need factors in t CO2e per t metal by element; without them the result says "not
computed".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import numpy as np
from pydantic import ValidationError

from sinergi.circularity.data_files import LifetimeSpec, Strict, load_yaml, validation_error
from sinergi.circularity.eu_targets import (
    EfficiencyTargets,
    ElementTargets,
    RecoveryRate,
    content_rows,
    efficiency_rows,
    recovery_rows,
)
from sinergi.circularity.inputs import InputUsed
from sinergi.circularity.lifetimes import FloatArray
from sinergi.circularity.scenarios import Forecast
from sinergi.circularity.stocks import inflow_driven
from sinergi.errors import ScenarioError, UnknownCommodity
from sinergi.i18n import N_
from sinergi.model import default_catalogue
from sinergi.reference import Sourced
from sinergi.units import Dimension

FILE = "recycling.yaml"
ELEMENTS = ("Ni", "Co", "Li", "Mn", "Cu")
Route = Literal["hydro", "pyro"]
AvoidedStatus = Literal["computed", "lower_bound", "not_computed"]


class RouteData(Strict):
    """A recycling route and its element recovery rates."""

    label: str
    label_id: str
    recovery: dict[str, RecoveryRate]


class SecondLife(Strict):
    """Second-life shares by vehicle type and the second-life lifetime."""

    share: dict[str, Sourced]
    lifetime: LifetimeSpec


class EndOfLifeCommodities(Strict):
    """Model commodities that carry the end-of-life flows (``data/commodities.yaml``)."""

    spent_batteries: str
    black_mass: str
    recovered: dict[str, str]


class RecyclingData(Strict):
    """The whole recycling data file."""

    version: str
    commodities: EndOfLifeCommodities
    metal_kg_per_kwh: dict[str, dict[str, Sourced]]
    black_mass_kg_per_kwh: dict[str, Sourced]
    routes: dict[str, RouteData]
    collection_rate: Sourced
    second_life: SecondLife
    eu_recycling_efficiency_targets: EfficiencyTargets
    eu_recovery_targets: ElementTargets
    eu_recycled_content_targets: ElementTargets
    planned_plants: list[dict[str, Any]]
    planned_plants_note: str


@cache
def default_recycling_data() -> RecyclingData:
    """Return the shipped recycling data, validated."""
    return parse_recycling_data(load_yaml(FILE), FILE)


def parse_recycling_data(doc: dict[str, Any], name: str = FILE) -> RecyclingData:
    """Validate a recycling data document; errors name the file, key path and fix."""
    try:
        data = RecyclingData.model_validate(doc)
    except ValidationError as exc:
        raise validation_error(name, exc) from None
    named = data.commodities
    mass = {"spent_batteries": named.spent_batteries, "black_mass": named.black_mass}
    mass |= {f"recovered.{e}": c for e, c in named.recovered.items()}
    for key, commodity in mass.items():
        try:
            entry = default_catalogue().get(commodity)
        except UnknownCommodity as exc:
            raise ScenarioError(f"{name}: commodities.{key}: {exc}") from None
        if entry.dimension is not Dimension.MASS:
            raise ScenarioError(
                f"{name}: commodities.{key}: {commodity!r} is measured in {entry.unit}; "
                "end-of-life flows are in tonnes, so name a commodity of dimension mass"
            )
    missing = sorted(set(ELEMENTS) - set(named.recovered))
    if missing:
        raise ScenarioError(f"{name}: commodities.recovered has no commodity for {missing}")
    return data


@dataclass(frozen=True)
class Recycling:
    """Recycling results per year; arrays are ``(years,)`` or ``(years, elements)``."""

    forecast: Forecast
    route: str
    route_labels: dict[str, str]
    collection_rate: float
    elements: tuple[str, ...]
    commodities: EndOfLifeCommodities
    available_t: FloatArray
    collected_t: FloatArray
    collected_kwh: FloatArray
    black_mass_t: FloatArray
    metal_collected_t: FloatArray
    recovered_t: FloatArray
    metal_demand_t: FloatArray
    second_life_stock_kwh: FloatArray
    efficiency_vs_eu: list[dict[str, Any]]
    recovery_vs_eu: list[dict[str, Any]]
    recycled_content_vs_eu: list[dict[str, Any]]
    planned_capacity: str
    avoided_t_co2e: FloatArray | None
    avoided_note: str
    avoided_elements: tuple[str, ...]
    inputs: tuple[InputUsed, ...]

    @property
    def avoided_status(self) -> AvoidedStatus:
        """``computed`` (every element priced), ``lower_bound`` (some) or ``not_computed``."""
        if self.avoided_t_co2e is None:
            return "not_computed"
        return "computed" if len(self.avoided_elements) == len(self.elements) else "lower_bound"

    @property
    def illustrative(self) -> tuple[InputUsed, ...]:
        """Every illustrative input: the forecast's and the recycling data's."""
        own = tuple(item for item in self.inputs if item.provenance.illustrative)
        return (*self.forecast.illustrative, *own)

    @property
    def metal_share(self) -> FloatArray:
        """Ni, Co, Li, Mn and Cu in the collected packs over their mass, per year (``nan``: none).

        The part of a pack the model holds; the rest (casing, aluminium, graphite,
        electrolyte, plastics) is not modelled, so no recycling efficiency can be computed.
        """
        return _share_of_collected(self.metal_collected_t, self.collected_t)

    @property
    def recovered_share(self) -> FloatArray:
        """Recovered Ni, Co, Li, Mn and Cu over collected battery mass, per year."""
        return _share_of_collected(self.recovered_t, self.collected_t)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready summary."""
        years = self.forecast.years.tolist()

        def by_element(array: FloatArray) -> dict[str, list[float]]:
            return {e: array[:, i].round(6).tolist() for i, e in enumerate(self.elements)}

        return {
            "scenario": self.forecast.scenario,
            "route": self.route,
            "route_labels": self.route_labels,
            "collection_rate": self.collection_rate,
            "years": years,
            "available_t_battery": self.available_t.round(6).tolist(),
            "collected_t_battery": self.collected_t.round(6).tolist(),
            "capacity_needed_t_per_year": self.collected_t.round(6).tolist(),
            "black_mass_t": self.black_mass_t.round(6).tolist(),
            "second_life_stock_kwh": self.second_life_stock_kwh.round(6).tolist(),
            "metal_collected_t": by_element(self.metal_collected_t),
            "recovered_t": by_element(self.recovered_t),
            "metal_in_new_packs_t": by_element(self.metal_demand_t),
            "metals_share_of_collected_mass": _nullable(self.metal_share),
            "recovered_share_of_collected_mass": _nullable(self.recovered_share),
            "eu_recycling_efficiency_targets": self.efficiency_vs_eu,
            "eu_recovery_targets": self.recovery_vs_eu,
            "eu_recycled_content_targets": self.recycled_content_vs_eu,
            "planned_capacity": self.planned_capacity,
            "emissions_avoided_t_co2e": (
                None if self.avoided_t_co2e is None else self.avoided_t_co2e.round(6).tolist()
            ),
            "emissions_avoided_note": self.avoided_note,
            "emissions_avoided_status": self.avoided_status,
            "emissions_avoided_elements": list(self.avoided_elements),
            "illustrative": [item.caveat() for item in self.illustrative],
            "inputs": [item.record() for item in self.inputs],
            "forecast_inputs": [item.record() for item in self.forecast.inputs],
            "vehicle_labels": self.forecast.vehicle_labels,
        }


def recycling(
    forecast: Forecast,
    *,
    route: Route = "hydro",
    collection_rate: float | None = None,
    avoided_t_co2e_per_t: Mapping[str, float] | None = None,
    data: RecyclingData | None = None,
) -> Recycling:
    """Return the end-of-life flows, recovered metals and EU comparisons of a forecast.

    Parameters
    ----------
    forecast
        A national forecast (:func:`sinergi.circularity.scenarios.forecast`).
    route
        ``"hydro"`` or ``"pyro"``.
    collection_rate
        Share of available end-of-life packs collected, in [0, 1]; default from the data file
        (illustrative).
    avoided_t_co2e_per_t
        t CO2e avoided per t of each recovered element (primary against recycled metal), from
        the footprint engine. ``None`` (or a missing element) reports "not computed".
    data
        Recycling data; default the shipped file.

    Raises
    ------
    ScenarioError
        Unknown route, a collection rate outside [0, 1], or a chemistry without metal data.
    """
    data = data or default_recycling_data()
    if route not in data.routes:
        raise ScenarioError(f"unknown route {route!r}; choose one of {sorted(data.routes)}")
    rate = data.collection_rate.value if collection_rate is None else collection_rate
    if not 0.0 <= rate <= 1.0:
        raise ScenarioError(f"collection rate {rate} is outside [0, 1]; give a share")
    flows = _end_of_life(forecast, data)
    kwh_collected = rate * flows.available_kwh
    metal = _per_kwh(data, forecast.chemistries)
    collected_by_chem = kwh_collected.sum(axis=1)
    metal_collected = collected_by_chem @ metal / 1000.0
    rates = {e: _rate(data, route, e) for e in ELEMENTS}
    recovered = metal_collected * np.array([rates[e].value for e in ELEMENTS])
    demand = forecast.kwh().inflow.sum(axis=1) @ metal / 1000.0
    black = collected_by_chem @ _black_mass(data, forecast.chemistries) / 1000.0
    avoided, avoided_note = _avoided(recovered, avoided_t_co2e_per_t)
    collected_t = _tonnes(forecast, kwh_collected)
    years = forecast.years.tolist()
    return Recycling(
        forecast=forecast,
        route=route,
        route_labels={"en": data.routes[route].label, "id": data.routes[route].label_id},
        collection_rate=rate,
        elements=ELEMENTS,
        commodities=data.commodities,
        available_t=_tonnes(forecast, flows.available_kwh),
        collected_t=collected_t,
        collected_kwh=kwh_collected.sum(axis=(1, 2)),
        black_mass_t=black,
        metal_collected_t=metal_collected,
        recovered_t=recovered,
        metal_demand_t=demand,
        second_life_stock_kwh=flows.second_life_stock_kwh,
        **_eu_comparisons(data, years, rates, (metal_collected, recovered, demand, collected_t)),
        planned_capacity=(
            f"{len(data.planned_plants)} planned plants"
            if data.planned_plants
            else f"none: {data.planned_plants_note}"
        ),
        avoided_t_co2e=avoided,
        avoided_note=avoided_note,
        avoided_elements=tuple(
            e for e in ELEMENTS if avoided is not None and e in (avoided_t_co2e_per_t or {})
        ),
        inputs=tuple(_inputs(data, route, collection_rate, forecast.vehicle_types)),
    )


def _eu_comparisons(
    data: RecyclingData,
    years: list[int],
    rates: dict[str, RecoveryRate],
    tonnes: tuple[FloatArray, FloatArray, FloatArray, FloatArray],
) -> dict[str, list[dict[str, Any]]]:
    """Return the three EU comparisons from metal collected, recovered, in new packs (t)."""
    metal_collected, recovered, demand, collected_t = tonnes
    return {
        "efficiency_vs_eu": efficiency_rows(
            data.eu_recycling_efficiency_targets,
            years,
            _nullable(_share_of_collected(metal_collected, collected_t)),
            _nullable(_share_of_collected(recovered, collected_t)),
        ),
        "recovery_vs_eu": recovery_rows(data.eu_recovery_targets, rates),
        "recycled_content_vs_eu": content_rows(
            data.eu_recycled_content_targets, years, _columns(recovered), _columns(demand)
        ),
    }


def _share_of_collected(metal_t: FloatArray, collected_t: FloatArray) -> FloatArray:
    """Return metal (all elements) over collected battery mass per year; ``nan`` if none."""
    total = metal_t.sum(axis=1)
    result: FloatArray = np.divide(
        total, collected_t, out=np.full_like(total, np.nan), where=collected_t > 0
    )
    return result


def _nullable(values: FloatArray) -> list[float | None]:
    """Return values rounded to 6 decimals for JSON, ``nan`` as ``None``."""
    return [None if np.isnan(v) else round(float(v), 6) for v in values]


def _columns(array: FloatArray) -> dict[str, list[float]]:
    return {e: array[:, i].tolist() for i, e in enumerate(ELEMENTS)}


@dataclass(frozen=True)
class _EndOfLife:
    available_kwh: FloatArray  # (years, types, chemistries)
    second_life_stock_kwh: FloatArray  # (years,)


def _end_of_life(forecast: Forecast, data: RecyclingData) -> _EndOfLife:
    outflow = forecast.kwh().outflow
    shares = np.array([_second_life_share(data, v).value for v in forecast.vehicle_types])
    to_second = outflow * shares[:, np.newaxis]
    lifetime = data.second_life.lifetime.build(f"{FILE}: second_life.lifetime")
    second = inflow_driven(to_second, lifetime)
    return _EndOfLife(outflow - to_second + second.outflow, second.stock.sum(axis=(1, 2)))


def _tonnes(forecast: Forecast, kwh: FloatArray) -> FloatArray:
    kg_per_kwh = forecast.kg_per_kwh[:, np.newaxis]
    result: FloatArray = (kwh * kg_per_kwh).sum(axis=(1, 2)) / 1000.0
    return result


def _second_life_share(data: RecyclingData, vehicle: str) -> Sourced:
    if vehicle not in data.second_life.share:
        raise ScenarioError(f"{FILE}: second_life.share has no entry for {vehicle!r}; add one")
    return data.second_life.share[vehicle]


def _per_kwh(data: RecyclingData, chemistries: tuple[str, ...]) -> FloatArray:
    """Return kg of each element per kWh, shape ``(chemistries, elements)``."""
    rows = []
    for chem in chemistries:
        content = data.metal_kg_per_kwh.get(chem)
        if content is None or set(ELEMENTS) - set(content):
            raise ScenarioError(
                f"{FILE}: metal_kg_per_kwh.{chem} must give {list(ELEMENTS)} (kg per kWh)"
            )
        rows.append([content[e].value for e in ELEMENTS])
    return np.array(rows)


def _black_mass(data: RecyclingData, chemistries: tuple[str, ...]) -> FloatArray:
    missing = [c for c in chemistries if c not in data.black_mass_kg_per_kwh]
    if missing:
        raise ScenarioError(f"{FILE}: black_mass_kg_per_kwh has no entry for {missing}")
    return np.array([data.black_mass_kg_per_kwh[c].value for c in chemistries])


def _rate(data: RecyclingData, route: str, element: str) -> RecoveryRate:
    rates = data.routes[route].recovery
    if element not in rates:
        raise ScenarioError(f"{FILE}: routes.{route}.recovery has no rate for {element}")
    return rates[element]


def _avoided(
    recovered: FloatArray, factors: Mapping[str, float] | None
) -> tuple[FloatArray | None, str]:
    if factors is None:
        return None, "not computed: no t CO2e per t metal factors were given"
    missing = [e for e in ELEMENTS if e not in factors]
    if len(missing) == len(ELEMENTS):
        return None, f"not computed: no factor for any of {list(ELEMENTS)}"
    vector = np.array([factors.get(e, 0.0) for e in ELEMENTS])
    if missing:
        given = [e for e in ELEMENTS if e in factors]
        return recovered @ vector, (
            f"lower bound: computed for {given} only; no factor for {missing}, whose avoided "
            "emissions are left out (not counted as zero)"
        )
    return recovered @ vector, "computed from the factors given (t CO2e per t metal)"


def _inputs(
    data: RecyclingData,
    route: str,
    collection_rate: float | None,
    vehicle_types: tuple[str, ...],
) -> list[InputUsed]:
    """Return the recycling inputs used, each with its provenance."""
    items = []
    if collection_rate is None:
        items.append(InputUsed(N_("collection rate"), "", data.collection_rate))
    items += [
        InputUsed(N_("recovery of {subject} by the route"), element, _rate(data, route, element))
        for element in ELEMENTS
    ]
    for chem, content in data.metal_kg_per_kwh.items():
        items += [
            InputUsed(N_("{subject} content per kWh"), f"{chem} {element}", value)
            for element, value in content.items()
        ]
    items += [
        InputUsed(N_("second-life share of {subject}"), vehicle, data.second_life.share[vehicle])
        for vehicle in vehicle_types
        if vehicle in data.second_life.share
    ]
    items.append(InputUsed(N_("second-life lifetime"), "", data.second_life.lifetime))
    return items
