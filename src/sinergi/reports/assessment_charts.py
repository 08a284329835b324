"""Geometry of the assessment charts, computed here so the template only draws.

Both charts read from zero on an axis that always spans 0-100 %, with five labelled ticks.
The category chart stacks every encoded criterion of a category by status (so one criterion
met out of seven is a seventh of a bar, never a full bar); a category with no encoded criterion
has no bar. The trend chart draws only series that have a value in some period.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sinergi.assess.compare import ComparisonRow
from sinergi.assess.engine import STATUS_TEXT, CategoryResult, Status
from sinergi.i18n import format_percent_value, gettext

#: Tick values of both charts' percent axes (five labelled ticks from zero).
TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)
#: Colour of each status in the stacked bars (the same classes colour the tables).
COLOURS: dict[Status, str] = {
    Status.MET: "#2da44e",
    Status.PARTLY_MET: "#d4a72c",
    Status.NOT_MET: "#cf222e",
    Status.NOT_APPLICABLE: "#afb8c1",
    Status.NOT_ASSESSED: "#eaeef2",
}
_BAR_X, _BAR_W, _BAR_H, _ROW = 260.0, 300.0, 18.0, 30.0
_PLOT_X, _PLOT_Y, _PLOT_W, _PLOT_H = 50.0, 10.0, 400.0, 150.0


def category_bars(categories: Sequence[CategoryResult], lang: str) -> dict[str, Any]:
    """Return stacked bars (one segment per status) of the categories that encode criteria."""
    rows: list[dict[str, Any]] = []
    for cat in (c for c in categories if c.encoded):
        x = _BAR_X
        segments = []
        for status in Status:
            count = cat.counts.get(status, 0)
            if not count:
                continue
            width = _BAR_W * count / cat.encoded
            segments.append(
                {
                    "x": round(x, 1),
                    "width": round(width, 1),
                    "colour": COLOURS[status],
                    "label": f"{count} {gettext(lang, STATUS_TEXT[status])}",
                }
            )
            x += width
        rows.append(
            {
                "name": cat.name.render(lang),
                "y": round(_ROW * len(rows) + 20, 1),
                "segments": segments,
                "label": gettext(lang, "{met} met of {encoded}").format(
                    met=cat.counts.get(Status.MET, 0), encoded=cat.encoded
                ),
            }
        )
    axis_y = _ROW * len(rows) + 20
    ticks = [
        {"x": round(_BAR_X + _BAR_W * t, 1), "label": format_percent_value(t, lang)} for t in TICKS
    ]
    shown = [s for s in Status if any(c.counts.get(s, 0) for c in categories)]
    legend = [
        {"colour": COLOURS[s], "label": gettext(lang, STATUS_TEXT[s]), "x": 150.0 * i}
        for i, s in enumerate(shown)
    ]
    return {
        "rows": rows,
        "ticks": ticks,
        "axis_y": round(axis_y, 1),
        "legend_y": round(axis_y + 44, 1),
        "height": round(axis_y + 60, 1),
        "bar_x": _BAR_X,
        "bar_w": _BAR_W,
        "bar_h": _BAR_H,
        "legend": legend,
    }


def trend_chart(
    history: Sequence[ComparisonRow], categories: Sequence[CategoryResult], lang: str
) -> dict[str, Any]:
    """Return the trend of coverage and of each category's share of criteria met, by period.

    The share met of a category counts partly met as half and is taken over all its encoded
    criteria, so a period where few were assessed does not read as a high score. Periods
    without a value are gaps in the line and '–' in the table; a series with no value at all
    is left out.
    """
    rows = list(history)
    step = _PLOT_W / max(len(rows) - 1, 1)
    labels = [("coverage", gettext(lang, "criteria assessed"))]
    labels += [(c.id, c.name.render(lang)) for c in categories if c.encoded]
    series = []
    for sid, name in labels:
        values = [r.coverage if sid == "coverage" else r.credit.get(sid) for r in rows]
        if all(v is None for v in values):
            continue
        dots = [
            (round(_PLOT_X + i * step, 1), round(_PLOT_Y + _PLOT_H * (1 - v), 1))
            for i, v in enumerate(values)
            if v is not None
        ]
        series.append(
            {
                "id": sid,
                "name": name,
                "values": values,
                "texts": [format_percent_value(v, lang) for v in values],
                "points": " ".join(f"{x},{y}" for x, y in dots),
                "dots": dots,
            }
        )
    return {
        "periods": [r.period for r in rows],
        "series": series,
        "x_ticks": [
            {"label": r.period, "x": round(_PLOT_X + i * step, 1)} for i, r in enumerate(rows)
        ],
        "y_ticks": [
            {"label": format_percent_value(t, lang), "y": round(_PLOT_Y + _PLOT_H * (1 - t), 1)}
            for t in TICKS
        ],
        "plot": {"x": _PLOT_X, "y": _PLOT_Y, "w": _PLOT_W, "h": _PLOT_H},
    }
