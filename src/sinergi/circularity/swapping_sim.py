"""Discrete-event simulation of a battery swap station (SimPy), with replications and CIs.

The simulated station is the one :mod:`sinergi.circularity.swapping` describes: riders drop a
depleted pack and take a charged one from the shelf, waiting first-come-first-served when the
shelf is empty; each dropped pack waits for a free charger, charges, and returns to the shelf.
The simulation relaxes the closed form's assumptions: arrivals may follow an hourly profile
(a non-homogeneous Poisson process with piecewise-constant rates) and charge times may be
deterministic. With a constant rate and exponential charging it must agree with the closed
form, and the tests show that it does.

Randomness: one :class:`numpy.random.SeedSequence` per call, spawned into one independent
child per replication, so results are reproducible and replications are independent. Arrival
and charge times are drawn with numpy up front; SimPy only orders the events.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import simpy
from numpy.typing import NDArray
from scipy.stats import t as student_t

from sinergi.errors import SwapInputError

ChargeModel = Literal["exponential", "deterministic"]
"""How long a pack takes to charge: exponential (the closed form's assumption) or fixed."""


@dataclass(frozen=True, slots=True)
class Estimate:
    """A mean over replications with its two-sided confidence interval (Student t)."""

    mean: float
    low: float
    high: float

    def contains(self, value: float) -> bool:
        """Return whether ``value`` lies inside the interval (ends included)."""
        return self.low <= value <= self.high


@dataclass(frozen=True, slots=True)
class SimulationResult:
    """What the replications measured, after the warm-up, with 95 % confidence intervals."""

    p_wait: Estimate
    mean_wait_h: Estimate
    replications: int
    riders_per_replication: float
    chargers: int
    batteries: int
    charge: ChargeModel
    horizon_hours: float
    warmup_hours: float
    seed: int


def simulate_station(
    arrival_rates: float | Sequence[float],
    charge_hours: float,
    chargers: int,
    batteries: int,
    *,
    charge: ChargeModel = "exponential",
    horizon_hours: float = 24.0 * 10,
    warmup_hours: float = 24.0,
    replications: int = 20,
    seed: int = 0,
    confidence: float = 0.95,
) -> SimulationResult:
    """Simulate a station over independent replications and estimate P(wait) and mean wait.

    Parameters
    ----------
    arrival_rates
        Swaps per hour: one number for a constant rate, or one rate per hour of a period that
        repeats (24 values for a daily profile).
    charge_hours
        Mean (exponential) or exact (deterministic) time to recharge one pack, in hours.
    chargers, batteries
        Charging slots and the station's own packs; the shelf starts full.
    charge
        ``"exponential"`` (the closed form's assumption) or ``"deterministic"`` charge times.
    horizon_hours, warmup_hours
        Riders arriving in ``[warmup_hours, horizon_hours)`` are measured; the warm-up lets the
        station forget its full initial shelf.
    replications, seed
        Independent runs, seeded from ``SeedSequence(seed)``; at least 2 for an interval.
    confidence
        Coverage of the Student-t intervals over replications.

    Examples
    --------
    >>> r = simulate_station(4.0, 1.0, 5, 6, horizon_hours=200.0, replications=3, seed=1)
    >>> 0.0 <= r.p_wait.low <= r.p_wait.mean <= r.p_wait.high <= 1.0
    True
    """
    rates = _check_inputs(arrival_rates, charge_hours, chargers, batteries, charge)
    if not (0 <= warmup_hours < horizon_hours and math.isfinite(horizon_hours)):
        msg = f"warmup_hours = {warmup_hours!r} must be >= 0 and below horizon_hours"
        raise SwapInputError(msg)
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 2:
        msg = f"replications = {replications!r}: use at least 2 to form a confidence interval"
        raise SwapInputError(msg)
    children = np.random.SeedSequence(seed).spawn(replications)
    runs = np.array(
        [
            _replicate(
                rates,
                charge_hours,
                chargers,
                batteries,
                charge,
                (warmup_hours, horizon_hours),
                np.random.default_rng(child),
            )
            for child in children
        ]
    )
    return SimulationResult(
        p_wait=_interval(runs[:, 0], confidence, upper=1.0),
        mean_wait_h=_interval(runs[:, 1], confidence, upper=math.inf),
        replications=replications,
        riders_per_replication=float(runs[:, 2].mean()),
        chargers=chargers,
        batteries=batteries,
        charge=charge,
        horizon_hours=float(horizon_hours),
        warmup_hours=float(warmup_hours),
        seed=seed,
    )


def _check_inputs(
    arrival_rates: float | Sequence[float],
    charge_hours: float,
    chargers: int,
    batteries: int,
    charge: str,
) -> NDArray[np.float64]:
    rates = np.atleast_1d(np.asarray(arrival_rates, dtype=float))
    if rates.ndim != 1 or not np.all(np.isfinite(rates)) or rates.min() < 0 or rates.max() <= 0:
        msg = "arrival_rates: give finite, non-negative swaps per hour with at least one positive"
        raise SwapInputError(msg)
    if not (math.isfinite(charge_hours) and charge_hours > 0):
        msg = f"charge_hours = {charge_hours!r}: use a positive number of hours"
        raise SwapInputError(msg)
    for name, value in (("chargers", chargers), ("batteries", batteries)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            msg = f"{name} = {value!r}: use a whole number of at least 1"
            raise SwapInputError(msg)
    if charge not in ("exponential", "deterministic"):
        msg = f"charge = {charge!r}: use 'exponential' or 'deterministic'"
        raise SwapInputError(msg)
    return rates


def _arrival_times(
    rates: NDArray[np.float64], horizon: float, rng: np.random.Generator
) -> NDArray[np.float64]:
    """Draw a Poisson process with piecewise-constant hourly rates, exactly (no thinning)."""
    hours = math.ceil(horizon)
    hourly = rates[np.arange(hours) % rates.size]
    counts = rng.poisson(hourly)
    starts = np.repeat(np.arange(hours, dtype=float), counts)
    times = np.sort(starts + rng.random(starts.size))
    return times[times < horizon]


def _replicate(
    rates: NDArray[np.float64],
    charge_hours: float,
    chargers: int,
    batteries: int,
    charge: ChargeModel,
    window: tuple[float, float],
    rng: np.random.Generator,
) -> tuple[float, float, float]:
    """Run one replication; return (share of measured riders who waited, mean wait, riders)."""
    warmup, horizon = window
    arrivals = _arrival_times(rates, horizon, rng)
    if charge == "exponential":
        durations = rng.exponential(charge_hours, size=arrivals.size)
    else:
        durations = np.full(arrivals.size, charge_hours)
    waits = np.full(arrivals.size, np.nan)
    env = simpy.Environment()
    shelf = simpy.Container(env, init=batteries)
    slots = simpy.Resource(env, capacity=chargers)
    env.process(_riders(env, arrivals, durations, shelf, slots, waits))
    env.run()
    measured = waits[arrivals >= warmup]
    if measured.size == 0:
        return 0.0, 0.0, 0.0
    waited = ~np.isnan(measured)
    return float(waited.mean()), float(np.where(waited, measured, 0.0).mean()), float(measured.size)


def _riders(
    env: simpy.Environment,
    arrivals: NDArray[np.float64],
    durations: NDArray[np.float64],
    shelf: simpy.Container,
    slots: simpy.Resource,
    waits: NDArray[np.float64],
) -> Generator[simpy.Event, None, None]:
    for i, arrival in enumerate(arrivals):
        yield env.timeout(arrival - env.now)
        env.process(_recharge(env, float(durations[i]), shelf, slots))
        if shelf.level > 0 and not shelf.get_queue:
            # A charged pack is on the shelf and nobody queues ahead of this rider: no wait.
            shelf.get(1)
        else:
            env.process(_wait_for_pack(env, i, shelf, waits))


def _recharge(
    env: simpy.Environment, duration: float, shelf: simpy.Container, slots: simpy.Resource
) -> Generator[simpy.Event, None, None]:
    with slots.request() as slot:
        yield slot
        yield env.timeout(duration)
    yield shelf.put(1)


def _wait_for_pack(
    env: simpy.Environment, index: int, shelf: simpy.Container, waits: NDArray[np.float64]
) -> Generator[simpy.Event, None, None]:
    start = env.now
    yield shelf.get(1)
    waits[index] = env.now - start


def _interval(values: NDArray[np.float64], confidence: float, *, upper: float) -> Estimate:
    """Student-t interval of the mean of independent replication values, kept in [0, upper].

    Clipping only removes values the quantity cannot take (a negative probability or wait).
    """
    mean = float(values.mean())
    half = float(
        student_t.ppf(0.5 + confidence / 2, values.size - 1)
        * values.std(ddof=1)
        / math.sqrt(values.size)
    )
    return Estimate(mean, max(mean - half, 0.0), min(mean + half, upper))


@dataclass(frozen=True, slots=True)
class SimulatedCurve:
    """Simulated P(wait) against station packs, for one charger count or (``None``) cabinets.

    A cabinet has one charger per pack, so its charger count grows with the packs.
    """

    chargers: int | None
    batteries: tuple[int, ...]
    p_wait: tuple[Estimate, ...]

    def fewest_batteries(self, target_p_wait: float) -> int | None:
        """Return the fewest packs whose whole P(wait) interval is at or below the target.

        ``None`` when no pack count on the curve is shown to meet it.
        """
        for batteries, estimate in zip(self.batteries, self.p_wait, strict=True):
            if estimate.high <= target_p_wait:
                return batteries
        return None


def simulate_sizing_curve(
    arrival_rates: float | Sequence[float],
    charge_hours: float,
    chargers: int | None,
    batteries: Sequence[int],
    *,
    charge: ChargeModel = "exponential",
    horizon_hours: float = 24.0 * 10,
    warmup_hours: float = 24.0,
    replications: int = 20,
    seed: int = 0,
) -> SimulatedCurve:
    """Simulate P(wait) for each pack count with common random numbers.

    ``chargers=None`` sizes cabinets (one charger per pack) instead of a fixed charger count.

    Every pack count sees the same arrivals and charge times (the same seed), so differences
    along the curve come from the design, not from noise; this is how a sizing curve for a
    daily profile, where no closed form applies, is drawn.
    """
    runs = [
        simulate_station(
            arrival_rates,
            charge_hours,
            b if chargers is None else chargers,
            b,
            charge=charge,
            horizon_hours=horizon_hours,
            warmup_hours=warmup_hours,
            replications=replications,
            seed=seed,
        ).p_wait
        for b in batteries
    ]
    return SimulatedCurve(chargers, tuple(batteries), tuple(runs))


@dataclass(frozen=True, slots=True)
class SimulatedSizing:
    """The smallest cabinet the simulation shows to meet a waiting target.

    ``batteries`` is ``None`` when even the largest cabinet tried does not meet it;
    ``evaluated`` lists every cabinet simulated on the way, with its P(wait) interval.
    """

    batteries: int | None
    target_p_wait: float
    evaluated: tuple[tuple[int, Estimate], ...]


def size_cabinet_by_simulation(
    arrival_rates: float | Sequence[float],
    charge_hours: float,
    target_p_wait: float,
    largest: int,
    *,
    charge: ChargeModel = "exponential",
    horizon_hours: float = 24.0 * 10,
    warmup_hours: float = 24.0,
    replications: int = 20,
    seed: int = 0,
) -> SimulatedSizing:
    """Bisect for the smallest cabinet whose simulated P(wait) interval meets the target.

    A cabinet has one charger per pack. It meets the target when the upper end of its 95 %
    interval is at or below it. Under common random numbers (one seed for every size) each
    replication's P(wait) falls as the cabinet grows, so the criterion is monotone in practice
    and bisection needs about
    ``log2(largest)`` simulations instead of one per size. The search starts above the mean
    daily load, below which the queue cannot be stable.
    """
    rates = np.atleast_1d(np.asarray(arrival_rates, dtype=float))
    seen: dict[int, Estimate] = {}

    def meets(size: int) -> bool:
        seen[size] = simulate_station(
            [float(r) for r in rates],
            charge_hours,
            size,
            size,
            charge=charge,
            horizon_hours=horizon_hours,
            warmup_hours=warmup_hours,
            replications=replications,
            seed=seed,
        ).p_wait
        return seen[size].high <= target_p_wait

    low = min(math.floor(float(rates.mean()) * charge_hours) + 1, largest)
    if not meets(largest):
        return SimulatedSizing(None, target_p_wait, tuple(sorted(seen.items())))
    high = largest
    while low < high:
        middle = (low + high) // 2
        if meets(middle):
            high = middle
        else:
            low = middle + 1
    return SimulatedSizing(high, target_p_wait, tuple(sorted(seen.items())))
