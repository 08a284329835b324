"""The e-mobility records as XLSX workbooks: one sheet per table, headers in the reader's language.

Tables are written long (one row per component and year, per supplier and year) so analysts
can filter and pivot them; every workbook ends with the inputs and their sources.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from sinergi.i18n import N_, _

__all__ = ["workbook_bytes"]

_FILL = PatternFill("solid", fgColor="D9EAD3")


def workbook_bytes(record: Mapping[str, Any], lang: str) -> bytes:
    """Return the XLSX workbook of an e-mobility record in ``lang``."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.worksheets[0])
    {"tkdn": _tkdn, "transition": _transition, "packs": _packs}[record["kind"]](
        workbook, record, lang
    )
    _sheet(
        workbook,
        _(lang, "Inputs"),
        lang,
        (N_("Input"), N_("Detail"), N_("Value"), N_("Unit"), N_("Illustrative"), N_("Source")),
        (
            (
                _(lang, row["label"]),
                row["detail"],
                row.get("value"),
                row.get("unit"),
                _(lang, "yes") if row.get("illustrative") else _(lang, "no"),
                row.get("source") or ", ".join(row.get("refs", [])) or row.get("note"),
            )
            for row in record["inputs"]
        ),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(
    workbook: openpyxl.Workbook,
    title: str,
    lang: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
) -> None:
    sheet = workbook.create_sheet(title[:31])
    sheet.append([_(lang, h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _FILL
    for row in rows:
        sheet.append(list(row))
    for index in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    sheet.freeze_panes = "A2"


def _tkdn(workbook: openpyxl.Workbook, r: Mapping[str, Any], lang: str) -> None:
    _sheet(
        workbook,
        _(lang, "Summary"),
        lang,
        (N_("Field"), N_("Value")),
        [
            (_(lang, "Model"), r["model"]),
            (_(lang, "Synthetic"), _(lang, "yes") if r["synthetic"] else _(lang, "no")),
            (_(lang, "Year"), r["year"]),
            (_(lang, "Method"), r["method"]["title_id" if lang == "id" else "title_en"]),
            (_(lang, "TKDN (percent)"), r["tkdn_percent"]),
            (_(lang, "Battery (kWh)"), r["battery_kwh"]),
        ],
    )
    _sheet(
        workbook,
        _(lang, "Components"),
        lang,
        (
            N_("Component"),
            N_("Group"),
            N_("Weight (points)"),
            N_("Local share"),
            N_("Points earned"),
            N_("Cost per vehicle (IDR)"),
            N_("Domestic cost (IDR)"),
        ),
        (
            (
                c["name"],
                c["group"],
                c["max_points"],
                c["local_share"],
                c["points"],
                c["cost_idr"],
                c["domestic_cost_idr"],
            )
            for c in r["components"]
        ),
    )
    _sheet(
        workbook,
        _(lang, "Aspects"),
        lang,
        (N_("Aspect"), N_("Weight (points)"), N_("Points earned"), N_("Claimed")),
        ((a["aspect"], a["weight"], a["points"], a["claimed"]) for a in r["aspects"]),
    )
    _sheet(
        workbook,
        _(lang, "Years"),
        lang,
        (
            N_("Year"),
            N_("TKDN (percent)"),
            N_("Minimum TKDN (percent)"),
            N_("Meets the minimum"),
            N_("Subsidy programme open"),
            N_("Subsidy eligible"),
            N_("Fiscal incentives"),
        ),
        (
            (
                y["year"],
                y["tkdn_percent"],
                y["threshold_percent"],
                y["meets_threshold"],
                y["subsidy_open"],
                y["subsidy_eligible"],
                y["fiscal_incentive"],
            )
            for y in r["years"]
        ),
    )
    loc = r["localisation"] or {"chosen": []}
    _sheet(
        workbook,
        _(lang, "Localisation"),
        lang,
        (
            N_("Option"),
            N_("Component or item"),
            N_("Local share now"),
            N_("Local share after"),
            N_("Points gained"),
            N_("Extra cost per vehicle (IDR)"),
        ),
        (
            (o["option"], o["target"], o["from_share"], o["to_share"], o["points"], o["cost_idr"])
            for o in loc["chosen"]
        ),
    )


def _transition(workbook: openpyxl.Workbook, r: Mapping[str, Any], lang: str) -> None:
    years = r["years"]
    v = r["vehicles"]
    _sheet(
        workbook,
        _(lang, "Vehicles"),
        lang,
        (
            N_("Year"),
            N_("Domestic sales"),
            N_("Exports"),
            N_("Electric share of domestic sales"),
            N_("Electric motorcycles"),
            N_("Conventional motorcycles"),
        ),
        zip(
            years,
            v["domestic"],
            v["exports"],
            v["electric_share"],
            v["electric"],
            v["conventional"],
            strict=True,
        ),
    )
    _sheet(
        workbook,
        _(lang, "Component demand"),
        lang,
        (
            N_("Component"),
            N_("Used by"),
            N_("Year"),
            N_("Demand (units)"),
            N_("No electrification (units)"),
            N_("Change (units)"),
        ),
        (
            (
                c["name_id" if lang == "id" else "name_en"],
                c["powertrain"],
                year,
                c["demand"][i],
                c["baseline"][i],
                c["change"][i],
            )
            for c in r["components"]
            for i, year in enumerate(years)
        ),
    )
    _sheet(
        workbook,
        _(lang, "Suppliers"),
        lang,
        (
            N_("Supplier"),
            N_("Park"),
            N_("Province"),
            N_("KBLI"),
            N_("Year"),
            N_("Baseline (vehicle sets)"),
            N_("Lost (vehicle sets)"),
            N_("Gained (vehicle sets)"),
            N_("Jobs at risk"),
        ),
        (
            (
                s["name"],
                s["park"],
                s["province"],
                " ".join(s["kbli"]),
                year,
                s["baseline_sets"][i],
                s["lost_sets"][i],
                s["gained_sets"][i],
                s["jobs_at_risk"][i] if s["jobs_at_risk"] else None,
            )
            for s in r["suppliers"]
            for i, year in enumerate(years)
        ),
    )
    for title, key in (
        (N_("By park"), "by_park"),
        (N_("By province"), "by_province"),
        (N_("By KBLI"), "by_kbli"),
    ):
        _sheet(
            workbook,
            _(lang, title),
            lang,
            (N_("Group"), N_("Year"), N_("Change (vehicle sets)")),
            (
                (name, year, values[i])
                for name, values in r[key].items()
                for i, year in enumerate(years)
            ),
        )


def _packs(workbook: openpyxl.Workbook, r: Mapping[str, Any], lang: str) -> None:
    keys = ("vehicle_packs", "station_packs", "packs", "cells", "kwh")
    rows: list[tuple[object, ...]] = [
        (key, r["shared"][key], r["proprietary"][key], r["proprietary"][key] - r["shared"][key])
        for key in keys
    ]
    rows += [
        (
            f"{element} (kg)",
            r["shared"]["metals_kg"][element],
            r["proprietary"]["metals_kg"][element],
            kg,
        )
        for element, kg in r["avoided"]["metals_kg"].items()
    ]
    _sheet(
        workbook,
        _(lang, "Comparison"),
        lang,
        (
            N_("Quantity"),
            N_("One standard pack"),
            N_("One pack per brand"),
            N_("Avoided by the standard"),
        ),
        rows,
    )
