"""Units people write on forms, and their exact conversion to canonical units.

A unit is looked up in a fixed table per quantity kind (mass, energy, volume, area, count);
nothing is evaluated, so a cell such as ``9**9**9*t`` or ``pi*t`` is simply an unknown unit.
Every factor is an exact :class:`~fractions.Fraction` (SI prefixes and definitions only), and
:func:`to_canonical` rounds once, from the exact product to the nearest float, refusing a
result that is not a finite, normal float (it would be stored as infinity or lose digits).

Spellings are matched exactly first (``Mt`` is a million tonnes, ``mL`` a millilitre), then
ignoring case when that is unambiguous (``KWH``, ``Ton``). Indonesian forms write ``ton`` for the
metric tonne (1000 kg), and so does sinergi; the US short ton (``short_ton``) and the long ton
are not accepted at all. ``MT`` is refused: trade documents use it for metric tonnes, SI for
megatonnes.

    >>> to_canonical(1500.0, "kg", Dimension.MASS)
    1.5
    >>> conversion_factor("GJ", Dimension.ENERGY)
    Fraction(5, 18)
"""

from __future__ import annotations

import math
import sys
from enum import StrEnum
from fractions import Fraction
from functools import cache, lru_cache

from sinergi.errors import UnitError


class Dimension(StrEnum):
    """Physical dimension of a commodity; each has one canonical unit."""

    MASS = "mass"
    ENERGY = "energy"
    VOLUME = "volume"
    AREA = "area"
    COUNT = "count"


#: Canonical unit per dimension; every stored quantity is in one of these.
CANONICAL_UNIT: dict[Dimension, str] = {
    Dimension.MASS: "t",
    Dimension.ENERGY: "MWh",
    Dimension.VOLUME: "m3",
    Dimension.AREA: "ha",
    Dimension.COUNT: "item",
}

_MWH_IN_JOULES = Fraction(3_600_000_000)  # 1 MWh = 3.6e9 J by the definition of the watt-hour

#: Accepted spellings per dimension -> exact factor to the canonical unit.
UNITS: dict[Dimension, dict[str, Fraction]] = {
    Dimension.MASS: {
        **dict.fromkeys(("t", "ton", "tons", "tonne", "tonnes", "metric ton"), Fraction(1)),
        **dict.fromkeys(("kg", "kilogram", "kilograms", "kilo"), Fraction(1, 1000)),
        **dict.fromkeys(("g", "gram", "grams"), Fraction(1, 1_000_000)),
        **dict.fromkeys(("kt", "kiloton", "kilotonne", "kilotonnes"), Fraction(1000)),
        **dict.fromkeys(("Mt", "megatonne", "megatonnes"), Fraction(10**6)),
        **dict.fromkeys(("Gt", "gigatonne", "gigatonnes"), Fraction(10**9)),
    },
    Dimension.ENERGY: {
        "Wh": Fraction(1, 10**6),
        "kWh": Fraction(1, 1000),
        "MWh": Fraction(1),
        "GWh": Fraction(1000),
        "TWh": Fraction(10**6),
        "J": 1 / _MWH_IN_JOULES,
        "kJ": 10**3 / _MWH_IN_JOULES,
        "MJ": 10**6 / _MWH_IN_JOULES,
        "GJ": 10**9 / _MWH_IN_JOULES,
        "TJ": 10**12 / _MWH_IN_JOULES,
        "PJ": 10**15 / _MWH_IN_JOULES,
    },
    Dimension.VOLUME: {
        # Nm3 (normal cubic metre, gas at 0 °C and 1 atm) is stored as m3 as given: no
        # conversion to other conditions is made.
        **dict.fromkeys(
            ("m3", "m³", "m^3", "cubic metre", "cubic meter", "Nm3", "Nm³"), Fraction(1)
        ),
        **dict.fromkeys(("L", "l", "liter", "litre", "liters", "litres"), Fraction(1, 1000)),
        **dict.fromkeys(
            ("kL", "kl", "kiloliter", "kilolitre", "kiloliters", "kilolitres"), Fraction(1)
        ),
        **dict.fromkeys(("ML", "megaliter", "megalitre"), Fraction(1000)),
        **dict.fromkeys(("mL", "milliliter", "millilitre"), Fraction(1, 10**6)),
    },
    Dimension.AREA: {
        **dict.fromkeys(("ha", "hectare", "hectares", "hektar"), Fraction(1)),
        **dict.fromkeys(("m2", "m²", "m^2", "square metre", "square meter"), Fraction(1, 10_000)),
        **dict.fromkeys(("km2", "km²", "km^2"), Fraction(100)),
    },
    Dimension.COUNT: dict.fromkeys(
        ("item", "items", "unit", "units", "pcs", "pc", "piece", "pieces", "buah"), Fraction(1)
    ),
}

#: Case-folded spellings refused as ambiguous, with the advice given.
AMBIGUOUS: dict[str, str] = {
    "mt": "'MT' means metric tonnes in trade but megatonnes in SI; write t or Mt",
    "ml": "write mL for millilitres or ML for megalitres",
}

_SMALLEST_NORMAL = sys.float_info.min


def _normal(unit: str) -> str:
    return " ".join(unit.split())


@cache
def _folded() -> dict[str, tuple[Dimension, str] | None]:
    """Return case-folded spelling -> (dimension, exact spelling), ``None`` when ambiguous."""
    out: dict[str, tuple[Dimension, str] | None] = {}
    for dimension, table in UNITS.items():
        for spelling in table:
            key = spelling.casefold()
            if key in out and out[key] != (dimension, spelling):
                out[key] = None
            else:
                out.setdefault(key, (dimension, spelling))
    for key in AMBIGUOUS:
        out[key] = None
    return out


@lru_cache(maxsize=1024)
def lookup(unit: str) -> tuple[Dimension, Fraction] | None:
    """Return the dimension and exact factor of a unit spelling, or ``None`` if unknown.

    Raises
    ------
    UnitError
        If the spelling is ambiguous (``MT``, ``ml``) and so refused.
    """
    text = _normal(unit)
    for dimension, table in UNITS.items():
        if text in table:
            return dimension, table[text]
    folded = text.casefold()
    if folded in AMBIGUOUS:
        raise UnitError(f"unit {unit!r} is ambiguous: {AMBIGUOUS[folded]}", reason="ambiguous")
    found = _folded().get(folded)
    if found is None:
        return None
    dimension, spelling = found
    return dimension, UNITS[dimension][spelling]


def conversion_factor(unit: str, dimension: Dimension) -> Fraction:
    """Return the exact factor that converts ``unit`` to the canonical unit of ``dimension``.

    Raises
    ------
    UnitError
        If the unit is unknown, ambiguous or has another dimension (``MWh`` for a mass);
        ``reason`` is ``"unknown"``, ``"ambiguous"`` or ``"dimension"``.
    """
    found = lookup(unit)
    if found is None:
        raise UnitError(
            f"unknown unit {unit!r}; use a unit such as {CANONICAL_UNIT[dimension]!r}",
            reason="unknown",
        )
    measured, factor = found
    if measured is not dimension:
        raise UnitError(
            f"unit {unit!r} is not a {dimension.value} unit (it measures {measured.value}); "
            f"use a unit such as {CANONICAL_UNIT[dimension]!r}",
            reason="dimension",
            measures=measured,
        )
    return factor


def to_canonical(value: float | Fraction, unit: str, dimension: Dimension) -> float:
    """Convert ``value`` in ``unit`` to the canonical unit of ``dimension``, rounding once.

    Raises
    ------
    UnitError
        If the unit is not accepted (see :func:`conversion_factor`), or the converted value
        is not finite or too small to store (``reason="range"``).
    """
    factor = conversion_factor(unit, dimension)
    if isinstance(value, float) and not math.isfinite(value):
        raise UnitError(f"{value} is not a finite number", reason="range")
    exact = Fraction(value) * factor
    try:
        result = float(exact)
    except OverflowError:
        result = math.inf
    if not math.isfinite(result) or (result != 0 and abs(result) < _SMALLEST_NORMAL):
        raise UnitError(
            f"{value} {unit} is out of the range that can be stored in {CANONICAL_UNIT[dimension]}",
            reason="range",
        )
    return result


#: Units named in messages as examples of each dimension.
EXAMPLES: dict[Dimension, tuple[str, ...]] = {
    Dimension.MASS: ("t", "kg", "kt", "Mt"),
    Dimension.ENERGY: ("kWh", "MWh", "GWh", "GJ", "TJ"),
    Dimension.VOLUME: ("m3", "L", "kL", "Nm3"),
    Dimension.AREA: ("ha", "m2", "km2"),
    Dimension.COUNT: ("item", "pcs", "buah"),
}


def accepted_units(dimension: Dimension) -> tuple[str, ...]:
    """Return every accepted spelling of a dimension."""
    return tuple(UNITS[dimension])
