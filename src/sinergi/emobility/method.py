"""The TKDN method as data: aspect weights, component compositions, thresholds, incentives.

Local content (TKDN, *tingkat komponen dalam negeri*) of a battery electric vehicle is, after
Permenperin 6/2022 (amended by Permenperin 28/2023), the sum of four aspects, each weighing a
fixed share of the whole: the manufacturing of **main components**, the manufacturing of
**supporting components**, **assembly** and **development**. The minimum TKDN a vehicle must
reach each year is set by Perpres 55/2019 as amended by Perpres 79/2023. All of it lives in
``data/emobility/tkdn.yaml`` with sources; this module validates that file once and answers
"which weights, which threshold, which incentive on this date".
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any

from pydantic import Field, model_validator

from sinergi.emobility.data_files import Strict, load_model, read_yaml
from sinergi.errors import ReferenceDataError
from sinergi.i18n import N_
from sinergi.reference import Provenance, Sourced

__all__ = [
    "Aspect",
    "AspectWeights",
    "CertifiedValue",
    "ComponentSplit",
    "Group",
    "Method",
    "Threshold",
    "TkdnReference",
    "VehicleClass",
    "tkdn_reference",
]

FILE = "data/emobility/tkdn.yaml"


class VehicleClass(StrEnum):
    """Vehicle classes with their own TKDN thresholds (Perpres 79/2023, Article 8)."""

    TWO_THREE_WHEELER = "two_three_wheeler"
    FOUR_WHEELER = "four_wheeler"


VEHICLE_CLASS_TEXT = {
    VehicleClass.TWO_THREE_WHEELER: N_("two- or three-wheeler"),
    VehicleClass.FOUR_WHEELER: N_("four-wheeler or larger"),
}


class Aspect(StrEnum):
    """The four aspects of the TKDN calculation."""

    MAIN = "main_components"
    SUPPORTING = "supporting_components"
    ASSEMBLY = "assembly"
    DEVELOPMENT = "development"


ASPECT_TEXT = {
    Aspect.MAIN: N_("Manufacturing: main components"),
    Aspect.SUPPORTING: N_("Manufacturing: supporting components"),
    Aspect.ASSEMBLY: N_("Assembly"),
    Aspect.DEVELOPMENT: N_("Development"),
}


class Group(StrEnum):
    """The manufacturing group of a component."""

    MAIN = "main"
    SUPPORTING = "supporting"

    @property
    def aspect(self) -> Aspect:
        """Return the aspect this group's components are scored in."""
        return Aspect.MAIN if self is Group.MAIN else Aspect.SUPPORTING


class _Years(Strict):
    """A span of calendar years, ``from`` inclusive to ``to`` inclusive (open when absent)."""

    start: int = Field(alias="from")
    end: int | None = Field(default=None, alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> _Years:
        if self.end is not None and self.end < self.start:
            msg = f"'to' ({self.end}) is before 'from' ({self.start})"
            raise ValueError(msg)
        return self

    def covers(self, year: int) -> bool:
        """Return whether ``year`` falls in the span."""
        return self.start <= year and (self.end is None or year <= self.end)


class AspectWeights(Strict):
    """Each aspect's weight, in percent of the TKDN; the four add to 100."""

    main_components: Sourced
    supporting_components: Sourced
    assembly: Sourced
    development: Sourced

    @model_validator(mode="after")
    def _add_to_100(self) -> AspectWeights:
        total = sum(self.weight(a) for a in Aspect)
        if abs(total - 100.0) > 1e-9:
            msg = f"aspect weights add to {total:g}, not 100"
            raise ValueError(msg)
        return self

    def weight(self, aspect: Aspect) -> float:
        """Return the weight of ``aspect`` in percent."""
        value: Sourced = getattr(self, aspect.value)
        return value.value


class MethodPeriod(_Years):
    """The aspect weights that apply in a span of years."""

    weights: AspectWeights


class Method(Strict):
    """One version of the TKDN method (a regulation as issued or as amended)."""

    title_en: str
    title_id: str
    note: str | None = None
    periods: list[MethodPeriod] = Field(min_length=1)

    def weights(self, year: int) -> AspectWeights:
        """Return the aspect weights of ``year``.

        Raises
        ------
        ReferenceDataError
            When no period of the method covers the year.
        """
        for period in self.periods:
            if period.covers(year):
                return period.weights
        first = min(p.start for p in self.periods)
        msg = f"{self.title_en} has no aspect weights for {year}; it starts in {first}"
        raise ReferenceDataError(msg)


class SplitComponent(Strict):
    """A component of a published composition and its weight in points of TKDN."""

    id: str
    group: Group
    weight: float = Field(gt=0)
    name_en: str
    name_id: str


class ComponentSplit(Provenance):
    """A published component composition for one method, vehicle class and span of years."""

    method: str
    vehicle_class: VehicleClass
    start: int = Field(alias="from")
    end: int | None = Field(default=None, alias="to")
    components: list[SplitComponent] = Field(min_length=1)

    def covers(self, year: int) -> bool:
        """Return whether ``year`` falls in the split's span."""
        return self.start <= year and (self.end is None or year <= self.end)


class Threshold(Provenance):
    """The minimum TKDN of a span of years."""

    start: int = Field(alias="from")
    end: int | None = Field(default=None, alias="to")
    min_percent: float = Field(gt=0, le=100)

    def covers(self, year: int) -> bool:
        """Return whether ``year`` falls in the threshold's span."""
        return self.start <= year and (self.end is None or year <= self.end)


class PurchaseSubsidy(Provenance):
    """The purchase subsidy for new two-wheelers and its TKDN condition."""

    vehicle_classes: list[VehicleClass]
    start: date
    end: date
    min_tkdn_percent: float = Field(gt=0, le=100)
    amount_idr: float = Field(gt=0)

    def open_on(self, day: date) -> bool:
        """Return whether the programme ran on ``day``."""
        return self.start <= day <= self.end


class Incentives(Strict):
    """Incentives that depend on TKDN and their conditions."""

    purchase_subsidy: PurchaseSubsidy
    fiscal_battery_floor: dict[VehicleClass, Sourced]


class CertifiedValue(Provenance):
    """A published certified TKDN of a real model (for range checks only)."""

    model: str
    maker: str
    tkdn_percent: float = Field(gt=0, le=100)


class TkdnReference(Strict):
    """The whole ``tkdn.yaml``: methods, compositions, thresholds, incentives, certificates."""

    version: int
    default_method: str
    methods: dict[str, Method]
    component_splits: list[ComponentSplit]
    thresholds: dict[VehicleClass, list[Threshold]]
    incentives: Incentives
    certified: list[CertifiedValue]

    @model_validator(mode="after")
    def _consistent(self) -> TkdnReference:
        if self.default_method not in self.methods:
            msg = f"default_method {self.default_method!r} is not among the methods"
            raise ValueError(msg)
        for index, split in enumerate(self.component_splits):
            _check_split(index, split, self.methods)
        return self

    def method(self, name: str | None = None) -> Method:
        """Return the method ``name`` (the default method when ``None``).

        Raises
        ------
        ReferenceDataError
            Naming the methods there are.
        """
        wanted = name or self.default_method
        if wanted not in self.methods:
            msg = f"unknown TKDN method {wanted!r}; choose one of {sorted(self.methods)}"
            raise ReferenceDataError(msg)
        return self.methods[wanted]

    def threshold(self, vehicle_class: VehicleClass, year: int) -> Threshold | None:
        """Return the minimum TKDN of ``year`` (``None`` before the first threshold)."""
        return next((t for t in self.thresholds[vehicle_class] if t.covers(year)), None)

    def split(self, method: str, vehicle_class: VehicleClass, year: int) -> ComponentSplit | None:
        """Return the published composition for the method, class and year, if one exists."""
        return next(
            (
                s
                for s in self.component_splits
                if s.method == method and s.vehicle_class is vehicle_class and s.covers(year)
            ),
            None,
        )


def _check_split(index: int, split: ComponentSplit, methods: dict[str, Method]) -> None:
    """Check that a composition's groups add up to their aspects' weights in every year."""
    if split.method not in methods:
        msg = f"component_splits[{index}]: unknown method {split.method!r}"
        raise ValueError(msg)
    method = methods[split.method]
    last = split.end if split.end is not None else max(p.start for p in method.periods)
    for year in range(split.start, last + 1):
        weights = method.weights(year)
        for group in Group:
            total = sum(c.weight for c in split.components if c.group is group)
            if abs(total - weights.weight(group.aspect)) > 1e-9:
                msg = (
                    f"component_splits[{index}]: {group.value} components add to {total:g} "
                    f"points in {year}, but the method weighs that aspect "
                    f"{weights.weight(group.aspect):g}"
                )
                raise ValueError(msg)


@cache
def tkdn_reference() -> TkdnReference:
    """Return the shipped TKDN method, thresholds and incentives, validated once."""
    doc: Any = read_yaml("tkdn.yaml")
    return load_model(TkdnReference, doc, FILE)
