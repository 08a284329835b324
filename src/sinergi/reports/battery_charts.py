"""Line charts as inline SVG for the battery report, drawn by the rules a reader relies on.

* Linear axes start at zero; the y axis has at least four labelled ticks on a 1-2-5 step.
* A logarithmic axis is said to be one ("log scale" in the axis title) and ticks decades,
  with 2 and 5 between them when fewer than four decades are shown.
* Every axis has a title with its unit; tick labels follow the page language's number format.
* A series without any value to draw is left out (and the legend says nothing about it); an
  illustrative series is dashed and marked "(illustrative)" in the legend.
* Years after the last sourced year can be shaded and labelled as a projection.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from sinergi.i18n import _, format_number

COLOURS = ("#0969da", "#2da44e", "#bf8700", "#cf222e", "#8250df", "#57606a")
MIN_TICKS = 4


@dataclass(frozen=True)
class Series:
    """One line: its legend name, values (``None`` where unknown) and whether illustrative."""

    name: str
    values: Sequence[float | None]
    illustrative: bool = False


@dataclass(frozen=True)
class Axes:
    """Titles (with units) and scale of a chart."""

    x_title: str
    y_title: str
    log_y: bool = False
    projection_from: float | None = None


def linear_ticks(high: float, minimum: int = MIN_TICKS) -> list[float]:
    """Return ticks from 0 to at least ``high`` on a 1-2-5 step, at least ``minimum`` of them.

    >>> linear_ticks(13.2)
    [0.0, 5.0, 10.0, 15.0]
    >>> linear_ticks(0.0)
    [0.0, 1.0, 2.0, 3.0]
    """
    if high <= 0:
        return [float(i) for i in range(minimum)]
    for step in _steps(high):
        count = math.ceil(high / step - 1e-9)
        if count + 1 >= minimum:
            return [round(i * step, 12) for i in range(count + 1)]
    return [float(i) for i in range(minimum)]  # pragma: no cover - the steps always reach


def _steps(high: float) -> list[float]:
    """Return 1-2-5 steps from the largest that fits ``high`` downwards."""
    exponent = math.floor(math.log10(high))
    return [m * 10.0**e for e in range(exponent, exponent - 3, -1) for m in (5, 2, 1)]


def log_ticks(low: float, high: float) -> list[float]:
    """Return decade ticks covering ``[low, high]``, with 2 and 5 added if fewer than four.

    >>> log_ticks(0.004, 1.0)
    [0.001, 0.01, 0.1, 1.0]
    """
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    decades = [10.0**e for e in range(first, last + 1)]
    if len(decades) >= MIN_TICKS:
        return decades
    return sorted({v * m for v in decades for m in (1, 2, 5) if v * m <= 10.0**last})


def _digits(ticks: list[float]) -> int:
    """Return the decimals needed to tell the ticks apart."""
    smallest = min((abs(t) for t in ticks if t), default=1.0)
    return max(0, -math.floor(math.log10(smallest))) if smallest < 1 else 0


def line_chart(
    x: Sequence[float],
    series: Sequence[Series],
    axes: Axes,
    lang: str,
    *,
    width: int = 820,
    height: int = 290,
) -> str:
    """Return an SVG line chart, or a sentence saying there is nothing to draw."""
    drawn = [s for s in series if any(_drawable(v, axes.log_y) for v in s.values)]
    if not drawn or not x:
        nothing = _(lang, "No data to draw.")
        return f'<p class="note">{escape(nothing)}</p>'
    frame = _Frame(x, drawn, axes, width, height)
    parts = [
        f'<svg width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(axes.y_title)}" xmlns="http://www.w3.org/2000/svg">',
        *frame.projection(lang),
        *frame.grid(lang),
        *(frame.line(k, s, lang) for k, s in enumerate(drawn)),
        "</svg>",
    ]
    return "".join(parts)


def _drawable(value: float | None, log_y: bool) -> bool:
    return value is not None and math.isfinite(value) and (value > 0 or not log_y)


class _Frame:
    """Maps data to pixels and draws the axes, ticks, titles and lines of one chart."""

    def __init__(
        self, x: Sequence[float], series: list[Series], axes: Axes, width: int, height: int
    ) -> None:
        self.x, self.axes, self.width, self.height = list(x), axes, width, height
        values = [float(v) for s in series for v in s.values if v is not None]
        values = [v for v in values if _drawable(v, axes.log_y)]
        self.years = min(self.x) >= 1000
        if self.years:  # a time axis spans the years shown
            self.xticks = _year_ticks(min(self.x), max(self.x))
            self.x0, self.x1 = min(self.x), max(self.x)
        else:  # a quantity axis starts at zero
            self.xticks = linear_ticks(max(self.x))
            self.x0, self.x1 = 0.0, self.xticks[-1]
        if axes.log_y:
            self.yticks = log_ticks(min(values), max(values))
        else:
            self.yticks = linear_ticks(max(values))
        self.left, self.right = 70.0, width - 250.0
        self.top, self.bottom = 12.0, height - 48.0

    def px(self, value: float) -> float:
        return self.left + (value - self.x0) / (self.x1 - self.x0) * (self.right - self.left)

    def py(self, value: float) -> float:
        lo, hi = self.yticks[0], self.yticks[-1]
        if self.axes.log_y:
            share = (math.log10(value) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
        else:
            share = (value - lo) / (hi - lo)
        return self.bottom - share * (self.bottom - self.top)

    def grid(self, lang: str) -> list[str]:
        parts = [
            f'<rect x="{self.left}" y="{self.top}" width="{self.right - self.left}" '
            f'height="{self.bottom - self.top}" fill="none" stroke="#8c959f"/>'
        ]
        for tick in self.yticks:
            y = self.py(tick)
            # a log axis labels each decade with its own decimals (0.001, 0.01, 0.1, 1)
            y_digits = _digits([tick] if self.axes.log_y else self.yticks)
            parts.append(
                f'<line x1="{self.left}" x2="{self.right}" y1="{y:.1f}" y2="{y:.1f}" '
                'stroke="#d0d7de" stroke-width="0.5"/>'
                f'<text x="{self.left - 6}" y="{y + 3:.1f}" font-size="10" text-anchor="end">'
                f"{escape(format_number(tick, lang, y_digits))}</text>"
            )
        for tick in self.xticks:
            x = self.px(tick)
            label = f"{tick:.0f}" if self.years else format_number(tick, lang, _digits(self.xticks))
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{self.bottom}" y2="{self.bottom + 4}" '
                'stroke="#57606a"/>'
                f'<text x="{x:.1f}" y="{self.bottom + 16}" font-size="10" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
        middle = (self.left + self.right) / 2
        parts.append(
            f'<text x="{middle:.1f}" y="{self.height - 6}" font-size="11" '
            f'text-anchor="middle">{escape(self.axes.x_title)}</text>'
            f'<text x="14" y="{(self.top + self.bottom) / 2:.1f}" font-size="11" '
            f'text-anchor="middle" transform="rotate(-90 14 {(self.top + self.bottom) / 2:.1f})">'
            f"{escape(self.axes.y_title)}</text>"
        )
        return parts

    def projection(self, lang: str) -> list[str]:
        start = self.axes.projection_from
        if start is None or start >= self.x1:
            return []
        x = self.px(max(start, self.x0))
        label = _(lang, "projection (illustrative path)")
        return [
            f'<rect x="{x:.1f}" y="{self.top}" width="{self.right - x:.1f}" '
            f'height="{self.bottom - self.top}" fill="#fff8c5" opacity="0.6"/>'
            f'<text x="{x + 4:.1f}" y="{self.top + 12}" font-size="10" fill="#7d4e00">'
            f"{escape(label)}</text>"
        ]

    def line(self, k: int, series: Series, lang: str) -> str:
        colour = COLOURS[k % len(COLOURS)]
        points = " ".join(
            f"{self.px(xv):.1f},{self.py(yv):.1f}"
            for xv, yv in zip(self.x, series.values, strict=True)
            if yv is not None and _drawable(yv, self.axes.log_y)
        )
        dash = ' stroke-dasharray="5 3"' if series.illustrative else ""
        flag = _(lang, "illustrative")
        name = series.name + (f" ({flag})" if series.illustrative else "")
        return (
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
            f'<line x1="{self.right + 10}" x2="{self.right + 26}" y1="{self.top + 8 + 16 * k}" '
            f'y2="{self.top + 8 + 16 * k}" stroke="{colour}" stroke-width="2"{dash}/>'
            f'<text x="{self.right + 30}" y="{self.top + 12 + 16 * k}" font-size="10" '
            f'fill="{colour}">{escape(name)}</text>'
        )


def _year_ticks(first: float, last: float) -> list[float]:
    """Return whole-year ticks inside ``[first, last]`` on a 1-2-5 step, four or more.

    A span of under three years gets every year.

    >>> _year_ticks(2019, 2045)
    [2020.0, 2025.0, 2030.0, 2035.0, 2040.0, 2045.0]
    """
    for step in (50, 20, 10, 5, 2, 1):
        start = math.ceil(first / step) * step
        ticks = [float(t) for t in range(int(start), int(last) + 1, step)]
        if len(ticks) >= MIN_TICKS:
            return ticks
    return [float(t) for t in range(int(first), int(last) + 1)]
