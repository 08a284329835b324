"""Custody and passport results as plain records (JSON) and bilingual pages.

This is where the engines meet: the custody genealogy (:mod:`sinergi.custody`) is weighed with
the footprint engine's route intensities (:mod:`sinergi.footprint`), and the passport engine
(:mod:`sinergi.passport`) gets the carbon declaration and the recycled content the custody
ledger supports, all as plain data.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from sinergi.custody import Chain, Characteristic, Trace
from sinergi.custody.accounts import Accounting, CustodyModel
from sinergi.custody.footprint import LotFootprint, lot_nickel_footprint
from sinergi.i18n import N_, _, format_number, format_percent_value
from sinergi.model.commodities import default_catalogue
from sinergi.passport import Audience, PackFacts, build, for_audience, missing
from sinergi.reports.html import render

__all__ = [
    "ROUTE_PRODUCTS",
    "balance_record",
    "characteristic_text",
    "commodity_text",
    "lot_page",
    "nickel_intensities",
    "passport_page",
    "passport_record",
    "qr_svg",
    "trace_record",
    "unit_text",
]

#: The footprint product of the nickel intermediate each nickel route makes.
ROUTE_PRODUCTS = {"hpal": "mhp", "rkef-matte": "matte"}

_CHARACTERISTIC_TEXT = {
    Characteristic.RECYCLED_POST_CONSUMER: N_("post-consumer recycled content"),
    Characteristic.RECYCLED_PRE_CONSUMER: N_("pre-consumer recycled content"),
    Characteristic.RENEWABLE_POWER: N_("made on renewable electricity"),
    Characteristic.IRMA_ORIGIN: N_("from an IRMA-audited origin"),
    Characteristic.LOW_CARBON: N_("low-carbon material"),
}
_MODEL_TEXT = {
    CustodyModel.IDENTITY_PRESERVED: N_("identity preserved"),
    CustodyModel.SEGREGATED: N_("segregated"),
    CustodyModel.CONTROLLED_BLENDING: N_("controlled blending"),
    CustodyModel.MASS_BALANCE: N_("mass balance"),
    CustodyModel.BOOK_AND_CLAIM: N_("book and claim"),
}
_ASPECT_TEXT = {
    "GeneralProductInformation": N_("General product information"),
    "CarbonFootprintForBatteries": N_("Carbon footprint"),
    "Circularity": N_("Circularity and recycled content"),
    "MaterialComposition": N_("Material composition"),
    "PerformanceAndDurability": N_("Performance and durability"),
    "Labeling": N_("Labels and conformity"),
    "SupplyChainDueDiligence": N_("Supply-chain due diligence"),
}


def characteristic_text(characteristic: Characteristic, lang: str) -> str:
    """Return a characteristic in words."""
    return _(lang, _CHARACTERISTIC_TEXT[characteristic])


def commodity_text(commodity: str, lang: str) -> str:
    """Return a commodity's name in ``lang`` (its id when it is not in the catalogue)."""
    return _commodity(commodity, lang)


def _commodity(commodity: str, lang: str) -> str:
    catalogue = default_catalogue()
    if commodity not in catalogue:
        return commodity
    item = catalogue.get(commodity)
    return item.name_id if lang == "id" else item.name_en


def unit_text(unit: str, lang: str) -> str:
    """Return a lot unit as the reader writes it (``t`` stays, ``item`` is translated)."""
    return _(lang, "pieces") if unit == "item" else unit


def _short(text: str, size: int = 26) -> str:
    text = html.escape(text)
    return text if len(text) <= size else text[: size - 1] + "…"


def nickel_intensities(
    routes: Mapping[str, str], model: Any = None
) -> dict[str, tuple[float | None, bool]]:
    """Return facility → (t CO2e per t Ni of its route's intermediate, complete?).

    ``routes`` maps a facility to a nickel route of the footprint inventory (``hpal``,
    ``rkef-matte``); the intensity is the footprint of the route's intermediate per t of
    contained nickel, and ``complete`` is false when exchanges are missing (a lower bound).
    """
    from sinergi.footprint.scenarios import FootprintModel

    model = model or FootprintModel()
    out: dict[str, tuple[float | None, bool]] = {}
    for facility, route in routes.items():
        result = model.footprint(ROUTE_PRODUCTS[route], route=route)
        out[facility] = (result.score, result.complete)
    return out


def trace_record(chain: Chain, trace: Trace) -> dict[str, Any]:
    """Return a genealogy query as JSON-ready data (quantities in each lot's unit)."""
    start = chain.lot(trace.start)
    upstream = trace.direction == "upstream"
    return {
        "lot": trace.start,
        "direction": trace.direction,
        "meaning": (
            "quantity of each upstream lot contained in the start lot, in that lot's unit"
            if upstream
            else "quantity of the start lot contained in each downstream lot, in "
            f"{start.unit} of the start lot"
        ),
        "lots": [
            {
                "lot": other,
                "commodity": chain.lots[other].commodity,
                "facility": chain.lots[other].facility,
                "quantity": amount,
                "unit": chain.lots[other].unit if upstream else start.unit,
                "synthetic": chain.lots[other].synthetic,
            }
            for other, amount in trace.quantities.items()
        ],
        "edges": [
            {"event": e.event, "from": e.source, "to": e.target, "quantity": e.quantity}
            for e in trace.edges
        ],
    }


def balance_record(
    accounting: Accounting, site: str, period: str, group: str | None = None
) -> dict[str, Any]:
    """Return a site's mass-balance accounts for one period (t of the output group)."""
    rows = []
    groups = sorted(
        {
            g
            for (s, g), m in accounting.models.items()
            if s == site and m.model is CustodyModel.MASS_BALANCE and group in (None, g)
        }
    )
    for name in groups:
        for characteristic in Characteristic:
            close = accounting.close_record(site, name, characteristic, period)
            if not (close.carried_in or close.credits or close.debits or close.transfers):
                continue
            rows.append(
                {
                    "product_group": name,
                    "characteristic": characteristic.value,
                    "carried_in_t": close.carried_in,
                    "credits_t": close.credits,
                    "debits_t": close.debits,
                    "transfers_t": close.transfers,
                    "balance_t": close.balance,
                }
            )
    return {"site": site, "period": period, "groups": groups, "accounts": rows}


def qr_svg(url: str) -> str:
    """Return a QR code of ``url`` as an SVG document (text)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(url, image_factory=SvgPathImage, box_size=8, border=2)
    return str(image.to_string(encoding="unicode"))


def recycled_shares(accounting: Accounting, pack: str, chemistry: str) -> dict[str, Any]:
    """Return the recycled share of each element the pack's chemistry holds (symbol → data).

    Each share comes from the custody ledger (:func:`sinergi.custody.content.recycled_content`):
    the last carriers of the element upstream of the pack, weighted by the element they bring,
    each with the share its custody model lets it pass on. ``pre``/``post`` are ``None`` with a
    ``reason`` when the share cannot be determined.
    """
    from sinergi.custody.content import recycled_content
    from sinergi.passport.recycled import active_elements

    out: dict[str, Any] = {}
    for symbol in active_elements(chemistry):
        found = recycled_content(accounting.chain, pack, symbol, accounting.share)
        out[symbol] = {
            "material": found.material,
            "pre": found.pre,
            "post": found.post,
            "elementT": found.element_t,
            "carriers": list(found.carriers),
            "reason": found.reason.value if found.reason is not None else None,
            "unknownContent": list(found.unknown),
        }
    return out


def recycled_minimums() -> tuple[dict[int, dict[str, float]], dict[str, Any]]:
    """Return Article 8's minimum recycled shares by year and element, and their source."""
    from sinergi.circularity.recycling import default_recycling_data
    from sinergi.reference.bibliography import cite

    targets = default_recycling_data().eu_recycled_content_targets
    regulation = cite(targets.refs[0])
    source = {
        "refs": list(targets.refs),
        "title": regulation.title,
        "article": "Art. 8(2), 8(3)",
        "url": regulation.url,
    }
    return {int(y): dict(v) for y, v in targets.by_year.items()}, source


def _recycled_rows(shares: Mapping[str, Any], audience: Audience) -> list[dict[str, Any]]:
    """Return the shares against Art. 8; the lots weighed only for readers of the genealogy."""
    from sinergi.passport.recycled import against_minimum

    minimums, source = recycled_minimums()
    rows = against_minimum(shares, minimums, source)
    if audience is Audience.public:
        return rows
    found = {v["material"]: v for v in shares.values()}
    for row in rows:
        row["carrierLots"] = found[row["recycledMaterial"]]["carriers"]
        row["unknownContent"] = found[row["recycledMaterial"]]["unknownContent"]
    return rows


def passport_record(
    accounting: Accounting,
    facts: PackFacts,
    audience: Audience,
    *,
    carbon: Mapping[str, Any] | None,
    nickel: LotFootprint | None,
    url: str,
) -> dict[str, Any]:
    """Return the passport of a pack as ``audience`` may read it, with sinergi's notes."""
    shares = recycled_shares(accounting, facts.pack_id, facts.chemistry_short)
    known = {
        v["material"]: {"pre": v["pre"], "post": v["post"]}
        for v in shares.values()
        if v["pre"] is not None and v["post"] is not None
    }
    aspects = build(facts, carbon=carbon, recycled=known)
    lacking = missing(aspects, facts.category) if facts.category in ("ev", "lmt") else []
    notes: dict[str, Any] = {
        "publicUrl": url,
        "synthetic": accounting.chain.lot(facts.pack_id).synthetic,
        "illustrative": facts.illustrative,
        "missingMandatory": [{"number": a.number, "attribute": a.attribute} for a in lacking],
        "recycledContentVsEuMinimum": _recycled_rows(shares, audience),
        "dataModel": "Battery Pass data model v1.2.0 (batterypass/BatteryPassDataModel)",
    }
    if audience is not Audience.public and nickel is not None:
        notes["nickelGenealogy"] = {
            "nickelT": nickel.nickel_t,
            "coveredShare": nickel.covered_share,
            "intensityTCo2ePerTNi": nickel.intensity,
            "sources": [
                {
                    "lot": s.lot,
                    "facility": s.facility,
                    "nickelT": s.nickel_t,
                    "recycled": s.recycled,
                    "intensity": s.intensity,
                }
                for s in nickel.sources
            ],
        }
    return {
        "passportId": facts.passport_id,
        "audience": audience.value,
        **for_audience(aspects, audience),
        "sinergi": notes,
    }


def lot_footprint(
    chain: Chain, lot_id: str, intensities: Mapping[str, tuple[float | None, bool]]
) -> LotFootprint:
    """Return a lot's genealogy-weighted nickel intensity from facility intensities."""
    return lot_nickel_footprint(chain, lot_id, {k: v[0] for k, v in intensities.items()})


# -- pages -------------------------------------------------------------------------------


#: Units of the values sinergi writes where the longlist's unit does not describe them: the
#: longlist gives the stage contributions in %, the data model's value (and the footprint
#: engine's declaration) is kg CO2e per kWh of lifetime energy.
_UNITS = {"CarbonFootprintForBatteries.carbonFootprintPerLifecycleStage": "kgCO2e/kWh"}


def _unit(path: str) -> str:
    from sinergi.passport.attributes import path_access

    if path in _UNITS:
        return _UNITS[path]
    units = [a.unit for a in path_access().get(path, []) if a.unit and a.unit != "n.a."]
    return units[0].strip("[]") if units else ""


def _value_text(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return _(lang, "yes") if value else _(lang, "no")
    if isinstance(value, int | float):
        if float(value).is_integer():
            return format_number(value, lang, 0)
        return format_number(value, lang, 4 if abs(value) < 1 else 2)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_value_text(v, lang)}" for k, v in value.items())
    if isinstance(value, list):
        return " | ".join(_value_text(v, lang) for v in value)
    return str(value)


def _amount(value: float, lang: str) -> str:
    """Return a quantity with enough decimals to show small amounts (0.0036, not 0.00)."""
    digits = 2 if abs(value) >= 1 else 3 if abs(value) >= 0.01 else 5
    return format_number(value, lang, digits)


def _genealogy_svg(chain: Chain, lot_id: str, lang: str, limit: int = 40) -> str:
    trace = chain.upstream(lot_id)
    depth = {lot_id: 0}
    for edge in trace.edges:
        depth[edge.source] = max(depth.get(edge.source, 0), depth[edge.target] + 1)
    shown = sorted(depth, key=lambda k: (depth[k], k))[:limit]
    deepest = max(depth[k] for k in shown)
    columns: dict[int, list[str]] = {}
    for lot in shown:
        columns.setdefault(depth[lot], []).append(lot)
    box_w, box_h, gap_x, gap_y = 170, 52, 34, 16
    pos = {
        lot: ((deepest - d) * (box_w + gap_x) + 10, i * (box_h + gap_y) + 10)
        for d, lots in columns.items()
        for i, lot in enumerate(lots)
    }
    width = (deepest + 1) * (box_w + gap_x) + 20
    height = max(len(c) for c in columns.values()) * (box_h + gap_y) + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-size="11" font-family="DejaVu Sans, Arial, sans-serif">'
    ]
    for edge in trace.edges:
        if edge.source in pos and edge.target in pos:
            (x1, y1), (x2, y2) = pos[edge.source], pos[edge.target]
            parts.append(
                f'<line x1="{x1 + box_w}" y1="{y1 + box_h / 2}" x2="{x2}" '
                f'y2="{y2 + box_h / 2}" stroke="#8c959f" marker-end="url(#a)"/>'
            )
    parts.insert(
        1,
        '<defs><marker id="a" markerWidth="8" markerHeight="8" refX="8" refY="4" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#8c959f"/></marker></defs>',
    )
    for lot, (x, y) in pos.items():
        item = chain.lots[lot]
        amount = _amount(trace.quantities[lot], lang)
        recycled = item.share(Characteristic.RECYCLED_POST_CONSUMER) or item.share(
            Characteristic.RECYCLED_PRE_CONSUMER
        )
        fill = "#dafbe1" if recycled else "#f6f8fa"
        parts.append(
            f'<rect x="{x}" y="{y}" width="{box_w}" height="{box_h}" rx="4" fill="{fill}" '
            f'stroke="#57606a"/><text x="{x + 6}" y="{y + 15}" font-weight="bold">{lot}</text>'
            f'<text x="{x + 6}" y="{y + 30}">{_short(_commodity(item.commodity, lang))}</text>'
            f'<text x="{x + 6}" y="{y + 45}">{amount} {unit_text(item.unit, lang)} · '
            f"{_short(item.facility, 14)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _claims(accounting: Accounting, lot_id: str, lang: str) -> list[dict[str, str]]:
    upstream = set(accounting.chain.upstream(lot_id).quantities)
    rows = []
    for (lot, characteristic), claim in sorted(accounting.claims.items()):
        if lot not in upstream:
            continue
        item = accounting.chain.lots[lot]
        site = accounting.site_of(item)
        model = accounting.model_of(site, accounting.group(item.commodity)).model
        rows.append(
            {
                "lot": lot,
                "what": characteristic_text(characteristic, lang),
                "share": format_percent_value(claim.share, lang, 1),
                "quantity": format_number(item.quantity * claim.share, lang, 2),
                "unit": item.unit,
                "model": _(lang, _MODEL_TEXT[model]),
                "site": site,
            }
        )
    return rows


def lot_page(
    accounting: Accounting, lot_id: str, lang: str, nickel: LotFootprint | None = None
) -> str:
    """Return the bilingual page of a lot: genealogy graph, claims, nickel footprint."""
    chain = accounting.chain
    lot = chain.lot(lot_id)
    return render(
        "custody.html",
        lang,
        lot=lot,
        commodity=_commodity(lot.commodity, lang),
        quantity=format_number(lot.quantity, lang, 2),
        unit=unit_text(lot.unit, lang),
        svg=_genealogy_svg(chain, lot_id, lang),
        claims=_claims(accounting, lot_id, lang),
        nickel=_nickel_rows(nickel, lang),
        synthetic=any(chain.lots[k].synthetic for k in chain.upstream(lot_id).quantities),
    )


def _nickel_rows(nickel: LotFootprint | None, lang: str) -> dict[str, Any] | None:
    if nickel is None or not nickel.sources:
        return None
    return {
        "intensity": format_number(nickel.intensity, lang, 1),
        "covered": format_percent_value(nickel.covered_share, lang, 0),
        "nickel": format_number(nickel.nickel_t, lang, 2),
        "rows": [
            {
                "lot": s.lot,
                "facility": s.facility,
                "nickel": format_number(s.nickel_t, lang, 2),
                "recycled": _(lang, "yes") if s.recycled else _(lang, "no"),
                "intensity": (
                    format_number(s.intensity, lang, 1)
                    if s.intensity is not None
                    else _(lang, "not modelled")
                ),
            }
            for s in nickel.sources
        ],
    }


_MATERIAL_TEXT = {
    "Cobalt": N_("cobalt"),
    "Lithium": N_("lithium"),
    "Nickel": N_("nickel"),
    "Lead": N_("lead"),
}
_STATUS_TEXT = {
    "meets": N_("meets the minimum from {year}"),
    "below": N_("below the minimum from {year}"),
    "no_minimum": N_("no minimum in sinergi's data"),
}
_REASON_TEXT = {
    "no_carrier_upstream": N_(
        "not determinable: no lot upstream of the pack is a refined compound of this element "
        "(sulfate, carbonate, hydroxide, recovered metal) or black mass, or states its content"
    ),
    "element_content_unknown": N_(
        "not determinable: the element content of a lot it rests on is unknown (state it "
        "as an attribute, e.g. co_content)"
    ),
}


def _recycled_view(record: Mapping[str, Any], lang: str) -> list[dict[str, Any]]:
    """Return the recycled-content rows of a passport in words for the page."""

    def pct(value: float | None) -> str:
        return "" if value is None else format_percent_value(value / 100, lang, 1)

    rows = []
    for row in record["sinergi"].get("recycledContentVsEuMinimum", []):
        if row["status"] == "not_determinable":
            status = _(lang, _REASON_TEXT[row["reason"]])
        else:
            first = row["minimums"][0]["from"] if row["minimums"] else ""
            status = _(lang, _STATUS_TEXT[row["status"]]).format(year=first)
        rows.append(
            {
                "material": _(lang, _MATERIAL_TEXT[row["recycledMaterial"]]),
                "pre": pct(row["preConsumerShare"]),
                "post": pct(row["postConsumerShare"]),
                "total": pct(row["recycledShare"]),
                "minimums": "; ".join(
                    _(lang, "{share} from 18 August {year}").format(
                        share=pct(level["share"]), year=level["from"]
                    )
                    for level in row["minimums"]
                ),
                "status": status,
                "ok": row["status"] == "meets",
                "carriers": ", ".join(row.get("carrierLots", [])),
            }
        )
    return rows


def passport_page(record: Mapping[str, Any], lang: str, qr: str) -> str:
    """Return the bilingual page of a passport as its audience reads it."""
    aspects = [
        (
            _(lang, _ASPECT_TEXT[name]),
            [(k, _value_text(v, lang), _unit(f"{name}.{k}")) for k, v in record[name].items()],
        )
        for name in _ASPECT_TEXT
        if record.get(name)
    ]
    notes = record["sinergi"]
    return render(
        "passport.html",
        lang,
        record=record,
        aspects=aspects,
        audience=_(
            lang,
            {
                "public": N_("public"),
                "legitimate": N_("legitimate interest"),
                "authority": N_("authorities"),
            }[record["audience"]],
        ),
        missing=notes["missingMandatory"],
        recycled=_recycled_view(record, lang),
        recycled_lots=any(
            "carrierLots" in row for row in notes.get("recycledContentVsEuMinimum", [])
        ),
        recycled_source=_recycled_source(record),
        qr=qr,
    )


def _recycled_source(record: Mapping[str, Any]) -> dict[str, Any] | None:
    rows = record["sinergi"].get("recycledContentVsEuMinimum", [])
    if not rows:
        return None
    source = dict(rows[0]["source"])
    source["quoted"] = _refs_line(source.get("refs", [])[1:])
    return source


def _refs_line(refs: list[str]) -> str:
    from sinergi.reference.bibliography import bibliography

    entries = bibliography()
    return "; ".join(entries[k].short() if k in entries else k for k in refs)


def nickel_of(chain: Chain, lot_id: str, model: Any = None) -> LotFootprint:
    """Return a lot's nickel genealogy weighted by the routes its source lots state.

    A nickel intermediate states its route in the attribute ``route`` (``hpal``,
    ``rkef-matte``); its site's intensity is that route's footprint. Sources without a route
    (recycled lots) have no modelled intensity.
    """
    trace = chain.upstream(lot_id)
    routes = {
        chain.lots[k].facility: str(chain.lots[k].attributes["route"])
        for k in trace.quantities
        if str(chain.lots[k].attributes.get("route", "")) in ROUTE_PRODUCTS
    }
    return lot_footprint(chain, lot_id, nickel_intensities(routes, model))


def compose_passport(
    accounting: Accounting,
    facts: PackFacts,
    audience: Audience,
    lang: str,
    base_url: str,
) -> tuple[dict[str, Any], LotFootprint]:
    """Return a pack's passport record and its nickel genealogy (footprint × custody)."""
    from sinergi.footprint.battery import declare
    from sinergi.footprint.scenarios import FootprintModel

    model = FootprintModel()
    nickel = nickel_of(accounting.chain, facts.pack_id, model)
    virgin = [s for s in nickel.sources if not s.recycled and s.nickel_t]
    route = None
    if virgin:
        top = max(virgin, key=lambda s: s.nickel_t or 0.0)
        route = str(accounting.chain.lots[top.lot].attributes.get("route")) or None
    capacity = facts.performance.get("ratedEnergy")
    declaration = declare(
        facts.chemistry_short,
        nickel_route=route if facts.chemistry_short.upper().startswith("NMC") else None,
        capacity_kwh=capacity,
        model=model,
    )
    url = f"{base_url.rstrip('/')}/{facts.passport_id}"
    record = passport_record(
        accounting,
        facts,
        audience,
        carbon=declaration.to_passport(lang),
        nickel=nickel,
        url=url,
    )
    return record, nickel
