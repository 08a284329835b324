"""Coal burnt by captive units and the energy and carbon cost per t Ni, against hand sums.

The registry is built by hand (as tests/national_fixtures.py): every expected number below is
worked out from the fixture's intensities (NPI 20 t CO2e and 40 MWh per t Ni), its factors
(coal 1.0, solar 0.05, Sulselbar grid 0.25 t CO2e/MWh) and the shipped coal and price factors
(107.2 t CO2/TJ; 17.5 GJ/t in 16-19; Rp 996.74/kWh; US$70/t; Rp 15,822.65/USD; Rp 58,800/t).
"""

from __future__ import annotations

import pytest

from national_fixtures import NPI, OPERATING, factors, intensities
from sinergi.national.accounts import national_accounts
from sinergi.national.energy import (
    coal_basis,
    coal_burnt,
    default_prices,
    route_costs,
    total_coal,
)
from sinergi.national.inputs import RouteIntensity, national_factors
from sinergi.national.registry import Fuel, PowerUnit, Production, Registry, Route, Smelter
from sinergi.national.scenarios import ScenarioSpec, run_scenario

TJ_PER_T = 107.2  # t CO2 per TJ of coal (Erfian et al. 2025)
NCV, NCV_LOW, NCV_HIGH = 17.5, 16.0, 19.0  # GJ per t coal (illustrative range)
TARIFF, COAL_USD, FX, CARBON = 996.74, 70.0, 15_822.65, 58_800.0


def registry() -> Registry:
    """Three NPI smelters: captive coal only, grid only, and 3/4 coal with 1/4 grid."""
    grid = {"grid_region": "grid.sulselbar"}
    smelters = (
        Smelter("coal", "Coal only", NPI, OPERATING, "X"),
        Smelter("grid", "Grid only", NPI, OPERATING, "X", grid_mw=10.0, **grid),
        Smelter("mix", "Mixed", NPI, OPERATING, "X", grid_mw=10.0, **grid),
        Smelter("hpal", "HPAL", Route.HPAL_MHP, OPERATING, "X", grid_mw=5.0, **grid),
    )
    units = (
        PowerUnit("u1", Fuel.COAL, 100.0, OPERATING, smelter="coal", start_year=2015),
        PowerUnit("u2", Fuel.COAL, 30.0, OPERATING, smelter="mix", start_year=2018),
    )
    production = (
        Production("coal", 2023, ni_t=1000.0),
        Production("grid", 2023, ni_t=200.0),
        Production("mix", 2023, ni_t=400.0),
        Production("hpal", 2023, ni_t=300.0),
    )
    return Registry(smelters, units, production)


def no_hpal_electricity() -> dict[str, RouteIntensity]:
    """The fixture's intensities with HPAL's electricity unknown (as the shipped inventory)."""
    out = intensities()
    out["hpal_mhp"] = RouteIntensity(Route.HPAL_MHP, process=12.0, electricity_mwh=0.0)
    return out


def coal_cost(mwh: float) -> float:
    """Rp of the coal burnt for ``mwh`` of captive coal electricity, by hand."""
    tj = mwh * 1.0 / TJ_PER_T
    return tj * 1000 / NCV * COAL_USD * FX


def accounts():  # type: ignore[no-untyped-def]
    return national_accounts(
        registry(), 2023, no_hpal_electricity(), factors(), national_factors()
    ).smelters


def test_coal_burnt_is_the_coal_co2_over_co2_per_tj_then_the_calorific_value() -> None:
    national = national_factors()
    basis = coal_basis(1.0, national)
    # coal 1000 t Ni x 40 MWh; mix 400 t Ni x 40 MWh x 30/(30+10) = 12,000 MWh
    burnt = total_coal(accounts(), basis)
    assert burnt is not None
    assert (burnt.smelters, burnt.of) == (3, 4)  # grid-only is covered (no coal); HPAL is not
    assert burnt.electricity_mwh == pytest.approx(40_000 + 12_000)
    assert burnt.fuel_tj == pytest.approx(52_000 * 1.0 / TJ_PER_T)
    assert burnt.coal_t == pytest.approx(52_000 / TJ_PER_T * 1000 / NCV)
    assert burnt.coal_t_low == pytest.approx(52_000 / TJ_PER_T * 1000 / NCV_HIGH)
    assert burnt.coal_t_high == pytest.approx(52_000 / TJ_PER_T * 1000 / NCV_LOW)
    assert basis.heat_rate_gj_per_mwh == pytest.approx(1000 / TJ_PER_T)


def test_coal_burnt_is_unknown_not_zero_without_a_smelter_with_power_data() -> None:
    smelters = (Smelter("a", "A", NPI, OPERATING, "X"),)  # no unit, no grid connection
    result = national_accounts(
        Registry(smelters, (), (Production("a", 2023, ni_t=10.0),)),
        2023,
        intensities(),
        factors(),
        national_factors(),
    )
    assert total_coal(result.smelters, coal_basis(1.0, national_factors())) is None


def test_cofiring_burns_less_coal_by_its_share_of_fuel_energy() -> None:
    basis = coal_basis(1.15, national_factors())
    assert coal_burnt(1000.0, basis, 0.2).fuel_tj == pytest.approx(
        0.8 * coal_burnt(1000.0, basis).fuel_tj
    )


def test_energy_and_carbon_cost_per_t_ni_equals_the_hand_calculation() -> None:
    national = national_factors()
    costs = route_costs(accounts(), default_prices(national), coal_basis(1.0, national))
    npi = costs["rkef_npi"]
    electricity = (
        coal_cost(40_000)  # coal: 1000 t Ni x 40 MWh, all captive coal
        + 8_000 * 1000 * TARIFF  # grid: 200 t Ni x 40 MWh from the grid
        + coal_cost(12_000)  # mix: 16,000 MWh, 3/4 coal ...
        + 4_000 * 1000 * TARIFF  # ... 1/4 grid
    )
    co2e = (
        (1000 * 20 + 40_000 * 1.0)
        + (200 * 20 + 8_000 * 0.25)
        + (400 * 20 + 12_000 * 1.0 + 4_000 * 0.25)
    )
    assert npi.priced == npi.smelters == 3
    assert npi.ni_t == pytest.approx(1600.0)
    assert npi.electricity_idr_per_t_ni == pytest.approx(electricity / 1600)
    assert npi.carbon_idr_per_t_ni == pytest.approx(co2e * CARBON / 1600)
    assert npi.total_idr_per_t_ni == pytest.approx((electricity + co2e * CARBON) / 1600)


def test_a_route_without_electricity_per_t_ni_is_insufficient_data_not_zero() -> None:
    national = national_factors()
    hpal = route_costs(accounts(), default_prices(national), coal_basis(1.0, national))["hpal_mhp"]
    assert hpal.total_idr_per_t_ni is None
    assert hpal.electricity_idr_per_t_ni is None
    assert hpal.priced == 0
    assert hpal.unpriced == {"electricity": ["hpal"]}


def test_an_unpriced_source_leaves_the_smelter_out_and_says_so() -> None:
    spec = ScenarioSpec(
        name="u1 to solar", base_year=2023, retirements=[{"unit": "u1", "year": 2024}]
    )
    trajectory = run_scenario(
        spec, registry(), no_hpal_electricity(), factors(), national_factors(), to=2024
    )
    npi = trajectory.year(2024).costs["rkef_npi"]
    assert npi.unpriced == {"price": ["coal"]}
    assert npi.priced == 2
    assert npi.ni_t == pytest.approx(600.0)


def test_a_user_price_for_solar_prices_its_electricity() -> None:
    spec = ScenarioSpec(
        name="u1 to solar",
        base_year=2023,
        retirements=[{"unit": "u1", "year": 2024}],
        power_price_idr_per_kwh={"solar": {2024: 500.0}},
    )
    trajectory = run_scenario(
        spec, registry(), no_hpal_electricity(), factors(), national_factors(), to=2024
    )
    npi = trajectory.year(2024).costs["rkef_npi"]
    electricity = 40_000 * 1000 * 500.0 + 8_000 * 1000 * TARIFF
    electricity += coal_cost(12_000) + 4_000 * 1000 * TARIFF
    co2e = (1000 * 20 + 40_000 * 0.05) + (200 * 20 + 8_000 * 0.25)
    co2e += 400 * 20 + 12_000 * 1.0 + 4_000 * 0.25
    assert npi.priced == 3
    assert npi.total_idr_per_t_ni == pytest.approx((electricity + co2e * CARBON) / 1600)


def test_scenario_price_paths_apply_from_their_first_year_and_defaults_before() -> None:
    spec = ScenarioSpec(
        name="prices",
        base_year=2023,
        grid_tariff_idr_per_kwh={2025: 1114.74},
        coal_price_usd_per_t={2025: 80.0, 2027: 100.0},
        idr_per_usd={2025: 16_000.0},
        carbon_price_idr_per_t={2025: 100_000.0},
    )
    trajectory = run_scenario(
        spec, registry(), no_hpal_electricity(), factors(), national_factors(), to=2027
    )
    before, after = trajectory.year(2024), trajectory.year(2026)
    assert before.prices is not None
    assert after.prices is not None
    assert (before.prices.grid_idr_per_kwh, before.prices.coal_usd_per_t) == (TARIFF, COAL_USD)
    assert (after.prices.grid_idr_per_kwh, after.prices.coal_usd_per_t) == (1114.74, 90.0)
    grid = after.costs["rkef_npi"]
    # 2026: tariff 1114.74 (from 2025), coal US$90 (half way 2025-2027), Rp 16,000 per USD
    electricity = (40_000 + 12_000) / TJ_PER_T * 1000 / NCV * 90.0 * 16_000.0
    electricity += (8_000 + 4_000) * 1000 * 1114.74
    assert grid.electricity_idr_per_t_ni == pytest.approx(electricity / 1600)
    assert after.carbon_price_idr_per_t == 100_000.0


def test_scenario_that_changes_nothing_has_the_accounts_coal_and_costs_every_year() -> None:
    national = national_factors()
    base = route_costs(accounts(), default_prices(national), coal_basis(1.0, national))
    trajectory = run_scenario(
        ScenarioSpec(name="no change", base_year=2023),
        registry(),
        no_hpal_electricity(),
        factors(),
        national,
        to=2030,
    )
    coal = total_coal(accounts(), coal_basis(1.0, national))
    for year in trajectory.years:
        assert year.coal == coal
        assert year.costs["rkef_npi"].total_idr_per_t_ni == base["rkef_npi"].total_idr_per_t_ni
