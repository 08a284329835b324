"""Inline SVG charts for the e-mobility pages: lines over years and bars against their maximum.

Every chart draws its value axis from zero (a series with negative values gets a zero line
inside the range), at least four labelled ticks at round numbers in the reader's number
style, the axis title with its unit, and a legend; an illustrative series is dashed and says
so in the legend. No chart is drawn without data: the caller gets ``""`` and shows a sentence.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from html import escape

from sinergi.i18n import _, format_number

__all__ = ["COLOURS", "bar_chart", "line_chart", "nice_ticks"]

COLOURS = ("#0969da", "#cf222e", "#2da44e", "#bf8700", "#8250df", "#57606a", "#1b7c83")


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Return round tick values covering ``[low, high]`` (at least four of them).

    >>> nice_ticks(0, 9.3)
    [0.0, 2.5, 5.0, 7.5, 10.0]
    """
    if high <= low:
        high = low + 1.0
    raw = (high - low) / (count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = [start]
    while ticks[-1] < high - 1e-9 * step:
        ticks.append(ticks[-1] + step)
    while len(ticks) < 4:
        ticks.append(ticks[-1] + step)
    return [round(t, 10) for t in ticks]


def _digits(ticks: Sequence[float]) -> int:
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    return 0 if step >= 1 else min(3, math.ceil(-math.log10(step)))


def line_chart(
    years: Sequence[int],
    series: Mapping[str, Sequence[float]],
    *,
    y_label: str,
    lang: str,
    illustrative: Sequence[str] = (),
    width: int = 720,
    height: int = 260,
) -> str:
    """Return an SVG line chart of ``series`` over ``years`` (empty string without data)."""
    values = [v for s in series.values() for v in s if v is not None and math.isfinite(v)]
    if not values or len(years) < 2:
        return ""
    ticks = nice_ticks(min(0.0, *values), max(0.0, *values))
    height += 18 * max(len(series) - 1, 0)
    left, right, top, bottom = 78.0, width - 16.0, 12.0, height - 40.0 - 18 * len(series)
    x0, x1 = years[0], years[-1]

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (right - left)

    def py(y: float) -> float:
        return bottom - (y - ticks[0]) / (ticks[-1] - ticks[0]) * (bottom - top)

    parts = [_frame(width, height, y_label, (top + bottom) / 2)]
    parts += _y_axis(ticks, left, right, py, lang)
    parts += _x_axis(years, bottom, left, right, px, lang)
    for k, (name, ys) in enumerate(series.items()):
        colour = COLOURS[k % len(COLOURS)]
        dash = ' stroke-dasharray="6 4"' if name in illustrative else ""
        points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(years, ys, strict=True))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
        )
    parts.append(_legend(list(series), illustrative, lang, left, bottom + 54))
    parts.append("</svg>")
    return "".join(parts)


def _y_axis(
    ticks: Sequence[float], left: float, right: float, py: Callable[[float], float], lang: str
) -> list[str]:
    """Return the horizontal grid lines and labelled value ticks (the zero line darker)."""
    parts, digits = [], _digits(ticks)
    for tick in ticks:
        y = py(tick)
        stroke = "#57606a" if tick == 0 else "#d0d7de"
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{stroke}"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">'
            f"{escape(format_number(tick, lang, digits))}</text>"
        )
    return parts


def _x_axis(
    years: Sequence[int],
    bottom: float,
    left: float,
    right: float,
    px: Callable[[float], float],
    lang: str,
) -> list[str]:
    """Return the labelled year ticks and the axis title."""
    parts = [
        f'<text x="{px(year):.1f}" y="{bottom + 16}" font-size="11" text-anchor="middle">'
        f"{year}</text>"
        for year in _year_ticks(years)
    ]
    axis = _(lang, "year")
    parts.append(
        f'<text x="{(left + right) / 2}" y="{bottom + 32}" font-size="11" '
        f'text-anchor="middle">{escape(axis)}</text>'
    )
    return parts


def _year_ticks(years: Sequence[int]) -> list[int]:
    span = years[-1] - years[0]
    step = max(1, math.ceil(span / 8))
    ticks = list(range(years[0], years[-1] + 1, step))
    if ticks[-1] != years[-1]:
        ticks.append(years[-1])
    return ticks


def _frame(width: int, height: int, y_label: str, plot_middle: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" font-family="DejaVu Sans, Arial, sans-serif">'
        f'<text x="14" y="{plot_middle}" font-size="11" text-anchor="middle" '
        f'transform="rotate(-90 14 {plot_middle})">{escape(y_label)}</text>'
    )


def _legend(
    names: Sequence[str], illustrative: Sequence[str], lang: str, x: float, y: float
) -> str:
    """Return the legend, one series per line from ``y`` down."""
    parts = []
    for k, name in enumerate(names):
        colour = COLOURS[k % len(COLOURS)]
        flag = _(lang, "illustrative")
        label = f"{name} ({flag})" if name in illustrative else name
        dash = ' stroke-dasharray="6 4"' if name in illustrative else ""
        line_y = y + 18 * k
        parts.append(
            f'<line x1="{x}" y1="{line_y - 4}" x2="{x + 18}" y2="{line_y - 4}" '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
            f'<text x="{x + 22}" y="{line_y}" font-size="11">{escape(label)}</text>'
        )
    return "".join(parts)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    maxima: Sequence[float],
    *,
    x_label: str,
    lang: str,
    width: int = 720,
) -> str:
    """Return horizontal bars of ``values`` drawn over grey bars of their ``maxima``."""
    if not labels:
        return ""
    row = 26
    left, right, top = 250.0, width - 120.0, 8.0
    bottom = top + row * len(labels)
    height = int(bottom + 46)
    ticks = nice_ticks(0.0, max(*maxima, *values, 1e-09))

    def px(v: float) -> float:
        return left + v / ticks[-1] * (right - left)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'role="img" font-family="DejaVu Sans, Arial, sans-serif">'
    ]
    digits = _digits(ticks)
    for tick in ticks:
        parts.append(
            f'<line x1="{px(tick):.1f}" y1="{top}" x2="{px(tick):.1f}" y2="{bottom}" '
            'stroke="#d0d7de"/>'
            f'<text x="{px(tick):.1f}" y="{bottom + 14}" font-size="11" text-anchor="middle">'
            f"{escape(format_number(tick, lang, digits))}</text>"
        )
    for k, (label, value, maximum) in enumerate(zip(labels, values, maxima, strict=True)):
        y = top + k * row + 4
        parts.append(
            f'<text x="{left - 8}" y="{y + 13}" font-size="12" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect x="{left}" y="{y}" width="{px(maximum) - left:.1f}" height="18" '
            'fill="#eaeef2"/>'
            f'<rect x="{left}" y="{y}" width="{max(px(value) - left, 0):.1f}" height="18" '
            f'fill="{COLOURS[0]}"/>'
            f'<text x="{px(maximum) + 4:.1f}" y="{y + 13}" font-size="11">'
            f"{escape(format_number(value, lang, 2))} / {escape(format_number(maximum, lang, 2))}"
            "</text>"
        )
    parts.append(
        f'<text x="{(left + right) / 2}" y="{bottom + 34}" font-size="11" '
        f'text-anchor="middle">{escape(x_label)}</text></svg>'
    )
    return "".join(parts)
