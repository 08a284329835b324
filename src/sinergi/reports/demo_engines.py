"""The demo job's engine section: footprints, symbiosis recommendations, battery circularity.

Each engine writes its own files under ``out`` and returns a small summary that the demo
prints and stores in ``summary.json``; illustrative inputs are counted and named there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.table import Table

from sinergi.model import Ecosystem
from sinergi.model.summary import periods
from sinergi.reports.demo_battery import primary_nickel_factor, write_battery_demo
from sinergi.reports.demo_emobility import write_emobility_demo
from sinergi.reports.demo_footprint import footprint_demo
from sinergi.reports.demo_national import write_national_demo
from sinergi.reports.symbiosis import symbiosis_html

#: Parks whose symbiosis recommendations the demo writes one by one (the nickel parks and
#: the GEIPP pilots); the national run covers every park together.
SYMBIOSIS_PARKS = ("iwip", "imip", "kiic", "mm2100", "batamindo", "giic", "kim")


def write_engine_demos(eco: Ecosystem, out: Path) -> dict[str, Any]:
    """Run the footprint, symbiosis and circularity demos on ``eco`` and write their files."""
    battery = write_battery_demo(out / "battery", *primary_nickel_factor())
    return {
        "footprints": footprint_demo(out / "footprints", eco),
        "symbiosis": write_symbiosis(eco, out / "symbiosis"),
        "battery_forecast": battery["battery_forecast"],
        "swap_station": battery["swap_station"],
        "emobility": write_emobility_demo(out, eco),
        "national": write_national_demo(out / "national"),
    }


def write_symbiosis(eco: Ecosystem, folder: Path) -> dict[str, Any]:
    """Write each demo park's recommendations and the national run (JSON + HTML en/id)."""
    from sinergi.symbiosis.recommend import recommend

    folder.mkdir(parents=True, exist_ok=True)
    period = periods(eco)[-1]
    lines: dict[str, Any] = {}
    scopes = [(p, eco.subset([p])) for p in SYMBIOSIS_PARKS if p in eco.parks]
    for name, scope in [*scopes, ("national", eco)]:
        data = recommend(scope, period).to_dict()
        (folder / f"{name}.json").write_text(
            json.dumps(data, indent=2, ensure_ascii=False, default=str), "utf-8"
        )
        for lang in ("en", "id"):
            (folder / f"{name}.{lang}.html").write_text(symbiosis_html(data, lang), "utf-8")
        totals = data["totals"]
        lines[name] = {
            "status": data["solver"]["status"],
            "found_solution": data["solver"]["found_solution"],
            "exchanges": len(data["recommendations"]),
            "amount_by_unit": None
            if totals is None
            else {unit: round(v, 1) for unit, v in totals["amount_by_unit"].items()},
            **{
                k: None if totals is None else round(totals[k], 1)
                for k in ("net_benefit", "co2e_avoided", "landfill_diverted")
            },
            "emission_increases": data["worse"]["emissions"],
            "illustrative": data["illustrative"],
        }
    return {"period": str(period), "folder": str(folder), "scopes": lines}


def symbiosis_line(line: dict[str, Any]) -> str:
    """Return one scope's headline: exchanges, amounts per unit, CO2e avoided, net benefit."""
    if not line["found_solution"]:
        return f"no exchange network found ({line['status']}): no recommendation"
    amounts = ", ".join(f"{v:,.0f} {unit}" for unit, v in line["amount_by_unit"].items())
    co2e = line["co2e_avoided"]
    emissions = f"{co2e:,.0f} t CO2e avoided" if co2e >= 0 else f"{-co2e:,.0f} t CO2e increase"
    return (
        f"{line['exchanges']} exchanges ({line['status']}): {amounts or 'nothing'} exchanged, "
        f"{emissions}, net benefit IDR {line['net_benefit']:,.0f} per period"
    )


def engine_table(engines: dict[str, Any]) -> Table:
    """Return the terminal table of the engine demos' headline numbers."""
    table = Table(
        title="sinergi demo: footprints, symbiosis, batteries (illustrative inputs flagged)"
    )
    table.add_column("engine")
    table.add_column("result")
    for product, values in engines["footprints"]["t_co2e_per_t_ni"].items():
        text = ", ".join(f"{k} {v:,.1f}" for k, v in values.items())
        table.add_row(f"footprint {product} (IWIP and IMIP alike)", f"{text} t CO2e/t Ni")
    table.add_row("footprint note", engines["footprints"]["same_data_note"])
    for scope, line in engines["symbiosis"]["scopes"].items():
        table.add_row(f"symbiosis {scope}", symbiosis_line(line))
    forecast = engines["battery_forecast"]
    recovered = ", ".join(f"{k} {v:,.0f} t" for k, v in forecast["recovered_t_last_year"].items())
    table.add_row(
        f"battery forecast {forecast['last_year']}",
        f"{forecast['packs_in_use_last_year']:,.0f} packs in use; recovered {recovered} "
        f"({forecast['illustrative_inputs']} illustrative inputs)",
    )
    swap = engines["swap_station"]
    table.add_row(
        "swap station pilot",
        f"{swap['chargers_per_station']} chargers, {swap['batteries_per_station']} packs per "
        f"station (peak-hour closed form); network packs shared {swap['network_batteries_shared']}"
        f" vs proprietary {swap['network_batteries_proprietary']}",
    )
    return table
