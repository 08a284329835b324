"""Swap stations: demand, the closed-form queue, sizing, pooling, simulation, CLI and demo.

Closed forms are checked against hand values, exact rational arithmetic, scipy's Poisson
distribution and a numerically solved Markov chain; the SimPy simulation is checked against the
closed form where the closed form's assumptions hold.
"""

from __future__ import annotations

import doctest
import itertools
import json
import math
from fractions import Fraction
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from scipy import linalg
from scipy.stats import poisson
from typer.testing import CliRunner

from sinergi.circularity.swap_plan import pilot_plan, plan_swap_network
from sinergi.circularity.swapping import (
    compare_pooling,
    erlang_b,
    erlang_c,
    load_swap_reference,
    size_station,
    sizing_curves,
    station_performance,
    swap_demand,
)
from sinergi.circularity.swapping_sim import (
    _arrival_times,
    simulate_sizing_curve,
    simulate_station,
    size_cabinet_by_simulation,
)
from sinergi.cli import app
from sinergi.errors import ReferenceDataError, SwapInputError, UnstableSwapStation

runner = CliRunner()
FLAT = [1.0] * 24


# --- closed form -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("servers", "load"),
    # Erlang B table: offered load that gives 1 % blocking (loads rounded to 0.01 erlang).
    [(5, 1.36), (10, 4.46), (20, 12.03), (50, 37.90), (100, 84.06)],
)
def test_erlang_b_reproduces_published_one_percent_table(servers, load):
    assert erlang_b(servers, load) == pytest.approx(0.01, abs=4e-4)


def test_erlang_b_hand_values():
    assert erlang_b(1, 1.0) == pytest.approx(0.5)
    assert erlang_b(2, 1.0) == pytest.approx(0.2)
    # (2**5/5!) / sum(2**k/k!, k=0..5) = 0.2667 / 7.2667
    assert erlang_b(5, 2.0) == pytest.approx(4 / 109)


@pytest.mark.parametrize(("servers", "load"), [(3, Fraction(5, 2)), (8, Fraction(7)), (15, 12)])
def test_erlang_b_equals_exact_rational_formula(servers, load):
    terms = [Fraction(load) ** k / math.factorial(k) for k in range(servers + 1)]
    exact = terms[-1] / sum(terms)
    assert erlang_b(servers, float(load)) == pytest.approx(float(exact), rel=1e-12)


def test_erlang_b_stays_accurate_for_thousands_of_servers():
    servers, load = 2000, 1900.0
    reference = poisson.pmf(servers, load) / poisson.cdf(servers, load)
    assert erlang_b(servers, load) == pytest.approx(reference, rel=1e-9)


def test_erlang_c_is_at_least_erlang_b_and_one_when_saturated():
    for servers, load in [(1, 0.5), (4, 3.0), (30, 25.0)]:
        assert erlang_b(servers, load) < erlang_c(servers, load) < 1.0
    assert erlang_c(1, 0.5) == pytest.approx(0.5)  # M/M/1: P(wait) = rho
    assert erlang_c(3, 3.0) == 1.0


def _birth_death_stationary(rate: float, mu: float, chargers: int, cap: int) -> np.ndarray:
    """Stationary distribution of the uncharged-pack count, solved as a linear system."""
    q = np.zeros((cap + 1, cap + 1))
    for n in range(cap + 1):
        if n < cap:
            q[n, n + 1] = rate
        if n > 0:
            q[n, n - 1] = min(n, chargers) * mu
        q[n, n] = -q[n].sum()
    a = q.T.copy()
    a[-1, :] = 1.0
    b = np.zeros(cap + 1)
    b[-1] = 1.0
    return linalg.solve(a, b)


@pytest.mark.parametrize(
    ("chargers", "batteries"), [(12, 5), (12, 11), (12, 12), (12, 14), (13, 20), (20, 12)]
)
def test_station_performance_matches_numerically_solved_markov_chain(chargers, batteries):
    rate, hours = 10.0, 1.0
    pi = _birth_death_stationary(rate, 1.0 / hours, chargers, cap=600)
    n = np.arange(pi.size)
    p_wait = pi[n >= batteries].sum()
    mean_wait = (np.maximum(n - batteries, 0) * pi).sum() / rate
    got = station_performance(rate, hours, chargers, batteries)
    assert got.p_wait == pytest.approx(p_wait, rel=1e-8)
    assert got.mean_wait_h == pytest.approx(mean_wait, rel=1e-8)


def test_cabinet_with_a_charger_per_pack_waits_with_erlang_c():
    got = station_performance(8.0, 1.5, 15, 15)
    assert got.p_wait == pytest.approx(erlang_c(15, 12.0), rel=1e-12)


def test_mean_wait_of_waiting_riders_is_one_over_spare_charging_capacity():
    rate, hours, chargers = 6.0, 2.0, 14
    for batteries in (14, 16, 25):
        got = station_performance(rate, hours, chargers, batteries)
        assert got.mean_wait_h / got.p_wait == pytest.approx(1 / (chargers / hours - rate))


def test_unstable_station_raises_and_says_how_to_fix():
    with pytest.raises(UnstableSwapStation, match="add chargers"):
        station_performance(10.0, 1.0, 10, 20)


# --- sizing ----------------------------------------------------------------------------


def _brute_force_fewest(rate, hours, chargers, target):
    batteries = chargers
    while station_performance(rate, hours, chargers, batteries).p_wait > target:
        batteries += 1
    return batteries


@pytest.mark.parametrize(("rate", "hours", "target"), [(11.7, 2.0, 0.05), (3.0, 1.5, 0.01)])
def test_sizing_frontier_matches_brute_force_search(rate, hours, target):
    sizing = size_station(rate, hours, target)
    for design in sizing.frontier:
        assert design.batteries == _brute_force_fewest(rate, hours, design.chargers, target)
    load = rate * hours
    cabinet = next(c for c in range(math.floor(load) + 1, 500) if erlang_c(c, load) <= target)
    assert sizing.fewest_batteries.batteries == cabinet
    assert sizing.frontier[0].chargers == math.floor(load) + 1


def test_fewest_batteries_meets_target_and_one_pack_fewer_does_not():
    best = size_station(9.0, 2.0, 0.05).fewest_batteries
    assert best.p_wait <= 0.05
    fewer = station_performance(9.0, 2.0, best.chargers, best.batteries - 1)
    assert fewer.p_wait > 0.05


def test_frontier_trades_chargers_for_packs():
    frontier = size_station(20.0, 2.0, 0.05).frontier
    chargers = [d.chargers for d in frontier]
    packs = [d.batteries for d in frontier]
    assert chargers == sorted(chargers)
    assert all(a > b for a, b in itertools.pairwise(packs))


def test_sizing_curves_fall_with_more_packs_and_are_nan_when_unstable():
    table = sizing_curves(10.0, 1.0, [10, 11, 14], list(range(5, 30)))
    assert np.isnan(table[0]).all()
    assert np.all(np.diff(table[1:], axis=1) < 0)
    assert np.all(table[2] < table[1])  # more chargers, less waiting


# --- demand ----------------------------------------------------------------------------


def test_swaps_per_day_equal_energy_ridden_over_energy_per_swap():
    d = swap_demand(
        1000,
        60.0,
        25.0,
        1.44,
        usable_depth_of_discharge=0.8,
        swap_threshold_soc=0.25,
        hourly_weights=FLAT,
    )
    energy_per_swap = 1.44 * 0.8 * 0.75
    assert d.energy_per_swap_kwh == pytest.approx(energy_per_swap)
    assert d.swaps_per_day == pytest.approx(1000 * 60.0 * 0.025 / energy_per_swap)
    assert sum(d.hourly_swaps) == pytest.approx(d.swaps_per_day)
    assert d.peak_hour_swaps == pytest.approx(d.swaps_per_day / 24)


def test_demand_rejects_a_profile_without_24_hours():
    with pytest.raises(SwapInputError, match="24"):
        swap_demand(
            10,
            50.0,
            20.0,
            1.2,
            usable_depth_of_discharge=0.9,
            swap_threshold_soc=0.2,
            hourly_weights=[1.0] * 23,
        )


def test_negative_riders_are_rejected_naming_the_input():
    with pytest.raises(SwapInputError, match="riders"):
        plan_swap_network(-5)


def test_illustrative_energy_use_gives_a_range_inside_the_sourced_volta_range():
    ref = load_swap_reference()
    p = ref.parameters
    full_range = ref.pack().energy_kwh * p.usable_depth_of_discharge.value * 1000
    full_range /= p.wh_per_km.value
    volta = ref.benchmarks["range_per_swap_battery_km"]
    assert volta.low <= full_range <= volta.high


# --- reference data --------------------------------------------------------------------


def test_reference_value_without_source_or_flag_is_rejected_naming_the_key(tmp_path):
    doc = resources.files("sinergi.data").joinpath("circularity/swap.yaml").read_text("utf-8")
    broken = doc.replace(
        "    illustrative: true\n    note: typical battery", "    note: typical", 1
    )
    path = tmp_path / "swap.yaml"
    path.write_text(broken, "utf-8")
    with pytest.raises(ReferenceDataError, match=r"parameters\.usable_depth_of_discharge"):
        load_swap_reference(path)


def test_plan_flags_illustrative_inputs_until_the_user_gives_them():
    plan = plan_swap_network(100)
    assert {"wh_per_km", "charge_hours", "hourly_profile", "brand_shares"} <= set(plan.illustrative)
    assert "km_per_day" not in plan.illustrative  # sourced (weakly), not illustrative
    given = plan_swap_network(100, wh_per_km=30.0, charge_hours=1.0)
    assert "wh_per_km" not in given.illustrative
    assert given.inputs["wh_per_km"].origin == "user"


# --- shared vs proprietary -------------------------------------------------------------


def test_shared_pack_pools_brands_and_needs_fewer_packs():
    shares = {"a": 0.5, "b": 0.3, "c": 0.2}
    result = compare_pooling(11.7, 2.0, shares, stations=4)
    separately = sum(
        size_station(11.7 * s, 2.0, 0.05).fewest_batteries.batteries for s in shares.values()
    )
    assert result.proprietary_batteries == 4 * separately
    assert result.shared_batteries == 4 * size_station(11.7, 2.0).fewest_batteries.batteries
    assert result.batteries_saved > 0


def test_one_brand_with_a_proprietary_pack_is_the_shared_case():
    result = compare_pooling(7.0, 2.0, {"only": 1.0}, stations=3)
    assert result.batteries_saved == 0


def test_brand_shares_that_do_not_sum_to_one_are_rejected():
    with pytest.raises(SwapInputError, match=r"sum to 0\.9"):
        compare_pooling(7.0, 2.0, {"a": 0.6, "b": 0.3})


# --- simulation ------------------------------------------------------------------------


def test_simulated_p_wait_agrees_with_closed_form_under_its_assumptions():
    # 30 replications x 1000 h (about 10,000 riders each) give a 95 % interval of about
    # +-0.014 on P(wait); the seed makes the test deterministic.
    rate, hours, chargers, batteries = 10.0, 1.0, 12, 14
    sim = simulate_station(
        rate,
        hours,
        chargers,
        batteries,
        horizon_hours=1000.0,
        warmup_hours=50.0,
        replications=30,
        seed=1,
    )
    closed = station_performance(rate, hours, chargers, batteries)
    assert sim.p_wait.contains(closed.p_wait)
    assert sim.mean_wait_h.contains(closed.mean_wait_h)
    # The interval is narrow enough to tell this design from its neighbours.
    for other in (batteries - 1, batteries + 1):
        assert not sim.p_wait.contains(station_performance(rate, hours, chargers, other).p_wait)


def test_simulation_is_reproducible_from_its_seed():
    kwargs = {"horizon_hours": 100.0, "warmup_hours": 10.0, "replications": 3}
    first = simulate_station(5.0, 1.0, 6, 7, seed=11, **kwargs)
    again = simulate_station(5.0, 1.0, 6, 7, seed=11, **kwargs)
    other = simulate_station(5.0, 1.0, 6, 7, seed=12, **kwargs)
    assert first == again
    assert first.p_wait != other.p_wait


def test_deterministic_charging_makes_riders_wait_less_than_the_exponential_closed_form():
    fixed = simulate_station(
        10.0,
        1.0,
        12,
        13,
        charge="deterministic",
        horizon_hours=600.0,
        warmup_hours=20.0,
        replications=20,
        seed=5,
    )
    assert fixed.p_wait.high < station_performance(10.0, 1.0, 12, 13).p_wait


def test_simulated_waiting_never_rises_with_more_packs_under_common_random_numbers():
    curve = simulate_sizing_curve(
        10.0, 1.0, 12, list(range(10, 19, 2)), horizon_hours=200.0, replications=5, seed=4
    )
    means = [e.mean for e in curve.p_wait]
    assert all(later <= earlier for earlier, later in itertools.pairwise(means))
    assert means[-1] < means[0]


def test_cabinet_sized_by_simulation_is_the_smallest_meeting_the_target():
    profile = [2.0] * 6 + [12.0] * 6 + [4.0] * 12
    kwargs = {"horizon_hours": 24.0 * 6, "warmup_hours": 24.0, "replications": 8, "seed": 9}
    sized = size_cabinet_by_simulation(profile, 1.0, 0.05, 30, **kwargs)
    assert sized.batteries is not None
    evaluated = dict(sized.evaluated)
    assert evaluated[sized.batteries].high <= 0.05
    smaller = sized.batteries - 1
    below = simulate_station(profile, 1.0, smaller, smaller, **kwargs).p_wait
    assert below.high > 0.05


def test_arrivals_follow_the_hourly_profile():
    rates = np.array([0.0] * 12 + [30.0] * 12)
    times = _arrival_times(rates, 24.0 * 50, np.random.default_rng(3))
    hour = np.floor(times).astype(int) % 24
    assert not np.any(hour < 12)
    per_active_hour = times.size / (50 * 12)
    assert per_active_hour == pytest.approx(30.0, rel=0.05)


def test_simulation_needs_two_replications_for_an_interval():
    with pytest.raises(SwapInputError, match="replications"):
        simulate_station(5.0, 1.0, 6, 7, replications=1)


# --- CLI and demo ----------------------------------------------------------------------


def test_cli_swap_json_sizes_stations_and_lists_illustrative_inputs():
    result = runner.invoke(
        app, ["battery", "swap", "--riders", "250", "--stations", "4", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    design = data["station"]["designs"]["shared"]
    assert design["p_wait"] <= 0.05
    rate, hours = data["station"]["peak_hour_swaps"], data["inputs"]["charge_hours"]["value"]
    closed = station_performance(rate, hours, design["chargers"], design["batteries"])
    assert design["p_wait"] == pytest.approx(closed.p_wait)
    assert design["mean_wait_min"] == pytest.approx(closed.mean_wait_h * 60)
    assert "charge_hours" in data["illustrative_inputs"]
    network = data["network"]
    assert network["shared"]["batteries"] == 4 * design["batteries"]
    assert network["shared"]["batteries"] <= network["proprietary"]["batteries"]


def test_cli_swap_table_shows_proprietary_cabinets_and_illustrative_flag():
    result = runner.invoke(
        app,
        ["battery", "swap", "--riders", "400", "--km-per-day", "60", "--standard", "proprietary"],
    )
    assert result.exit_code == 0, result.output
    assert "brand-a" in result.stdout
    assert "Illustrative inputs" in result.stdout
    assert "energy use per km" in " ".join(result.stdout.split())  # words, not wh_per_km


def test_cli_swap_simulate_reports_confidence_intervals():
    result = runner.invoke(
        app,
        [
            "battery",
            "swap",
            "--riders",
            "120",
            "--simulate",
            "--replications",
            "4",
            "--days",
            "3",
            "--seed",
            "1",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    sim = json.loads(result.stdout)["simulation"]["shared"]
    for run in sim.values():
        assert run["p_wait"]["low"] <= run["p_wait"]["mean"] <= run["p_wait"]["high"]
        assert run["replications"] == 4


def test_cli_swap_unknown_pack_names_the_pack_and_the_choices():
    result = runner.invoke(app, ["battery", "swap", "--riders", "10", "--pack", "72v"])
    assert result.exit_code == 2
    assert "'72v'" in result.output
    assert "sni-72v-20ah" in result.output


def test_pilot_plan_sizes_the_pilot_station_without_writing_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pilot = pilot_plan()
    summary, written = pilot.summary, pilot.record
    assert list(tmp_path.iterdir()) == []
    assert summary["riders"] == written["pilot"]["riders"] == 250
    assert summary["batteries_per_station"] == written["station"]["designs"]["shared"]["batteries"]
    assert summary["network_batteries_shared"] <= summary["network_batteries_proprietary"]
    assert "wh_per_km" in summary["illustrative_inputs"]
    low, high = summary["p_wait_daily_simulated"][1:]
    assert 0.0 <= low <= high <= 1.0


def test_documentation_examples_run():
    page = Path(__file__).parents[1] / "docs" / "circularity-swapping.md"
    result = doctest.testfile(str(page), module_relative=False)
    assert result.attempted > 0
    assert result.failed == 0
