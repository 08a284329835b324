"""Battery circularity as a bilingual HTML page with inline SVG charts.

Reads the demo's JSON records (national forecast with recycling, and the swap-station plan) and
draws, in the reader's language: packs in use by vehicle type, packs placed on the market and
retired, recovered metals, and the station sizing curves; the EU Regulation 2023/1542 targets
(recycling efficiency, material recovery, recycled content) with verdicts that never claim
more than the numbers show; every input with its source; and the references cited. Every
sentence comes from the message catalogues (:mod:`sinergi.i18n`); text that comes from the data
files (notes, descriptions) is translated by :mod:`sinergi.reports.battery_text`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sinergi.circularity.eu_targets import VERDICT_TEXT, Verdict
from sinergi.i18n import Language, _, format_number, format_percent_value
from sinergi.reference import Provenance, bibliography, describe
from sinergi.reports.battery_charts import Axes, Series, line_chart
from sinergi.reports.battery_text import data_text
from sinergi.reports.html import render


def battery_page(
    forecast_record: dict[str, Any], swap_record: dict[str, Any], lang: str
) -> dict[str, Any]:
    """Return the page's data in ``lang``: charts (SVG), tables and words from the records."""
    fc, rc = forecast_record["forecast"], forecast_record["recycling"]
    return {
        "scenario": fc["scenario"],
        "description": fc["description"][lang],
        "stock_checks": [_stock_check(check, lang) for check in fc["stock_checks"]],
        "charts": {
            "in_use": _in_use_chart(fc, lang),
            "flows": _flows_chart(fc, lang),
            "recovered": _recovered_chart(rc, fc, lang),
            "sizing": _sizing_chart(swap_record, lang),
        },
        "route": rc["route_labels"][lang],
        "collection_rate": rc["collection_rate"],
        "avoided": _avoided(rc, forecast_record.get("emissions_avoided_basis"), lang),
        "efficiency": [_efficiency_row(row, lang) for row in rc["eu_recycling_efficiency_targets"]],
        "recovery": [_recovery_row(row, lang) for row in rc["eu_recovery_targets"]],
        "content": [_content_row(row, lang) for row in rc["eu_recycled_content_targets"]],
        "network": swap_record["network"],
        "pilot": _pilot_name(swap_record.get("pilot", {}), lang),
        "inputs": _inputs(fc, rc, lang),
        "references": _references(forecast_record, swap_record),
        "clipped": fc.get("clipped_inflow", []),
    }


def _pilot_name(pilot: dict[str, Any], lang: str) -> str:
    return str(pilot.get("name_id" if lang == "id" else "name", pilot.get("name", "")))


def _stock_check(check: dict[str, Any], lang: str) -> dict[str, Any]:
    label = "label" if lang == "en" else "label_id"
    return {
        "year": check["year"],
        "sourced": check["sourced"],
        "modelled": check["modelled"],
        "difference": check["difference"],
        "unexplained": check["unexplained"],
        "not_modelled": [
            {"label": item[label], "value": item["value"]} for item in check["not_modelled"]
        ],
        "source": describe(Provenance.model_validate(check["provenance"]), lang),
    }


def _years_axes(fc: dict[str, Any], y_title: str, lang: str) -> Axes:
    return Axes(_(lang, "year"), y_title, projection_from=fc["last_sourced_year"] + 0.5)


def _in_use_chart(fc: dict[str, Any], lang: str) -> str:
    series = [
        Series(fc["vehicle_labels"][v][lang], [x / 1e6 for x in flows["packs"]["stock"]])
        for v, flows in fc["by_vehicle_type"].items()
    ]
    return line_chart(
        fc["years"], series, _years_axes(fc, _(lang, "million packs in use"), lang), lang
    )


def _flows_chart(fc: dict[str, Any], lang: str) -> str:
    types = fc["by_vehicle_type"].values()

    def total(flow: str) -> list[float | None]:
        return [sum(t["packs"][flow][i] for t in types) / 1e6 for i in range(len(fc["years"]))]

    series = [
        Series(_(lang, "placed on the market"), total("inflow"), illustrative=True),
        Series(_(lang, "retired (end of first life)"), total("outflow"), illustrative=True),
    ]
    axes = _years_axes(fc, _(lang, "million packs per year"), lang)
    return line_chart(fc["years"], series, axes, lang)


def _recovered_chart(rc: dict[str, Any], fc: dict[str, Any], lang: str) -> str:
    series = [
        Series(element, values, illustrative=True) for element, values in rc["recovered_t"].items()
    ]
    axes = _years_axes(fc, _(lang, "t of metal per year"), lang)
    return line_chart(rc["years"], series, axes, lang)


def _sizing_chart(swap: dict[str, Any], lang: str) -> str:
    curves = swap["station"]["sizing_curves"]
    illustrative = "charge_hours" in swap.get("illustrative_inputs", [])
    series = [
        Series(_(lang, "{count} chargers").format(count=count), values, illustrative)
        for count, values in zip(curves["chargers"], curves["p_wait"], strict=True)
    ]
    axes = Axes(
        _(lang, "packs per station"),
        _(lang, "P(rider waits), log scale"),
        log_y=True,
    )
    return line_chart(curves["batteries"], series, axes, lang)


def _avoided(rc: dict[str, Any], basis: dict[str, Any] | None, lang: str) -> dict[str, Any]:
    values = rc["emissions_avoided_t_co2e"]
    status = rc.get("emissions_avoided_status", "not_computed")
    words = {
        "not_computed": _(lang, "Not computed: no t CO2e per t metal factors were given."),
        "lower_bound": _(
            lang,
            "A lower bound: only {priced} are priced; the avoided emissions of the other "
            "metals are left out, not counted as zero.",
        ).format(priced=", ".join(rc.get("emissions_avoided_elements", []))),
        "computed": _(lang, "Computed from the factors given (t CO2e per t metal)."),
    }
    return {
        "last": None if values is None else values[-1],
        "last_year": rc["years"][-1],
        "status": words[status],
        "basis": None if basis is None else _avoided_basis(basis, lang),
    }


def _avoided_basis(basis: dict[str, Any], lang: str) -> str:
    bound = _(lang, "complete") if basis["complete"] else _(lang, "a lower bound")
    return _(
        lang,
        "{element}: {factor} t CO2e per t {element} of nickel sulfate via Indonesian HPAL "
        "(sinergi footprint engine; {share} of it rests on illustrative values; {bound}). "
        "Gross: the recycling process's own emissions are not modelled. No factor for {unpriced}.",
    ).format(
        element=basis["element"],
        factor=format_number(basis["t_co2e_per_t"], lang, 1),
        share=format_percent_value(basis["illustrative_share"], lang),
        bound=bound,
        unpriced=", ".join(basis["unpriced"]),
    )


def _verdict(code: str, lang: str) -> str:
    return _(lang, VERDICT_TEXT[Verdict(code)])


def _efficiency_row(row: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        "label": row["label"][lang],
        "year": row["by_end_of"],
        "target": row["target"],
        "metals": row["metals_share_of_mass"],
        "recovered": row["recovered_share_of_mass"],
        "verdict": _verdict(row["verdict"], lang),
    }


def _recovery_row(row: dict[str, Any], lang: str) -> dict[str, Any]:
    bound = {"upper": _(lang, "upper bound"), "lower": _(lang, "lower bound")}.get(row["bound"])
    return {
        "element": row["element"],
        "year": row["by_end_of"],
        "target": row["target"],
        "rate": row["route_rate"],
        "bound": bound,
        "illustrative": row["illustrative"],
        "verdict": _verdict(row["verdict"], lang),
    }


def _content_row(row: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        "element": row["element"],
        "year": row["from"],
        "target": row["target"],
        "share": row.get("max_recycled_share"),
        "verdict": _verdict(row["verdict"], lang),
    }


def _inputs(fc: dict[str, Any], rc: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """Return every input of the forecast and recycling, illustrative ones first."""
    labels = {v: names[lang] for v, names in fc["vehicle_labels"].items()}
    rows = []
    for item in [*fc["inputs"], *rc["inputs"]]:
        provenance = Provenance.model_validate(item["provenance"])
        subject = labels.get(item["subject"], item["subject"])
        rows.append(
            {
                "label": _(lang, item["quantity"]).format(subject=subject, year=item.get("year")),
                "illustrative": provenance.illustrative,
                "source": describe(provenance, lang) if not provenance.illustrative else "",
                "note": data_text(provenance.note, lang) if provenance.note else "",
            }
        )
    return sorted(rows, key=lambda row: not row["illustrative"])


def _references(forecast_record: dict[str, Any], swap_record: dict[str, Any]) -> list[str]:
    """Return the full bibliography entry of every source key the records cite."""
    keys: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            keys.update(str(k) for k in node.get("refs", []) or [])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(forecast_record)
    walk(swap_record)
    entries = bibliography()
    return sorted(entries[key].full() for key in keys if key in entries)


def battery_html(page: dict[str, Any], lang: str = "en") -> str:
    """Render :func:`battery_page` data as a self-contained page in ``lang``."""
    return render("battery.html", lang, d=page)


def write_battery_report(folder: Path) -> list[Path]:
    """Write ``battery.en.html`` and ``battery.id.html`` from the demo's JSON in ``folder``."""
    forecast_record = json.loads((folder / "battery-forecast.json").read_text("utf-8"))
    swap_record = json.loads((folder / "swap-station.json").read_text("utf-8"))
    written = []
    for language in Language:
        page = battery_page(forecast_record, swap_record, language.value)
        path = folder / f"battery.{language.value}.html"
        path.write_text(battery_html(page, language.value), "utf-8")
        written.append(path)
    return written
