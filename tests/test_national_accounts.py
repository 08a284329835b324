"""National accounts on a hand-built registry, every total computed by hand in the test."""

from __future__ import annotations

import numpy as np
import pytest

from national_fixtures import FENI, HPAL, NPI, OPERATING, factors, intensities, registry
from sinergi.errors import RegistryError
from sinergi.national.accounts import Missing, national_accounts
from sinergi.national.inputs import RouteIntensity, national_factors
from sinergi.national.registry import Fuel, PowerUnit, Production, Registry, Smelter


def accounts():  # type: ignore[no-untyped-def]
    return national_accounts(registry(), 2023, intensities(), factors(), national_factors())


def test_co2e_is_process_plus_each_sources_electricity_by_hand() -> None:
    result = accounts()
    s1 = 1000 * 20 + 1000 * 40 * 1.0  # all power from the coal unit
    s2 = 800 * 12 + 800 * 5 * (0.5 * 0.25 + 0.5 * 0.1)  # 50 MW grid, 50 MW hydro
    assert result.national.co2e == pytest.approx(s1 + s2)
    assert result.national.co2e_smelters == 2
    by_id = {a.smelter.id: a for a in result.smelters}
    assert by_id["s1"].co2e == pytest.approx(60_000.0)
    assert by_id["s2"].intensity == pytest.approx(10_300.0 / 800)


def test_nickel_from_product_tonnes_and_share_and_downstream_apart() -> None:
    result = accounts()
    assert result.national.ni_t == pytest.approx(1000 + 2000 * 0.4 + 500)
    assert result.national.ni_downstream_t == pytest.approx(100.0)
    assert result.by["route"]["hpal_mhp"].product_t == pytest.approx(2000.0)


def test_smelter_without_power_data_is_reported_never_counted_as_zero() -> None:
    result = accounts()
    s3 = next(a for a in result.smelters if a.smelter.id == "s3")
    assert s3.co2e is None
    assert s3.co2e_power is None
    assert Missing.POWER_DATA in s3.missing
    assert result.national.missing["power_data"] == ["s3", "s4", "s5"]
    # its process emissions are shown apart, not folded into the national total
    assert result.national.co2e_process_incomplete == pytest.approx(500 * 10)
    assert result.national.electricity_by_factor["unknown"] == pytest.approx(500 * 40)


def test_missing_production_and_intensity_are_listed() -> None:
    missing = accounts().national.missing
    assert missing["production"] == ["s5"]
    assert "s4" in missing["intensity"]


def test_residues_and_faba_by_hand() -> None:
    result = accounts()
    factors_ = national_factors()
    slag = factors_.residue_t_per_t_ni[NPI].value
    tailings = factors_.residue_t_per_t_ni[HPAL].value
    feni = factors_.residue_t_per_t_ni[FENI].value
    assert result.national.residue_t == pytest.approx(1000 * slag + 800 * tailings + 500 * feni)
    assert result.national.residue_utilised_t == pytest.approx(800 * tailings * 0.25)
    assert result.national.faba_t == pytest.approx(1000 * 40 * factors_.faba_t_per_mwh_coal.value)


def test_unit_emissions_are_its_electricity_times_its_factor() -> None:
    units = accounts().units
    assert units["u1"] == {"mwh": pytest.approx(40_000.0), "co2e": pytest.approx(40_000.0)}
    assert units["u2"]["co2e"] == pytest.approx(800 * 5 * 0.5 * 0.1)


def test_electricity_by_carrier_in_mwh() -> None:
    by = accounts().national.electricity_by_factor
    assert by["coal"] == pytest.approx(40_000.0)
    assert by["hydro"] == pytest.approx(2_000.0)
    assert by["grid.sulselbar"] == pytest.approx(2_000.0)


def test_grouping_by_province_and_group() -> None:
    result = accounts()
    assert result.by["province"]["Sulawesi Tengah"].co2e == pytest.approx(60_000.0)
    assert result.by["group"]["g1"].co2e_smelters == 2


def test_park_wide_unit_is_split_by_electricity_demand() -> None:
    smelters = (
        Smelter("a", "A", NPI, OPERATING, "X", park="p"),
        Smelter("b", "B", NPI, OPERATING, "X", park="p"),
    )
    units = (PowerUnit("pu", Fuel.COAL, 300.0, OPERATING, park="p", start_year=2020),)
    production = (Production("a", 2023, ni_t=300.0), Production("b", 2023, ni_t=100.0))
    result = national_accounts(
        Registry(smelters, units, production), 2023, intensities(), factors(), national_factors()
    )
    assert result.units["pu"]["mwh"] == pytest.approx(400 * 40)
    assert result.national.co2e == pytest.approx(400 * 20 + 400 * 40 * 1.0)


def test_source_without_factor_makes_power_missing() -> None:
    smelters = (Smelter("a", "A", NPI, OPERATING, "X", grid_mw=10.0),)  # no grid region
    result = national_accounts(
        Registry(smelters, (), (Production("a", 2023, ni_t=10.0),)),
        2023,
        intensities(),
        factors(),
        national_factors(),
    )
    assert result.national.missing == {"power_factor": ["a"]}
    assert result.national.co2e_smelters == 0


def test_band_from_draws_contains_the_deterministic_total() -> None:
    rng = np.random.default_rng(7)
    drawn = {
        key: RouteIntensity(
            r.route,
            r.process,
            r.electricity_mwh,
            process_draws=rng.triangular(r.process * 0.8, r.process, r.process * 1.3, 500),
            electricity_draws=rng.triangular(
                r.electricity_mwh * 0.7, r.electricity_mwh, r.electricity_mwh * 1.1, 500
            ),
        )
        for key, r in intensities().items()
    }
    result = national_accounts(registry(), 2023, drawn, factors(), national_factors())
    assert result.band is not None
    band = result.band["national"]
    assert band["p2.5"] <= result.national.co2e <= band["p97.5"]
    assert result.draws == 500


def test_registry_refuses_a_unit_serving_an_unknown_smelter() -> None:
    smelters = (Smelter("a", "A", NPI, OPERATING, "X"),)
    with pytest.raises(RegistryError, match="'nope'"):
        Registry(smelters, (PowerUnit("u", Fuel.COAL, 1.0, OPERATING, smelter="nope"),))


def test_registry_refuses_repeated_ids() -> None:
    smelters = (Smelter("a", "A", NPI, OPERATING, "X"), Smelter("a", "B", NPI, OPERATING, "X"))
    with pytest.raises(RegistryError, match="appears twice"):
        Registry(smelters)


def test_reconciliation_shows_the_difference_with_each_published_figure() -> None:
    from sinergi.national.reconcile import reconcile

    rows = {r.figure.id: r for r in reconcile(accounts(), registry())}
    ferronickel = rows["esdm-2023-ni-in-ferronickel"]
    assert ferronickel.registry == pytest.approx(1000 + 500)  # NPI + FeNi of the registry
    assert ferronickel.difference == pytest.approx(1500 - 535_200)
    assert ferronickel.same_year
    operating = rows["kemenperin-2024-operating"]
    assert operating.registry == 4  # s1, s2, s3, s5: primary routes (the CAM plant is not)
    assert not operating.same_year
    assert rows["gem-2024-captive-coal"].registry == 100.0
    # a count limited to its routes: HPAL plants operating are s2 alone
    assert rows["argus-2024-hpal-operating"].registry == 1
    # primary nickel of every primary route, by hand: 1,000 + 800 + 500 (CAM is downstream)
    assert rows["ieefa-2023-primary-nickel"].registry == pytest.approx(2300.0)
    assert rows["ieefa-2023-primary-nickel"].difference == pytest.approx(2300.0 - 1_360_000)
    assert rows["argus-2023-mhp"].registry is None  # context only, never compared


def test_governance_indicators_by_hand() -> None:
    from sinergi.national.governance import governance

    rows = {g.smelter.id: g for g in governance(accounts())}
    assert rows["s1"].captive_coal_share == 1.0
    assert rows["s1"].intensity_vs_median == pytest.approx(1.0)  # the only NPI with CO2e
    assert rows["s2"].captive_coal_share == 0.0
    assert rows["s2"].slag_utilised == 0.25
    assert rows["s3"].captive_coal_share is None
    assert "power" in rows["s3"].not_reported
    assert rows["s3"].completeness == pytest.approx(1 / 9)  # production only


def _with_records(*extra: Production, base: Registry | None = None) -> Registry:
    reg = base or registry()
    return Registry(reg.smelters, reg.units, (*reg.production, *extra))


def _accounts_of(reg: Registry, utilisation: float | None = None):  # type: ignore[no-untyped-def]
    return national_accounts(
        reg, 2023, intensities(), factors(), national_factors(), utilisation=utilisation
    )


def test_smelter_with_only_capacity_is_estimated_at_the_years_observed_utilisation() -> None:
    # s1 produced 1,000 t Ni on 1,250 t Ni capacity in 2023: 80 %; s5 gives only a 2022
    # capacity of 500 t Ni (it holds in 2023): 500 x 0.8 = 400 t Ni, counted and flagged
    reg = _with_records(
        Production("s5", 2022, capacity_ni_t=500.0),
        base=Registry(
            registry().smelters,
            registry().units,
            tuple(
                Production("s1", 2023, ni_t=1000.0, capacity_ni_t=1250.0)
                if p.smelter == "s1"
                else p
                for p in registry().production
            ),
        ),
    )
    result = _accounts_of(reg)
    by_id = {a.smelter.id: a for a in result.smelters}
    assert result.estimate is not None
    assert (result.estimate.basis, result.estimate.smelters) == ("observed", ("s5",))
    assert result.estimate.utilisation == pytest.approx(0.8)
    assert by_id["s5"].ni_t == pytest.approx(400.0)
    assert by_id["s5"].estimated
    assert not by_id["s1"].estimated
    assert "s5" not in result.national.missing.get(Missing.PRODUCTION.value, [])
    # primary nickel by hand: s1 1,000 + s2 800 + s3 500 + s5 400 (s4 is CAM, downstream)
    assert result.national.ni_t == pytest.approx(2700.0)
    assert result.national.estimated_ni_t == pytest.approx(400.0)
    assert result.national.estimated_smelters == 1


def test_given_utilisation_wins_and_product_capacity_uses_the_nickel_share() -> None:
    # s2 has a 0.4 Ni share; s5 none, so s5 gives its capacity in t Ni
    reg = _with_records(
        Production("s5", 2023, capacity_ni_t=500.0),
        base=Registry(
            registry().smelters,
            registry().units,
            (*registry().production[:1], Production("s2", 2023, capacity_output_t=3000.0)),
        ),
    )
    result = _accounts_of(reg, utilisation=0.5)
    by_id = {a.smelter.id: a for a in result.smelters}
    assert result.estimate is not None
    assert result.estimate.basis == "given"
    assert by_id["s2"].ni_t == pytest.approx(3000.0 * 0.4 * 0.5)
    assert by_id["s5"].ni_t == pytest.approx(250.0)


def test_capacity_without_any_utilisation_is_counted_at_full_capacity_and_said() -> None:
    reg = Registry(
        registry().smelters, registry().units, (Production("s5", 2023, capacity_ni_t=500.0),)
    )
    result = _accounts_of(reg)
    assert result.estimate is not None
    assert (result.estimate.basis, result.estimate.utilisation) == ("full", 1.0)
    assert result.national.ni_t == pytest.approx(500.0)


def test_capacity_recorded_for_a_later_year_is_not_used_earlier() -> None:
    reg = _with_records(Production("s5", 2024, capacity_ni_t=500.0))
    result = _accounts_of(reg)
    assert result.estimate is None
    assert "s5" in result.national.missing[Missing.PRODUCTION.value]


def test_carriers_are_summed_where_reported_and_the_others_listed_never_zero() -> None:
    reg = Registry(
        registry().smelters,
        registry().units,
        (
            Production("s1", 2023, ni_t=1000.0, coal_gj=2.0e6, water_m3=1.0e5),
            Production("s2", 2023, product_t=2000.0, coal_gj=5.0e5, steam_gj=7.0e4),
            Production("s3", 2023, ni_t=500.0),
        ),
    )
    result = _accounts_of(reg)
    n = result.national
    assert n.carrier_total("coal_gj") == pytest.approx(2.5e6)
    assert n.carrier_total("water_m3") == pytest.approx(1.0e5)
    assert n.carrier_total("steam_gj") == pytest.approx(7.0e4)
    assert n.carrier_total("gas_gj") is None  # nobody reports gas: not known, not zero
    # s4 and s5 are operating without production: in the accounts, lacking every carrier
    assert n.carriers_missing["coal_gj"] == ["s3", "s4", "s5"]
    assert n.carriers_missing["gas_gj"] == ["s1", "s2", "s3", "s4", "s5"]
    by_route = result.by["route"]
    assert by_route["rkef_npi"].carrier_total("coal_gj") == pytest.approx(2.0e6)
    assert by_route["rkef_feni"].carrier_total("coal_gj") is None


def test_primary_nickel_nobody_reports_is_unknown_not_zero_and_not_reconciled() -> None:
    from dataclasses import replace

    from sinergi.national.reconcile import reconcile

    full = accounts()
    # four primary smelters (s1, s2, s3 and s5); s5 reports no production
    assert (full.national.primary_smelters, full.national.ni_smelters) == (4, 3)
    assert full.national.primary_ni_t == pytest.approx(1000 + 2000 * 0.4 + 500)
    assert full.national.all_ni_t == pytest.approx(1000 + 800 + 500 + 100)
    # the same registry with the year's production left out
    empty = replace(registry(), production=())
    none = national_accounts(empty, 2023, intensities(), factors(), national_factors())
    assert none.national.ni_t == 0.0  # the running sum ...
    assert none.national.primary_ni_t is None  # ... is not a known quantity
    assert none.national.all_ni_t is None
    assert none.by["route"][NPI].primary_ni_t is None
    nickel = [r for r in reconcile(none, empty) if r.figure.measure == "ni_t"]
    assert nickel
    assert all(r.registry is None and r.difference is None for r in nickel)
    slag = [r for r in reconcile(none, empty) if r.figure.measure == "residue_t"]
    assert all(r.registry is None for r in slag)
    # with production, ESDM's nickel in ferronickel (NPI and FeNi routes) compares s1 + s3
    feni = next(r for r in reconcile(full, registry()) if r.figure.id.endswith("ferronickel"))
    assert feni.registry == pytest.approx(1000.0 + 500.0)
