"""Malformed registry, CREA and scenario files: every problem located, nothing read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from pydantic import ValidationError

from national_fixtures import CREA_HEADER, CREA_ROW, crea_file
from sinergi.errors import FileProblem, InputError
from sinergi.io.national.readers import (
    read_crea,
    read_registry,
    read_scenario_document,
    validation_issues,
)
from sinergi.io.national.writer import write_registry, write_registry_template
from sinergi.national.build import registry_from_rows, registry_rows
from sinergi.national.scenarios import ScenarioSpec
from sinergi.national.synthetic import synthetic_registry


def smelter(**changes: Any) -> dict[str, Any]:
    row = {
        "id": "s1",
        "name": "Smelter one",
        "route": "rkef_npi",
        "status": "operating",
        "province": "Sulawesi Tengah",
        "capacity_ni_t": 1000,
        "ni_share": 0.1,
        "source": "test registry",
    }
    row.update(changes)
    return {k: v for k, v in row.items() if v is not None}


def unit(**changes: Any) -> dict[str, Any]:
    row = {
        "id": "u1",
        "smelter": "s1",
        "capacity_mw": 100,
        "status": "operating",
        "start_year": 2020,
        "source": "test",
    }
    row.update(changes)
    return {k: v for k, v in row.items() if v is not None}


def production(**changes: Any) -> dict[str, Any]:
    row = {"smelter": "s1", "year": 2023, "ni_t": 900, "source": "test"}
    row.update(changes)
    return {k: v for k, v in row.items() if v is not None}


def write_doc(tmp_path: Path, doc: dict[str, Any], name: str = "registry.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc), "utf-8")
    return path


def problems(path: Path, reader: Any = read_registry) -> list[Any]:
    with pytest.raises(InputError) as info:
        reader(path)
    return list(info.value.issues)


def doc(
    smelters: list[dict[str, Any]] | None = None,
    units: list[dict[str, Any]] | None = None,
    records: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "smelters": [smelter()] if smelters is None else smelters,
        "captive_units": [unit()] if units is None else units,
        "production": [production()] if records is None else records,
    }


def test_valid_document_reads_into_a_registry(tmp_path: Path) -> None:
    registry = registry_from_rows(read_registry(write_doc(tmp_path, doc())))
    assert registry.smelters[0].capacity_ni_t == 1000
    assert registry.units[0].fuel.value == "coal"  # blank fuel = coal (the GEM coal tracker)


CASES: list[tuple[str, dict[str, Any], str, str | None, str | None]] = [
    # (case, document, issue code, sheet, field)
    ("unknown route", doc([smelter(route="blast furnace")]), "bad_choice", "smelters", "route"),
    ("unknown status", doc([smelter(status="dreaming")]), "bad_choice", "smelters", "status"),
    (
        "negative capacity",
        doc([smelter(capacity_ni_t=-5)]),
        "out_of_range",
        "smelters",
        "capacity_ni_t",
    ),
    (
        "latitude off the globe",
        doc([smelter(latitude=200, longitude=1)]),
        "out_of_range",
        "smelters",
        "latitude",
    ),
    ("latitude alone", doc([smelter(latitude=-2.8)]), "missing_value", "smelters", "longitude"),
    (
        "capacity as words",
        doc([smelter(capacity_ni_t="lots")]),
        "not_a_number",
        "smelters",
        "capacity_ni_t",
    ),
    (
        "repeated smelter id",
        doc([smelter(), smelter(name="again")]),
        "duplicate_id",
        "smelters",
        "id",
    ),
    ("blank name", doc([smelter(name=" ")]), "missing_value", "smelters", "name"),
    ("share above 100 %", doc([smelter(ni_share="150%")]), "out_of_range", "smelters", "ni_share"),
    (
        "year out of range",
        doc([smelter(commissioning_year=1800)]),
        "out_of_range",
        "smelters",
        "commissioning_year",
    ),
    ("not yes or no", doc([smelter(sih="maybe")]), "bad_boolean", "smelters", "sih"),
    ("unsourced smelter", doc([smelter(source=None)]), "missing_value", "smelters", "source"),
    (
        "unit for unknown smelter",
        doc(units=[unit(smelter="ghost")]),
        "unknown_reference",
        "captive_units",
        "smelter",
    ),
    (
        "unit serving nobody",
        doc(units=[unit(smelter=None)]),
        "missing_value",
        "captive_units",
        "smelter",
    ),
    (
        "unit in park without smelters",
        doc(units=[unit(smelter=None, park="nowhere")]),
        "unknown_reference",
        "captive_units",
        "park",
    ),
    (
        "retired before start",
        doc(units=[unit(retired_year=2010)]),
        "out_of_range",
        "captive_units",
        "retired_year",
    ),
    ("unknown fuel", doc(units=[unit(fuel="plutonium")]), "bad_choice", "captive_units", "fuel"),
    ("repeated unit id", doc(units=[unit(), unit()]), "duplicate_id", "captive_units", "id"),
    (
        "production of unknown smelter",
        doc(records=[production(smelter="ghost")]),
        "unknown_reference",
        "production",
        "smelter",
    ),
    (
        "production twice",
        doc(records=[production(), production()]),
        "duplicate_row",
        "production",
        "year",
    ),
    (
        "production without quantity",
        doc(records=[production(ni_t=None)]),
        "missing_value",
        "production",
        "ni_t",
    ),
    (
        "product without Ni share",
        doc([smelter(ni_share=None)], records=[production(ni_t=None, product_t=10)]),
        "missing_value",
        "production",
        "ni_t",
    ),
    (
        "capacity in product tonnes without Ni share",
        doc([smelter(ni_share=None)], records=[production(ni_t=None, capacity_output_t=10)]),
        "missing_value",
        "production",
        "capacity_output_t",
    ),
    (
        "negative capacity of the year",
        doc(records=[production(capacity_ni_t=-1)]),
        "out_of_range",
        "production",
        "capacity_ni_t",
    ),
    (
        "water as words",
        doc(records=[production(water_m3="a lot")]),
        "not_a_number",
        "production",
        "water_m3",
    ),
    (
        "negative coal",
        doc(records=[production(coal_gj=-3)]),
        "out_of_range",
        "production",
        "coal_gj",
    ),
    (
        "unsourced production",
        doc(records=[production(source=None)]),
        "missing_value",
        "production",
        "source",
    ),
    (
        "unknown sheet",
        {**doc(), "stack_emissions": [{"x": 1}]},
        "unknown_sheet",
        "stack_emissions",
        None,
    ),
    ("unknown column", doc([smelter(colour="green")]), "unknown_column", "smelters", None),
]


@pytest.mark.parametrize(
    ("case", "document", "code", "sheet", "field"), CASES, ids=[c[0] for c in CASES]
)
def test_malformed_registry_is_refused_with_a_located_problem(
    tmp_path: Path,
    case: str,
    document: dict[str, Any],
    code: str,
    sheet: str | None,
    field: str | None,
) -> None:
    found = problems(write_doc(tmp_path, document))
    match = [i for i in found if i.code == code and i.sheet == sheet]
    assert match, f"{case}: {[(i.code, i.sheet, i.field, i.message_en) for i in found]}"
    if field is not None:
        assert match[0].field == field
    assert match[0].row is not None or code in ("unknown_sheet", "unknown_column")


def test_capacity_only_and_carriers_read_into_the_year_record(tmp_path: Path) -> None:
    records = [
        production(ni_t=None, capacity_output_t=12_000, year=2022),
        production(ni_t=900, coal_gj=1.5e6, water_m3=2e5),
    ]
    registry = registry_from_rows(read_registry(write_doc(tmp_path, doc(records=records))))
    assert registry.capacity_ni("s1", 2022) == pytest.approx(1200.0)  # 12,000 t x 10 % Ni
    assert registry.capacity_ni("s1", 2023) == pytest.approx(1200.0)  # holds until changed
    assert registry.capacity_ni("s1", 2021) is None
    assert registry.years() == [2023]  # a capacity-only record is no production year
    latest = next(p for p in registry.production if p.year == 2023)
    assert (latest.coal_gj, latest.water_m3, latest.gas_gj) == (1.5e6, 2e5, None)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("smelters:\n  - id: s1\n    name: [unclosed\n", "utf-8")
    issue = problems(path)[0]
    assert issue.code == "syntax_error"
    assert issue.row is not None


def test_xlsx_without_the_id_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "registry.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "smelters"
    ws.append(["Smelter name", "Route", "Status", "Source (author, title, year, URL)"])
    ws.append(["One", "NPI", "beroperasi", "test"])
    book.save(path)
    issue = problems(path)[0]
    assert (issue.code, issue.sheet, issue.field) == ("missing_column", "smelters", "id")


def test_xlsx_cell_problem_names_the_row_and_column_letter(tmp_path: Path) -> None:
    path = tmp_path / "registry.xlsx"
    rows = registry_rows(synthetic_registry(plants=5, units=3, seed=2))
    rows["smelters"][2]["capacity_ni_t"] = "banyak"
    write_registry(rows, path)
    issue = next(i for i in problems(path) if i.code == "not_a_number")
    assert issue.sheet == "smelters"
    assert issue.row == 4  # header is row 1; the third smelter is row 4
    assert issue.column is not None
    assert issue.column.startswith("O (Capacity (t Ni/yr)")


def test_missing_file_is_a_file_problem(tmp_path: Path) -> None:
    with pytest.raises(FileProblem):
        read_registry(tmp_path / "nope.xlsx")


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    document = doc([smelter(route="x", status="y", capacity_ni_t=-1)])
    codes = sorted(i.code for i in problems(write_doc(tmp_path, document)))
    assert codes == ["bad_choice", "bad_choice", "out_of_range"]


def test_indonesian_words_are_read(tmp_path: Path) -> None:
    document = doc([smelter(route="feronikel", status="konstruksi", sih="ya")])
    rows = read_registry(write_doc(tmp_path, document))
    assert rows["smelters"][0]["route"] == "rkef_feni"
    assert rows["smelters"][0]["status"] == "construction"
    assert rows["smelters"][0]["sih"] is True


@pytest.mark.parametrize("suffix", [".xlsx", ".yaml", ".json"])
def test_written_registry_reads_back_unchanged(tmp_path: Path, suffix: str) -> None:
    registry = synthetic_registry(plants=30, units=20, seed=4)
    path = write_registry(registry_rows(registry), tmp_path / f"registry{suffix}")
    assert registry_from_rows(read_registry(path)) == registry


@pytest.mark.parametrize("suffix", [".xlsx", ".yaml"])
def test_blank_template_reads_as_missing_smelters(tmp_path: Path, suffix: str) -> None:
    path = write_registry_template(tmp_path / f"template{suffix}")
    issue = problems(path)[0]
    assert (issue.code, issue.sheet) == ("missing_sheet", "smelters")


# --- CREA-style smelter sheet -----------------------------------------------------------------


def test_crea_sheet_becomes_smelters_and_captive_units(tmp_path: Path) -> None:
    aluminium = ["PT Alumina", "Aluminium", "Alumina refinery", *CREA_ROW[3:]]
    rows = read_crea(crea_file(tmp_path, [CREA_ROW, aluminium]))
    registry = registry_from_rows(rows)
    (smelter_,) = registry.smelters
    assert smelter_.route.value == "rkef_npi"
    assert smelter_.capacity_output_t == 250_000
    assert {(u.fuel.value, u.capacity_mw, u.gem_unit_id) for u in registry.units} == {
        ("coal", 350, "G123"),
        ("hydro", 20, None),
    }
    assert rows["skipped"] == [{"row": 3, "commodity": "Aluminium"}]


def test_crea_pln_supply_is_a_grid_connection(tmp_path: Path) -> None:
    row = [*CREA_ROW[:12], "PLN", 120, None, None, None, "Operating"]
    registry = registry_from_rows(read_crea(crea_file(tmp_path, [row])))
    assert registry.smelters[0].grid_mw == 120
    assert registry.units == ()


def test_crea_sheet_without_company_column_is_refused(tmp_path: Path) -> None:
    header = ["Firm", *CREA_HEADER[1:]]
    found = problems(crea_file(tmp_path, [CREA_ROW], header), read_crea)
    assert {(i.code, i.field) for i in found} >= {("missing_column", "company")}


def test_crea_unknown_status_is_located(tmp_path: Path) -> None:
    row = [*CREA_ROW[:17], "Sleeping"]
    issue = problems(crea_file(tmp_path, [row]), read_crea)[0]
    assert (issue.code, issue.row, issue.field) == ("bad_choice", 2, "status")


# --- scenario files ---------------------------------------------------------------------------


def scenario_issues(tmp_path: Path, document: Any, name: str = "s.yaml") -> list[Any]:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document) if name.endswith("yaml") else json.dumps(document))
    try:
        ScenarioSpec.model_validate(read_scenario_document(path))
    except InputError as exc:
        return list(exc.issues)
    except ValidationError as exc:
        return validation_issues(path.name, exc)
    return []


@pytest.mark.parametrize(
    ("document", "code", "field"),
    [
        ({"name": "x", "base_year": 2023, "retire": []}, "unknown_key", "retire"),
        ({"name": "x"}, "missing_value", "base_year"),
        ({"name": "x", "base_year": 2023, "renewables": [{"source": "solar", "share": {2030: 2}}]},
         "bad_format", None),
        ({"name": "x", "base_year": 2023, "retirements": [{"year": 2030}]},
         "missing_value", "retirements[0].unit"),
        ({"name": "x", "base_year": 2023, "coal_phaseout": {"start": 2040, "end": 2030}},
         "bad_format", "coal_phaseout"),
        ({"name": "x", "base_year": 2023, "production": {"growth": {"blast_furnace": 0.1}}},
         "bad_choice", "production.growth.blast_furnace.[key]"),
        ({"name": "x", "base_year": "soon"}, "bad_format", "base_year"),
        ({"name": "x", "base_year": 2023, "carbon_price_idr_per_t": {2030: -1}},
         "bad_format", "carbon_price_idr_per_t"),
        ({"name": "x", "base_year": 2023, "idr_per_usd": {2030: 0}}, "bad_format", "idr_per_usd"),
        ({"name": "x", "base_year": 2023, "grid_tariff_idr_per_kwh": {"soon": 900}},
         "bad_format", "grid_tariff_idr_per_kwh.soon.[key]"),
        ({"name": "x", "base_year": 2023, "coal_price_usd_per_t": {2030: "cheap"}},
         "bad_format", "coal_price_usd_per_t[2030]"),
        ({"name": "x", "base_year": 2023, "power_price_idr_per_kwh": {"coal": {2030: 1}}},
         "bad_format", "power_price_idr_per_kwh"),
        ({"name": "x", "base_year": 2023, "power_price_idr_per_kwh": {"solar": {2030: -1}}},
         "bad_format", "power_price_idr_per_kwh"),
    ],
)  # fmt: skip
def test_malformed_scenario_is_refused_with_the_setting_named(
    tmp_path: Path, document: dict[str, Any], code: str, field: str | None
) -> None:
    issues = scenario_issues(tmp_path, document)
    assert issues
    assert issues[0].code == code
    if field is not None:
        assert issues[0].field == field


def test_scenario_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    issues = scenario_issues(tmp_path, [1, 2], "s.json")
    assert issues[0].code == "not_a_mapping"


def test_scenario_with_bad_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_text("name: x")
    with pytest.raises(InputError) as info:
        read_scenario_document(path)
    assert info.value.issues[0].code == "unsupported_format"
