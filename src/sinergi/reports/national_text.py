"""The national records as plain text for the terminal, in the reader's language."""

from __future__ import annotations

from typing import Any

from sinergi.i18n import _, format_number, format_percent_value
from sinergi.national.registry import CARRIERS
from sinergi.reports.national import ESTIMATE_TEXT, MILESTONES, MISSING_TEXT

__all__ = ["accounts_text", "compare_text", "mt", "scenario_text"]


def mt(tonnes: float | None, lang: str) -> str:
    """Return tonnes as Mt with two decimals, or "–" when not known."""
    return format_number(None if tonnes is None else tonnes / 1e6, lang, 2)


def accounts_text(record: dict[str, Any], lang: str) -> str:
    """Return the accounts as lines of text in ``lang``."""
    n = record["national"]
    synthetic = _(lang, "synthetic registry")
    registry = _(lang, "registry")

    def unit(text: str) -> str:
        return _(lang, "smelters") if text == "smelters" else text

    lines = [
        _(lang, "National nickel accounts {year}").format(year=record["year"])
        + (f" ({synthetic})" if record["synthetic"] else ""),
        _(lang, "Primary nickel: {value} t Ni").format(value=format_number(n["ni_t"], lang)),
        _(
            lang,
            "CO2e of smelters with complete data: {value} Mt CO2e ({count} of {total} smelters)",
        ).format(
            value=mt(n["co2e_t"], lang),
            count=n["co2e_smelters"],
            total=n["smelters"],
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
            _(
                lang,
                "of which estimated from the year's capacity: {value} t Ni ({count} smelters "
                "at {share} utilisation, {basis})",
            ).format(
                value=format_number(n["estimated_from_capacity"]["ni_t"], lang),
                count=n["estimated_from_capacity"]["smelters"],
                share=format_percent_value(estimate["utilisation"], lang),
                basis=_(lang, ESTIMATE_TEXT[estimate["basis"]]),
            )
        )
    for carrier, entry in n["carriers"].items():
        value = entry["reported"]
        lines.append(
            _(lang, "{carrier}: {value} (reported by {count} of {total} smelters)").format(
                carrier=_(lang, CARRIERS[carrier]),
                value=format_number(value, lang) if value is not None else "–",
                count=entry["smelters_reporting"],
                total=n["smelters"],
            )
        )
    for reason, ids in n["missing"].items():
        lines.append(
            _(lang, "missing ({reason}): {count} smelters").format(
                reason=_(lang, MISSING_TEXT[reason]), count=len(ids)
            )
        )
    for r in record["reconciliation"]:
        if r["registry"] is not None:
            published = f"{format_number(r['published'], lang)} {unit(r['unit'])}"
            lines.append(
                f"{r['id']}: {published} ({r['year']}) / "
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
        _(
            lang,
            "reuse: {f} footprint factorisations; {a} yearly aggregations each served {d} draws",
        ).format(
            f=reuse["footprint_factorisations"],
            a=reuse["year_aggregations"],
            d=reuse["draws_per_aggregation"],
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
