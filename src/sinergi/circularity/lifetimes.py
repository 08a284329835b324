"""Lifetime distributions of products in use, discretised on whole years.

Discretisation (the same as flodym 1.1 with annual time steps, ``inflow_at="middle"`` and one
quadrature point, its default): the inflow of year ``c`` enters the stock at the middle of
that year and the stock of year ``t`` is read at the end of it, so a unit of cohort ``c`` is
still in use at the end of year ``t >= c`` with probability

    sf[t, c] = S_c(t - c + 0.5),

where ``S_c`` is the survival function of the lifetime distribution of cohort ``c``. The share
that leaves in its own year is ``1 - S_c(0.5)`` and in year ``t > c`` it is
``S_c(t - c - 0.5) - S_c(t - c + 0.5)``; these sum with the survivors to exactly one, which is
what makes the stock model balance.

Parameter shapes follow flodym's: a parameter broadcasts (numpy's rules, aligned on the right)
to the stock's full shape ``(T, *dims)``. One with fewer axes than that is the same for every
cohort (it varies by the extra dimensions only: vehicle type, chemistry, region ...); one with
the full number of axes and a first axis of length ``T`` varies **by cohort** (the year of
inflow), as battery lifetimes do when packs improve. Anything else is refused with
:class:`~sinergi.errors.InvalidLifetime` naming the shapes.

Each parameter set is evaluated once per age (and per cohort only when a parameter varies by
cohort), giving a *lifetime kernel* of shape ``(T, C, *dims)`` indexed ``[age, cohort]`` with
``C = 1`` (the same for every cohort) or ``C = T``; the cohort matrices are gathered from it.

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


def _parameters(lifetime: Lifetime) -> dict[str, FloatArray]:
    if isinstance(lifetime, Fixed):
        return {"mean": np.asarray(lifetime.mean, dtype=np.float64)}
    if isinstance(lifetime, Weibull):
        return {
            "scale": np.asarray(lifetime.scale, dtype=np.float64),
            "shape": np.asarray(lifetime.shape, dtype=np.float64),
        }
    return {
        "mean": np.asarray(lifetime.mean, dtype=np.float64),
        "std": np.asarray(lifetime.std, dtype=np.float64),
    }


def cohorts_of(lifetime: Lifetime, n_years: int, dims: tuple[int, ...]) -> int:
    """Return ``n_years`` if a parameter varies by cohort, else 1, checking every shape.

    A parameter must broadcast to the stock's shape ``(n_years, *dims)`` without growing it;
    it varies by cohort when it has as many axes as the stock and a first axis of
    ``n_years`` (flodym's form of a lifetime with a time dimension).

    Raises
    ------
    InvalidLifetime
        A parameter does not broadcast to ``(n_years, *dims)``; the message names its shape,
        the stock's shape and the shapes that are accepted.
    """
    full = (n_years, *dims)
    cohorts = 1
    for name, value in _parameters(lifetime).items():
        try:
            fits = np.broadcast_shapes(value.shape, full) == full
        except ValueError:
            fits = False
        if not fits:
            raise InvalidLifetime(
                f"lifetime parameter {name!r} of {type(lifetime).__name__} has shape "
                f"{value.shape}, which does not broadcast to the stock's shape {full} (years, "
                f"then extra dimensions); give a scalar, an array that broadcasts to {dims} "
                f"(the same for every cohort) or one of shape {full} (varying by cohort)"
            )
        if value.ndim == len(full) and value.shape[0] == n_years:
            cohorts = n_years
    return cohorts


def survival_kernel(lifetime: Lifetime, n_years: int, dims: tuple[int, ...]) -> FloatArray:
    """Return ``S_c(a + 0.5)`` by age ``a`` and cohort ``c``, shape ``(n_years, C, *dims)``.

    Parameters
    ----------
    lifetime
        The distribution; each parameter is a scalar or an array that broadcasts to ``dims``
        (the extra dimensions of the stock: vehicle type, chemistry, region ...), or to
        ``(n_years, *dims)`` for a lifetime that varies by cohort (see the module docstring).
    n_years
        Number of years of the model.
    dims
        Shape of the extra dimensions.

    Returns
    -------
    numpy.ndarray
        ``C`` is 1 when no parameter varies by cohort (one age kernel serves every cohort),
        else ``n_years``.

    Raises
    ------
    InvalidLifetime
        A parameter does not broadcast to ``(n_years, *dims)``.
    """
    cohorts = cohorts_of(lifetime, n_years, dims)
    # ages on axis 0; the parameters broadcast from the right over (cohort, *dims)
    ages = (np.arange(n_years, dtype=np.float64) + 0.5).reshape((n_years,) + (1,) * (len(dims) + 1))
    survival = lifetime.survival(ages)
    full = (n_years, cohorts, *dims)
    if survival.shape == full and survival.dtype == np.float64:
        return survival  # already a new array of the kernel's shape: no copy needed
    return np.broadcast_to(survival, full).astype(np.float64)


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
    """Return the year-by-cohort matrix ``(T, T, *dims)`` of a kernel ``(T, C, *dims)``.

    Entry ``[t, c]`` is ``kernel[t - c, c]`` (``kernel[t - c, 0]`` when ``C = 1``) for
    ``t >= c`` and zero above the diagonal. With ``C = 1`` the matrix is Toeplitz and is
    returned as a read-only strided view of the zero-padded age kernel (building it copies
    nothing); a kernel that varies by cohort is gathered into a new array, one age at a time.
    """
    n_years, cohorts = kernel.shape[:2]
    if cohorts == 1:
        ages = kernel[:, 0]
        padded = np.concatenate([np.zeros((n_years - 1, *ages.shape[1:])), ages])
        # windows[i, ..., j] = padded[i + j]; entry [t, c] needs padded[n_years - 1 + t - c]
        windows = sliding_window_view(padded, n_years, axis=0)
        view: FloatArray = np.moveaxis(windows[..., ::-1], -1, 1)
        return view
    matrix = np.zeros((n_years, n_years, *kernel.shape[2:]))
    cohort = np.arange(n_years)
    for age in range(n_years):
        matrix[cohort[age:], cohort[: n_years - age]] = kernel[age, : n_years - age]
    return matrix
