"""Emission factors for indicators, loaded from ``data/factors/emission_factors.yaml``.

Each factor keeps its source, year and status so that a result can say where its number
came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True, slots=True)
class Factor:
    """One emission factor with its provenance."""

    value: float
    unit: str
    year: str
    source: str
    status: str = "S"
    #: how the value was derived or which part of the source it is, in English and Indonesian
    note: str | None = None
    note_id: str | None = None


@dataclass(frozen=True, slots=True)
class Factors:
    """GWP-100 values and electricity emission factors by grid node."""

    version: str
    gwp100: dict[str, float]
    gwp_basis: str
    grid: dict[str, Factor]
    captive_coal: Factor


@cache
def default_factors() -> Factors:
    """Return the shipped factors."""
    text = (
        resources.files("sinergi.data.factors").joinpath("emission_factors.yaml").read_text("utf-8")
    )
    doc = yaml.safe_load(text)
    grid = {
        row["node"]: Factor(
            float(row["value"]),
            row["unit"],
            str(row["year"]),
            row["source"],
            row.get("status", "S"),
            row.get("note"),
            row.get("note_id"),
        )
        for row in doc["grid_electricity"]
    }
    coal = doc["captive_coal_electricity"]
    return Factors(
        version=str(doc["version"]),
        gwp100={k: float(v) for k, v in doc["gwp100"]["values"].items()},
        gwp_basis=doc["gwp100"]["basis"],
        grid=grid,
        captive_coal=Factor(
            float(coal["value"]),
            coal["unit"],
            str(coal["year"]),
            coal["source"],
            coal.get("status", "S"),
            coal.get("note"),
            coal.get("note_id"),
        ),
    )
