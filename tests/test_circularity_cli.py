"""``sinergi battery`` on the CLI: forecast, recycling, swap, report, in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sinergi.cli import app

runner = CliRunner(env={"COLUMNS": "200"})  # wide enough that no table cell wraps


def test_forecast_json_covers_the_years_asked_for() -> None:
    result = runner.invoke(app, ["battery", "forecast", "--to", "2035", "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["years"][0] == 2019
    assert record["years"][-1] == 2035
    moto = record["by_vehicle_type"]["motorcycle"]["packs"]["stock"]
    assert moto[record["years"].index(2024)] == 160_578
    assert any("illustrative" in flag for flag in record["illustrative"])
    assert record["stock_checks"][0]["difference"] == 549


def test_forecast_table_shows_illustrative_inputs_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "forecast.json"
    result = runner.invoke(
        app, ["battery", "forecast", "--scenario", "no-growth-after-2024", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Illustrative inputs" in result.output
    assert "Stock check 2024: modelled 194,535 packs in use, sourced 195,084" in result.output
    assert json.loads(out.read_text(encoding="utf-8"))["scenario"] == "no-growth-after-2024"


def test_forecast_in_indonesian_uses_indonesian_words_and_numbers() -> None:
    result = runner.invoke(app, ["battery", "forecast", "--to", "2030", "--lang", "id"])
    assert result.exit_code == 0, result.output
    assert "Proyeksi baterai" in result.output
    assert "sepeda motor listrik" in result.output
    assert "194.535" in result.output  # 1.234 thousands in Indonesian
    assert "Masukan ilustratif" in result.output
    assert "Illustrative inputs" not in result.output


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


def test_recycling_table_shows_every_kind_of_eu_target_and_missing_plants() -> None:
    result = runner.invoke(app, ["battery", "recycling", "--route", "hydro", "--to", "2040"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "EU Regulation 2023/1542 targets" in out
    for kind in ("recycling efficiency", "material recovery", "recycled content"):
        assert kind in out
    assert "lithium-based batteries" in out
    assert "lead-acid batteries" in out
    assert "not applicable" in out
    assert "possible (upper bound" in out
    assert "Planned recycling capacity: none found" in out
    assert "not computed" in out
    assert "battery lifetime of e-motorcycle" in out  # the forecast's flags are listed too
    for python in ("None", "True", "not_assessed", "does_not_meet"):
        assert python not in out


def test_recycling_table_in_indonesian() -> None:
    result = runner.invoke(app, ["battery", "recycling", "--to", "2040", "--lang", "id"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "efisiensi daur ulang" in out
    assert "baterai berbasis litium" in out
    assert "tidak dinilai" in out
    assert "hidrometalurgi" in out


def test_swap_in_indonesian_names_spbklu_and_chargers() -> None:
    result = runner.invoke(
        app, ["battery", "swap", "--riders", "250", "--stations", "4", "--lang", "id"]
    )
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "SPBKLU" in out
    assert "pengisi daya" in out
    assert "Masukan ilustratif" in out
    assert "pemakaian energi per km" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["battery", "forecast", "--scenario", "nope"], "government-targets"),
        (["battery", "forecast", "--to", "2020"], "outside 2024..2100"),
        (["battery", "recycling", "--collection-rate", "1.5"], "outside [0, 1]"),
        (["battery", "recycling", "--route", "direct"], "'direct' is not one of"),
        (["battery", "swap", "--riders", "0"], "riders"),
        (["battery", "swap", "--riders", "10", "--target-wait", "1.5"], "target_p_wait"),
        (["battery", "forecast", "--lang", "fr"], "'fr' is not one of"),
    ],
)
def test_bad_options_exit_2_with_a_message_and_no_traceback(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_report_command_writes_records_and_both_pages(tmp_path: Path) -> None:
    result = runner.invoke(app, ["battery", "report", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = ("battery-forecast.json", "swap-station.json", "battery.en.html", "battery.id.html")
    for name in names:
        assert (tmp_path / name).is_file(), name
    record = json.loads((tmp_path / "battery-forecast.json").read_text("utf-8"))
    assert record["emissions_avoided_basis"]["element"] == "Ni"  # priced as in the demo
    assert record["recycling"]["emissions_avoided_status"] == "lower_bound"


def test_report_to_an_unwritable_folder_exits_3_without_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", "utf-8")
    result = runner.invoke(app, ["battery", "report", "--out", str(blocker / "inside")])
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert "choose another --out" in " ".join(result.output.split())
