"""Park summaries: facts, sources, tenants and flow totals as plain data and as text.

The text is written in the reader's language (labels from the message catalogues, commodity
names from the catalogue of commodities, numbers by the language's rules); a fact that is not
reported reads "not reported", never a Python ``None``.
"""

from __future__ import annotations

from typing import Any

from sinergi.i18n import N_, _, format_number, parse_language
from sinergi.model import Ecosystem
from sinergi.model.summary import park_totals, periods

#: Commodities shown as headline columns in the demo summary, with their labels.
HEADLINE: dict[str, str] = {
    "electricity": N_("grid electricity (MWh)"),
    "electricity_coal": N_("coal electricity (MWh)"),
    "co2": N_("CO2 (t)"),
    "nickel_slag": N_("nickel slag (t)"),
    "fly_ash": N_("fly ash (t)"),
    "bottom_ash": N_("bottom ash (t)"),
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
                    cid: {
                        "quantity": q,
                        "unit": eco.catalogue.get(cid).unit,
                        "name_en": eco.catalogue.get(cid).name_en,
                        "name_id": eco.catalogue.get(cid).name_id,
                    }
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


def _or_missing(value: object, lang: str) -> str:
    return _(lang, "not reported") if value in (None, "") else str(value)


def render_park_text(report: dict[str, Any], lang: str = "en") -> str:
    """Render a park report as short plain text for the terminal, in ``lang``."""
    lang = parse_language(lang).value
    name_key = "name_id" if lang == "id" else "name_en"
    marker = _(lang, "synthetic park")
    synthetic = f"  [{marker}]" if report["synthetic_park"] else ""
    lines = [
        f"{report['name']} ({report['id']}){synthetic}",
        "  "
        + _(lang, "region: {region}; regency: {regency}").format(
            region=_or_missing(report["region"], lang),
            regency=_or_missing(report["regency"], lang),
        ),
        "  "
        + _(lang, "operator: {operator}").format(operator=_or_missing(report["operator"], lang)),
        "  " + _(lang, "area: {area} ha").format(area=fmt(report["area_ha"], lang)),
        "  "
        + _(lang, "programmes: {programmes}").format(
            programmes=", ".join(report["programmes"]) or "–"
        ),
        "  "
        + _(lang, "tenants in the data: {tenants} ({synthetic} synthetic)").format(
            tenants=report["tenants"], synthetic=report["synthetic_tenants"]
        ),
    ]
    if report["coordinates_approximate"]:
        lines.append("  " + _(lang, "coordinates are approximate (not from a survey)"))
    lines += [
        "  "
        + _(lang, "smelter: {company}, {route} route, power from {power}").format(
            company=s["company"], route=s["route"], power=s["power_source"]
        )
        for s in report["smelters"]
    ]
    for block in report["totals"]:
        lines.append("  " + _(lang, "flows {period}:").format(period=block["period"]))
        lines += [
            f"    {v.get(name_key, cid)}: {fmt(v['quantity'], lang)} {v['unit']}"
            for cid, v in block["by_commodity"].items()
        ]
        if block["not_quantified"]:
            lines.append(
                "    "
                + _(lang, "flows without a quantity (unknown, not zero): {count}").format(
                    count=", ".join(f"{c} {n}" for c, n in sorted(block["not_quantified"].items()))
                )
            )
    lines += ["  " + _(lang, "source: {source}").format(source=s) for s in report["sources"]]
    return "\n".join(lines)


def fmt(value: float | None, lang: str = "en") -> str:
    """Format a quantity with the language's thousands separators, or "–" when unknown."""
    return format_number(value, lang)


def headline(report: dict[str, Any]) -> dict[str, float | None]:
    """Return the headline commodities of a park report's latest period."""
    latest = report["totals"][-1]["by_commodity"] if report["totals"] else {}
    return {cid: latest[cid]["quantity"] if cid in latest else None for cid in HEADLINE}
