"""``sinergi battery forecast`` and ``recycling`` on the CLI, and the circularity demo."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sinergi.circularity.demo import circularity_demo
from sinergi.cli import app

runner = CliRunner()


def test_forecast_json_covers_the_years_asked_for() -> None:
    result = runner.invoke(app, ["battery", "forecast", "--to", "2035", "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["years"][0] == 2019
    assert record["years"][-1] == 2035
    moto = record["by_vehicle_type"]["motorcycle"]["packs"]["stock"]
    assert moto[record["years"].index(2024)] == 160_578
    assert any("illustrative" in flag for flag in record["illustrative"])


def test_forecast_table_shows_illustrative_inputs_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "forecast.json"
    result = runner.invoke(
        app, ["battery", "forecast", "--scenario", "no-growth-after-2024", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Illustrative inputs" in result.output
    assert json.loads(out.read_text(encoding="utf-8"))["scenario"] == "no-growth-after-2024"


def test_recycling_json_uses_the_route_and_collection_rate_given() -> None:
    result = runner.invoke(
        app,
        [
            "battery",
            "recycling",
            "--route",
            "pyro",
            "--collection-rate",
            "0.9",
            "--to",
            "2040",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["route"] == "pyro"
    assert record["collection_rate"] == 0.9
    assert set(record["recovered_t"]) == {"Ni", "Co", "Li", "Mn", "Cu"}
    assert max(record["recovered_t"]["Li"]) == 0.0  # pyro leaves lithium in the slag
    assert record["emissions_avoided_t_co2e"] is None


def test_recycling_table_shows_eu_targets_and_missing_plants() -> None:
    result = runner.invoke(app, ["battery", "recycling", "--to", "2040"])
    assert result.exit_code == 0, result.output
    assert "EU targets" in result.output
    assert "Planned recycling capacity: none" in result.output
    assert "not computed" in result.output


def test_unknown_scenario_exits_2_naming_the_choices() -> None:
    result = runner.invoke(app, ["battery", "forecast", "--scenario", "nope"])
    assert result.exit_code == 2
    assert "government-targets" in result.output


def test_collection_rate_above_one_exits_2() -> None:
    result = runner.invoke(app, ["battery", "recycling", "--collection-rate", "1.5"])
    assert result.exit_code == 2
    assert "outside [0, 1]" in result.output


def test_demo_writes_the_forecast_file_and_returns_its_headlines(tmp_path: Path) -> None:
    summary = circularity_demo(tmp_path)
    record = json.loads((tmp_path / "battery-forecast.json").read_text(encoding="utf-8"))
    assert set(record) == {"forecast", "recycling", "emissions_avoided_basis"}
    assert record["emissions_avoided_basis"] is None  # no factors given
    assert record["forecast"]["years"][-1] == 2045 == summary["last_year"]
    assert summary["packs_in_use_2030"] > 15_000_000  # 13 M + 2 M targets plus conversions
    assert summary["illustrative_inputs"] == len(record["recycling"]["illustrative"]) > 0
    assert summary["recovered_t_last_year"]["Ni"] > 0


def test_report_command_writes_records_and_both_pages(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sinergi.cli import app

    result = CliRunner().invoke(app, ["battery", "report", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = ("battery-forecast.json", "swap-station.json", "battery.en.html", "battery.id.html")
    for name in names:
        assert (tmp_path / name).is_file(), name
