"""Render national records: bilingual HTML pages, CSV tables and XLSX workbooks.

Pages state units in every heading and axis, label what is synthetic or illustrative, show
missing data as "–" with the reason listed, and end with the inputs and their sources.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

import openpyxl
from openpyxl.styles import Font

from sinergi.i18n import N_, _
from sinergi.national.registry import CARRIERS
from sinergi.reports.html import render
from sinergi.reports.national import (
    MILESTONES,
    MISSING_TEXT,
    estimate_basis,
    estimate_share,
    route_label,
    source_label,
)
from sinergi.reports.national_charts import band_chart, bars, smelter_map

__all__ = ["csv_text", "html_page", "xlsx_bytes"]

MT = 1e6


def _m(value: float | None) -> float | None:
    """Return tonnes as Mt, keeping "not known" as ``None``."""
    return None if value is None else value / MT


def _name(record: dict[str, Any], lang: str) -> str:
    return str(record.get("name_id") or record["name"]) if lang == "id" else str(record["name"])


def _accounts_context(record: dict[str, Any], lang: str) -> dict[str, Any]:
    routes = {r: route_label(r, lang) for r in record["by"]["route"]}
    provinces = record["by"]["province"]
    smelters = record["smelters"]
    placed = sum(1 for s in smelters if s["latitude"] is not None)
    governance = sorted(
        record["governance"],
        key=lambda g: -(g["intensity_vs_median"] or 0.0),
    )
    return {
        "routes": routes,
        "map": smelter_map(
            smelters,
            route_names=routes,
            x_label=_(lang, N_("longitude (degrees east)")),
            y_label=_(lang, N_("latitude (degrees north)")),
            lang=lang,
        ),
        "unplaced": len(smelters) - placed,
        "carriers": [
            {"label": _(lang, CARRIERS[key]), **entry}
            for key, entry in record["national"]["carriers"].items()
        ],
        "estimate_basis": estimate_basis(record["estimate"], lang)
        if record.get("estimate")
        else "",
        "estimate_share": estimate_share(record["estimate"], lang)
        if record.get("estimate")
        else "",
        "province_chart": _province_bars(provinces, lang),
        "missing": [
            {"reason": _(lang, MISSING_TEXT[k]), "count": len(v), "ids": v[:8]}
            for k, v in record["national"]["missing"].items()
        ],
        "governance": governance[:40],
    }


def _province_bars(provinces: dict[str, Any], lang: str) -> str:
    names = [n for n in provinces if provinces[n]["co2e_t"] is not None]
    return bars(
        [n if n != "unknown" else _(lang, N_("province not given")) for n in names],
        [provinces[n]["co2e_t"] / MT for n in names],
        x_label=_(lang, N_("CO2e of smelters with complete data (Mt CO2e per year)")),
        lang=lang,
    )


def _scenario_context(record: dict[str, Any], lang: str) -> dict[str, Any]:
    years = [y["year"] for y in record["years"]]
    total = [_m(y["co2e_t"]) for y in record["years"]]
    bands = {}
    if record["draws"]:
        bands[_(lang, N_("CO2e"))] = (
            [y["co2e_band_t"]["p2.5"] / MT for y in record["years"]],
            [y["co2e_band_t"]["p97.5"] / MT for y in record["years"]],
        )
    routes = sorted({r for y in record["years"] for r in y["routes"]})
    intensity = {
        route_label(r, lang): [
            y["routes"].get(r, {}).get("intensity_t_per_t_ni") for y in record["years"]
        ]
        for r in routes
        if any(y["routes"].get(r, {}).get("intensity_t_per_t_ni") for y in record["years"])
    }
    threshold = record["buyer_threshold_t_per_t_ni"]
    label = _(lang, N_("buyer threshold")) if threshold is not None else ""
    milestones = [y for y in record["years"] if y["year"] in (record["base_year"], *MILESTONES)]
    if record["years"][-1] not in milestones:
        milestones.append(record["years"][-1])
    return {
        "title": _name(record, lang),
        "trajectory": band_chart(
            years,
            {_(lang, N_("CO2e")): total},
            bands,
            y_label=_(lang, N_("Mt CO2e per year")),
            x_label=_(lang, N_("year")),
            lang=lang,
        ),
        "intensity_chart": band_chart(
            years,
            intensity,
            {},
            y_label=_(lang, N_("t CO2e per t Ni")),
            x_label=_(lang, N_("year")),
            lang=lang,
            threshold=None if threshold is None else (label, threshold),
        ),
        "coal_chart": band_chart(
            years,
            {_(lang, N_("captive coal burning coal")): [y["coal_mw"] for y in record["years"]]},
            {},
            y_label=_(lang, N_("MW of captive coal units")),
            x_label=_(lang, N_("year")),
            lang=lang,
        ),
        "milestones": milestones,
        "routes": {r: route_label(r, lang) for r in routes},
    }


def _compare_context(record: dict[str, Any], lang: str) -> dict[str, Any]:
    years = [y["year"] for y in record["years"]]
    a, b = _name(record["a"], lang), _name(record["b"], lang)
    series = {
        f"A: {a}": [_m(y["a_co2e_t"]) for y in record["years"]],
        f"B: {b}": [_m(y["b_co2e_t"]) for y in record["years"]],
    }
    bands = {}
    for key, name in (("a", f"A: {a}"), ("b", f"B: {b}")):
        if record[key]["draws"]:
            bands[name] = (
                [y[f"{key}_band_t"]["p2.5"] / MT for y in record["years"]],
                [y[f"{key}_band_t"]["p97.5"] / MT for y in record["years"]],
            )
    milestones = [y for y in record["years"] if y["year"] in (years[0], *MILESTONES)]
    return {
        "a_name": a,
        "b_name": b,
        "chart": band_chart(
            years,
            series,
            bands,
            y_label=_(lang, N_("Mt CO2e per year")),
            x_label=_(lang, N_("year")),
            lang=lang,
        ),
        "milestones": milestones,
    }


def html_page(record: dict[str, Any], lang: str) -> str:
    """Return the HTML page of a national record in ``lang``."""
    kind = record["kind"]
    if kind == "national-accounts":
        context = _accounts_context(record, lang)
    elif kind == "national-scenario":
        context = _scenario_context(record, lang)
    else:
        context = _compare_context(record, lang)
    inputs = record["inputs"] if kind != "national-compare" else record["a"]["inputs"]
    return render(
        "national.html",
        lang,
        record=record,
        kind=kind,
        inputs=inputs,
        route_label=lambda r: route_label(r, lang),
        source_label=lambda k: source_label(k, lang),
        lower_bounds={k for k, v in inputs["intensities"].items() if v["lower_bound"]},
        **context,
    )


def _rows(record: dict[str, Any], lang: str) -> tuple[list[str], list[list[Any]]]:
    kind = record["kind"]
    if kind == "national-accounts":
        keys = [
            "id", "name", "route", "status", "province", "park", "group", "ni_t",
            "ni_estimated_from_capacity", "electricity_mwh", "captive_coal_share", "co2e_t",
            "co2e_process_t", "co2e_power_t", "intensity_t_per_t_ni", "residue_t", "faba_t",
            *CARRIERS, "synthetic",
        ]  # fmt: skip
        rows = [[s[k] for k in keys] + ["; ".join(s["missing"])] for s in record["smelters"]]
        return [*keys, "missing"], rows
    if kind == "national-scenario":
        keys = [
            "year", "co2e_t", "ni_t", "coal_mw", "slag_generated_t", "slag_stockpile_t",
            "faba_generated_t", "faba_stockpile_t", "carbon_price_idr_per_t", "cap_t",
        ]  # fmt: skip
        band = ["co2e_p2.5_t", "co2e_p97.5_t"]
        rows = []
        for y in record["years"]:
            b = y["co2e_band_t"] or {}
            rows.append([y[k] for k in keys] + [b.get("p2.5"), b.get("p97.5")])
        return keys + band, rows
    keys = ["year", "a_co2e_t", "b_co2e_t", "difference_t", "a_coal_mw", "b_coal_mw"]
    return keys, [[y[k] for k in keys] for y in record["years"]]


def csv_text(record: dict[str, Any], lang: str) -> str:
    """Return the record's main table as CSV (column keys in English, values as numbers)."""
    del lang  # column keys are stable codes, not words
    header, rows = _rows(record, "en")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().rstrip("\n")


def _sheet(book: Any, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    ws = book.create_sheet(title[:31])
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([", ".join(map(str, v)) if isinstance(v, list) else v for v in row])


def xlsx_bytes(record: dict[str, Any], lang: str) -> bytes:
    """Return the record as an XLSX workbook: the main table, then reconciliation and inputs."""
    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    header, rows = _rows(record, lang)
    _sheet(book, _(lang, N_("Results")), header, rows)
    if record["kind"] == "national-accounts":
        recon = record["reconciliation"]
        keys = ["id", "unit", "year", "published", "registry", "difference", "same_year", "source"]
        _sheet(book, _(lang, N_("Reconciliation")), keys, [[r[k] for k in keys] for r in recon])
        gov = record["governance"]
        gkeys = list(gov[0]) if gov else ["id"]
        _sheet(book, _(lang, N_("Governance")), gkeys, [[g[k] for k in gkeys] for g in gov])
    inputs = record["inputs"] if record["kind"] != "national-compare" else record["a"]["inputs"]
    _sheet(
        book,
        _(lang, N_("Inputs")),
        ["input", "value", "source"],
        [
            [f"intensity {k} process (t CO2e/t Ni)", v["process_t_per_t_ni"], v["basis"]]
            for k, v in inputs["intensities"].items()
        ]
        + [
            [f"power factor {k} (t CO2e/MWh)", v["t_co2e_per_mwh"], v["source"]]
            for k, v in inputs["power_factors"].items()
        ],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
