"""Units convert to canonical units (ton = metric tonne) and periods parse strictly."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.errors import PeriodError, ReferenceDataError, UnitError
from sinergi.model import Granularity, Period, default_catalogue, load_catalogue
from sinergi.units import Dimension, conversion_factor, to_canonical


@pytest.mark.parametrize(
    ("unit", "dimension", "factor"),
    [
        ("t", Dimension.MASS, 1.0),
        ("ton", Dimension.MASS, 1.0),  # Indonesian forms: ton = metric tonne, not 2000 lb
        ("Ton", Dimension.MASS, 1.0),
        ("kg", Dimension.MASS, 1e-3),
        ("kt", Dimension.MASS, 1e3),
        ("Mt", Dimension.MASS, 1e6),
        ("MWh", Dimension.ENERGY, 1.0),
        ("kWh", Dimension.ENERGY, 1e-3),
        ("GWh", Dimension.ENERGY, 1e3),
        ("GJ", Dimension.ENERGY, 1 / 3.6),
        ("m3", Dimension.VOLUME, 1.0),
        ("L", Dimension.VOLUME, 1e-3),
        ("kL", Dimension.VOLUME, 1.0),
        ("ha", Dimension.AREA, 1.0),
        ("m2", Dimension.AREA, 1e-4),
        ("item", Dimension.COUNT, 1.0),
    ],
)
def test_units_convert_to_canonical(unit, dimension, factor):
    assert math.isclose(conversion_factor(unit, dimension), factor, rel_tol=1e-12)


def test_short_ton_is_not_used_for_ton():
    assert to_canonical(2.0, "ton", Dimension.MASS) == 2.0


@pytest.mark.parametrize("unit", ["furlongs", "5 kg", "t/", ""])
def test_unknown_units_are_refused(unit):
    with pytest.raises(UnitError):
        conversion_factor(unit, Dimension.MASS)


def test_wrong_dimension_is_refused_with_a_hint():
    with pytest.raises(UnitError, match=r"not a mass unit.*'t'"):
        conversion_factor("MWh", Dimension.MASS)


@given(
    st.just(0.0) | st.floats(min_value=1e-300, max_value=1e12), st.sampled_from(["kg", "t", "kt"])
)
@settings(max_examples=50, deadline=None)
def test_conversion_round_trips(value, unit):
    there = to_canonical(value, unit, Dimension.MASS)
    back = there / conversion_factor(unit, Dimension.MASS)
    assert math.isclose(back, value, rel_tol=1e-12, abs_tol=1e-300)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", Period(2024)),
        ("2024-03", Period(2024, 3)),
        ("2024-3", Period(2024, 3)),
        ("03/2024", Period(2024, 3)),
        (2024, Period(2024)),
        ("2024.0", Period(2024)),
    ],
)
def test_periods_parse(text, expected):
    assert Period.parse(text) == expected


@pytest.mark.parametrize("text", ["2024-13", "24", "March 2024", "2024/03", "", "2024-00"])
def test_bad_periods_are_refused(text):
    with pytest.raises(PeriodError):
        Period.parse(text)


def test_period_round_trips_through_text():
    for p in (Period(2024), Period(2024, 1), Period(1999, 12)):
        assert Period.parse(str(p)) == p
    assert Period(2024).granularity is Granularity.YEAR
    assert Period(2024, 2).granularity is Granularity.MONTH


def test_catalogue_marks_faba_as_registered_non_b3():
    cat = default_catalogue()
    assert cat.get("fly_ash").waste_code == "N106"
    assert cat.get("bottom_ash").waste_code == "N107"
    assert cat.get("nickel_slag").hazard.value == "non_b3"
    assert all(c.source for c in cat.commodities.values() if c.waste_code)


def test_catalogue_rejects_a_waste_without_hazard_class(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(
        "version: x\ncommodities:\n"
        "  - {id: w, name_en: W, name_id: W, kind: waste, dimension: mass}\n"
    )
    with pytest.raises(ReferenceDataError, match="needs hazard"):
        load_catalogue(path)
