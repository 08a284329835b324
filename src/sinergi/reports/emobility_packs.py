"""The standard-pack toggle composed from three engines: fleet, swap stations, pack counts.

The e-mobility engine may not import the circularity engine, so this layer runs them in turn
and passes plain numbers between them:

1. the pack-forecast engine (:func:`sinergi.circularity.scenarios.forecast`) gives the
   e-motorcycle packs in use in the year (one pack per vehicle, conversions included) and
   their chemistry mix;
2. swap vehicles = fleet × swap share; stations = fleet ÷ vehicles per station (ESDM's 2030
   targets); the swap-station engine (:mod:`sinergi.circularity.swapping`) sizes one average
   station for one shared pool and for one cabinet per brand;
3. the recycling data gives kg of each metal per kWh by chemistry, averaged over the mix;
4. :func:`sinergi.emobility.packs.compare_pack_standards` counts packs, cells, kWh and metals.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from sinergi.emobility.data_files import InputKey
from sinergi.emobility.packs import (
    PackReference,
    PackSharing,
    PackStandard,
    compare_pack_standards,
    pack_reference,
)
from sinergi.errors import CircularityError, PackSharingError
from sinergi.i18n import N_
from sinergi.reference import Provenance, Sourced

__all__ = ["FLEET_SCENARIO", "METALS", "pack_scenario"]

#: The circularity scenario whose e-motorcycle fleet the comparison uses.
FLEET_SCENARIO = "government-targets"
#: Metals reported (kg avoided); the recycling data holds more.
METALS = ("Ni", "Li", "Co", "Mn")


def pack_scenario(
    year: int,
    standard: PackStandard,
    *,
    voltage_class: str | None = None,
    stations: int | None = None,
    fleet_scenario: str = FLEET_SCENARIO,
    reference: PackReference | None = None,
) -> PackSharing:
    """Return packs, cells and metals under both standards for the national fleet of ``year``.

    Raises
    ------
    PackSharingError
        When the year is outside the forecast, or the fleet has no swap riders.
    """
    from sinergi.circularity.scenarios import forecast

    ref = reference or pack_reference()
    pack = ref.voltage_class(voltage_class)
    try:
        fleet_forecast = forecast(fleet_scenario, to=max(year, 2030))
    except CircularityError as exc:
        msg = f"the pack forecast cannot reach {year}: {exc}"
        raise PackSharingError(msg) from None
    fleet, mix = _fleet(fleet_forecast, year)
    swap_vehicles = fleet * ref.swap_share.value
    count = stations or max(1, math.ceil(fleet / ref.vehicles_per_station.value))
    riders = max(1, round(swap_vehicles / count))
    shared, proprietary, sizing_inputs = _station_packs(riders, pack.energy_kwh)
    metals, metal_inputs = _metal_content(mix)
    inputs = {**_fleet_inputs(ref, fleet_forecast, fleet_scenario), **sizing_inputs, **metal_inputs}
    return compare_pack_standards(
        year=year,
        standard=standard,
        swap_vehicles=swap_vehicles,
        stations=count,
        station_packs_shared=shared,
        station_packs_proprietary=proprietary,
        metal_kg_per_kwh=metals,
        voltage_class=pack,
        reference=ref,
        inputs=inputs,
    )


def _fleet_inputs(
    ref: PackReference, fleet_forecast: Any, scenario: str
) -> dict[InputKey, Provenance]:
    """Return the fleet-side inputs: swap share, vehicles per station, the forecast's flags."""
    inputs: dict[InputKey, Provenance] = {
        (N_("share of e-motorcycles using swap packs"), ""): ref.swap_share,
        (N_("e-motorcycles per swap station"), ""): ref.vehicles_per_station,
    }
    if fleet_forecast.illustrative:
        label = N_("e-motorcycle fleet forecast (its illustrative inputs: see the battery report)")
        inputs[(label, scenario)] = Provenance(illustrative=True)
    return inputs


def _fleet(fleet_forecast: Any, year: int) -> tuple[float, dict[str, float]]:
    """Return e-motorcycle packs in use in ``year`` and their chemistry shares."""
    years = fleet_forecast.years.tolist()
    if year not in years:
        msg = f"the pack forecast covers {years[0]}-{years[-1]}; choose a year in that range"
        raise PackSharingError(msg)
    moto = [i for i, v in enumerate(fleet_forecast.vehicle_types) if v.startswith("motorcycle")]
    stock = np.asarray(fleet_forecast.packs.stock)[years.index(year), moto, :].sum(axis=0)
    total = float(stock.sum())
    if total <= 0:
        msg = f"the forecast has no e-motorcycles in {year}"
        raise PackSharingError(msg)
    mix = {
        chem: float(s) / total for chem, s in zip(fleet_forecast.chemistries, stock, strict=True)
    }
    return total, mix


def _station_packs(riders: int, pack_kwh: float) -> tuple[int, int, dict[InputKey, Provenance]]:
    """Size one average station for a shared pool and for one cabinet per brand."""
    from sinergi.circularity.swapping import compare_pooling, load_swap_reference, swap_demand

    swap = load_swap_reference()
    params = swap.parameters
    demand = swap_demand(
        riders,
        params.km_per_day.value,
        params.wh_per_km.value,
        pack_kwh,
        usable_depth_of_discharge=params.usable_depth_of_discharge.value,
        swap_threshold_soc=params.swap_threshold_soc.value,
        hourly_weights=swap.hourly_profile.weights,
    )
    pooling = compare_pooling(
        demand.peak_hour_swaps, params.charge_hours.value, swap.brand_shares.shares
    )
    inputs: dict[InputKey, Provenance] = {
        (N_("swap-station parameter"), name): _provenance(getattr(params, name))
        for name in (
            "km_per_day",
            "wh_per_km",
            "usable_depth_of_discharge",
            "swap_threshold_soc",
            "charge_hours",
        )
    }
    inputs[(N_("swap-station parameter"), "hourly_profile")] = _provenance(swap.hourly_profile)
    inputs[(N_("swap-pack brand shares"), "")] = _provenance(swap.brand_shares)
    return pooling.shared_batteries, pooling.proprietary_batteries, inputs


def _metal_content(
    mix: dict[str, float],
) -> tuple[dict[str, float], dict[InputKey, Provenance]]:
    """Return kg per kWh of each metal, averaged over the chemistry mix."""
    from sinergi.circularity.recycling import default_recycling_data

    content = default_recycling_data().metal_kg_per_kwh
    metals = {
        element: sum(share * content[chem][element].value for chem, share in mix.items())
        for element in METALS
    }
    inputs: dict[InputKey, Provenance] = {
        (N_("metal per kWh of cells"), f"{element}, {chem}"): _provenance(content[chem][element])
        for chem in mix
        for element in METALS
    }
    return metals, inputs


def _provenance(value: Any) -> Provenance:
    """Return a circularity reference value as the one shared type, keeping its number."""
    if isinstance(value, Provenance):
        return value
    number = getattr(value, "value", None)
    fields: dict[str, Any] = {"note": getattr(value, "note", None)}
    if getattr(value, "illustrative", False):
        fields["illustrative"] = True
    else:
        fields["source"] = getattr(value, "source", None) or "sinergi circularity data"
        fields["year"] = getattr(value, "year", None) or "n/a"
    if isinstance(number, int | float):
        return Sourced(value=float(number), unit=getattr(value, "unit", None), **fields)
    return Provenance(**fields)
