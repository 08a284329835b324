"""Units convert to canonical units (ton = metric tonne) and periods parse strictly."""

from __future__ import annotations

import math
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.errors import InputError, PeriodError, ReferenceDataError, UnitError
from sinergi.io import read_file
from sinergi.model import Granularity, Period, default_catalogue, load_catalogue
from sinergi.units import Dimension, conversion_factor, to_canonical

FLOWS = "period,source,target,commodity,quantity,unit\n"


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


# -- issue 12 §2: units from a fixed table, converted exactly -----------------------------
QUOTED_BAD_UNITS = ["9**9**9*t", "t/0", "t]", "t**0", "t " * 1000, "short_ton", "t%", "pi*t"]


@pytest.mark.parametrize("unit", QUOTED_BAD_UNITS, ids=lambda u: u[:12].strip())
def test_expression_units_are_unknown_words_not_evaluated(unit: str) -> None:
    # the issue quotes: 9**9**9*t hangs, t/0 and t] crash, t**0 KeyError, "t " x 1000
    # RecursionError, short_ton stored as a tonne, t% as 0.01 t, pi*t accepted
    started = time.perf_counter()
    with pytest.raises(UnitError) as caught:
        conversion_factor(unit, Dimension.MASS)
    assert caught.value.reason == "unknown"
    assert time.perf_counter() - started < 0.1


@pytest.mark.parametrize("unit", QUOTED_BAD_UNITS, ids=lambda u: u[:12].strip())
def test_an_expression_unit_in_a_file_is_a_located_issue(unit: str, tmp_path: Path) -> None:
    path = tmp_path / "flows.csv"
    path.write_text(f"{FLOWS}2024,supplier,market,coal,5,{unit}\n", "utf-8")
    with pytest.raises(InputError) as caught:
        read_file(path)
    code = "text_too_long" if len(unit) > 300 else "unknown_unit"  # "t " x 1000: 2,000 chars
    assert [(i.code, i.row, i.field) for i in caught.value.issues] == [  # type: ignore[attr-defined]
        (code, 2, "unit")
    ]


def test_a_quantity_that_overflows_its_canonical_unit_is_refused_not_stored_as_infinity(
    tmp_path: Path,
) -> None:
    # the issue quotes: 1e308 Gt was stored as infinity with exit 0 and exported as .inf
    path = tmp_path / "flows.csv"
    path.write_text(f"{FLOWS}2024,supplier,market,coal,1e308,Gt\n", "utf-8")
    with pytest.raises(InputError) as caught:
        read_file(path)
    (issue,) = caught.value.issues
    assert (issue.code, issue.row, issue.field) == ("out_of_range", 2, "quantity")  # type: ignore[attr-defined]


def test_a_number_too_close_to_zero_to_store_alike_on_every_database_is_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "flows.csv"
    path.write_text(f"{FLOWS}2024,supplier,market,coal,1e-320,t\n", "utf-8")
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert caught.value.issues[0].code == "out_of_range"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("unit", "dimension", "factor"),
    [
        ("ton", Dimension.MASS, Fraction(1)),  # Indonesian forms: the metric tonne
        ("tonne", Dimension.MASS, Fraction(1)),
        ("kg", Dimension.MASS, Fraction(1, 1000)),
        ("kWh", Dimension.ENERGY, Fraction(1, 1000)),
        ("GWh", Dimension.ENERGY, Fraction(1000)),
        ("GJ", Dimension.ENERGY, Fraction(5, 18)),
        ("TJ", Dimension.ENERGY, Fraction(2500, 9)),
        ("m³", Dimension.VOLUME, Fraction(1)),
        ("Nm3", Dimension.VOLUME, Fraction(1)),
        ("liter", Dimension.VOLUME, Fraction(1, 1000)),
        ("litre", Dimension.VOLUME, Fraction(1, 1000)),
        ("hektar", Dimension.AREA, Fraction(1)),
        ("km2", Dimension.AREA, Fraction(100)),
        ("KWH", Dimension.ENERGY, Fraction(1, 1000)),  # case ignored where unambiguous
    ],
)
def test_the_units_people_write_have_exact_factors(
    unit: str, dimension: Dimension, factor: Fraction
) -> None:
    assert conversion_factor(unit, dimension) == factor


@pytest.mark.parametrize("unit", ["MT", "mt", "ml"])
def test_units_that_mean_two_things_are_refused(unit: str) -> None:
    with pytest.raises(UnitError, match="ambiguous") as caught:
        conversion_factor(unit, Dimension.MASS)
    assert caught.value.reason == "ambiguous"


def test_conversion_rounds_once_from_the_exact_product(tmp_path: Path) -> None:
    # 0.9 kg was stored as 0.0009000000000000001 t (a float times a float factor)
    assert to_canonical(Fraction("0.9"), "kg", Dimension.MASS) == 0.0009
    path = tmp_path / "flows.csv"
    path.write_text(f'{FLOWS}2024,supplier,market,coal,"0,9",kg\n', "utf-8")
    assert read_file(path).ecosystem.flows[0].quantity == 0.0009


def test_importing_the_store_loads_no_unit_evaluator() -> None:
    code = "import sys, sinergi.store, sinergi.io; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert [m for m in loaded if m.split(".")[0] in {"pint", "scipy"}] == []
