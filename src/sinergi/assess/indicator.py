"""Indicator result types and the small helpers every indicator shares."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from sinergi.assess.exact import entered, exact_share
from sinergi.assess.messages import Msg, Num, Text, msg
from sinergi.assess.view import ParkView
from sinergi.i18n import N_
from sinergi.model import CommodityKind, Flow
from sinergi.reference.factors import Factors


class IndicatorStatus(StrEnum):
    """Whether the data supports a value."""

    OK = "ok"
    INSUFFICIENT = "insufficient_data"


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    """The value of one indicator for one park and period, with its evidence.

    ``value`` is for display; :meth:`exact` is the value as an exact fraction of the entered
    numbers, which band edges and benchmarks compare. A share keeps the quantities it is made
    of (``operands``: part, whole) so that the exact value is computed only where a band or a
    benchmark needs it. A share's ``detail`` holds its ``part`` and ``total``, in
    ``quantity_unit``.
    """

    id: str
    value: float | None
    unit: str
    status: IndicatorStatus
    detail: dict[str, float] = field(default_factory=dict)
    rows: int = 0
    missing: tuple[Msg, ...] = ()
    notes: tuple[Msg, ...] = ()
    sources: tuple[str, ...] = ()
    operands: tuple[tuple[float, ...], tuple[float, ...]] | None = None
    quantity_unit: str | None = None

    def exact(self) -> Fraction | None:
        """Return the value as an exact fraction of the entered numbers (``None`` without one)."""
        if self.value is None:
            return None
        if self.operands is not None:
            return exact_share(*self.operands)
        return entered(self.value)


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
    digits: int = 1


def insufficient(ind: str, unit: str, *missing: Msg) -> IndicatorResult:
    """Return an insufficient-data result naming what is missing."""
    return IndicatorResult(ind, None, unit, IndicatorStatus.INSUFFICIENT, missing=missing)


def unknown(flows: Iterable[Flow]) -> list[Flow]:
    """Return the flows reported without a quantity."""
    return [f for f in flows if f.quantity is None]


def commodity_name(view: ParkView, commodity: str) -> Text | str:
    """Return a commodity's bilingual name, or its id when it is not catalogued."""
    cat = view.eco.catalogue
    if commodity not in cat:
        return commodity
    entry = cat.get(commodity)
    return Text(entry.name_en, entry.name_id)


def unknown_note(view: ParkView, flows: list[Flow]) -> Msg:
    """Describe unquantified flows for a result's ``missing``, with a sample of them."""
    first = flows[0]
    return msg(
        N_(
            "{count} relevant flow(s) reported without a quantity, e.g. {commodity} from "
            "{source} to {target}: enter the quantity on the Flows sheet"
        ),
        count=Num(len(flows)),
        commodity=commodity_name(view, first.commodity),
        source=first.source,
        target=first.target,
    )


def share(part: float, whole: float) -> float:
    """Return ``part`` as a percentage of ``whole``."""
    return 100.0 * part / whole


def share_result(
    ind: str,
    part: list[float],
    whole: list[float],
    rows: int,
    *,
    extra: dict[str, float] | None = None,
    notes: tuple[Msg, ...] = (),
    quantity_unit: str | None = None,
) -> IndicatorResult:
    """Return a share in percent: a float for display, the operands for the exact value.

    The detail holds the ``part`` and the ``total`` (float sums, for display) and ``extra``.
    """
    return IndicatorResult(
        ind,
        100.0 * math.fsum(part) / math.fsum(whole),
        "%",
        IndicatorStatus.OK,
        detail={"part": sum(part), "total": sum(whole), **(extra or {})},
        rows=rows,
        notes=notes,
        operands=(tuple(part), tuple(whole)),
        quantity_unit=quantity_unit,
    )


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


def data_gap(
    view: ParkView, ind: str, unit: str, flows: list[Flow], none_reported: Msg
) -> IndicatorResult | None:
    """Return an insufficient-data result if ``flows`` is empty or has an unknown quantity.

    Every flow-summing indicator starts with this guard, so that a sum is never silently
    short of a flow that was reported without a number.
    """
    if not flows:
        return insufficient(ind, unit, none_reported)
    if missing := unknown(flows):
        return insufficient(ind, unit, unknown_note(view, missing))
    return None
