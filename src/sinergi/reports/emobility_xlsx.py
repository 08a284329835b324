"""The e-mobility records as XLSX workbooks: one sheet per table, headers in the reader's language.

Tables are written long (one row per component and year, per supplier and year) so analysts
can filter and pivot them; every workbook ends with the inputs and their sources.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
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
        _(lang, N_("Inputs")),
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


Column = tuple[str, Callable[[Any], object]]


def _table(
    workbook: openpyxl.Workbook,
    lang: str,
    title: str,
    columns: Sequence[Column],
    items: Iterable[Any],
) -> None:
    """Write one sheet: a header per column and a row per item (each cell from its getter)."""
    _sheet(
        workbook,
        _(lang, title),
        lang,
        [header for header, _get in columns],
        ([get(item) for _header, get in columns] for item in items),
    )


def _tkdn(workbook: openpyxl.Workbook, r: Mapping[str, Any], lang: str) -> None:
    yes, no = _(lang, "yes"), _(lang, "no")
    summary = [
        (_(lang, "Model"), r["model"]),
        (_(lang, "Synthetic"), yes if r["synthetic"] else no),
        (_(lang, "Year"), r["year"]),
        (_(lang, "Method"), r["method"]["title_id" if lang == "id" else "title_en"]),
        (_(lang, "TKDN (percent)"), r["tkdn_percent"]),
        (_(lang, "Battery (kWh)"), r["battery_kwh"]),
    ]
    _table(workbook, lang, N_("Summary"), _keys((N_("Field"), 0), (N_("Value"), 1)), summary)
    _table(workbook, lang, N_("Components"), TKDN_COMPONENTS, r["components"])
    _table(workbook, lang, N_("Aspects"), TKDN_ASPECTS, r["aspects"])
    _table(workbook, lang, N_("Years"), TKDN_YEARS, r["years"])
    chosen = (r["localisation"] or {"chosen": []})["chosen"]
    _table(workbook, lang, N_("Localisation"), TKDN_OPTIONS, chosen)


def _keys(*pairs: tuple[str, Any]) -> list[Column]:
    """Return columns whose cells are ``item[key]``."""
    return [(header, _getter(key)) for header, key in pairs]


def _getter(key: Any) -> Callable[[Any], object]:
    def get(item: Any) -> object:
        return item[key]

    return get


TKDN_COMPONENTS = _keys(
    (N_("Component"), "name"),
    (N_("Group"), "group"),
    (N_("Weight (points)"), "max_points"),
    (N_("Local share"), "local_share"),
    (N_("Points earned"), "points"),
    (N_("Cost per vehicle (IDR)"), "cost_idr"),
    (N_("Domestic cost (IDR)"), "domestic_cost_idr"),
)
TKDN_ASPECTS = _keys(
    (N_("Aspect"), "aspect"),
    (N_("Weight (points)"), "weight"),
    (N_("Points earned"), "points"),
    (N_("Claimed"), "claimed"),
)
TKDN_YEARS = _keys(
    (N_("Year"), "year"),
    (N_("TKDN (percent)"), "tkdn_percent"),
    (N_("Minimum TKDN (percent)"), "threshold_percent"),
    (N_("Meets the minimum"), "meets_threshold"),
    (N_("Subsidy programme open"), "subsidy_open"),
    (N_("Subsidy eligible"), "subsidy_eligible"),
    (N_("Fiscal incentives"), "fiscal_incentive"),
)
TKDN_OPTIONS = _keys(
    (N_("Option"), "option"),
    (N_("Component or item"), "target"),
    (N_("Local share now"), "from_share"),
    (N_("Local share after"), "to_share"),
    (N_("Points gained"), "points"),
    (N_("Extra cost per vehicle (IDR)"), "cost_idr"),
)


def _transition(workbook: openpyxl.Workbook, r: Mapping[str, Any], lang: str) -> None:
    years = r["years"]
    v = r["vehicles"]
    fields = ("domestic", "exports", "electric_share", "electric", "conventional")
    vehicles = [{"year": y, **{f: v[f][i] for f in fields}} for i, y in enumerate(years)]
    _table(workbook, lang, N_("Vehicles"), TRANSITION_VEHICLES, vehicles)
    name = "name_id" if lang == "id" else "name_en"
    demand = [
        {**c, "name": c[name], "year": y, "i": i}
        for c in r["components"]
        for i, y in enumerate(years)
    ]
    _table(workbook, lang, N_("Component demand"), TRANSITION_DEMAND, demand)
    supplied = [{**s, "year": y, "i": i} for s in r["suppliers"] for i, y in enumerate(years)]
    _table(workbook, lang, N_("Suppliers"), TRANSITION_SUPPLIERS, supplied)
    for title, key in (
        (N_("By park"), "by_park"),
        (N_("By province"), "by_province"),
        (N_("By KBLI"), "by_kbli"),
    ):
        rows = [(n, y, values[i]) for n, values in r[key].items() for i, y in enumerate(years)]
        columns = _keys((N_("Group"), 0), (N_("Year"), 1), (N_("Change (vehicle sets)"), 2))
        _table(workbook, lang, title, columns, rows)


def _at(key: str) -> Callable[[Any], object]:
    """Return a getter of ``item[key][item['i']]`` (a yearly series at the row's year)."""
    return lambda item: item[key][item["i"]] if item[key] is not None else None


TRANSITION_VEHICLES = _keys(
    (N_("Year"), "year"),
    (N_("Domestic sales"), "domestic"),
    (N_("Exports"), "exports"),
    (N_("Electric share of domestic sales"), "electric_share"),
    (N_("Electric motorcycles"), "electric"),
    (N_("Conventional motorcycles"), "conventional"),
)
TRANSITION_DEMAND: list[Column] = [
    *_keys((N_("Component"), "name"), (N_("Used by"), "powertrain"), (N_("Year"), "year")),
    (N_("Demand (units)"), _at("demand")),
    (N_("No electrification (units)"), _at("baseline")),
    (N_("Change (units)"), _at("change")),
]
TRANSITION_SUPPLIERS: list[Column] = [
    *_keys((N_("Supplier"), "name"), (N_("Park"), "park"), (N_("Province"), "province")),
    (N_("KBLI"), lambda item: " ".join(item["kbli"])),
    *_keys((N_("Year"), "year")),
    (N_("Baseline (vehicle sets)"), _at("baseline_sets")),
    (N_("Lost (vehicle sets)"), _at("lost_sets")),
    (N_("Gained (vehicle sets)"), _at("gained_sets")),
    (N_("Jobs at risk"), _at("jobs_at_risk")),
]


def _packs(workbook: openpyxl.Workbook, r: Mapping[str, Any], lang: str) -> None:
    keys = ("vehicle_packs", "station_packs", "packs", "cells", "kwh")
    rows: list[tuple[object, ...]] = [
        (key, r["shared"][key], r["proprietary"][key], r["proprietary"][key] - r["shared"][key])
        for key in keys
    ]
    rows += [
        (f"{el} (kg)", r["shared"]["metals_kg"][el], r["proprietary"]["metals_kg"][el], kg)
        for el, kg in r["avoided"]["metals_kg"].items()
    ]
    columns = _keys(
        (N_("Quantity"), 0),
        (N_("One standard pack"), 1),
        (N_("One pack per brand"), 2),
        (N_("Avoided by the standard"), 3),
    )
    _table(workbook, lang, N_("Comparison"), columns, rows)
