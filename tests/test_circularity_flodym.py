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
