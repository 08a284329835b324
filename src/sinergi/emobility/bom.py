"""What an e-motorcycle and a conventional motorcycle are made of, and who makes each part.

The catalogue (``data/emobility/components.yaml``) lists the components of both powertrains,
which vehicles use each (electric, conventional or shared), how many a vehicle holds, and the
KBLI 2020 classes of the firms that make it. The transition model multiplies vehicles by
these bills of materials; the supplier model uses the KBLI classes to find parts makers among
the companies of the ecosystem model.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from pydantic import Field, field_validator, model_validator

from sinergi.emobility.data_files import Strict, load_model, read_yaml
from sinergi.errors import TransitionError
from sinergi.reference import Provenance, Sourced

__all__ = [
    "CatalogueComponent",
    "ComponentCatalogue",
    "Powertrain",
    "SwitchRule",
    "SwitchRules",
    "VehicleBoms",
    "component_catalogue",
    "kbli_matches",
    "switch_rules",
]

_KBLI_CLASS = re.compile(r"^\d{4}$")


class Powertrain(StrEnum):
    """Which motorcycles use a component."""

    ELECTRIC = "electric"
    CONVENTIONAL = "conventional"
    SHARED = "shared"


class CatalogueComponent(Strict):
    """A motorcycle component: who uses it, how many per vehicle, which KBLI classes make it."""

    id: str
    name_en: str
    name_id: str
    powertrain: Powertrain
    quantity: Sourced
    kbli: list[str] = Field(min_length=1)
    related_kbli: list[str] = Field(default_factory=list)

    @field_validator("kbli", "related_kbli")
    @classmethod
    def _four_digit_classes(cls, codes: list[str]) -> list[str]:
        bad = [c for c in codes if not _KBLI_CLASS.match(c)]
        if bad:
            msg = f"KBLI classes must be four digits (ISIC Rev.4 class), got {bad}"
            raise ValueError(msg)
        return codes

    def name(self, lang: str) -> str:
        """Return the component's name in ``lang``."""
        return self.name_id if lang == "id" else self.name_en


class ComponentCatalogue(Strict):
    """The whole ``components.yaml``."""

    version: int
    kbli: Provenance
    components: list[CatalogueComponent] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> ComponentCatalogue:
        ids = [c.id for c in self.components]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            msg = f"component ids {dupes} appear more than once"
            raise ValueError(msg)
        return self

    @property
    def ids(self) -> tuple[str, ...]:
        """Return the component ids in catalogue order."""
        return tuple(c.id for c in self.components)

    def get(self, component_id: str) -> CatalogueComponent:
        """Return the component ``component_id``.

        Raises
        ------
        TransitionError
            Naming the known components.
        """
        for component in self.components:
            if component.id == component_id:
                return component
        msg = f"unknown component {component_id!r}; known: {', '.join(self.ids)}"
        raise TransitionError(msg)

    def boms(self) -> VehicleBoms:
        """Return the catalogue's bills of materials per electric and conventional vehicle."""
        electric = {
            c.id: c.quantity.value
            for c in self.components
            if c.powertrain in (Powertrain.ELECTRIC, Powertrain.SHARED)
        }
        conventional = {
            c.id: c.quantity.value
            for c in self.components
            if c.powertrain in (Powertrain.CONVENTIONAL, Powertrain.SHARED)
        }
        return VehicleBoms(electric, conventional)


@dataclass(frozen=True, slots=True)
class VehicleBoms:
    """Components per vehicle: quantities for an electric and for a conventional motorcycle."""

    electric: Mapping[str, float]
    conventional: Mapping[str, float]

    def quantity(self, component: str, electric: bool) -> float:
        """Return how many of ``component`` one electric (or conventional) vehicle holds."""
        return (self.electric if electric else self.conventional).get(component, 0.0)

    def per_vehicle(self, component: str) -> float:
        """Return the quantity on the vehicle that uses the component (for vehicle sets)."""
        return self.electric.get(component) or self.conventional.get(component) or 1.0

    def overridden(self, changes: Mapping[tuple[str, bool], float]) -> VehicleBoms:
        """Return these bills with ``(component, electric) -> quantity`` changed."""
        electric, conventional = dict(self.electric), dict(self.conventional)
        for (component, is_electric), quantity in changes.items():
            (electric if is_electric else conventional)[component] = quantity
        return VehicleBoms(electric, conventional)


def kbli_matches(code: str, classes: list[str] | tuple[str, ...]) -> bool:
    """Return whether a five-digit KBLI ``code`` falls in one of the four-digit ``classes``.

    >>> kbli_matches("30912", ["3091"]), kbli_matches("29300", ["3091"])
    (True, False)
    """
    return any(code.startswith(c) for c in classes)


class SwitchRule(Strict):
    """Electric components a maker of a conventional one could make with its processes."""

    source: str = Field(alias="from")
    to: list[str] = Field(min_length=1)
    process_en: str
    process_id: str

    def process(self, lang: str) -> str:
        """Return the shared process in ``lang``."""
        return self.process_id if lang == "id" else self.process_en


class SwitchRules(Provenance):
    """The rule table of ``switching.yaml`` with its (illustrative) provenance."""

    version: int
    rules: list[SwitchRule]

    def targets(self, component: str) -> list[SwitchRule]:
        """Return the rules that start from ``component``."""
        return [r for r in self.rules if r.source == component]


@cache
def component_catalogue() -> ComponentCatalogue:
    """Return the shipped component catalogue, validated once."""
    doc: Any = read_yaml("components.yaml")
    return load_model(ComponentCatalogue, doc, "data/emobility/components.yaml")


@cache
def switch_rules() -> SwitchRules:
    """Return the shipped switching rules, validated against the catalogue."""
    doc: Any = read_yaml("switching.yaml")
    rules = load_model(SwitchRules, doc, "data/emobility/switching.yaml")
    catalogue = component_catalogue()
    for rule in rules.rules:
        for name in (rule.source, *rule.to):
            catalogue.get(name)
    return rules
