"""Cross-check: sinergi's stock models equal flodym 1.1's on the same inflows and lifetimes.

Agreement is asserted to 1e-9 relative. Entries near zero (a cohort's far tail, an outflow
in the first year) have no meaningful relative error, so each comparison also allows an
absolute floor of 1e-9 times the largest magnitude of that array.
"""

from __future__ import annotations

from typing import Any

import flodym as fd
import numpy as np
import pytest

from sinergi.circularity import Fixed, LogNormal, Normal, Weibull, inflow_driven, stock_driven
from sinergi.circularity.lifetimes import Lifetime, cohort_matrix, survival_kernel

YEARS = list(range(1990, 2030))
TYPES = ["motorcycle", "car", "bus"]
CHEMISTRIES = ["NMC811", "NMC622", "LFP"]
RTOL = 1e-9


def _dims() -> fd.DimensionSet:
    return fd.DimensionSet(
        dim_list=[
            fd.Dimension(name="time", letter="t", items=YEARS),
            fd.Dimension(name="vehicle", letter="v", items=TYPES),
            fd.Dimension(name="chemistry", letter="c", items=CHEMISTRIES),
        ]
    )


def _by_type_and_chemistry(dims: fd.DimensionSet, values: np.ndarray) -> fd.FlodymArray:
    return fd.FlodymArray(dims=dims[("v", "c")], values=values)


def _cases() -> list[tuple[str, Lifetime, Any]]:
    """Return (name, sinergi lifetime, flodym lifetime-model factory) varying by type x chem."""
    rng = np.random.default_rng(7)
    mean = rng.uniform(3.0, 15.0, (3, 3))
    std = mean * rng.uniform(0.2, 0.5, (3, 3))
    shape = rng.uniform(1.5, 5.0, (3, 3))
    fixed = np.round(mean * 2) / 2  # whole and half years: the boundary cases of "age < mean"

    def flodym_model(kind: str) -> Any:
        dims = _dims()
        if kind == "fixed":
            return fd.FixedLifetime(dims=dims, mean=_by_type_and_chemistry(dims, fixed))
        if kind == "normal":
            return fd.NormalLifetime(
                dims=dims,
                mean=_by_type_and_chemistry(dims, mean),
                std=_by_type_and_chemistry(dims, std),
            )
        if kind == "lognormal":
            return fd.LogNormalLifetime(
                dims=dims,
                mean=_by_type_and_chemistry(dims, mean),
                std=_by_type_and_chemistry(dims, std),
            )
        return fd.WeibullLifetime(
            dims=dims,
            weibull_scale=_by_type_and_chemistry(dims, mean),
            weibull_shape=_by_type_and_chemistry(dims, shape),
        )

    return [
        ("fixed", Fixed(fixed), lambda: flodym_model("fixed")),
        ("normal", Normal(mean, std), lambda: flodym_model("normal")),
        ("lognormal", LogNormal(mean, std), lambda: flodym_model("lognormal")),
        ("weibull", Weibull(mean, shape), lambda: flodym_model("weibull")),
    ]


CASES = _cases()
IDS = [name for name, _, _ in CASES]


def _inflow() -> np.ndarray:
    rng = np.random.default_rng(11)
    growth = np.linspace(1.0, 40.0, len(YEARS))[:, None, None]
    return growth * rng.uniform(0.5, 1.5, (len(YEARS), 3, 3))


def assert_equal_to_flodym(ours: np.ndarray, theirs: np.ndarray) -> None:
    floor = RTOL * float(np.max(np.abs(theirs)))
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=floor)


@pytest.mark.parametrize(("name", "lifetime", "flodym_lifetime"), CASES, ids=IDS)
def test_survival_matrix_equals_flodym(name: str, lifetime: Lifetime, flodym_lifetime: Any) -> None:
    kernel = survival_kernel(lifetime, len(YEARS), (3, 3))
    assert_equal_to_flodym(cohort_matrix(kernel), flodym_lifetime().sf)


@pytest.mark.parametrize(("name", "lifetime", "flodym_lifetime"), CASES, ids=IDS)
def test_inflow_driven_equals_flodym(name: str, lifetime: Lifetime, flodym_lifetime: Any) -> None:
    inflow = _inflow()
    peer = fd.InflowDrivenDSM(dims=_dims(), lifetime_model=flodym_lifetime())
    peer.inflow[...] = inflow
    peer.compute()

    ours = inflow_driven(inflow, lifetime)

    assert_equal_to_flodym(ours.stock, peer.stock.values)
    assert_equal_to_flodym(ours.outflow, peer.outflow.values)
    assert_equal_to_flodym(ours.stock_by_cohort, peer.get_stock_by_cohort())
    assert_equal_to_flodym(ours.outflow_by_cohort, peer.get_outflow_by_cohort())


@pytest.mark.parametrize(("name", "lifetime", "flodym_lifetime"), CASES, ids=IDS)
def test_stock_driven_equals_flodym(name: str, lifetime: Lifetime, flodym_lifetime: Any) -> None:
    rng = np.random.default_rng(3)
    # a growing fleet with wobbles, as a stock-driven user would prescribe it
    stock = np.cumsum(rng.uniform(1.0, 20.0, (len(YEARS), 3, 3)), axis=0)
    peer = fd.StockDrivenDSM(dims=_dims(), lifetime_model=flodym_lifetime())
    peer.stock[...] = stock
    peer.compute()

    ours = stock_driven(stock, lifetime)

    assert_equal_to_flodym(ours.inflow, peer.inflow.values)
    assert_equal_to_flodym(ours.outflow, peer.outflow.values)
    assert_equal_to_flodym(ours.stock_by_cohort, peer.get_stock_by_cohort())
    assert_equal_to_flodym(ours.outflow_by_cohort, peer.get_outflow_by_cohort())
    assert not ours.negative_inflow.any()


def _cohort_varying_cases() -> list[tuple[str, Lifetime, Any]]:
    """Lifetimes whose parameters carry a time axis: flodym reads it as the cohort (inflow year).

    The mean lifetime falls by cohort in some cells and rises in others (packs getting better
    or worse), and the second parameter is mixed: by cohort for normal and Weibull, the same
    for every cohort (cells only) for lognormal, so both broadcasts are exercised.
    """
    rng = np.random.default_rng(21)
    n = len(YEARS)
    trend = np.linspace(0.0, 1.0, n)[:, None, None]
    mean = rng.uniform(3.0, 6.0, (3, 3)) + trend * rng.uniform(-2.0, 8.0, (3, 3))
    std = mean * rng.uniform(0.2, 0.5, (n, 3, 3))
    shape = rng.uniform(1.5, 5.0, (n, 3, 3))
    fixed = np.round(mean * 2) / 2
    ln_std = rng.uniform(1.0, 2.0, (3, 3))
    dims = _dims()

    def full(values: np.ndarray) -> fd.FlodymArray:
        return fd.FlodymArray(dims=dims, values=np.broadcast_to(values, dims.shape).copy())

    return [
        ("fixed", Fixed(fixed), lambda: fd.FixedLifetime(dims=dims, mean=full(fixed))),
        (
            "normal",
            Normal(mean, std),
            lambda: fd.NormalLifetime(dims=dims, mean=full(mean), std=full(std)),
        ),
        (
            "lognormal",
            LogNormal(mean, ln_std),
            lambda: fd.LogNormalLifetime(dims=dims, mean=full(mean), std=full(ln_std)),
        ),
        (
            "weibull",
            Weibull(mean, shape),
            lambda: fd.WeibullLifetime(
                dims=dims, weibull_scale=full(mean), weibull_shape=full(shape)
            ),
        ),
    ]


COHORT_CASES = _cohort_varying_cases()


@pytest.mark.parametrize(
    ("name", "lifetime", "flodym_lifetime"), COHORT_CASES, ids=[c[0] for c in COHORT_CASES]
)
def test_cohort_varying_lifetime_survival_matrix_equals_flodym(
    name: str, lifetime: Lifetime, flodym_lifetime: Any
) -> None:
    kernel = survival_kernel(lifetime, len(YEARS), (3, 3))
    assert kernel.shape == (len(YEARS), len(YEARS), 3, 3)
    assert_equal_to_flodym(cohort_matrix(kernel), flodym_lifetime().sf)


@pytest.mark.parametrize(
    ("name", "lifetime", "flodym_lifetime"), COHORT_CASES, ids=[c[0] for c in COHORT_CASES]
)
def test_cohort_varying_lifetime_is_read_by_cohort_as_flodym_does(
    name: str, lifetime: Lifetime, flodym_lifetime: Any
) -> None:
    # Regression: a parameter with a time axis used to be read as varying by age (stock off
    # by up to 100 %); flodym reads the time axis as the cohort.
    inflow = _inflow()
    peer = fd.InflowDrivenDSM(dims=_dims(), lifetime_model=flodym_lifetime())
    peer.inflow[...] = inflow
    peer.compute()

    ours = inflow_driven(inflow, lifetime)

    assert_equal_to_flodym(ours.stock, peer.stock.values)
    assert_equal_to_flodym(ours.outflow, peer.outflow.values)
    assert_equal_to_flodym(ours.stock_by_cohort, peer.get_stock_by_cohort())
    assert_equal_to_flodym(ours.outflow_by_cohort, peer.get_outflow_by_cohort())
    assert (ours.outflow >= 0.0).all()
    assert np.abs(ours.balance()).max() <= 1e-12 * ours.stock.max()


@pytest.mark.parametrize(
    ("name", "lifetime", "flodym_lifetime"), COHORT_CASES, ids=[c[0] for c in COHORT_CASES]
)
def test_cohort_varying_lifetime_stock_driven_equals_flodym(
    name: str, lifetime: Lifetime, flodym_lifetime: Any
) -> None:
    rng = np.random.default_rng(4)
    stock = np.cumsum(rng.uniform(1.0, 20.0, (len(YEARS), 3, 3)), axis=0)
    peer = fd.StockDrivenDSM(dims=_dims(), lifetime_model=flodym_lifetime())
    peer.stock[...] = stock
    peer.compute()

    ours = stock_driven(stock, lifetime)

    assert_equal_to_flodym(ours.inflow, peer.inflow.values)
    assert_equal_to_flodym(ours.outflow, peer.outflow.values)
    assert_equal_to_flodym(ours.stock_by_cohort, peer.get_stock_by_cohort())
    assert_equal_to_flodym(ours.outflow_by_cohort, peer.get_outflow_by_cohort())
