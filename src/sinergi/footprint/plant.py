r"""A plant's own data for its footprint: values that replace a route's generic parameters.

A tenant fills ``data/templates/footprint_plant_data.csv`` (one row per parameter: value,
unit, source, year) from its own records. The values replace the route's generic
parameters for that plant and supply those only a plant can give (the bottom-up HPAL model's
electricity, on-site coal and limestone). Each keeps the provenance the plant gave it and is
marked as plant data, so results show which exchanges rest on it and what share of the
footprint it decides. Errors name the file, the row and the column.

Examples
--------
>>> from sinergi.footprint.inventory import load_inventory
>>> text = "parameter,value,unit,source,year\nhpal_acid_t_per_t_ni,20,t/t,synthetic,2025\n"
>>> values = parse_plant_data(text, load_inventory(), where="plant.csv")
>>> values["hpal_acid_t_per_t_ni"].value, values["hpal_acid_t_per_t_ni"].plant
(20.0, True)
"""

from __future__ import annotations

import csv
import io
import math
from importlib import resources
from pathlib import Path

from sinergi.errors import FileProblem
from sinergi.footprint.inventory import Inventory, Parameter
from sinergi.reference import Basis, Provenance

__all__ = ["TEMPLATE", "parse_plant_data", "read_plant_data", "template_text"]

#: The shipped template a plant fills.
TEMPLATE = "footprint_plant_data.csv"
_COLUMNS = ("parameter", "value", "unit", "source", "year")


def template_text() -> str:
    """Return the template's text (header and one row per plant-data parameter)."""
    return resources.files("sinergi.data.templates").joinpath(TEMPLATE).read_text("utf-8")


def read_plant_data(path: Path, inventory: Inventory) -> dict[str, Parameter]:
    """Read a filled template; see :func:`parse_plant_data`."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FileProblem(f"{path}: cannot read the plant data: {exc}") from exc
    return parse_plant_data(text, inventory, where=str(path))


def parse_plant_data(text: str, inventory: Inventory, *, where: str) -> dict[str, Parameter]:
    """Return the plant's values by parameter name, with the provenance the plant gave.

    Raises
    ------
    FileProblem
        Listing every bad cell as ``file, row N, column C: problem; fix``.
    """
    rows = list(csv.DictReader(io.StringIO(text)))
    header = rows[0].keys() if rows else next(csv.reader(io.StringIO(text)), [])
    missing = [c for c in _COLUMNS if c not in header]
    if missing:
        raise FileProblem(
            f"{where}: row 1: columns {', '.join(missing)} are missing; use the template"
        )
    problems: list[str] = []
    out: dict[str, Parameter] = {}
    for number, row in enumerate(rows, start=2):
        parameter = _row(row, number, inventory, where, problems)
        if parameter is not None:
            if parameter.name in out:
                problems.append(
                    f"{where}, row {number}, column parameter: {parameter.name!r} is given "
                    "twice; keep one row"
                )
            out[parameter.name] = parameter
    if problems:
        raise FileProblem("; ".join(problems))
    if not out:
        raise FileProblem(f"{where}: no rows; fill at least one parameter of the template")
    return out


def _row(
    row: dict[str, str], number: int, inventory: Inventory, where: str, problems: list[str]
) -> Parameter | None:
    at = f"{where}, row {number}"
    name = (row.get("parameter") or "").strip()
    known = inventory.parameters.get(name)
    spec = inventory.plant_data.get(name)
    if known is None and spec is None:
        problems.append(
            f"{at}, column parameter: unknown parameter {name!r}; use a name of the "
            "template or of routes.yaml"
        )
        return None
    raw = (row.get("value") or "").strip()
    try:
        value = float(raw)
    except ValueError:
        problems.append(
            f"{at}, column value: {raw!r} is not a number; give the plant's figure "
            "(e.g. 12.5) or delete the row"
        )
        return None
    if not math.isfinite(value) or value < 0:
        problems.append(f"{at}, column value: {raw!r} must be a finite number of at least 0")
        return None
    source = (row.get("source") or "").strip()
    year = (row.get("year") or "").strip()
    if not source or not year:
        problems.append(
            f"{at}: give the source (e.g. 'energy meter log 2024') and the year of the figure"
        )
        return None
    unit = known.unit if known is not None else spec.unit_text()  # type: ignore[union-attr]
    note = (row.get("note") or "").strip() or None
    provenance = Provenance(source=source, year=year, basis=Basis.DIRECT, note=note)
    return Parameter(name, value, unit, provenance, plant=True)
