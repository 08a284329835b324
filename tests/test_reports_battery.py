"""The battery circularity page: charts drawn from the demo records, flags carried through."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sinergi.circularity.demo import circularity_demo
from sinergi.circularity.swap_demo import swap_demo
from sinergi.reports.battery import battery_page, line_chart, write_battery_report


def _points(svg: str) -> list[list[tuple[float, float]]]:
    return [
        [tuple(map(float, p.split(","))) for p in m.split()]  # type: ignore[misc]
        for m in re.findall(r'points="([^"]*)"', svg)
    ]


def test_line_chart_puts_the_extremes_at_the_plot_edges() -> None:
    svg = line_chart([2020, 2030], {"a": [1.0, 3.0], "b": [2.0, None]}, width=400, height=200)
    a, b = _points(svg)
    assert a == [(60.0, 175.0), (250.0, 10.0)]  # min at the bottom-left, max at the top-right
    assert b == [(60.0, 92.5)]  # the None is skipped, not drawn as zero
    assert ">3<" in svg
    assert ">1<" in svg


def test_log_chart_skips_zero_probabilities() -> None:
    svg = line_chart([1, 2, 3], {"p": [0.1, 0.0, 0.001]}, log_y=True)
    (p,) = _points(svg)
    assert len(p) == 2


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("battery")
    circularity_demo(folder, {"Ni": 10.0}, "test factor")
    swap_demo(folder)
    return folder


def test_battery_page_draws_every_chemistry_and_carries_the_flags(demo_folder: Path) -> None:
    forecast = json.loads((demo_folder / "battery-forecast.json").read_text("utf-8"))
    swap = json.loads((demo_folder / "swap-station.json").read_text("utf-8"))
    page = battery_page(forecast, swap)
    chemistries = forecast["forecast"]["by_chemistry"]
    assert len(_points(page["charts"]["in_use"])) == len(chemistries)
    assert len(_points(page["charts"]["recovered"])) == len(forecast["recycling"]["recovered_t"])
    assert set(swap["illustrative_inputs"]) <= set(page["illustrative"])
    assert page["avoided"]["note"].startswith("lower bound")
    assert page["avoided"]["basis"] == "test factor"


def test_battery_report_is_written_in_both_languages(demo_folder: Path) -> None:
    en, id_ = write_battery_report(demo_folder)
    assert "Battery packs in use" in en.read_text("utf-8")
    assert "Paket baterai yang digunakan" in id_.read_text("utf-8")
    assert en.read_text("utf-8").count("<svg") == 4
