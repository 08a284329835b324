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
    UNPRICED_TEXT,
    cite,
    estimate_basis,
    estimate_share,
    route_label,
    source_label,
    unit_label,
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
    costs = {
        route_label(r, lang): [_total(y["routes"].get(r)) for y in record["years"]] for r in routes
    }
    return {
        "title": _name(record, lang),
        "cost_chart": _cost_chart(years, costs, lang),
        "cost_empty": _why_empty(years, lang, EMPTY["cost"]),
        "milestone_costs": [
            (y["year"], {r: v["energy_carbon_cost"] for r, v in y["routes"].items()})
            for y in milestones
        ],
        "trajectory": band_chart(
            years,
            {_(lang, N_("CO2e")): total},
            bands,
            y_label=_(lang, N_("Mt CO2e per year")),
            x_label=_(lang, N_("year")),
            lang=lang,
        ),
        "trajectory_empty": _why_empty(years, lang, EMPTY["co2e"]),
        # a threshold alone is no chart: the routes' intensities are what it is drawn against
        "intensity_chart": band_chart(
            years,
            intensity,
            {},
            y_label=_(lang, N_("t CO2e per t Ni")),
            x_label=_(lang, N_("year")),
            lang=lang,
            threshold=None if threshold is None else (label, threshold),
        )
        if intensity
        else "",
        "intensity_empty": _why_empty(years, lang, EMPTY["intensity"]),
        "coal_chart": band_chart(
            years,
            {_(lang, N_("captive coal burning coal")): [y["coal_mw"] for y in record["years"]]},
            {},
            y_label=_(lang, N_("MW of captive coal units")),
            x_label=_(lang, N_("year")),
            lang=lang,
        ),
        "coal_empty": _why_empty(years, lang, EMPTY["coal"]),
        "milestones": milestones,
        "routes": {r: route_label(r, lang) for r in routes},
    }


#: why a chart of the scenario pages has nothing to draw (the page says it under the heading)
EMPTY = {
    "co2e": N_("Nothing to draw: no smelter's CO2e is known in any year (insufficient data)."),
    "co2e_compare": N_(
        "Nothing to draw: in neither scenario is any smelter's CO2e known in any year "
        "(insufficient data)."
    ),
    "intensity": N_(
        "Nothing to draw: no route's CO2e per t Ni is known in any year (no production "
        "or insufficient data)."
    ),
    "coal": N_("Nothing to draw: no captive coal capacity is known in any year."),
    "cost": N_("Nothing to draw: no route has a known energy and carbon cost in any year."),
}


def _why_empty(years: Sequence[int], lang: str, reason: str) -> str:
    """Return why a chart over the years is empty: a single year, else ``reason`` in ``lang``."""
    if len(years) < 2:
        return _(lang, N_("Nothing to draw: a chart over time needs two years or more."))
    return _(lang, reason)


def _million(value: float | None) -> float | None:
    return None if value is None else value / 1e6


def _total(route: dict[str, Any] | None) -> float | None:
    """Return a route's energy and carbon cost in million IDR per t Ni, if known."""
    cost = (route or {}).get("energy_carbon_cost")
    total = None if cost is None else cost["total_idr_per_t_ni"]
    return None if total is None else total / 1e6


def _cost_chart(years: list[int], series: dict[str, list[float | None]], lang: str) -> str:
    """Return the energy and carbon cost per t Ni over the years (routes with a known cost)."""
    known = {name: values for name, values in series.items() if any(v is not None for v in values)}
    return band_chart(
        years,
        known,
        {},
        y_label=_(lang, N_("million IDR per t Ni")),
        x_label=_(lang, N_("year")),
        lang=lang,
    )


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
    if record["years"][-1] not in milestones:  # the last year run, as the scenario page shows
        milestones.append(record["years"][-1])
    routes = sorted({r for y in record["years"] for r in y["routes"]})
    costs: dict[str, list[float | None]] = {}
    for route in routes:
        for key, name in (("a", "A"), ("b", "B")):
            costs[f"{name}: {route_label(route, lang)}"] = [
                _million(y["routes"].get(route, {}).get(f"{key}_energy_carbon_cost_idr_per_t_ni"))
                for y in record["years"]
            ]
    return {
        "cost_chart": _cost_chart(years, costs, lang),
        "cost_empty": _why_empty(years, lang, EMPTY["cost"]),
        # the milestone table of costs lists only routes priced in either scenario
        "cost_known": any(
            r.get(f"{key}_energy_carbon_cost_idr_per_t_ni") is not None
            for y in milestones
            for r in y["routes"].values()
            for key in ("a", "b")
        ),
        "chart_empty": _why_empty(years, lang, EMPTY["co2e_compare"]),
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
        unit_label=lambda u: unit_label(u, lang),
        cite=lambda entry, with_note=True: cite(entry, lang, with_note=with_note),
        lower_bounds={k for k, v in inputs["intensities"].items() if v["lower_bound"]},
        unpriced={k: _(lang, v) for k, v in UNPRICED_TEXT.items()},
        **context,
    )


COST = "energy_carbon_cost_idr_per_t_ni"
COAL_KEYS = (
    "electricity_mwh", "fuel_tj", "coal_t", "coal_t_low", "coal_t_high", "smelters",
    "smelters_total",
)  # fmt: skip
PRICE_KEYS = ("grid_tariff_idr_per_kwh", "coal_price_usd_per_t", "idr_per_usd")


def _routes(record: dict[str, Any]) -> list[str]:
    return sorted({r for y in record["years"] for r in y["routes"]})


def _rows(record: dict[str, Any], lang: str) -> tuple[list[str], list[list[Any]]]:
    kind = record["kind"]
    if kind == "national-accounts":
        keys = [
            "id", "name", "route", "status", "province", "park", "group", "ni_t",
            "ni_estimated_from_capacity", "electricity_mwh", "captive_coal_share", "co2e_t",
            "co2e_process_t", "co2e_power_t", "intensity_t_per_t_ni", "residue_t", "faba_t",
            "captive_coal_tj", "captive_coal_t", *CARRIERS, "synthetic",
        ]  # fmt: skip
        rows = [[s[k] for k in keys] + ["; ".join(s["missing"])] for s in record["smelters"]]
        return [*keys, "missing"], rows
    routes = _routes(record)
    if kind == "national-scenario":
        keys = [
            "year", "co2e_t", "ni_t", "coal_mw", "slag_generated_t", "slag_stockpile_t",
            "faba_generated_t", "faba_stockpile_t", "carbon_price_idr_per_t", "cap_t",
        ]  # fmt: skip
        extra = ["co2e_p2.5_t", "co2e_p97.5_t", *PRICE_KEYS]
        extra += [f"captive_coal_{k}" for k in COAL_KEYS]
        extra += [f"energy_carbon_cost_{r}_idr_per_t_ni" for r in routes]
        rows = []
        for y in record["years"]:
            b = y["co2e_band_t"] or {}
            coal = y["captive_coal"] or {}
            rows.append(
                [y[k] for k in keys]
                + [b.get("p2.5"), b.get("p97.5")]
                + [(y["prices"] or {}).get(k) for k in PRICE_KEYS]
                + [coal.get(k) for k in COAL_KEYS]
                + [_route_cost(y, r) for r in routes]
            )
        return keys + extra, rows
    keys = [
        "year", "a_co2e_t", "b_co2e_t", "difference_t", "a_coal_mw", "b_coal_mw",
        "a_captive_coal_t", "b_captive_coal_t",
    ]  # fmt: skip
    costs = [(r, side) for r in routes for side in ("a", "b")]
    header = keys + [f"{side}_energy_carbon_cost_{r}_idr_per_t_ni" for r, side in costs]
    rows = [
        [y[k] for k in keys] + [y["routes"].get(r, {}).get(f"{side}_{COST}") for r, side in costs]
        for y in record["years"]
    ]
    return header, rows


def _route_cost(year: dict[str, Any], route: str) -> float | None:
    cost = (year["routes"].get(route) or {}).get("energy_carbon_cost")
    return None if cost is None else cost["total_idr_per_t_ni"]


COST_KEYS = (
    "electricity_idr_per_t_ni", "carbon_idr_per_t_ni", "total_idr_per_t_ni", "smelters_priced",
    "smelters", "ni_priced_t", "ni_t",
)  # fmt: skip


def _cost_rows(record: dict[str, Any]) -> list[list[Any]]:
    """Return the energy and carbon cost per year and route (the workbook's own sheet)."""
    if record["kind"] == "national-accounts":
        years = [(record["year"], record["energy_carbon_cost"]["routes"])]
    else:
        years = [
            (y["year"], {r: v["energy_carbon_cost"] for r, v in y["routes"].items()})
            for y in record["years"]
        ]
    return [
        [year, route, *(cost[k] for k in COST_KEYS), "; ".join(sorted(cost["insufficient_data"]))]
        for year, costs in years
        for route, cost in costs.items()
        if cost is not None
    ]


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


def _basis(intensity: dict[str, Any], lang: str) -> str:
    """Return where a route intensity comes from in ``lang``, as the page's inputs table says."""
    if intensity["feed"]:
        return _(
            lang, N_("sinergi footprint engine: product {product} minus its feed {feed}")
        ).format(product=intensity["product"], feed=intensity["feed"])
    return _(lang, N_("sinergi footprint engine: product {product}")).format(
        product=intensity["product"]
    )


def xlsx_bytes(record: dict[str, Any], lang: str) -> bytes:
    """Return the record as an XLSX workbook: the main table, then reconciliation and inputs."""
    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    header, rows = _rows(record, lang)
    _sheet(book, _(lang, N_("Results")), header, rows)
    if record["kind"] == "national-accounts":
        recon = record["reconciliation"]
        keys = ["id", "unit", "year", "published", "registry", "difference", "same_year", "source"]
        rows = [
            [cite(r, lang, with_note=False) if k == "source" else r[k] for k in keys] for r in recon
        ]
        _sheet(book, _(lang, N_("Reconciliation")), keys, rows)
        gov = record["governance"]
        gkeys = list(gov[0]) if gov else ["id"]
        _sheet(book, _(lang, N_("Governance")), gkeys, [[g[k] for k in gkeys] for g in gov])
    if record["kind"] != "national-compare":
        _sheet(
            book,
            _(lang, N_("Energy and carbon cost")),
            ["year", "route", *COST_KEYS, "insufficient_data"],
            _cost_rows(record),
        )
    inputs = record["inputs"] if record["kind"] != "national-compare" else record["a"]["inputs"]
    coal = inputs["captive_coal_burnt"]
    illustrative = _(lang, N_("illustrative"))
    # the keys of the first column are the record's (as in the JSON); sources in ``lang``
    _sheet(
        book,
        _(lang, N_("Inputs")),
        ["input", "value", "source"],
        [
            [f"intensity {k} process (t CO2e/t Ni)", v["process_t_per_t_ni"], _basis(v, lang)]
            for k, v in inputs["intensities"].items()
        ]
        + [
            [f"power factor {k} (t CO2e/MWh)", v["t_co2e_per_mwh"], cite(v, lang)]
            for k, v in inputs["power_factors"].items()
        ]
        + [
            ["coal CO2 per fuel energy (t CO2/TJ)", coal["co2_t_per_tj"]["value"],
             cite(coal["co2_t_per_tj"], lang)],
            ["coal net calorific value (GJ/t), mid-point", coal["ncv_gj_per_t"]["value"],
             cite(coal["ncv_gj_per_t"], lang)],
            ["coal net calorific value (GJ/t), low", coal["ncv_gj_per_t"]["low"], illustrative],
            ["coal net calorific value (GJ/t), high", coal["ncv_gj_per_t"]["high"], illustrative],
            ["captive coal heat rate (GJ/MWh), derived", coal["heat_rate_gj_per_mwh"],
             "captive coal t CO2/MWh / coal t CO2/TJ"],
        ]
        + [
            [f"default {k} ({v['unit']})", v["value"], cite(v, lang)]
            for k, v in inputs["default_prices"].items()
        ],
    )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
