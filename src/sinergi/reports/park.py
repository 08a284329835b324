"""Park summaries: facts, sources, tenants and flow totals as plain data and as text."""

from __future__ import annotations

from typing import Any

from sinergi.model import Ecosystem
from sinergi.model.summary import park_totals, periods

#: Commodities shown as headline columns in the demo summary, with their labels.
HEADLINE: dict[str, str] = {
    "electricity": "grid electricity (MWh)",
    "electricity_coal": "coal electricity (MWh)",
    "co2": "CO2 (t)",
    "nickel_slag": "nickel slag (t)",
    "fly_ash": "fly ash (t)",
    "bottom_ash": "bottom ash (t)",
}


def park_report(eco: Ecosystem, park_id: str) -> dict[str, Any]:
    """Return the facts, sources, tenants and flow totals of one park as plain data."""
    park = eco.parks[park_id]
    companies = [c for c in eco.companies.values() if c.park_id == park_id]
    totals = []
    for period in periods(eco.subset([park_id])):
        t = park_totals(eco, park_id, period)
        totals.append(
            {
                "period": str(period),
                "by_commodity": {
                    cid: {"quantity": q, "unit": eco.catalogue.get(cid).unit}
                    for cid, q in sorted(t.by_commodity.items())
                },
                "not_quantified": t.unknown,
            }
        )
    return {
        "id": park.id,
        "name": park.name,
        "region": eco.regions[park.region_id].name if park.region_id in eco.regions else None,
        "regency": park.regency,
        "operator": park.operator,
        "area_ha": park.area_ha,
        "programmes": list(park.programmes),
        "coordinates": [park.latitude, park.longitude],
        "coordinates_approximate": park.coordinates_approximate,
        "land_use_ha": {str(k): v for k, v in park.land_use_ha.items()},
        "synthetic_park": park.synthetic,
        "sources": list(park.sources),
        "notes": park.notes,
        "tenants": len(companies),
        "synthetic_tenants": sum(c.synthetic for c in companies),
        "smelters": [
            {
                "company": c.id,
                "route": str(c.smelter.route),
                "power_source": str(c.smelter.power_source),
                "design_capacity_t": c.smelter.design_capacity_t,
                "capacity_basis": c.smelter.capacity_basis,
            }
            for c in companies
            if c.smelter is not None
        ],
        "totals": totals,
    }


def render_park_text(report: dict[str, Any]) -> str:
    """Render a park report as short plain text for the terminal."""
    lines = [
        f"{report['name']} ({report['id']})"
        + ("  [synthetic park]" if report["synthetic_park"] else ""),
        f"  region: {report['region']}; regency: {report['regency']}",
        f"  operator: {report['operator']}",
        f"  area: {fmt(report['area_ha'])} ha",
        f"  programmes: {', '.join(report['programmes']) or '-'}",
        f"  tenants in data: {report['tenants']} ({report['synthetic_tenants']} synthetic)",
    ]
    if report["coordinates_approximate"]:
        lines.append("  coordinates are approximate (not from a survey)")
    lines += [
        f"  smelter: {s['company']} {s['route']} on {s['power_source']}" for s in report["smelters"]
    ]
    for block in report["totals"]:
        lines.append(f"  flows {block['period']}:")
        lines += [
            f"    {cid}: {fmt(v['quantity'])} {v['unit']}"
            for cid, v in block["by_commodity"].items()
        ]
        if block["not_quantified"]:
            lines.append(f"    not quantified (unknown, not zero): {block['not_quantified']}")
    lines += [f"  source: {s}" for s in report["sources"]]
    return "\n".join(lines)


def fmt(value: float | None) -> str:
    """Format a quantity with thousands separators, or n/a when unknown."""
    return "n/a" if value is None else f"{value:,.0f}"


def headline(report: dict[str, Any]) -> dict[str, float | None]:
    """Return the headline commodities of a park report's latest period."""
    latest = report["totals"][-1]["by_commodity"] if report["totals"] else {}
    return {cid: latest[cid]["quantity"] if cid in latest else None for cid in HEADLINE}
