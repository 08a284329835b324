"""The XLSX template: sheets, bilingual headers, drop-downs, and a filled-in copy reads back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from sinergi.errors import InputError
from sinergi.io import read_file, write_template
from sinergi.io.columns import schema
from sinergi.io.xlsx_io import UNIT_SUGGESTIONS
from sinergi.model import DataQuality, LandUse, Period, PowerSource, SmelterRoute
from sinergi.model import default_catalogue as catalogue
from sinergi.units import Dimension, conversion_factor


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(tmp_path_factory.mktemp("template") / "template.xlsx")


def test_template_has_instructions_table_and_reference_sheets(template: Path) -> None:
    book = openpyxl.load_workbook(template)
    expected = ["Instructions", *(t.sheet for t in schema().tables), "Commodities", "Lists"]
    assert book.sheetnames == expected
    assert book["Lists"].sheet_state == "hidden"
    assert book["Commodities"].protection.sheet
    text = " ".join(str(c.value) for row in book["Instructions"].iter_rows() for c in row)
    assert "metric tonne" in text
    assert "ton metrik" in text
    assert "not zero" in text
    assert "bukan nol" in text


def test_table_sheets_have_bilingual_headers_and_frozen_header_row(template: Path) -> None:
    book = openpyxl.load_workbook(template)
    for table in schema().tables:
        sheet = book[table.sheet]
        headers = [c.value for c in sheet[1]]
        assert headers == [f"{c.label_en} / {c.label_id}" for c in table.columns]
        assert sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["A"].width >= 14


def test_choice_columns_have_drop_down_lists(template: Path) -> None:
    sheet = openpyxl.load_workbook(template)["Flows"]
    validations = sheet.data_validations.dataValidation
    formulas = {str(v.sqref).split(":")[0]: v.formula1 for v in validations}
    assert formulas["D2"] == f"=Lists!$A$2:$A${len(catalogue()) + 1}"  # commodity
    assert formulas["F2"].startswith("=Lists!$B$2")  # unit suggestions
    assert formulas["G2"] == '"' + ",".join(q.value for q in DataQuality) + '"'  # quality
    companies = openpyxl.load_workbook(template)["Companies"]
    routes = [v.formula1 for v in companies.data_validations.dataValidation]
    assert '"' + ",".join(r.value for r in SmelterRoute) + '"' in routes


def test_lists_and_commodities_sheets_hold_the_catalogue(template: Path) -> None:
    book = openpyxl.load_workbook(template)
    ids = [row[0] for row in book["Lists"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert ids == catalogue().ids()
    commodities = [r[0] for r in book["Commodities"].iter_rows(min_row=2, values_only=True)]
    assert commodities == catalogue().ids()


def test_every_unit_suggestion_is_a_known_unit() -> None:
    for unit in UNIT_SUGGESTIONS:
        assert any(_converts(unit, d) for d in Dimension), unit


def _converts(unit: str, dimension: Dimension) -> bool:
    try:
        conversion_factor(unit, dimension)
    except Exception:  # noqa: BLE001 -- any failure means "not this dimension"
        return False
    return True


def test_blank_template_is_refused_as_having_no_data_rows(template: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_file(template)
    assert [i.code for i in caught.value.issues] == ["no_data_rows"]  # type: ignore[attr-defined]


def test_filled_in_template_reads_back(template: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(template)
    book["Regions"].append(["malut", "Maluku Utara", None])
    book["Parks"].append(
        [
            "iwip",
            "Kawasan Industri Weda Bay",
            "malut",
            "Halmahera Tengah",
            0.5,
            "127,9",
            "ya",
            "5.000,5",
        ]
    )
    book["LandUse"].append(["iwip", "Industrial plots", "1.200,25"])
    book["Companies"].append(
        [
            "pt-a",
            "iwip",
            "PT Contoh Nikel",
            "24103; 24201",
            "Large",
            "Foreign",
            "tidak",
            "RKEF NPI",
            1000,
            "t Ni",
            "Captive coal",
        ]
    )
    book["Flows"].append(
        [datetime(2024, 3, 1), "supplier", "pt-a", "coal", "1.234,5", "kg", "estimated"]
    )
    book["Flows"].append(["2024-04", "pt-a", "env.air", "co2", None, "t"])
    path = tmp_path / "filled.xlsx"
    book.save(path)
    parsed = read_file(path)
    eco = parsed.ecosystem
    park = eco.parks["iwip"]
    assert (park.longitude, park.area_ha, park.coordinates_approximate) == (127.9, 5000.5, True)
    assert park.land_use_ha == {LandUse.INDUSTRIAL_PLOTS: 1200.25}
    company = eco.companies["pt-a"]
    assert company.kbli == ("24103", "24201")
    assert company.smelter is not None
    assert company.smelter.route is SmelterRoute.RKEF_NPI
    assert company.smelter.power_source is PowerSource.CAPTIVE_COAL
    first, second = eco.flows
    assert first.period == Period(2024, 3)
    assert first.quantity == pytest.approx(1.2345)  # 1 234,5 kg in t
    assert first.quality is DataQuality.ESTIMATED
    assert second.quantity is None
    assert parsed.format == "xlsx"
    assert parsed.tables == {"regions", "parks", "land_use", "companies", "flows"}
    assert parsed.periods == {"flows": {Period(2024, 3), Period(2024, 4)}}
