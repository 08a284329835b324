"""Inline SVG charts of a symbiosis recommendation: bars per exchange, a Sankey, a park map.

Every chart states its unit, draws its value axis from zero with at least four labelled ticks,
explains signs (a negative CO2e avoided is an increase, drawn in red to the left of zero), and
is drawn only when it has something to show. Numbers use the reader's language (1.234,5 in
Indonesian). A chart built on illustrative numbers says so in its caption.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

from sinergi.i18n import format_number
from sinergi.i18n import gettext as _

POSITIVE, NEGATIVE, LINK, POINT = "#2da44e", "#cf222e", "#0969da", "#8250df"

#: Longest bar chart and Sankey: the top exchanges by the objective.
TOP = 15


def nice_ticks(low: float, high: float, *, at_least: int = 4) -> list[float]:
    """Return round tick values covering ``[low, high]`` (zero included), at least ``at_least``.

    >>> nice_ticks(0, 95)
    [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
    >>> nice_ticks(0, 7)
    [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    >>> nice_ticks(-3, 10)
    [-4.0, -2.0, 0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    """
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1.0
    span = high - low
    step = unit = 10.0 ** math.floor(math.log10(span))
    for factor in (5.0, 2.0, 1.0, 0.5, 0.2, 0.1):
        if span / (unit * factor) >= at_least:
            step = unit * factor
            break
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    count = round((last - first) / step)
    return [round(first + i * step, 12) for i in range(count + 1)]


def _tick_text(value: float, lang: str) -> str:
    digits = 0 if value == 0 or abs(value) >= 10 or value == round(value) else 1
    return format_number(value, lang, digits)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    axis: str,
    lang: str,
    width: int = 900,
) -> str:
    """Return horizontal bars from zero, one per label, with a labelled value axis.

    Negative values are drawn to the left of zero in red; ``axis`` names the quantity and its
    unit (``t CO2e avoided per period``).
    """
    if not values:
        return ""
    ticks = nice_ticks(min(values), max(values))
    lo, hi = ticks[0], ticks[-1]
    left, right, top, row = 290.0, width - 20.0, 10.0, 20.0
    bottom = top + row * len(values)

    def px(v: float) -> float:
        return left + (v - lo) / (hi - lo) * (right - left)

    height = int(bottom + 45)
    parts = [f'<svg width="{width}" height="{height}" role="img" class="chart">']
    for tick in ticks:
        x = px(tick)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" '
            f'stroke="{"#57606a" if tick == 0 else "#d0d7de"}"/>'
            f'<text x="{x:.1f}" y="{bottom + 14}" font-size="10" text-anchor="middle">'
            f"{escape(_tick_text(tick, lang))}</text>"
        )
    for k, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + row * k + 3
        x0, x1 = sorted((px(0.0), px(value)))
        colour = POSITIVE if value >= 0 else NEGATIVE
        parts.append(
            f'<text x="{left - 6}" y="{y + 11}" font-size="10" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 0.5):.1f}" height="{row - 6}" '
            f'fill="{colour}"/>'
        )
    parts.append(
        f'<text x="{(left + right) / 2:.1f}" y="{bottom + 32}" font-size="11" '
        f'text-anchor="middle">{escape(axis)}</text></svg>'
    )
    return "".join(parts)


def sankey(links: Sequence[Mapping[str, Any]], *, unit: str, lang: str, width: int = 760) -> str:
    """Return a two-column Sankey of one unit's flows: suppliers left, receivers right.

    Band widths are proportional to the amount (only flows of one unit share a scale); each
    band is labelled with its amount and unit.
    """
    links = [link for link in links if link["unit"] == unit and link["amount"] > 0]
    if not links:
        return ""
    total = sum(link["amount"] for link in links)
    left_names = list(dict.fromkeys(link["supplier"] for link in links))
    right_names = list(dict.fromkeys(link["receiver"] for link in links))
    gap, scale_height = 8.0, 24.0 * max(len(left_names), len(right_names), 4)
    height = scale_height + gap * max(len(left_names), len(right_names)) + 40

    def stack(names: list[str], key: str) -> dict[str, float]:
        y, out = 20.0, {}
        for name in names:
            out[name] = y
            y += sum(lk["amount"] for lk in links if lk[key] == name) / total * scale_height
            y += gap
        return out

    y_left, y_right = stack(left_names, "supplier"), stack(right_names, "receiver")
    x0, x1 = 230.0, width - 230.0
    parts = [f'<svg width="{width}" height="{int(height)}" role="img" class="chart">']
    for link in links:
        thick = link["amount"] / total * scale_height
        a, b = y_left[link["supplier"]], y_right[link["receiver"]]
        y_left[link["supplier"]] += thick
        y_right[link["receiver"]] += thick
        mid = (x0 + x1) / 2
        parts.append(
            f'<path d="M{x0},{a + thick / 2:.1f} C{mid},{a + thick / 2:.1f} {mid},'
            f'{b + thick / 2:.1f} {x1},{b + thick / 2:.1f}" stroke="{LINK}" '
            f'stroke-opacity="0.45" stroke-width="{max(thick, 1.0):.1f}" fill="none">'
            f"<title>{escape(link['supplier'])} → {escape(link['receiver'])}: "
            f"{escape(format_number(link['amount'], lang))} {escape(unit)}</title></path>"
        )
    for names, start, x, anchor in (
        (left_names, stack(left_names, "supplier"), x0 - 6, "end"),
        (right_names, stack(right_names, "receiver"), x1 + 6, "start"),
    ):
        key = "supplier" if anchor == "end" else "receiver"
        for name in names:
            amount = sum(lk["amount"] for lk in links if lk[key] == name)
            parts.append(
                f'<text x="{x}" y="{start[name] + 10:.1f}" font-size="10" text-anchor="{anchor}">'
                f"{escape(name)} ({escape(format_number(amount, lang))} {escape(unit)})</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def park_map(
    points: Sequence[Mapping[str, Any]],
    links: Sequence[Mapping[str, Any]],
    *,
    lang: str,
    width: int = 760,
    height: int = 420,
) -> str:
    """Return parks on longitude/latitude axes (degrees, at least four ticks each) and links.

    Drawn only with two or more located parks; links between parks are lines labelled with the
    commodities they carry. Not a projection: a sketch of where exchanges travel.
    """
    located = [p for p in points if p["latitude"] is not None and p["longitude"] is not None]
    if len(located) < 2:
        return ""
    lons = [p["longitude"] for p in located]
    lats = [p["latitude"] for p in located]
    x_ticks = _range_ticks(min(lons), max(lons))
    y_ticks = _range_ticks(min(lats), max(lats))
    left, right, top, bottom = 60.0, width - 20.0, 10.0, height - 45.0

    def px(lon: float) -> float:
        return left + (lon - x_ticks[0]) / (x_ticks[-1] - x_ticks[0]) * (right - left)

    def py(lat: float) -> float:
        return bottom - (lat - y_ticks[0]) / (y_ticks[-1] - y_ticks[0]) * (bottom - top)

    where = {p["park"]: (px(p["longitude"]), py(p["latitude"])) for p in located}
    parts = [f'<svg width="{width}" height="{height}" role="img" class="chart">']
    parts += _grid(x_ticks, y_ticks, px, py, (left, right, top, bottom), lang)
    for link in links:
        if link["from"] in where and link["to"] in where and link["from"] != link["to"]:
            (xa, ya), (xb, yb) = where[link["from"]], where[link["to"]]
            parts.append(
                f'<line x1="{xa:.1f}" y1="{ya:.1f}" x2="{xb:.1f}" y2="{yb:.1f}" stroke="{LINK}" '
                f'stroke-width="2"><title>{escape(link["commodity"])}</title></line>'
            )
    for p in located:
        x, y = where[p["park"]]
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{POINT}"/>'
            f'<text x="{x + 6:.1f}" y="{y - 4:.1f}" font-size="10">{escape(p["park"])}</text>'
        )
    x_axis = escape(_(lang, "longitude (degrees east)"))
    y_axis = escape(_(lang, "latitude (degrees, north positive)"))
    middle = (top + bottom) / 2
    parts.append(
        f'<text x="{(left + right) / 2:.1f}" y="{height - 8}" font-size="11" '
        f'text-anchor="middle">{x_axis}</text>'
        f'<text x="12" y="{middle:.1f}" font-size="11" text-anchor="middle" '
        f'transform="rotate(-90 12 {middle:.1f})">{y_axis}</text></svg>'
    )
    return "".join(parts)


def _range_ticks(low: float, high: float) -> list[float]:
    """Return at least four round ticks spanning ``[low, high]`` (not forced through zero)."""
    if high - low < 0.5:
        low, high = low - 0.25, high + 0.25
    span = high - low
    step = 10.0 ** math.floor(math.log10(span))
    for factor in (1.0, 0.5, 0.2, 0.1):
        if span / (step * factor) >= 4:
            step *= factor
            break
    first, last = math.floor(low / step) * step, math.ceil(high / step) * step
    return [round(first + i * step, 9) for i in range(round((last - first) / step) + 1)]


def _grid(
    x_ticks: Sequence[float],
    y_ticks: Sequence[float],
    px: Callable[[float], float],
    py: Callable[[float], float],
    box: tuple[float, float, float, float],
    lang: str,
) -> list[str]:
    left, right, top, bottom = box
    parts = [
        f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" '
        'fill="#f6f8fa"/>'
    ]
    for t in x_ticks:
        parts.append(
            f'<line x1="{px(t):.1f}" y1="{top}" x2="{px(t):.1f}" y2="{bottom}" stroke="#d0d7de"/>'
            f'<text x="{px(t):.1f}" y="{bottom + 14}" font-size="10" text-anchor="middle">'
            f"{escape(format_number(t, lang, 1))}</text>"
        )
    for t in y_ticks:
        parts.append(
            f'<line x1="{left}" y1="{py(t):.1f}" x2="{right}" y2="{py(t):.1f}" stroke="#d0d7de"/>'
            f'<text x="{left - 4}" y="{py(t) + 3:.1f}" font-size="10" text-anchor="end">'
            f"{escape(format_number(t, lang, 1))}</text>"
        )
    return parts
