"""The ``sinergi footprint`` commands, through the main CLI app."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from sinergi.cli import app
from sinergi.footprint.demo import footprint_demo

runner = CliRunner()


def test_product_json_reports_score_and_provenance():
    result = runner.invoke(app, ["footprint", "product", "npi", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert 54 <= data["score_t_co2e"] <= 70
    assert data["lower_bound"] is True
    assert 0 < data["illustrative_share"] < 1


def test_product_with_scenario_and_monte_carlo(tmp_path):
    out = tmp_path / "npi.json"
    result = runner.invoke(
        app,
        [
            "footprint",
            "product",
            "npi",
            "--scenario",
            "captive-coal-to-solar",
            "--mc",
            "10",
            "--seed",
            "3",
            "--format",
            "json",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    assert data["scenario"] == "captive-coal-to-solar"
    assert data["monte_carlo"]["iterations"] == 10


def test_html_output_is_written(tmp_path):
    out = tmp_path / "mhp.html"
    result = runner.invoke(
        app, ["footprint", "product", "mhp", "--format", "html", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Lower bound" in out.read_text("utf-8")


def test_compare_routes_side_by_side():
    result = runner.invoke(
        app,
        [
            "footprint",
            "compare",
            "--product",
            "niso4",
            "--route",
            "hpal",
            "--route",
            "rkef-matte",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["route"] for r in rows] == ["hpal", "rkef-matte"]
    assert rows[1]["score_t_co2e"] > rows[0]["score_t_co2e"]


def test_battery_json_is_a_passport_carbon_footprint():
    result = runner.invoke(
        app,
        [
            "footprint",
            "battery",
            "--chemistry",
            "NMC811",
            "--nickel-route",
            "hpal",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "carbonFootprintPerLifecycleStage" in json.loads(result.stdout)


def test_unknown_product_is_a_usage_error_naming_the_choices():
    result = runner.invoke(app, ["footprint", "product", "nickel"])
    assert result.exit_code == 2
    assert "unknown product 'nickel'" in result.output


def test_bad_override_is_a_usage_error():
    result = runner.invoke(app, ["footprint", "product", "npi", "--set", "npi_ni_grade=high"])
    assert result.exit_code == 2


def test_calibrate_and_list_run():
    assert runner.invoke(app, ["footprint", "calibrate"]).exit_code == 0
    listing = runner.invoke(app, ["footprint", "list"])
    assert listing.exit_code == 0
    assert "captive-coal-to-solar" in listing.output


def test_footprint_demo_writes_parks_and_scenario(tmp_path):
    summary = footprint_demo(tmp_path)
    data = json.loads((tmp_path / "footprints.json").read_text("utf-8"))
    assert set(data["parks"]) == {"iwip", "imip"}
    iwip = summary["t_co2e_per_t_ni"]["iwip"]["npi"]
    assert iwip["captive-coal-to-solar"] < iwip["baseline"]
    assert all(c["passed"] for c in data["calibration"])
