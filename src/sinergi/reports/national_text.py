"""The national records as plain text for the terminal, in the reader's language."""

from __future__ import annotations

from typing import Any

from sinergi.i18n import _, count_text, format_idr, format_number
from sinergi.national.registry import CARRIERS
from sinergi.reports.national import (
    MILESTONES,
    MISSING_TEXT,
    UNPRICED_TEXT,
    cite,
    estimate_basis,
    estimate_share,
    route_label,
    unit_label,
)

__all__ = ["accounts_text", "coal_line", "compare_text", "cost_lines", "mt", "scenario_text"]


def mt(tonnes: float | None, lang: str) -> str:
    """Return tonnes as Mt with two decimals, or "–" when not known."""
    return format_number(None if tonnes is None else tonnes / 1e6, lang, 2)


def accounts_text(record: dict[str, Any], lang: str) -> str:
    """Return the accounts as lines of text in ``lang``."""
    n = record["national"]
    synthetic = _(lang, "synthetic registry")
    registry = _(lang, "registry")

    def published(value: float, unit: str) -> str:
        if unit == "smelters":  # a count of smelters: "1 smelter", "44 smelters"
            return count_text(lang, "{count} smelter", "{count} smelters", round(value))
        return f"{format_number(value, lang)} {unit_label(unit, lang)}"

    lines = [
        _(lang, "National nickel accounts {year}").format(year=record["year"])
        + (f" ({synthetic})" if record["synthetic"] else ""),
        count_text(
            lang,
            "Primary nickel: {value} t Ni (reported by {part} of {count} primary smelter)",
            "Primary nickel: {value} t Ni (reported by {part} of {count} primary smelters)",
            n["primary_smelters"],
            value=format_number(n["ni_t"], lang),
            part=format_number(n["ni_smelters"], lang),
        ),
        count_text(
            lang,
            "CO2e of smelters with complete data: {value} Mt CO2e ({part} of {count} smelter)",
            "CO2e of smelters with complete data: {value} Mt CO2e ({part} of {count} smelters)",
            n["smelters"],
            value=mt(n["co2e_t"], lang),
            part=format_number(n["co2e_smelters"], lang),
        ),
    ]
    if n["co2e_band_t"]:
        lines.append(
            _(
                lang, "Monte Carlo range (2.5th to 97.5th percentile): {low} to {high} Mt CO2e"
            ).format(
                low=format_number(n["co2e_band_t"]["p2.5"] / 1e6, lang, 2),
                high=format_number(n["co2e_band_t"]["p97.5"] / 1e6, lang, 2),
            )
        )
    estimate = record.get("estimate")
    if estimate:
        lines.append(
            count_text(
                lang,
                "of which estimated from the year's capacity: {value} t Ni ({count} smelter "
                "at {share} utilisation, {basis})",
                "of which estimated from the year's capacity: {value} t Ni ({count} smelters "
                "at {share} utilisation, {basis})",
                n["estimated_from_capacity"]["smelters"],
                value=format_number(n["estimated_from_capacity"]["ni_t"], lang),
                share=estimate_share(estimate, lang),
                basis=estimate_basis(estimate, lang),
            )
        )
    for carrier, entry in n["carriers"].items():
        value = entry["reported"]
        lines.append(
            count_text(
                lang,
                "{carrier}: {value} (reported by {part} of {count} smelter)",
                "{carrier}: {value} (reported by {part} of {count} smelters)",
                n["smelters"],
                carrier=_(lang, CARRIERS[carrier]),
                value=format_number(value, lang) if value is not None else "–",
                part=format_number(entry["smelters_reporting"], lang),
            )
        )
    for reason, ids in n["missing"].items():
        lines.append(
            count_text(
                lang,
                "missing ({reason}): {count} smelter",
                "missing ({reason}): {count} smelters",
                len(ids),
                reason=_(lang, MISSING_TEXT[reason]),
            )
        )
    coal = record["captive_coal"]
    if coal is not None:
        lines.append(coal_line(coal["national"], record["inputs"], lang))
    lines += cost_lines(record["energy_carbon_cost"]["routes"], lang)
    for r in record["reconciliation"]:
        if r["measure"] == "context":
            continue  # shown beside the accounts on the page, not compared
        ours = (
            _(lang, "not known (no smelter reports it)")
            if r["registry"] is None
            else format_number(r["registry"], lang)
        )
        lines.append(
            f"{r['id']}: {published(r['published'], r['unit'])} ({r['year']}) / {registry} {ours}"
        )
    return "\n".join(lines)


def coal_line(coal: dict[str, Any] | None, inputs: dict[str, Any], lang: str) -> str:
    """Return the coal burnt by captive power units as one line (derived, with its range)."""
    ncv = inputs["captive_coal_burnt"]["ncv_gj_per_t"]
    if coal is None:
        return _(
            lang,
            "Coal burnt by captive power units: not known (no smelter with known electricity "
            "and power data)",
        )
    return _(
        lang,
        "Coal burnt by captive power units (derived from their electricity and CO2 at {co2} "
        "t CO2/TJ, {source}, apart from process fuels): {tj} TJ, {t} t coal ({low} to {high} t "
        "at an illustrative {ncv_low} to {ncv_high} GJ/t); {count} of {total} smelters",
    ).format(
        count=coal["smelters"],
        total=coal["smelters_total"],
        co2=format_number(inputs["captive_coal_burnt"]["co2_t_per_tj"]["value"], lang, 1),
        source=cite(inputs["captive_coal_burnt"]["co2_t_per_tj"], lang, with_note=False),
        tj=format_number(coal["fuel_tj"], lang),
        t=format_number(coal["coal_t"], lang),
        low=format_number(coal["coal_t_low"], lang),
        high=format_number(coal["coal_t_high"], lang),
        ncv_low=format_number(ncv["low"], lang, 1),
        ncv_high=format_number(ncv["high"], lang, 1),
    )


def cost_lines(routes: dict[str, dict[str, Any] | None], lang: str, indent: str = "") -> list[str]:
    """Return the energy and carbon cost per t Ni of each route, or why it is not known."""
    lines = [
        indent
        + _(
            lang,
            "Energy and carbon cost per t Ni (not a production cost: capital, ore, reagents and "
            "labour are not included)",
        )
    ]
    for route, cost in routes.items():
        name = route_label(route, lang)
        if cost is None or cost["total_idr_per_t_ni"] is None:
            reasons = ", ".join(
                _(lang, UNPRICED_TEXT[k]) for k in (cost or {}).get("insufficient_data", {})
            )
            lines.append(
                indent
                + _(lang, "  {route}: insufficient data ({reasons})").format(
                    route=name, reasons=reasons or "–"
                )
            )
            continue
        lines.append(
            indent
            + _(
                lang,
                "  {route}: {total} per t Ni (electricity {electricity}, carbon {carbon}; "
                "{priced} of {count} smelters, {ni} of {ni_all} t Ni)",
            ).format(
                route=name,
                total=format_idr(cost["total_idr_per_t_ni"], lang),
                electricity=format_idr(cost["electricity_idr_per_t_ni"], lang),
                carbon=format_idr(cost["carbon_idr_per_t_ni"], lang),
                priced=cost["smelters_priced"],
                count=cost["smelters"],
                ni=format_number(cost["ni_priced_t"], lang),
                ni_all=format_number(cost["ni_t"], lang),
            )
        )
    return lines


def scenario_text(record: dict[str, Any], lang: str) -> str:
    """Return a scenario run as lines of text in ``lang``: the milestone years."""
    name = _name(record, lang)
    lines = [name]
    for y in record["years"]:
        if y["year"] not in (record["base_year"], *MILESTONES, record["to"]):
            continue
        band = y["co2e_band_t"]
        extra = ""
        if band:
            low = format_number(band["p2.5"] / 1e6, lang, 2)
            extra = f" [{low}–{format_number(band['p97.5'] / 1e6, lang, 2)}]"
        lines.append(
            _(lang, "{year}: {co2e} Mt CO2e{band}, captive coal {coal} MW").format(
                year=y["year"],
                co2e=mt(y["co2e_t"], lang),
                band=extra,
                coal=format_number(y["coal_mw"], lang),
            )
        )
        lines.append("  " + coal_line(y["captive_coal"], record["inputs"], lang))
        routes = {r: v["energy_carbon_cost"] for r, v in y["routes"].items()}
        lines += cost_lines(routes, lang, "  ")
    reuse = record["reuse"]
    lines.append(
        _(lang, "reuse: {factorisations}; {aggregations}, each serving {draws}").format(
            factorisations=count_text(
                lang,
                "{count} footprint factorisation",
                "{count} footprint factorisations",
                reuse["footprint_factorisations"],
            ),
            aggregations=count_text(
                lang,
                "{count} yearly aggregation",
                "{count} yearly aggregations",
                reuse["year_aggregations"],
            ),
            draws=count_text(lang, "{count} draw", "{count} draws", reuse["draws_per_aggregation"]),
        )
    )
    return "\n".join(lines)


def _name(record: dict[str, Any], lang: str) -> str:
    return str(record["name_id"] or record["name"]) if lang == "id" else str(record["name"])


def _per_t_ni(amount: float | None, lang: str) -> str:
    if amount is None:
        return _(lang, "insufficient data")
    return _(lang, "{amount} per t Ni").format(amount=format_idr(amount, lang))


def compare_text(record: dict[str, Any], lang: str) -> str:
    """Return a comparison as lines of text: both names, then the milestone years."""
    lines = [f"A: {_name(record['a'], lang)}", f"B: {_name(record['b'], lang)}"]
    for y in record["years"]:
        if y["year"] in (record["years"][0]["year"], *MILESTONES, record["years"][-1]["year"]):
            lines.append(
                _(lang, "{year}: A {a} Mt CO2e, B {b} Mt CO2e, B minus A {d} Mt CO2e").format(
                    year=y["year"],
                    a=mt(y["a_co2e_t"], lang),
                    b=mt(y["b_co2e_t"], lang),
                    d=mt(y["difference_t"], lang),
                )
            )
            for route, cost in y["routes"].items():
                a = cost["a_energy_carbon_cost_idr_per_t_ni"]
                b = cost["b_energy_carbon_cost_idr_per_t_ni"]
                if a is None and b is None:
                    continue
                lines.append(
                    _(
                        lang,
                        "  {route}: energy and carbon cost A {a}, B {b} (not a production cost)",
                    ).format(
                        route=route_label(route, lang), a=_per_t_ni(a, lang), b=_per_t_ni(b, lang)
                    )
                )
    return "\n".join(lines)
