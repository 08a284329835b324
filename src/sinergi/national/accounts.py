"""National accounts for one year: production, nickel, electricity, CO2e, residues, ash.

Per smelter: the nickel it produced (reported t Ni, else product tonnes x nickel share), its
electricity (t Ni x the route's MWh per t Ni), that electricity's supply mix
(:mod:`sinergi.national.power`), CO2e = t Ni x the route's process intensity + MWh x the
factor of each source, slag or tailings (t Ni x the route's residue factor) and FABA (coal
MWh x ash per MWh). Totals add up over the nation, routes, provinces, parks and company groups.

A smelter without production for the year but with the year's capacity (a capacity record
of the year or an earlier one) is estimated at that capacity x a utilisation: the caller's, else
the year's observed utilisation (t Ni produced / t Ni capacity of the smelters that report
both), else full capacity (an upper bound); each such smelter says its nickel is estimated.

Energy carriers other than electricity (coal, gas, oil burnt in the process, steam received)
and water withdrawn are what smelters report for the year; no route factor for them was found
with a source, so they are never estimated: totals say how many smelters report each, and the
others are listed as lacking the data.

Missing is never zero. A smelter without production for the year, without power data, served
by a source with no factor, or on a route without an intensity is listed under ``missing`` with
the reason; its unknown quantities are left out of the totals, which then say how many smelters
they cover. Units: t, t Ni, MWh, t CO2e.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from sinergi.national.inputs import FloatArray, NationalFactors, PowerFactor, RouteIntensity
from sinergi.national.power import Supply, supply_mix
from sinergi.national.registry import (
    CARRIERS,
    PRIMARY_ROUTES,
    Registry,
    Route,
    Smelter,
    Status,
)
from sinergi.national.utilisation import Utilisation

__all__ = [
    "Estimate",
    "Missing",
    "NationalAccounts",
    "SmelterAccount",
    "Totals",
    "YearState",
    "account_year",
    "base_state",
    "national_accounts",
]


class Missing(StrEnum):
    """Why a quantity of a smelter is not counted."""

    PRODUCTION = "production"
    POWER_DATA = "power_data"
    POWER_FACTOR = "power_factor"
    INTENSITY = "intensity"
    RESIDUE_FACTOR = "residue_factor"


@dataclass(frozen=True)
class Estimate:
    """How the nickel of smelters without production was estimated from their capacity.

    ``basis`` is ``"given"`` (the caller's utilisation), ``"observed"`` (the year's t Ni
    produced / t Ni capacity of smelters reporting both) or ``"full"`` (no utilisation known:
    capacity as is, an upper bound): it says where ``utilisation`` comes from, which applies
    to every route without one of its own in ``by_route`` (given by the caller, by route
    value, only for routes of smelters estimated). ``smelters`` are the ids estimated.
    """

    utilisation: float
    basis: str
    smelters: tuple[str, ...]
    by_route: dict[str, float] = field(default_factory=dict)
    #: how many of ``smelters`` are at ``utilisation`` (the others at their route's own)
    at_default: int = 0

    def of(self, route: Route) -> float:
        """Return the utilisation applied to smelters of ``route``."""
        return self.by_route.get(route.value, self.utilisation)


@dataclass(frozen=True)
class YearState:
    """What a year's accounts are computed from: production and supply mix per smelter."""

    year: int
    registry: Registry
    ni_t: dict[str, float]
    product_t: dict[str, float | None]
    supply: dict[str, list[Supply]]
    residue_utilised: dict[str, float | None] = field(default_factory=dict)
    faba_utilised: dict[str, float | None] = field(default_factory=dict)
    #: operating smelters with no production for the year (reported as missing)
    unreported: tuple[str, ...] = ()
    #: smelters whose nickel is estimated from the year's capacity, and how
    estimate: Estimate | None = None
    #: reported carriers per smelter (keys of ``CARRIERS``; absent = not reported)
    carriers: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class SmelterAccount:
    """One smelter's account for the year; ``None`` = not known (see ``missing``)."""

    smelter: Smelter
    ni_t: float | None
    product_t: float | None
    electricity_mwh: float | None
    supply: tuple[Supply, ...]
    co2e_process: float | None
    co2e_power: float | None
    residue_t: float | None
    residue_utilised_t: float | None
    faba_t: float | None
    faba_utilised_t: float | None
    missing: tuple[Missing, ...] = ()
    #: the nickel is estimated from the year's capacity (not reported)
    estimated: bool = False
    #: reported carriers and water (keys of ``CARRIERS``); absent = not reported
    carriers: dict[str, float] = field(default_factory=dict)

    @property
    def co2e(self) -> float | None:
        """Return the smelter's CO2e (t), or ``None`` when a part is missing."""
        if self.co2e_process is None or self.co2e_power is None:
            return None
        return self.co2e_process + self.co2e_power

    @property
    def intensity(self) -> float | None:
        """Return t CO2e per t Ni, or ``None``."""
        co2e = self.co2e
        return None if co2e is None or not self.ni_t else co2e / self.ni_t

    def electricity_by_factor(self) -> dict[str, float]:
        """Return MWh per power-factor key (``unknown`` without power data)."""
        if self.electricity_mwh is None:
            return {}
        if not self.supply:
            return {"unknown": self.electricity_mwh}
        out: dict[str, float] = defaultdict(float)
        for part in self.supply:
            out[part.factor] += self.electricity_mwh * part.share
        return dict(out)


@dataclass
class Totals:
    """Sums over a set of smelters, with how many smelters each quantity covers.

    ``ni_t`` is primary nickel (RKEF, matte, HPAL); ``ni_downstream_t`` the nickel refined or
    used downstream, kept apart so that no tonne is counted twice.
    """

    smelters: int = 0
    ni_t: float = 0.0
    ni_downstream_t: float = 0.0
    #: primary-route smelters, and those of them whose nickel for the year is known
    primary_smelters: int = 0
    ni_smelters: int = 0
    #: smelters of any route whose nickel for the year is known
    ni_known_smelters: int = 0
    product_t: float = 0.0
    electricity_mwh: float = 0.0
    electricity_by_factor: dict[str, float] = field(default_factory=dict)
    co2e: float = 0.0
    co2e_smelters: int = 0
    co2e_ni_t: float = 0.0
    co2e_process_incomplete: float = 0.0
    residue_t: float = 0.0
    residue_smelters: int = 0
    electricity_smelters: int = 0
    residue_utilised_t: float = 0.0
    residue_fate_unknown_t: float = 0.0
    faba_t: float = 0.0
    faba_utilised_t: float = 0.0
    missing: dict[str, list[str]] = field(default_factory=dict)
    #: smelters whose nickel is estimated from capacity, and that nickel (t Ni)
    estimated_smelters: int = 0
    estimated_ni_t: float = 0.0
    #: per carrier: the reported total and the ids of the smelters that do not report it
    carriers: dict[str, float] = field(default_factory=dict)
    carriers_missing: dict[str, list[str]] = field(default_factory=dict)

    def add(self, account: SmelterAccount) -> None:
        """Add one smelter's account."""
        self.smelters += 1
        self.ni_known_smelters += account.ni_t is not None
        self._add_reported(account)
        if account.smelter.route in PRIMARY_ROUTES:
            self.primary_smelters += 1
            self.ni_smelters += account.ni_t is not None
            self.ni_t += account.ni_t or 0.0
        else:
            self.ni_downstream_t += account.ni_t or 0.0
        self.product_t += account.product_t or 0.0
        self.electricity_mwh += account.electricity_mwh or 0.0
        self.electricity_smelters += account.electricity_mwh is not None
        for key, mwh in account.electricity_by_factor().items():
            self.electricity_by_factor[key] = self.electricity_by_factor.get(key, 0.0) + mwh
        if account.co2e is not None:
            self.co2e += account.co2e
            self.co2e_smelters += 1
            self.co2e_ni_t += account.ni_t or 0.0
        elif account.co2e_process is not None:
            self.co2e_process_incomplete += account.co2e_process
        if account.residue_t is not None:
            self.residue_smelters += 1
            self.residue_t += account.residue_t
            if account.residue_utilised_t is None:
                self.residue_fate_unknown_t += account.residue_t
            else:
                self.residue_utilised_t += account.residue_utilised_t
        self.faba_t += account.faba_t or 0.0
        self.faba_utilised_t += account.faba_utilised_t or 0.0
        for reason in account.missing:
            self.missing.setdefault(reason.value, []).append(account.smelter.id)

    def _add_reported(self, account: SmelterAccount) -> None:
        """Add the capacity estimate and the reported carriers of one smelter."""
        if account.estimated:
            self.estimated_smelters += 1
            self.estimated_ni_t += account.ni_t or 0.0
        for carrier in CARRIERS:
            if carrier in account.carriers:
                self.carriers[carrier] = self.carriers.get(carrier, 0.0) + account.carriers[carrier]
            else:
                self.carriers_missing.setdefault(carrier, []).append(account.smelter.id)

    @property
    def all_ni_t(self) -> float | None:
        """Return primary and downstream nickel together, ``None`` when no smelter's is known."""
        return self.ni_t + self.ni_downstream_t if self.ni_known_smelters else None

    @property
    def primary_ni_t(self) -> float | None:
        """Return primary nickel (t Ni), ``None`` when no primary smelter's nickel is known.

        A sum over no reporting smelter is not zero nickel: it is unknown.
        """
        return self.ni_t if self.ni_smelters else None

    @property
    def intensity(self) -> float | None:
        """Return t CO2e per t Ni over the smelters whose CO2e is complete, if any."""
        return None if self.co2e_ni_t <= 0 else self.co2e / self.co2e_ni_t

    def carrier_total(self, carrier: str) -> float | None:
        """Return the reported total of ``carrier``, ``None`` when no smelter reports it."""
        return self.carriers.get(carrier)


@dataclass(frozen=True)
class NationalAccounts:
    """A year's accounts: per smelter, national and by route, province, park and group."""

    year: int
    smelters: tuple[SmelterAccount, ...]
    national: Totals
    by: dict[str, dict[str, Totals]]
    units: dict[str, dict[str, float]]
    band: dict[str, dict[str, float]] | None
    synthetic: bool
    draws: int = 0
    estimate: Estimate | None = None


def base_state(
    registry: Registry,
    year: int,
    intensities: Mapping[str, RouteIntensity],
    utilisation: float | Utilisation | None = None,
) -> YearState:
    """Return the reported state of ``year``: production, capacity estimates, supply mix.

    Smelters without production for the year but with the year's capacity are estimated at
    capacity x ``utilisation`` (see :class:`Estimate` for the default).
    """
    ni: dict[str, float] = {}
    product: dict[str, float | None] = {}
    carriers: dict[str, dict[str, float]] = {}
    for record in registry.production:
        if record.year != year:
            continue
        smelter = registry.smelter(record.smelter)
        reported = {k: getattr(record, k) for k in CARRIERS if getattr(record, k) is not None}
        if reported:
            carriers[smelter.id] = reported
        value = record.ni_t
        if value is None and record.product_t is not None and smelter.ni_share is not None:
            value = record.product_t * smelter.ni_share
        if value is not None:
            ni[smelter.id] = value
            product[smelter.id] = record.product_t
    estimate = _estimate(registry, year, ni, _given(utilisation))
    if estimate is not None:
        for smelter_id in estimate.smelters:
            capacity = registry.capacity_ni(smelter_id, year) or 0.0
            ni[smelter_id] = capacity * estimate.of(registry.smelter(smelter_id).route)
            product[smelter_id] = None
    unreported = tuple(
        s.id for s in registry.smelters if s.status is Status.OPERATING and s.id not in ni
    )
    demand = _demand(registry, ni, intensities)
    return YearState(
        year=year,
        registry=registry,
        ni_t=ni,
        product_t=product,
        supply=supply_mix(registry, year, demand),
        residue_utilised={s.id: s.slag_utilised for s in registry.smelters},
        faba_utilised={s.id: s.faba_utilised for s in registry.smelters},
        unreported=unreported,
        estimate=estimate,
        carriers=carriers,
    )


def _given(utilisation: float | Utilisation | None) -> Utilisation:
    if isinstance(utilisation, Utilisation):
        return utilisation
    return Utilisation(utilisation)


def _estimate(
    registry: Registry, year: int, ni: Mapping[str, float], utilisation: Utilisation
) -> Estimate | None:
    """Return how smelters with the year's capacity but no production are estimated, if any.

    A route given its own utilisation uses it; the others use the one given for every route,
    else the observed ratio, else full capacity.
    """
    made = capacity = 0.0
    todo = []
    for smelter in registry.smelters:
        if smelter.status is Status.CANCELLED:
            continue
        cap = registry.capacity_ni(smelter.id, year)
        if cap is None:
            continue
        if smelter.id in ni:
            made += ni[smelter.id]
            capacity += cap
        else:
            todo.append(smelter.id)
    if not todo:
        return None
    routes = [registry.smelter(s).route for s in todo]
    by_route = {r.value: v for r, v in utilisation.routes.items() if r in routes}
    rest = sum(1 for r in routes if r.value not in by_route)
    if utilisation.every is not None:
        return Estimate(utilisation.every, "given", tuple(todo), by_route, rest)
    if capacity > 0:
        return Estimate(made / capacity, "observed", tuple(todo), by_route, rest)
    return Estimate(1.0, "full", tuple(todo), by_route, rest)


def _demand(
    registry: Registry, ni: Mapping[str, float], intensities: Mapping[str, RouteIntensity]
) -> dict[str, float]:
    out = {}
    for smelter in registry.smelters:
        route = intensities.get(smelter.route.value)
        if route is not None and smelter.id in ni:
            out[smelter.id] = ni[smelter.id] * route.electricity_mwh
    return out


def _power(mwh: float, supply: list[Supply], factors: Mapping[str, PowerFactor]) -> float | None:
    if not supply or any(part.factor not in factors for part in supply):
        return None
    return sum(mwh * part.share * factors[part.factor].value for part in supply)


def _co2e_power(
    mwh: float | None,
    supply: list[Supply],
    factors: Mapping[str, PowerFactor],
    route: RouteIntensity | None,
) -> float | None:
    if route is not None and not route.electricity_known:
        return 0.0  # the route's footprint has no electricity: its intensity is a lower bound
    return None if mwh is None else _power(mwh, supply, factors)


def _smelter_account(
    smelter: Smelter,
    state: YearState,
    intensities: Mapping[str, RouteIntensity],
    factors: Mapping[str, PowerFactor],
    national: NationalFactors,
) -> SmelterAccount:
    missing: list[Missing] = []
    ni = state.ni_t.get(smelter.id)
    route = intensities.get(smelter.route.value)
    supply = state.supply.get(smelter.id, [])
    if ni is None:
        missing.append(Missing.PRODUCTION)
    if route is None:
        missing.append(Missing.INTENSITY)
    if not supply:
        missing.append(Missing.POWER_DATA)
    elif any(part.factor not in factors for part in supply):
        missing.append(Missing.POWER_FACTOR)
    mwh = None if ni is None or route is None else ni * route.electricity_mwh
    if route is not None and not route.electricity_known:
        # the footprint has no electricity for this route (a lower bound, said per route):
        # nothing to charge, and no supply mix is needed for its CO2e
        mwh = None
        missing = [m for m in missing if m not in (Missing.POWER_DATA, Missing.POWER_FACTOR)]
    residue_factor = national.residue_t_per_t_ni.get(smelter.route)
    if residue_factor is None:
        missing.append(Missing.RESIDUE_FACTOR)
    residue = None if ni is None or residue_factor is None else ni * residue_factor.value
    coal_mwh = sum((mwh or 0.0) * p.share for p in supply if p.factor == "coal")
    faba = coal_mwh * national.faba_t_per_mwh_coal.value if supply and mwh is not None else None
    residue_share = state.residue_utilised.get(smelter.id)
    faba_share = state.faba_utilised.get(smelter.id)
    return SmelterAccount(
        smelter=smelter,
        ni_t=ni,
        product_t=state.product_t.get(smelter.id),
        electricity_mwh=mwh,
        supply=tuple(supply),
        co2e_process=None if ni is None or route is None else ni * route.process,
        co2e_power=_co2e_power(mwh, supply, factors, route),
        residue_t=residue,
        residue_utilised_t=None
        if residue is None or residue_share is None
        else residue * residue_share,
        faba_t=faba,
        faba_utilised_t=None if faba is None or faba_share is None else faba * faba_share,
        missing=tuple(missing),
        estimated=state.estimate is not None and smelter.id in state.estimate.smelters,
        carriers=dict(state.carriers.get(smelter.id, {})),
    )


GROUPINGS: dict[str, Callable[[Smelter], str | None]] = {
    "route": lambda s: s.route.value,
    "province": lambda s: s.province,
    "park": lambda s: s.park,
    "group": lambda s: s.group or s.company,
}


def _totals(
    accounts: list[SmelterAccount], key: Callable[[Smelter], str | None]
) -> dict[str, Totals]:
    out: dict[str, Totals] = {}
    for account in accounts:
        name = key(account.smelter) or "unknown"
        out.setdefault(name, Totals()).add(account)
    return dict(sorted(out.items()))


def _units(
    accounts: list[SmelterAccount], factors: Mapping[str, PowerFactor]
) -> dict[str, dict[str, float]]:
    """Return per power unit the MWh it supplies and its CO2e (where its factor is known)."""
    out: dict[str, dict[str, float]] = {}
    for account in accounts:
        for part in account.supply:
            if part.unit is None or account.electricity_mwh is None:
                continue
            entry = out.setdefault(part.unit, {"mwh": 0.0, "co2e": 0.0})
            mwh = account.electricity_mwh * part.share
            entry["mwh"] += mwh
            if part.factor in factors:
                entry["co2e"] += mwh * factors[part.factor].value
    return dict(sorted(out.items()))


def account_year(
    state: YearState,
    intensities: Mapping[str, RouteIntensity],
    factors: Mapping[str, PowerFactor],
    national: NationalFactors,
) -> tuple[list[SmelterAccount], Totals]:
    """Return the smelter accounts of a state and their national totals (deterministic)."""
    ids = set(state.ni_t) | set(state.unreported)
    accounts = [
        _smelter_account(s, state, intensities, factors, national)
        for s in state.registry.smelters
        if s.id in ids
    ]
    total = Totals()
    for account in accounts:
        total.add(account)
    return accounts, total


def national_accounts(
    registry: Registry,
    year: int,
    intensities: Mapping[str, RouteIntensity],
    factors: Mapping[str, PowerFactor],
    national: NationalFactors,
    utilisation: float | Utilisation | None = None,
) -> NationalAccounts:
    """Return the national accounts of ``year`` from the registry's reported production.

    ``intensities`` maps route values (``rkef_npi``) to their intensities; with Monte Carlo
    draws in them (and in ``factors``), the result carries the band of the CO2e totals.
    ``utilisation`` (0-1, one for every route or a :class:`Utilisation` by route) estimates
    smelters that give only the year's capacity.
    """
    state = base_state(registry, year, intensities, utilisation)
    accounts, total = account_year(state, intensities, factors, national)
    band, draws = None, draw_count(intensities)
    if draws:
        samples = draw_totals(accounts, intensities, factors, draws)
        band = {name: percentiles(values) for name, values in samples.items()}
    return NationalAccounts(
        year=year,
        smelters=tuple(accounts),
        national=total,
        by={name: _totals(accounts, key) for name, key in GROUPINGS.items()},
        units=_units(accounts, factors),
        band=band,
        synthetic=registry.synthetic,
        draws=draws,
        estimate=state.estimate,
    )


def draw_count(intensities: Mapping[str, RouteIntensity]) -> int:
    """Return the number of Monte Carlo draws the intensities carry (0 without)."""
    counts = {len(r.process_draws) for r in intensities.values() if r.process_draws is not None}
    return counts.pop() if len(counts) == 1 else 0


def percentiles(values: FloatArray) -> dict[str, float]:
    """Return the 2.5th, 50th and 97.5th percentiles and the mean of draws."""
    low, mid, high = np.percentile(values, [2.5, 50.0, 97.5])
    return {
        "p2.5": float(low),
        "p50": float(mid),
        "p97.5": float(high),
        "mean": float(values.mean()),
    }


def _draws(item: RouteIntensity | PowerFactor, draws: int, which: str = "process") -> FloatArray:
    if isinstance(item, PowerFactor):
        arr = item.draws
        value = item.value
    elif which == "process":
        arr, value = item.process_draws, item.process
    else:
        arr, value = item.electricity_draws, item.electricity_mwh
    return np.full(draws, value) if arr is None else np.asarray(arr, dtype=np.float64)


def draw_totals(
    accounts: list[SmelterAccount],
    intensities: Mapping[str, RouteIntensity],
    factors: Mapping[str, PowerFactor],
    draws: int,
) -> dict[str, FloatArray]:
    """Return the CO2e of the complete smelters per draw: national and per route.

    The smelters are aggregated once (t Ni per route, t Ni x supply share per route and power
    factor); every draw then costs a few small products, however many smelters there are.
    """
    complete = [a for a in accounts if a.co2e is not None]
    routes = sorted({a.smelter.route.value for a in complete})
    # routes whose footprint has no electricity charge none: their supply mix is not read
    charged = {
        a.smelter.id for a in complete if intensities[a.smelter.route.value].electricity_known
    }
    keys = sorted({p.factor for a in complete if a.smelter.id in charged for p in a.supply})
    ni = np.zeros(len(routes))
    mix = np.zeros((len(routes), len(keys)))
    for account in complete:
        r = routes.index(account.smelter.route.value)
        ni[r] += account.ni_t or 0.0
        if account.smelter.id not in charged:
            continue
        for part in account.supply:
            mix[r, keys.index(part.factor)] += (account.ni_t or 0.0) * part.share
    process = np.array([_draws(intensities[r], draws) for r in routes]).reshape(len(routes), draws)
    mwh = np.array([_draws(intensities[r], draws, "electricity") for r in routes]).reshape(
        len(routes), draws
    )
    ef = np.array([_draws(factors[k], draws) for k in keys]).reshape(len(keys), draws)
    per_route = ni[:, None] * process + mwh * (mix @ ef)
    out = {"national": per_route.sum(axis=0)}
    out.update({route: per_route[i] for i, route in enumerate(routes)})
    return out
