"""Footprint results as self-contained bilingual HTML pages (no scripts, no external fetches).

The footprint engine returns :class:`~sinergi.footprint.results.FootprintResult` and
:class:`~sinergi.footprint.battery.BatteryDeclaration` objects; this module turns them into
pages in English or Bahasa Indonesia. Every sentence comes from the message catalogues, every
number is formatted by Babel's rules for the language, the functional unit is the data's own
wording, and a total that lacks exchanges is shown as a lower bound ("≥") with the missing
exchanges listed. The text views of the CLI reuse the helpers here (numbers, labels, the Monte
Carlo summary).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from sinergi.footprint.battery import LIFECYCLE_STAGES, BatteryDeclaration
from sinergi.footprint.results import SET_BY_USER, FootprintResult
from sinergi.i18n import N_, format_number, format_percent_value, gettext
from sinergi.reference import bibliography, describe
from sinergi.reports.html import render
from sinergi.store.submissions import PlantData

__all__ = [
    "battery_html",
    "footprint_html",
    "gas_name",
    "monte_carlo_lines",
    "number",
    "plant_source",
    "scope_name",
    "stage_name",
]

#: Greenhouse-gas flows of characterisation.yaml, as a reader names them.
GAS_NAMES = {
    "co2": N_("carbon dioxide (fossil)"),
    "co2e_lifecycle": N_("cradle-to-gate CO2e as the source aggregates it (datasets, power)"),
    "ch4_fossil": N_("methane (fossil)"),
    "ch4_biogenic": N_("methane (biogenic)"),
    "n2o": N_("nitrous oxide"),
    "sf6": N_("sulfur hexafluoride"),
}
#: Scopes from the view of the company running the product's own process.
SCOPE_NAMES = {
    "scope1": N_("scope 1: the product's own process"),
    "scope2": N_("scope 2: electricity it draws"),
    "scope3": N_("scope 3: everything upstream"),
}
#: Regulation (EU) 2023/1542 life-cycle stages (Battery Pass ``lifecycleStage`` values).
LIFECYCLE_NAMES = {
    "RawMaterialExtraction": N_("raw material acquisition and pre-processing"),
    "MainProduction": N_("main product production (cells, pack)"),
    "Distribution": N_("distribution"),
    "Recycling": N_("end of life and recycling"),
}


def number(value: float | None, lang: str, significant: int = 4) -> str:
    """Return ``value`` with about ``significant`` digits in the language's style."""
    if value is None or not math.isfinite(value):
        return "–"
    if value == 0:
        return format_number(0.0, lang)
    decimals = min(max(significant - 1 - math.floor(math.log10(abs(value))), 0), 8)
    # no trailing zeros: 2 L, not "2,000 L" (which reads as two thousand)
    while decimals > 0 and round(value, decimals - 1) == round(value, decimals):
        decimals -= 1
    return format_number(value, lang, decimals)


def gas_name(flow: str, lang: str) -> str:
    """Return a greenhouse-gas flow's name in ``lang``."""
    return gettext(lang, GAS_NAMES[flow]) if flow in GAS_NAMES else flow


def scope_name(scope: str, lang: str) -> str:
    """Return a scope's name in ``lang``."""
    return gettext(lang, SCOPE_NAMES[scope]) if scope in SCOPE_NAMES else scope


def stage_name(result: FootprintResult, stage: str, lang: str) -> str:
    """Return a life-cycle stage's name in ``lang``."""
    return result.stage_name(stage, lang)


def monte_carlo_lines(mc: dict[str, Any], lang: str, top: int = 5) -> list[str]:
    """Return a Monte Carlo summary as plain lines (shared by the text and HTML views)."""
    if "mean" not in mc:
        return [
            gettext(
                lang, "Monte Carlo: nothing to draw ({iterations} draws asked, no ranged input)"
            ).format(iterations=format_number(mc["iterations"], lang))
        ]
    pct = mc["percentiles"]
    lines = [
        gettext(
            lang,
            "Monte Carlo over {by}: {iterations} draws, seed {seed}: mean {mean}, 95 % interval "
            "{low} to {high} t CO2e (relative standard error of the mean {rse})",
        ).format(
            by=gettext(lang, "exchanges")
            if mc.get("by") == "exchanges"
            else gettext(lang, "parameters"),
            iterations=format_number(mc["iterations"], lang),
            seed=mc["seed"],
            mean=number(mc["mean"], lang),
            low=number(pct["2.5"], lang),
            high=number(pct["97.5"], lang),
            rse=format_percent_value(mc["relative_standard_error"], lang, 1),
        )
    ]
    illustrative = set(mc.get("illustrative_parameters", []))
    for name, rho in list(mc.get("sensitivity", {}).items())[:top]:
        line = gettext(lang, "{name}: Spearman rank correlation {rho}").format(
            name=name, rho=format_number(rho, lang, 2)
        )
        if name in illustrative:
            line += " (" + gettext(lang, "illustrative") + ")"
        lines.append(line)
    return lines


def _ticks(low: float, high: float) -> list[float]:
    """Return at least four round tick values covering [low, high], including zero."""
    low, high = min(low, 0.0), max(high, 0.0)
    span = high - low or 1.0
    raw = span / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = [start + i * step for i in range(math.ceil((high - start) / step) + 1)]
    return [0.0 if abs(t) < step * 1e-9 else t for t in ticks]


def _shorten(label: str, most: int = 52) -> str:
    return label if len(label) <= most else label[: most - 1] + "…"


def bar_chart(rows: Sequence[tuple[str, float, bool]], axis: str, lang: str) -> Markup:
    """Return an inline SVG of horizontal bars from zero, with labelled ticks.

    ``rows`` hold (label, value, marked); a marked bar (a lower bound) is hatched and the
    legend under the chart says why.
    """
    if not rows:
        return Markup("")
    ticks = _ticks(min(v for _, v, _ in rows), max(v for _, v, _ in rows))
    rows = [(_shorten(label), value, marked) for label, value, marked in rows]
    left = min(20 + 7 * max(len(label) for label, _, _ in rows), 380)
    width, bar, gap = 420, 18, 8
    lo, hi = ticks[0], ticks[-1]

    def x(value: float) -> float:
        return left + (value - lo) / (hi - lo) * width

    height = len(rows) * (bar + gap) + 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 40}" '
        f'height="{height}" role="img" aria-label="{escape(axis)}">',
        '<defs><pattern id="lb" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="3" height="6" fill="#0969da"/></pattern>'
        "</defs>",
    ]
    for t in ticks:
        parts.append(
            f'<line x1="{x(t):.1f}" y1="4" x2="{x(t):.1f}" y2="{height - 40}" stroke="#ddd"/>'
            f'<text x="{x(t):.1f}" y="{height - 26}" font-size="11" text-anchor="middle">'
            f"{escape(number(t, lang, 3))}</text>"
        )
    for i, (label, value, marked) in enumerate(rows):
        y = 6 + i * (bar + gap)
        x0, x1 = sorted((x(0.0), x(value)))
        fill = "url(#lb)" if marked else "#0969da"
        parts.append(
            f'<text x="{left - 6}" y="{y + 13}" font-size="12" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 0.5):.1f}" height="{bar}" '
            f'fill="{fill}"/>'
            f'<text x="{x1 + 4:.1f}" y="{y + 13}" font-size="11">'
            f"{'≥ ' if marked else ''}{escape(number(value, lang))}</text>"
        )
    parts.append(
        f'<line x1="{x(0.0):.1f}" y1="2" x2="{x(0.0):.1f}" y2="{height - 40}" stroke="#333"/>'
        f'<text x="{left + width / 2:.0f}" y="{height - 8}" font-size="12" '
        f'text-anchor="middle">{escape(axis)}</text></svg>'
    )
    return Markup("".join(parts))


def _rows(values: dict[str, float], name: Any, total: float, lang: str) -> list[dict[str, str]]:
    return [
        {
            "name": name(key),
            "value": number(value, lang),
            "share": format_percent_value(value / total, lang) if total else "–",
        }
        for key, value in values.items()
    ]


def _parameters(result: FootprintResult, lang: str) -> list[dict[str, Any]]:
    english = lang == "en"
    rows = []
    for name, p in result.parameters.items():
        prov = p.provenance
        if prov is None:
            source = gettext(lang, SET_BY_USER)
        else:
            # notes are English-only data text: shown on English pages
            source = describe(prov if english else prov.model_copy(update={"note": None}), lang)
            if english and prov.note and not prov.illustrative:
                source += f" — {prov.note}"
        rows.append(
            {
                "name": name,
                "value": f"{number(p.value, lang)} {p.unit.in_(lang)}",
                "range": ""
                if p.low is None or p.high is None
                else f"{number(p.low, lang)}–{number(p.high, lang)}",
                "source": source,
                "illustrative": p.illustrative,
                "plant": p.plant,
            }
        )
    return rows


def _result_view(result: FootprintResult, lang: str) -> dict[str, Any]:
    total = result.score
    bound = "≥ " if not result.complete else ""
    return {
        "product": result.product,
        "score": f"{bound}{number(total, lang)}",
        "score_unit": result.score_unit(lang),
        "per": result.per(lang),
        "route": None if result.route_label is None else result.route_label.in_(lang),
        "scenario": None if result.scenario_label is None else result.scenario_label.in_(lang),
        "method": result.method.upper(),
        "lower_bound": not result.complete,
        "missing": [
            {"process": result.process_name(p, lang), "items": [m.in_(lang) for m in items]}
            for p, items in result.missing.items()
        ],
        "pass_through": result.pass_through_note(lang),
        "illustrative_share": format_percent_value(result.illustrative_share, lang),
        "illustrative_names": result.illustrative_names(),
        "plant": None
        if not result.plant_inputs
        else {
            "primary": format_percent_value(result.primary_share, lang),
            "secondary": format_percent_value(1.0 - result.primary_share, lang),
            "decided": format_percent_value(result.plant_decided_share, lang),
            "exchanges": result.plant_inputs,
            "generic": None if result.generic_score is None else number(result.generic_score, lang),
            "difference": None
            if result.generic_score is None
            else number(result.score - result.generic_score, lang),
        },
        "stages": _rows(result.by_stage, lambda k: result.stage_name(k, lang), total, lang),
        "stage_chart": bar_chart(
            [(result.stage_name(k, lang), v, False) for k, v in result.by_stage.items()],
            result.score_unit(lang),
            lang,
        ),
        "processes": _rows(result.by_process, lambda k: result.process_name(k, lang), total, lang),
        "scopes": _rows(result.by_scope, lambda k: scope_name(k, lang), total, lang),
        "gases": _rows(result.by_gas, lambda k: gas_name(k, lang), total, lang),
        "parameters": _parameters(result, lang),
        "monte_carlo": None
        if result.monte_carlo is None
        else monte_carlo_lines(result.monte_carlo, lang),
    }


def _sources(results: Sequence[FootprintResult], extra: Sequence[str] = ()) -> list[str]:
    entries = bibliography()
    keys = dict.fromkeys([*(k for r in results for k in r.sources()), *extra])
    return [entries[k].full() for k in keys if k in entries]


def _common_unit(results: Sequence[FootprintResult], lang: str) -> str:
    """Return the score unit all results share, or say that each row has its own."""
    units = {r.score_unit(lang) for r in results}
    if len(units) == 1:
        return units.pop()
    return gettext(lang, "t CO2e per functional unit (each row states its own)")


def footprint_html(results: Sequence[FootprintResult], lang: str = "en") -> str:
    """Return a page for one footprint, or several side by side (a comparison).

    A comparison starts with a chart and table of the totals; each result then shows its
    contributions, the exchanges it lacks, the parameters it read and their sources.
    """
    views = [_result_view(r, lang) for r in results]
    summary = None
    if len(results) > 1:
        summary = bar_chart(
            [
                (
                    " · ".join(x for x in (v["route"] or r.product, v["scenario"]) if x),
                    r.score,
                    not r.complete,
                )
                for r, v in zip(results, views, strict=True)
            ],
            _common_unit(results, lang),
            lang,
        )
    return render("footprint.html", lang, results=views, summary=summary, sources=_sources(results))


def battery_html(declaration: BatteryDeclaration, lang: str = "en") -> str:
    """Return the battery carbon-footprint declaration as a page.

    The top figure carries "≥" and the words "lower bound" whenever exchanges are missing;
    stages sinergi does not model read "not modelled", never 0.
    """
    passport = declaration.to_passport(lang)
    stages = [
        {
            "name": gettext(lang, LIFECYCLE_NAMES[s]),
            "key": s,
            "value": None if declaration.stages[s] is None else number(declaration.stages[s], lang),
        }
        for s in LIFECYCLE_STAGES
    ]
    chart_rows = [
        (gettext(lang, LIFECYCLE_NAMES[s]), float(v), declaration.lower_bound)
        for s in LIFECYCLE_STAGES
        if (v := declaration.stages[s]) is not None
    ]
    view = {
        "chemistry": declaration.chemistry,
        "route": declaration.footprint.route_label.in_(lang)
        if declaration.footprint.route_label
        else None,
        "scenario": declaration.footprint.scenario_label.in_(lang)
        if declaration.footprint.scenario_label
        else None,
        "total": number(declaration.per_kwh_lifetime, lang),
        "capacity": number(declaration.per_kwh_capacity, lang),
        "lower_bound": declaration.lower_bound,
        "unit": passport["sinergi"]["unit"],
        "cycles": number(declaration.cycles, lang),
        "cycles_source": declaration.cycles_source(lang),
        "stages": stages,
        "chart": bar_chart(chart_rows, passport["sinergi"]["unit"], lang),
        "result": _result_view(declaration.footprint, lang),
        "complete": declaration.complete,
        "secondary_share": format_percent_value(declaration.secondary_share, lang),
        "illustrative_share": format_percent_value(declaration.footprint.illustrative_share, lang),
        "assumptions": [a.in_(lang) for a in declaration.assumptions],
    }
    cycles = declaration.cycles_provenance
    extra = () if cycles is None else cycles.refs
    return render(
        "footprint_battery.html", lang, d=view, sources=_sources([declaration.footprint], extra)
    )


#: Submission statuses as a reader says them.
STATUS_WORDS = {
    "draft": N_("draft"),
    "submitted": N_("submitted"),
    "returned": N_("returned"),
    "approved": N_("approved"),
    "locked": N_("locked"),
}


def plant_source(data: PlantData, lang: str) -> str:
    """Return the source every value read from a plant's stored data cites."""
    if data.submission is None:
        return gettext(
            lang, "reported by {node}, {period}: imported flows (no submission, not reviewed)"
        ).format(node=data.node_id, period=data.period)
    sub = data.submission
    return gettext(
        lang, "reported by {node}, {period}: submission {id} v{version}, {status}"
    ).format(
        node=data.node_id,
        period=data.period,
        id=sub.id,
        version=sub.version,
        status=gettext(lang, STATUS_WORDS[str(sub.status)]),
    )
