"""Route Monte Carlo by parameter: each draw is the model's footprint for the drawn values."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from sinergi.cli import app
from sinergi.footprint.network import Settings
from sinergi.footprint.route_uncertainty import (
    draw_parameters,
    parameter_draws,
    relevant_parameters,
    route_monte_carlo,
)
from sinergi.footprint.scenarios import FootprintModel


@pytest.fixture(scope="module")
def model() -> FootprintModel:
    return FootprintModel()


def test_each_draw_is_the_deterministic_footprint_of_its_drawn_parameters(model):
    # the cross-check is independent of the Monte Carlo loop: the values are drawn again from
    # the same seed and the footprint is computed by the ordinary model with them as overrides
    settings = model.settings()
    draws = parameter_draws(model, "npi", settings, iterations=4, seed=11)
    params = relevant_parameters(model, "npi", settings)
    for i in range(4):
        values = draw_parameters(params, 11, i)
        assert list(values.values()) == pytest.approx(list(draws.values[i]), rel=0, abs=0)
        expected = model.footprint("npi", overrides=Settings(values=values)).score
        assert draws.scores[i] == pytest.approx(expected, rel=1e-12)


def test_the_histogram_counts_every_draw_in_the_bin_it_falls_in(model):
    import numpy as np

    result = route_monte_carlo(model, "npi", iterations=60, seed=5)
    draws = parameter_draws(model, "npi", model.settings(), iterations=60, seed=5).scores
    edges, counts = result["histogram"]["edges"], result["histogram"]["counts"]
    assert sum(counts) == 60
    assert edges[0] == draws.min()
    assert edges[-1] == draws.max()
    # recount by hand: draw d is in bin i when edges[i] <= d < edges[i+1] (the last bin closed)
    by_hand = [0] * (len(edges) - 1)
    for d in draws:
        by_hand[min(int(np.searchsorted(edges, d, side="right")) - 1, len(by_hand) - 1)] += 1
    assert counts == by_hand


def test_draws_stay_inside_each_published_range(model):
    params = relevant_parameters(model, "npi", model.settings())
    draws = parameter_draws(model, "npi", model.settings(), iterations=50, seed=2)
    for k, p in enumerate(params):
        assert draws.values[:, k].min() >= min(p.low, p.value)
        assert draws.values[:, k].max() <= max(p.high, p.value)


def test_only_parameters_the_product_reads_are_drawn(model):
    npi = {p.name for p in relevant_parameters(model, "npi", model.settings())}
    assert {"npi_ni_grade", "rkef_electricity_mwh_per_t_ni"} <= npi
    assert "lfp_cam_kg_per_kwh" not in npi  # a cathode parameter cannot move NPI
    assert "hpal_acid_t_per_t_ni" not in npi  # nor an HPAL one


def test_a_parameter_the_user_fixes_is_not_drawn(model):
    fixed = Settings(values={"rkef_electricity_mwh_per_t_ni": 35.0})
    mc = route_monte_carlo(model, "npi", iterations=20, seed=1, overrides=fixed)
    assert "rkef_electricity_mwh_per_t_ni" not in mc["uncertain_parameters"]
    assert "npi_ni_grade" in mc["uncertain_parameters"]


def test_sensitivity_signs_follow_the_physics(model):
    # more nickel in the alloy means less ore and power per t Ni; more power per t Ni, more CO2
    mc = route_monte_carlo(model, "npi", iterations=200, seed=5)
    assert mc["sensitivity"]["npi_ni_grade"] < -0.2
    assert mc["sensitivity"]["rkef_electricity_mwh_per_t_ni"] > 0.2
    assert mc["percentiles"]["2.5"] < mc["mean"] < mc["percentiles"]["97.5"]
    illustrative = set(mc["illustrative_parameters"])
    assert illustrative <= set(mc["uncertain_parameters"])
    assert "rkef_kiln_coal_t_per_t_alloy" in illustrative  # §8 placeholder range


def test_by_exchange_mode_is_still_available_and_reproducible(model):
    a = route_monte_carlo(model, "npi", iterations=30, seed=4, by="exchanges")
    b = route_monte_carlo(model, "npi", iterations=30, seed=4, by="exchanges")
    assert a["by"] == "exchanges"
    assert a["uncertain_entries"] > 0
    assert a["mean"] == b["mean"]


def test_cli_text_output_shows_the_interval_and_what_drives_it():
    result = CliRunner().invoke(
        app, ["footprint", "product", "npi", "--mc", "40", "--seed", "2"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "Monte Carlo over parameters: 40 draws, seed 2" in result.output
    assert "95 % interval" in result.output
    assert "Spearman" in result.output


def test_html_output_has_an_uncertainty_section(tmp_path):
    out = tmp_path / "npi.html"
    args = ["footprint", "product", "npi", "--mc", "20", "--format", "html", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    assert "<h3>Uncertainty</h3>" in page
    assert "npi_ni_grade" in page


def test_route_monte_carlo_reports_progress_after_every_draw():
    calls: list[tuple[int, int]] = []
    route_monte_carlo(
        FootprintModel(), "npi", iterations=7, seed=1, progress=lambda d, t: calls.append((d, t))
    )
    assert calls == [(i, 7) for i in range(1, 8)]
