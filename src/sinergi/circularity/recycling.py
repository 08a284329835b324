"""End of life and recycling of the batteries a forecast retires.

Flow of end-of-first-life packs, per year, vehicle type and chemistry (kWh):

1. a share of each type's outflow gets a **second life** (stationary storage); it runs as its
   own inflow-driven stock with its own lifetime and returns later;
2. the rest, plus the second-life outflow, is **available** for collection; a **collection
   rate** of it reaches recyclers (this is also the recycling capacity needed, t/yr);
3. a **route** (hydro, pyro) recovers a share of each element of the collected packs; metal
   contents per kWh by chemistry come from ``data/circularity/recycling.yaml`` (derived from
   cathode stoichiometry); **black mass** is cathode active material plus graphite.

Comparisons: the route's recovery rates against the EU material-recovery targets
(Reg. 2023/1542 Annex XII), and the recovered metal against the metal in the packs placed on
the Indonesian market in the same year, read as the recycled-content share that domestic
recycling could supply at most, against the Article 8 targets (2031, 2036). Emissions avoided
need factors in t CO2e per t metal by element; without them the result says "not computed".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import numpy as np
from pydantic import ValidationError

from sinergi.circularity.lifetimes import FloatArray
from sinergi.circularity.scenarios import Forecast
from sinergi.circularity.sourced import (
    LifetimeSpec,
    Sourced,
    Strict,
    load_yaml,
    validation_error,
)
from sinergi.circularity.stocks import inflow_driven
from sinergi.errors import ScenarioError

FILE = "recycling.yaml"
ELEMENTS = ("Ni", "Co", "Li", "Mn", "Cu")
Route = Literal["hydro", "pyro"]


class RouteData(Strict):
    """A recycling route and its element recovery rates."""

    label: str
    recovery: dict[str, Sourced]


class SecondLife(Strict):
    """Second-life shares by vehicle type and the second-life lifetime."""

    share: dict[str, Sourced]
    lifetime: LifetimeSpec


class Targets(Strict):
    """EU targets by year and element, with their source."""

    source: str
    year: int
    by_year: dict[int, dict[str, float]]


class RecyclingData(Strict):
    """The whole recycling data file."""

    version: str
    metal_kg_per_kwh: dict[str, dict[str, Sourced]]
    black_mass_kg_per_kwh: dict[str, Sourced]
    routes: dict[str, RouteData]
    collection_rate: Sourced
    second_life: SecondLife
    eu_recovery_targets: Targets
    eu_recycled_content_targets: Targets
    planned_plants: list[dict[str, Any]]
    planned_plants_note: str


@cache
def default_recycling_data() -> RecyclingData:
    """Return the shipped recycling data, validated."""
    return parse_recycling_data(load_yaml(FILE), FILE)


def parse_recycling_data(doc: dict[str, Any], name: str = FILE) -> RecyclingData:
    """Validate a recycling data document; errors name the file, key path and fix."""
    try:
        return RecyclingData.model_validate(doc)
    except ValidationError as exc:
        raise validation_error(name, exc) from None


@dataclass(frozen=True)
class Recycling:
    """Recycling results per year; arrays are ``(years,)`` or ``(years, elements)``."""

    forecast: Forecast
    route: str
    collection_rate: float
    elements: tuple[str, ...]
    available_t: FloatArray
    collected_t: FloatArray
    collected_kwh: FloatArray
    black_mass_t: FloatArray
    metal_collected_t: FloatArray
    recovered_t: FloatArray
    metal_demand_t: FloatArray
    second_life_stock_kwh: FloatArray
    recovery_vs_eu: list[dict[str, Any]]
    recycled_content_vs_eu: list[dict[str, Any]]
    planned_capacity: str
    avoided_t_co2e: FloatArray | None
    avoided_note: str
    illustrative: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready summary."""
        years = self.forecast.years.tolist()

        def by_element(array: FloatArray) -> dict[str, list[float]]:
            return {e: array[:, i].round(6).tolist() for i, e in enumerate(self.elements)}

        return {
            "scenario": self.forecast.scenario,
            "route": self.route,
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
            "eu_recovery_targets": self.recovery_vs_eu,
            "eu_recycled_content_targets": self.recycled_content_vs_eu,
            "planned_capacity": self.planned_capacity,
            "emissions_avoided_t_co2e": (
                None if self.avoided_t_co2e is None else self.avoided_t_co2e.round(6).tolist()
            ),
            "emissions_avoided_note": self.avoided_note,
            "illustrative": list(self.illustrative),
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
    recovery = np.array([_rate(data, route, e).value for e in ELEMENTS])
    recovered = metal_collected * recovery
    demand = forecast.kwh().inflow.sum(axis=1) @ metal / 1000.0
    black = collected_by_chem @ _black_mass(data, forecast.chemistries) / 1000.0
    avoided, avoided_note = _avoided(recovered, avoided_t_co2e_per_t)
    return Recycling(
        forecast=forecast,
        route=route,
        collection_rate=rate,
        elements=ELEMENTS,
        available_t=_tonnes(forecast, flows.available_kwh),
        collected_t=_tonnes(forecast, kwh_collected),
        collected_kwh=kwh_collected.sum(axis=(1, 2)),
        black_mass_t=black,
        metal_collected_t=metal_collected,
        recovered_t=recovered,
        metal_demand_t=demand,
        second_life_stock_kwh=flows.second_life_stock_kwh,
        recovery_vs_eu=_recovery_vs_eu(data, route, recovery),
        recycled_content_vs_eu=_content_vs_eu(data, forecast, recovered, demand),
        planned_capacity=(
            f"{len(data.planned_plants)} planned plants"
            if data.planned_plants
            else f"none: {data.planned_plants_note}"
        ),
        avoided_t_co2e=avoided,
        avoided_note=avoided_note,
        illustrative=tuple(
            dict.fromkeys([*forecast.illustrative, *_caveats(data, route, collection_rate)])
        ),
    )


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


def _rate(data: RecyclingData, route: str, element: str) -> Sourced:
    rates = data.routes[route].recovery
    if element not in rates:
        raise ScenarioError(f"{FILE}: routes.{route}.recovery has no rate for {element}")
    return rates[element]


def _recovery_vs_eu(data: RecyclingData, route: str, recovery: FloatArray) -> list[dict[str, Any]]:
    rows = []
    for year, targets in sorted(data.eu_recovery_targets.by_year.items()):
        for element, target in targets.items():
            achieved = float(recovery[ELEMENTS.index(element)])
            rows.append(
                {
                    "by_end_of": year,
                    "element": element,
                    "target": target,
                    "route_rate": achieved,
                    "meets": achieved >= target,
                    "source": data.eu_recovery_targets.source,
                }
            )
    return rows


def _content_vs_eu(
    data: RecyclingData, forecast: Forecast, recovered: FloatArray, demand: FloatArray
) -> list[dict[str, Any]]:
    rows = []
    years = forecast.years.tolist()
    for year, targets in sorted(data.eu_recycled_content_targets.by_year.items()):
        for element, target in targets.items():
            row: dict[str, Any] = {"from": year, "element": element, "target": target}
            if year in years:
                i, e = years.index(year), ELEMENTS.index(element)
                need = float(demand[i, e])
                share = float(recovered[i, e]) / need if need > 0 else None
                row |= {
                    "recovered_t": float(recovered[i, e]),
                    "in_new_packs_t": need,
                    "max_recycled_share": share,
                    "meets": None if share is None else share >= target,
                }
            else:
                row |= {"max_recycled_share": None, "meets": None, "note": "outside forecast"}
            row["source"] = data.eu_recycled_content_targets.source
            rows.append(row)
    return rows


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


def _caveats(data: RecyclingData, route: str, collection_rate: float | None) -> list[str]:
    notes = []
    if collection_rate is None and (c := data.collection_rate.caveat("collection rate")):
        notes.append(c)
    for element in ELEMENTS:
        if c := _rate(data, route, element).caveat(f"{route} recovery of {element}"):
            notes.append(c)
    for chem, content in data.metal_kg_per_kwh.items():
        notes += [c for e, v in content.items() if (c := v.caveat(f"{chem} {e} kg/kWh"))]
    notes += [c for v, s in data.second_life.share.items() if (c := s.caveat(f"{v} second life"))]
    if c := data.second_life.lifetime.caveat("second-life lifetime"):
        notes.append(c)
    return notes
