"""Write the blank e-mobility templates (XLSX, YAML, or CSV for one-sheet templates).

The XLSX has a bilingual ``Instructions`` sheet (what each sheet is for, each column's kind
and limits, and an example row), then one sheet per template sheet with the bilingual header
(``English / Indonesia``) that the reader understands; key-value sheets list their fields in
column A. The YAML holds the same sheets as keys with the examples as comments. Both read
back as empty templates: nothing in them is data until the user writes it.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sinergi.errors import UsageError
from sinergi.io.emobility.spec import Column, Kind, Sheet, Template
from sinergi.io.emobility.templates import TEMPLATES, TemplateKind

__all__ = ["EXAMPLES", "write_blank", "write_template"]

_HEADER_FILL = PatternFill("solid", fgColor="D9EAD3")

#: One example row per sheet, shown in the instructions (never written as data).
EXAMPLES: dict[str, dict[str, object]] = {
    "model": {"model": "Scooter X (synthetic)", "vehicle_class": "two_three_wheeler"},
    "components": {"id": "battery", "name": "Battery pack", "group": "main", "weight": 40},
    "parts": {
        "component": "battery",
        "part": "cells",
        "cost_idr": 6000000,
        "origin": "imported",
        "local_share": "",
        "maker": "",
    },
    "aspects": {
        "id": "labour",
        "aspect": "assembly",
        "item": "domestic labour",
        "weight": 1,
        "achieved": "100%",
    },
    "options": {
        "id": "local-cells",
        "target": "battery",
        "new_share": "80%",
        "cost_idr": 1500000,
        "description": "cells made in Indonesia",
    },
    "suppliers": {
        "supplier_id": "s-001",
        "name": "PT Contoh Komponen (synthetic)",
        "component": "engine",
        "share": "5%",
        "kbli": "30912",
        "province": "id-jb",
        "park": "kiic",
        "workers": 400,
    },
    "sales": {"year": 2023, "domestic": 6236992, "exports": 570004, "source": "AISI"},
    "scenarios": {"scenario": "my-path", "year": 2030, "electric_share": "30%"},
    "projection": {"growth_per_year": 0.02},
    "bom": {"component": "pack_bms", "powertrain": "electric", "quantity": 2},
    "jobs": {"component": "engine", "jobs_per_1000_units": 3, "source": "...", "year": 2024},
}

_KIND_TEXT = {
    Kind.TEXT: ("text", "teks"),
    Kind.NUMBER: ("number (1234.5 or 1.234,5)", "angka (1234.5 atau 1.234,5)"),
    Kind.SHARE: ("share: 0.45 or 45%", "pangsa: 0.45 atau 45%"),
    Kind.INTEGER: ("whole number", "bilangan bulat"),
    Kind.YEAR: ("year", "tahun"),
    Kind.CHOICE: ("one of", "salah satu dari"),
    Kind.BOOLEAN: ("yes/no (ya/tidak)", "ya/tidak (yes/no)"),
}


def write_template(kind: TemplateKind, path: Path) -> Path:
    """Write the blank ``kind`` template to ``path`` (.xlsx, .yaml/.yml, or .csv).

    Raises
    ------
    UsageError
        For a suffix that cannot hold the template (CSV holds one sheet only).
    """
    return write_blank(TEMPLATES[kind], path, EXAMPLES)


def write_blank(
    template: Template, path: Path, examples: Mapping[str, Mapping[str, object]]
) -> Path:
    """Write any template blank to ``path``, with one example row per sheet in its help.

    Raises
    ------
    UsageError
        For a suffix that cannot hold the template (CSV holds one sheet only).
    """
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        _write_xlsx(template, path, examples)
    elif suffix in (".yaml", ".yml"):
        path.write_text(_yaml(template, examples), "utf-8")
    elif suffix == ".csv" and len(template.sheets) == 1:
        _write_csv(template.sheets[0], path)
    else:
        msg = (
            f"cannot write the {template.name} template as {suffix or 'a file without suffix'}; "
            f"use .xlsx or .yaml{' or .csv' if len(template.sheets) == 1 else ''}"
        )
        raise UsageError(msg)
    return path


def _column_help(column: Column, lang: str) -> str:
    en, id_ = _KIND_TEXT[column.kind]
    kind = id_ if lang == "id" else en
    if column.kind is Kind.CHOICE:
        kind += " " + ", ".join(column.choices)
    required = ("wajib" if lang == "id" else "required") if column.required else ""
    return "; ".join(p for p in (kind, required) if p)


def _write_xlsx(
    template: Template, path: Path, examples: Mapping[str, Mapping[str, object]]
) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.worksheets[0])
    guide = workbook.create_sheet("Instructions")
    guide.append([f"sinergi: {template.name} template / templat {template.name}"])
    guide["A1"].font = Font(bold=True, size=13)
    for sheet in template.sheets:
        guide.append([])
        guide.append([f"{sheet.name}: {sheet.title_en} / {sheet.title_id}"])
        guide.cell(guide.max_row, 1).font = Font(bold=True)
        for text in (sheet.help_en, sheet.help_id):
            if text:
                guide.append([text])
        guide.append(["column / kolom", "English", "Bahasa Indonesia", "example / contoh"])
        example = examples.get(sheet.name, {})
        for column in sheet.columns:
            guide.append(
                [
                    column.key,
                    f"{column.header_en}: {_column_help(column, 'en')}",
                    f"{column.header_id}: {_column_help(column, 'id')}",
                    str(example.get(column.key, "")),
                ]
            )
        _data_sheet(workbook, sheet)
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["B"].width = 70
    guide.column_dimensions["C"].width = 70
    guide.column_dimensions["D"].width = 30
    workbook.save(path)


def _data_sheet(workbook: openpyxl.Workbook, sheet: Sheet) -> None:
    ws = workbook.create_sheet(sheet.name)
    if sheet.key_value:
        ws.append(["field / isian", "value / nilai", "help / keterangan"])
        for column in sheet.columns:
            ws.append([column.key, None, f"{column.label}: {_column_help(column, 'en')}"])
        widths: tuple[int, ...] = (24, 30, 80)
    else:
        ws.append([c.label for c in sheet.columns])
        widths = tuple(max(14, min(len(c.label) + 2, 48)) for c in sheet.columns)
    for index, cell in enumerate(ws[1], start=1):
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(index)].width = widths[index - 1]
    ws.freeze_panes = "A2"


def _yaml(template: Template, examples: Mapping[str, Mapping[str, object]]) -> str:
    lines = [
        f"# sinergi {template.name} template: fill in the lists below; lines starting with #",
        "# are examples and help. / Templat sinergi: isi daftar di bawah; baris berawalan #",
        "# adalah contoh dan keterangan.",
        "version: 1",
    ]
    for sheet in template.sheets:
        lines.append("")
        lines.append(f"# {sheet.title_en} / {sheet.title_id}")
        for text in (sheet.help_en, sheet.help_id):
            if text:
                lines.append(f"# {text}")
        for column in sheet.columns:
            lines.append(f"#   {column.key}: {column.header_en}; {_column_help(column, 'en')}")
        example = examples.get(sheet.name, {})
        if sheet.key_value:
            lines.append(f"{sheet.name}: {{}}")
            lines += [f"#   {k}: {v}" for k, v in example.items()]
        else:
            lines.append(f"{sheet.name}: []")
            if example:
                first, *rest = list(example.items())
                lines.append(f"#   - {first[0]}: {first[1]}")
                lines += [f"#     {k}: {v}" for k, v in rest]
    return "\n".join(lines) + "\n"


def _write_csv(sheet: Sheet, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow([c.key for c in sheet.columns])
