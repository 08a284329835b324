"""Trends across periods: the park assessed in each period of its data, drawn in the report."""

from __future__ import annotations

from sinergi.assess.compare import compare, trend
from sinergi.assess.engine import assess
from sinergi.assess.gaps import gaps
from sinergi.assess.packs import load_pack, load_profile
from sinergi.examples import tiny_park
from sinergi.model.period import Period
from sinergi.reports.assessment import assessment_dict, assessment_html

PACK = load_pack("eip-framework-2.0")
PROFILE = load_profile(PACK)
Y2023, Y2024 = Period.parse("2023"), Period.parse("2024")


def _two_years():
    eco = tiny_park("2024")
    earlier = tiny_park("2023")
    eco.flows += earlier.flows  # 2023 has flows but no park-services record
    return eco


def test_trend_assesses_each_period_up_to_the_given_one_oldest_first() -> None:
    eco = _two_years()
    rows = trend(eco, "demo-park", PACK, Y2024, profile=PROFILE)
    expected = compare([assess(eco, "demo-park", p, PACK, profile=PROFILE) for p in (Y2023, Y2024)])
    assert rows == expected
    assert [r.period for r in rows] == ["2023", "2024"]
    assert rows[0].coverage < rows[1].coverage  # the services record only exists in 2024
    assert [r.period for r in trend(eco, "demo-park", PACK, Y2023, profile=PROFILE)] == ["2023"]


def test_trend_includes_the_assessed_period_even_without_data() -> None:
    rows = trend(tiny_park("2024"), "demo-park", PACK, Period.parse("2025"), profile=PROFILE)
    assert [r.period for r in rows] == ["2024", "2025"]


def test_months_and_years_are_not_mixed_in_a_trend() -> None:
    eco = _two_years()
    rows = trend(eco, "demo-park", PACK, Period.parse("2024-06"), profile=PROFILE)
    assert [r.period for r in rows] == ["2024-06"]


def test_report_draws_the_trend_with_shares_mapped_onto_the_chart() -> None:
    eco = _two_years()
    current = assess(eco, "demo-park", Y2024, PACK, profile=PROFILE)
    history = trend(eco, "demo-park", PACK, Y2024, profile=PROFILE)
    data = assessment_dict(current, PACK, gaps(current, PACK, eco), eco, history, lang="id")
    coverage = data["trend"]["series"][0]
    assert coverage["values"] == [history[0].coverage, history[1].coverage]
    # x: first and last period at the plot's edges; y: 100 % at the top (10), 0 % at 160
    plot = data["trend"]["plot"]
    (x0, y0), (x1, y1) = coverage["dots"]
    assert (x0, x1) == (plot["x"], plot["x"] + plot["w"])
    assert y0 == round(plot["y"] + plot["h"] * (1 - history[0].coverage), 1)
    assert y1 == round(plot["y"] + plot["h"] * (1 - history[1].coverage), 1)
    html = assessment_html(data)
    lines = [s for s in data["trend"]["series"] if len(s["dots"]) > 1]  # one dot: no line
    assert html.count("<polyline") == len(lines) == 1
    assert html.count("<circle") == sum(len(s["dots"]) for s in data["trend"]["series"])
    assert "Tren per periode" in html


def test_a_category_with_nothing_assessed_in_a_period_is_blank_not_zero() -> None:
    eco = _two_years()
    rows = trend(eco, "demo-park", PACK, Y2024, profile=PROFILE)
    assert rows[0].credit["park_management"] is None  # 2023: no services record, no judgement
    assert rows[1].credit["park_management"] == 1 / 7  # 2024: PM-SV-1 met, of 7 encoded


def test_report_with_one_period_draws_no_trend() -> None:
    eco = tiny_park("2024")
    current = assess(eco, "demo-park", Y2024, PACK, profile=PROFILE)
    history = trend(eco, "demo-park", PACK, Y2024, profile=PROFILE)
    html = assessment_html(assessment_dict(current, PACK, [], eco, history, lang="en"))
    assert "<polyline" not in html
    assert "Trend by period" not in html
