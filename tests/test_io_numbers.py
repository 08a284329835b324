"""Locale-tolerant cell parsing: numbers, whole numbers, yes/no and periods."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.io.issues import CellError
from sinergi.io.numbers import format_float, parse_bool, parse_float, parse_int, parse_period
from sinergi.model import Period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1234,5", 1234.5),
        ("1234.5", 1234.5),
        ("1 234,5", 1234.5),
        ("1\u00a0234,5", 1234.5),
        ("1.234.567,89", 1234567.89),
        ("1,234,567", 1234567.0),
        ("1.234.567", 1234567.0),
        ("0,125", 0.125),
        ("0.125", 0.125),
        ("12,5", 12.5),
        ("-7", -7.0),
        ("1,5E-7", 1.5e-7),
        ("2.5e3", 2500.0),
        (" 42 ", 42.0),
        ("1234.567", 1234.567),
    ],
)
def test_text_numbers_in_either_locale_are_read(text: str, expected: float) -> None:
    assert parse_float(text) == expected


@pytest.mark.parametrize("text", ["1.234", "12,500", "-1.000", "999.999"])
def test_single_mark_with_three_digits_is_ambiguous(text: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_float(text)
    assert caught.value.code == "ambiguous_number"


@pytest.mark.parametrize("text", ["abc", "1.23.4", "1,2,3", "1.234,5,6", "nan", "inf", "--1"])
def test_non_numbers_are_refused(text: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_float(text)
    assert caught.value.code == "not_a_number"


def test_number_cells_pass_unchanged_but_bool_and_nan_do_not() -> None:
    assert parse_float(3) == 3.0
    assert parse_float(0.1) == 0.1
    for bad in (True, float("nan"), float("inf"), [1.0]):
        with pytest.raises(CellError):
            parse_float(bad)


def test_whole_numbers_refuse_fractions_and_accept_integral_floats() -> None:
    assert parse_int("12") == 12
    assert parse_int(12.0) == 12
    assert parse_int("1.234.567") == 1234567
    assert parse_int("12345678901234567890") == 12345678901234567890
    with pytest.raises(CellError) as caught:
        parse_int("2,5")
    assert caught.value.code == "not_an_integer"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", True),
        ("Ya", True),
        ("y", True),
        ("TRUE", True),
        ("1", True),
        (1, True),
        ("no", False),
        ("tidak", False),
        ("t", False),
        ("false", False),
        ("0", False),
        (False, False),
    ],
)
def test_yes_no_answers_in_both_languages(value: object, expected: bool) -> None:
    assert parse_bool(value) is expected


def test_unclear_yes_no_answer_is_refused() -> None:
    with pytest.raises(CellError) as caught:
        parse_bool("mungkin")
    assert caught.value.code == "bad_boolean"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024", Period(2024)),
        (2024, Period(2024)),
        (2024.0, Period(2024)),
        ("2024-03", Period(2024, 3)),
        ("03/2024", Period(2024, 3)),
        ("2024-03-01", Period(2024, 3)),
        ("31/03/2024", Period(2024, 3)),
        (datetime(2024, 3, 1), Period(2024, 3)),
        (date(2023, 12, 31), Period(2023, 12)),
    ],
)
def test_periods_from_years_months_and_dates(value: object, expected: Period) -> None:
    assert parse_period(value) == expected


@pytest.mark.parametrize("value", ["2024-13", "03/31/2024", "2024-02-30", "Q1 2024", 24.5])
def test_bad_periods_are_refused(value: object) -> None:
    with pytest.raises(CellError) as caught:
        parse_period(value)
    assert caught.value.code == "bad_period"


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_written_floats_read_back_exactly(value: float) -> None:
    assert parse_float(format_float(value)) == value


def test_writer_never_produces_the_ambiguous_form() -> None:
    assert format_float(1.234) == "1.2340"
    assert format_float(-999.5) == "-999.5"
    assert parse_float(format_float(1.234)) == 1.234
