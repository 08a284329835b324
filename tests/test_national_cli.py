"""The national commands as a user runs them: registry in and out, accounts, scenarios, pages."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from i18n_checks import english_left_on, english_status_left_on, sentences_left_on
from sinergi.cli import app
from sinergi.cli.common import ExitCode

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), terminal_width=200)
    return result.exit_code, result.output


@pytest.fixture(autouse=True)
def _draws_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep Monte Carlo draws of these runs out of the user's cache folder."""
    monkeypatch.setenv("SINERGI_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def registry_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("national") / "registry.xlsx"
    code, out = run(
        "smelters", "synth", "--plants", "60", "--units", "40", "--seed", "3", "--out", str(path)
    )
    assert code == ExitCode.OK, out
    return path


def test_import_then_accounts_from_the_database_equal_accounts_from_the_file(
    registry_file: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path}/n.db"
    code, out = run("smelters", "import", str(registry_file), "--db", db)
    assert code == ExitCode.OK, out
    assert "60 added" in out
    code, again = run("smelters", "import", str(registry_file), "--db", db)
    assert "0 added, 0 changed, 60 unchanged" in again
    _, from_db = run("national", "accounts", "--year", "2023", "--db", db, "--format", "json")
    _, from_file = run(
        "national",
        "accounts",
        "--year",
        "2023",
        "--registry",
        str(registry_file),
        "--format",
        "json",
    )
    a, b = json.loads(from_db), json.loads(from_file)
    assert a["national"] == b["national"]
    assert a["registry"] == "database"


def test_list_and_show_read_the_registry(registry_file: Path) -> None:
    code, out = run("smelters", "list", "--registry", str(registry_file), "--lang", "id")
    assert code == ExitCode.OK
    assert out.startswith("60 smelter")
    assert "sintetis" in out
    code, out = run("smelters", "show", "syn-0001", "--registry", str(registry_file))
    assert code == ExitCode.OK
    assert "route:" in out
    code, out = run("smelters", "show", "nope", "--registry", str(registry_file))
    assert code == ExitCode.USAGE
    assert "'nope'" in out


def test_accounts_band_contains_the_total_and_reconciles(registry_file: Path) -> None:
    code, out = run(
        "national", "accounts", "--year", "2023", "--registry", str(registry_file), "--mc", "50",
        "--format", "json",
    )  # fmt: skip
    assert code == ExitCode.OK, out
    record = json.loads(out)
    band = record["national"]["co2e_band_t"]
    assert band["p2.5"] <= record["national"]["co2e_t"] <= band["p97.5"]
    ids = {r["id"] for r in record["reconciliation"]}
    assert {"esdm-2023-ni-in-ferronickel", "kemenperin-2024-operating"} <= ids
    assert record["inputs"]["draws"] == 50


@pytest.mark.parametrize("lang", ["en", "id"])
def test_pages_are_in_one_language_with_units_and_sources(
    registry_file: Path, tmp_path: Path, lang: str
) -> None:
    pages = {
        "accounts": ("national", "accounts", "--year", "2023"),
        "scenario": ("national", "scenario", "captive-coal-phaseout", "--to", "2045", "--mc", "20"),
        "compare": ("national", "compare", "baseline", "captive-coal-phaseout", "--to", "2035"),
    }
    for name, args in pages.items():
        out = tmp_path / f"{name}-{lang}.html"
        code, text = run(
            *args,
            "--registry",
            str(registry_file),
            "--format",
            "html",
            "--lang",
            lang,
            "--out",
            str(out),
        )
        assert code == ExitCode.OK, text
        page = out.read_text("utf-8")
        assert "Mt CO2e" in page
        assert "None" not in page
        assert "<svg" in page
        # the energy and carbon cost is labelled as not a production cost, and coal in t
        assert ("bukan biaya produksi" if lang == "id" else "not a production cost") in page
        assert ("t batu bara" if lang == "id" else "t coal") in page
        if lang == "id":
            assert english_left_on(page) == [], name
            # the sources column: status words and the data files' notes in Indonesian too
            assert english_status_left_on(page) == [], name
            assert sentences_left_on(page, _data_file_notes()) == [], name


def _data_file_notes() -> list[str]:
    """Return the English notes and sources of the data files whose inputs the pages list."""
    from importlib import resources

    import yaml

    def read(package: str, name: str) -> Any:
        return yaml.safe_load(resources.files(package).joinpath(name).read_text("utf-8"))

    notes = []
    national = read("sinergi.data.national", "factors.yaml")
    for key, entry in national.items():
        if key == "residue_t_per_t_ni":
            notes += [e["note"] for e in entry.values()]
        elif isinstance(entry, dict) and "note" in entry:
            notes.append(entry["note"])
    parameters = read("sinergi.data.footprint", "routes.yaml")["parameters"]
    notes += [parameters[k]["note"] for k in ("hydro_co2e_t_per_mwh", "solar_co2e_t_per_mwh")]
    factors = read("sinergi.data.factors", "emission_factors.yaml")
    for entry in [*factors["grid_electricity"], factors["captive_coal_electricity"]]:
        notes += [entry[k] for k in ("note", "caveat") if k in entry]
    return notes


def test_sourced_scenario_page_in_indonesian_has_indonesian_sources(tmp_path: Path) -> None:
    from importlib import resources

    shipped = str(resources.files("sinergi.data.national").joinpath("registry-sourced.yaml"))
    out = tmp_path / "s.id.html"
    code, text = run(
        "national", "scenario", "captive-coal-phaseout", "--to", "2045", "--registry", shipped,
        "--lang", "id", "--format", "html", "--out", str(out),
    )  # fmt: skip
    assert code == ExitCode.OK, text
    assert text.strip() == f"{out} ditulis"  # "wrote {path}" in Indonesian
    page = out.read_text("utf-8")
    assert english_left_on(page) == []
    assert english_status_left_on(page) == []
    assert sentences_left_on(page, _data_file_notes()) == []
    # a citation stays as published; its "no date" is the Indonesian "t.t."
    assert "IDX Channel t.t." in page


#: (page, why a chart is empty in English and in Indonesian) on the shipped sourced registry,
#: where no smelter has production after 2021, coordinates or a known cost
EMPTY_CHARTS = {
    "accounts": [
        ("no smelter has coordinates", "tidak ada smelter yang memiliki koordinat"),
        ("no province has complete CO2e data", "tidak ada provinsi yang data CO2e-nya lengkap"),
    ],
    "scenario": [
        (
            "no smelter's CO2e is known in any year",
            "tidak ada smelter yang CO2e-nya diketahui pada tahun mana pun",
        ),
        (
            "no route's CO2e per t Ni is known in any year",
            "tidak ada rute proses yang CO2e per t Ni-nya diketahui pada tahun mana pun",
        ),
        (
            "no route has a known energy and carbon cost in any year",
            "tidak ada rute proses yang biaya energi dan karbonnya diketahui pada tahun mana pun",
        ),
    ],
    "compare": [
        (
            "in neither scenario is any smelter's CO2e known in any year",
            "pada kedua skenario tidak ada smelter yang CO2e-nya diketahui pada tahun mana pun",
        ),
        (
            "no route has a known energy and carbon cost in any year",
            "tidak ada rute proses yang biaya energi dan karbonnya diketahui pada tahun mana pun",
        ),
    ],
}


@pytest.mark.parametrize("lang", ["en", "id"])
def test_chart_sections_with_nothing_to_draw_say_why(tmp_path: Path, lang: str) -> None:
    from importlib import resources

    shipped = str(resources.files("sinergi.data.national").joinpath("registry-sourced.yaml"))
    pages = {
        "accounts": ("national", "accounts", "--year", "2023"),
        "scenario": ("national", "scenario", "captive-coal-phaseout", "--to", "2045"),
        "compare": ("national", "compare", "baseline", "captive-coal-phaseout", "--to", "2035"),
    }
    for name, args in pages.items():
        out = tmp_path / f"{name}.{lang}.html"
        code, text = run(
            *args, "--registry", shipped, "--lang", lang, "--format", "html", "--out", str(out)
        )
        assert code == ExitCode.OK, text
        page = out.read_text("utf-8")
        reasons = [en if lang == "en" else id_ for en, id_ in EMPTY_CHARTS[name]]
        for reason in reasons:
            assert reason in html.unescape(page), (name, reason)
        # each says so under its own heading, and no table is left with a header row alone
        assert page.count('class="empty"') == len(reasons), name
        assert re.search(r"<table>\s*<tr>(<th>[^<]*</th>)+</tr>\s*</table>", page) is None, name


def test_scenario_phaseout_ends_coal_and_lowers_emissions(registry_file: Path) -> None:
    code, out = run(
        "national", "scenario", "captive-coal-phaseout", "--to", "2060",
        "--registry", str(registry_file), "--format", "json",
    )  # fmt: skip
    assert code == ExitCode.OK, out
    years = {y["year"]: y for y in json.loads(out)["years"]}
    assert years[2060]["coal_mw"] == 0
    assert years[2060]["co2e_t"] < years[2023]["co2e_t"]


def test_baseline_scenario_equals_the_accounts_in_the_base_year(registry_file: Path) -> None:
    _, acc = run(
        "national",
        "accounts",
        "--year",
        "2023",
        "--registry",
        str(registry_file),
        "--format",
        "json",
    )
    _, sc = run(
        "national",
        "scenario",
        "baseline",
        "--to",
        "2030",
        "--registry",
        str(registry_file),
        "--format",
        "json",
    )
    assert json.loads(sc)["years"][0]["co2e_t"] == json.loads(acc)["national"]["co2e_t"]
    # coal burnt and the energy and carbon cost agree too (same default prices, same code)
    first, accounts = json.loads(sc)["years"][0], json.loads(acc)
    assert first["captive_coal"] == accounts["captive_coal"]["national"]
    for route, cost in accounts["energy_carbon_cost"]["routes"].items():
        assert first["routes"][route]["energy_carbon_cost"] == cost


def test_xlsx_and_csv_outputs(registry_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "acc.xlsx"
    code, text = run(
        "national", "accounts", "--year", "2023", "--registry", str(registry_file),
        "--format", "xlsx", "--out", str(out), "--lang", "id",
    )  # fmt: skip
    assert code == ExitCode.OK, text
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "Hasil",
        "Rekonsiliasi",
        "Tata kelola",
        "Biaya energi dan karbon",
        "Masukan",
    ]
    code, csv_text = run(
        "national",
        "scenario",
        "baseline",
        "--to",
        "2030",
        "--registry",
        str(registry_file),
        "--format",
        "csv",
    )
    assert csv_text.splitlines()[0].startswith("year,co2e_t")
    assert len(csv_text.splitlines()) == 1 + 2030 - 2023 + 1
    code, text = run(
        "national",
        "accounts",
        "--year",
        "2023",
        "--registry",
        str(registry_file),
        "--format",
        "xlsx",
    )
    assert code == ExitCode.USAGE


def test_malformed_scenario_file_is_exit_1_with_the_setting_named(
    registry_file: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nbase_year: 2023\nretire: []\n", "utf-8")
    code, out = run("national", "scenario", str(bad), "--registry", str(registry_file))
    assert code == ExitCode.INVALID
    assert "retire" in out


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "-5 in 2030 is not a price"), ("id", "-5 pada 2030 bukan harga")],
)
def test_negative_price_in_a_scenario_file_is_exit_1_with_the_setting_named(
    registry_file: Path, tmp_path: Path, lang: str, words: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nbase_year: 2023\ncoal_price_usd_per_t: {2030: -5}\n", "utf-8")
    code, out = run(
        "national", "scenario", str(bad), "--registry", str(registry_file), "--lang", lang
    )
    assert code == ExitCode.INVALID
    assert "'coal_price_usd_per_t'" in out
    assert words in " ".join(out.split())
    if lang == "id":
        assert english_left_on(out) == []


def test_scenario_text_and_json_carry_coal_burnt_and_costs(registry_file: Path) -> None:
    args = ("national", "scenario", "captive-coal-phaseout", "--to", "2030")
    code, text = run(*args, "--registry", str(registry_file))
    assert code == ExitCode.OK, text
    assert "not a production cost" in text
    assert "t coal" in text
    code, raw = run(*args, "--registry", str(registry_file), "--format", "json")
    record = json.loads(raw)
    first = record["years"][0]
    coal = first["captive_coal"]
    heat = record["inputs"]["captive_coal_burnt"]["heat_rate_gj_per_mwh"]
    assert coal["fuel_tj"] == pytest.approx(coal["electricity_mwh"] * heat / 1000)
    assert coal["coal_t_low"] < coal["coal_t"] < coal["coal_t_high"]
    # HPAL has no electricity per t Ni in the inventory: insufficient data, never zero
    hpal = first["routes"]["hpal_mhp"]["energy_carbon_cost"]
    assert hpal["total_idr_per_t_ni"] is None
    assert hpal["insufficient_data"]["electricity"]
    assert first["prices"]["grid_tariff_idr_per_kwh"] == 996.74


def test_malformed_registry_import_stores_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "smelters:\n  - {id: a, name: A, route: npi, status: operating, synthetic: yes}\n"
        "captive_units:\n  - {id: u, smelter: ghost, capacity_mw: 10, status: operating,"
        " synthetic: yes}\n",
        "utf-8",
    )
    db = f"sqlite:///{tmp_path}/n.db"
    code, out = run("smelters", "import", str(bad), "--db", db)
    assert code == ExitCode.INVALID
    assert "ghost" in out
    code, out = run("smelters", "list", "--db", db)
    assert code == ExitCode.USAGE  # still no smelters: nothing was written


def test_template_and_crea_template_are_written(tmp_path: Path) -> None:
    for args, name in (
        (("smelters", "template"), "t.xlsx"),
        (("smelters", "template", "--crea"), "c.csv"),
    ):
        code, out = run(*args[:2], str(tmp_path / name), *args[2:])
        assert code == ExitCode.OK, out
        assert (tmp_path / name).exists()


def test_shipped_sourced_registry_has_only_sourced_production_and_says_so(tmp_path: Path) -> None:
    from importlib import resources

    from sinergi.io.national.readers import read_registry

    shipped = Path(str(resources.files("sinergi.data.national").joinpath("registry-sourced.yaml")))
    rows = read_registry(shipped)
    assert all(r["source"] and not r["synthetic"] for r in rows["smelters"] + rows["units"])
    for lang in ("en", "id"):
        out = tmp_path / f"sourced-{lang}.html"
        code, text = run(
            "national", "accounts", "--year", "2023", "--registry", str(shipped),
            "--format", "html", "--lang", lang, "--out", str(out),
        )  # fmt: skip
        assert code == ExitCode.OK, text
        page = out.read_text("utf-8")
        assert "vale-sorowako" in page  # listed under missing production, not as zero
        # the unit of the published slag figure is a word: it is in the page's language
        assert ("13.000.000" if lang == "id" else "13,000,000") in page
        assert ("t terak" if lang == "id" else "t slag") in page
        if lang == "id":
            assert "t slag" not in page
            assert english_status_left_on(page) == []
    code, text = run("national", "accounts", "--year", "2023", "--registry", str(shipped))
    assert code == ExitCode.OK, text
    assert "– Mt CO2e (0 of 5 smelters)" in text
    # the one smelter-level production found: Hengjaya's 2021 NPI, 20,020 t Ni as published
    [record] = rows["production"]
    given = {k: v for k, v in record.items() if v is not None}
    assert given == {
        "smelter": "hengjaya-imip",
        "year": 2021,
        "product_t": 149045,
        "ni_t": 20020,
        "source": record["source"],
    }
    assert "nickelmines.com.au" in record["source"]
    code, text = run(
        "national", "accounts", "--year", "2021", "--registry", str(shipped), "--format", "json"
    )
    assert code == ExitCode.OK, text
    accounts = json.loads(text)
    assert accounts["national"]["ni_t"] == 20020
    assert accounts["estimate"] is None  # design capacities are not yearly records: no estimate


def test_crea_sheet_imports_as_smelters_and_units(tmp_path: Path) -> None:
    from national_fixtures import CREA_ROW, crea_file

    path = crea_file(tmp_path, [CREA_ROW, ["PT Alumina", "Aluminium", "Alumina", *CREA_ROW[3:]]])
    db = f"sqlite:///{tmp_path}/n.db"
    code, out = run("smelters", "import", str(path), "--crea", "--db", db)
    assert code == ExitCode.OK, out
    assert "1 added" in out
    assert "skipped row 3" in out
    code, out = run("smelters", "list", "--db", db, "--format", "json")
    record = json.loads(out)
    assert [s["route"] for s in record["smelters"]] == ["rkef_npi"]
    assert {u["fuel"] for u in record["captive_units"]} == {"coal", "hydro"}
