"""YAML/JSON park documents: nested and flat forms, version, table filter, file facts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from io_cases import VERSION
from sinergi.errors import InputError
from sinergi.io import read_file
from sinergi.model import LandUse, Period, PowerSource, SmelterRoute

DOC = f"""
sinergi: "{VERSION}"
regions:
  - {{id: malut, name: Maluku Utara}}
parks:
  - id: iwip
    name: Kawasan Industri Teluk Weda
    region_id: malut
    land_use: {{Industrial plots: 1200.5, green_open_space: 300}}
companies:
  - id: pt-a
    park_id: iwip
    name: PT Contoh Nikel Indonesia
    kbli: ["24103"]
    smelter: {{route: HPAL, design_capacity_t: 60000, power_source: Captive coal}}
flows:
  - {{period: 2024-03-01, source: supplier, target: pt-a, commodity: laterite_ore_limonite,
     quantity: "1.234,5", unit: kt}}
"""


def test_nested_land_use_and_smelter_become_model_objects(tmp_path: Path) -> None:
    path = tmp_path / "park.yaml"
    path.write_text(DOC, "utf-8")
    eco = read_file(path).ecosystem
    assert eco.parks["iwip"].land_use_ha == {
        LandUse.INDUSTRIAL_PLOTS: 1200.5,
        LandUse.GREEN_OPEN_SPACE: 300.0,
    }
    smelter = eco.companies["pt-a"].smelter
    assert smelter is not None
    assert (smelter.route, smelter.power_source) == (SmelterRoute.HPAL, PowerSource.CAPTIVE_COAL)
    assert smelter.capacity_basis == "t Ni"
    assert eco.flows[0].period == Period(2024, 3)
    assert eco.flows[0].quantity == pytest.approx(1_234_500.0)  # kt in t


def test_flat_land_use_list_is_accepted_and_clashes_with_nested_are_found(tmp_path: Path) -> None:
    flat = DOC + "land_use:\n  - {park_id: iwip, category: utilities, area_ha: 10}\n"
    path = tmp_path / "park.yaml"
    path.write_text(flat, "utf-8")
    assert read_file(path).ecosystem.parks["iwip"].land_use_ha[LandUse.UTILITIES] == 10.0
    path.write_text(flat.replace("utilities", "green_open_space"), "utf-8")
    with pytest.raises(InputError) as caught:
        read_file(path)
    issue = caught.value.issues[0]
    assert (issue.code, issue.sheet, issue.row) == ("duplicate_row", "land_use", 1)  # type: ignore[attr-defined]
    assert "'parks'" in issue.message_en  # type: ignore[attr-defined]


def test_json_document_is_read_like_yaml(tmp_path: Path) -> None:
    doc = {"sinergi": VERSION, "regions": [{"id": "malut", "name": "Maluku Utara"}]}
    path = tmp_path / "park.json"
    path.write_text(json.dumps(doc), "utf-8")
    parsed = read_file(path)
    assert parsed.format == "json"
    assert parsed.tables == {"regions"}
    assert parsed.periods == {}


def test_table_filter_reads_only_that_list(tmp_path: Path) -> None:
    path = tmp_path / "park.yaml"
    path.write_text(DOC, "utf-8")
    parsed = read_file(path, table="regions")
    assert parsed.tables == {"regions"}
    assert not parsed.ecosystem.flows


def test_other_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "park.yaml"
    path.write_text(DOC.replace(VERSION, "1999.1"), "utf-8")
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert [i.code for i in caught.value.issues] == ["unsupported_version"]  # type: ignore[attr-defined]


def test_yaml_norway_problem_is_reported_not_guessed(tmp_path: Path) -> None:
    path = tmp_path / "park.yaml"
    path.write_text(f'sinergi: "{VERSION}"\nregions:\n  - {{id: "no", name: no}}\n', "utf-8")
    with pytest.raises(InputError) as caught:
        read_file(path)
    issue = caught.value.issues[0]
    assert (issue.code, issue.field) == ("not_text", "name")  # type: ignore[attr-defined]


# -- issue 12 §2: a key given twice keeps the last value silently --------------------------
YAML_TWICE = f"""sinergi: "{VERSION}"
flows:
  - period: "2024"
    source: supplier
    target: market
    commodity: coal
    quantity: 10
    unit: t
    quantity: 1000
"""


def test_a_key_given_twice_in_a_yaml_item_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "park.yaml"
    path.write_text(YAML_TWICE, "utf-8")
    with pytest.raises(InputError) as caught:
        read_file(path)
    (issue,) = caught.value.issues
    assert (issue.code, issue.row, issue.field) == ("duplicate_key", 9, "quantity")  # type: ignore[attr-defined]
    assert "line 9" in issue.message_en  # type: ignore[attr-defined]


def test_a_key_given_twice_in_a_json_object_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "park.json"
    path.write_text(
        '{"sinergi": "VERSION",\n "flows": [\n  {"period": "2024", "source": "supplier",\n'
        '   "target": "market", "commodity": "coal", "quantity": 10, "unit": "t",\n'
        '   "quantity": 1000}\n ]\n}\n'.replace("VERSION", VERSION),
        "utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_file(path)
    (issue,) = caught.value.issues
    assert (issue.code, issue.row, issue.field) == ("duplicate_key", 5, "quantity")  # type: ignore[attr-defined]


def test_the_same_key_in_different_items_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "park.json"
    flows = [
        {
            "period": "2024",
            "source": "supplier",
            "target": t,
            "commodity": "coal",
            "quantity": 1,
            "unit": "t",
        }
        for t in ("market", "landfill")
    ]
    path.write_text(json.dumps({"sinergi": VERSION, "flows": flows}), "utf-8")
    assert len(read_file(path).ecosystem.flows) == 2
