"""Write the smelter registry: the blank template, or a registry's rows as XLSX or YAML.

A written registry reads back unchanged through :func:`~.readers.read_registry` (one sheet
per template sheet, headers as the template's bilingual labels, blank cells for ``None``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from openpyxl.styles import Font

from sinergi.errors import UsageError
from sinergi.i18n import N_
from sinergi.i18n.messages import msg
from sinergi.io.emobility.writer import write_blank
from sinergi.io.national.templates import CREA, REGISTRY

__all__ = ["EXAMPLES", "write_crea_template", "write_registry", "write_registry_template"]

#: One example row per sheet for the instructions (never written as data).
EXAMPLES: dict[str, dict[str, object]] = {
    "smelters": {
        "id": "smelter-01",
        "name": "Example RKEF line (synthetic)",
        "route": "rkef_npi",
        "status": "operating",
        "province": "Sulawesi Tengah",
        "capacity_ni_t": 20000,
        "ni_share": "10%",
        "synthetic": "yes",
    },
    "captive_units": {
        "id": "unit-01",
        "smelter": "smelter-01",
        "fuel": "coal",
        "capacity_mw": 135,
        "status": "operating",
        "start_year": 2020,
        "gem_unit_id": "G100000000000",
        "synthetic": "yes",
    },
    "production": {"smelter": "smelter-01", "year": 2023, "ni_t": 15000, "synthetic": "yes"},
    "crea": {"company": "PT Example", "commodity": "Nickel", "commodity_detailed": "NPI"},
}


def write_registry_template(path: Path) -> Path:
    """Write the blank registry template (.xlsx or .yaml)."""
    return write_blank(REGISTRY, path, EXAMPLES)


def write_crea_template(path: Path) -> Path:
    """Write a blank sheet with CREA's smelter columns (.xlsx, .yaml or .csv)."""
    return write_blank(CREA, path, EXAMPLES)


def _cell(value: Any) -> Any:
    return "yes" if value is True else "no" if value is False else value


def write_registry(rows: Mapping[str, Sequence[Mapping[str, Any]]], path: Path) -> Path:
    """Write registry rows (sheets ``smelters``, ``captive_units``, ``production``) to ``path``.

    Raises
    ------
    UsageError
        For a suffix other than .xlsx, .yaml, .yml or .json.
    """
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        book = openpyxl.Workbook(write_only=False)
        book.remove(book.worksheets[0])
        for sheet in REGISTRY.sheets:
            ws = book.create_sheet(sheet.name)
            ws.append([c.label for c in sheet.columns])
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for row in rows.get(sheet.name, ()):
                ws.append([_cell(row.get(c.key)) for c in sheet.columns])
        book.save(path)
    elif suffix in (".yaml", ".yml", ".json"):
        doc = {
            sheet.name: [
                {k: v for k, v in row.items() if v is not None} for row in rows.get(sheet.name, ())
            ]
            for sheet in REGISTRY.sheets
        }
        text = (
            json.dumps(doc, indent=1, ensure_ascii=False)
            if suffix == ".json"
            else yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
        )
        path.write_text(text, "utf-8")
    else:
        raise UsageError(
            msg(
                N_("cannot write a registry as {name}; use .xlsx, .yaml or .json"),
                name=f"'{suffix or path.name}'",
            )
        )
    return path
