"""``summary.md`` of a demo run: the parks, then each engine's headline results.

A reader who opens one file sees what the run found: assessment verdicts, product footprints,
recommended exchanges, the battery outlook, the swap pilot and e-mobility local content, each
with its unit, its direction ("avoided", "lost") and the caveats that bound it. The numbers are
the ones the run wrote to ``summary.json``; the pages in ``index.html`` hold the detail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sinergi.reports.park import HEADLINE, fmt, headline

__all__ = ["summary_markdown"]

Section = Callable[[dict[str, Any]], list[str]]


def _num(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _table(headings: list[str], rows: list[list[str]], right: int = 1) -> list[str]:
    align = ["---"] * right + ["---:"] * (len(headings) - right)
    return [
        "| " + " | ".join(headings) + " |",
        "|" + "|".join(align) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def _parks(summary: dict[str, Any]) -> list[str]:
    rows = []
    for r in summary["parks"]:
        heads = headline(r)
        rows.append(
            [
                r["name"],
                ", ".join(r["programmes"]) or "–",
                fmt(r["area_ha"]),
                f"{r['tenants']} ({r['synthetic_tenants']})",
                *(fmt(heads[c]) for c in HEADLINE),
            ]
        )
    headings = ["park", "programmes", "area (ha)", "tenants (synthetic)", *HEADLINE.values()]
    return ["## Parks and headline flows, latest period", "", *_table(headings, rows, 2)]


def _assessments(summary: dict[str, Any]) -> list[str]:
    rows: list[list[str]] = []
    notes: dict[str, str] = {}
    for a in summary["assessments"]:
        first, _, rest = a["verdict"].partition(". ")
        rows.append(
            [a["park"], a["pack"], a["period"], f"{a['coverage']:.0%}", first.rstrip(".") + "."]
        )
        if rest:
            notes.setdefault(a["pack"], rest)
    return [
        "## Assessments",
        "",
        "Share of the standard's encoded criteria that the data let sinergi assess, and the "
        "verdict (never 'complete' while data or the standard's text is missing).",
        "",
        *_table(["park", "standard", "period", "criteria assessed", "verdict"], rows, 3),
        "",
        *(f"- **{pack}**: {note}" for pack, note in notes.items()),
    ]


def _footprints(summary: dict[str, Any]) -> list[str]:
    fp = summary["footprints"]
    rows = [
        [product, *(_num(v, 2) for v in values.values())]
        for product, values in fp["t_co2e_per_t_ni"].items()
    ]
    scenarios = list(next(iter(fp["t_co2e_per_t_ni"].values()), {}))
    return [
        "## Product carbon footprints (t CO2e per t Ni contained, GWP100)",
        "",
        *_table(["product", *scenarios], rows),
        "",
        f"- {fp['same_data_note']}.",
        f"- {fp['note']}; totals are lower bounds where exchanges are missing (see the pages).",
    ]


def _symbiosis(summary: dict[str, Any]) -> list[str]:
    rows = []
    for scope, line in summary["symbiosis"]["scopes"].items():
        amounts = ", ".join(f"{_num(v)} {u}" for u, v in line["amount_by_unit"].items()) or "–"
        rows.append(
            [
                scope,
                str(line["exchanges"]),
                amounts,
                _num(line["net_benefit"] / 1e6, 1),
                _num(line["co2e_avoided"], 1),
                _num(line["landfill_diverted"], 1),
            ]
        )
    headings = [
        "scope",
        "exchanges",
        "amount exchanged per year",
        "net benefit (IDR million/yr)",
        "CO2e avoided (t/yr)",
        "kept from landfill (t/yr)",
    ]
    return [
        f"## Industrial symbiosis, period {summary['symbiosis']['period']}",
        "",
        *_table(headings, rows, 3),
        "",
        "Positive CO2e avoided is a cut; exchanges that would raise emissions are set aside. "
        "Amounts are summed per unit (t and m3 are never added). Prices and several "
        "substitution ratios are illustrative (flagged on each page).",
    ]


def _battery(summary: dict[str, Any]) -> list[str]:
    bf, swap = summary["battery_forecast"], summary["swap_station"]
    recovered = ", ".join(f"{k} {_num(v)} t" for k, v in bf["recovered_t_last_year"].items())
    return [
        f"## Battery circularity (scenario {bf['scenario']})",
        "",
        f"- E-motorcycle and car battery packs in use: {_num(bf['packs_in_use_2030'])} in 2030, "
        f"{_num(bf['packs_in_use_last_year'])} in {bf['last_year']}.",
        f"- Retired in {bf['last_year']}: {_num(bf['retired_t_last_year'])} t of batteries, of "
        f"which {_num(bf['collected_t_last_year'])} t collected; recovered by the "
        f"{bf['route']} route: {recovered}.",
        f"- {bf['illustrative_inputs']} inputs are illustrative (listed in the battery pages).",
        f"- Swap pilot ({swap['pilot']}, {swap['riders']} riders, {swap['stations']} stations): "
        f"{swap['chargers_per_station']} chargers and {swap['batteries_per_station']} packs per "
        f"station at the peak hour (P(wait) {swap['p_wait_peak_closed_form']:.3f}); one shared "
        f"pack standard needs {swap['network_batteries_shared']} station packs against "
        f"{swap['network_batteries_proprietary']} for brand-proprietary packs.",
    ]


def _emobility(summary: dict[str, Any]) -> list[str]:
    em = summary["emobility"]
    check = em["certified_range_check"]
    local = em["localisation"]
    return [
        "## E-motorcycle local content (synthetic bill of materials)",
        "",
        f"- TKDN {em['synthetic_bom_tkdn_percent']:.2f} % "
        f"({'within' if check['within'] else 'outside'} the certified range of real models, "
        f"{check['low_percent']:.2f}–{check['high_percent']:.2f} %).",
        f"- Cheapest localisation to the next threshold: {local['before_percent']:.2f} % → "
        f"{local['after_percent']:.2f} % for IDR {_num(local['cost_idr'])} per vehicle "
        f"({', '.join(c['option'] for c in local['chosen']) or 'nothing to add'}).",
        f"- By {em['transition_last_year']}: {em['suppliers_losing_demand']} synthetic parts "
        f"makers lose demand, {_num(em['jobs_at_risk_last_year'])} jobs at risk; one standard "
        f"swap pack avoids {_num(em['packs_avoided_2030'])} packs and "
        f"{_num(em['nickel_avoided_t_2030'], 1)} t of nickel in 2030.",
        f"- {em['illustrative_inputs']} inputs are illustrative.",
    ]


SECTIONS: dict[str, Section] = {
    "parks": _parks,
    "assessments": _assessments,
    "footprints": _footprints,
    "symbiosis": _symbiosis,
    "battery_forecast": _battery,
    "emobility": _emobility,
}


def summary_markdown(summary: dict[str, Any]) -> str:
    """Return ``summary.md``: run facts, then a section for every engine the run holds."""
    lines = [
        "# sinergi demo summary",
        "",
        f"Database: `{summary['database']}`; seed {summary['seed']}; "
        f"stored and re-read identical: {summary['round_trip_identical']}; "
        f"consistency findings: {len(summary['consistency_findings'])}. "
        "Start at `index.html` for every page.",
        "",
        f"> {summary['note']}",
    ]
    for key, section in SECTIONS.items():
        if key in summary:
            lines += ["", *section(summary)]
    lines += ["", "## Sources of park facts", ""]
    for r in summary["parks"]:
        lines.append(f"- **{r['name']}**: " + ("; ".join(r["sources"]) or "synthetic park"))
        if r["notes"]:
            lines.append(f"  - notes: {r['notes']}")
    return "\n".join(lines) + "\n"
