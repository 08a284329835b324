"""Battery passport content after the Battery Pass v1.2 aspect models, filtered per audience.

:func:`build` assembles the seven aspects (GeneralProductInformation, CarbonFootprintForBatteries,
Circularity, MaterialComposition, PerformanceAndDurability, Labeling, SupplyChainDueDiligence)
from plain data: the manufacturer's facts about the pack (:class:`PackFacts`), the carbon
footprint declaration (the footprint engine's ``to_passport()`` fields, passed in as a
mapping) and the recycled content the custody ledger supports (passed in as shares). A value
sinergi does not have is left out, never invented; :func:`missing` lists the attributes the
regulation makes mandatory for the battery's category that the passport still lacks.
:func:`for_audience` keeps only the paths an audience may read (see
:mod:`sinergi.passport.attributes`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sinergi.errors import PassportError
from sinergi.passport.attributes import Attribute, Audience, attributes, visible_paths

__all__ = ["ASPECTS", "Address", "PackFacts", "Party", "build", "for_audience", "missing"]

#: The aspects, in the data model's order.
ASPECTS = (
    "GeneralProductInformation",
    "CarbonFootprintForBatteries",
    "Circularity",
    "MaterialComposition",
    "PerformanceAndDurability",
    "Labeling",
    "SupplyChainDueDiligence",
)
_PASSPORT_ID = re.compile(r"^urn:[a-z0-9]+:[a-z0-9]+$")


class Address(BaseModel):
    """A postal address (schema.org PostalAddress as the data model uses it)."""

    model_config = ConfigDict(extra="forbid")

    addressCountry: str  # noqa: N815 - the data model's name
    postalCode: str  # noqa: N815
    streetAddress: str  # noqa: N815


class Party(BaseModel):
    """A manufacturer or operator: name, address, identifier."""

    model_config = ConfigDict(extra="forbid")

    contactName: str  # noqa: N815
    postalAddress: Address  # noqa: N815
    identifier: str


class PackFacts(BaseModel):
    """What the pack's manufacturer states (everything optional except the identifiers).

    ``performance`` holds Battery Pass ``batteryTechicalProperties`` values under their data
    model names (e.g. ``ratedCapacity`` in Ah, ``nominalVoltage`` in V); ``illustrative``
    marks facts made up for a demonstration.
    """

    model_config = ConfigDict(extra="forbid")

    pack_id: str
    passport_id: str
    category: Literal["ev", "lmt", "industrial", "stationary"]
    chemistry_short: str
    chemistry_clear: str
    manufacturer: Party | None = None
    manufacturing_place: Address | None = None
    manufacturing_date: str | None = None
    status: Literal["Original", "Repurposed", "Reused", "Remanufactured", "Waste"] = "Original"
    mass_kg: float | None = Field(default=None, gt=0)
    performance: dict[str, float] = Field(default_factory=dict)
    due_diligence_report: str | None = None
    declaration_of_conformity: str | None = None
    illustrative: bool = False

    @field_validator("passport_id")
    @classmethod
    def _passport_id(cls, value: str) -> str:
        if not _PASSPORT_ID.match(value):
            msg = f"passport id {value!r} must look like urn:<namespace>:<id> (a-z, 0-9)"
            raise ValueError(msg)
        return value


def _general(facts: PackFacts) -> dict[str, Any]:
    out: dict[str, Any] = {
        "productIdentifier": facts.pack_id,
        "batteryPassportIdentifier": facts.passport_id,
        "batteryCategory": facts.category,
        "batteryStatus": facts.status,
    }
    if facts.manufacturer is not None:
        out["manufacturerInformation"] = facts.manufacturer.model_dump()
    if facts.manufacturing_place is not None:
        out["manufacturingPlace"] = facts.manufacturing_place.model_dump()
    if facts.manufacturing_date is not None:
        out["manufacturingDate"] = facts.manufacturing_date
    if facts.mass_kg is not None:
        out["batteryMass"] = facts.mass_kg
    return out


def _carbon(carbon: Mapping[str, Any] | None) -> dict[str, Any]:
    if not carbon:
        return {}
    out: dict[str, Any] = {}
    if carbon.get("batteryCarbonFootprint") is not None:
        out["batteryCarbonFootprint"] = carbon["batteryCarbonFootprint"]
    stages = [
        s
        for s in carbon.get("carbonFootprintPerLifecycleStage", [])
        if s.get("carbonFootprint") is not None
    ]
    if stages:
        out["carbonFootprintPerLifecycleStage"] = stages
    for key in (
        "carbonFootprintPerformanceClass",
        "carbonFootprintStudy",
        "absoluteCarbonFootprint",
    ):
        if carbon.get(key) is not None:
            out[key] = carbon[key]
    return out


def _circularity(recycled: Mapping[str, Mapping[str, float]] | None) -> dict[str, Any]:
    if not recycled:
        return {}
    entries = [
        {
            "recycledMaterial": material,
            "preConsumerShare": round(100 * shares.get("pre", 0.0), 6),
            "postConsumerShare": round(100 * shares.get("post", 0.0), 6),
        }
        for material, shares in sorted(recycled.items())
    ]
    return {"recycledContent": entries}


def build(
    facts: PackFacts,
    *,
    carbon: Mapping[str, Any] | None = None,
    recycled: Mapping[str, Mapping[str, float]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Return the passport's aspects (only the values sinergi has).

    Parameters
    ----------
    facts
        The manufacturer's facts.
    carbon
        Battery Pass carbon-footprint fields (``BatteryDeclaration.to_passport()``); stages
        with no value are left out.
    recycled
        ``{"Nickel": {"pre": share, "post": share}, …}`` as fractions (0-1); written as the
        data model's percentages.
    """
    aspects: dict[str, dict[str, Any]] = {
        "GeneralProductInformation": _general(facts),
        "CarbonFootprintForBatteries": _carbon(carbon),
        "Circularity": _circularity(recycled),
        "MaterialComposition": {
            "batteryChemistry": {
                "shortName": facts.chemistry_short,
                "clearName": facts.chemistry_clear,
            }
        },
        "PerformanceAndDurability": (
            {"batteryTechicalProperties": dict(facts.performance)} if facts.performance else {}
        ),
        "Labeling": (
            {"declarationOfConformity": facts.declaration_of_conformity}
            if facts.declaration_of_conformity
            else {}
        ),
        "SupplyChainDueDiligence": (
            {"supplyChainDueDiligenceReport": facts.due_diligence_report}
            if facts.due_diligence_report
            else {}
        ),
    }
    return aspects


def _get(tree: Mapping[str, Any], path: str) -> Any:
    node: Any = tree
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def _keep(tree: Mapping[str, Any], paths: set[str], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if path in paths:
            out[key] = copy.deepcopy(value)
        elif isinstance(value, Mapping) and any(p.startswith(path + ".") for p in paths):
            kept = _keep(value, paths, path + ".")
            if kept:
                out[key] = kept
    return out


def for_audience(passport: Mapping[str, Any], audience: Audience | str) -> dict[str, Any]:
    """Return the passport as ``audience`` may read it: every other path removed.

    Values at paths no attribute of the longlist names are removed for every audience.
    """
    return _keep(passport, visible_paths(audience))


def missing(passport: Mapping[str, Any], category: str) -> list[Attribute]:
    """Return the attributes mandatory for ``category`` that the passport does not hold.

    Attributes without a path in the data model (e.g. #26) are not counted.
    """
    if category not in ("ev", "lmt"):
        raise PassportError(f"category {category!r}: mandatory marks exist for ev and lmt")
    return [
        a
        for a in attributes()
        if a.path is not None and a.mandatory_for(category) and _get(passport, a.path) is None
    ]
