"""What a person reads: functional units, lower bounds, equal totals explained, both languages."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from i18n_checks import english_left_on
from sinergi.footprint.battery import declare
from sinergi.footprint.inventory import load_inventory
from sinergi.footprint.route_uncertainty import route_monte_carlo
from sinergi.footprint.scenarios import FootprintModel, Request
from sinergi.reports.footprint import _ticks, battery_html, footprint_html

#: Python values that must never reach a page.
PYTHON_VALUES = re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|\[\'|\{\'|\bnan\b|not_met|_t_co2e")


@pytest.fixture(scope="module")
def model() -> FootprintModel:
    return FootprintModel()


def _visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", " ", html, flags=re.S))


@pytest.mark.parametrize("product", ["npi", "mhp", "niso4", "cam-nmc811", "pack-nmc811"])
def test_functional_unit_comes_from_the_data_in_json_text_and_html(model, product):
    result = model.footprint(product)
    alias = model.inventory.doc.products[product]
    for lang in ("en", "id"):
        unit = alias.functional_unit.in_(lang)
        data = result.to_dict(lang)
        per = {"en": "per", "id": "untuk setiap"}[lang]
        assert data["functional_unit"] == f"1 {unit}"
        assert data["score_unit"] == f"t CO2e {per} {unit}"
        assert f"t CO2e {per} {unit}" in footprint_html([result], lang)


def test_npi_is_stated_per_t_ni_contained_not_per_1_t(model):
    data = model.footprint("npi").to_dict()
    assert data["score_unit"] == "t CO2e per t Ni contained in NPI"
    assert data["functional_unit"] != "1 t"


def test_nickel_sulfate_via_matte_adds_the_refining_step_and_says_the_converter_is_a_gap(model):
    # issue 12: "NiSO4 via RKEF matte = NPI = 69.21"; issue 19: the Nickel Institute refining
    # step (via Istrate et al. 2024) now adds its own emissions, the converter is still a gap
    p = load_inventory().parameters
    niso4 = model.footprint("niso4", route="rkef-matte")
    npi = model.footprint("npi")
    nsh_per_ni = 262.85 / 58.693  # t NiSO4·6H2O per t Ni, by molar mass
    refining = nsh_per_ni * (
        1.02 * p["captive_coal_co2_t_per_mwh"].value  # kWh/kg NSH = MWh/t NSH
        + 2.145 * 0.0561  # MJ/kg = GJ/t natural gas x t CO2/GJ
        + 0.13  # direct CO2, kg/kg = t/t
    )
    assert niso4.score == pytest.approx(npi.score + refining, rel=1e-9)
    assert set(niso4.pass_through) == {"matte.from_npi"}
    assert niso4.missing["matte.from_npi"]
    note = niso4.to_dict()["note"]
    assert "Converting NPI to nickel matte" in note
    page = footprint_html([niso4], "id")
    assert "Konversi NPI menjadi nikel matte" in page
    assert "tidak menambah emisi" in page


def test_a_result_with_its_own_emissions_has_no_pass_through_note(model):
    assert model.footprint("npi").pass_through_note("en") is None


@pytest.mark.parametrize("lang", ["en", "id"])
def test_footprint_pages_have_no_python_values_and_no_english_on_the_indonesian_page(model, lang):
    results = model.compare([Request("niso4", route) for route in ("hpal", "rkef-matte")])
    mc = route_monte_carlo(model, "npi", iterations=20, seed=1)
    npi = replace(model.footprint("npi"), monte_carlo=mc)
    for page in (footprint_html(results, lang), footprint_html([npi], lang)):
        visible = _visible(page)
        assert PYTHON_VALUES.search(visible) is None, PYTHON_VALUES.search(visible)
        if lang == "id":
            assert english_left_on(page) == []
            assert "69,21" in page or "75,59" in page
        assert "≥" in visible  # lower bounds are marked


def test_indonesian_numbers_follow_babel(model):
    page = footprint_html([model.footprint("npi")], "id")
    assert "69,21" in page
    assert "69.21" not in _visible(page)


def test_battery_declaration_top_figure_is_flagged_a_lower_bound():
    declaration = declare("NMC811", nickel_route="hpal")
    assert declaration.lower_bound
    passport = declaration.to_passport()
    assert passport["sinergi"]["batteryCarbonFootprintIsLowerBound"] is True
    for lang, words in (("en", "lower bound"), ("id", "batas bawah")):
        page = battery_html(declaration, lang)
        assert words in page
        assert "≥" in page
        visible = _visible(page)
        assert PYTHON_VALUES.search(visible) is None
        if lang == "id":
            assert english_left_on(page) == []
            assert "tidak dimodelkan" in page


def test_battery_cycles_cite_their_source_from_the_bibliography():
    declaration = declare("NMC811")
    assert declaration.cycles_source().startswith("Editor.id 2023")
    assert "Editor.id (2023). Showroom" in battery_html(declaration)


@pytest.mark.parametrize(("low", "high"), [(0.0, 69.2), (0.0, 0.0046), (-3.0, 12.0), (0, 1)])
def test_chart_axes_start_at_zero_with_at_least_four_ticks(low, high):
    ticks = _ticks(low, high)
    assert 0.0 in ticks
    assert len(ticks) >= 4
    assert ticks[0] <= low
    assert ticks[-1] >= high
