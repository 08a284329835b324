"""The battery part of the demo job: the engines' records written as JSON and HTML.

The circularity engine computes (:func:`sinergi.circularity.national_outlook`,
:func:`sinergi.circularity.swap_plan.pilot_plan`) and returns plain records; this module is the
one place that writes them: ``battery-forecast.json``, ``swap-station.json`` and the bilingual
report ``battery.en.html`` / ``battery.id.html``. ``sinergi demo`` (through
:mod:`sinergi.reports.demo_engines`) and ``sinergi battery report`` both call it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sinergi.circularity import national_outlook
from sinergi.circularity.swap_plan import pilot_plan
from sinergi.reports.battery import write_battery_report

FORECAST_FILE = "battery-forecast.json"
SWAP_FILE = "swap-station.json"


def write_battery_demo(
    folder: Path,
    avoided_t_co2e_per_t: Mapping[str, float] | None = None,
    avoided_basis: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write the national outlook, the pilot swap plan and the report; return the summaries.

    ``avoided_t_co2e_per_t`` (t CO2e per t of primary metal) and ``avoided_basis`` (where they
    come from) turn recovered metal into avoided emissions; without them the result says
    "not computed".
    """
    outlook = national_outlook(avoided_t_co2e_per_t)
    pilot = pilot_plan()
    folder.mkdir(parents=True, exist_ok=True)
    forecast_path = _write_json(folder / FORECAST_FILE, outlook.record(avoided_basis))
    swap_path = _write_json(folder / SWAP_FILE, pilot.record)
    pages = write_battery_report(folder)
    return {
        "battery_forecast": {**outlook.summary(), "file": str(forecast_path)},
        "swap_station": {**pilot.summary, "path": str(swap_path)},
        "pages": [str(page) for page in pages],
    }


def _write_json(path: Path, record: dict[str, Any]) -> Path:
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def primary_nickel_factor() -> tuple[dict[str, float], dict[str, Any]]:
    """Return t CO2e per t of primary Ni (nickel sulfate via Indonesian HPAL) and its basis.

    Recovered nickel replaces battery-grade nickel sulfate; the footprint engine's HPAL route
    gives its footprint per t Ni: the published Indonesian HPAL total (a secondary aggregate,
    low confidence) with MHP-to-sulfate refining missing from our data, so the factor, and the
    avoided emissions from it, are lower bounds; recycling's own process
    emissions are not modelled, which makes the avoided figure gross, not net. The basis is
    plain data (factor, illustrative share, completeness) that the report words in the
    reader's language.
    """
    from sinergi.footprint.scenarios import FootprintModel

    result = FootprintModel().footprint("niso4", route="hpal")
    basis = {
        "element": "Ni",
        "t_co2e_per_t": result.score,
        "product": "nickel sulfate via Indonesian HPAL (sinergi footprint engine)",
        "illustrative_share": result.illustrative_share,
        "complete": result.complete,
        "gross": True,
        "unpriced": ["Co", "Li", "Mn", "Cu"],
    }
    return {"Ni": result.score}, basis
