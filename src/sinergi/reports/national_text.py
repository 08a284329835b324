"""The national records as plain text for the terminal, in the reader's language."""

from __future__ import annotations

from typing import Any

from sinergi.i18n import _, count_text, format_number
from sinergi.national.registry import CARRIERS
from sinergi.reports.national import (
    MILESTONES,
    MISSING_TEXT,
    estimate_basis,
    estimate_share,
)

__all__ = ["accounts_text", "compare_text", "mt", "scenario_text"]


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
        return f"{format_number(value, lang)} {unit}"

    lines = [
        _(lang, "National nickel accounts {year}").format(year=record["year"])
        + (f" ({synthetic})" if record["synthetic"] else ""),
        _(lang, "Primary nickel: {value} t Ni").format(value=format_number(n["ni_t"], lang)),
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
    for r in record["reconciliation"]:
        if r["registry"] is not None:
            lines.append(
                f"{r['id']}: {published(r['published'], r['unit'])} ({r['year']}) / "
                f"{registry} {format_number(r['registry'], lang)}"
            )
    return "\n".join(lines)


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
    return "\n".join(lines)
