"""Build a :class:`~sinergi.national.registry.Registry` from plain rows, and rows from one.

The io layer reads files into plain rows (mappings of column keys to typed values); these two
functions turn such rows into the engine's types and back, so that a registry written out
reads back unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, fields
from typing import Any

from sinergi.national.registry import (
    Certifications,
    Fuel,
    Licence,
    PowerUnit,
    Production,
    Registry,
    Route,
    Smelter,
    Status,
)

__all__ = ["registry_from_rows", "registry_rows"]

Rows = Mapping[str, Sequence[Mapping[str, Any]]]


def _known(cls: type, row: Mapping[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in row.items() if k in names and v is not None}


def _smelter(row: Mapping[str, Any]) -> Smelter:
    data = _known(Smelter, row)
    data["route"] = Route(data["route"])
    data["status"] = Status(data["status"])
    if "licence" in data:
        data["licence"] = Licence(data["licence"])
    data["certifications"] = Certifications(
        sih=row.get("sih"), irma=row.get("irma"), iso14001=row.get("iso14001")
    )
    data["synthetic"] = bool(row.get("synthetic"))
    return Smelter(**data)


def _unit(row: Mapping[str, Any]) -> PowerUnit:
    data = _known(PowerUnit, row)
    data["fuel"] = Fuel(row.get("fuel") or Fuel.COAL)  # the GEM coal tracker has no fuel column
    data["status"] = Status(data["status"])
    data["synthetic"] = bool(row.get("synthetic"))
    return PowerUnit(**data)


def _production(row: Mapping[str, Any]) -> Production:
    data = _known(Production, row)
    data["synthetic"] = bool(row.get("synthetic"))
    return Production(**data)


def registry_from_rows(rows: Rows) -> Registry:
    """Return the registry of ``smelters``, ``units`` and ``production`` rows.

    Raises
    ------
    RegistryError
        When the rows are inconsistent (the io readers check this first, with places).
    """
    return Registry(
        tuple(_smelter(r) for r in rows.get("smelters", ())),
        tuple(_unit(r) for r in rows.get("units", ())),
        tuple(_production(r) for r in rows.get("production", ())),
    )


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") and not isinstance(value, float) else value


def registry_rows(registry: Registry) -> dict[str, list[dict[str, Any]]]:
    """Return the registry as plain rows, the template's sheets and column keys."""
    smelters = []
    for smelter in registry.smelters:
        data = {k: _plain(v) for k, v in asdict(smelter).items() if k != "certifications"}
        data.update(asdict(smelter.certifications))
        smelters.append(data)
    return {
        "smelters": smelters,
        "captive_units": [{k: _plain(v) for k, v in asdict(u).items()} for u in registry.units],
        "production": [asdict(p) for p in registry.production],
    }
