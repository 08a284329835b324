"""The demo job's footprint section: route footprints, the nickel parks' tenants, calibration.

The footprint engine computes; this module writes ``footprints.json`` and the pages
``footprints.en.html`` / ``footprints.id.html`` under the demo's output folder.

Why IWIP and IMIP show the same numbers, said in the output rather than hidden: the route
footprints (t CO2e per t Ni) come from one Indonesian route inventory on captive coal, and no
park-specific route data was found, so they are stated once for both parks; the synthetic
tenants of both parks follow one set of national per-route intensities, so their footprints
per tonne of output are equal too (their volumes differ, not their intensities).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sinergi.footprint.calibration import calibrate
from sinergi.footprint.ecosystem import process_footprints
from sinergi.footprint.results import FootprintResult
from sinergi.footprint.scenarios import FootprintModel
from sinergi.model import Ecosystem
from sinergi.reference import cite
from sinergi.reports.footprint import footprint_html

#: What the demo nickel parks make, as their sources say (IWIP: NPI, MHP, nickel sulfate;
#: IMIP: NPI, matte, HPAL), with the bibliography keys saying so.
PARK_PRODUCTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "iwip": (("npi", "mhp", "niso4"), ("indonesia-miner-2025-iwip",)),
    "imip": (("npi", "matte", "mhp"), ("cru-2024-imip-visit",)),
}
SCENARIO = "captive-coal-to-solar"
FILE_NAME = "footprints.json"
PERIOD = "2024"
#: Why the parks' numbers are equal (the demo's summary and JSON carry it).
SAME_DATA_NOTE = (
    "IWIP and IMIP share one route inventory (no park-specific route data was found), so the "
    "route footprints are stated once for both; their synthetic tenants follow one set of "
    "national per-route intensities, so tenant footprints per tonne are equal across parks too"
)


def _tenants(model: FootprintModel, eco: Ecosystem, park: str) -> dict[str, Any]:
    results = process_footprints(model, eco, PERIOD, park=park)
    return {
        pid: {
            "t_co2e_per_unit": r.score,
            "per": r.functional_unit.en,
            "synthetic": True,
            "missing": {p: [m.en for m in items] for p, items in r.missing.items()},
            "adds_nothing_for_lack_of_data": r.pass_through,
        }
        for pid, r in results.items()
    }


def _products() -> list[str]:
    return list(dict.fromkeys(p for products, _ in PARK_PRODUCTS.values() for p in products))


def footprint_demo(out_dir: Path, eco: Ecosystem | None = None) -> dict[str, Any]:
    """Compute the demo's route footprints, tenant footprints and calibration; write them.

    Parameters
    ----------
    out_dir
        Directory for ``footprints.json`` and the two HTML pages (created if absent).
    eco
        The demonstration ecosystem, if already built; built with its default seed otherwise.

    Returns
    -------
    dict
        A small summary: t CO2e per t Ni by product, baseline and scenario, the note on the
        parks' shared data, the files written and the factorisation count.
    """
    if eco is None:
        from sinergi.demo.ecosystem import demo_ecosystem

        eco = demo_ecosystem()
    model = FootprintModel()
    shown: list[FootprintResult] = []
    routes: dict[str, Any] = {}
    summary: dict[str, dict[str, float]] = {}
    for product in _products():
        base = model.footprint(product)
        what_if = model.footprint(product, scenario=SCENARIO)
        shown += [base, what_if]
        routes[product] = {"baseline": base.to_dict(), SCENARIO: what_if.to_dict()}
        summary[product] = {"baseline": round(base.score, 2), SCENARIO: round(what_if.score, 2)}
    tenants = {park: _tenants(model, eco, park) for park in PARK_PRODUCTS}
    payload = {
        "unit": "t CO2e per functional unit (GWP100 AR6); see each result's score_unit",
        "same_data_note": SAME_DATA_NOTE,
        "parks": {
            park: {"products": list(products), "sources": [cite(k).full() for k in refs]}
            for park, (products, refs) in PARK_PRODUCTS.items()
        },
        "route_footprints": routes,
        "tenants": tenants,
        "tenants_note": "synthetic demo tenants, footprints per unit of their own output",
        "calibration": [c.to_dict() for c in calibrate(model)],
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / FILE_NAME
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False), "utf-8")
    pages = []
    for lang in ("en", "id"):
        page = out_dir / f"footprints.{lang}.html"
        page.write_text(footprint_html(shown, lang), "utf-8")
        pages.append(str(page))
    return {
        "file": str(path),
        "pages": pages,
        "t_co2e_per_t_ni": summary,
        "same_data_note": SAME_DATA_NOTE,
        "tenants": {park: len(rows) for park, rows in tenants.items()},
        "note": "MHP does not change with solar: the default HPAL dataset is the published "
        "route total (its power is inside the aggregate); the bottom-up model needs plant data",
        "factorisations": model.factorisations,
    }
