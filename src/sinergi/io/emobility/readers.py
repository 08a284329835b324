"""Read each e-mobility template and check it across rows; return plain, validated data.

Beyond the cell checks of :mod:`.tables`, each reader checks what one row cannot: repeated
ids, parts of components that are not listed, options aimed at nothing, two/three-wheelers
without their component composition, shares of one component above 100 %, gaps in the sales
years, a supplier described differently on two rows. A file with any problem raises one
:class:`~sinergi.errors.InputError` listing every problem with its place; nothing is
computed from it. The readers return plain mappings (the engines build their own types from
them, so this layer imports no engine).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from sinergi.i18n import N_
from sinergi.io.emobility.spec import Row, TemplateRows
from sinergi.io.emobility.tables import read_template
from sinergi.io.emobility.templates import BOM, SALES, SCENARIO, SUPPLIERS
from sinergi.io.issues import IssueCode, Place

__all__ = ["read_bom", "read_sales", "read_scenario", "read_suppliers"]

#: Tolerance on shares adding to more than one.
SHARE_TOLERANCE = 1e-9


def read_bom(path: Path, *, published_components: Collection[str] = ()) -> dict[str, Any]:
    """Read a bill-of-materials file; ``published_components`` are the four-wheeler ids.

    Returns ``{"model": {...}, "components": [...], "parts": [...], "aspects": [...],
    "options": [...]}``, each row a mapping of column keys to typed values.

    Raises
    ------
    InputError
        With every problem found, each located.
    FileProblem, UnsafeInput
        When the file cannot be read or is refused.
    """
    rows = read_template(path, BOM)
    if not rows.issues:
        _check_bom(rows, set(published_components))
    rows.raise_if_any()
    model = {key: row.values["value"] for key, row in rows.fields("model").items()}
    return {
        "model": model,
        **{
            name: _values(rows.sheet(name))
            for name in ("components", "parts", "aspects", "options")
        },
    }


def _values(rows: Iterable[Row]) -> list[dict[str, Any]]:
    return [dict(row.values) for row in rows]


def _duplicates(rows: list[Row], key: str, result: TemplateRows) -> set[str]:
    seen: set[str] = set()
    for row in rows:
        value = row.values.get(key)
        if value is None:
            continue
        if value in seen:
            result.add(
                row.at(key),
                IssueCode.DUPLICATE_ID,
                N_("'{value}' appears twice in column '{column}'; ids must be unique"),
                value=value,
                column=key,
            )
        seen.add(value)
    return seen


def _check_bom(rows: TemplateRows, published: set[str]) -> None:
    """Check a bill across its sheets: ids, references, composition, costs, options."""
    components = rows.sheet("components")
    ids = _duplicates(components, "id", rows)
    items = _duplicates(rows.sheet("aspects"), "id", rows)
    _duplicates(rows.sheet("options"), "id", rows)
    model = {k: r.values["value"] for k, r in rows.fields("model").items()}
    if not components and model.get("vehicle_class") == "two_three_wheeler":
        rows.add(
            Place(rows.file, "components"),
            "missing_sheet",
            N_(
                "a two- or three-wheeler needs the 'components' sheet: the component composition "
                "of Permenperin 6/2022 for these vehicles was not found in any source, so sinergi "
                "does not guess one; give each component's group and weight"
            ),
        )
    known = ids or published
    parts = rows.sheet("parts")
    _check_parts(parts, known, rows)
    for row in components:
        mine = [
            p.values["cost_idr"] or 0 for p in parts if p.values["component"] == row.values["id"]
        ]
        if sum(mine) <= 0:
            rows.add(
                row.at("id"),
                IssueCode.UNKNOWN_REFERENCE,
                N_("component '{value}' has no part with a cost above zero in sheet 'parts'"),
                value=row.values["id"],
            )
    targets = known | {p.values["component"] for p in parts} | items
    for row in rows.sheet("options"):
        if row.values["target"] not in targets:
            rows.add(
                row.at("target"),
                IssueCode.UNKNOWN_REFERENCE,
                N_("option target '{value}' is neither a component nor an aspect item"),
                value=row.values["target"],
            )


def _check_parts(parts: list[Row], known: set[str], rows: TemplateRows) -> None:
    """Check that each part names a known component and that imported parts claim no share."""
    for row in parts:
        component = row.values["component"]
        if known and component not in known:
            rows.add(
                row.at("component"),
                IssueCode.UNKNOWN_REFERENCE,
                N_("component '{value}' is not listed; use one of {names}"),
                value=component,
                names=", ".join(sorted(known)),
            )
        if row.values["origin"] == "imported" and row.values.get("local_share"):
            rows.add(
                row.at("local_share"),
                IssueCode.OUT_OF_RANGE,
                N_("an imported part has no domestic share; leave this cell blank or 0"),
            )


def read_suppliers(path: Path, *, components: Collection[str]) -> list[dict[str, Any]]:
    """Read a supplier table; ``components`` are the catalogue's component ids.

    Returns one mapping per supplier with its ``supplies`` (component, share).

    Raises
    ------
    InputError
        With every problem found, each located.
    """
    rows = read_template(path, SUPPLIERS)
    suppliers: dict[str, dict[str, Any]] = {}
    if not rows.issues:
        suppliers = _group_suppliers(rows, set(components))
    rows.raise_if_any()
    return list(suppliers.values())


SUPPLIER_FIELDS = ("name", "company_id", "kbli", "province", "park", "workers", "synthetic")


def _group_suppliers(rows: TemplateRows, components: set[str]) -> dict[str, dict[str, Any]]:
    """Group rows by supplier; check components, repeated details and shares above 100 %."""
    suppliers: dict[str, dict[str, Any]] = {}
    totals: dict[str, float] = {}
    for row in rows.sheet("suppliers"):
        values = row.values
        component = values["component"]
        if component not in components:
            rows.add(
                row.at("component"),
                IssueCode.UNKNOWN_REFERENCE,
                N_("component '{value}' is not a motorcycle component; use one of {names}"),
                value=component,
                names=", ".join(sorted(components)),
            )
        entry = suppliers.setdefault(
            values["supplier_id"],
            {
                "id": values["supplier_id"],
                **{k: values[k] for k in SUPPLIER_FIELDS},
                "supplies": [],
            },
        )
        _merge_details(entry, row, rows)
        if any(s["component"] == component for s in entry["supplies"]):
            rows.add(
                row.at("component"),
                IssueCode.DUPLICATE_ROW,
                N_("supplier '{supplier}' lists '{value}' twice; keep one row"),
                supplier=values["supplier_id"],
                value=component,
            )
            continue
        entry["supplies"].append({"component": component, "share": values["share"]})
        totals[component] = totals.get(component, 0.0) + (values["share"] or 0.0)
        if totals[component] > 1 + SHARE_TOLERANCE:
            rows.add(
                row.at("share"),
                IssueCode.OUT_OF_RANGE,
                N_("the shares of '{value}' add to {total} here, more than 100%"),
                value=component,
                total=round(totals[component], 6),
            )
    return suppliers


def _merge_details(entry: dict[str, Any], row: Row, rows: TemplateRows) -> None:
    """Fill a supplier's details from ``row``; a detail contradicting an earlier row is an issue."""
    for key in SUPPLIER_FIELDS:
        value = row.values[key]
        if value is not None and entry[key] not in (None, value):
            rows.add(
                row.at(key),
                "inconsistent_row",
                N_(
                    "supplier '{supplier}' has {column} '{value}' here but '{other}' "
                    "above; use one value"
                ),
                supplier=row.values["supplier_id"],
                column=key,
                value=value,
                other=entry[key],
            )
        if entry[key] is None:
            entry[key] = value


def read_sales(path: Path) -> list[dict[str, Any]]:
    """Read a sales table (consecutive years of domestic sales and exports).

    Raises
    ------
    InputError
        With every problem found, each located.
    """
    rows = read_template(path, SALES)
    if not rows.issues:
        _check_years(rows.sheet("sales"), rows)
    rows.raise_if_any()
    return _values(rows.sheet("sales"))


def _check_years(sales: list[Row], rows: TemplateRows) -> None:
    previous: int | None = None
    for row in sales:
        year = row.values["year"]
        if previous is not None and year != previous + 1:
            rows.add(
                row.at("year"),
                IssueCode.OUT_OF_RANGE,
                N_("year {value} does not follow {previous}; give consecutive years in order"),
                value=year,
                previous=previous,
            )
        previous = year


def read_scenario(path: Path, *, components: Collection[str]) -> dict[str, Any]:
    """Read a scenario file: electric-share anchors and optional sales, projection, bills, jobs.

    Raises
    ------
    InputError
        With every problem found, each located.
    """
    rows = read_template(path, SCENARIO)
    if not rows.issues:
        _check_scenario(rows, set(components))
    rows.raise_if_any()
    projection = {key: row.values["value"] for key, row in rows.fields("projection").items()}
    return {
        "file": rows.file,
        "scenarios": _values(rows.sheet("scenarios")),
        "sales": _values(rows.sheet("sales")),
        "projection": projection,
        "bom": _values(rows.sheet("bom")),
        "jobs": _values(rows.sheet("jobs")),
    }


def _check_scenario(rows: TemplateRows, components: set[str]) -> None:
    seen: set[tuple[str, int]] = set()
    for row in rows.sheet("scenarios"):
        key = (row.values["scenario"], row.values["year"])
        if key in seen:
            rows.add(
                row.at("year"),
                IssueCode.DUPLICATE_ROW,
                N_("scenario '{scenario}' gives year {year} twice; keep one row"),
                scenario=key[0],
                year=key[1],
            )
        seen.add(key)
    _check_years(rows.sheet("sales"), rows)
    pairs: set[tuple[str, str]] = set()
    for sheet in ("bom", "jobs"):
        for row in rows.sheet(sheet):
            if row.values["component"] not in components:
                rows.add(
                    row.at("component"),
                    IssueCode.UNKNOWN_REFERENCE,
                    N_("component '{value}' is not a motorcycle component; use one of {names}"),
                    value=row.values["component"],
                    names=", ".join(sorted(components)),
                )
            pair = (sheet, f"{row.values['component']} {row.values.get('powertrain')}")
            if pair in pairs:
                rows.add(
                    row.at("component"),
                    IssueCode.DUPLICATE_ROW,
                    N_("'{value}' is given twice in sheet '{sheet}'; keep one row"),
                    value=row.values["component"],
                    sheet=sheet,
                )
            pairs.add(pair)
            if sheet == "jobs" and row.values.get("source") and row.values.get("year") is None:
                rows.add(
                    row.at("year"),
                    IssueCode.MISSING_VALUE,
                    N_("a sourced value needs the year it describes; fill in 'year'"),
                )
