"""One pint registry for the whole package, and conversion to canonical units.

Indonesian forms write "ton" for the metric tonne; pint's ``ton`` is the US short ton, so
the registry redefines ``ton`` (and ``tonne``) as 1000 kg. Conversion factors are cached
per (unit, canonical unit) pair so intake of large files never calls pint per row.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache, lru_cache
from typing import Any

import pint

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

_DEFINITIONS = """
ton = 1000 * kilogram = _ = tonne_id
kt = 1000 * tonne
Mt = 1000000 * tonne
m3 = meter ** 3
Nm3 = meter ** 3
item = [item] = unit = pcs = buah
"""

#: Spellings users type that pint does not know, mapped to pint names.
_ALIASES: dict[str, str] = {
    "ton": "tonne",
    "tons": "tonne",
    "tonnes": "tonne",
    "t": "tonne",
    "kl": "kiloliter",
    "kL": "kiloliter",
    "m³": "m3",
    "liter": "liter",
    "litre": "liter",
    "l": "liter",
    "L": "liter",
    "MWh": "megawatt_hour",
    "kWh": "kilowatt_hour",
    "GWh": "gigawatt_hour",
    "GJ": "gigajoule",
    "TJ": "terajoule",
    "MJ": "megajoule",
    "ha": "hectare",
    "m2": "meter ** 2",
    "km2": "kilometer ** 2",
}


@cache
def registry() -> Any:
    """Return the package-wide unit registry (built once, on first use)."""
    ureg: Any = pint.UnitRegistry(on_redefinition="ignore")
    for line in _DEFINITIONS.strip().splitlines():
        ureg.define(line)
    return ureg


def _pint_name(unit: str) -> str:
    text = unit.strip()
    return _ALIASES.get(text, _ALIASES.get(text.lower(), text))


@lru_cache(maxsize=4096)
def conversion_factor(unit: str, dimension: Dimension) -> float:
    """Return the factor that converts ``unit`` to the canonical unit of ``dimension``.

    Raises
    ------
    UnitError
        If the unit is unknown or has another dimension (e.g. ``MWh`` for a mass).
    """
    if dimension is Dimension.COUNT:
        if unit.strip().lower() in {"item", "items", "unit", "units", "pcs", "buah", "1", ""}:
            return 1.0
        raise UnitError(f"unit {unit!r} is not a count; use 'item'")
    ureg = registry()
    canonical = _pint_name(CANONICAL_UNIT[dimension])
    try:
        quantity = ureg.Quantity(1.0, _pint_name(unit))
        return float(quantity.to(canonical).magnitude)
    except pint.errors.UndefinedUnitError as exc:
        raise UnitError(
            f"unknown unit {unit!r}; use a unit such as {CANONICAL_UNIT[dimension]!r}"
        ) from exc
    except pint.errors.DimensionalityError as exc:
        raise UnitError(
            f"unit {unit!r} is not a {dimension.value} unit; "
            f"use a unit such as {CANONICAL_UNIT[dimension]!r}"
        ) from exc
    except (AttributeError, TypeError, ValueError, AssertionError) as exc:
        # pint raises assorted parse errors on free text such as "5 kg" or "t/"
        raise UnitError(f"cannot read unit {unit!r}; write a plain unit such as 't'") from exc


def to_canonical(value: float, unit: str, dimension: Dimension) -> float:
    """Convert ``value`` in ``unit`` to the canonical unit of ``dimension``."""
    return value * conversion_factor(unit, dimension)
