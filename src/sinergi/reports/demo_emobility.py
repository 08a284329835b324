"""The demo job's e-mobility section: ``out/emobility/``.

It writes a **synthetic** bill of materials of an e-scooter (labelled synthetic in the file and
on every page; its component composition and costs are invented, because the two/three-
wheeler composition of Permenperin 6/2022 was not found) and a synthetic supplier table that
names parts makers of the demonstration ecosystem, then reads both back through the intake
templates as a user's files would be read, and writes:

* the TKDN report (JSON, HTML in English and Indonesian, XLSX) with the cheapest
  localisation to the next threshold, and a range check of the synthetic TKDN against the
  certified TKDN of real e-motorcycles (range only: the synthetic bill is not any of them);
* the government-target transition to 2040 with the suppliers' losses, gains and jobs;
* the standard-vs-proprietary swap-pack comparison for 2030.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import yaml

from sinergi.emobility.bom import component_catalogue
from sinergi.emobility.inputs import bill_of_materials, suppliers
from sinergi.emobility.method import VehicleClass, tkdn_reference
from sinergi.emobility.packs import PackStandard
from sinergi.emobility.scenarios import transition_scenario
from sinergi.io.emobility.readers import read_bom, read_suppliers
from sinergi.model import Ecosystem
from sinergi.reports.emobility import packs_record, tkdn_record, transition_record
from sinergi.reports.emobility_packs import pack_scenario
from sinergi.reports.emobility_pages import render_html
from sinergi.reports.emobility_xlsx import workbook_bytes

__all__ = ["DEMO_YEAR", "SYNTHETIC_BOM", "certified_range", "write_emobility_demo"]

#: Year of the demo's TKDN assessment.
DEMO_YEAR = 2026

#: A synthetic e-scooter: every cost, share and weight is invented for the demonstration.
SYNTHETIC_BOM: dict[str, Any] = {
    "version": 1,
    "model": {
        "model": "Demo e-scooter (synthetic)",
        "vehicle_class": "two_three_wheeler",
        "battery_kwh": 1.44,
        "maker": "synthetic demonstration maker",
        "synthetic": True,
    },
    "components": [
        {"id": "battery", "name": "Battery pack", "group": "main", "weight": 40},
        {"id": "motor", "name": "Hub motor", "group": "main", "weight": 4},
        {"id": "controller", "name": "Motor controller", "group": "main", "weight": 3},
        {"id": "frame", "name": "Frame", "group": "main", "weight": 3},
        {"id": "wheels", "name": "Wheels", "group": "supporting", "weight": 3},
        {"id": "brakes", "name": "Brakes", "group": "supporting", "weight": 2},
        {"id": "lights", "name": "Lights", "group": "supporting", "weight": 2},
        {"id": "wiring", "name": "Wiring harness", "group": "supporting", "weight": 2},
        {"id": "charger", "name": "Charger", "group": "supporting", "weight": 1},
    ],
    "parts": [
        {"component": "battery", "part": "cells", "cost_idr": 5500000, "origin": "imported"},
        {"component": "battery", "part": "BMS", "cost_idr": 800000, "origin": "domestic"},
        {"component": "battery", "part": "pack housing", "cost_idr": 500000, "origin": "domestic"},
        {"component": "motor", "part": "hub motor", "cost_idr": 1800000, "origin": "imported"},
        {
            "component": "motor",
            "part": "mounting bracket",
            "cost_idr": 200000,
            "origin": "domestic",
        },
        {"component": "controller", "part": "controller", "cost_idr": 900000, "origin": "imported"},
        {"component": "frame", "part": "welded frame", "cost_idr": 1200000, "origin": "domestic"},
        {"component": "wheels", "part": "rims and tyres", "cost_idr": 600000, "origin": "domestic"},
        {"component": "brakes", "part": "disc brakes", "cost_idr": 400000, "origin": "domestic"},
        {"component": "lights", "part": "LED lamps", "cost_idr": 150000, "origin": "domestic"},
        {"component": "lights", "part": "LED chips", "cost_idr": 150000, "origin": "imported"},
        {"component": "wiring", "part": "harness", "cost_idr": 250000, "origin": "domestic"},
        {"component": "charger", "part": "charger", "cost_idr": 350000, "origin": "imported"},
    ],
    "aspects": [
        {
            "id": "labour",
            "aspect": "assembly",
            "item": "domestic labour",
            "weight": 1,
            "achieved": 1,
        },
        {
            "id": "plant",
            "aspect": "assembly",
            "item": "assembly plant",
            "weight": 1,
            "achieved": 0.6,
        },
        {"id": "design", "aspect": "development", "item": "design", "weight": 1, "achieved": 0.5},
        {
            "id": "prototype",
            "aspect": "development",
            "item": "prototyping",
            "weight": 1,
            "achieved": 0.5,
        },
        {"id": "testing", "aspect": "development", "item": "testing", "weight": 1, "achieved": 0.2},
    ],
    "options": [
        {
            "id": "local-cells",
            "target": "battery",
            "new_share": 0.85,
            "cost_idr": 1200000,
            "description": "cells from a domestic cell plant",
        },
        {
            "id": "local-controller",
            "target": "controller",
            "new_share": 0.9,
            "cost_idr": 250000,
            "description": "controller assembled domestically",
        },
        {
            "id": "local-motor",
            "target": "motor",
            "new_share": 0.8,
            "cost_idr": 600000,
            "description": "hub motor wound domestically",
        },
        {
            "id": "local-charger",
            "target": "charger",
            "new_share": 1.0,
            "cost_idr": 100000,
            "description": "charger made domestically",
        },
        {
            "id": "testing-lab",
            "target": "testing",
            "new_share": 1.0,
            "cost_idr": 50000,
            "description": "testing in a domestic laboratory",
        },
        {
            "id": "design-team",
            "target": "design",
            "new_share": 1.0,
            "cost_idr": 150000,
            "description": "design done domestically",
        },
    ],
}

#: Which demonstration sectors make which motorcycle parts, for the synthetic supplier table.
SUPPLIER_COMPONENTS: dict[str, tuple[str, ...]] = {
    "automotive-parts": ("engine", "transmission", "exhaust", "fuel_system", "brakes", "frame"),
    "electronics": ("controller", "charger", "wiring", "lights"),
}
#: Synthetic share of national demand each demo supplier holds (illustrative).
SUPPLIER_SHARE = 0.02


def certified_range() -> tuple[float, float]:
    """Return the lowest and highest certified TKDN of the real e-motorcycles in the data."""
    values = [c.tkdn_percent for c in tkdn_reference().certified]
    return min(values), max(values)


def write_emobility_demo(out: Path, eco: Ecosystem | None = None) -> dict[str, Any]:
    """Write ``out/emobility/`` and return the summary line of the demo."""
    if eco is None:
        from sinergi.demo import demo_ecosystem

        eco = demo_ecosystem()
    folder = out / "emobility"
    folder.mkdir(parents=True, exist_ok=True)
    bom_path = folder / "bom.synthetic.yaml"
    bom_path.write_text(
        "# SYNTHETIC bill of materials for the sinergi demonstration: invented costs, shares and\n"
        "# component weights (the two/three-wheeler composition was not found in any source).\n"
        + yaml.safe_dump(SYNTHETIC_BOM, sort_keys=False, allow_unicode=True),
        "utf-8",
    )
    published = {c.id for s in tkdn_reference().component_splits for c in s.components}
    bom = bill_of_materials(read_bom(bom_path, published_components=published))
    tkdn = tkdn_record(bom, DEMO_YEAR)
    low, high = certified_range()
    tkdn["certified_range_check"] = {
        "low_percent": low,
        "high_percent": high,
        "within": low <= tkdn["tkdn_percent"] <= high,
    }
    _write_all(folder, "tkdn", tkdn)
    supplier_path = _write_suppliers(folder / "suppliers.synthetic.csv", eco)
    table = suppliers(read_suppliers(supplier_path, components=component_catalogue().ids))
    transition = transition_record(
        transition_scenario("government-target"), 2040, suppliers=table, eco=eco
    )
    _write_all(folder, "transition", transition)
    packs = packs_record(pack_scenario(2030, PackStandard.SHARED))
    _write_all(folder, "packs", packs)
    return _summary(folder, tkdn, transition, packs)


def _write_all(folder: Path, name: str, record: dict[str, Any]) -> None:
    (folder / f"{name}.json").write_text(
        json.dumps(record, indent=2, ensure_ascii=False) + "\n", "utf-8"
    )
    for lang in ("en", "id"):
        (folder / f"{name}.{lang}.html").write_text(render_html(record, lang), "utf-8")
    (folder / f"{name}.xlsx").write_bytes(workbook_bytes(record, "en"))


def _write_suppliers(path: Path, eco: Ecosystem) -> Path:
    """Write a synthetic supplier table naming demo companies as parts makers."""
    rows = []
    for sector, components in SUPPLIER_COMPONENTS.items():
        companies = sorted(c for c in eco.companies if f".{sector}-" in c)
        for index, company_id in enumerate(companies):
            component = components[index % len(components)]
            rows.append(
                {
                    "supplier_id": f"demo-{company_id}",
                    "name": eco.companies[company_id].name,
                    "component": component,
                    "share": SUPPLIER_SHARE,
                    "company_id": company_id,
                    "synthetic": "yes",
                }
            )
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _summary(
    folder: Path, tkdn: dict[str, Any], transition: dict[str, Any], packs: dict[str, Any]
) -> dict[str, Any]:
    last = len(transition["years"]) - 1
    losing = [s for s in transition["suppliers"] if s["lost_sets"][last] > 0]
    jobs = [s["jobs_at_risk"][last] for s in losing if s["jobs_at_risk"] is not None]
    return {
        "folder": str(folder),
        "synthetic_bom_tkdn_percent": round(tkdn["tkdn_percent"], 2),
        "certified_range_check": tkdn["certified_range_check"],
        "localisation": tkdn["localisation"],
        "transition_last_year": transition["years"][last],
        "suppliers_losing_demand": len(losing),
        "jobs_at_risk_last_year": round(sum(jobs)),
        "packs_avoided_2030": packs["avoided"]["packs"],
        "nickel_avoided_t_2030": round(packs["avoided"]["metals_kg"]["Ni"] / 1e3, 1),
        "vehicle_class": VehicleClass.TWO_THREE_WHEELER.value,
        "illustrative_inputs": sum(
            1
            for r in (*tkdn["inputs"], *transition["inputs"], *packs["inputs"])
            if r.get("illustrative")
        ),
    }
