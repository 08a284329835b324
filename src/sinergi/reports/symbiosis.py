"""Symbiosis recommendations as a bilingual HTML page (the data is ``Recommendation.to_dict``).

Every sentence comes from the message catalogues and every number is formatted in the page's
language; explanations are composed again in that language from each row's plain data, so a
JSON written in English still gives an Indonesian page with no English left on it. Signs are
stated, never implied: "CO2e avoided" with "an increase" for negative values, "net benefit" or
"net cost". Charts are drawn only when there is something to show (see
:mod:`sinergi.reports.symbiosis_charts`).
"""

from __future__ import annotations

from typing import Any

from sinergi.i18n import N_, format_idr, format_number, format_percent_value
from sinergi.i18n import gettext as _
from sinergi.reports.html import render
from sinergi.reports.symbiosis_charts import TOP, bar_chart, park_map, sankey
from sinergi.symbiosis.explain import candidate_sentence, co2e_text, exchange_sentence, money_text

__all__ = ["status_text", "symbiosis_html", "symbiosis_view"]

#: Gaps below this (0.01 %) are reported as "the best network", not as a percentage.
SHOWN_GAP = 1e-4

OBJECTIVES = {
    "net_benefit": N_("the largest net benefit (IDR)"),
    "co2e_avoided": N_("the most CO2e avoided (t)"),
    "landfill_diverted": N_("the most waste kept out of landfill (t)"),
}


def status_text(solver: dict[str, Any], lang: str) -> str:
    """Return what the solve's status means for the reader, never as bare solver words."""
    status, found = solver["status"], solver.get("found_solution", True)
    if status == "optimal":
        # HiGHS stops a MIP within its gap tolerance; a gap under 0.01 % is "the best".
        if (solver.get("gap") or 0.0) >= SHOWN_GAP:
            return _(lang, "Best network found, within {gap} of the best possible.").format(
                gap=format_percent_value(solver["gap"], lang, 2)
            )
        return _(lang, "The best exchange network was found.")
    if status == "time_limit" and found:
        gap = solver.get("gap")
        return _(
            lang,
            "The solver stopped at its time limit: these are the best exchanges found so far, "
            "within {gap} of the best possible.",
        ).format(gap="–" if gap is None else format_percent_value(gap, lang, 1))
    if status == "time_limit":
        return _(
            lang,
            "The solver stopped at its time limit before it found any exchange network: there is "
            "no recommendation (this is not a result of zero). Allow more time or narrow the "
            "search.",
        )
    if status == "infeasible":
        return _(lang, "No exchange network meets the floors that were asked for.")
    return _(lang, "The solver failed; no recommendation is given.")


def _totals(totals: dict[str, Any] | None, lang: str) -> list[tuple[str, str]]:
    if totals is None:
        return []
    out = [
        (_(lang, "Amount exchanged ({unit})").format(unit=unit), format_number(amount, lang))
        for unit, amount in totals["amount_by_unit"].items()
    ]
    out += [
        (_(lang, "Net benefit per period"), money_text(totals["net_benefit"], lang)),
        (_(lang, "Emissions per period"), co2e_text(totals["co2e_avoided"], lang)),
        (
            _(lang, "Kept out of landfill (t per period)"),
            format_number(totals["landfill_diverted"], lang),
        ),
    ]
    return out


def _charts(data: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    rows = data["recommendations"][:TOP]
    charts: list[tuple[str, str]] = []
    if not rows:
        return charts
    labels = [_label(f"{r['rank']}. {r['supplier']} → {r['receiver']}") for r in rows]
    charts.append(
        (
            _(lang, "Net benefit of each exchange (million IDR per period; below zero: a cost)"),
            bar_chart(
                labels,
                [r["net_benefit_idr"] / 1e6 for r in rows],
                axis=_(lang, "million IDR per period"),
                lang=lang,
            ),
        )
    )
    charts.append(
        (
            _(lang, "CO2e avoided by each exchange (t CO2e per period; below zero: an increase)"),
            bar_chart(
                labels,
                [r["co2e_avoided_t"] for r in rows],
                axis=_(lang, "t CO2e avoided per period"),
                lang=lang,
            ),
        )
    )
    units = sorted({r["unit"] for r in rows})
    for unit in units:
        charts.append(
            (
                _(lang, "Who sends what to whom ({unit} per period)").format(unit=unit),
                sankey(rows, unit=unit, lang=lang),
            )
        )
    drawn = park_map(data["map"]["points"], data["map"]["links"], lang=lang)
    if drawn:
        charts.append((_(lang, "Parks and the links between them"), drawn))
    return [(title, svg) for title, svg in charts if svg]


def _label(text: str, width: int = 50) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def symbiosis_view(data: dict[str, Any], lang: str) -> dict[str, Any]:
    """Return what the page shows, in ``lang``: sentences, formatted numbers, charts."""
    rows = [
        {
            **r,
            "explanation": exchange_sentence(r, lang),
            "amount_text": f"{format_number(r['amount'], lang)} {r['unit']}",
            "money_text": format_idr(r["net_benefit_idr"], lang),
            "co2e_text": co2e_text(r["co2e_avoided_t"], lang),
            "commodity_text": r["commodity_name"].get(lang) or r["commodity"],
            "replaces_text": r["replaces_name"].get(lang) or r["replaces"],
        }
        for r in data["recommendations"]
    ]
    pairing = data["pairing"]
    return {
        "objective": _(lang, OBJECTIVES.get(data["scope"]["objective"], "")),
        "status": status_text(data["solver"], lang),
        "found": data["solver"].get("found_solution", True),
        "totals": _totals(data["totals"], lang),
        "rows": rows,
        "leads": [candidate_sentence(r, lang) for r in data["leads"]],
        "charts": _charts(data, lang),
        "pairing": {k: format_number(v, lang) for k, v in pairing.items() if _is_count(v)},
        "set_aside": pairing.get("emission_increases", 0),
        "worse": data.get("worse", {}),
        "sharing": _sharing(data["sharing"], lang),
        "pareto": _pareto(data.get("pareto"), lang),
        "seconds": format_number(data["solver"]["solve_seconds"], lang, 2),
    }


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _sharing(sharing: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    bases = {
        "resolved": _(lang, "re-optimised for every coalition of partners"),
        "fixed_benefit": _(lang, "each exchange kept at its net benefit"),
        "too_many_partners": _(lang, "too many partners for an exact split: split by hand"),
    }
    out = []
    for c in sharing["clusters"]:
        entry: dict[str, Any] = {
            "partners": ", ".join(c["partners"]),
            "basis": bases[c["basis"]],
            "shares": [],
        }
        if "shapley" in c:
            allocation = c["core"]["allocation"]
            entry["shares"] = [
                (
                    p,
                    format_idr(s["share"], lang),
                    "–"
                    if allocation is None
                    else format_idr(allocation["shares"][p]["share"], lang),
                )
                for p, s in c["shapley"]["shares"].items()
            ]
            entry["core"] = (
                _(lang, "A stable split exists: no group of partners gains by leaving.")
                if c["core"]["stable"]
                else _(lang, "No stable split exists: some partners would gain by leaving.")
            )
        out.append(entry)
    return out


def _pareto(pareto: dict[str, Any] | None, lang: str) -> list[tuple[str, str]]:
    if not pareto:
        return []
    return [
        (
            "–" if p["net_benefit"] is None else money_text(p["net_benefit"], lang),
            "–" if p["co2e_avoided"] is None else co2e_text(p["co2e_avoided"], lang),
        )
        for p in pareto["points"]
    ]


def symbiosis_html(data: dict[str, Any], lang: str = "en") -> str:
    """Render a recommendation (``Recommendation.to_dict()``) as a self-contained page."""
    return render("symbiosis.html", lang, d=data, v=symbiosis_view(data, lang))
