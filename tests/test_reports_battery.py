"""The battery circularity page: charts by the house rules, both languages, sources cited."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from i18n_checks import english_left_on
from sinergi.circularity.recycling import recycling
from sinergi.circularity.scenarios import default_scenarios, forecast
from sinergi.reports.battery import battery_page, write_battery_report
from sinergi.reports.battery_charts import Axes, Series, line_chart, linear_ticks, log_ticks
from sinergi.reports.battery_text import missing_wordings
from sinergi.reports.demo_battery import write_battery_demo

DATA = Path(__file__).resolve().parent.parent / "src" / "sinergi" / "data"


def _points(svg: str) -> list[list[tuple[float, float]]]:
    return [
        [tuple(map(float, p.split(","))) for p in m.split()]  # type: ignore[misc]
        for m in re.findall(r'<polyline points="([^"]*)"', svg)
    ]


def _tick_labels(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end">([^<]*)</text>', svg)


def test_linear_axis_starts_at_zero_with_at_least_four_ticks() -> None:
    for high in (0.3, 1.0, 7.0, 13.2, 999.0, 52_022_020.0):
        ticks = linear_ticks(high)
        assert ticks[0] == 0.0, ticks
        assert ticks[-1] >= high, (high, ticks)
        assert len(ticks) >= 4, ticks


def test_log_axis_ticks_decades_and_fills_a_short_range() -> None:
    assert log_ticks(1e-6, 1.0) == [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0]
    short = log_ticks(0.2, 0.9)
    assert len(short) >= 4
    assert short[0] <= 0.2
    assert short[-1] >= 0.9


def test_line_chart_draws_from_zero_skips_unknowns_and_labels_its_axes() -> None:
    axes = Axes("year", "t per year")
    svg = line_chart([2020, 2025, 2030], [Series("a", [1.0, None, 3.0])], axes, "en")
    ((first, last),) = _points(svg)  # the None is skipped, not drawn as zero
    labels = _tick_labels(svg)
    assert labels[0] == "0"
    assert len(labels) >= 4
    assert first[1] > last[1]  # 3 above 1
    assert ">year<" in svg
    assert ">t per year<" in svg


def test_a_series_without_data_is_not_drawn_or_listed() -> None:
    axes = Axes("x", "y")
    svg = line_chart([1, 2], [Series("empty", [None, None]), Series("full", [1, 2])], axes, "en")
    assert len(_points(svg)) == 1
    assert "empty" not in svg
    nothing = line_chart([1, 2], [Series("empty", [None, 0.0])], Axes("x", "y", log_y=True), "id")
    assert "<svg" not in nothing
    assert "Tidak ada data" in nothing


def test_illustrative_series_are_dashed_and_marked_in_both_languages() -> None:
    axes = Axes("x", "y")
    en = line_chart([1, 2], [Series("Ni", [1, 2], illustrative=True)], axes, "en")
    id_ = line_chart([1, 2], [Series("Ni", [1, 2], illustrative=True)], axes, "id")
    assert "stroke-dasharray" in en
    assert "Ni (illustrative)" in en
    assert "Ni (ilustratif)" in id_


def test_log_chart_says_log_scale_and_labels_decades_in_the_language() -> None:
    axes = Axes("packs", "P(rider waits), log scale", log_y=True)
    svg = line_chart([1, 2, 3], [Series("p", [0.5, 0.01, 0.0001])], axes, "id")
    assert "log scale" in svg
    assert {"0,0001", "0,001", "0,01", "0,1", "1"} <= set(_tick_labels(svg))


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("battery")
    basis = {
        "element": "Ni",
        "t_co2e_per_t": 10.0,
        "product": "test",
        "illustrative_share": 0.5,
        "complete": False,
        "gross": True,
        "unpriced": ["Co", "Li", "Mn", "Cu"],
    }
    write_battery_demo(folder, {"Ni": 10.0}, basis)
    return folder


def _records(folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    forecast_record = json.loads((folder / "battery-forecast.json").read_text("utf-8"))
    swap = json.loads((folder / "swap-station.json").read_text("utf-8"))
    return forecast_record, swap


@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_chart_has_axes_ticks_and_only_series_with_data(demo_folder: Path, lang: str) -> None:
    page = battery_page(*_records(demo_folder), lang)
    for name, svg in page["charts"].items():
        assert "<svg" in svg, name
        assert len(_tick_labels(svg)) >= 4, name
        assert _points(svg), name
    assert "juta paket" in page["charts"]["in_use"] or lang == "en"
    forecast_record, _ = _records(demo_folder)
    vehicles = forecast_record["forecast"]["by_vehicle_type"]
    assert len(_points(page["charts"]["in_use"])) == len(vehicles)


def test_indonesian_page_has_no_english_sentence_and_no_python_values(demo_folder: Path) -> None:
    write_battery_report(demo_folder)
    html_id = (demo_folder / "battery.id.html").read_text("utf-8")
    html_en = (demo_folder / "battery.en.html").read_text("utf-8")
    assert english_left_on(html_id) == []
    for html in (html_id, html_en):
        text = re.sub(r"<[^>]+>", " ", html)
        for python in ("None", "True", "False", "not_assessed", "does_not_meet", "['", "{'"):
            assert python not in text, python
    assert "195.084" in html_id
    assert "195,084" in html_en
    assert "SPBKLU" in html_id
    assert "pengisi daya" in html_id
    assert "tidak dinilai" in html_id
    assert "not assessed" in html_en


def test_page_lists_every_input_with_its_source_and_the_references(demo_folder: Path) -> None:
    forecast_record, swap = _records(demo_folder)
    page = battery_page(forecast_record, swap, "en")
    count = len(forecast_record["forecast"]["inputs"]) + len(forecast_record["recycling"]["inputs"])
    assert len(page["inputs"]) == count
    for row in page["inputs"]:
        assert row["illustrative"] or row["source"], row
    references = " ".join(page["references"])
    assert "https://eur-lex.europa.eu/eli/reg/2023/1542/oj" in references
    assert "https://doi.org/10.3390/met13071213" in references


def test_avoided_emissions_say_their_direction_and_bound(demo_folder: Path) -> None:
    html = (demo_folder / "battery.en.html").read_text("utf-8")
    assert "t CO2e avoided" in html
    assert "A lower bound: only Ni are priced" in html


def test_every_data_note_has_an_indonesian_wording() -> None:
    notes: set[str] = set()
    for scenario in default_scenarios().scenarios:
        result = forecast(scenario)
        for route in ("hydro", "pyro"):
            end_of_life = recycling(result, route=route)
            items = [*result.inputs, *end_of_life.inputs]
            notes |= {i.provenance.note for i in items if i.provenance.note}
    assert missing_wordings(sorted(notes)) == []


def test_no_data_file_or_page_cites_notes_users_do_not_have(demo_folder: Path) -> None:
    # Regression: data files cited "nickel-battery.md §5.1" and "shared/reference/…".
    files = [*(DATA / "circularity").glob("*.yaml"), DATA / "bibliography" / "circularity.yaml"]
    pages = [demo_folder / "battery.en.html", demo_folder / "battery.id.html"]
    for path in [*files, *pages]:
        text = path.read_text("utf-8")
        for pointer in ("shared/", ".md", "§", "reference file"):
            assert pointer not in text, f"{path.name}: {pointer}"
