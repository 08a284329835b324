"""Footprints of the demonstration nickel parks (IWIP, IMIP) for ``sinergi demo``.

Both parks run RKEF, HPAL and matte lines on captive coal (nickel-battery.md §4.4). Product
footprints per t Ni come from the shared route inventory with the captive-coal mix; each
synthetic tenant's footprint per unit of its own output comes from its reported demo flows
(:mod:`sinergi.footprint.ecosystem`), with the route inventory as background and every
unreported exchange listed. The captive-coal -> solar scenario is a full-switch what-if,
not a forecast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sinergi.footprint.calibration import calibrate
from sinergi.footprint.ecosystem import process_footprints
from sinergi.footprint.scenarios import FootprintModel
from sinergi.model import Ecosystem

#: Demo parks and the products their lines make (nickel-battery.md §4.4).
PARK_PRODUCTS: dict[str, tuple[str, ...]] = {
    "iwip": ("npi", "mhp", "matte"),
    "imip": ("npi", "mhp", "matte"),
}
SCENARIO = "captive-coal-to-solar"
FILE_NAME = "footprints.json"
PERIOD = "2024"


def _tenants(model: FootprintModel, eco: Ecosystem, park: str) -> dict[str, Any]:
    results = process_footprints(model, eco, PERIOD, park=park)
    return {
        pid: {
            "t_co2e_per_unit": r.score,
            "unit": r.unit,
            "synthetic": True,
            "missing": r.missing,
        }
        for pid, r in results.items()
    }


def footprint_demo(out_dir: Path, eco: Ecosystem | None = None) -> dict[str, Any]:
    """Compute the demo parks' product footprints and the solar scenario; write JSON.

    Parameters
    ----------
    out_dir
        Directory for ``footprints.json`` (created if absent).
    eco
        The demonstration ecosystem, if already built; built with its default seed
        otherwise.

    Returns
    -------
    dict
        A small summary: t CO2e per t Ni by park and product, baseline and scenario, the
        file written and the factorisation count.
    """
    if eco is None:
        from sinergi.demo.ecosystem import demo_ecosystem

        eco = demo_ecosystem()
    model = FootprintModel()
    parks: dict[str, Any] = {}
    tenants = {park: _tenants(model, eco, park) for park in PARK_PRODUCTS}
    summary: dict[str, dict[str, dict[str, float]]] = {}
    for park, products in PARK_PRODUCTS.items():
        parks[park] = {}
        summary[park] = {}
        for product in products:
            base = model.footprint(product)
            what_if = model.footprint(product, scenario=SCENARIO)
            parks[park][product] = {"baseline": base.to_dict(), SCENARIO: what_if.to_dict()}
            summary[park][product] = {
                "baseline": round(base.score, 2),
                SCENARIO: round(what_if.score, 2),
            }
    payload = {
        "unit": "t CO2e per t Ni (GWP100 AR6)",
        "synthetic_note": (
            "product footprints use the shared Indonesian route inventory on captive coal; "
            "tenant footprints use the synthetic demo tenants' own flows (per unit of output)"
        ),
        "parks": parks,
        "tenants": tenants,
        "calibration": [c.to_dict() for c in calibrate(model)],
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / FILE_NAME
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False), "utf-8")
    return {
        "file": str(path),
        "t_co2e_per_t_ni": summary,
        "tenants": {park: len(rows) for park, rows in tenants.items()},
        "note": "MHP does not change with solar: HPAL electricity is missing from the data",
        "factorisations": model.factorisations,
    }
