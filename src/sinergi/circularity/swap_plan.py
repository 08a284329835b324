"""Plan a swap network from a fleet, as plain data, and plan the demonstration pilot.

:func:`plan_swap_network` fills every input the user did not give from
``data/circularity/swap.yaml`` and keeps where each value came from, so that a result built on
an illustrative value says so. The CLI (``sinergi battery swap``) and :func:`pilot_plan` (used
by the demo job) both use it; this module computes and returns records, and never writes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from sinergi.circularity.inputs import provenance_of
from sinergi.circularity.swapping import (
    Parameter,
    PoolingComparison,
    StationDesign,
    StationSizing,
    SwapDemand,
    SwapReference,
    compare_pooling,
    load_swap_reference,
    size_station,
    sizing_curves,
    swap_demand,
)
from sinergi.circularity.swapping_sim import (
    ChargeModel,
    Estimate,
    SimulatedSizing,
    SimulationResult,
    simulate_station,
    size_cabinet_by_simulation,
)
from sinergi.errors import SwapInputError
from sinergi.reference import Provenance

Standard = Literal["shared", "proprietary"]
"""One shared standard pack for every brand, or one proprietary pack per brand."""

MODEL_NOTE = (
    "Closed form: packs not yet charged form an M/M/c queue with one server per charger; a "
    "rider waits when none of the station's packs is charged. Assumes Poisson arrivals at the "
    "peak-hour rate all day (conservative), exponential charge times, no balking, riders "
    "spread evenly over stations and, with proprietary packs, every brand at every station."
)


@dataclass(frozen=True, slots=True)
class InputValue:
    """One input of a plan: given by the user, or taken from reference data with provenance."""

    value: float
    unit: str
    origin: Literal["user", "reference"]
    provenance: Provenance | None = None

    @property
    def illustrative(self) -> bool:
        """Whether the value is an illustrative reference value (no source found)."""
        return self.provenance is not None and self.provenance.illustrative

    def record(self) -> dict[str, Any]:
        """Return the input as JSON-ready data."""
        data: dict[str, Any] = {"value": self.value, "unit": self.unit, "origin": self.origin}
        if self.provenance is not None:
            data["provenance"] = self.provenance.record()
        return data


@dataclass(frozen=True, slots=True)
class SwapPlan:
    """A fleet's swap demand, one station's sizing, and the network under both standards."""

    inputs: dict[str, InputValue]
    pack_id: str
    demand: SwapDemand
    stations: int
    sizing: StationSizing
    pooling: PoolingComparison
    standard: Standard
    benchmarks: dict[str, Parameter]

    @property
    def station_hourly_swaps(self) -> tuple[float, ...]:
        """Swaps per hour at one station, hour by hour (riders spread evenly)."""
        return tuple(h / self.stations for h in self.demand.hourly_swaps)

    @property
    def illustrative(self) -> list[str]:
        """Names of the inputs that rest on illustrative (unsourced) values."""
        return [name for name, value in self.inputs.items() if value.illustrative]

    def station_designs(self) -> dict[str, StationDesign]:
        """Return the cabinet(s) one station needs under the chosen standard, by pack owner."""
        if self.standard == "shared":
            return {"shared": self.pooling.shared}
        return dict(self.pooling.proprietary)


def plan_swap_network(
    riders: int,
    *,
    km_per_day: float | None = None,
    wh_per_km: float | None = None,
    pack: str | None = None,
    stations: int = 1,
    target_p_wait: float = 0.05,
    charge_hours: float | None = None,
    standard: Standard = "shared",
    reference: SwapReference | None = None,
) -> SwapPlan:
    """Size a swap network for ``riders`` spread evenly over ``stations`` stations.

    Inputs left as ``None`` come from the reference data, with their provenance (and
    illustrative flag) recorded in :attr:`SwapPlan.inputs`. Each station is sized for its
    share of the peak-hour swaps (:func:`~sinergi.circularity.swapping.size_station`).

    Examples
    --------
    >>> plan = plan_swap_network(250, stations=4)
    >>> plan.pooling.batteries_saved >= 0, "charge_hours" in plan.illustrative
    (True, True)
    """
    if standard not in ("shared", "proprietary"):
        msg = f"standard = {standard!r}: use 'shared' or 'proprietary'"
        raise SwapInputError(msg)
    if isinstance(stations, bool) or not isinstance(stations, int) or stations < 1:
        msg = f"stations = {stations!r}: use a whole number of at least 1"
        raise SwapInputError(msg)
    ref = reference or load_swap_reference()
    inputs = _inputs(ref, pack, km_per_day=km_per_day, wh_per_km=wh_per_km, charge=charge_hours)
    demand = swap_demand(
        riders,
        inputs["km_per_day"].value,
        inputs["wh_per_km"].value,
        inputs["pack_kwh"].value,
        usable_depth_of_discharge=inputs["usable_depth_of_discharge"].value,
        swap_threshold_soc=inputs["swap_threshold_soc"].value,
        hourly_weights=ref.hourly_profile.weights,
    )
    peak = demand.peak_hour_swaps / stations
    hours = inputs["charge_hours"].value
    return SwapPlan(
        inputs=inputs,
        pack_id=ref.pack(pack).id,
        demand=demand,
        stations=stations,
        sizing=size_station(peak, hours, target_p_wait),
        pooling=compare_pooling(
            peak,
            hours,
            ref.brand_shares.shares,
            stations=stations,
            target_p_wait=target_p_wait,
        ),
        standard=standard,
        benchmarks=dict(ref.benchmarks),
    )


def _inputs(
    ref: SwapReference,
    pack: str | None,
    *,
    km_per_day: float | None,
    wh_per_km: float | None,
    charge: float | None,
) -> dict[str, InputValue]:
    chosen = ref.pack(pack)
    params = ref.parameters
    profile, shares = ref.hourly_profile, ref.brand_shares
    return {
        "km_per_day": _input(km_per_day, params.km_per_day),
        "wh_per_km": _input(wh_per_km, params.wh_per_km),
        "usable_depth_of_discharge": _input(None, params.usable_depth_of_discharge),
        "swap_threshold_soc": _input(None, params.swap_threshold_soc),
        "charge_hours": _input(charge, params.charge_hours),
        "pack_kwh": InputValue(
            chosen.energy_kwh, f"kWh ({chosen.id})", "reference", provenance_of(chosen)
        ),
        "hourly_profile": InputValue(
            max(profile.weights) / sum(profile.weights),
            "share of daily swaps in the peak hour",
            "reference",
            provenance_of(profile),
        ),
        "brand_shares": InputValue(
            float(len(shares.shares)),
            "brands, " + ", ".join(f"{k} {v:g}" for k, v in shares.shares.items()),
            "reference",
            provenance_of(shares),
        ),
    }


def _input(given: float | None, default: Parameter) -> InputValue:
    if given is not None:
        return InputValue(float(given), default.unit, "user")
    return InputValue(default.value, default.unit, "reference", provenance_of(default))


@dataclass(frozen=True, slots=True)
class PlanSimulation:
    """Simulation runs of a plan's cabinets, and optional daily-profile sizing by simulation."""

    runs: dict[str, dict[str, SimulationResult]]
    sizing: dict[str, SimulatedSizing]


def simulate_plan(
    plan: SwapPlan,
    *,
    replications: int = 20,
    seed: int = 0,
    charge: ChargeModel = "exponential",
    days: int = 10,
    size_by_simulation: bool = False,
) -> PlanSimulation:
    """Simulate each station cabinet of the plan at the peak rate and over the daily profile.

    The constant peak-rate run checks the closed form (with exponential charging it should
    agree within the interval); the daily-profile run shows the waiting a rider sees over a
    whole day, which the peak-hour closed form overstates. With ``size_by_simulation`` the
    smallest cabinet (one charger per pack) meeting the target over the daily profile is also
    searched for, where no closed form applies.
    """
    hours = plan.inputs["charge_hours"].value
    horizon = 24.0 * (days + 1)
    runs: dict[str, dict[str, SimulationResult]] = {}
    sized: dict[str, SimulatedSizing] = {}
    for owner, design in plan.station_designs().items():
        share = 1.0 if owner == "shared" else plan.pooling.shares[owner]
        hourly = [h * share for h in plan.station_hourly_swaps]
        runs[owner] = {
            label: simulate_station(
                rates,
                hours,
                design.chargers,
                design.batteries,
                charge=charge,
                horizon_hours=horizon,
                warmup_hours=24.0,
                replications=replications,
                seed=seed,
            )
            for label, rates in (("peak_hour", max(hourly)), ("daily_profile", hourly))
        }
        if size_by_simulation:
            sized[owner] = size_cabinet_by_simulation(
                hourly,
                hours,
                plan.sizing.target_p_wait,
                design.batteries,
                charge=charge,
                horizon_hours=horizon,
                warmup_hours=24.0,
                replications=replications,
                seed=seed,
            )
    return PlanSimulation(runs, sized)


def plan_record(plan: SwapPlan, simulation: PlanSimulation | None = None) -> dict[str, Any]:
    """Return the plan as a JSON-ready dict (waits in minutes, NaN as ``None``)."""
    sizing, pooling = plan.sizing, plan.pooling
    record: dict[str, Any] = {
        "model": MODEL_NOTE,
        "standard": plan.standard,
        "illustrative_inputs": plan.illustrative,
        "inputs": {name: value.record() for name, value in plan.inputs.items()},
        "demand": {
            "riders": plan.demand.riders,
            "energy_per_swap_kwh": plan.demand.energy_per_swap_kwh,
            "km_per_swap": plan.demand.km_per_swap,
            "swaps_per_rider_day": plan.demand.swaps_per_rider_day,
            "swaps_per_day": plan.demand.swaps_per_day,
            "peak_hour_swaps": plan.demand.peak_hour_swaps,
        },
        "station": {
            "stations": plan.stations,
            "riders_per_station": plan.demand.riders / plan.stations,
            "swaps_per_day": plan.demand.swaps_per_day / plan.stations,
            "hourly_swaps": list(plan.station_hourly_swaps),
            "peak_hour_swaps": sizing.arrival_rate,
            "load_erlangs": sizing.load,
            "target_p_wait": sizing.target_p_wait,
            "designs": {k: _design(d) for k, d in plan.station_designs().items()},
            "frontier": [_design(d) for d in sizing.frontier],
            "sizing_curves": _curves(sizing),
        },
        "network": {
            "shared": {
                "batteries": pooling.shared_batteries,
                "chargers": pooling.shared_chargers,
            },
            "proprietary": {
                "batteries": pooling.proprietary_batteries,
                "chargers": pooling.proprietary_chargers,
                "by_brand": {k: _design(d) for k, d in pooling.proprietary.items()},
            },
            "batteries_saved_by_shared_pack": pooling.batteries_saved,
            "batteries_in_vehicles": plan.demand.riders,
        },
    }
    record["benchmarks"] = _benchmarks(plan)
    if simulation is not None:
        record["simulation"] = {
            owner: {label: _simulation(r) for label, r in runs.items()}
            for owner, runs in simulation.runs.items()
        }
        record["simulated_cabinet_sizing"] = {
            owner: _sized(result) for owner, result in simulation.sizing.items()
        }
    return record


def _sized(result: SimulatedSizing) -> dict[str, Any]:
    return {
        "arrivals": "daily_profile",
        "batteries": result.batteries,
        "chargers": result.batteries,
        "target_p_wait": result.target_p_wait,
        "rule": "smallest cabinet whose 95 % interval of P(wait) is at or below the target",
        "evaluated": [
            {"batteries": b, "p_wait": {"mean": e.mean, "low": e.low, "high": e.high}}
            for b, e in result.evaluated
        ],
    }


def _benchmarks(plan: SwapPlan) -> dict[str, Any]:
    """Return sourced comparators, with the pack count the kiosk rule of thumb gives."""
    marks: dict[str, Any] = {name: p.record() for name, p in plan.benchmarks.items()}
    extra = plan.benchmarks.get("extra_packs_over_peak_hour")
    if extra is not None:
        packs = plan.sizing.arrival_rate * (1.0 + extra.value)
        marks["extra_packs_over_peak_hour"]["packs_for_this_station"] = packs
    return marks


def _design(design: StationDesign) -> dict[str, Any]:
    return {
        "chargers": design.chargers,
        "batteries": design.batteries,
        "p_wait": design.p_wait,
        "mean_wait_min": design.mean_wait_h * 60.0,
    }


def _curves(sizing: StationSizing) -> dict[str, Any]:
    """P(wait) against station packs for a few charger counts along the frontier."""
    counts = sorted({d.chargers for d in sizing.frontier})
    picks = sorted({counts[round(i * (len(counts) - 1) / 3)] for i in range(4)})
    top = max(2 * max(picks), sizing.fewest_batteries.batteries + 5)
    batteries = list(range(1, top + 1))
    table = sizing_curves(sizing.arrival_rate, sizing.charge_hours, picks, batteries)
    return {
        "chargers": picks,
        "batteries": batteries,
        "p_wait": [[None if math.isnan(v) else float(v) for v in row] for row in table],
    }


def _simulation(result: SimulationResult) -> dict[str, Any]:
    def ci(est: Estimate, scale: float = 1.0) -> dict[str, float]:
        return {"mean": est.mean * scale, "low": est.low * scale, "high": est.high * scale}

    return {
        "p_wait": ci(result.p_wait),
        "mean_wait_min": ci(result.mean_wait_h, 60.0),
        "replications": result.replications,
        "riders_per_replication": result.riders_per_replication,
        "charge": result.charge,
        "horizon_hours": result.horizon_hours,
        "warmup_hours": result.warmup_hours,
        "seed": result.seed,
        "confidence": 0.95,
    }


@dataclass(frozen=True)
class PilotPlan:
    """The demonstration pilot's plan and simulation, as a JSON-ready record and a summary."""

    record: dict[str, Any]
    summary: dict[str, Any]


def pilot_plan(reference: SwapReference | None = None) -> PilotPlan:
    """Size the stations of the Gogoro-Gojek-Electrum pilot and simulate them (seed 0).

    The fleet (250 riders) and station count (4) are sourced; daily distance is a weakly
    sourced midpoint; energy use, charge time, the hourly profile and brand shares are
    illustrative and listed as such in the record and in the summary.
    """
    ref = reference or load_swap_reference()
    pilot = ref.pilot
    plan = plan_swap_network(pilot.riders, stations=pilot.stations, reference=ref)
    simulation = simulate_plan(plan, replications=20, seed=0, size_by_simulation=True)
    record = plan_record(plan, simulation)
    record["pilot"] = pilot.model_dump(mode="json", exclude_defaults=True)
    design = plan.pooling.shared
    daily = simulation.runs["shared"]["daily_profile"].p_wait
    summary = {
        "pilot": pilot.name,
        "riders": pilot.riders,
        "stations": pilot.stations,
        "swaps_per_station_day": plan.demand.swaps_per_day / pilot.stations,
        "peak_hour_swaps_per_station": plan.sizing.arrival_rate,
        "chargers_per_station": design.chargers,
        "batteries_per_station": design.batteries,
        "p_wait_peak_closed_form": design.p_wait,
        "p_wait_daily_simulated": [daily.mean, daily.low, daily.high],
        "cabinet_batteries_daily_simulated": simulation.sizing["shared"].batteries,
        "network_batteries_shared": plan.pooling.shared_batteries,
        "network_batteries_proprietary": plan.pooling.proprietary_batteries,
        "illustrative_inputs": plan.illustrative,
    }
    return PilotPlan(record, summary)
