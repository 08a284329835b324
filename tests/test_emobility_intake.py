"""The e-mobility templates: valid files in every format, and malformed ones refused whole.

Each malformed case changes one thing in a valid file and checks the located problem: its
code, sheet, row, column and field, with a message in English and in Indonesian. A file with
a problem yields nothing: the reader raises before any engine runs.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from sinergi.emobility.bom import component_catalogue
from sinergi.emobility.inputs import bill_of_materials, suppliers, transition_data
from sinergi.emobility.tkdn import compute_tkdn
from sinergi.errors import FileProblem, InputError, UnsafeInput
from sinergi.io.emobility.readers import read_bom, read_sales, read_scenario, read_suppliers
from sinergi.io.emobility.templates import TemplateKind
from sinergi.io.emobility.writer import write_template
from sinergi.io.issues import Issue

COMPONENTS = component_catalogue().ids


def bom_doc() -> dict[str, Any]:
    return {
        "version": 1,
        "model": {
            "model": "Test scooter",
            "vehicle_class": "two_three_wheeler",
            "battery_kwh": 1.44,
        },
        "components": [
            {"id": "battery", "name": "Battery", "group": "main", "weight": 40},
            {"id": "frame", "name": "Frame", "group": "main", "weight": 10},
            {"id": "brakes", "name": "Brakes", "group": "supporting", "weight": 1},
        ],
        "parts": [
            {"component": "battery", "part": "cells", "cost_idr": 6000000, "origin": "imported"},
            {"component": "battery", "part": "BMS", "cost_idr": 2000000, "origin": "domestic"},
            {"component": "frame", "part": "frame", "cost_idr": 1000000, "origin": "domestic"},
            {"component": "brakes", "part": "brakes", "cost_idr": 300000, "origin": "dalam negeri"},
        ],
        "aspects": [
            {
                "id": "labour",
                "aspect": "perakitan",
                "item": "labour",
                "weight": 1,
                "achieved": "100%",
            },
        ],
        "options": [
            {"id": "cells", "target": "battery", "new_share": 0.9, "cost_idr": 1500000},
        ],
    }


def write_yaml(tmp_path: Path, doc: object, name: str = "bom.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def problems(call: Any, *args: Any, **kwargs: Any) -> list[Issue]:
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    issues: list[Issue] = caught.value.issues  # type: ignore[assignment]
    for issue in issues:
        assert issue.message_en
        assert issue.message_id
    return issues


def only(issues: list[Issue]) -> Issue:
    assert len(issues) == 1, [str(i) for i in issues]
    return issues[0]


# --- valid files --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "json", "xlsx", "csv-folder"])
def test_a_valid_bill_reads_the_same_in_every_format(tmp_path: Path, fmt: str) -> None:
    doc = bom_doc()
    path = _write_bom(tmp_path, doc, fmt)
    bom = bill_of_materials(read_bom(path))
    result = compute_tkdn(bom, date(2026, 1, 1))
    # battery 40 × 2/8 = 10; frame 10; brakes 10; assembly 30 → 60 %
    assert result.exact_percent == 60
    assert [o.id for o in bom.options] == ["cells"]
    assert bom.battery_kwh == 1.44


def _write_bom(tmp_path: Path, doc: dict[str, Any], fmt: str) -> Path:
    if fmt == "yaml":
        return write_yaml(tmp_path, doc)
    if fmt == "json":
        import json

        path = tmp_path / "bom.json"
        path.write_text(json.dumps(doc), "utf-8")
        return path
    if fmt == "xlsx":
        return _xlsx(tmp_path / "bom.xlsx", doc)
    folder = tmp_path / "bom"
    folder.mkdir()
    for sheet, rows in doc.items():
        if sheet == "version":
            continue
        if isinstance(rows, dict):
            lines = ["field,value", *(f"{k},{v}" for k, v in rows.items())]
        else:
            keys = list(dict.fromkeys(k for r in rows for k in r))
            lines = [",".join(keys), *(",".join(str(r.get(k, "")) for k in keys) for r in rows)]
        (folder / f"{sheet}.csv").write_text("\n".join(lines) + "\n", "utf-8")
    return folder


def _xlsx(path: Path, doc: dict[str, Any]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.worksheets[0])
    for sheet, rows in doc.items():
        if sheet == "version":
            continue
        ws = workbook.create_sheet(sheet)
        if isinstance(rows, dict):
            ws.append(["field", "value"])
            for key, value in rows.items():
                ws.append([key, value])
        else:
            keys = list(dict.fromkeys(k for r in rows for k in r))
            ws.append(keys)
            for row in rows:
                ws.append([row.get(k) for k in keys])
    workbook.save(path)
    return path


def test_indonesian_numbers_and_words_are_understood(tmp_path: Path) -> None:
    doc = bom_doc()
    doc["parts"][0]["cost_idr"] = "6.000.000"
    doc["parts"][1]["cost_idr"] = "2.000.000,0"
    doc["parts"][1]["origin"] = "Dalam Negeri"
    doc["components"][2]["group"] = "Pendukung"
    doc["model"]["vehicle_class"] = "roda dua"
    bom = bill_of_materials(read_bom(write_yaml(tmp_path, doc)))
    assert [p.cost_idr for p in bom.parts[:2]] == [6_000_000, 2_000_000]


@pytest.mark.parametrize("kind", list(TemplateKind))
@pytest.mark.parametrize("suffix", [".xlsx", ".yaml"])
def test_blank_templates_are_refused_as_empty_not_misread(
    tmp_path: Path, kind: TemplateKind, suffix: str
) -> None:
    path = write_template(kind, tmp_path / f"{kind}{suffix}")
    reader = {
        TemplateKind.bom: read_bom,
        TemplateKind.sales: read_sales,
        TemplateKind.suppliers: lambda p: read_suppliers(p, components=COMPONENTS),
        TemplateKind.scenario: lambda p: read_scenario(p, components=COMPONENTS),
    }[kind]
    codes = {i.code for i in problems(reader, path)}
    assert codes <= {"missing_sheet", "missing_value"}
    assert codes


def test_the_written_template_reads_back_once_filled_in(tmp_path: Path) -> None:
    path = write_template(TemplateKind.bom, tmp_path / "bom.xlsx")
    workbook = openpyxl.load_workbook(path)
    model = workbook["model"]
    model["B2"], model["B3"] = "Filled scooter", "four_wheeler"
    parts = workbook["parts"]
    parts.append(["battery", "pack", 100, "domestic"])
    workbook.save(path)
    doc = read_bom(path, published_components=["battery", "body_chassis"])
    assert doc["model"]["model"] == "Filled scooter"
    assert doc["parts"][0]["cost_idr"] == 100


# --- malformed bills of materials (located) ------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "index", "column", "value", "code"),
    [
        ("parts", 0, "cost_idr", "abc", "not_a_number"),
        ("parts", 0, "cost_idr", "1.234", "ambiguous_number"),
        ("parts", 0, "cost_idr", -5, "out_of_range"),
        ("parts", 0, "origin", "foreign", "bad_choice"),
        ("parts", 1, "local_share", 45, "out_of_range"),
        ("parts", 1, "local_share", "130%", "out_of_range"),
        ("parts", 0, "local_share", 0.3, "out_of_range"),
        ("parts", 0, "component", "seat", "unknown_reference"),
        ("components", 0, "weight", 0, "out_of_range"),
        ("components", 0, "group", "primary", "bad_choice"),
        ("aspects", 0, "achieved", 1.5, "out_of_range"),
        ("aspects", 0, "aspect", "marketing", "bad_choice"),
        ("options", 0, "target", "gearbox", "unknown_reference"),
        ("options", 0, "cost_idr", "lots", "not_a_number"),
    ],
)
def test_a_bad_cell_is_located_by_sheet_row_and_column(
    tmp_path: Path, sheet: str, index: int, column: str, value: object, code: str
) -> None:
    doc = bom_doc()
    doc[sheet][index][column] = value
    issue = only(problems(read_bom, write_yaml(tmp_path, doc)))
    assert (issue.code, issue.sheet, issue.row, issue.column, issue.field) == (
        code,
        sheet,
        index + 1,
        column,
        column,
    )


def test_a_bad_cell_in_a_workbook_names_the_spreadsheet_row_and_column_letter(
    tmp_path: Path,
) -> None:
    doc = bom_doc()
    doc["parts"][2]["cost_idr"] = "ten"
    issue = only(problems(read_bom, _xlsx(tmp_path / "bom.xlsx", doc)))
    assert (issue.sheet, issue.row, issue.column) == ("parts", 4, "C (cost_idr)")


def test_a_repeated_component_id_is_refused(tmp_path: Path) -> None:
    doc = bom_doc()
    doc["components"].append({"id": "frame", "name": "Frame 2", "group": "main", "weight": 1})
    issue = only(problems(read_bom, write_yaml(tmp_path, doc)))
    assert (issue.code, issue.sheet, issue.row, issue.field) == (
        "duplicate_id",
        "components",
        4,
        "id",
    )


def test_a_component_without_parts_is_refused(tmp_path: Path) -> None:
    doc = bom_doc()
    doc["components"].append({"id": "motor", "name": "Motor", "group": "main", "weight": 5})
    issue = only(problems(read_bom, write_yaml(tmp_path, doc)))
    assert (issue.code, issue.sheet, issue.row) == ("unknown_reference", "components", 4)
    assert "'motor' has no part" in issue.message_en


def test_a_two_wheeler_without_components_is_told_the_composition_was_not_found(
    tmp_path: Path,
) -> None:
    doc = bom_doc()
    del doc["components"]
    issue = only(problems(read_bom, write_yaml(tmp_path, doc)))
    assert (issue.code, issue.sheet) == ("missing_sheet", "components")
    assert "was not found in any source" in issue.message_en


def test_a_four_wheeler_part_must_name_a_published_component(tmp_path: Path) -> None:
    doc = bom_doc()
    del doc["components"]
    doc["model"]["vehicle_class"] = "four_wheeler"
    del doc["options"]
    issues = problems(
        read_bom, write_yaml(tmp_path, doc), published_components=["battery", "body_chassis"]
    )
    assert {(i.code, i.row, i.field) for i in issues} == {
        ("unknown_reference", 3, "component"),
        ("unknown_reference", 4, "component"),
    }


def test_a_missing_column_is_named_with_its_header(tmp_path: Path) -> None:
    doc = bom_doc()
    for row in doc["parts"]:
        del row["origin"]
    issue = only(problems(read_bom, write_yaml(tmp_path, doc)))
    assert (issue.code, issue.sheet, issue.field) == ("missing_column", "parts", "origin")


def test_an_unknown_column_lists_the_columns(tmp_path: Path) -> None:
    doc = bom_doc()
    doc["parts"][0]["colour"] = "red"
    issue = only(problems(read_bom, write_yaml(tmp_path, doc)))
    assert (issue.code, issue.column) == ("unknown_column", "colour")
    assert "component, part, cost_idr" in issue.message_en


def test_an_unknown_sheet_is_refused(tmp_path: Path) -> None:
    doc = bom_doc()
    doc["extras"] = [{"a": 1}]
    issue = only(problems(read_bom, write_yaml(tmp_path, doc)))
    assert (issue.code, issue.sheet) == ("unknown_sheet", "extras")


def test_a_missing_model_field_is_named(tmp_path: Path) -> None:
    doc = bom_doc()
    del doc["model"]["vehicle_class"]
    issues = problems(read_bom, write_yaml(tmp_path, doc))
    assert ("missing_value", "model", "vehicle_class") in {
        (i.code, i.sheet, i.field) for i in issues
    }


def test_an_unknown_model_field_is_refused(tmp_path: Path) -> None:
    doc = bom_doc()
    doc["model"]["colour"] = "red"
    issue = only(problems(read_bom, write_yaml(tmp_path, doc)))
    assert (issue.code, issue.sheet, issue.row) == ("unknown_key", "model", 4)


def test_a_bad_vehicle_class_lists_the_choices(tmp_path: Path) -> None:
    doc = bom_doc()
    doc["model"]["vehicle_class"] = "truck"
    issue = only(problems(read_bom, write_yaml(tmp_path, doc)))
    assert (issue.code, issue.field) == ("bad_choice", "vehicle_class")
    assert "two_three_wheeler, four_wheeler" in issue.message_en


def test_a_battery_of_zero_kwh_is_refused(tmp_path: Path) -> None:
    doc = bom_doc()
    doc["model"]["battery_kwh"] = 0
    issue = only(problems(read_bom, write_yaml(tmp_path, doc)))
    assert (issue.code, issue.field) == ("out_of_range", "battery_kwh")


def test_a_repeated_option_id_is_refused(tmp_path: Path) -> None:
    doc = bom_doc()
    doc["options"].append(dict(doc["options"][0]))
    issue = only(problems(read_bom, write_yaml(tmp_path, doc)))
    assert (issue.code, issue.sheet, issue.row) == ("duplicate_id", "options", 2)


def test_every_problem_of_a_file_is_listed_at_once(tmp_path: Path) -> None:
    doc = bom_doc()
    doc["parts"][0]["cost_idr"] = "abc"
    doc["parts"][1]["origin"] = "nowhere"
    doc["aspects"][0]["achieved"] = 2
    issues = problems(read_bom, write_yaml(tmp_path, doc))
    assert {(i.sheet, i.row) for i in issues} == {("parts", 1), ("parts", 2), ("aspects", 1)}


# --- malformed documents and files ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "row"),
    [
        ("model: {model: a\nparts: [", "syntax_error", 2),
        ("base: &b {a: 1}\nmodel: *b\n", "syntax_error", 2),
        ("model: {model: a}\nmodel: {model: b}\n", "syntax_error", 2),
        ("- just\n- a list\n", "not_a_mapping", None),
        ("version: 2\n", "unsupported_version", None),
        ("parts: {component: x}\n", "not_a_list", None),
    ],
)
def test_a_malformed_document_is_located(
    tmp_path: Path, text: str, code: str, row: int | None
) -> None:
    path = tmp_path / "bom.yaml"
    path.write_text(text, "utf-8")
    issues = problems(read_bom, path)
    assert (issues[0].code, issues[0].row) == (code, row)


def test_repeated_keys_in_json_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_text('{"model": {"model": "a", "model": "b"}}', "utf-8")
    assert only(problems(read_bom, path)).code == "syntax_error"


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_text("  \n", "utf-8")
    assert only(problems(read_bom, path)).code == "empty_file"


def test_a_latin1_csv_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "sales.csv"
    path.write_bytes("year,domestic,source\n2023,100,Jalan Sudirman é\n".encode("latin-1"))
    issue = only(problems(read_sales, path))
    assert (issue.code, issue.row) == ("not_utf8", 2)


def test_an_unsupported_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_text("x", "utf-8")
    assert only(problems(read_bom, path)).code == "unsupported_format"


def test_a_corrupt_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bom.xlsx"
    path.write_bytes(b"not a zip at all")
    assert only(problems(read_bom, path)).code == "unreadable_file"


def test_a_macro_workbook_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "bom.xlsm"
    path.write_bytes(b"PK")
    with pytest.raises(UnsafeInput, match="macros"):
        read_bom(path)


def test_a_missing_file_is_a_file_problem(tmp_path: Path) -> None:
    with pytest.raises(FileProblem, match="no such file"):
        read_bom(tmp_path / "nope.xlsx")


# --- malformed scenario files -------------------------------------------------------------------


def scenario_doc() -> dict[str, Any]:
    return {
        "scenarios": [
            {"scenario": "mine", "year": 2023, "electric_share": 0.01, "source": "my study"},
            {"scenario": "mine", "year": 2035, "electric_share": "50%", "source": "my study"},
        ],
        "sales": [
            {"year": 2023, "domestic": 6000000, "exports": 500000},
            {"year": 2024, "domestic": 6100000, "exports": 500000},
        ],
        "projection": {"growth_per_year": 0.02},
        "bom": [{"component": "pack_bms", "powertrain": "electric", "quantity": 2}],
        "jobs": [
            {"component": "engine", "jobs_per_1000_units": 3, "source": "survey", "year": 2024}
        ],
    }


def test_a_valid_scenario_builds_transition_data(tmp_path: Path) -> None:
    doc = read_scenario(write_yaml(tmp_path, scenario_doc(), "s.yaml"), components=COMPONENTS)
    data = transition_data(doc)
    assert list(data.scenarios) == ["mine"]
    assert [a.value for a in data.scenarios["mine"].electric_share] == [0.01, 0.5]
    assert data.scenarios["mine"].electric_share[0].source == "my study"
    assert [s.year for s in data.sales] == [2023, 2024]
    assert data.sales[0].illustrative  # given without a source
    assert data.projection.growth_per_year.value == 0.02
    assert data.jobs_per_1000_units["engine"].year == 2024


def test_a_scenario_without_sales_uses_the_shipped_aisi_history(tmp_path: Path) -> None:
    doc = scenario_doc()
    del doc["sales"], doc["projection"]
    data = transition_data(
        read_scenario(write_yaml(tmp_path, doc, "s.yaml"), components=COMPONENTS)
    )
    assert [s.year for s in data.sales] == [2022, 2023]
    assert data.projection.growth_per_year.illustrative


@pytest.mark.parametrize(
    ("sheet", "index", "column", "value", "code"),
    [
        ("scenarios", 1, "electric_share", "130%", "out_of_range"),
        ("scenarios", 1, "electric_share", -0.1, "out_of_range"),
        ("scenarios", 0, "year", "20x0", "not_a_number"),
        ("scenarios", 0, "year", 1900, "out_of_range"),
        ("scenarios", 1, "year", 2023, "duplicate_row"),
        ("sales", 1, "year", 2026, "out_of_range"),
        ("sales", 0, "domestic", -1, "out_of_range"),
        ("bom", 0, "component", "flux_capacitor", "unknown_reference"),
        ("bom", 0, "powertrain", "hybrid", "bad_choice"),
        ("bom", 0, "quantity", "two", "not_a_number"),
        ("jobs", 0, "year", None, "missing_value"),
        ("jobs", 0, "jobs_per_1000_units", -3, "out_of_range"),
    ],
)
def test_a_bad_scenario_cell_is_located(
    tmp_path: Path, sheet: str, index: int, column: str, value: object, code: str
) -> None:
    doc = scenario_doc()
    doc[sheet][index][column] = value
    issue = only(
        problems(read_scenario, write_yaml(tmp_path, doc, "s.yaml"), components=COMPONENTS)
    )
    assert (issue.code, issue.sheet, issue.row, issue.field) == (code, sheet, index + 1, column)


def test_a_projection_growth_of_500_percent_is_refused(tmp_path: Path) -> None:
    doc = scenario_doc()
    doc["projection"]["growth_per_year"] = 5
    issue = only(
        problems(read_scenario, write_yaml(tmp_path, doc, "s.yaml"), components=COMPONENTS)
    )
    assert (issue.code, issue.sheet, issue.field) == (
        "out_of_range",
        "projection",
        "growth_per_year",
    )


def test_a_scenario_file_without_anchors_is_refused(tmp_path: Path) -> None:
    doc = scenario_doc()
    del doc["scenarios"]
    issue = only(
        problems(read_scenario, write_yaml(tmp_path, doc, "s.yaml"), components=COMPONENTS)
    )
    assert (issue.code, issue.sheet) == ("missing_sheet", "scenarios")


def test_a_semicolon_csv_with_indonesian_numbers_reads(tmp_path: Path) -> None:
    path = tmp_path / "scenarios.csv"
    path.write_text("scenario;year;electric_share\nmine;2023;0,5%\nmine;2030;30%\n", "utf-8")
    doc = read_scenario(path, components=COMPONENTS)
    assert [r["electric_share"] for r in doc["scenarios"]] == pytest.approx([0.005, 0.3])


# --- suppliers ------------------------------------------------------------------------------------


def test_suppliers_group_their_rows_and_refuse_contradictions(tmp_path: Path) -> None:
    path = tmp_path / "suppliers.csv"
    path.write_text(
        "supplier_id,name,component,share,park,workers,kbli\n"
        "s1,Engine Co,engine,10%,kiic,400,30912\n"
        "s1,Engine Co,transmission,5%,kiic,,\n"
        "s2,Exhaust Co,exhaust,,mm2100,120,30912; 29300\n",
        "utf-8",
    )
    rows = read_suppliers(path, components=COMPONENTS)
    built = suppliers(rows)
    assert [s.components for s in built] == [("engine", "transmission"), ("exhaust",)]
    assert built[1].kbli == ("30912", "29300")
    path.write_text(
        "supplier_id,name,component,share,park\n"
        "s1,Engine Co,engine,10%,kiic\n"
        "s1,Engine Co,exhaust,5%,mm2100\n"
        "s2,Other,engine,95%,kiic\n",
        "utf-8",
    )
    issues = problems(read_suppliers, path, components=COMPONENTS)
    assert {(i.code, i.row, i.field) for i in issues} == {
        ("inconsistent_row", 3, "park"),
        ("out_of_range", 4, "share"),
    }
