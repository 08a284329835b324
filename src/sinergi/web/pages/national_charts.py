"""The national page's charts across parks: coverage per park, totals by province, trends.

Pure functions from the figures the page already holds (the API's reads) to Plotly specs that
``dashboard.js`` draws. Each chart carries one unit (slag, FABA and CO2 in tonnes, energy in
MWh are never on one axis), its axis titles name the unit, and each has a table on the page
with the same figures. Withheld totals are left out of a chart and named in its note, never
drawn as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sinergi.i18n import N_, gettext
from sinergi.model.commodities import CommodityKind, default_catalogue

if TYPE_CHECKING:
    from sinergi.web.api.parks import Aggregates
    from sinergi.web.pages.national import ParkRow

#: Parks drawn in the coverage chart; the parks table lists every park.
TOP_PARKS = 20

#: Characters of a park's name shown beside its bar (the full name is in the tooltip).
LABEL_CHARS = 26

#: Plotly formats: plain digits with the page's separators (SI prefixes such as "M" read as
#: "miliar" in Indonesian, so none are used).
TICKS = ",~r"
HOVER = ",.4~r"


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart of the page: its element id, accessible label, Plotly spec and notes."""

    id: str
    title: str
    label: str
    spec: dict[str, Any]
    withheld: list[str]


@dataclass(frozen=True, slots=True)
class Headline:
    """A column of the national totals: a sum of commodities sharing one unit."""

    key: str
    label: str
    commodities: frozenset[str]


def headlines() -> list[Headline]:
    """Return the national totals' columns: slag, FABA, energy and fossil CO2."""
    catalogue = default_catalogue()
    energy = frozenset(
        c.id
        for c in catalogue.commodities.values()
        if c.kind is CommodityKind.ENERGY and c.unit == catalogue.get("electricity").unit
    )
    return [
        Headline("slag", N_("Slag"), frozenset({"nickel_slag", "iron_steel_slag"})),
        Headline("faba", N_("Fly and bottom ash (FABA)"), frozenset({"fly_ash", "bottom_ash"})),
        Headline("energy", N_("Energy"), energy),
        Headline("co2", N_("Fossil CO2"), frozenset({"co2"})),
    ]


@dataclass
class Total:
    """A headline total: its quantity and unit, or suppressed, or not reported."""

    quantity: float | None = None
    unit: str | None = None
    suppressed: bool = False

    def add(self, quantity: float | None, unit: str, suppressed: bool) -> None:
        """Add one part (a suppressed part suppresses the whole)."""
        self.unit = self.unit or unit
        if suppressed:
            self.suppressed = True
        elif quantity is not None:
            self.quantity = (self.quantity or 0.0) + quantity

    @property
    def shown(self) -> float | None:
        """Return the quantity a reader may see (``None`` when suppressed)."""
        return None if self.suppressed else self.quantity


def park_totals(aggregates: Aggregates | None, columns: list[Headline]) -> dict[str, Total]:
    """Return a park's headline totals from its published aggregates (none: not reported)."""
    totals = {h.key: Total() for h in columns}
    if aggregates is None:
        return totals
    for item in aggregates.totals:
        for h in columns:
            if item.commodity in h.commodities:
                totals[h.key].add(item.quantity, item.unit, item.suppressed)
    return totals


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def _bars(names: list[str], values: list[float], axis: str, percent: bool) -> dict[str, Any]:
    """Return horizontal bars, largest on top, with the value axis titled ``axis``."""
    trace = {
        "type": "bar",
        "orientation": "h",
        "x": list(reversed(values)),
        "y": [_short(n) for n in reversed(names)],
        "customdata": list(reversed(names)),
        "textposition": "none",
        "marker": {"color": "#0b5c4a"},
        "hovertemplate": "%{customdata}: %{x:" + (".0%" if percent else HOVER) + "}<extra></extra>",
    }
    axis_spec: dict[str, Any] = {"title": {"text": axis}, "rangemode": "tozero"}
    axis_spec |= {"tickformat": ".0%", "range": [0, 1]} if percent else {"tickformat": TICKS}
    layout = {
        "height": 90 + 24 * len(names),
        "margin": {"l": 10, "r": 10, "t": 10, "b": 50},
        "xaxis": axis_spec,
        "yaxis": {"automargin": True, "type": "category"},
        "showlegend": False,
    }
    return {"traces": [trace], "layout": layout}


def coverage_chart(rows: list[ParkRow], lang: str) -> Chart | None:
    """Return the share of criteria assessed of the best-covered parks (``None``: no reader's).

    Sorted by share, then name; the :data:`TOP_PARKS` first are drawn, the table lists all.
    """
    assessed = sorted(
        (r for r in rows if r.assessment is not None),
        key=lambda r: (-float(r.assessment["coverage"] if r.assessment else 0.0), r.name),
    )
    if not assessed:
        return None
    top = assessed[:TOP_PARKS]
    axis = gettext(lang, N_("Criteria assessed (share)"))
    spec = _bars(
        [r.name for r in top],
        [float(r.assessment["coverage"]) for r in top if r.assessment is not None],
        axis,
        percent=True,
    )
    title = gettext(lang, N_("Criteria assessed per park: the {shown} highest of {total}"))
    return Chart(
        "coverage-chart",
        title.format(shown=len(top), total=len(assessed)),
        gettext(lang, N_("Bars of the share of criteria assessed per park, highest first.")),
        spec,
        [],
    )


def _axis(lang: str, h: Headline, unit: str) -> str:
    return f"{gettext(lang, h.label)} ({unit})"


def province_charts(
    provinces: dict[str, dict[str, Total]], columns: list[Headline], lang: str
) -> list[Chart]:
    """Return one chart per headline of its totals by province (largest first)."""
    charts = []
    for h in columns:
        totals = {p: t[h.key] for p, t in provinces.items()}
        unit = next((t.unit for t in totals.values() if t.unit), None)
        shown = sorted(
            ((p, t.shown) for p, t in totals.items() if t.shown is not None),
            key=lambda item: (-(item[1] or 0.0), item[0]),
        )
        withheld = sorted(p for p, t in totals.items() if t.suppressed)
        if unit is None or not shown:
            continue  # nothing to draw; the table below says withheld or dash
        spec = _bars(
            [p for p, _ in shown], [q or 0.0 for _, q in shown], _axis(lang, h, unit), False
        )
        label = gettext(lang, N_("Bars of {what} by province, in {unit}, largest first."))
        charts.append(
            Chart(
                f"province-{h.key}",
                _axis(lang, h, unit),
                label.format(what=gettext(lang, h.label), unit=unit),
                spec,
                withheld,
            )
        )
    return charts


def national_by_year(
    yearly: list[Aggregates], columns: list[Headline]
) -> dict[str, dict[str, Total]]:
    """Return the headline totals of all parks for each year (withheld when any part is).

    The same rule as the totals by province: a park's withheld total withholds the year's
    national total, so a hidden figure cannot be recovered by subtraction.
    """
    found: dict[str, dict[str, Total]] = {}
    for item in yearly:
        into = found.setdefault(item.period, {h.key: Total() for h in columns})
        for key, total in park_totals(item, columns).items():
            if total.suppressed or total.quantity is not None:
                into[key].add(total.quantity, total.unit or "", total.suppressed)
    return dict(sorted(found.items()))


def parks_by_year(yearly: list[Aggregates]) -> dict[str, int]:
    """Return how many parks report each year: a national total grows with them too."""
    found: dict[str, int] = {}
    for item in yearly:
        found[item.period] = found.get(item.period, 0) + 1
    return dict(sorted(found.items()))


def trend_charts(
    years: dict[str, dict[str, Total]], columns: list[Headline], lang: str
) -> list[Chart]:
    """Return one line chart per headline of its national total by year (gaps where withheld)."""
    charts = []
    for h in columns:
        totals = {y: t[h.key] for y, t in years.items()}
        unit = next((t.unit for t in totals.values() if t.unit), None)
        if unit is None or all(t.shown is None for t in totals.values()):
            continue  # nothing shown in any year: the table below says withheld or dash
        trace = {
            "type": "scatter",
            "mode": "lines+markers",
            "x": list(totals),
            "y": [t.shown for t in totals.values()],
            "line": {"color": "#0b5c4a"},
            "hovertemplate": "%{x}: %{y:" + HOVER + "} " + unit + "<extra></extra>",
        }
        layout = {
            "height": 300,
            "margin": {"l": 10, "r": 10, "t": 10, "b": 50},
            "xaxis": {"type": "category", "title": {"text": gettext(lang, N_("Year"))}},
            "yaxis": {  # the unit only: a long rotated name was cut at 390 px (caption has it)
                "title": {"text": unit},
                "rangemode": "tozero",
                "tickformat": TICKS,
                "automargin": True,
            },
            "showlegend": False,
        }
        label = gettext(lang, N_("Line of the national total of {what} by year, in {unit}."))
        charts.append(
            Chart(
                f"trend-{h.key}",
                _axis(lang, h, unit),
                label.format(what=gettext(lang, h.label), unit=unit),
                {"traces": [trace], "layout": layout},
                [y for y, t in totals.items() if t.suppressed],
            )
        )
    return charts
