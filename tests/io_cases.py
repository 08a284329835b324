"""Malformed input files as data: each case writes one bad file and names the issues expected.

``case.write(tmp_path) -> Path`` writes the file; ``case.expected`` lists
``(code, sheet, row, field_or_column)`` of every issue :func:`sinergi.io.read_file` must
report (the fourth item is the issue's ``field``, or its ``column`` when it has no field).
Cases with ``refused=True`` must raise :class:`~sinergi.errors.UnsafeInput` instead.
Every case is self-contained: references name rows of the same file or default external
nodes, so no database is needed.
"""

from __future__ import annotations

import copy
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import yaml

from sinergi.io.columns import schema
from sinergi.io.safety import MAX_FILE_BYTES

Expected = tuple[str, str | None, int | None, str | None]

VERSION = schema().version
FLOW_HEADER = "period,source,target,commodity,quantity,unit"
GOOD_FLOW = "2024,supplier,market,coal,10,t"

BASE_DOC: dict[str, Any] = {
    "sinergi": VERSION,
    "regions": [{"id": "malut", "name": "Maluku Utara"}],
    "parks": [{"id": "p1", "name": "Kawasan Industri Uji", "region_id": "malut"}],
    "companies": [{"id": "c1", "park_id": "p1", "name": "PT Uji Nikel Sejahtera"}],
}


@dataclass(frozen=True)
class Case:
    """One malformed input file and the located issues it must produce."""

    name: str
    write: Callable[[Path], Path]
    expected: list[Expected] = field(default_factory=list)
    refused: bool = False


# -- writers ----------------------------------------------------------------------------
def csv_file(
    lines: list[str], name: str = "flows.csv", encoding: str = "utf-8"
) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_bytes("\n".join(lines).encode(encoding) + b"\n")
        return path

    return write


def flows_csv(*rows: str, header: str = FLOW_HEADER) -> Callable[[Path], Path]:
    return csv_file([header, *rows])


def yaml_doc(
    change: Callable[[dict[str, Any]], None], name: str = "park.yaml"
) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        doc = copy.deepcopy(BASE_DOC)
        change(doc)
        path = folder / name
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
        return path

    return write


def yaml_text(text: str, name: str = "park.yaml") -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_text(text, "utf-8")
        return path

    return write


def workbook(
    sheets: dict[str, list[list[object]]], name: str = "park.xlsx"
) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
        path = folder / name
        book.save(path)
        return path

    return write


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    """Set ``doc[list][0][key] = value`` for ``path`` = ``"list.key"``."""
    table, key = path.split(".", 1)

    def change(doc: dict[str, Any]) -> None:
        doc[table][0][key] = value

    return change


def _add(table: str, item: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc.setdefault(table, []).append(item)

    return change


def _oversized(folder: Path) -> Path:
    path = folder / "flows.csv"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk is really used
    return path


def _xlsm(folder: Path) -> Path:
    path = folder / "park.xlsm"
    workbook({"Flows": [[FLOW_HEADER]]}, "x.xlsx")(folder).rename(path)
    return path


def _zip_bomb(folder: Path) -> Path:
    path = folder / "park.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (4 * 1024 * 1024))
    return path


def _vba(folder: Path) -> Path:
    path = workbook({"Flows": [FLOW_HEADER.split(","), GOOD_FLOW.split(",")]})(folder)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")
    return path


def _utf16(folder: Path) -> Path:
    path = folder / "flows.csv"
    path.write_bytes(f"{FLOW_HEADER}\n{GOOD_FLOW}\n".encode("utf-16"))
    return path


def _json_root_list(folder: Path) -> Path:
    path = folder / "park.json"
    path.write_text(json.dumps([BASE_DOC]), "utf-8")
    return path


def _empty(folder: Path) -> Path:
    path = folder / "flows.csv"
    path.write_bytes(b"")
    return path


def _not_a_zip(folder: Path) -> Path:
    path = folder / "park.xlsx"
    path.write_bytes(io.BytesIO(b"this is not a workbook").getvalue())
    return path


_FLOWS_HEADER_ROW: list[object] = FLOW_HEADER.split(",")

CASES: list[Case] = [
    # -- cells ----------------------------------------------------------------------------
    Case(
        "unknown commodity",
        flows_csv("2024,supplier,market,unobtainium,10,t"),
        [("unknown_commodity", None, 2, "commodity")],
    ),
    Case(
        "unknown unit",
        flows_csv("2024,supplier,market,coal,10,furlongs"),
        [("unknown_unit", None, 2, "unit")],
    ),
    Case(
        "unit of the wrong dimension",
        flows_csv("2024,supplier,market,coal,10,MWh"),
        [("wrong_unit_dimension", None, 2, "unit")],
    ),
    Case(
        "negative quantity",
        flows_csv(GOOD_FLOW, "2024,market,supplier,coal,-5,t"),
        [("negative_value", None, 3, "quantity")],
    ),
    Case(
        "text in a number cell",
        flows_csv("2024,supplier,market,coal,banyak,t"),
        [("not_a_number", None, 2, "quantity")],
    ),
    Case(
        "fraction in an integer cell",
        yaml_doc(_add("workforce", {"company_id": "c1", "period": 2024, "female": 2.5})),
        [("not_an_integer", "workforce", 1, "female")],
    ),
    Case(
        "bad period",
        flows_csv("2024-13,supplier,market,coal,10,t"),
        [("bad_period", None, 2, "period")],
    ),
    Case(
        "US-order date as period",
        flows_csv("03/31/2024,supplier,market,coal,10,t"),
        [("bad_period", None, 2, "period")],
    ),
    Case(
        "bad enum value",
        flows_csv("2024,supplier,market,coal,10,t,guessed", header=FLOW_HEADER + ",quality"),
        [("bad_choice", None, 2, "quality")],
    ),
    Case(
        "missing required value",
        flows_csv("2024,,market,coal,10,t"),
        [("missing_value", None, 2, "source")],
    ),
    Case(
        "missing required column (unit)",
        flows_csv("2024,supplier,market,coal,10", header="period,source,target,commodity,quantity"),
        [("missing_column", None, None, "unit")],
    ),
    Case(
        "unknown column",
        flows_csv(GOOD_FLOW + ",red", header=FLOW_HEADER + ",Colour"),
        [("unknown_column", None, 1, "Colour")],
    ),
    Case(
        "duplicate key row",
        flows_csv(GOOD_FLOW, "2024,supplier,market,coal,11,t"),
        [("duplicate_row", None, 3, None)],
    ),
    Case(
        "reference to a missing park",
        yaml_doc(_set("companies.park_id", "p-missing")),
        [("unknown_reference", "companies", 1, "park_id")],
    ),
    Case(
        "reference to a missing company",
        yaml_doc(_add("facilities", {"id": "f1", "company_id": "c9", "name": "Pabrik"})),
        [("unknown_reference", "facilities", 1, "company_id")],
    ),
    Case(
        "reference to a missing node",
        flows_csv("2024,ghost.node,market,coal,10,t"),
        [("unknown_reference", None, 2, "source")],
    ),
    Case(
        "ambiguous 1.234",
        flows_csv('2024,supplier,market,coal,"1.234",t'),
        [("ambiguous_number", None, 2, "quantity")],
    ),
    Case(
        "latitude out of range",
        yaml_doc(_set("parks.latitude", 95.5)),
        [("out_of_range", "parks", 1, "latitude")],
    ),
    Case(
        "KBLI code not 5 digits",
        yaml_doc(_set("companies.kbli", ["24103", "2410"])),
        [("bad_format", "companies", 1, "kbli")],
    ),
    Case(
        "bad yes/no answer",
        yaml_doc(_set("parks.synthetic", "mungkin")),
        [("bad_boolean", "parks", 1, "synthetic")],
    ),
    Case(
        "id used by two node kinds",
        yaml_doc(_add("parks", {"id": "malut", "name": "Dua", "region_id": "malut"})),
        [("duplicate_id", "parks", 2, "id")],
    ),
    Case(
        "smelter without power source",
        yaml_doc(_set("companies.smelter", {"route": "hpal", "design_capacity_t": 60000})),
        [("missing_value", "companies", 1, "smelter_power_source")],
    ),
    # -- encodings and whole files ---------------------------------------------------------
    Case(
        "latin-1 CSV refused",
        csv_file([FLOW_HEADER, GOOD_FLOW, "2024,supplier,market,coal,10,t,é"], encoding="latin-1"),
        [("not_utf8", None, 3, None)],
    ),
    Case("UTF-16 CSV refused", _utf16, [("not_utf8", None, None, None)]),
    Case("empty file", _empty, [("empty_file", None, None, None)]),
    Case("CSV with only a header", flows_csv(), [("no_data_rows", None, None, None)]),
    Case(
        "CSV whose table cannot be told",
        csv_file(["company_id,period", "c1,2024"], name="data.csv"),
        [("unknown_table", None, None, None)],
    ),
    Case("workbook that is not a zip", _not_a_zip, [("unreadable_file", None, None, None)]),
    # -- dangerous files -------------------------------------------------------------------
    Case("oversized file", _oversized, refused=True),
    Case(".xlsm refused", _xlsm, refused=True),
    Case("zip bomb refused", _zip_bomb, refused=True),
    Case("xlsx with vbaProject refused", _vba, refused=True),
    # -- XLSX --------------------------------------------------------------------------------
    Case(
        "formula without cached value",
        workbook(
            {"Flows": [_FLOWS_HEADER_ROW, ["2024", "supplier", "market", "coal", "=6*7", "t"]]}
        ),
        [("formula_without_value", "Flows", 2, "quantity")],
    ),
    Case(
        "XLSX bad enum",
        workbook(
            {
                "Regions": [["id", "name"], ["malut", "Maluku Utara"]],
                "Parks": [["id", "name", "region_id"], ["p1", "Kawasan", "malut"]],
                "Companies": [
                    ["id", "park_id", "name", "size"],
                    ["c1", "p1", "PT Satu", "large"],
                    ["c2", "p1", "PT Dua", "huge"],
                ],
            }
        ),
        [("bad_choice", "Companies", 3, "size")],
    ),
    Case(
        "XLSX KBLI typed as a number loses its leading 0",
        workbook(
            {
                "Regions": [["id", "name"], ["malut", "Maluku Utara"]],
                "Parks": [["id", "name", "region_id"], ["p1", "Kawasan", "malut"]],
                "Companies": [["id", "park_id", "name", "kbli"], ["c1", "p1", "PT Tani", 1111]],
            }
        ),
        [("bad_format", "Companies", 2, "kbli")],
    ),
    Case(
        "XLSX unknown sheet with data",
        workbook(
            {"Flows": [_FLOWS_HEADER_ROW, GOOD_FLOW.split(",")], "Flow 2023": [_FLOWS_HEADER_ROW]}
        ),
        [("unknown_sheet", "Flow 2023", None, None)],
    ),
    # -- YAML / JSON -----------------------------------------------------------------------
    Case(
        "YAML unknown key",
        yaml_doc(_set("parks.colour", "red")),
        [("unknown_key", "parks", 1, "colour")],
    ),
    Case(
        "YAML unknown key inside smelter",
        yaml_doc(
            _set(
                "companies.smelter",
                {"route": "hpal", "power_source": "captive_coal", "colour": "red"},
            )
        ),
        [("unknown_key", "companies", 1, "smelter.colour")],
    ),
    Case(
        "YAML bad land-use category",
        yaml_doc(_set("parks.land_use", {"parking": 5.0})),
        [("bad_choice", "parks", 1, "land_use")],
    ),
    Case(
        "YAML non-mapping root",
        yaml_text("- just\n- a list\n"),
        [("not_a_mapping", None, None, None)],
    ),
    Case("JSON non-mapping root", _json_root_list, [("not_a_mapping", None, None, None)]),
    Case(
        "YAML python tag refused",
        yaml_text(f'sinergi: "{VERSION}"\nregions: !!python/object/apply:os.getcwd []\n'),
        [("yaml_tag_refused", None, 2, None)],
    ),
    Case(
        "YAML alias refused",
        yaml_text(f'sinergi: "{VERSION}"\nregions:\n  - &r {{id: a, name: A}}\n  - *r\n'),
        [("syntax_error", None, 4, None)],
    ),
    Case(
        "YAML missing version",
        yaml_doc(lambda doc: doc.pop("sinergi")),
        [("missing_version", None, None, "sinergi")],
    ),
    Case(
        "YAML list that is not a list",
        yaml_doc(lambda doc: doc.update(flows={"a": 1})),
        [("not_a_list", "flows", None, None)],
    ),
    # -- several problems at once ----------------------------------------------------------
    Case(
        "several errors in one file are all reported",
        flows_csv(
            GOOD_FLOW,
            "2024,supplier,market,unobtainium,10,t",
            "2024,market,supplier,coal,-1,t",
            "2024-3,supplier,market,coal,10,kWh",
            "1999-99,supplier,nowhere,coal,x,t",
            header=FLOW_HEADER + ",Remarks",
        ),
        [
            ("unknown_column", None, 1, "Remarks"),
            ("unknown_commodity", None, 3, "commodity"),
            ("negative_value", None, 4, "quantity"),
            ("wrong_unit_dimension", None, 5, "unit"),
            ("bad_period", None, 6, "period"),
            ("not_a_number", None, 6, "quantity"),
            ("unknown_reference", None, 6, "target"),
        ],
    ),
]
