"""Indicator result types and the small helpers every indicator shares."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from sinergi.assess.view import ParkView
from sinergi.model import CommodityKind, Flow
from sinergi.reference.factors import Factors


class IndicatorStatus(StrEnum):
    """Whether the data supports a value."""

    OK = "ok"
    INSUFFICIENT = "insufficient_data"


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    """The value of one indicator for one park and period, with its evidence."""

    id: str
    value: float | None
    unit: str
    status: IndicatorStatus
    detail: dict[str, float] = field(default_factory=dict)
    rows: int = 0
    missing: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Indicator:
    """An indicator's definition: what it means, its unit and the data it needs."""

    id: str
    name_en: str
    name_id: str
    unit: str
    definition: str
    needs: str
    compute: Callable[[ParkView, Factors], IndicatorResult]


def insufficient(ind: str, unit: str, *missing: str) -> IndicatorResult:
    """Return an insufficient-data result naming what is missing."""
    return IndicatorResult(ind, None, unit, IndicatorStatus.INSUFFICIENT, missing=missing)


def unknown(flows: Iterable[Flow]) -> list[Flow]:
    """Return the flows reported without a quantity."""
    return [f for f in flows if f.quantity is None]


def unknown_note(flows: list[Flow]) -> str:
    """Describe unquantified flows for a result's ``missing``."""
    sample = ", ".join(f"{f.source}→{f.target} {f.commodity}" for f in flows[:3])
    return f"{len(flows)} relevant flow(s) reported without a quantity ({sample})"


def share(part: float, whole: float) -> float:
    """Return ``part`` as a percentage of ``whole``."""
    return 100.0 * part / whole


def kind_of(view: ParkView, flow: Flow) -> CommodityKind | None:
    """Return the commodity kind of a flow, or None if not catalogued."""
    cat = view.eco.catalogue
    return cat.get(flow.commodity).kind if flow.commodity in cat else None


def sum_by_commodity(flows: list[Flow]) -> dict[str, float]:
    """Sum known quantities per commodity."""
    out: dict[str, float] = defaultdict(float)
    for f in flows:
        out[f.commodity] += f.quantity or 0.0
    return dict(out)


def data_gap(ind: str, unit: str, flows: list[Flow], none_reported: str) -> IndicatorResult | None:
    """Return an insufficient-data result if ``flows`` is empty or has an unknown quantity.

    Every flow-summing indicator starts with this guard, so that a sum is never silently
    short of a flow that was reported without a number.
    """
    if not flows:
        return insufficient(ind, unit, none_reported)
    if missing := unknown(flows):
        return insufficient(ind, unit, unknown_note(missing))
    return None
