"""Local content (TKDN) of a vehicle from its bill of materials, and what it qualifies for.

The calculation follows the structure of Permenperin 6/2022 (see :mod:`.method`):

* each **component** belongs to the main or the supporting group and has a weight; within its
  group the weights are relative, and the group's weights are scaled to the group's aspect
  weight of the year (so a component of weight 35 among main components weighing 58 in all,
  under a method whose main-component aspect weighs 58 %, is worth 35 points of TKDN);
* a component's **local share** is read from its parts: the cost-weighted share of domestic
  content, where a domestic part counts in full unless its own certified share is given, and an
  imported part counts nothing. A component with mixed origin gets a share between 0 and 1;
* the **assembly** and **development** aspects are scored from items the applicant declares,
  each with a relative weight inside its aspect and the share achieved domestically; an aspect
  without items scores nothing, and the result says it was not claimed.

TKDN is the sum of the points. Arithmetic is exact (fractions of the decimal numbers entered),
so a vehicle at exactly 40.00 % meets a 40 % threshold, whatever binary floating point makes
of the costs. Two/three-wheeler compositions were not found in any source reached, so a
bill of materials for those vehicles must bring its own; four-wheelers may use the published
one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction

from sinergi.emobility.method import (
    Aspect,
    AspectWeights,
    ComponentSplit,
    Group,
    TkdnReference,
    VehicleClass,
    tkdn_reference,
)
from sinergi.errors import BillOfMaterialsError

__all__ = [
    "AspectItem",
    "AspectScore",
    "BillOfMaterials",
    "Component",
    "ComponentScore",
    "ItemScore",
    "LocalisationOption",
    "Origin",
    "Part",
    "Qualification",
    "TkdnResult",
    "compute_tkdn",
    "exact",
    "qualification_by_year",
    "qualification_on",
]

#: Aspects scored from declared items rather than from parts.
ITEM_ASPECTS = (Aspect.ASSEMBLY, Aspect.DEVELOPMENT)


def exact(value: float) -> Fraction:
    """Return the decimal number ``value`` was written as, as an exact fraction.

    ``repr`` of a float is the shortest decimal that reads back to it, so ``0.7`` becomes
    7/10, not the binary 0.6999999999999999555910790149937….

    >>> exact(0.7)
    Fraction(7, 10)
    """
    return Fraction(repr(float(value)))


class Origin(StrEnum):
    """Where a part is made."""

    DOMESTIC = "domestic"
    IMPORTED = "imported"


@dataclass(frozen=True, slots=True)
class Part:
    """One line of the bill of materials: a part of a component, its cost and origin.

    ``local_share`` is the part's own domestic content (e.g. from its TKDN certificate) when it
    is domestic but not wholly so; ``None`` counts a domestic part in full.
    """

    component: str
    name: str
    cost_idr: float
    origin: Origin
    local_share: float | None = None
    maker: str | None = None

    @property
    def share(self) -> Fraction:
        """Return the domestic share of this part's cost."""
        if self.origin is Origin.IMPORTED:
            return Fraction(0)
        return Fraction(1) if self.local_share is None else exact(self.local_share)


@dataclass(frozen=True, slots=True)
class Component:
    """A component of the manufacturing aspect: its group and its weight within the group."""

    id: str
    name: str
    group: Group
    weight: float


@dataclass(frozen=True, slots=True)
class AspectItem:
    """A declared item of the assembly or development aspect and the share achieved."""

    id: str
    aspect: Aspect
    name: str
    weight: float
    achieved: float


@dataclass(frozen=True, slots=True)
class LocalisationOption:
    """A way to raise one component's local share (or one item's achievement), at a cost.

    ``target`` names a component or an aspect item; ``new_share`` is its local share (or
    achieved share) after the change; ``cost_idr`` is the extra cost per vehicle.
    """

    id: str
    target: str
    new_share: float
    cost_idr: float
    description: str = ""


@dataclass(frozen=True, slots=True)
class BillOfMaterials:
    """A vehicle model's components, parts, declared aspect items and localisation options.

    ``components`` may be empty for a four-wheeler, which then uses the published composition
    of the method and year; a two/three-wheeler must bring its own.
    """

    model: str
    vehicle_class: VehicleClass
    parts: tuple[Part, ...]
    components: tuple[Component, ...] = ()
    aspect_items: tuple[AspectItem, ...] = ()
    options: tuple[LocalisationOption, ...] = ()
    battery_kwh: float | None = None
    maker: str | None = None
    synthetic: bool = False

    def __post_init__(self) -> None:
        problems = [*_id_problems(self), *_value_problems(self)]
        if self.components:
            problems += _coverage_problems(self, {c.id for c in self.components})
        if problems:
            raise BillOfMaterialsError(f"bill of materials {self.model!r}: " + "; ".join(problems))

    def with_options(self, chosen: Iterable[LocalisationOption]) -> BillOfMaterials:
        """Return this bill of materials as it would be with the chosen options applied.

        A component option replaces the component's parts by one domestic line at its current
        total cost with the option's share; an item option sets the item's achieved share.
        """
        by_target = {option.target: option for option in chosen}
        parts: list[Part] = [p for p in self.parts if p.component not in by_target]
        for component in {p.component for p in self.parts} & set(by_target):
            cost = sum(p.cost_idr for p in self.parts if p.component == component)
            share = by_target[component].new_share
            parts.append(Part(component, "localised", cost, Origin.DOMESTIC, share))
        items = tuple(
            AspectItem(i.id, i.aspect, i.name, i.weight, by_target[i.id].new_share)
            if i.id in by_target
            else i
            for i in self.aspect_items
        )
        return BillOfMaterials(
            self.model,
            self.vehicle_class,
            tuple(parts),
            self.components,
            items,
            self.options,
            self.battery_kwh,
            self.maker,
            self.synthetic,
        )


def _id_problems(bom: BillOfMaterials) -> list[str]:
    problems = []
    for kind, ids in (
        ("component", [c.id for c in bom.components]),
        ("aspect item", [i.id for i in bom.aspect_items]),
        ("option", [o.id for o in bom.options]),
    ):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            problems.append(f"{kind} ids {dupes} appear more than once")
    targets = {c.id for c in bom.components} | {p.component for p in bom.parts}
    targets |= {i.id for i in bom.aspect_items}
    for option in bom.options:
        if option.target not in targets:
            problems.append(
                f"option {option.id!r} targets {option.target!r}, not a component or item"
            )
    return problems


def _value_problems(bom: BillOfMaterials) -> list[str]:
    problems = [] if bom.parts else ["it has no parts"]
    problems += [p for part in bom.parts for p in _part_problems(part)]
    problems += [
        f"component {c.id!r} has weight {c.weight}; use a weight > 0"
        for c in bom.components
        if not c.weight > 0
    ]
    for item in bom.aspect_items:
        if item.aspect not in ITEM_ASPECTS:
            problems.append(f"item {item.id!r}: use aspect assembly or development")
        if not item.weight > 0 or not 0 <= item.achieved <= 1:
            problems.append(f"item {item.id!r}: weight must be > 0 and achieved 0-1")
    problems += [
        f"option {o.id!r}: new share must be 0-1 and cost >= 0"
        for o in bom.options
        if not (0 <= o.new_share <= 1 and 0 <= o.cost_idr < float("inf"))
    ]
    if bom.battery_kwh is not None and not bom.battery_kwh > 0:
        problems.append(f"battery capacity {bom.battery_kwh} kWh must be > 0")
    return problems


def _part_problems(part: Part) -> list[str]:
    problems = []
    if not 0 <= part.cost_idr < float("inf"):
        problems.append(f"part {part.name!r} has cost {part.cost_idr}; give a cost >= 0")
    if part.local_share is not None and not 0 <= part.local_share <= 1:
        problems.append(f"part {part.name!r} has local share {part.local_share}; use 0-1")
    if part.origin is Origin.IMPORTED and part.local_share:
        problems.append(f"part {part.name!r} is imported but has a local share")
    return problems


def _coverage_problems(bom: BillOfMaterials, component_ids: set[str]) -> list[str]:
    problems = [
        f"part {p.name!r} belongs to unknown component {p.component!r}"
        for p in bom.parts
        if p.component not in component_ids
    ]
    for component in sorted(component_ids):
        if sum(p.cost_idr for p in bom.parts if p.component == component) <= 0:
            problems.append(f"component {component!r} has no part with a cost above zero")
    return problems


@dataclass(frozen=True, slots=True)
class ComponentScore:
    """A component's weight in points of TKDN, its local share and the points it earns."""

    component: Component
    max_points: Fraction
    local_share: Fraction
    cost_idr: float
    domestic_cost_idr: float
    parts: tuple[Part, ...]

    @property
    def points(self) -> Fraction:
        """Return the points this component earns."""
        return self.max_points * self.local_share


@dataclass(frozen=True, slots=True)
class ItemScore:
    """A declared assembly or development item: its points at most and the points earned."""

    item: AspectItem
    max_points: Fraction

    @property
    def points(self) -> Fraction:
        """Return the points this item earns."""
        return self.max_points * exact(self.item.achieved)


@dataclass(frozen=True, slots=True)
class AspectScore:
    """One aspect: its weight (points at most) and the points earned; ``claimed`` if declared."""

    aspect: Aspect
    weight: Fraction
    points: Fraction
    claimed: bool


@dataclass(frozen=True, slots=True)
class TkdnResult:
    """The TKDN of a bill of materials on a date, with every component's and item's points."""

    bom: BillOfMaterials
    on: date
    method: str
    weights: AspectWeights
    composition: ComponentSplit | None
    components: tuple[ComponentScore, ...]
    items: tuple[ItemScore, ...]
    exact_percent: Fraction = field(repr=False)

    @property
    def percent(self) -> float:
        """Return the TKDN in percent."""
        return float(self.exact_percent)

    def aspects(self) -> list[AspectScore]:
        """Return the four aspects with their weights and the points earned."""
        scores = []
        for aspect in Aspect:
            weight = exact(self.weights.weight(aspect))
            if aspect in ITEM_ASPECTS:
                mine = [s for s in self.items if s.item.aspect is aspect]
                points = sum((s.points for s in mine), Fraction(0))
                scores.append(AspectScore(aspect, weight, points, bool(mine)))
            else:
                group = Group.MAIN if aspect is Aspect.MAIN else Group.SUPPORTING
                mine_c = [s for s in self.components if s.component.group is group]
                points = sum((s.points for s in mine_c), Fraction(0))
                scores.append(AspectScore(aspect, weight, points, bool(mine_c)))
        return scores


def compute_tkdn(
    bom: BillOfMaterials,
    on: date,
    *,
    method: str | None = None,
    reference: TkdnReference | None = None,
) -> TkdnResult:
    """Return the TKDN of ``bom`` under the method's weights for the year of ``on``.

    Raises
    ------
    BillOfMaterialsError
        When a two/three-wheeler brings no component composition, or parts name components
        the published composition does not have.
    ReferenceDataError
        When the method has no weights for that year.
    """
    ref = reference or tkdn_reference()
    method_name = method or ref.default_method
    weights = ref.method(method_name).weights(on.year)
    components, composition = _components(bom, ref, method_name, on.year)
    scores = _component_scores(components, weights, bom.parts)
    items = _item_scores(bom.aspect_items, weights)
    percent = sum((s.points for s in scores), Fraction(0))
    percent += sum((s.points for s in items), Fraction(0))
    return TkdnResult(bom, on, method_name, weights, composition, scores, items, percent)


def _components(
    bom: BillOfMaterials, ref: TkdnReference, method: str, year: int
) -> tuple[tuple[Component, ...], ComponentSplit | None]:
    if bom.components:
        return bom.components, None
    split = ref.split(method, bom.vehicle_class, year)
    if split is None:
        raise BillOfMaterialsError(
            f"bill of materials {bom.model!r}: no published component composition for a "
            f"{bom.vehicle_class.value} under {method} in {year} (the two/three-wheeler "
            "composition of Permenperin 6/2022 was not found in any source reached); fill in "
            "the 'components' sheet of the template with each component's group and weight"
        )
    components = tuple(Component(c.id, c.name_en, c.group, c.weight) for c in split.components)
    problems = _coverage_problems(bom, {c.id for c in components})
    if problems:
        raise BillOfMaterialsError(
            f"bill of materials {bom.model!r} against the published composition: "
            + "; ".join(problems)
        )
    return components, split


def _component_scores(
    components: Sequence[Component], weights: AspectWeights, parts: Sequence[Part]
) -> tuple[ComponentScore, ...]:
    scores: list[ComponentScore] = []
    for group in Group:
        members = [c for c in components if c.group is group]
        total = sum((exact(c.weight) for c in members), Fraction(0))
        aspect_weight = exact(weights.weight(group.aspect))
        scores += [
            _component_score(c, aspect_weight * exact(c.weight) / total, parts) for c in members
        ]
    return tuple(scores)


def _item_scores(items: Sequence[AspectItem], weights: AspectWeights) -> tuple[ItemScore, ...]:
    scores: list[ItemScore] = []
    for aspect in ITEM_ASPECTS:
        members = [i for i in items if i.aspect is aspect]
        total = sum((exact(i.weight) for i in members), Fraction(0))
        aspect_weight = exact(weights.weight(aspect))
        scores += [ItemScore(i, aspect_weight * exact(i.weight) / total) for i in members]
    return tuple(scores)


def _component_score(
    component: Component, max_points: Fraction, parts: Sequence[Part]
) -> ComponentScore:
    mine = tuple(p for p in parts if p.component == component.id)
    cost = sum((exact(p.cost_idr) for p in mine), Fraction(0))
    domestic = sum((exact(p.cost_idr) * p.share for p in mine), Fraction(0))
    return ComponentScore(
        component, max_points, domestic / cost, float(cost), float(domestic), mine
    )


@dataclass(frozen=True, slots=True)
class Qualification:
    """What the vehicle qualifies for in one year (or on one day), with its TKDN then.

    The TKDN is computed with the weights of that year. ``fiscal_incentive`` is ``None`` when
    the battery capacity is unknown; incentives are judged on TKDN and battery capacity only
    (production in Indonesia, certificates and buyer conditions are not checked).
    """

    year: int
    day: date | None
    tkdn_percent: Fraction
    threshold_percent: Fraction | None
    meets_threshold: bool | None
    subsidy_open: bool
    subsidy_eligible: bool
    fiscal_incentive: bool | None

    @property
    def shortfall_points(self) -> Fraction:
        """Return the points missing to the threshold (zero when it is met or there is none)."""
        if self.threshold_percent is None:
            return Fraction(0)
        return max(self.threshold_percent - self.tkdn_percent, Fraction(0))


def qualification_on(
    bom: BillOfMaterials,
    day: date,
    *,
    method: str | None = None,
    reference: TkdnReference | None = None,
) -> Qualification:
    """Return what ``bom`` qualifies for on ``day`` (thresholds change on 1 January).

    The purchase subsidy counts only if its programme ran on that very day.
    """
    ref = reference or tkdn_reference()
    tkdn = compute_tkdn(bom, day, method=method, reference=ref).exact_percent
    is_open = ref.incentives.purchase_subsidy.open_on(day)
    return _qualification(bom, ref, day.year, day, tkdn, is_open)


def qualification_by_year(
    bom: BillOfMaterials,
    years: Iterable[int],
    *,
    method: str | None = None,
    reference: TkdnReference | None = None,
) -> list[Qualification]:
    """Return, for each year, the TKDN under that year's weights and what it qualifies for.

    The TKDN of one bill of materials changes with the year when the method's weights do
    (Permenperin 28/2023 reweights the aspects from 2030), so each year is computed afresh;
    the purchase subsidy counts as open in a year if its programme ran on any day of it.
    """
    ref = reference or tkdn_reference()
    subsidy = ref.incentives.purchase_subsidy
    rows = []
    for year in years:
        tkdn = compute_tkdn(bom, date(year, 1, 1), method=method, reference=ref).exact_percent
        is_open = subsidy.start.year <= year <= subsidy.end.year
        rows.append(_qualification(bom, ref, year, None, tkdn, is_open))
    return rows


def _qualification(
    bom: BillOfMaterials,
    ref: TkdnReference,
    year: int,
    day: date | None,
    tkdn: Fraction,
    is_open: bool,
) -> Qualification:
    subsidy = ref.incentives.purchase_subsidy
    threshold = ref.threshold(bom.vehicle_class, year)
    minimum = exact(threshold.min_percent) if threshold is not None else None
    meets = None if minimum is None else tkdn >= minimum
    eligible = (
        is_open
        and bom.vehicle_class in subsidy.vehicle_classes
        and tkdn >= exact(subsidy.min_tkdn_percent)
    )
    floor = ref.incentives.fiscal_battery_floor.get(bom.vehicle_class)
    fiscal: bool | None = None
    if bom.battery_kwh is not None and floor is not None and meets is not None:
        fiscal = meets and exact(bom.battery_kwh) >= exact(floor.value)
    return Qualification(year, day, tkdn, minimum, meets, is_open, eligible, fiscal)
