"""Dynamic stock models by cohort: inflow-driven and stock-driven, on plain arrays.

Arrays have time (whole, consecutive years) first, then any extra dimensions (vehicle type,
chemistry, region ...). The lifetime discretisation is described in
:mod:`sinergi.circularity.lifetimes` and equals flodym 1.1's default; the tests compare both
models with flodym to 1e-9.

Mass balance: ``stock[t] - stock[t-1] = inflow[t] - outflow[t]`` with ``stock[-1] = 0``,
exactly in exact arithmetic, because every cohort's survivors and leavers sum to its inflow.

Vectorisation: when no lifetime parameter varies by cohort, survival depends on age only, so
each parameter set gives one age kernel ``(T, 1, *dims)`` from one call of the survival
function. Totals are then the discrete convolution ``stock[t] = sum_a S(a + 0.5) inflow[t - a]``,
computed as one ``einsum`` over a strided (copy-free) window view of the inflow. A lifetime
that varies by cohort gives a kernel ``(T, T, *dims)`` indexed ``[age, cohort]``, and the sum
runs as one vectorised step per age. The cohort arrays ``(T, T, *dims)`` are written one
diagonal (one age) at a time, made on first access only, which keeps parameter sweeps cheap.
Ages past the kernel's support (every unit retired) are skipped throughout. The stock-driven
model solves the lower-triangular system by forward substitution, the only loop over years,
because the recurrence is sequential in time; each step is vectorised over all earlier cohorts
and every cell.

Negative inflow: inflows are never negative. An inflow-driven input with a negative entry is
refused. A stock series that falls faster than its cohorts retire would need a negative
inflow; with ``negative_inflow="raise"`` (default) that is an error naming the year and cell,
with ``"clip"`` that inflow is set to zero, the cell is flagged in
:attr:`StockResult.negative_inflow`, the stock actually held (above the target until the old
cohorts have retired) is returned in ``stock`` and the requested one in ``stock_target``.
Round-off negatives smaller than ``1e-12`` of the cell's largest stock are set to zero.

>>> import numpy as np
>>> from sinergi.circularity import Fixed, inflow_driven
>>> result = inflow_driven(np.array([10.0, 0.0, 0.0, 0.0]), Fixed(2))
>>> result.stock.tolist(), result.outflow.tolist()
([10.0, 10.0, 0.0, 0.0], [0.0, 0.0, 10.0, 0.0])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike, NDArray

from sinergi.circularity.lifetimes import (
    FloatArray,
    Lifetime,
    outflow_kernel,
    survival_kernel,
)
from sinergi.errors import InfeasibleStock, InvalidStockInput

NegativeInflowRule = Literal["raise", "clip"]
ROUND_OFF = 1e-12


@dataclass(frozen=True, eq=False)
class StockResult:
    """Stock, inflow and outflow per year, with cohort arrays built on demand.

    Attributes
    ----------
    inflow, outflow, stock
        Per year, shape ``(T, *dims)``.
    survival
        The lifetime kernel ``S_c(a + 0.5)`` by age and cohort, shape ``(T, C, *dims)`` with
        ``C = 1`` when the lifetime is the same for every cohort, else ``C = T``.
    negative_inflow
        ``True`` where a stock-driven model needed a negative inflow that was clipped to zero.
    stock_target
        The stock requested of a stock-driven model (``None`` for inflow-driven).
    """

    inflow: FloatArray
    outflow: FloatArray
    stock: FloatArray
    survival: FloatArray
    negative_inflow: NDArray[np.bool_]
    stock_target: FloatArray | None = None

    @cached_property
    def _cohorts(self) -> FloatArray:
        """Stock and outflow by cohort in one block ``(2, T, T, *dims)``.

        Entry ``[k, t, c]`` is ``kernel_k[t - c] * inflow[c]``: each diagonal ``t - c = a``
        is one product of an age's kernel row with the inflow, written through a strided
        view. Only the diagonals inside the kernels' support are written; the rest of the
        block stays as allocated by ``np.zeros``, whose untouched pages the OS supplies
        already zeroed. A fixed 15-year lifetime over 60 years so writes a quarter of the
        block, and no lifetime writes the upper triangle (cohorts not yet sold).

        One allocation instead of two: freeing two large arrays together lets the allocator
        hand their pages back to the OS, and faulting fresh pages in costs more than the
        arithmetic (on the project machine, two 8.8 MB arrays freed together took 2-7 ms to
        allocate and fill again, one 17.6 MB block 0.3-0.4 ms).
        """
        n_years = self.inflow.shape[0]
        kernels = (self.survival, outflow_kernel(self.survival))
        block = np.zeros((2, n_years, *self.inflow.shape))
        strides = block.strides
        for k, kernel in enumerate(kernels):
            for age in range(_support(kernel[np.newaxis])):
                diagonal: FloatArray = np.ndarray(
                    (n_years - age, *self.inflow.shape[1:]),
                    dtype=block.dtype,
                    buffer=block,
                    offset=k * strides[0] + age * strides[1],
                    strides=(strides[1] + strides[2], *strides[3:]),
                )
                # kernel[age, :n] is one row (C = 1, broadcast) or the cohorts 0..n-1
                cohorts = kernel[age, : n_years - age]
                np.multiply(cohorts, self.inflow[: n_years - age], out=diagonal)
        return block

    @property
    def stock_by_cohort(self) -> FloatArray:
        """Stock at the end of year ``t`` from cohort ``c``, shape ``(T, T, *dims)``."""
        result: FloatArray = self._cohorts[0]
        return result

    @property
    def outflow_by_cohort(self) -> FloatArray:
        """Outflow in year ``t`` from cohort ``c``, shape ``(T, T, *dims)``."""
        result: FloatArray = self._cohorts[1]
        return result

    def balance(self) -> FloatArray:
        """Return ``inflow - outflow - (stock[t] - stock[t-1])``; zero up to round-off."""
        change = np.diff(self.stock, axis=0, prepend=np.zeros_like(self.stock[:1]))
        result: FloatArray = self.inflow - self.outflow - change
        return result


def _series(name: str, values: ArrayLike) -> FloatArray:
    """Return ``values`` as a float array with time first, refusing bad entries by index."""
    try:
        array = np.array(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidStockInput(
            f"{name} must be a rectangular array of numbers (years first, then extra "
            "dimensions); rows of different lengths or non-numeric entries were given"
        ) from None
    if array.ndim == 0 or array.shape[0] == 0:
        raise InvalidStockInput(
            f"{name} must be an array with time (years) as its first axis; got shape {array.shape}"
        )
    for label, bad in (("not finite", ~np.isfinite(array)), ("negative", array < 0.0)):
        if bad.any():
            index = tuple(int(i) for i in np.argwhere(bad)[0])
            raise InvalidStockInput(
                f"{name}[{', '.join(map(str, index))}] is {label} ({array[index]!r}); "
                f"{name} must be finite and >= 0 (index = year, then extra dimensions)"
            )
    return array


def _support(kernels: FloatArray) -> int:
    """Return how many leading ages of ``kernels`` ``(K, T, *dims)`` hold a non-zero entry.

    Survival never rises with age, so beyond the last non-zero age every cohort has left:
    a fixed lifetime of ``L`` years has support ``L`` (survival) and ``L + 1`` (outflow).
    Sums and products over ages stop there instead of at ``T``.
    """
    ages = np.flatnonzero(np.any(kernels != 0.0, axis=(0, *range(2, kernels.ndim))))
    return int(ages[-1]) + 1 if ages.size else 1


def _convolve(kernels: Sequence[FloatArray], flows: FloatArray) -> FloatArray:
    """Return ``sum_{a<=t} kernels[k][a, t - a] * flows[t - a]``, shape ``(K, T, *dims)``.

    Each kernel has shape ``(T, C, *dims)`` (age, then cohort). With ``C = 1`` a window view
    of the zero-padded flows puts ``flows[t - a]`` at ``[t, ..., w - 1 - a]`` without
    copying, so one ``einsum`` against the age-reversed kernels does every cohort, year and
    cell at once; ``w`` is the kernels' support (:func:`_support`), so ages where every kernel
    is zero cost nothing. A kernel that varies by cohort adds each age's cohorts in one step,
    and is never copied into a stack (it is as large as a cohort array).
    """
    if kernels[0].shape[1] == 1:
        stacked = np.stack(kernels)
        width = _support(stacked)
        padded = np.concatenate([np.zeros((width - 1, *flows.shape[1:])), flows])
        windows = sliding_window_view(padded, width, axis=0)
        ages = stacked[:, width - 1 :: -1, 0]
        result: FloatArray = np.einsum("t...j,kj...->kt...", windows, ages)
        return result
    n_years = flows.shape[0]
    total = np.zeros((len(kernels), *flows.shape))
    for k, kernel in enumerate(kernels):
        for age in range(_support(kernel[np.newaxis])):
            total[k, age:] += kernel[age, : n_years - age] * flows[: n_years - age]
    return total


def inflow_driven(inflow: ArrayLike, lifetime: Lifetime) -> StockResult:
    """Return the stock and outflow that follow from an inflow series and a lifetime.

    Parameters
    ----------
    inflow
        Units entering use per year, shape ``(T, *dims)``, finite and >= 0.
    lifetime
        A :mod:`~sinergi.circularity.lifetimes` distribution whose parameters broadcast to
        ``dims``.

    Raises
    ------
    InvalidStockInput
        An inflow entry is negative or not finite (the message names its index).
    InvalidLifetime
        A lifetime parameter is out of range or does not broadcast to ``dims``.
    """
    flows = _series("inflow", inflow)
    kernel = survival_kernel(lifetime, flows.shape[0], flows.shape[1:])
    stock, outflow = _convolve((kernel, outflow_kernel(kernel)), flows)
    return StockResult(
        inflow=flows,
        outflow=outflow,
        stock=stock,
        survival=kernel,
        negative_inflow=np.zeros(flows.shape, dtype=np.bool_),
    )


def stock_driven(
    stock: ArrayLike, lifetime: Lifetime, *, negative_inflow: NegativeInflowRule = "raise"
) -> StockResult:
    """Return the inflow and outflow that keep a given stock in use.

    Parameters
    ----------
    stock
        Units in use at the end of each year, shape ``(T, *dims)``, finite and >= 0.
    lifetime
        A lifetime distribution whose parameters broadcast to ``dims``.
    negative_inflow
        ``"raise"`` refuses a stock that would need a negative inflow; ``"clip"`` sets that
        inflow to zero and flags it (see the module docstring).

    Raises
    ------
    InfeasibleStock
        The stock falls faster than its cohorts retire (with ``"raise"``), or a lifetime is so
        short that nothing survives the year of inflow, so no inflow can hold a stock.
    """
    target = _series("stock", stock)
    n_years = target.shape[0]
    kernel = survival_kernel(lifetime, n_years, target.shape[1:])
    first = kernel[0]
    if (first <= 0.0).any():
        cohort, *cell = (int(i) for i in np.argwhere(first <= 0.0)[0])
        where = f"cell {tuple(cell)}" + (f", cohort index {cohort}" if first.shape[0] > 1 else "")
        raise InfeasibleStock(
            f"no unit survives to the end of its year of inflow in {where} (survival at "
            "age 0.5 is 0), so no inflow can hold a stock; use a lifetime above half a year"
        )
    inflow = _forward_substitution(target, kernel, negative_inflow)
    flagged = inflow.flagged
    if flagged.any():  # clipped inflows: the stock held differs from the target
        held, outflow = _convolve((kernel, outflow_kernel(kernel)), inflow.values)
    else:
        held, outflow = target, _convolve((outflow_kernel(kernel),), inflow.values)[0]
    return StockResult(
        inflow=inflow.values,
        outflow=outflow,
        stock=held,
        survival=kernel,
        negative_inflow=flagged,
        stock_target=target,
    )


@dataclass(frozen=True)
class _Inflow:
    values: FloatArray
    flagged: NDArray[np.bool_]


def _forward_substitution(
    target: FloatArray, kernel: FloatArray, rule: NegativeInflowRule
) -> _Inflow:
    """Solve ``sum_{c<=t} kernel[t-c] inflow[c] = target[t]`` for the inflow, year by year.

    The first pass does not look at signs (the common case needs no clipping); if it found
    an inflow below ``-tolerance``, a second pass clips year by year, so later years see the
    cohorts that were actually added.
    """
    tolerance = ROUND_OFF * np.max(target, axis=0)
    inflow = _substitute(target, kernel, tolerance, clip=False)
    negative = inflow < -tolerance
    if not negative.any():
        return _Inflow(np.maximum(inflow, 0.0), negative)
    if rule == "raise":
        year = int(np.argwhere(negative)[0][0])
        _refuse(year, inflow[year], negative[year])
    flagged = np.zeros(target.shape, dtype=np.bool_)
    return _Inflow(_substitute(target, kernel, tolerance, clip=True, flagged=flagged), flagged)


def _substitute(
    target: FloatArray,
    kernel: FloatArray,
    tolerance: FloatArray,
    *,
    clip: bool,
    flagged: NDArray[np.bool_] | None = None,
) -> FloatArray:
    """Forward substitution on a kernel ``(T, C, *dims)``; see :func:`_forward_substitution`."""
    inflow = np.zeros_like(target)
    width = _support(kernel[np.newaxis])
    by_cohort = kernel.shape[1] > 1
    for year in range(target.shape[0]):
        first = max(0, year - width + 1)  # older cohorts have all left
        if by_cohort:  # survival now of each earlier cohort c: kernel[year - c, c]
            cohorts = np.arange(first, year)
            alive = kernel[year - cohorts, cohorts]
        else:  # one age kernel: a reversed view of ages year - first .. 1
            alive = kernel[year - first : 0 : -1, 0]
        carried = np.einsum("c...,c...->...", alive, inflow[first:year])
        inflow[year] = (target[year] - carried) / kernel[0, year if by_cohort else 0]
        if clip and flagged is not None:
            flagged[year] = inflow[year] < -tolerance
            inflow[year] = np.maximum(inflow[year], 0.0)
    return inflow


def _refuse(year: int, needed: FloatArray, negative: NDArray[np.bool_]) -> None:
    cell = tuple(int(i) for i in np.argwhere(negative)[0]) if negative.ndim else ()
    where = f"year index {year}" + (f", cell {cell}" if cell else "")
    raise InfeasibleStock(
        f"the stock at {where} falls faster than its cohorts retire: it would need an "
        f"inflow of {float(needed[cell]):.6g}. Smooth the stock series, shorten the lifetime, "
        'or pass negative_inflow="clip" to clip to zero and flag it'
    )
