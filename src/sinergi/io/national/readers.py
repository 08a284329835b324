"""Read the smelter registry (sinergi's template or a CREA-style sheet) and scenario files.

Beyond the cell checks of the template machinery, :func:`read_registry` checks what one row
cannot: repeated ids, units serving smelters or parks that are not listed, units serving
nobody, production of unknown smelters or repeated for a year, production given only in
product tonnes for a smelter without a nickel share, a latitude without its longitude, and
rows that are neither sourced nor marked synthetic. A file with any problem raises one
:class:`~sinergi.errors.InputError` listing every problem with its place; nothing is imported.

:func:`read_crea` reads a sheet laid out like CREA's smelter sheet and returns the same plain
rows: one smelter per nickel row (other commodities are skipped and listed), a captive coal
unit from ``PLN or Captive CFPP``/``Capacity (MW)``/``GEM ID``, a non-coal unit from
``Captive_non-coal``/``Capacity_2 (MW)``, a grid connection for PLN supply.

:func:`read_scenario_document` reads a scenario file (YAML or JSON) to a mapping with located
syntax errors; the national engine validates its fields.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException
from pydantic import ValidationError

from sinergi.errors import FileProblem, InputError
from sinergi.i18n import N_
from sinergi.io.emobility.spec import HELP_SHEETS, Row, Template, TemplateRows, norm
from sinergi.io.emobility.tables import read_template
from sinergi.io.issues import Issue, IssueCode, Place
from sinergi.io.national.templates import CREA, FUEL_WORDS, REGISTRY, ROUTE_WORDS, STATUS_WORDS
from sinergi.io.pydantic_errors import error_code, error_path, error_words
from sinergi.io.reader import decode_text
from sinergi.io.safety import check_size, check_workbook_archive
from sinergi.io.yaml_doc import _parse

__all__ = ["read_crea", "read_registry", "read_scenario_document", "validation_issues"]

#: GEM tracker columns accepted on the unit sheet but not used by the accounts
_DESCRIPTIVE = ("country", "combustion_technology", "coal_type", "heat_rate")


def _values(rows: list[Row], drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.values.items() if k not in drop} for row in rows]


def read_registry(path: Path) -> dict[str, Any]:
    """Read a registry file: ``{"smelters": [...], "units": [...], "production": [...]}``.

    Raises
    ------
    InputError
        With every problem found, each located; nothing is returned.
    FileProblem, UnsafeInput
        When the file cannot be read or is refused.
    """
    rows = read_template(path, REGISTRY)
    if not rows.issues:
        check_registry(rows)
    rows.raise_if_any()
    return {
        "file": rows.file,
        "smelters": _values(rows.sheet("smelters")),
        "units": _values(rows.sheet("captive_units"), _DESCRIPTIVE),
        "production": _values(rows.sheet("production")),
    }


def _unique(rows: list[Row], key: str, result: TemplateRows) -> set[str]:
    seen: set[str] = set()
    for row in rows:
        value = row.values.get(key)
        if value in seen:
            result.add(
                row.at(key),
                IssueCode.DUPLICATE_ID,
                N_("'{value}' appears twice in column '{column}'; ids must be unique"),
                value=value,
                column=key,
            )
        if value is not None:
            seen.add(str(value))
    return seen


def _sourced(row: Row, result: TemplateRows) -> None:
    if not row.values.get("source") and not row.values.get("synthetic"):
        result.add(
            row.at("source"),
            IssueCode.MISSING_VALUE,
            N_("every row needs a source (author, title, year, URL) or synthetic = yes"),
        )


def _coordinates(row: Row, result: TemplateRows) -> None:
    lat, lon = row.values.get("latitude"), row.values.get("longitude")
    if (lat is None) != (lon is None):
        missing = "longitude" if lon is None else "latitude"
        result.add(
            row.at(missing),
            IssueCode.MISSING_VALUE,
            N_("give both latitude and longitude, or neither; '{column}' is empty"),
            column=missing,
        )


def check_registry(rows: TemplateRows) -> None:
    """Check a registry across its sheets; problems are added to ``rows``."""
    smelters = rows.sheet("smelters")
    ids = _unique(smelters, "id", rows)
    parks = {r.values["park"] for r in smelters if r.values.get("park")}
    shares = {r.values["id"]: r.values.get("ni_share") for r in smelters}
    for row in smelters:
        _sourced(row, rows)
        _coordinates(row, rows)
    units = rows.sheet("captive_units")
    _unique(units, "id", rows)
    for row in units:
        _check_unit(row, ids, parks, rows)
    seen: set[tuple[str, int]] = set()
    for row in rows.sheet("production"):
        _check_production(row, ids, shares, seen, rows)


def _check_unit(row: Row, ids: set[str], parks: set[str], rows: TemplateRows) -> None:
    _sourced(row, rows)
    _coordinates(row, rows)
    smelter, park = row.values.get("smelter"), row.values.get("park")
    if smelter is None and park is None:
        rows.add(
            row.at("smelter"),
            IssueCode.MISSING_VALUE,
            N_("give the smelter this unit serves, or the park whose smelters share it"),
        )
    elif smelter is not None and smelter not in ids:
        rows.add(
            row.at("smelter"),
            IssueCode.UNKNOWN_REFERENCE,
            N_("smelter '{value}' is not listed in sheet 'smelters'"),
            value=smelter,
        )
    elif smelter is None and park not in parks:
        rows.add(
            row.at("park"),
            IssueCode.UNKNOWN_REFERENCE,
            N_("no smelter in sheet 'smelters' is in park '{value}'"),
            value=park,
        )
    start, end = row.values.get("start_year"), row.values.get("retired_year")
    if start is not None and end is not None and end < start:
        rows.add(
            row.at("retired_year"),
            IssueCode.OUT_OF_RANGE,
            N_("retired year {value} is before the start year {start}"),
            value=end,
            start=start,
        )


def _check_production(
    row: Row,
    ids: set[str],
    shares: dict[str, Any],
    seen: set[tuple[str, int]],
    rows: TemplateRows,
) -> None:
    smelter, year = row.values["smelter"], row.values["year"]
    if smelter not in ids:
        rows.add(
            row.at("smelter"),
            IssueCode.UNKNOWN_REFERENCE,
            N_("smelter '{value}' is not listed in sheet 'smelters'"),
            value=smelter,
        )
    if (smelter, year) in seen:
        rows.add(
            row.at("year"),
            IssueCode.DUPLICATE_ROW,
            N_("production of '{value}' in {year} appears twice; keep one row"),
            value=smelter,
            year=year,
        )
    seen.add((smelter, year))
    values = row.values
    capacity = any(values.get(k) is not None for k in ("capacity_ni_t", "capacity_output_t"))
    if values.get("product_t") is None and values.get("ni_t") is None and not capacity:
        rows.add(
            row.at("ni_t"),
            IssueCode.MISSING_VALUE,
            N_("give the product tonnes, the tonnes of nickel, or the year's capacity"),
        )
    if (
        values.get("capacity_output_t") is not None
        and values.get("capacity_ni_t") is None
        and shares.get(smelter) is None
        and smelter in ids
    ):
        rows.add(
            row.at("capacity_output_t"),
            IssueCode.MISSING_VALUE,
            N_(
                "smelter '{value}' has no nickel share, so its capacity in product tonnes "
                "cannot be turned into nickel; give the capacity in t Ni or the smelter's Ni "
                "content"
            ),
            value=smelter,
        )
    if (
        values.get("product_t") is not None
        and values.get("ni_t") is None
        and shares.get(smelter) is None
        and smelter in ids
    ):
        rows.add(
            row.at("ni_t"),
            IssueCode.MISSING_VALUE,
            N_(
                "smelter '{value}' has no nickel share, so its product tonnes cannot be turned "
                "into nickel; give the tonnes of nickel or the smelter's Ni content"
            ),
            value=smelter,
        )
    if not row.values.get("source") and not row.values.get("synthetic"):
        rows.add(
            row.at("source"),
            IssueCode.MISSING_VALUE,
            N_("every row needs a source (author, title, year, URL) or synthetic = yes"),
        )


def _choice(text: object, words: dict[str, str]) -> str | None:
    wanted = norm(text)
    for value, alternatives in words.items():
        if wanted in {norm(w) for w in (value, *alternatives.split("|"))}:
            return value
    return None


def _crea_route(row: Row) -> str | None:
    for key in ("commodity_detailed", "commodity"):
        value = row.values.get(key)
        if value is None:
            continue
        found = _choice(value, ROUTE_WORDS)
        if found is None:
            text = norm(value)
            found = next(
                (
                    route
                    for route, words in ROUTE_WORDS.items()
                    if any(re.search(rf"\b{re.escape(norm(w))}\b", text) for w in words.split("|"))
                ),
                None,
            )
        if found is not None:
            return found
    return None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def read_crea(path: Path) -> dict[str, Any]:
    """Read a CREA-style smelter sheet into registry rows; non-nickel rows are skipped.

    Returns the same mapping as :func:`read_registry`, plus ``skipped`` (row numbers and
    commodities not on a nickel route).

    Raises
    ------
    InputError
        With every problem found, each located.
    """
    rows = read_template(path, _crea_template(path))
    out: dict[str, Any] = {"file": rows.file, "smelters": [], "units": [], "production": []}
    out["skipped"] = []
    source = f"CREA-style smelter sheet '{rows.file}'"
    for row in rows.sheet("crea"):
        route = _crea_route(row)
        if route is None:
            out["skipped"].append({"row": row.place.row, "commodity": row.values["commodity"]})
            continue
        smelter = _crea_smelter(row, route, source, rows)
        if smelter is not None:
            out["smelters"].append(smelter)
            out["units"] += _crea_units(row, smelter, source, rows)
    if not rows.issues:
        _unique_crea(out["smelters"], rows)
    rows.raise_if_any()
    return out


def _crea_template(path: Path) -> Template:
    """Return the CREA template named after the workbook's one data sheet, whatever its name.

    CREA's sheet is a Google Sheet exported under the owner's tab name; a workbook with one
    data sheet is read as that sheet.
    """
    if path.suffix.lower() != ".xlsx" or not path.is_file():
        return CREA
    check_size(path)
    check_workbook_archive(path)  # guards run before any parser, as for every workbook
    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, InvalidFileException):
        return CREA  # the template reader reports the unreadable file, with its place
    names = [n for n in book.sheetnames if norm(n) not in HELP_SHEETS]
    book.close()
    if len(names) != 1:
        return CREA
    sheet = replace(CREA.sheets[0], title_en=names[0])
    return replace(CREA, sheets=(sheet,))


def _crea_smelter(row: Row, route: str, source: str, rows: TemplateRows) -> dict[str, Any] | None:
    values = row.values
    status = _choice(values.get("status") or "", STATUS_WORDS) if values.get("status") else None
    if status is None:
        rows.add(
            row.at("status"),
            IssueCode.BAD_CHOICE,
            N_("status '{value}' is not one of {choices}"),
            value=values.get("status") or "",
            choices=", ".join(STATUS_WORDS),
        )
        return None
    _coordinates(row, rows)
    name = values["company"] + (f", {values['location']}" if values.get("location") else "")
    return {
        "id": f"crea-{row.place.row}-{_slug(values['company'])}",
        "name": name,
        "company": values["company"],
        "park": values.get("location"),
        "province": values.get("province"),
        "latitude": values.get("latitude"),
        "longitude": values.get("longitude"),
        "route": route,
        "status": status,
        "commissioning_year": values.get("finish_year"),
        "capacity_input_t": values.get("capacity_input_t"),
        "capacity_output_t": values.get("capacity_output_t"),
        "grid_mw": values.get("capacity_mw") if _is_pln(values.get("power")) else None,
        "source": source,
        "year": values.get("evaluation_year"),
    }


def _is_pln(text: object) -> bool:
    return text is not None and "pln" in norm(text)


def _crea_units(
    row: Row, smelter: dict[str, Any], source: str, rows: TemplateRows
) -> list[dict[str, Any]]:
    values = row.values
    units = []
    power = values.get("power")
    if power is not None and not _is_pln(power) and values.get("capacity_mw"):
        units.append(
            {
                "id": f"{smelter['id']}-coal",
                "smelter": smelter["id"],
                "fuel": "coal",
                "capacity_mw": values["capacity_mw"],
                "status": smelter["status"],
                "start_year": smelter["commissioning_year"],
                "gem_unit_id": values.get("gem_id"),
                "owner": values["company"],
                "source": source,
                "year": values.get("evaluation_year"),
            }
        )
    other = values.get("non_coal")
    if other and values.get("capacity_2_mw"):
        fuel = _choice(other, FUEL_WORDS)
        if fuel is None:
            rows.add(
                row.at("non_coal"),
                IssueCode.BAD_CHOICE,
                N_("fuel '{value}' is not one of {choices}"),
                value=other,
                choices=", ".join(FUEL_WORDS),
            )
        else:
            units.append(
                {
                    "id": f"{smelter['id']}-{fuel}",
                    "smelter": smelter["id"],
                    "fuel": fuel,
                    "capacity_mw": values["capacity_2_mw"],
                    "status": smelter["status"],
                    "start_year": smelter["commissioning_year"],
                    "owner": values["company"],
                    "source": source,
                    "year": values.get("evaluation_year"),
                }
            )
    return units


def _unique_crea(smelters: list[dict[str, Any]], rows: TemplateRows) -> None:
    seen: set[str] = set()
    for smelter in smelters:
        if smelter["id"] in seen:  # pragma: no cover - ids carry the row number
            rows.add(Place(rows.file), IssueCode.DUPLICATE_ID, N_("'{value}' appears twice"))
        seen.add(smelter["id"])


def read_scenario_document(path: Path) -> dict[str, Any]:
    """Read a scenario file (.yaml, .yml or .json) to a mapping; syntax errors are located.

    Raises
    ------
    FileProblem
        When the file does not exist or cannot be read.
    InputError
        When it is not valid YAML/JSON, not UTF-8, or not a mapping.
    """
    if not path.is_file():
        raise FileProblem(f"{path}: no such file; check the path")
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        place = Place(path.name)
        raise InputError(
            [
                place.issue(
                    IssueCode.UNSUPPORTED_FORMAT,
                    N_("a scenario is a .yaml, .yml or .json file, not '{suffix}'"),
                    suffix=suffix or path.name,
                )
            ]
        )
    check_size(path)
    text, issues = decode_text(path.read_bytes(), path.name)
    if issues:
        raise InputError(issues)
    doc, issues = _parse(text, "json" if suffix == ".json" else "yaml", Place(path.name))
    if issues:
        raise InputError(issues)
    if not isinstance(doc, dict):
        raise InputError(
            [
                Place(path.name).issue(
                    IssueCode.NOT_A_MAPPING,
                    N_("a scenario file holds a mapping of settings (name: …, base_year: …)"),
                )
            ]
        )
    return doc


def validation_issues(
    file: str, exc: ValidationError, custom: Mapping[str, str] | None = None
) -> list[Issue]:
    """Return a pydantic validation error as located issues (the field path names the place).

    ``retirements.0.unit`` becomes the field ``retirements[0].unit`` of ``file``. Every message
    comes from the catalogues (:mod:`sinergi.io.pydantic_errors`), so the Indonesian one quotes
    no English; ``custom`` gives the sentences of the model's own checks by error type.
    """
    issues = []
    for error in exc.errors():
        path = error_path(error["loc"])
        issues.append(
            Place(file, field=path or None).issue(
                error_code(error["type"]),
                N_("'{field}': {problem}; fix this setting (docs/national.md lists them)"),
                field=path or "-",
                problem=error_words(error, custom),
            )
        )
    return issues
