"""The ``sinergi footprint`` commands, through the main CLI app: every format and ``--out``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from i18n_checks import english_left_on
from sinergi.cli import app
from sinergi.cli.common import ExitCode, open_store
from sinergi.examples import tiny_park

runner = CliRunner()

#: One invocation per command and the formats it offers.
COMMANDS: dict[str, tuple[list[str], tuple[str, ...]]] = {
    "product": (["footprint", "product", "npi"], ("text", "json", "html")),
    "compare": (
        ["footprint", "compare", "--product", "niso4", "--route", "hpal", "--route", "rkef-matte"],
        ("text", "json", "html"),
    ),
    "battery": (["footprint", "battery", "--chemistry", "NMC811"], ("text", "json", "html")),
    "calibrate": (["footprint", "calibrate"], ("text", "json")),
}


def _cases() -> list[tuple[str, str]]:
    return [(name, fmt) for name, (_, formats) in COMMANDS.items() for fmt in formats]


@pytest.mark.parametrize(("command", "fmt"), _cases())
def test_every_format_with_out_writes_the_file_and_prints_nothing_else(
    command: str, fmt: str, tmp_path: Path
) -> None:
    args, _ = COMMANDS[command]
    out = tmp_path / f"{command}.{fmt}"
    result = runner.invoke(app, [*args, "--format", fmt, "--out", str(out)])
    assert result.exit_code == ExitCode.OK, result.output
    assert out.exists(), f"{command} --format {fmt} --out wrote nothing"
    written = out.read_text("utf-8")
    assert result.stdout == ""
    if fmt == "json":
        json.loads(written)
    elif fmt == "html":
        assert written.startswith("<!doctype html>")
    else:
        assert "CO2e" in written


@pytest.mark.parametrize(("command", "fmt"), _cases())
def test_every_format_without_out_goes_to_standard_output(command: str, fmt: str) -> None:
    args, _ = COMMANDS[command]
    result = runner.invoke(app, [*args, "--format", fmt])
    assert result.exit_code == ExitCode.OK, result.output
    if fmt == "json":
        json.loads(result.stdout)
    elif fmt == "html":
        assert result.stdout.startswith("<!doctype html>")
    else:
        assert "CO2e" in result.stdout


def test_battery_html_out_lang_id_writes_an_indonesian_page(tmp_path: Path) -> None:
    # the case: this printed text, wrote nothing and exited 0
    out = tmp_path / "b.html"
    result = runner.invoke(
        app, ["footprint", "battery", "--format", "html", "--out", str(out), "--lang", "id"]
    )
    assert result.exit_code == ExitCode.OK, result.output
    page = out.read_text("utf-8")
    assert "Deklarasi jejak karbon baterai" in page
    assert english_left_on(page) == []
    assert "batas bawah" in page


def test_park_command_honours_format_and_out(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/demo.db"
    store = open_store(db)
    store.save(tiny_park())
    for fmt in ("text", "json"):
        out = tmp_path / f"park.{fmt}"
        result = runner.invoke(
            app, ["footprint", "park", "demo-park", "--db", db, "--format", fmt, "--out", str(out)]
        )
        assert result.exit_code == ExitCode.OK, result.output
        assert out.exists()
        assert result.stdout == ""


def test_product_json_states_the_functional_unit_and_provenance() -> None:
    result = runner.invoke(app, ["footprint", "product", "npi", "--format", "json"])
    assert result.exit_code == ExitCode.OK, result.output
    data = json.loads(result.stdout)
    assert 54 <= data["score_t_co2e"] <= 70
    assert data["functional_unit"] == "1 t Ni contained in NPI"
    assert data["score_unit"] == "t CO2e per t Ni contained in NPI"
    assert data["lower_bound"] is True
    assert 0 < data["illustrative_share"] < 1
    grade = data["parameters"]["npi_ni_grade"]
    assert grade["source"].startswith("Wei, W., Samuelsson")
    assert grade["provenance"]["refs"] == ["wei-2020-nickel-products", "steelhome-2012-npi-grade"]


def test_product_text_states_the_functional_unit_in_both_languages() -> None:
    english = runner.invoke(app, ["footprint", "product", "npi"])
    assert "t CO2e per t Ni contained in NPI" in english.stdout
    assert "per 1 t" not in english.stdout
    indonesian = runner.invoke(app, ["footprint", "product", "npi", "--lang", "id"])
    assert "t CO2e untuk setiap t Ni yang terkandung dalam NPI" in indonesian.stdout
    assert "69,21" in indonesian.stdout


def test_product_with_scenario_and_monte_carlo(tmp_path: Path) -> None:
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
    assert result.exit_code == ExitCode.OK, result.output
    data = json.loads(out.read_text("utf-8"))
    assert data["scenario"] == "captive-coal-to-solar"
    assert data["monte_carlo"]["iterations"] == 10


def test_monte_carlo_shows_a_progress_bar_fed_by_the_engine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, float | None, list[tuple[float, float | None]]]] = []

    @contextmanager
    def recording(description: str, total: float | None = None) -> Iterator[Callable[..., None]]:
        updates: list[tuple[float, float | None]] = []
        seen.append((description, total, updates))
        yield lambda done, total=None, description=None: updates.append((done, total))

    monkeypatch.setattr("sinergi.cli.footprint.progress", recording)
    result = runner.invoke(app, ["footprint", "product", "npi", "--mc", "12", "--seed", "1"])
    assert result.exit_code == ExitCode.OK, result.output
    [(description, total, updates)] = seen
    assert description == "Monte Carlo draws"
    assert total == 12
    assert [done for done, _ in updates] == list(range(1, 13))


def test_compare_routes_side_by_side() -> None:
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
    assert result.exit_code == ExitCode.OK, result.output
    rows = json.loads(result.stdout)
    assert [r["route"] for r in rows] == ["hpal", "rkef-matte"]
    assert rows[1]["score_t_co2e"] > rows[0]["score_t_co2e"]
    assert {r["score_unit"] for r in rows} == {"t CO2e per t Ni contained in nickel sulfate"}


def test_battery_json_is_a_passport_carbon_footprint_with_a_lower_bound_flag() -> None:
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
    assert result.exit_code == ExitCode.OK, result.output
    passport = json.loads(result.stdout)
    assert "carbonFootprintPerLifecycleStage" in passport
    assert passport["sinergi"]["batteryCarbonFootprintIsLowerBound"] is True


def test_unknown_product_is_a_usage_error_with_the_choices() -> None:
    result = runner.invoke(app, ["footprint", "product", "nickel"])
    assert result.exit_code == ExitCode.USAGE
    assert "unknown product 'nickel'" in result.output
    assert "npi" in result.output
    assert "Traceback" not in result.output


def test_bad_override_is_a_usage_error() -> None:
    result = runner.invoke(app, ["footprint", "product", "npi", "--set", "npi_ni_grade=high"])
    assert result.exit_code == ExitCode.USAGE
    assert "give a number" in result.output


def test_list_runs_in_both_languages() -> None:
    listing = runner.invoke(app, ["footprint", "list"])
    assert listing.exit_code == ExitCode.OK
    assert "captive-coal-to-solar" in listing.output
    indonesian = runner.invoke(app, ["footprint", "list", "--lang", "id"])
    assert "Paket baterai NMC811" in indonesian.output


def _filled_plant_csv(path: Path) -> Path:
    path.write_text(
        "parameter,value,unit,source,year\n"
        "hpal_electricity_mwh_per_t_ni,10,MWh/t Ni,synthetic test plant,2025\n"
        "hpal_onsite_coal_gj_per_t_ni,50,GJ/t Ni,synthetic test plant,2025\n"
        "hpal_limestone_t_per_t_ore,0.1,t/t ore,synthetic test plant,2025\n"
        "nsh_electricity_kwh_per_kg,1.5,kWh/kg,synthetic test plant,2025\n",
        "utf-8",
    )
    return path


def test_plant_template_is_written_and_an_empty_one_is_a_located_data_error(tmp_path):
    template = tmp_path / "plant.csv"
    result = runner.invoke(app, ["footprint", "plant-template", "--out", str(template)])
    assert result.exit_code == ExitCode.OK, result.output
    assert "hpal_electricity_mwh_per_t_ni" in template.read_text("utf-8")
    result = runner.invoke(
        app, ["footprint", "product", "mhp-plant", "--plant-data", str(template)]
    )
    assert result.exit_code == ExitCode.STORE  # a data error: 3
    assert "row 2, column value" in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_bottom_up_hpal_without_plant_data_is_a_usage_error_naming_the_fix():
    result = runner.invoke(app, ["footprint", "product", "niso4", "--route", "hpal-plant"])
    assert result.exit_code == ExitCode.USAGE
    assert "--plant-data" in result.output


@pytest.mark.parametrize("lang", ["en", "id"])
def test_plant_data_result_lists_plant_exchanges_and_the_difference(tmp_path, lang):
    plant = _filled_plant_csv(tmp_path / "plant.csv")
    args = ["footprint", "product", "niso4", "--route", "rkef-matte", "--plant-data", str(plant)]
    result = runner.invoke(app, [*args, "--format", "json", "--lang", lang])
    assert result.exit_code == ExitCode.OK, result.output
    data = json.loads(result.stdout)["plant_data"]
    assert data["exchanges"] == [
        "niso4.from_matte <- electricity@niso4.from_matte: "
        "nsh_electricity_kwh_per_kg * molar_mass_niso4_6h2o / molar_mass_ni"
    ]
    # 0.48 kWh/kg NSH more, x 262.85/58.693 kg NSH per kg Ni, on captive coal (1.15 t/MWh)
    assert data["difference_t_co2e"] == pytest.approx(0.48 * 262.85 / 58.693 * 1.15, rel=1e-9)
    page = runner.invoke(app, [*args, "--format", "html", "--lang", lang]).stdout
    assert "nsh_electricity_kwh_per_kg" in page
    if lang == "id":
        assert english_left_on(page) == []


@pytest.mark.parametrize("lang", ["en", "id"])
def test_battery_declaration_shows_contributions_and_sensitivity_in_every_format(lang):
    base = ["footprint", "battery", "--chemistry", "NMC811", "--nickel-route", "hpal"]
    args = [*base, "--mc", "30", "--seed", "3", "--lang", lang]
    data = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    assert data["sinergi"]["monteCarlo"]["iterations"] == 30
    assert set(data["sinergi"]["contributionsByStage"]) >= {"cathode", "cell"}
    assert "nmc811_cam_kg_per_kwh" in data["sinergi"]["illustrativeValues"]
    text = runner.invoke(app, [*args, "--format", "text"]).stdout
    assert "Spearman" in text
    assert "nmc811_cam_kg_per_kwh" in text
    page = runner.invoke(app, [*args, "--format", "html"]).stdout
    assert "Spearman" in page
    assert "<code>nmc811_cam_kg_per_kwh</code>" in page
    if lang == "id":
        assert english_left_on(page) == []
