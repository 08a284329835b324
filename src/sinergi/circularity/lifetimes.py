"""Lifetime distributions of products in use, discretised on whole years.

Discretisation (the same as flodym 1.1 with annual time steps, ``inflow_at="middle"`` and one
quadrature point, its default): the inflow of year ``c`` enters the stock at the middle of
that year and the stock of year ``t`` is read at the end of it, so a unit of cohort ``c`` is
still in use at the end of year ``t >= c`` with probability

    sf[t, c] = S(t - c + 0.5),

where ``S`` is the survival function of the lifetime distribution. The share that leaves in
its own year is ``1 - S(0.5)`` and in year ``t > c`` it is ``S(t - c - 0.5) - S(t - c + 0.5)``;
these sum with the survivors to exactly one, which is what makes the stock model balance.
Because ``sf`` depends on the age ``t - c`` only (parameters vary by the extra dimensions,
not by cohort), each parameter set is evaluated once per age, giving an *age kernel* of shape
``(n_years, *dims)``; the cohort matrices are gathered from it with broadcasting.

Parameters follow flodym: normal (not truncated: lifetimes under half a year leave in the
year of inflow), lognormal given by the mean and standard deviation of the lifetime itself
(not of its logarithm), Weibull by scale and shape; :meth:`Weibull.from_mean` converts a
mean lifetime to the scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike, NDArray
from scipy import special

from sinergi.errors import InvalidLifetime

FloatArray: TypeAlias = NDArray[np.float64]


def _positive(name: str, value: ArrayLike, allowed: str) -> FloatArray:
    """Return ``value`` as a float array, refusing non-finite or non-positive entries."""
    array = np.asarray(value, dtype=np.float64)
    bad = ~np.isfinite(array) | (array <= 0.0)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        where = f" at index {index}" if array.ndim else ""
        got = float(array[index]) if array.ndim else float(array)
        raise InvalidLifetime(
            f"lifetime parameter {name!r}{where} is {got!r}; allowed range: {allowed}"
        )
    return array


@dataclass(frozen=True, eq=False)
class Fixed:
    """Every unit leaves when it reaches age ``mean`` (years, > 0).

    With ``mean = 3`` a unit sold in 2020 is in the stock at the end of 2020, 2021 and 2022
    (ages 0.5, 1.5, 2.5) and leaves in 2023.
    """

    mean: ArrayLike

    def __post_init__(self) -> None:
        _positive("mean", self.mean, "mean > 0 years")

    def survival(self, age: FloatArray) -> FloatArray:
        """Return the share of a cohort still in use at ``age`` (years)."""
        mean = np.asarray(self.mean, dtype=np.float64)
        return (age < mean).astype(np.float64)


@dataclass(frozen=True, eq=False)
class Normal:
    """Normally distributed lifetime (years): ``mean > 0``, ``std > 0``; not truncated."""

    mean: ArrayLike
    std: ArrayLike

    def __post_init__(self) -> None:
        _positive("mean", self.mean, "mean > 0 years")
        _positive("std", self.std, "std > 0 years")

    def survival(self, age: FloatArray) -> FloatArray:
        """Return the share of a cohort still in use at ``age`` (years)."""
        mean = np.asarray(self.mean, dtype=np.float64)
        std = np.asarray(self.std, dtype=np.float64)
        result: FloatArray = special.ndtr((mean - age) / std)
        return result


@dataclass(frozen=True, eq=False)
class LogNormal:
    """Lognormal lifetime given by the mean and standard deviation of the lifetime (years).

    The underlying normal has ``sigma**2 = log(1 + std**2 / mean**2)`` and
    ``mu = log(mean**2 / sqrt(mean**2 + std**2))``.
    """

    mean: ArrayLike
    std: ArrayLike

    def __post_init__(self) -> None:
        _positive("mean", self.mean, "mean > 0 years")
        _positive("std", self.std, "std > 0 years")

    def survival(self, age: FloatArray) -> FloatArray:
        """Return the share of a cohort still in use at ``age`` (years)."""
        mean = np.asarray(self.mean, dtype=np.float64)
        std = np.asarray(self.std, dtype=np.float64)
        mean_sq, std_sq = mean * mean, std * std
        mu = np.log(mean_sq / np.sqrt(mean_sq + std_sq))
        sigma = np.sqrt(np.log(1.0 + std_sq / mean_sq))
        result: FloatArray = special.ndtr(-np.log(age / np.exp(mu)) / sigma)
        return result


@dataclass(frozen=True, eq=False)
class Weibull:
    """Weibull lifetime: ``S(age) = exp(-(age / scale) ** shape)``; scale, shape > 0."""

    scale: ArrayLike
    shape: ArrayLike

    def __post_init__(self) -> None:
        _positive("scale", self.scale, "scale > 0 years")
        _positive("shape", self.shape, "shape > 0")

    @classmethod
    def from_mean(cls, mean: ArrayLike, shape: ArrayLike) -> Weibull:
        """Return the Weibull with this mean lifetime: ``scale = mean / Gamma(1 + 1/shape)``."""
        mean_a = _positive("mean", mean, "mean > 0 years")
        shape_a = _positive("shape", shape, "shape > 0")
        return cls(scale=mean_a / special.gamma(1.0 + 1.0 / shape_a), shape=shape_a)

    def mean(self) -> FloatArray:
        """Return the mean lifetime in years."""
        scale = np.asarray(self.scale, dtype=np.float64)
        shape = np.asarray(self.shape, dtype=np.float64)
        result: FloatArray = scale * special.gamma(1.0 + 1.0 / shape)
        return result

    def survival(self, age: FloatArray) -> FloatArray:
        """Return the share of a cohort still in use at ``age`` (years)."""
        scale = np.asarray(self.scale, dtype=np.float64)
        shape = np.asarray(self.shape, dtype=np.float64)
        result: FloatArray = np.exp(-np.power(age / scale, shape))
        return result


Lifetime: TypeAlias = Fixed | Normal | LogNormal | Weibull


def _parameters(lifetime: Lifetime) -> tuple[FloatArray, ...]:
    if isinstance(lifetime, Fixed):
        return (np.asarray(lifetime.mean, dtype=np.float64),)
    if isinstance(lifetime, Weibull):
        return tuple(np.asarray(p, dtype=np.float64) for p in (lifetime.scale, lifetime.shape))
    return tuple(np.asarray(p, dtype=np.float64) for p in (lifetime.mean, lifetime.std))


def survival_kernel(lifetime: Lifetime, n_years: int, dims: tuple[int, ...]) -> FloatArray:
    """Return ``S(a + 0.5)`` for ages ``a = 0 .. n_years - 1``, shape ``(n_years, *dims)``.

    Parameters
    ----------
    lifetime
        The distribution; each parameter is a scalar or an array that broadcasts to ``dims``
        (the extra dimensions of the stock: vehicle type, chemistry, region ...).
    n_years
        Number of years of the model.
    dims
        Shape of the extra dimensions.

    Raises
    ------
    InvalidLifetime
        A parameter does not broadcast to ``dims``.
    """
    for name, value in zip(("first", "second"), _parameters(lifetime), strict=False):
        try:
            np.broadcast_shapes(value.shape, dims)
        except ValueError:
            raise InvalidLifetime(
                f"{name} lifetime parameter of {type(lifetime).__name__} has shape "
                f"{value.shape}, which does not broadcast to the stock's extra dimensions "
                f"{dims}; give a scalar or an array of shape {dims} (or one that broadcasts)"
            ) from None
    ages = (np.arange(n_years, dtype=np.float64) + 0.5).reshape((n_years,) + (1,) * len(dims))
    return np.broadcast_to(lifetime.survival(ages), (n_years, *dims)).astype(np.float64)


def outflow_kernel(survival: FloatArray) -> FloatArray:
    """Return the share of a cohort leaving at each age, from its age kernel ``survival``.

    ``p[0] = 1 - S(0.5)`` and ``p[a] = S(a - 0.5) - S(a + 0.5)``: with the survivors this
    sums to one for every cohort, so the stock balances exactly.
    """
    pdf = np.empty_like(survival)
    pdf[0] = 1.0 - survival[0]
    pdf[1:] = survival[:-1] - survival[1:]
    return pdf


def cohort_matrix(kernel: FloatArray) -> FloatArray:
    """Return the year-by-cohort matrix ``(T, T, *dims)`` of an age kernel ``(T, *dims)``.

    Entry ``[t, c]`` is ``kernel[t - c]`` for ``t >= c`` and zero above the diagonal. The
    matrix is Toeplitz, so it is returned as a read-only strided view of the zero-padded
    kernel: building it copies nothing, and multiplying it by the inflow writes each cohort
    array exactly once.
    """
    n_years = kernel.shape[0]
    padded = np.concatenate([np.zeros((n_years - 1, *kernel.shape[1:])), kernel])
    # windows[i, ..., j] = padded[i + j]; entry [t, c] needs padded[n_years - 1 + t - c]
    windows = sliding_window_view(padded, n_years, axis=0)
    matrix: FloatArray = np.moveaxis(windows[..., ::-1], -1, 1)
    return matrix
