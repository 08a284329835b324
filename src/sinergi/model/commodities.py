"""Commodities and the versioned commodity catalogue.

The catalogue is data (``sinergi/data/commodities.yaml``), not code: each entry names its
kind, its dimension (hence canonical unit), its PP 22/2021 waste code where one applies, and
the source of that classification.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sinergi.errors import ReferenceDataError, UnknownCommodity
from sinergi.i18n import N_
from sinergi.i18n.messages import Msg, items, msg
from sinergi.units import CANONICAL_UNIT, Dimension


class CommodityKind(StrEnum):
    """What a commodity is, which decides how engines treat it."""

    MATERIAL = "material"
    PRODUCT = "product"
    ENERGY = "energy"
    WATER = "water"
    WASTEWATER = "wastewater"
    WASTE = "waste"
    EMISSION = "emission"


class WasteHazard(StrEnum):
    """PP 22/2021 classification: hazardous (B3) or registered non-hazardous (non-B3)."""

    B3 = "b3"
    NON_B3 = "non_b3"
    #: Not yet classified in our data: check PP 22/2021 Annexes IX and XIV before use.
    UNCLASSIFIED = "unclassified"


@dataclass(frozen=True, slots=True)
class Commodity:
    """One entry of the catalogue."""

    id: str
    name_en: str
    name_id: str
    kind: CommodityKind
    dimension: Dimension
    waste_code: str | None = None
    hazard: WasteHazard | None = None
    renewable: bool | None = None
    source: str | None = None

    @property
    def unit(self) -> str:
        """Return the canonical unit every quantity of this commodity is stored in."""
        return CANONICAL_UNIT[self.dimension]


@dataclass(frozen=True, slots=True)
class Catalogue:
    """A versioned set of commodities, looked up by id."""

    version: str
    commodities: dict[str, Commodity] = field(default_factory=dict)

    def __contains__(self, commodity_id: object) -> bool:
        return commodity_id in self.commodities

    def __len__(self) -> int:
        return len(self.commodities)

    def get(self, commodity_id: str) -> Commodity:
        """Return the commodity, or raise a clear error naming the catalogue version."""
        try:
            return self.commodities[commodity_id]
        except KeyError:
            raise UnknownCommodity(
                msg(
                    N_(
                        "commodity {id} is not in catalogue {version}; use an id listed by "
                        "'sinergi template' (sheet Commodities)"
                    ),
                    id=repr(commodity_id),
                    version=self.version,
                )
            ) from None

    def ids(self) -> list[str]:
        """Return all ids, sorted, e.g. for drop-down lists."""
        return sorted(self.commodities)


def _source(sources: dict[str, str], key: str | None) -> str | None:
    return sources.get(key, key) if key else None


def _entry_error(raw: dict[str, Any]) -> Msg | None:
    """Return what is wrong with an entry (a missing field, a value out of its choices)."""
    for key in ("id", "name_en", "name_id", "kind", "dimension"):
        if key not in raw:
            return msg(N_("field {field} is missing"), field=repr(key))
    choices: tuple[tuple[str, type[StrEnum]], ...] = (
        ("kind", CommodityKind),
        ("dimension", Dimension),
        ("hazard", WasteHazard),
    )
    for key, kind in choices:
        value = raw.get(key)
        allowed = [str(member.value) for member in kind]
        if value is not None and (key != "hazard" or value) and str(value) not in allowed:
            return msg(
                N_("field {field} is {value}; use one of {choices}"),
                field=repr(key),
                value=repr(value),
                choices=items(allowed),
            )
    return None


def _entry(raw: dict[str, Any], where: str, doc_sources: dict[str, str]) -> Commodity:
    problem = _entry_error(raw)
    if problem is not None:
        raise ReferenceDataError(
            msg(
                N_("{file}: bad commodity entry {entry}: {error}"),
                file=where,
                entry=repr(raw),
                error=problem,
            )
        )
    try:
        hazard = raw.get("hazard")
        return Commodity(
            id=str(raw["id"]),
            name_en=str(raw["name_en"]),
            name_id=str(raw["name_id"]),
            kind=CommodityKind(raw["kind"]),
            dimension=Dimension(raw["dimension"]),
            waste_code=raw.get("waste_code"),
            hazard=WasteHazard(hazard) if hazard else None,
            renewable=raw.get("renewable"),
            source=_source(doc_sources, raw.get("source")),
        )
    except (KeyError, ValueError) as exc:
        raise ReferenceDataError(
            msg(
                N_("{file}: bad commodity entry {entry}: {error}"),
                file=where,
                entry=repr(raw),
                error=str(exc),
            )
        ) from exc


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Load the commodity catalogue; the shipped one when ``path`` is ``None``.

    Raises
    ------
    ReferenceDataError
        If an entry lacks a field, repeats an id or has a waste code without a hazard class.
    """
    if path is None:
        text = resources.files("sinergi.data").joinpath("commodities.yaml").read_text("utf-8")
        where = "sinergi/data/commodities.yaml"
    else:
        text = path.read_text("utf-8")
        where = str(path)
    doc = yaml.safe_load(text)
    entries: dict[str, Commodity] = {}
    for raw in doc["commodities"]:
        item = _entry(raw, where, doc.get("sources", {}))
        if item.id in entries:
            raise ReferenceDataError(
                msg(N_("{file}: commodity id {id} appears twice"), file=where, id=repr(item.id))
            )
        if item.kind is CommodityKind.WASTE and item.hazard is None:
            raise ReferenceDataError(
                msg(
                    N_("{file}: waste {id} needs hazard b3, non_b3 or unclassified"),
                    file=where,
                    id=repr(item.id),
                )
            )
        entries[item.id] = item
    return Catalogue(version=str(doc["version"]), commodities=entries)


_DEFAULT: list[Catalogue] = []


def default_catalogue() -> Catalogue:
    """Return the shipped catalogue, loaded once."""
    if not _DEFAULT:
        _DEFAULT.append(load_catalogue())
    return _DEFAULT[0]
