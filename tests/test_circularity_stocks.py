"""Behaviour of the dynamic stock models: balance, inversion, analytic cases, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.circularity import Fixed, LogNormal, Normal, Weibull, inflow_driven, stock_driven
from sinergi.circularity.lifetimes import Lifetime
from sinergi.errors import CircularityError, InfeasibleStock, InvalidLifetime, InvalidStockInput

LIFETIMES: list[Lifetime] = [
    Fixed(4),
    Normal(6.0, 2.0),
    LogNormal(6.0, 2.0),
    Weibull(6.0, 2.5),
]


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    years=st.integers(1, 30),
    kind=st.sampled_from(range(len(LIFETIMES))),
)
def test_stock_change_equals_inflow_minus_outflow(seed: int, years: int, kind: int) -> None:
    rng = np.random.default_rng(seed)
    inflow = rng.uniform(0.0, 1000.0, (years, 2, 3))
    result = inflow_driven(inflow, LIFETIMES[kind])
    scale = max(1.0, float(result.stock.max()))
    assert np.abs(result.balance()).max() <= 1e-12 * scale
    # the cohort arrays add up to the totals
    np.testing.assert_allclose(result.stock_by_cohort.sum(axis=1), result.stock, atol=1e-9)
    np.testing.assert_allclose(result.outflow_by_cohort.sum(axis=1), result.outflow, atol=1e-9)


@pytest.mark.parametrize("lifetime", LIFETIMES, ids=lambda lt: type(lt).__name__)
def test_stock_driven_recovers_the_inflow_that_made_the_stock(lifetime: Lifetime) -> None:
    rng = np.random.default_rng(5)
    inflow = rng.uniform(10.0, 100.0, (25, 4))
    stock = inflow_driven(inflow, lifetime).stock
    result = stock_driven(stock, lifetime)
    np.testing.assert_allclose(result.inflow, inflow, rtol=1e-10)
    assert np.abs(result.balance()).max() <= 1e-10 * stock.max()
    np.testing.assert_array_equal(result.stock, stock)


def test_fixed_lifetime_returns_each_cohort_after_exactly_its_lifetime() -> None:
    inflow = np.arange(1.0, 11.0)
    result = inflow_driven(inflow, Fixed(3))
    np.testing.assert_array_equal(result.outflow[3:], inflow[:-3])
    np.testing.assert_array_equal(result.outflow[:3], 0.0)
    # the stock holds the last three cohorts
    np.testing.assert_array_equal(result.stock[5], inflow[3:6].sum())


def test_exponential_lifetime_matches_the_closed_form() -> None:
    # Weibull with shape 1 is exponential: one cohort's survivors at the end of year t are
    # exp(-(t + 0.5) / scale) of it (inflow at mid-year, stock read at year end)
    scale = 4.0
    inflow = np.zeros(12)
    inflow[0] = 1.0
    result = inflow_driven(inflow, Weibull(scale, 1.0))
    expected = np.exp(-(np.arange(12) + 0.5) / scale)
    np.testing.assert_allclose(result.stock, expected, rtol=1e-14)


def test_lifetime_parameters_broadcast_over_extra_dimensions() -> None:
    means = np.array([2.0, 5.0])
    inflow = np.ones((10, 3, 2))
    result = inflow_driven(inflow, Fixed(means))
    # stock of a steady inflow equals the lifetime in each column
    np.testing.assert_array_equal(result.stock[-1], np.broadcast_to(means, (3, 2)))


def test_weibull_from_mean_has_that_mean() -> None:
    lifetime = Weibull.from_mean(12.0, 3.0)
    assert math.isclose(float(lifetime.mean()), 12.0, rel_tol=1e-14)


@pytest.mark.parametrize(
    ("make", "parameter"),
    [
        (lambda: Normal(5.0, 0.0), "'std'"),
        (lambda: Normal(-1.0, 1.0), "'mean'"),
        (lambda: LogNormal(5.0, -2.0), "'std'"),
        (lambda: Weibull(5.0, 0.0), "'shape'"),
        (lambda: Weibull(0.0, 2.0), "'scale'"),
        (lambda: Fixed(np.array([3.0, math.nan])), "'mean' at index (1,)"),
    ],
)
def test_lifetime_that_makes_no_distribution_is_refused_naming_the_parameter(
    make: object, parameter: str
) -> None:
    with pytest.raises(InvalidLifetime, match="allowed range") as info:
        make()  # type: ignore[operator]
    assert parameter in str(info.value)


def test_lifetime_parameters_of_the_wrong_shape_are_refused() -> None:
    with pytest.raises(InvalidLifetime, match="does not broadcast"):
        inflow_driven(np.ones((5, 3)), Normal(np.ones(4), 1.0))


@pytest.mark.parametrize(
    ("lifetime", "shape"),
    [
        (Weibull(np.full((6, 3), 4.0), 2.0), "(6, 3)"),  # a time axis one year too long
        (Normal(np.full((2, 5, 3), 4.0), 1.0), "(2, 5, 3)"),  # an axis too many
        (Fixed(np.full((5, 2), 4.0)), "(5, 2)"),  # cells that do not match
        (LogNormal(4.0, np.full((4, 1), 1.0)), "(4, 1)"),  # a time axis too short
    ],
)
def test_lifetime_of_a_shape_the_stock_cannot_take_raises_invalid_lifetime_naming_shapes(
    lifetime: Lifetime, shape: str
) -> None:
    # Regression: np.broadcast_shapes(value.shape, dims) accepted shapes larger than the
    # stock's cells, so a (T + 1, cells) parameter went on to a bare numpy error or, with a
    # time axis, to a result read by age.
    for model in (inflow_driven, stock_driven):
        with pytest.raises(InvalidLifetime) as info:
            model(np.ones((5, 3)), lifetime)
        message = str(info.value)
        assert shape in message
        assert "(5, 3)" in message


def test_ragged_series_is_refused_as_stock_input() -> None:
    with pytest.raises(InvalidStockInput, match="rectangular"):
        inflow_driven([[1.0, 2.0], [3.0]], Fixed(2))


def test_lifetime_varying_by_cohort_applies_to_the_cohort_not_the_age() -> None:
    # cohort 0 lives 2 years, cohort 1 lives 4: each leaves after its own lifetime
    inflow = np.array([10.0, 1.0, 0.0, 0.0, 0.0, 0.0])
    result = inflow_driven(inflow, Fixed(np.array([2.0, 4.0, 4.0, 4.0, 4.0, 4.0])))
    np.testing.assert_array_equal(result.outflow, [0, 0, 10, 0, 0, 1])
    np.testing.assert_array_equal(result.stock, [10, 11, 1, 1, 1, 0])
    back = stock_driven(result.stock[:5], Fixed(np.array([2.0, 4.0, 4.0, 4.0, 4.0])))
    np.testing.assert_allclose(back.inflow, inflow[:5])


def test_negative_inflow_is_refused_naming_its_index() -> None:
    inflow = np.ones((6, 2))
    inflow[4, 1] = -3.0
    with pytest.raises(InvalidStockInput, match=r"inflow\[4, 1\] is negative"):
        inflow_driven(inflow, Fixed(2))


def test_stock_that_falls_too_fast_is_refused_naming_the_year() -> None:
    stock = np.array([10.0, 10.0, 2.0, 2.0])
    with pytest.raises(InfeasibleStock, match="year index 2"):
        stock_driven(stock, Fixed(5))


def test_clipped_negative_inflow_is_flagged_and_the_held_stock_balances() -> None:
    stock = np.array([10.0, 10.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0])
    result = stock_driven(stock, Fixed(5), negative_inflow="clip")
    assert result.negative_inflow.tolist() == [False, False, True, True, True, False, False, False]
    assert (result.inflow >= 0).all()
    # the old cohort stays until it retires at age 5, then the target is met again
    np.testing.assert_array_equal(result.stock, [10, 10, 10, 10, 10, 2, 2, 2])
    assert result.stock_target is not None
    np.testing.assert_array_equal(result.stock_target, stock)
    assert np.abs(result.balance()).max() == 0.0


def test_stock_driven_refuses_a_lifetime_under_half_a_year() -> None:
    with pytest.raises(InfeasibleStock, match=r"age 0\.5"):
        stock_driven(np.ones(4), Fixed(0.4))


def test_errors_are_circularity_errors() -> None:
    assert issubclass(InvalidStockInput, CircularityError)
    assert issubclass(InvalidLifetime, CircularityError)


def test_clipping_flags_only_the_cells_that_needed_it() -> None:
    stock = np.stack([[10.0, 10.0, 2.0, 2.0], [1.0, 2.0, 3.0, 4.0]], axis=1)  # (4 years, 2 cells)
    result = stock_driven(stock, Normal(3.0, 1.0), negative_inflow="clip")
    assert result.negative_inflow[:, 1].sum() == 0
    assert result.negative_inflow[2, 0]
    np.testing.assert_allclose(result.stock[:, 1], stock[:, 1], rtol=1e-12)
    assert (result.stock[:, 0] >= stock[:, 0] - 1e-12).all()
    assert np.abs(result.balance()).max() <= 1e-12 * stock.max()
