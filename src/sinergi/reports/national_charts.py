"""Inline SVG charts of the national pages: a smelter map, bars by province, bands over years.

The map places each smelter at its coordinates on longitude/latitude axes (degrees), coloured
by route, with the area of its dot proportional to its nickel output; smelters without
coordinates are counted under the map, not placed. Bands draw the 2.5-97.5 % Monte Carlo range
as a shaded area around the deterministic line. Axes are labelled with their units.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from sinergi.i18n import format_number
from sinergi.reports.emobility_charts import COLOURS, nice_ticks

__all__ = ["band_chart", "bars", "smelter_map"]

#: one colour per route (nine routes), the shared palette first
ROUTE_COLOURS = (*COLOURS, "#e16f24", "#6e7781")


def _axis_text(x: float, y: float, text: str, anchor: str = "middle", rotate: bool = False) -> str:
    turn = f' transform="rotate(-90 {x} {y})"' if rotate else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="11" text-anchor="{anchor}"{turn}>'
        f"{escape(text)}</text>"
    )


def smelter_map(
    points: Sequence[Mapping[str, Any]],
    *,
    route_names: Mapping[str, str],
    x_label: str,
    y_label: str,
    lang: str,
    width: int = 820,
    height: int = 420,
) -> str:
    """Return a map of smelters (``latitude``, ``longitude``, ``route``, ``ni_t``)."""
    placed = [p for p in points if p.get("latitude") is not None and p.get("longitude") is not None]
    if not placed:
        return ""
    lons = [float(p["longitude"]) for p in placed]
    lats = [float(p["latitude"]) for p in placed]
    xt = nice_ticks(min(lons) - 0.5, max(lons) + 0.5)
    yt = nice_ticks(min(lats) - 0.5, max(lats) + 0.5)
    left, right, top, bottom = 60.0, width - 250.0, 10.0, height - 46.0

    def px(lon: float) -> float:
        return left + (lon - xt[0]) / (xt[-1] - xt[0]) * (right - left)

    def py(lat: float) -> float:
        return bottom - (lat - yt[0]) / (yt[-1] - yt[0]) * (bottom - top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        'font-family="DejaVu Sans, Arial, sans-serif">',
        f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" '
        'fill="#eef6fb" stroke="#8c959f"/>',
    ]
    for t in xt:
        parts.append(_axis_text(px(t), bottom + 14, format_number(t, lang, 1)))
    for t in yt:
        parts.append(_axis_text(left - 6, py(t) + 4, format_number(t, lang, 1), "end"))
    parts.append(_axis_text((left + right) / 2, bottom + 32, x_label))
    parts.append(_axis_text(14, (top + bottom) / 2, y_label, rotate=True))
    routes = sorted({str(p["route"]) for p in placed})
    biggest = max((float(p.get("ni_t") or 0.0) for p in placed), default=0.0) or 1.0
    for p in placed:
        colour = ROUTE_COLOURS[routes.index(str(p["route"])) % len(ROUTE_COLOURS)]
        radius = 2.5 + 7.5 * math.sqrt(float(p.get("ni_t") or 0.0) / biggest)
        parts.append(
            f'<circle cx="{px(float(p["longitude"])):.1f}" cy="{py(float(p["latitude"])):.1f}" '
            f'r="{radius:.1f}" fill="{colour}" fill-opacity="0.6" stroke="{colour}"/>'
        )
    for k, route in enumerate(routes):
        y = top + 14 + 18 * k
        parts.append(
            f'<circle cx="{right + 16}" cy="{y - 4}" r="5" '
            f'fill="{ROUTE_COLOURS[k % len(ROUTE_COLOURS)]}"/>'
            f'<text x="{right + 26}" y="{y}" font-size="11">{escape(route_names.get(route, route))}'
            "</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def band_chart(
    years: Sequence[int],
    series: Mapping[str, Sequence[float | None]],
    bands: Mapping[str, tuple[Sequence[float], Sequence[float]]],
    *,
    y_label: str,
    x_label: str,
    lang: str,
    threshold: tuple[str, float] | None = None,
    width: int = 900,
    height: int = 280,
) -> str:
    """Return lines over years with shaded bands; ``threshold`` draws a labelled level."""
    values = [v for s in series.values() for v in s if v is not None]
    values += [v for low, high in bands.values() for v in (*low, *high)]
    if threshold is not None:
        values.append(threshold[1])
    if not values or len(years) < 2:
        return ""
    ticks = nice_ticks(min(0.0, *values), max(values))
    left, right, top, bottom = 70.0, width - 270.0, 10.0, height - 46.0

    def px(year: float) -> float:
        return left + (year - years[0]) / (years[-1] - years[0]) * (right - left)

    def py(v: float) -> float:
        return bottom - (v - ticks[0]) / (ticks[-1] - ticks[0]) * (bottom - top)

    digits = 0 if ticks[1] - ticks[0] >= 1 else 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        'font-family="DejaVu Sans, Arial, sans-serif">'
    ]
    for t in ticks:
        parts.append(
            f'<line x1="{left}" y1="{py(t):.1f}" x2="{right}" y2="{py(t):.1f}" stroke="#d0d7de"/>'
        )
        parts.append(_axis_text(left - 6, py(t) + 4, format_number(t, lang, digits), "end"))
    step = max(1, math.ceil(len(years) / 8))
    for year in years[::step]:
        parts.append(_axis_text(px(year), bottom + 14, str(year)))
    parts.append(_axis_text((left + right) / 2, bottom + 32, x_label))
    parts.append(_axis_text(14, (top + bottom) / 2, y_label, rotate=True))
    for k, (name, line) in enumerate(series.items()):
        colour = COLOURS[k % len(COLOURS)]
        if name in bands:
            low, high = bands[name]
            outline = [f"{px(y):.1f},{py(v):.1f}" for y, v in zip(years, high, strict=True)]
            outline += [
                f"{px(y):.1f},{py(v):.1f}" for y, v in reversed(list(zip(years, low, strict=True)))
            ]
            parts.append(f'<polygon points="{" ".join(outline)}" fill="{colour}" opacity="0.18"/>')
        points = [
            f"{px(y):.1f},{py(v):.1f}" for y, v in zip(years, line, strict=True) if v is not None
        ]
        parts.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
            'stroke-width="2"/>'
        )
        parts.append(
            f'<line x1="{right + 10}" y1="{top + 10 + 18 * k}" x2="{right + 26}" '
            f'y2="{top + 10 + 18 * k}" stroke="{colour}" stroke-width="3"/>'
            f'<text x="{right + 30}" y="{top + 14 + 18 * k}" font-size="11">{escape(name)}</text>'
        )
    if threshold is not None:
        label, level = threshold
        parts.append(
            f'<line x1="{left}" y1="{py(level):.1f}" x2="{right}" y2="{py(level):.1f}" '
            'stroke="#cf222e" stroke-dasharray="5,4"/>'
            f'<text x="{right - 4}" y="{py(level) - 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#cf222e">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def bars(
    labels: Sequence[str], values: Sequence[float], *, x_label: str, lang: str, width: int = 720
) -> str:
    """Return horizontal bars from zero, each labelled with its value (empty without data)."""
    if not labels or not any(values):
        return ""
    row, left, right, top = 26, 190.0, width - 90.0, 8.0
    bottom = top + row * len(labels)
    ticks = nice_ticks(0.0, max(values))

    def px(v: float) -> float:
        return left + v / ticks[-1] * (right - left)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{int(bottom + 46)}" '
        'role="img" font-family="DejaVu Sans, Arial, sans-serif">'
    ]
    digits = 0 if ticks[1] - ticks[0] >= 1 else 1
    for t in ticks:
        parts.append(
            f'<line x1="{px(t):.1f}" y1="{top}" x2="{px(t):.1f}" y2="{bottom}" stroke="#d0d7de"/>'
        )
        parts.append(_axis_text(px(t), bottom + 14, format_number(t, lang, digits)))
    for k, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + k * row + 4
        parts.append(_axis_text(left - 8, y + 13, label, "end"))
        parts.append(
            f'<rect x="{left}" y="{y}" width="{max(px(value) - left, 0):.1f}" height="18" '
            f'fill="{COLOURS[0]}"/>'
        )
        parts.append(_axis_text(px(value) + 4, y + 13, format_number(value, lang, 2), "start"))
    parts.append(_axis_text((left + right) / 2, bottom + 34, x_label))
    parts.append("</svg>")
    return "".join(parts)
