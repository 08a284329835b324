"""Policy scenarios: no change reproduces the baseline, retirements remove exactly their part."""

from __future__ import annotations

import numpy as np
import pytest

from national_fixtures import factors, intensities, registry
from sinergi.errors import NationalScenarioError
from sinergi.national.accounts import national_accounts
from sinergi.national.inputs import national_factors
from sinergi.national.registry import (
    Fuel,
    PowerUnit,
    Production,
    Registry,
    Route,
    Smelter,
    Status,
)
from sinergi.national.scenarios import ScenarioSpec, at, run_scenario
from sinergi.national.synthetic import synthetic_registry
from sinergi.reports.national_routes import route_inputs


def run(spec: ScenarioSpec, reg: Registry | None = None, to: int = 2030):  # type: ignore[no-untyped-def]
    return run_scenario(
        spec, reg or registry(), intensities(), factors(), national_factors(), to=to
    )


def baseline() -> float:
    return national_accounts(
        registry(), 2023, intensities(), factors(), national_factors()
    ).national.co2e


def test_no_change_scenario_reproduces_the_baseline_exactly_every_year() -> None:
    trajectory = run(ScenarioSpec(name="no change", base_year=2023), to=2060)
    assert [y.totals.co2e for y in trajectory.years] == [baseline()] * (2060 - 2023 + 1)


def test_retiring_a_unit_to_a_zero_source_removes_exactly_its_emissions() -> None:
    accounts = national_accounts(registry(), 2023, intensities(), factors(), national_factors())
    spec = ScenarioSpec(
        name="retire u1",
        base_year=2023,
        retirements=[{"unit": "u1", "year": 2026, "replacement": "none"}],
    )
    trajectory = run(spec)
    assert trajectory.year(2025).totals.co2e == baseline()
    removed = baseline() - trajectory.year(2026).totals.co2e
    assert removed == pytest.approx(accounts.units["u1"]["co2e"], rel=1e-12)


def test_retiring_a_unit_to_solar_adds_the_solar_electricity() -> None:
    spec = ScenarioSpec(
        name="u1 to solar", base_year=2023, retirements=[{"unit": "u1", "year": 2024}]
    )
    after = run(spec).year(2024).totals.co2e
    assert after == pytest.approx(baseline() - 40_000 * 1.0 + 40_000 * 0.05)


def test_monte_carlo_band_contains_the_deterministic_result() -> None:
    inputs = route_inputs(draws=200, seed=3)
    spec = ScenarioSpec(
        name="phase-out", base_year=2023, coal_phaseout={"start": 2030, "end": 2040}
    )
    trajectory = run_scenario(
        spec,
        synthetic_registry(plants=60, units=40, seed=5),
        inputs.intensities,
        inputs.factors,
        national_factors(),
        to=2045,
    )
    assert trajectory.draws == 200
    for year in trajectory.years:
        assert year.band is not None
        assert year.band["p2.5"] <= year.totals.co2e <= year.band["p97.5"]


def test_phaseout_retires_every_coal_unit_by_its_end_year() -> None:
    spec = ScenarioSpec(name="p", base_year=2023, coal_phaseout={"start": 2025, "end": 2030})
    trajectory = run(spec)
    assert trajectory.year(2024).coal_mw == 100.0
    assert trajectory.year(2030).coal_mw == 0.0


def test_ban_on_intermediate_only_smelters_stops_new_npi_but_not_hpal() -> None:
    base = registry()
    new = (
        Smelter(
            "npi-new",
            "new NPI",
            Route.RKEF_NPI,
            Status.PLANNED,
            "X",
            commissioning_year=2027,
            capacity_ni_t=1000.0,
        ),
        Smelter(
            "hpal-new",
            "new HPAL",
            Route.HPAL_MHP,
            Status.PLANNED,
            "X",
            commissioning_year=2027,
            capacity_ni_t=1000.0,
        ),
    )
    reg = Registry(base.smelters + new, base.units, base.production)
    free = run(ScenarioSpec(name="free", base_year=2023, production={"utilisation": 0.5}), reg)
    banned = run(
        ScenarioSpec(
            name="PP 28/2025",
            base_year=2023,
            ban_intermediate_only_from=2025,
            production={"utilisation": 0.5},
        ),
        reg,
    )
    assert free.year(2027).totals.ni_t - banned.year(2027).totals.ni_t == pytest.approx(500.0)
    assert banned.year(2027).by_route["hpal_mhp"].ni_t == pytest.approx(800 + 500)


def test_new_smelter_grows_by_its_capacity_records_year_by_year() -> None:
    base = registry()
    new = Smelter(
        "hpal-new", "new HPAL", Route.HPAL_MHP, Status.CONSTRUCTION, "X",
        commissioning_year=2026, capacity_ni_t=1000.0,
    )  # fmt: skip
    records = (
        Production("hpal-new", 2026, capacity_ni_t=2000.0),
        Production("hpal-new", 2028, capacity_ni_t=3000.0),
    )
    reg = Registry((*base.smelters, new), base.units, (*base.production, *records))
    spec = ScenarioSpec(name="HPAL ramp", base_year=2023, production={"utilisation": 0.5})
    trajectory = run(spec, reg)
    hpal = {y: trajectory.year(y).by_route["hpal_mhp"].ni_t for y in (2025, 2026, 2027, 2028)}
    # s2 makes 800 t Ni; the new line adds half its recorded capacity once it runs (not the
    # 1,000 t of its own column, which the records of 2026 and 2028 supersede)
    assert hpal == pytest.approx({2025: 800, 2026: 1800, 2027: 1800, 2028: 2300})


def test_renewable_share_scales_power_emissions() -> None:
    spec = ScenarioSpec(
        name="solar 50 %",
        base_year=2023,
        renewables=[{"source": "none", "share": {2024: 0.5}}],
    )
    after = run(spec).year(2024).totals.co2e
    power = 40_000 * 1.0 + 800 * 5 * (0.5 * 0.25 + 0.5 * 0.1)
    assert after == pytest.approx(baseline() - power / 2)


def test_cofiring_lowers_the_coal_factor_by_its_share() -> None:
    spec = ScenarioSpec(
        name="co-firing",
        base_year=2023,
        cofiring={
            "share": {2023: 0.0, 2033: 0.2},
            "biomass_t_co2e_per_mwh": 0.0,
            "provenance": {"illustrative": True, "note": "test"},
        },
    )
    trajectory = run(spec, to=2033)
    assert trajectory.year(2033).totals.co2e == pytest.approx(baseline() - 0.2 * 40_000)
    assert trajectory.year(2028).totals.co2e == pytest.approx(baseline() - 0.1 * 40_000)


def test_slag_target_sets_utilisation_and_stockpile_grows_by_the_rest() -> None:
    spec = ScenarioSpec(name="slag", base_year=2023, utilisation_targets={"slag": {2023: 0.4}})
    trajectory = run(spec, to=2025)
    generated = trajectory.year(2023).totals.residue_t
    assert trajectory.year(2025).slag_stockpile_t == pytest.approx(3 * generated * 0.6)


def test_carbon_cost_per_t_ni_is_price_times_intensity() -> None:
    spec = ScenarioSpec(name="price", base_year=2023, carbon_price_idr_per_t={2023: 100_000})
    year = run(spec).year(2023)
    assert year.carbon_cost_idr_per_t_ni("rkef_npi") == pytest.approx(60.0 * 100_000)


def test_path_is_linear_between_points_and_flat_after() -> None:
    path = {2030: 0.2, 2040: 0.6}
    assert (at(path, 2029), at(path, 2035), at(path, 2050)) == (0.0, pytest.approx(0.4), 0.6)


def test_unknown_unit_and_year_before_base_are_refused() -> None:
    with pytest.raises(NationalScenarioError, match="'ghost'"):
        run(ScenarioSpec(name="x", base_year=2023, retirements=[{"unit": "ghost", "year": 2030}]))
    with pytest.raises(NationalScenarioError, match="before the scenario's base year"):
        run(ScenarioSpec(name="x", base_year=2023), to=2020)


def test_scenario_share_above_one_is_refused() -> None:
    with pytest.raises(ValueError, match="not a share"):
        ScenarioSpec(name="x", base_year=2023, renewables=[{"source": "solar", "share": {2030: 2}}])


def test_synthetic_registry_is_seeded_and_labelled() -> None:
    a, b = synthetic_registry(80, 50, seed=9), synthetic_registry(80, 50, seed=9)
    assert a == b
    assert a.synthetic
    assert all(s.synthetic for s in a.smelters)
    assert all(u.synthetic for u in a.units)
    assert any(u.fuel is Fuel.COAL for u in a.units)
    assert not np.isnan(sum(p.ni_t or 0 for p in a.production))


def test_unit_that_starts_later_joins_the_mix_in_its_start_year() -> None:
    base = registry()
    late = PowerUnit("u-late", Fuel.COAL, 100.0, Status.CONSTRUCTION, smelter="s2", start_year=2027)
    reg = Registry(base.smelters, (*base.units, late), base.production)
    trajectory = run(ScenarioSpec(name="x", base_year=2023), reg)
    assert trajectory.year(2026).coal_mw == 100.0
    assert trajectory.year(2027).coal_mw == 200.0


def test_route_draws_split_reproduces_the_footprint_of_each_draw() -> None:
    from sinergi.footprint.network import Settings
    from sinergi.footprint.route_uncertainty import draw_parameters, ranged_parameters
    from sinergi.footprint.scenarios import FootprintModel

    model = FootprintModel()
    inputs = route_inputs(draws=3, seed=11, model=model)
    params = ranged_parameters(model.network(model.settings()))
    for i in range(3):
        drawn = Settings(values=draw_parameters(params, 11, i))
        score = model.footprint("npi", overrides=drawn).score
        npi = inputs.intensities["rkef_npi"]
        assert npi.process_draws is not None
        assert npi.electricity_draws is not None
        assert inputs.factors["coal"].draws is not None
        rebuilt = npi.process_draws[i] + npi.electricity_draws[i] * inputs.factors["coal"].draws[i]
        assert rebuilt == pytest.approx(score, rel=1e-9)


def test_cached_route_draws_are_reused_unchanged(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = route_inputs(draws=10, seed=5, cache=tmp_path)
    again = route_inputs(draws=10, seed=5, cache=tmp_path)
    assert len(list(tmp_path.glob("route-draws-*.npz"))) == 1
    for key, route in first.intensities.items():
        assert np.array_equal(route.process_draws, again.intensities[key].process_draws)
    assert again.factorisations < first.factorisations


def test_a_replacement_without_an_emission_factor_is_refused() -> None:
    spec = ScenarioSpec(
        name="x", base_year=2023, coal_phaseout={"start": 2030, "end": 2040, "replacement": "wind"}
    )
    with pytest.raises(NationalScenarioError, match=r"coal_phaseout\.replacement.*'wind'"):
        run(spec)


def test_targets_caps_and_prices_do_not_apply_before_their_first_year() -> None:
    spec = ScenarioSpec(
        name="later",
        base_year=2023,
        utilisation_targets={"slag": {2026: 0.9}},
        emission_cap_t={2026: 1.0},
        carbon_price_idr_per_t={2026: 1.0},
    )
    trajectory = run(spec)
    assert (
        trajectory.year(2023).slag_stockpile_t
        == run(ScenarioSpec(name="none", base_year=2023)).year(2023).slag_stockpile_t
    )
    assert trajectory.year(2025).cap_t is None
    assert (
        trajectory.year(2025).carbon_price_idr_per_t
        == national_factors().carbon_price_idr_per_t.value
    )
    assert trajectory.year(2026).cap_t == 1.0
