"""Battery swap stations for e-motorcycles: demand, closed-form queue, sizing and pooling.

The station model (stated once, used everywhere here)
-----------------------------------------------------
A station holds ``batteries`` packs of its own and ``chargers`` charging slots. A rider arrives
with a depleted pack, drops it and takes a charged pack from the shelf; when the shelf is empty
the rider waits until the next pack finishes charging (first come, first served). Let ``N`` be
the number of packs at the station that are not yet charged (charging, or waiting for a free
charger). Every arrival adds one to ``N`` and every finished charge removes one, and at most
``chargers`` packs charge at once, so with Poisson arrivals at rate ``lambda`` and exponential
charge times of mean ``1/mu``, ``N`` is exactly the queue length of an M/M/c queue with
``c = chargers`` servers. The shelf holds ``max(batteries - N, 0)`` charged packs and
``max(N - batteries, 0)`` riders wait, so by PASTA

* ``P(wait) = P(N >= batteries)``; for ``batteries >= chargers`` this is
  ``ErlangC(c, a) * rho ** (batteries - c)`` with offered load ``a = lambda / mu`` and
  ``rho = a / c``;
* ``mean wait = E[max(N - batteries, 0)] / lambda`` (Little's law); for
  ``batteries >= chargers`` it equals ``P(wait) / (c * mu - lambda)``.

A cabinet in which every pack sits in its own charging slot is the case
``chargers == batteries``, where ``P(wait)`` is Erlang C itself. Assumptions: arrivals are
Poisson at a constant rate (the peak hour, which makes the sizing conservative), charge times
are exponential, riders do not balk, and every depleted pack is recharged at the station.
:mod:`sinergi.circularity.swapping_sim` drops the last three distributional assumptions and is
tested against these formulas where they hold.

Units: rates in swaps per hour, times in hours, energy in kWh (pack) and Wh/km (use).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from scipy.stats import poisson

from sinergi.errors import ReferenceDataError, SwapInputError, UnstableSwapStation
from sinergi.reference import Provenance, Sourced, bibliography

# --- reference data --------------------------------------------------------------------


class Parameter(Sourced):
    """One positive reference value with its unit, optional range and provenance."""

    value: float = Field(gt=0)
    unit: str


class Pack(Provenance):
    """A standard swap pack (SNI 8928:2020 family)."""

    id: str
    label: str
    nominal_voltage_v: float = Field(gt=0)
    capacity_ah: float = Field(gt=0)
    energy_kwh: float = Field(gt=0)


class HourlyProfile(Provenance):
    """Share of a day's swaps in each hour of the day (weights, normalised on use)."""

    weights: list[float] = Field(min_length=24, max_length=24)

    @model_validator(mode="after")
    def _usable(self) -> HourlyProfile:
        if min(self.weights) < 0 or sum(self.weights) <= 0:
            msg = "weights must be non-negative with a positive sum"
            raise ValueError(msg)
        return self


class BrandShares(Provenance):
    """Fleet shares of brands that would each run a proprietary pack."""

    shares: dict[str, float] = Field(min_length=1)


class Pilot(Provenance):
    """A real swap pilot whose fleet and station count size the demonstration station."""

    name: str
    name_id: str
    riders: int = Field(gt=0)
    stations: int = Field(gt=0)


class SwapParameters(BaseModel):
    """The usage parameters a swap calculation needs by default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    km_per_day: Parameter
    wh_per_km: Parameter
    usable_depth_of_discharge: Parameter
    swap_threshold_soc: Parameter
    charge_hours: Parameter


class SwapReference(BaseModel):
    """The whole ``data/circularity/swap.yaml`` file, validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    packs: list[Pack] = Field(min_length=1)
    default_pack: str
    parameters: SwapParameters
    hourly_profile: HourlyProfile
    brand_shares: BrandShares
    pilot: Pilot
    benchmarks: dict[str, Parameter]

    @model_validator(mode="after")
    def _default_pack_exists(self) -> SwapReference:
        if self.default_pack not in {p.id for p in self.packs}:
            msg = f"default_pack {self.default_pack!r} is not among the packs' ids"
            raise ValueError(msg)
        return self

    def pack(self, pack_id: str | None = None) -> Pack:
        """Return the pack with ``pack_id`` (the default pack when ``None``)."""
        wanted = pack_id or self.default_pack
        for pack in self.packs:
            if pack.id == wanted:
                return pack
        known = ", ".join(p.id for p in self.packs)
        msg = f"pack {wanted!r} is not a known swap pack; use one of: {known}"
        raise SwapInputError(msg)


def load_swap_reference(path: Path | None = None) -> SwapReference:
    """Read and validate swap reference data (the shipped file when ``path`` is ``None``).

    Validation happens here, at the boundary, so that a value without a source or an
    illustrative flag can never reach a result.

    Raises
    ------
    ReferenceDataError
        Naming the file, the key path and the problem.
    """
    if path is None:
        return _shipped_reference()
    return _parse_reference(path.read_text("utf-8"), str(path))


@cache
def _shipped_reference() -> SwapReference:
    text = resources.files("sinergi.data").joinpath("circularity/swap.yaml").read_text("utf-8")
    return _parse_reference(text, "sinergi/data/circularity/swap.yaml")


def _parse_reference(text: str, where: str) -> SwapReference:
    try:
        reference = SwapReference.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc']) or '(top level)'}: {e['msg']}"
            for e in exc.errors()
        )
        msg = (
            f"{where}: {problems}. Fix these keys (every value needs source and year, "
            "or illustrative: true)"
        )
        raise ReferenceDataError(msg) from exc
    _check_sources(reference, where)
    return reference


def _check_sources(reference: SwapReference, where: str) -> None:
    """Refuse a source key missing from the bibliography, or an unexplained illustrative value."""
    known = set(bibliography())
    items: list[tuple[str, Provenance]] = [
        *((f"packs.{p.id}", p) for p in reference.packs),
        *(
            (f"parameters.{name}", getattr(reference.parameters, name))
            for name in SwapParameters.model_fields
        ),
        ("hourly_profile", reference.hourly_profile),
        ("brand_shares", reference.brand_shares),
        ("pilot", reference.pilot),
        *((f"benchmarks.{k}", v) for k, v in reference.benchmarks.items()),
    ]
    for key, item in items:
        unknown = sorted(set(item.refs) - known)
        if unknown:
            msg = f"{where}: {key}.refs names {unknown}, which are not in the bibliography"
            raise ReferenceDataError(msg)
        if item.illustrative and not item.note:
            msg = f"{where}: {key} is illustrative without a note; say why it has no source"
            raise ReferenceDataError(msg)


# --- demand ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SwapDemand:
    """Swaps a fleet asks for: per day, per rider and hour by hour."""

    riders: int
    km_per_day: float
    wh_per_km: float
    pack_kwh: float
    energy_per_swap_kwh: float
    km_per_swap: float
    swaps_per_rider_day: float
    swaps_per_day: float
    hourly_swaps: tuple[float, ...]

    @property
    def peak_hour_swaps(self) -> float:
        """Swaps in the busiest hour of the day (the closed-form design rate, per hour)."""
        return max(self.hourly_swaps)


def swap_demand(
    riders: int,
    km_per_day: float,
    wh_per_km: float,
    pack_kwh: float,
    *,
    usable_depth_of_discharge: float,
    swap_threshold_soc: float,
    hourly_weights: Sequence[float],
) -> SwapDemand:
    """Turn a fleet's daily riding into swaps per day and an hourly arrival profile.

    A rider swaps when the pack reaches ``swap_threshold_soc`` of its usable energy, so each
    swap replaces ``pack_kwh * usable_depth_of_discharge * (1 - swap_threshold_soc)`` kWh; in
    steady state the swap rate is the energy ridden per day divided by that.

    Examples
    --------
    >>> d = swap_demand(100, 90.0, 20.0, 1.2, usable_depth_of_discharge=0.9,
    ...                 swap_threshold_soc=0.2, hourly_weights=[1.0] * 24)
    >>> round(d.km_per_swap, 1), round(d.swaps_per_day, 1)
    (43.2, 208.3)
    """
    _require_int("riders", riders, minimum=1)
    for name, value in (("km_per_day", km_per_day), ("wh_per_km", wh_per_km)):
        _require_positive(name, value)
    _require_positive("pack_kwh", pack_kwh)
    _require_fraction("usable_depth_of_discharge", usable_depth_of_discharge, closed=True)
    _require_fraction("swap_threshold_soc", swap_threshold_soc, closed=False, allow_zero=True)
    weights = np.asarray(hourly_weights, dtype=float)
    if weights.shape != (24,) or not np.all(np.isfinite(weights)) or weights.min() < 0:
        msg = "hourly_weights: give 24 finite, non-negative weights (00:00-01:00 first)"
        raise SwapInputError(msg)
    if weights.sum() <= 0:
        msg = "hourly_weights: at least one hour needs a positive weight"
        raise SwapInputError(msg)
    energy = pack_kwh * usable_depth_of_discharge * (1.0 - swap_threshold_soc)
    km_per_swap = energy * 1000.0 / wh_per_km
    per_rider = km_per_day / km_per_swap
    per_day = riders * per_rider
    hourly = per_day * weights / weights.sum()
    return SwapDemand(
        riders=riders,
        km_per_day=float(km_per_day),
        wh_per_km=float(wh_per_km),
        pack_kwh=float(pack_kwh),
        energy_per_swap_kwh=energy,
        km_per_swap=km_per_swap,
        swaps_per_rider_day=per_rider,
        swaps_per_day=per_day,
        hourly_swaps=tuple(float(h) for h in hourly),
    )


# --- closed-form queue -----------------------------------------------------------------


def erlang_b(servers: int, load: float) -> float:
    """Return the Erlang B blocking probability of ``servers`` servers at ``load`` erlangs.

    Uses the recursion ``B(0) = 1``, ``B(n) = a B(n-1) / (n + a B(n-1))``, which never forms
    ``a**n`` or ``n!`` and so stays accurate for thousands of servers.

    Examples
    --------
    >>> erlang_b(2, 1.0)
    0.2
    """
    _require_int("servers", servers, minimum=1)
    _require_load(load)
    blocking = 1.0
    for n in range(1, servers + 1):
        blocking = load * blocking / (n + load * blocking)
    return blocking


def erlang_c(servers: int, load: float) -> float:
    """Return the Erlang C probability that an arrival waits in an M/M/c queue.

    Computed from Erlang B as ``C = c B / (c - a (1 - B))``. At or above saturation
    (``load >= servers``) every arrival eventually waits, so the result is 1.

    Examples
    --------
    >>> round(erlang_c(2, 1.0), 6)
    0.333333
    """
    blocking = erlang_b(servers, load)
    if load >= servers:
        return 1.0
    return servers * blocking / (servers - load * (1.0 - blocking))


@dataclass(frozen=True, slots=True)
class StationDesign:
    """A station design and its closed-form performance at one arrival rate."""

    chargers: int
    batteries: int
    p_wait: float
    mean_wait_h: float


def station_performance(
    arrival_rate: float, charge_hours: float, chargers: int, batteries: int
) -> StationDesign:
    """Return P(wait) and mean wait (h) of a station under the module's M/M/c mapping.

    Raises
    ------
    UnstableSwapStation
        When ``arrival_rate * charge_hours >= chargers``: packs arrive faster than they can be
        recharged and the queue grows without bound.
    """
    _require_positive("arrival_rate", arrival_rate)
    _require_positive("charge_hours", charge_hours)
    _require_int("chargers", chargers, minimum=1)
    _require_int("batteries", batteries, minimum=1)
    load = arrival_rate * charge_hours
    if load >= chargers:
        msg = (
            f"{arrival_rate:.3g} swaps/h x {charge_hours:.3g} h charge = {load:.3g} erlangs needs "
            f"more than {chargers} charger(s); add chargers or shorten the charge time"
        )
        raise UnstableSwapStation(msg)
    p_at_least, excess = _tail_and_excess(chargers, load, batteries)
    return StationDesign(chargers, batteries, p_at_least, excess / arrival_rate)


def _tail_and_excess(chargers: int, load: float, batteries: int) -> tuple[float, float]:
    """Return ``P(N >= batteries)`` and ``E[max(N - batteries, 0)]`` for M/M/c, stable c."""
    c, rho = chargers, load / chargers
    wait_c = erlang_c(c, load)
    # Beyond c the M/M/c distribution is geometric: pi_n = pi_c rho**(n-c).
    if batteries >= c:
        tail = wait_c * rho ** (batteries - c)
        return tail, tail * rho / (1.0 - rho)
    # Below c it is Poisson(load) truncated to 0..c-1, carrying mass 1 - ErlangC.
    below = 1.0 - wait_c
    norm = float(poisson.cdf(c - 1, load))
    between = float(poisson.sf(batteries - 1, load) - poisson.sf(c - 1, load))
    tail = wait_c + below * between / norm
    n = np.arange(batteries, c)
    head_excess = below * float(np.sum((n - batteries) * poisson.pmf(n, load))) / norm
    excess = head_excess + wait_c * (rho / (1.0 - rho) + (c - batteries))
    return tail, excess


# --- sizing ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StationSizing:
    """Designs that meet a waiting target at one peak arrival rate.

    ``frontier`` trades chargers for packs: from the fewest chargers that keep the queue stable
    (many packs) to the design with the fewest packs, ``fewest_batteries``, which is reached
    no later than the cabinet in which every pack has its own charger (no design with
    ``chargers <= batteries`` needs fewer packs than that cabinet).
    """

    arrival_rate: float
    charge_hours: float
    target_p_wait: float
    frontier: tuple[StationDesign, ...]

    @property
    def fewest_batteries(self) -> StationDesign:
        """The design with the fewest packs (and, among those, the fewest chargers)."""
        return self.frontier[-1]

    @property
    def load(self) -> float:
        """Offered load in erlangs: packs charging on average."""
        return self.arrival_rate * self.charge_hours


def size_station(
    arrival_rate: float, charge_hours: float, target_p_wait: float = 0.05
) -> StationSizing:
    """Find the smallest stations whose closed-form P(wait) is at most ``target_p_wait``.

    Designs keep ``chargers <= batteries`` (a charger holds a pack, and a charger without a
    pack to charge is idle except while riders wait).

    Examples
    --------
    >>> s = size_station(10.0, 1.0, 0.05)
    >>> best = s.fewest_batteries
    >>> one_fewer = station_performance(10.0, 1.0, best.chargers, best.batteries - 1)
    >>> best.p_wait <= 0.05 < one_fewer.p_wait
    True
    """
    _require_positive("arrival_rate", arrival_rate)
    _require_positive("charge_hours", charge_hours)
    _require_fraction("target_p_wait", target_p_wait, closed=False)
    load = arrival_rate * charge_hours
    cabinet = math.floor(load) + 1
    while erlang_c(cabinet, load) > target_p_wait:
        cabinet += 1
    frontier: list[StationDesign] = []
    for chargers in range(math.floor(load) + 1, cabinet + 1):
        batteries = _fewest_batteries(chargers, load, target_p_wait)
        if frontier and frontier[-1].batteries == batteries:
            continue
        frontier.append(station_performance(arrival_rate, charge_hours, chargers, batteries))
    return StationSizing(
        arrival_rate=arrival_rate,
        charge_hours=charge_hours,
        target_p_wait=target_p_wait,
        frontier=tuple(frontier),
    )


def _fewest_batteries(chargers: int, load: float, target: float) -> int:
    """Smallest ``batteries >= chargers`` with ``ErlangC * rho**(batteries - c) <= target``."""
    wait_c = erlang_c(chargers, load)
    if wait_c <= target:
        return chargers
    rho = load / chargers
    extra = max(math.ceil(math.log(target / wait_c) / math.log(rho)), 0)
    # Guard the ceiling against round-off on either side.
    while extra > 0 and wait_c * rho ** (extra - 1) <= target:
        extra -= 1
    while wait_c * rho**extra > target:
        extra += 1
    return chargers + extra


def sizing_curves(
    arrival_rate: float,
    charge_hours: float,
    chargers: Sequence[int],
    batteries: Sequence[int],
) -> NDArray[np.float64]:
    """Return closed-form P(wait) for each charger count (rows) and battery count (columns).

    Unstable combinations (load at or above the charger count) are ``nan``: no steady state.
    """
    table = np.full((len(chargers), len(batteries)), np.nan)
    load = arrival_rate * charge_hours
    for i, c in enumerate(chargers):
        if load >= c:
            continue
        for j, b in enumerate(batteries):
            table[i, j] = station_performance(arrival_rate, charge_hours, c, b).p_wait
    return table


# --- shared vs proprietary packs -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PoolingComparison:
    """Station packs and chargers for one shared standard pack vs one pack per brand.

    Every station is sized with :func:`size_station` (the fewest-batteries cabinet). With
    proprietary packs each brand needs its own cabinet at every station, sized for its share of
    the riders; a shared pack pools them, and pooling needs fewer packs for the same target.
    """

    stations: int
    shared: StationDesign
    proprietary: dict[str, StationDesign]
    shares: dict[str, float]

    @property
    def shared_batteries(self) -> int:
        """Station packs in the whole network with one shared standard pack."""
        return self.stations * self.shared.batteries

    @property
    def proprietary_batteries(self) -> int:
        """Station packs in the whole network with one proprietary pack per brand."""
        return self.stations * sum(d.batteries for d in self.proprietary.values())

    @property
    def shared_chargers(self) -> int:
        """Chargers in the whole network with the shared pack."""
        return self.stations * self.shared.chargers

    @property
    def proprietary_chargers(self) -> int:
        """Chargers in the whole network with proprietary packs."""
        return self.stations * sum(d.chargers for d in self.proprietary.values())

    @property
    def batteries_saved(self) -> int:
        """Station packs a shared standard saves over proprietary packs."""
        return self.proprietary_batteries - self.shared_batteries


def compare_pooling(
    station_rate: float,
    charge_hours: float,
    shares: Mapping[str, float],
    *,
    stations: int = 1,
    target_p_wait: float = 0.05,
) -> PoolingComparison:
    """Size every station for a shared pack and for one proprietary pack per brand.

    Riders of brand ``k`` (share ``s_k``) arrive at each station at ``s_k * station_rate``;
    each brand's cabinet is sized separately for the same waiting target.
    """
    _require_int("stations", stations, minimum=1)
    checked = _check_shares(shares)
    shared = size_station(station_rate, charge_hours, target_p_wait).fewest_batteries
    proprietary = {
        brand: size_station(station_rate * share, charge_hours, target_p_wait).fewest_batteries
        for brand, share in checked.items()
    }
    return PoolingComparison(stations, shared, proprietary, checked)


def _check_shares(shares: Mapping[str, float]) -> dict[str, float]:
    if not shares:
        msg = "brand shares: give at least one brand"
        raise SwapInputError(msg)
    for brand, share in shares.items():
        if not (math.isfinite(share) and 0 < share <= 1):
            msg = f"brand share {brand!r} = {share!r}: use a fraction in (0, 1]"
            raise SwapInputError(msg)
    total = math.fsum(shares.values())
    if abs(total - 1.0) > 1e-6:
        msg = f"brand shares sum to {total:.6g}, not 1; rescale them"
        raise SwapInputError(msg)
    return dict(shares)


# --- input checks ----------------------------------------------------------------------


def _require_positive(name: str, value: float) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
        msg = f"{name} = {value!r}: use a finite number greater than 0"
        raise SwapInputError(msg)


def _require_int(name: str, value: Any, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        msg = f"{name} = {value!r}: use a whole number of at least {minimum}"
        raise SwapInputError(msg)


def _require_load(load: float) -> None:
    if not (math.isfinite(load) and load >= 0):
        msg = f"load = {load!r} erlangs: use a finite number of at least 0"
        raise SwapInputError(msg)


def _require_fraction(name: str, value: float, *, closed: bool, allow_zero: bool = False) -> None:
    low_ok = value >= 0 if allow_zero else value > 0
    high_ok = value <= 1 if closed else value < 1
    if not (math.isfinite(value) and low_ok and high_ok):
        bracket = ("[" if allow_zero else "(") + "0, 1" + ("]" if closed else ")")
        msg = f"{name} = {value!r}: use a fraction in {bracket}"
        raise SwapInputError(msg)
