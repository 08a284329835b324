"""Coal burnt by captive power units, and the energy and carbon cost per t Ni of each route.

**Coal burnt.** Captive coal electricity is known in MWh and in CO2 (MWh x the captive-coal
factor, t CO2/MWh). Dividing that CO2 by coal's CO2 per unit of fuel energy (t CO2/TJ, CEMS
data of Indonesian coal units) gives the fuel energy burnt (TJ); dividing the energy by the
coal's net calorific value (GJ/t) gives tonnes. The calorific value is an assumed range, so
tonnes are given at its mid-point with the range as their uncertainty (the TJ do not depend
on it). With co-firing, the biomass share of the fuel energy is not coal. This is kept apart
from the fuels smelters report burning in their own process: it is the fuel of their power.

**Energy and carbon cost.** A smelter's electricity at the price of each source that serves
it (PLN grid at the industrial tariff; captive coal at the coal it burns x the coal price x
the exchange rate, i.e. its fuel only) plus its CO2e x the carbon price. It is *not* a
production cost: capital, ore, reagents, labour and the captive plants' own capital and
operating costs are not in it. A smelter whose electricity per t Ni is unknown, that has no
power data, or that draws on a source without a price (captive hydro or solar unless the user
prices them, co-fired biomass) has no cost (insufficient data, never zero); a route's cost per
t Ni is over the smelters that have one, and says how many and how much nickel that is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from sinergi.national.accounts import SmelterAccount
from sinergi.national.inputs import NationalFactors

__all__ = [
    "CoalBasis",
    "CoalBurnt",
    "EnergyPrices",
    "RouteCost",
    "Unpriced",
    "coal_basis",
    "coal_burnt",
    "default_prices",
    "electricity_cost",
    "route_costs",
    "total_coal",
]

#: kWh per MWh, GJ per TJ
KWH, GJ = 1000.0, 1000.0


@dataclass(frozen=True)
class CoalBasis:
    """What turns captive coal MWh into coal burnt: CO2 per MWh and per TJ, calorific value."""

    co2_t_per_mwh: float
    co2_t_per_tj: float
    ncv_gj_per_t: float
    ncv_low: float
    ncv_high: float

    @property
    def heat_rate_gj_per_mwh(self) -> float:
        """Return the fuel energy burnt per MWh of electricity (GJ/MWh) the factors imply."""
        return self.co2_t_per_mwh / self.co2_t_per_tj * GJ


@dataclass(frozen=True)
class CoalBurnt:
    """Coal burnt by captive units for some electricity: TJ, and t at the calorific range.

    ``smelters`` of ``of`` smelters are covered (those whose electricity and supply mix are
    known); the others' coal is unknown, not zero.
    """

    electricity_mwh: float
    fuel_tj: float
    coal_t: float
    coal_t_low: float
    coal_t_high: float
    smelters: int = 0
    of: int = 0


@dataclass(frozen=True)
class EnergyPrices:
    """The prices of a year: carbon, PLN tariff, coal and the exchange rate."""

    carbon_idr_per_t: float
    grid_idr_per_kwh: float
    coal_usd_per_t: float
    idr_per_usd: float
    #: user-set prices of other sources (IDR/kWh by power-factor key: ``solar``, ``hydro``)
    sources: Mapping[str, float] = field(default_factory=dict)

    @property
    def coal_idr_per_t(self) -> float:
        """Return the coal price in IDR per t."""
        return self.coal_usd_per_t * self.idr_per_usd


class Unpriced:
    """Why a smelter has no energy and carbon cost (keys of the records)."""

    PRODUCTION = "production"
    ELECTRICITY = "electricity"
    POWER_DATA = "power_data"
    PRICE = "price"
    CO2E = "co2e"


def coal_basis(coal_co2_t_per_mwh: float, national: NationalFactors) -> CoalBasis:
    """Return the coal basis from the captive-coal power factor and the shipped coal factors."""
    ncv = national.coal_ncv_gj_per_t
    return CoalBasis(
        co2_t_per_mwh=coal_co2_t_per_mwh,
        co2_t_per_tj=national.coal_co2_t_per_tj.value,
        ncv_gj_per_t=ncv.value,
        ncv_low=ncv.value if ncv.low is None else ncv.low,
        ncv_high=ncv.value if ncv.high is None else ncv.high,
    )


def default_prices(national: NationalFactors) -> EnergyPrices:
    """Return the shipped default prices (each sourced in data/national/factors.yaml)."""
    return EnergyPrices(
        carbon_idr_per_t=national.carbon_price_idr_per_t.value,
        grid_idr_per_kwh=national.grid_tariff_idr_per_kwh.value,
        coal_usd_per_t=national.coal_price_usd_per_t.value,
        idr_per_usd=national.idr_per_usd.value,
    )


def coal_burnt(mwh: float, basis: CoalBasis, cofiring_share: float = 0.0) -> CoalBurnt:
    """Return the coal burnt to make ``mwh`` of captive coal electricity.

    >>> b = CoalBasis(1.072, 107.2, 20.0, 16.0, 25.0)
    >>> c = coal_burnt(1000.0, b)
    >>> round(c.fuel_tj, 9), round(c.coal_t, 6), round(c.coal_t_low, 6), round(c.coal_t_high, 6)
    (10.0, 500.0, 400.0, 625.0)
    """
    tj = mwh * basis.co2_t_per_mwh * (1.0 - cofiring_share) / basis.co2_t_per_tj
    return CoalBurnt(
        electricity_mwh=mwh,
        fuel_tj=tj,
        coal_t=tj * GJ / basis.ncv_gj_per_t,
        coal_t_low=tj * GJ / basis.ncv_high,
        coal_t_high=tj * GJ / basis.ncv_low,
    )


def coal_mwh(account: SmelterAccount) -> float:
    """Return the captive coal MWh of a smelter (0 without known electricity or supply)."""
    return account.electricity_by_factor().get("coal", 0.0) if account.supply else 0.0


def electricity_cost(
    account: SmelterAccount, prices: EnergyPrices, basis: CoalBasis, cofiring_share: float = 0.0
) -> tuple[float | None, str | None]:
    """Return a smelter's electricity cost (IDR), or ``None`` with the reason (:class:`Unpriced`).

    Grid supply (any ``grid.*`` key) is charged at the tariff; captive coal at the coal it
    burns x the coal price x the exchange rate (not while co-firing: biomass has no price);
    other sources at the user's price per kWh, if given, else they have no price.
    """
    if account.ni_t is None:
        return None, Unpriced.PRODUCTION
    if account.electricity_mwh is None:
        return None, Unpriced.ELECTRICITY
    if not account.supply:
        return None, Unpriced.POWER_DATA
    cost = 0.0
    for part in account.supply:
        mwh = account.electricity_mwh * part.share
        if part.factor == "coal" and cofiring_share == 0.0:
            cost += coal_burnt(mwh, basis).coal_t * prices.coal_idr_per_t
        elif part.factor.startswith("grid."):
            cost += mwh * KWH * prices.grid_idr_per_kwh
        elif part.factor in prices.sources:
            cost += mwh * KWH * prices.sources[part.factor]
        else:
            return None, Unpriced.PRICE
    return cost, None


@dataclass
class RouteCost:
    """The energy and carbon cost of one route's smelters in a year (IDR; t Ni).

    ``ni_t``, ``electricity_idr`` and ``carbon_idr`` cover the ``priced`` smelters only;
    ``unpriced`` lists the others by reason.
    """

    smelters: int = 0
    priced: int = 0
    ni_t: float = 0.0
    ni_total_t: float = 0.0
    electricity_idr: float = 0.0
    carbon_idr: float = 0.0
    unpriced: dict[str, list[str]] = field(default_factory=dict)

    def _per_t(self, idr: float) -> float | None:
        return idr / self.ni_t if self.priced and self.ni_t > 0 else None

    @property
    def electricity_idr_per_t_ni(self) -> float | None:
        """Return the electricity cost per t Ni of the priced smelters, if any."""
        return self._per_t(self.electricity_idr)

    @property
    def carbon_idr_per_t_ni(self) -> float | None:
        """Return the carbon cost per t Ni of the priced smelters, if any."""
        return self._per_t(self.carbon_idr)

    @property
    def total_idr_per_t_ni(self) -> float | None:
        """Return the energy and carbon cost per t Ni, or ``None`` (insufficient data)."""
        return self._per_t(self.electricity_idr + self.carbon_idr)


def route_costs(
    accounts: Iterable[SmelterAccount],
    prices: EnergyPrices,
    basis: CoalBasis,
    cofiring_share: float = 0.0,
) -> dict[str, RouteCost]:
    """Return the energy and carbon cost of each route's smelters (route value -> cost)."""
    out: dict[str, RouteCost] = {}
    for account in accounts:
        cost = out.setdefault(account.smelter.route.value, RouteCost())
        cost.smelters += 1
        cost.ni_total_t += account.ni_t or 0.0
        electricity, reason = electricity_cost(account, prices, basis, cofiring_share)
        if electricity is not None and account.co2e is None:
            reason = Unpriced.CO2E
        if electricity is None or account.co2e is None:
            cost.unpriced.setdefault(reason or Unpriced.CO2E, []).append(account.smelter.id)
            continue
        cost.priced += 1
        cost.ni_t += account.ni_t or 0.0
        cost.electricity_idr += electricity
        cost.carbon_idr += account.co2e * prices.carbon_idr_per_t
    return dict(sorted(out.items()))


def total_coal(
    accounts: Iterable[SmelterAccount], basis: CoalBasis, cofiring_share: float = 0.0
) -> CoalBurnt | None:
    """Return the coal burnt by the captive units serving ``accounts``, with its coverage.

    Only smelters whose electricity and supply mix are known are covered; ``None`` when none
    is (the coal burnt is then unknown, not zero).
    """
    accounts = list(accounts)
    known = [a for a in accounts if a.electricity_mwh is not None and a.supply]
    if not known:
        return None
    burnt = coal_burnt(sum(coal_mwh(a) for a in known), basis, cofiring_share)
    return replace(burnt, smelters=len(known), of=len(accounts))
