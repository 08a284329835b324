"""The park page's exchange map: tenants as nodes, exchanges as directed edges, drawn as SVG.

Tenants have no site coordinates in the store (a :class:`~sinergi.model.nodes.Facility` has
none either), so the map is a diagram, not a site plan: tenants sit on a circle grouped by
their KBLI division, in a fixed order, so the same park always gives the same picture and a
reader can find a company again. Partners in other parks sit in a last group of their own.

An edge runs from supplier to receiver. Its colour, dash pattern and end markers say its
status (never colour alone); its width is the exchange's quantity relative to the largest
exchange **in the same unit** (tonnes are never compared with cubic metres). The geometry is
computed here, on the server, so the page needs no layout script; the words shown beside each
edge (the explanation) are composed in the reader's language from the stored exchange.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from sinergi.i18n import N_, format_idr, format_number
from sinergi.i18n import gettext as _
from sinergi.model.exchanges import ExchangeStatus
from sinergi.symbiosis.candidates import load_knowledge
from sinergi.symbiosis.explain import MODE_WORDS, amount_text, binding_text, co2e_text, money_text

#: How each status is drawn: colour (Okabe-Ito hues darkened to 3:1 or more on white), the
#: dash pattern (``""``: solid), whether the supplier's end carries a dot (built), and the
#: words for the line, so that the legend never relies on colour alone.
STATUS_STYLES: dict[ExchangeStatus, tuple[str, str, bool, str]] = {
    ExchangeStatus.PROPOSED: ("#0072b2", "8 5", False, N_("dashed line")),
    ExchangeStatus.UNDER_DISCUSSION: ("#c25400", "12 4 3 4", False, N_("dash-dot line")),
    ExchangeStatus.ACCEPTED: ("#007a5a", "", False, N_("solid line")),
    ExchangeStatus.IMPLEMENTED: ("#1b1f24", "", True, N_("solid line, dot at the supplier")),
    ExchangeStatus.REJECTED: ("#6e7781", "2 5", False, N_("dotted line")),
}

#: Group of the partners that are not tenants of this park.
OTHER_PARKS = "~other"
#: Node radius, widest edge and narrowest edge (px of the drawing).
NODE_R = 6.0
WIDEST = 7.0
NARROWEST = 1.5
#: Labels longer than this are cut (the full name is in the node's tooltip).
LABEL_CHARS = 30
#: Mean advance of a 12 px system-font character, to reserve room for labels.
CHAR_PX = 6.6


@dataclass(frozen=True, slots=True)
class MapTenant:
    """A company to draw: its id, display name and KBLI codes; ``in_park`` False for partners."""

    id: str
    name: str
    kbli: tuple[str, ...] = ()
    in_park: bool = True


@dataclass(frozen=True, slots=True)
class MapNode:
    """A drawn company: centre, label position and rotation (degrees), and text anchor."""

    id: str
    name: str
    label: str
    group: str
    x: float
    y: float
    label_x: float
    label_y: float
    rotate: float
    anchor: str
    linked: bool


@dataclass(frozen=True, slots=True)
class MapGroup:
    """A KBLI division (or the other parks) as an arc inside the circle, with its label."""

    key: str
    path: str
    label_x: float
    label_y: float


@dataclass(frozen=True, slots=True)
class MapEdge:
    """One exchange as a quadratic curve from supplier to receiver."""

    exchange_id: str
    supplier: str
    receiver: str
    status: ExchangeStatus
    unit: str
    amount: float
    path: str
    width: float


@dataclass(frozen=True, slots=True)
class UnitScale:
    """The largest exchange of a unit: the amount drawn at the widest width."""

    unit: str
    largest: float
    count: int


@dataclass(frozen=True, slots=True)
class ExchangeMap:
    """Everything the template needs to draw the map (a square of side ``size``)."""

    size: float
    nodes: tuple[MapNode, ...]
    groups: tuple[MapGroup, ...]
    edges: tuple[MapEdge, ...]
    scales: tuple[UnitScale, ...]


def group_of(tenant: MapTenant) -> str:
    """Return the tenant's group: its first KBLI code's two-digit division, or ``""``."""
    if not tenant.in_park:
        return OTHER_PARKS
    return tenant.kbli[0][:2] if tenant.kbli else ""


def _order(tenants: Sequence[MapTenant]) -> list[list[MapTenant]]:
    """Return tenants in groups: divisions ascending, then no division, then other parks."""
    groups: dict[str, list[MapTenant]] = {}
    for t in tenants:
        groups.setdefault(group_of(t), []).append(t)

    def rank(key: str) -> tuple[int, str]:
        return (2 if key == OTHER_PARKS else 1 if key == "" else 0, key)

    return [sorted(groups[k], key=lambda t: (t.name, t.id)) for k in sorted(groups, key=rank)]


def _cut(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"


def _point(cx: float, r: float, angle: float) -> tuple[float, float]:
    return (cx + r * math.cos(angle), cx + r * math.sin(angle))


def _arc(cx: float, r: float, start: float, end: float) -> str:
    (x0, y0), (x1, y1) = _point(cx, r, start), _point(cx, r, end)
    large = 1 if end - start > math.pi else 0
    return f"M{x0:.1f} {y0:.1f}A{r:.1f} {r:.1f} 0 {large} 1 {x1:.1f} {y1:.1f}"


def layout_nodes(
    tenants: Sequence[MapTenant], linked: frozenset[str]
) -> tuple[float, list[MapNode], list[MapGroup]]:
    """Place tenants on a circle, grouped, clockwise from the top; return side, nodes, groups.

    One empty slot separates groups, so a division reads as a run of neighbours. The circle
    grows with the number of slots (15 px of arc each) so labels never touch.
    """
    groups = _order(tenants)
    slots = sum(len(g) for g in groups) + (len(groups) if len(groups) > 1 else 0)
    radius = max(230.0, slots * 15.0 / (2 * math.pi))
    longest = max((len(_cut(t.name)) for t in tenants), default=0)
    side = 2 * (radius + 14 + longest * CHAR_PX + 10)
    cx = side / 2
    step = 2 * math.pi / max(slots, 1)
    nodes: list[MapNode] = []
    arcs: list[MapGroup] = []
    slot = 0
    for members in groups:
        first = -math.pi / 2 + slot * step
        for t in members:
            angle = -math.pi / 2 + slot * step
            x, y = _point(cx, radius, angle)
            lx, ly = _point(cx, radius + 12, angle)
            right = math.cos(angle) >= -1e-9
            degrees = math.degrees(angle) + (0 if right else 180)
            nodes.append(
                MapNode(
                    t.id,
                    t.name,
                    _cut(t.name),
                    group_of(t),
                    x,
                    y,
                    lx,
                    ly,
                    degrees,
                    "start" if right else "end",
                    t.id in linked,
                )
            )
            slot += 1
        last = -math.pi / 2 + (slot - 1) * step
        pad = step * 0.3
        mid = (first + last) / 2
        lx, ly = _point(cx, radius - 34, mid)
        arcs.append(
            MapGroup(group_of(members[0]), _arc(cx, radius - 16, first - pad, last + pad), lx, ly)
        )
        if len(groups) > 1:
            slot += 1
    return side, nodes, arcs


def edge_path(start: tuple[float, float], end: tuple[float, float], centre: float) -> str:
    """Return an SVG quadratic curve from ``start`` to ``end``, bowed toward the centre.

    Short chords (neighbours, often of one KBLI group) bow deepest, so their arrows stay
    visible instead of hugging the rim. The control point is also pushed to the right of the
    direction of travel, so that A→B and B→A are two curves, not one line. Both ends stop at
    the node's rim, so the arrowhead shows.
    """
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    length = math.hypot(dx, dy) or 1.0
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    reach = math.hypot(mx - centre, my - centre) + length / 2  # about the circle's radius
    pull = 0.85 - 0.6 * min(length / (2 * reach), 1.0)
    side = 0.12 * length
    qx = (1 - pull) * mx + pull * centre - dy / length * side
    qy = (1 - pull) * my + pull * centre + dx / length * side
    sx, sy = _towards(x0, y0, qx, qy, NODE_R + 1)
    ex, ey = _towards(x1, y1, qx, qy, NODE_R + 3)
    return f"M{sx:.1f} {sy:.1f}Q{qx:.1f} {qy:.1f} {ex:.1f} {ey:.1f}"


def _towards(x: float, y: float, tx: float, ty: float, by: float) -> tuple[float, float]:
    d = math.hypot(tx - x, ty - y) or 1.0
    return (x + (tx - x) / d * by, y + (ty - y) / d * by)


def edge_widths(amounts: Sequence[tuple[str, float]]) -> tuple[list[float], list[UnitScale]]:
    """Return each (unit, amount)'s width, proportional to the largest amount of its unit.

    Amounts in different units are never compared: each unit has its own largest exchange,
    drawn at :data:`WIDEST`. The narrowest edge is :data:`NARROWEST` so it stays visible.
    """
    largest: dict[str, float] = {}
    count: dict[str, int] = {}
    for unit, amount in amounts:
        largest[unit] = max(largest.get(unit, 0.0), amount)
        count[unit] = count.get(unit, 0) + 1
    widths = [
        max(NARROWEST, WIDEST * amount / largest[unit]) if largest[unit] > 0 else NARROWEST
        for unit, amount in amounts
    ]
    scales = [UnitScale(u, largest[u], count[u]) for u in sorted(largest)]
    return widths, scales


@dataclass(frozen=True, slots=True)
class MapExchange:
    """What the map needs of one stored exchange."""

    id: str
    supplier: str
    receiver: str
    status: ExchangeStatus
    unit: str
    amount: float


def exchange_map(tenants: Sequence[MapTenant], exchanges: Sequence[MapExchange]) -> ExchangeMap:
    """Return the map of ``exchanges`` among ``tenants`` (partners missing from it are added).

    Raises nothing on a partner the reader cannot name: it is drawn under its id.
    """
    known = {t.id for t in tenants}
    extra = sorted({n for x in exchanges for n in (x.supplier, x.receiver)} - known)
    everyone = [*tenants, *(MapTenant(n, n, (), in_park=False) for n in extra)]
    linked = frozenset(n for x in exchanges for n in (x.supplier, x.receiver))
    side, nodes, groups = layout_nodes(everyone, linked)
    where = {n.id: (n.x, n.y) for n in nodes}
    widths, scales = edge_widths([(x.unit, x.amount) for x in exchanges])
    edges = tuple(
        MapEdge(
            x.id,
            x.supplier,
            x.receiver,
            x.status,
            x.unit,
            x.amount,
            edge_path(where[x.supplier], where[x.receiver], side / 2),
            w,
        )
        for x, w in zip(exchanges, widths, strict=True)
    )
    return ExchangeMap(side, tuple(nodes), tuple(groups), edges, tuple(scales))


@cache
def rule_names() -> dict[str, tuple[str, str]]:
    """Return each shipped rule's English and Indonesian name (read once: package data).

    A rule from a facilitator's own file is not here; its exchanges show the rule id.
    """
    return {r.id: (r.name, r.name_id or r.name) for r in load_knowledge().rules.rules}


class Line(NamedTuple):
    """One line of an exchange's explanation: a fixed key, its label and text in a language."""

    key: str
    label: str
    text: str


def explanation(
    exchange: Any, names: Mapping[str, str], commodity: tuple[str, str, str], lang: str
) -> list[Line]:
    """Return the explanation of a stored exchange as lines in ``lang``.

    ``commodity`` is the supplied commodity's name, the replaced input's name and the unit.
    What the optimiser stored (mode, distance, binding limits, fixed cost, illustrative flag)
    is read from ``exchange.explanation``; a key it lacks leaves its line out.
    """
    why: dict[str, Any] = exchange.explanation or {}
    supplied, replaced, unit = commodity
    lines = [
        Line("from", _(lang, "From"), names.get(exchange.supplier, exchange.supplier)),
        Line("to", _(lang, "To"), names.get(exchange.receiver, exchange.receiver)),
        Line(
            "commodity",
            _(lang, "Commodity"),
            _(lang, "{supplied}, in place of {replaced}").format(
                supplied=supplied, replaced=replaced
            ),
        ),
        Line(
            "quantity",
            _(lang, "Quantity"),
            _(lang, "{amount} {unit} in {period}").format(
                amount=amount_text(exchange.amount, lang), unit=unit, period=exchange.period
            ),
        ),
        Line("emissions", _(lang, "Emissions"), co2e_text(exchange.co2e_t, lang)),
        Line("money", _(lang, "Money"), money_text(exchange.net_benefit_idr, lang)),
    ]
    fixed = (why.get("per_unit") or {}).get("fixed_cost_idr")
    if fixed:
        lines.append(Line("fixed_cost", _(lang, "Fixed cost of the link"), format_idr(fixed, lang)))
    if "mode" in why and "distance_km" in why:
        mode = MODE_WORDS.get(why["mode"])
        text = _(lang, "by {mode} over {km} km").format(
            mode=_(lang, mode) if mode else why["mode"],
            km=format_number(why["distance_km"], lang, 1),
        )
        lines.append(Line("transport", _(lang, "Transport"), text))
    rule = rule_names().get(exchange.rule_id)
    title = (rule[1] if lang == "id" else rule[0]) if rule else exchange.rule_id
    reason = _(lang, "rule {name} ({rule})").format(name=title, rule=exchange.rule_id)
    if "binding" in why:
        limits = binding_text(why["binding"], lang)
        reason += "; " + _(lang, "limited by: {limits}").format(limits=limits)
    lines.append(Line("why", _(lang, "Why proposed"), reason))
    if why.get("illustrative"):
        lines.append(Line("numbers", _(lang, "Numbers"), _(lang, ILLUSTRATIVE)))
    return lines


#: Said of an exchange whose figures rest on at least one illustrative number.
ILLUSTRATIVE = N_("rest on illustrative values (no published value was found for some)")
