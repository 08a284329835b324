"""``sinergi emobility``: every command as a user runs it, in both languages, and its exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from i18n_checks import english_left_on
from sinergi.cli import app
from sinergi.cli.common import ExitCode

runner = CliRunner()

BOM = {
    "version": 1,
    "model": {"model": "CLI scooter", "vehicle_class": "roda dua", "battery_kwh": 1.44},
    "components": [
        {"id": "battery", "name": "Battery pack", "group": "main", "weight": 40},
        {"id": "motor", "name": "Motor", "group": "main", "weight": 5},
        {"id": "frame", "name": "Frame", "group": "main", "weight": 5},
        {"id": "brakes", "name": "Brakes", "group": "supporting", "weight": 1},
        {"id": "lights", "name": "Lights", "group": "supporting", "weight": 1},
    ],
    "parts": [
        {"component": "battery", "part": "cells", "cost_idr": 6000000, "origin": "imported"},
        {"component": "battery", "part": "BMS", "cost_idr": 1000000, "origin": "domestic"},
        {
            "component": "battery",
            "part": "housing",
            "cost_idr": 1000000,
            "origin": "domestic",
            "local_share": "50%",
        },
        {"component": "motor", "part": "hub motor", "cost_idr": 2000000, "origin": "imported"},
        {"component": "frame", "part": "frame", "cost_idr": 1500000, "origin": "domestic"},
        {"component": "brakes", "part": "brake set", "cost_idr": 300000, "origin": "domestic"},
        {"component": "lights", "part": "LED unit", "cost_idr": 100000, "origin": "domestic"},
        {"component": "lights", "part": "LED chips", "cost_idr": 100000, "origin": "imported"},
    ],
    "aspects": [
        {"id": "labour", "aspect": "assembly", "item": "labour", "weight": 1, "achieved": 1},
        {"id": "rig", "aspect": "assembly", "item": "facilities", "weight": 1, "achieved": 0.5},
        {"id": "design", "aspect": "development", "item": "design", "weight": 2, "achieved": 1},
        {"id": "testing", "aspect": "development", "item": "testing", "weight": 1, "achieved": 0},
    ],
    "options": [
        {"id": "local-cells", "target": "battery", "new_share": "80%", "cost_idr": 1500000},
        {"id": "local-motor", "target": "motor", "new_share": 1, "cost_idr": 300000},
        {"id": "testing-lab", "target": "testing", "new_share": 1, "cost_idr": 50000},
    ],
}

SUPPLIERS = (
    "supplier_id,name,component,share,park,province,workers,kbli\n"
    "s1,Engine Co,engine,10%,kiic,id-jb,400,30912\n"
    "s2,Motor Co,motor,20%,giic,id-jb,90,27101\n"
)


@pytest.fixture
def bom_file(tmp_path: Path) -> Path:
    path = tmp_path / "bom.yaml"
    path.write_text(yaml.safe_dump(BOM, sort_keys=False), "utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["emobility", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_tkdn_reports_the_hand_computed_value_and_the_cheapest_localisation(
    bom_file: Path,
) -> None:
    code, output = run("tkdn", str(bom_file), "--year", "2026", "--format", "json")
    assert code == ExitCode.OK
    record = json.loads(output)
    assert record["tkdn_percent"] == pytest.approx(295 / 6)
    assert record["target"] == {"percent": 60.0, "year": 2027, "given": False}
    chosen = [o["option"] for o in record["localisation"]["chosen"]]
    assert chosen == ["local-cells"]  # motor + testing lab (+8.33) cannot close 10.83 points
    years = {y["year"]: y for y in record["years"]}
    assert years[2024]["subsidy_eligible"] is True
    assert years[2027]["meets_threshold"] is False


def test_a_given_target_is_used_with_the_assessment_year(bom_file: Path) -> None:
    code, output = run(
        "tkdn", str(bom_file), "--year", "2026", "--target", "55", "--format", "json"
    )
    assert code == ExitCode.OK
    record = json.loads(output)
    # +5.83 points: the motor (+5, IDR 300,000) and the testing lab (+3.33, IDR 50,000)
    assert {o["option"] for o in record["localisation"]["chosen"]} == {
        "local-motor",
        "testing-lab",
    }
    assert record["localisation"]["cost_idr"] == 350000


@pytest.mark.parametrize("lang", ["en", "id"])
def test_tkdn_html_is_written_in_the_chosen_language(
    bom_file: Path, tmp_path: Path, lang: str
) -> None:
    out = tmp_path / f"tkdn.{lang}.html"
    code, _ = run(
        "tkdn",
        str(bom_file),
        "--year",
        "2026",
        "--format",
        "html",
        "--lang",
        lang,
        "--out",
        str(out),
    )
    assert code == ExitCode.OK
    page = out.read_text("utf-8")
    assert "<svg" in page
    assert "None" not in page
    if lang == "id":
        assert english_left_on(page) == []
        assert "49,17%" in page


def test_tkdn_xlsx_holds_the_tables(bom_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "tkdn.xlsx"
    code, _ = run("tkdn", str(bom_file), "--year", "2026", "--format", "xlsx", "--out", str(out))
    assert code == ExitCode.OK
    workbook = openpyxl.load_workbook(out)
    assert {"Summary", "Components", "Years", "Localisation", "Inputs"} <= set(workbook.sheetnames)


def test_a_malformed_bill_is_exit_1_with_every_located_problem(tmp_path: Path) -> None:
    doc = dict(BOM)
    doc["parts"] = [dict(p) for p in BOM["parts"]]  # type: ignore[union-attr]
    doc["parts"][0]["cost_idr"] = "six million"  # type: ignore[index]
    doc["parts"][3]["origin"] = "abroad"  # type: ignore[index]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(doc), "utf-8")
    out = tmp_path / "never.json"
    code, output = run("tkdn", str(path), "--format", "json", "--out", str(out))
    assert code == ExitCode.INVALID
    assert "2 problem(s)" in output
    assert "sheet 'parts', row 1" in output
    assert "sheet 'parts', row 4" in output
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("tkdn", "missing.yaml"), ExitCode.STORE, "no such file"),
        (("tkdn", "{bom}", "--method", "x"), ExitCode.USAGE, "choose one of"),
        (("tkdn", "{bom}", "--format", "xlsx"), ExitCode.USAGE, "give --out"),
        (("tkdn", "{bom}", "--target", "120"), ExitCode.USAGE, "at most 100"),
        (("tkdn", "{bom}", "--year", "2010"), ExitCode.USAGE, "starts in 2020"),
        (("transition", "nope"), ExitCode.USAGE, "choose one of none"),
        (("transition", "none", "--to", "1999"), ExitCode.USAGE, "--to 1999"),
        (("packs", "--year", "1990"), ExitCode.USAGE, "pack forecast"),
        (("packs", "--pack", "sni-99"), ExitCode.USAGE, "sni-60v-20ah"),
        (("packs", "--standard", "mixed"), ExitCode.USAGE, "'mixed' is not one of"),
        (("template", "nope", "--out", "x.xlsx"), ExitCode.USAGE, "bom, suppliers"),
    ],
)
def test_wrong_arguments_give_a_message_and_the_documented_code(
    bom_file: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    got, output = run(*(a.format(bom=bom_file) for a in args))
    assert got == code
    assert message in " ".join(output.split())


def test_transition_reports_suppliers_losses_and_jobs(tmp_path: Path) -> None:
    suppliers = tmp_path / "suppliers.csv"
    suppliers.write_text(SUPPLIERS, "utf-8")
    code, output = run(
        "transition",
        "government-target",
        "--to",
        "2035",
        "--suppliers",
        str(suppliers),
        "--format",
        "json",
    )
    assert code == ExitCode.OK
    record = json.loads(output)
    engine, motor = record["suppliers"]
    assert engine["first_year_losing"]["0.1"] == 2026
    assert engine["jobs_at_risk"][-1] == pytest.approx(400 * 0.275, rel=0.01)
    assert motor["gained_sets"][-1] > 0
    assert motor["jobs_at_risk"] is None


def test_no_electrification_from_the_command_line_loses_nothing(tmp_path: Path) -> None:
    suppliers = tmp_path / "suppliers.csv"
    suppliers.write_text(SUPPLIERS, "utf-8")
    code, output = run(
        "transition", "none", "--to", "2040", "--suppliers", str(suppliers), "--format", "json"
    )
    assert code == ExitCode.OK
    for supplier in json.loads(output)["suppliers"]:
        assert max(supplier["lost_sets"]) == 0


def test_a_scenario_file_runs(tmp_path: Path) -> None:
    path = tmp_path / "scenarios.csv"
    path.write_text("scenario;year;electric_share\nmine;2023;1%\nmine;2035;50%\n", "utf-8")
    code, output = run("transition", str(path), "--to", "2035", "--format", "json")
    assert code == ExitCode.OK
    record = json.loads(output)
    assert record["scenario"] == "mine"
    assert record["vehicles"]["electric_share"][-1] == pytest.approx(0.5)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_transition_and_packs_pages_in_both_languages(tmp_path: Path, lang: str) -> None:
    suppliers = tmp_path / "suppliers.csv"
    suppliers.write_text(SUPPLIERS, "utf-8")
    for args in (
        ("transition", "government-target", "--suppliers", str(suppliers)),
        ("packs", "--standard", "shared"),
    ):
        out = tmp_path / f"{args[0]}.{lang}.html"
        code, _ = run(*args, "--format", "html", "--lang", lang, "--out", str(out))
        assert code == ExitCode.OK
        page = out.read_text("utf-8")
        assert "None" not in page
        if lang == "id":
            assert english_left_on(page) == []


def test_the_standard_toggle_changes_the_headline(tmp_path: Path) -> None:
    shared = json.loads(run("packs", "--standard", "shared", "--format", "json")[1])
    proprietary = json.loads(run("packs", "--standard", "proprietary", "--format", "json")[1])
    assert shared["standard"] == "shared"
    assert proprietary["standard"] == "proprietary"
    assert (
        proprietary["proprietary"]["packs"] - shared["shared"]["packs"]
        == shared["avoided"]["packs"]
    )


@pytest.mark.parametrize("kind", ["bom", "suppliers", "sales", "scenario"])
def test_templates_are_written(tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.xlsx"
    code, _ = run("template", kind, "--out", str(out))
    assert code == ExitCode.OK
    assert "Instructions" in openpyxl.load_workbook(out).sheetnames
