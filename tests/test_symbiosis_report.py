"""What a person reads: the symbiosis page in both languages, its charts, and the console.

Issue 12: the console printed "−52 t CO2e" (an increase read as a cut), Indonesian pages were
half English, Python values leaked, charts lacked units. Each test reads the output as a user
would.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from i18n_checks import english_left_on
from sinergi.cli import app
from sinergi.demo import demo_ecosystem
from sinergi.model import Ecosystem, Period
from sinergi.reports.symbiosis import symbiosis_html
from sinergi.reports.symbiosis_charts import bar_chart, nice_ticks, park_map, sankey
from sinergi.store import Store
from sinergi.symbiosis.candidates import CandidateOptions
from sinergi.symbiosis.recommend import recommend

YEAR = Period(2024)
runner = CliRunner()


@pytest.fixture(scope="module")
def demo() -> Ecosystem:
    return demo_ecosystem(seed=1)


@pytest.fixture(scope="module")
def national(demo: Ecosystem) -> dict[str, object]:
    return recommend(demo, YEAR, options=CandidateOptions(keep_emission_increases=True)).to_dict()


#: Python values that must never reach a reader.
PYTHON = re.compile(
    r"\bNone\b|\bTrue\b|\bFalse\b|\['|\bnan\b|\binf\b|not_met|_diverted|co2e_avoided"
)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_page_shows_no_python_values(national: dict[str, object], lang: str) -> None:
    page = _text(symbiosis_html(national, lang))  # type: ignore[arg-type]
    assert PYTHON.findall(page) == []


def test_the_indonesian_page_leaves_no_english_sentence(national: dict[str, object]) -> None:
    page = symbiosis_html(national, "id")  # type: ignore[arg-type]
    assert english_left_on(page) == []
    assert "dihindari" in page
    assert "Rp" in page


def test_numbers_follow_the_page_language(demo: Ecosystem) -> None:
    data = recommend(demo.subset(["iwip"]), YEAR).to_dict()
    assert "12.000 t" in _text(symbiosis_html(data, "id"))
    assert "12,000 t" in _text(symbiosis_html(data, "en"))


def test_an_increase_is_said_as_an_increase_never_as_a_negative_avoided(
    national: dict[str, object],
) -> None:
    page = _text(symbiosis_html(national, "en"))  # type: ignore[arg-type]
    assert "an increase of" in page
    assert not re.search(r"[-−]\d[\d,.]* t CO2e avoided", page)
    assert "increase emissions" in page


def test_totals_on_the_page_are_one_row_per_unit(national: dict[str, object]) -> None:
    page = _text(symbiosis_html(national, "en"))  # type: ignore[arg-type]
    assert "Amount exchanged (t)" in page
    assert "Amount exchanged (m3)" in page


def test_each_row_cites_real_sources_never_project_notes(national: dict[str, object]) -> None:
    page = symbiosis_html(national, "en")  # type: ignore[arg-type]
    assert ".md" not in page
    assert "https://" in page


# -- charts -------------------------------------------------------------------------------------


def _ticks(svg: str) -> list[str]:
    return re.findall(r'text-anchor="middle">([^<]+)</text>', svg)


def test_bars_start_at_zero_with_labelled_ticks_and_a_unit() -> None:
    svg = bar_chart(["a", "b"], [12.5, -3.0], axis="t CO2e avoided per period", lang="en")
    ticks = _ticks(svg)
    assert "0" in ticks
    assert len(ticks) >= 5  # four labelled ticks and the axis title
    assert "t CO2e avoided per period" in svg
    assert "#cf222e" in svg  # the increase is drawn in red, left of zero


def test_nice_ticks_cover_the_data_and_zero() -> None:
    for low, high in ((0, 95), (-3, 10), (0.2, 0.9), (5, 5), (-40, -2)):
        ticks = nice_ticks(low, high)
        assert len(ticks) >= 4
        assert ticks[0] <= min(low, 0)
        assert ticks[-1] >= max(high, 0)
        assert 0.0 in ticks


def test_no_chart_is_drawn_without_data() -> None:
    assert bar_chart([], [], axis="x", lang="en") == ""
    assert sankey([], unit="t", lang="en") == ""
    assert park_map([{"park": "a", "latitude": 1.0, "longitude": 100.0}], [], lang="en") == ""


def test_a_sankey_never_mixes_units() -> None:
    links = [
        {"supplier": "a", "receiver": "b", "amount": 10.0, "unit": "t"},
        {"supplier": "c", "receiver": "d", "amount": 5000.0, "unit": "m3"},
    ]
    svg = sankey(links, unit="t", lang="en")
    assert "(10 t)" in svg
    assert "m3" not in svg


def test_the_park_map_labels_both_axes_in_degrees(national: dict[str, object]) -> None:
    svg = park_map(national["map"]["points"], national["map"]["links"], lang="id")  # type: ignore[index]
    assert "bujur (derajat timur)" in svg
    assert "lintang" in svg


# -- the console ---------------------------------------------------------------------------------


def _demo_db(tmp_path: Path, demo: Ecosystem) -> str:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    store = Store(url)
    store.migrate()
    store.save(demo.subset(["kiic", "kim", "iwip"]))
    return url


def test_console_says_avoided_and_increase_never_a_bare_negative(
    tmp_path: Path, demo: Ecosystem
) -> None:
    db = _demo_db(tmp_path, demo)
    result = runner.invoke(
        app,
        ["symbiosis", "kiic", "--db", db, "--allow-emission-increases"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "t CO2e avoided" in result.stdout
    assert "increase" in result.stdout
    assert not re.search(r"[-−]\d[\d,.]* t CO2e", result.stdout)


def test_console_in_indonesian_has_no_english_sentence(tmp_path: Path, demo: Ecosystem) -> None:
    db = _demo_db(tmp_path, demo)
    result = runner.invoke(
        app, ["symbiosis", "iwip", "--db", db, "--lang", "id"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert english_left_on(result.stdout) == []
    assert "dihindari" in result.stdout


def test_json_output_keeps_amounts_per_unit(tmp_path: Path, demo: Ecosystem) -> None:
    db = _demo_db(tmp_path, demo)
    result = runner.invoke(app, ["symbiosis", "--national", "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["totals"]["amount_by_unit"]) == {"t", "m3"}
    assert data["solver"]["found_solution"] is True


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--objective", "cost", "'cost' is not one of"),
        ("--per-supply", "0", "give auto, all or a whole number"),
        ("--per-supply", "many", "give auto, all or a whole number"),
        ("--time-limit", "0", "--time-limit"),
    ],
)
def test_bad_options_are_usage_errors_naming_the_choices(
    tmp_path: Path, demo: Ecosystem, option: str, value: str, says: str
) -> None:
    result = runner.invoke(
        app, ["symbiosis", "kiic", option, value, "--db", _demo_db(tmp_path, demo)]
    )
    assert result.exit_code == 2
    assert says in result.output
    assert "Traceback" not in result.output
