"""The park page: facts with sources, tenants, flows as Sankey diagrams, assessment, exchanges.

What a reader sees follows the API for the same reader: everyone sees the park's facts and
published aggregates; its staff and the ministry see tenants and flows (a tenant only their
own); those who may assess see the assessment; the park's manager decides on exchanges.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache, partial
from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sinergi.assess.packs import available_packs, load_pack
from sinergi.errors import SinergiError
from sinergi.i18n import N_, gettext
from sinergi.model.commodities import CommodityKind, default_catalogue
from sinergi.model.exchanges import TRANSITIONS, ExchangeStatus
from sinergi.model.period import Period
from sinergi.store import reads
from sinergi.web.api.assessments import ReportFormat, park_assessment
from sinergi.web.api.footprints import park_process_footprints
from sinergi.web.api.parks import (
    FlowOut,
    get_park,
    list_companies,
    list_flows,
    list_parks,
    park_aggregates,
)
from sinergi.web.api.symbiosis import DecisionIn, decide_exchange, list_exchanges
from sinergi.web.deps import services
from sinergi.web.pages.cache import remembered
from sinergi.web.pages.context import check_csrf, page_language, page_principal, render
from sinergi.web.pages.exchange_map import (
    STATUS_STYLES,
    ExchangeMap,
    MapExchange,
    MapTenant,
    exchange_map,
    explanation,
)
from sinergi.web.pages.routing import page_router
from sinergi.web.pages.words import STATUS_WORDS
from sinergi.web.policy import Action, Decision, decide

router = page_router()

#: The Sankey diagrams of a park, each one kind of flow in one unit.
SANKEY_GROUPS: dict[str, tuple[str, frozenset[CommodityKind]]] = {
    "materials": (
        N_("Materials and products"),
        frozenset({CommodityKind.MATERIAL, CommodityKind.PRODUCT}),
    ),
    "energy": (N_("Energy"), frozenset({CommodityKind.ENERGY})),
    "water": (
        N_("Water and wastewater"),
        frozenset({CommodityKind.WATER, CommodityKind.WASTEWATER}),
    ),
    "wastes": (
        N_("Wastes and emissions"),
        frozenset({CommodityKind.WASTE, CommodityKind.EMISSION}),
    ),
}

#: Colour of each kind of flow in the Sankey diagrams (colour-blind-safe Okabe-Ito palette).
KIND_COLOURS: dict[CommodityKind, str] = {
    CommodityKind.MATERIAL: "rgba(0,114,178,0.45)",
    CommodityKind.PRODUCT: "rgba(86,180,233,0.5)",
    CommodityKind.ENERGY: "rgba(230,159,0,0.5)",
    CommodityKind.WATER: "rgba(0,158,115,0.45)",
    CommodityKind.WASTEWATER: "rgba(0,158,115,0.3)",
    CommodityKind.WASTE: "rgba(213,94,0,0.45)",
    CommodityKind.EMISSION: "rgba(120,120,120,0.45)",
}

#: Words for the exchange statuses and for the buttons that move an exchange there.
EXCHANGE_WORDS: dict[ExchangeStatus, tuple[str, str]] = {
    ExchangeStatus.PROPOSED: (N_("proposed"), N_("Propose again")),
    ExchangeStatus.UNDER_DISCUSSION: (N_("under discussion"), N_("Discuss")),
    ExchangeStatus.ACCEPTED: (N_("accepted"), N_("Accept")),
    ExchangeStatus.REJECTED: (N_("rejected"), N_("Reject")),
    ExchangeStatus.IMPLEMENTED: (N_("implemented"), N_("Mark implemented")),
}


@cache
def pack_titles(lang: str) -> dict[str, str]:
    """Return each shipped standard's title in ``lang`` (read once: packs are package data)."""
    packs = {p: load_pack(p) for p in available_packs()}
    return {p: (k.title_id if lang == "id" else k.title_en) for p, k in packs.items()}


def _allowed(request: Request, action: Action, park_id: str) -> bool:
    return decide(page_principal(request), action, park_id) is Decision.ALLOWED


def all_flows(request: Request, park_id: str, period: str) -> list[FlowOut]:
    """Return every flow of the park in ``period`` that the reader may see (page by page)."""
    svc, principal = services(request), page_principal(request)
    found: list[FlowOut] = []
    while True:
        page = list_flows(request, svc, principal, park_id, period, None, 500, len(found))
        found += page.items
        if len(found) >= page.total or not page.items:
            return found


def sankeys(flows: list[FlowOut], names: dict[str, str], lang: str) -> list[dict[str, Any]]:
    """Return one Sankey per kind of flow, in the unit most of its flows share."""
    catalogue = default_catalogue()
    diagrams = []
    for key, (title, kinds) in SANKEY_GROUPS.items():
        chosen = [
            f for f in flows if f.quantity is not None and catalogue.get(f.commodity).kind in kinds
        ]
        if not chosen:
            continue
        units: dict[str, int] = defaultdict(int)
        for f in chosen:
            units[catalogue.get(f.commodity).unit] += 1
        unit = max(units, key=lambda u: units[u])
        same = [f for f in chosen if catalogue.get(f.commodity).unit == unit]
        diagrams.append(
            {"key": key, "title": gettext(lang, title), "unit": unit}
            | {"left_out": len(chosen) - len(same)}
            | _sankey_links(same, names, lang, unit)
        )
    return diagrams


def _sankey_links(
    flows: list[FlowOut], names: dict[str, str], lang: str, unit: str
) -> dict[str, Any]:
    catalogue = default_catalogue()
    nodes: list[str] = []
    index: dict[str, int] = {}
    totals: dict[tuple[str, str, str], float] = defaultdict(float)
    for f in flows:
        for node in (f.source, f.target):
            if node not in index:
                index[node] = len(nodes)
                nodes.append(node)
        totals[(f.source, f.target, f.commodity)] += f.quantity or 0.0
    links: dict[str, list[Any]] = {
        k: [] for k in ("source", "target", "value", "label", "colour", "unit")
    }
    for (source, target, commodity), value in sorted(totals.items()):
        item = catalogue.get(commodity)
        links["source"].append(index[source])
        links["target"].append(index[target])
        links["value"].append(value)
        links["label"].append(item.name_id if lang == "id" else item.name_en)
        links["colour"].append(KIND_COLOURS[item.kind])
        links["unit"].append(unit)
    return {
        "nodes": [names.get(n, n) for n in nodes],
        "node_colours": ["#4d5761"] * len(nodes),
        "links": links,
    }


def _period(periods: list[str], wanted: str | None) -> str | None:
    if wanted in periods:
        return wanted
    return periods[-1] if periods else None


def _summary(request: Request, park_id: str) -> Any:
    svc, principal = services(request), page_principal(request)
    summaries = remembered(request, ("parks", principal), partial(list_parks, svc, principal))
    return next((p for p in summaries if p.id == park_id), None)


def _assessment(request: Request, park_id: str, period: str, standard: str) -> dict[str, Any]:
    result: dict[str, Any] = park_assessment(
        request,
        services(request),
        page_principal(request),
        park_id,
        period=period[:4],
        standard=standard,
        profile="id",
        approved_only=False,
        format=ReportFormat.json,
    )
    return result


def _exchanges(
    request: Request, park_id: str, lang: str, companies: list[Any] | None
) -> tuple[list[dict[str, Any]], ExchangeMap | None]:
    """Return the park's exchanges as table rows with their explanation, and their map.

    ``companies`` are the tenants the reader may see (the map's nodes); partners in other
    parks are added by the map under the names the store gives them.
    """
    svc, principal = services(request), page_principal(request)
    found = list_exchanges(request, svc, principal, park_id, None)
    with svc.store.reading() as conn:
        names = reads.node_names(conn, {n for x in found for n in (x.supplier, x.receiver)})
    catalogue = default_catalogue()
    rows = []
    for x in found:
        item, replaced = catalogue.get(x.commodity), catalogue.get(x.replaces)
        words = (
            (item.name_id, replaced.name_id) if lang == "id" else (item.name_en, replaced.name_en)
        )
        rows.append(
            {
                "x": x,
                "supplier": names.get(x.supplier, x.supplier),
                "receiver": names.get(x.receiver, x.receiver),
                "commodity": words[0],
                "unit": item.unit,
                "status": EXCHANGE_WORDS[x.status][0],
                "moves": [(str(s), EXCHANGE_WORDS[s][1]) for s in sorted(TRANSITIONS[x.status])],
                "explanation": explanation(x, names, (*words, item.unit), lang),
            }
        )
    if not found:
        return rows, None
    tenants = [MapTenant(c.id, c.name, tuple(c.kbli)) for c in companies or []]
    drawn = [
        MapExchange(
            x.id, x.supplier, x.receiver, x.status, catalogue.get(x.commodity).unit, x.amount
        )
        for x in found
    ]
    known = {t.id for t in tenants}
    partners = [
        MapTenant(n, names.get(n, n), (), in_park=False)
        for n in sorted({n for x in found for n in (x.supplier, x.receiver)} - known)
    ]
    return rows, exchange_map([*tenants, *partners], drawn)


def _footprints(
    request: Request, park_id: str, when: str, lang: str, shown: frozenset[str]
) -> dict[str, Any]:
    """Return the footprint per unit of output of the park's processes in a period.

    Only the processes of the companies in ``shown`` (those the reader may see: a tenant
    its own) are listed. Rows name the process and its company; a park whose flows cannot be
    made into a footprint network gives the reason instead, so the rest of the page shows.
    """
    try:
        eco = services(request).store.load([park_id])
        results = park_process_footprints(eco, park_id, Period.parse(when))
    except SinergiError as exc:
        return {"rows": [], "problem": exc.localised(page_language(request))}
    rows = []
    for pid, result in results.items():
        process = eco.processes[pid]
        company = eco.companies[eco.facilities[process.facility_id].company_id]
        if company.id not in shown:
            continue
        rows.append({"company": company.name, "process": process.name, **result.to_dict(lang)})
    rows.sort(key=lambda r: (r["company"], r["process"]))
    return {"rows": rows, "problem": None}


def _legend() -> list[dict[str, Any]]:
    """Return each status with how the map draws it (colour, dashes, dot) and its word."""
    return [
        {"status": str(s), "colour": c, "dash": d, "dot": dot, "line": line}
        | {"word": EXCHANGE_WORDS[s][0]}
        for s, (c, d, dot, line) in STATUS_STYLES.items()
    ]


@router.get("/parks/{park_id}")
def park_page(
    request: Request,
    park_id: str,
    period: Annotated[str | None, Query(max_length=7)] = None,
    standard: Annotated[str | None, Query(max_length=80)] = None,
) -> Response:
    """Show one park: facts, aggregates, tenants, flows, assessment and exchanges."""
    svc, principal = services(request), page_principal(request)
    lang = page_language(request).value
    facts = get_park(request, svc, principal, park_id)
    summary = _summary(request, park_id)
    periods = list(summary.periods) if summary else []
    when = _period(periods, period)
    aggregates = None
    if when:
        aggregates = remembered(
            request,
            ("aggregates", principal, park_id, when),
            partial(park_aggregates, request, svc, principal, park_id, when),
        )
    context: dict[str, Any] = {
        "companies": None,
        "sankeys": [],
        "assessment": None,
        "flow_count": 0,
        "footprints": None,
    }
    if _allowed(request, Action.READ_TENANT_DATA, park_id):
        context["companies"] = list_companies(request, svc, principal, park_id, 500, 0).items
        if when:
            flows = all_flows(request, park_id, when)
            with svc.store.reading() as conn:
                names = reads.node_names(conn, {n for f in flows for n in (f.source, f.target)})
            context["sankeys"] = sankeys(flows, names, lang)
            context["flow_count"] = len(flows)
            shown = frozenset(c.id for c in context["companies"])
            context["footprints"] = remembered(
                request,
                ("park-footprints", lang, park_id, when, shown),
                partial(_footprints, request, park_id, when, lang, shown),
            )
    packs = pack_titles(lang)
    chosen = standard if standard in packs else "permenperin-26-2025"
    if when and _allowed(request, Action.ASSESS, park_id):
        key = ("assessment", principal, lang, park_id, when, chosen)
        context["assessment"] = remembered(
            request, key, partial(_assessment, request, park_id, when, chosen)
        )
    exchanges, drawing = None, None
    if _allowed(request, Action.READ_EXCHANGES, park_id):
        exchanges, drawing = _exchanges(request, park_id, lang, context["companies"])
    catalogue = default_catalogue()
    return render(
        request,
        "park.html",
        active="park",
        facts=facts,
        periods=periods,
        period=when,
        aggregates=aggregates,
        commodity_names={
            c.id: (c.name_id if lang == "id" else c.name_en) for c in catalogue.commodities.values()
        },
        packs=packs,
        standard=chosen,
        exchanges=exchanges,
        exchange_map=drawing,
        exchange_names={r["x"].id: (r["supplier"], r["receiver"]) for r in exchanges or []},
        exchange_legend=_legend(),
        may_decide=_allowed(request, Action.DECIDE_EXCHANGE, park_id),
        status_words={str(k): v for k, v in STATUS_WORDS.items()},
        **context,
    )


@router.get("/parks/{park_id}/assessment/{standard}.{fmt}")
def park_assessment_report(
    request: Request,
    park_id: str,
    standard: str,
    fmt: str,
    period: Annotated[str, Query(pattern=r"^\d{4}$")] = "2024",
) -> Response:
    """Return the assessment report as HTML, PDF or XLSX in the reader's language."""
    kind = {"pdf": ReportFormat.pdf, "xlsx": ReportFormat.xlsx}.get(fmt, ReportFormat.html)
    answer = park_assessment(
        request,
        services(request),
        page_principal(request),
        park_id,
        period=period,
        standard=standard,
        profile="id",
        approved_only=False,
        format=kind,
    )
    if isinstance(answer, HTMLResponse | Response):
        if kind is not ReportFormat.html:
            name = f"{park_id}.{standard}.{period}.{page_language(request).value}.{kind}"
            answer.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return answer
    return HTMLResponse(str(answer))


@router.post("/parks/{park_id}/exchanges/{exchange_id}")
def park_exchange_decision(
    request: Request,
    park_id: str,
    exchange_id: str,
    status: Annotated[ExchangeStatus, Form()],
    csrf: Annotated[str, Form(max_length=200)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Move an exchange along the workflow (the park's manager), then show the park again."""
    check_csrf(request, csrf)
    decide_exchange(
        request,
        services(request),
        page_principal(request),
        exchange_id,
        DecisionIn(status=status, reason=reason or None),
    )
    return RedirectResponse(f"/parks/{park_id}#exchanges", status_code=303)
