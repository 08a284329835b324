"""Exact arithmetic for shares compared with band edges and benchmarks.

A share computed in binary floating point lands on the wrong side of a band edge: 71.4 ha of
plots in a 102 ha estate is exactly 70 %, but ``100 * 71.4 / 102`` is ``70.00000000000001``,
which "at most 70 %" refuses. Comparisons therefore use the decimal numbers people entered,
as exact fractions: each stored value is read back as the shortest decimal that gives the same
float (``repr``), which is what was typed, and sums and ratios are taken in rational
arithmetic. Digits beyond the 12th significant one are dropped first: they are the residue of
unit conversion (714,000 m² arrives as 71.39999999999999 ha), never data a person entered.

>>> exact_share([71.4], [102.0])
Fraction(70, 1)
>>> 100 * 71.4 / 102 > 70
True
>>> entered(71.39999999999999)
Fraction(357, 5)
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal, Inexact, localcontext
from fractions import Fraction

#: Significant digits kept from a stored float; the rest is conversion noise.
SIGNIFICANT_DIGITS = 12


#: Digits of the decimal context that adds entered values: enough that no sum of them rounds
#: (the ``Inexact`` trap proves it, case by case).
_SUM_DIGITS = 200


def _decimal(value: float | int | Decimal) -> Decimal:
    """Return the decimal number a stored value was entered as (see the module docstring)."""
    if isinstance(value, float) and not math.isfinite(value):
        msg = f"{value!r} is not a finite number"
        raise ValueError(msg)
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    if len(number.as_tuple().digits) > SIGNIFICANT_DIGITS:
        with localcontext() as ctx:
            ctx.prec = SIGNIFICANT_DIGITS
            ctx.traps[Inexact] = False  # dropping the residue is the point here
            number = +number
    return number


def entered(value: float | int | Decimal) -> Fraction:
    """Return the decimal number a stored value was entered as, as an exact fraction.

    Raises
    ------
    ValueError
        For an infinite or NaN value, which no one enters.
    """
    return Fraction(_decimal(value))


def exact_sum(values: Iterable[float]) -> Fraction:
    """Return the exact sum of entered values.

    The values are added as decimals (fast, in C) in a context so wide that no sum rounds; the
    ``Inexact`` trap makes sure of it, so the result is exact or an error, never a rounded sum.
    """
    with localcontext() as ctx:
        ctx.prec = _SUM_DIGITS
        ctx.traps[Inexact] = True
        total = sum((_decimal(v) for v in values), Decimal(0))
    return Fraction(total)


def exact_share(part: Iterable[float], whole: Iterable[float]) -> Fraction:
    """Return ``sum(part)`` as an exact percentage of ``sum(whole)``.

    Raises
    ------
    ZeroDivisionError
        When the whole is zero; callers report that as insufficient data first.
    """
    return 100 * exact_sum(part) / exact_sum(whole)
