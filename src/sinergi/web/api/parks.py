"""``/parks`` and ``/companies``: facts, published aggregates, tenants, flows, land use, services.

Park facts and aggregates are public; a commodity total that fewer than
:data:`MIN_COMPANIES` companies contribute to is suppressed for callers who may not see tenant
data (the ministry's confidentiality practice for SIINas data, docs/service.md). Tenant-level
rows (companies, facilities, flows, records) follow the policy: staff of the park see them, a
tenant sees only their own company, everyone else gets 404.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel

from sinergi.model.accounts import Principal
from sinergi.store import reads
from sinergi.web.deps import (
    OPTIONAL_AUTH,
    Caller,
    CompanyPath,
    ParkPath,
    ServicesDep,
    authorise,
    not_found_text,
)
from sinergi.web.park_figures import per_park
from sinergi.web.policy import Action, Decision, decide, own_companies
from sinergi.web.problems import language_of

router = APIRouter(tags=["parks"])

#: Fewest contributing companies for a commodity total to be shown to the public.
MIN_COMPANIES = 3

#: Most parks whose totals are summed one by one (about 20 ms each); more in one batch.
ONE_BY_ONE = 10

#: The period named in the aggregates of a park without flows.
DEFAULT_PERIOD = "2024"

ParkId = Annotated[str, "park id"]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10**9)]
PeriodQuery = Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2})?$")]


class ParkOut(BaseModel):
    """A park's facts and how much data the platform holds for it."""

    id: str
    name: str
    region_id: str
    region_name: str | None
    area_ha: float | None
    companies: int
    flows: int
    periods: list[str]


class ParkDetail(BaseModel):
    """A park's sourced facts."""

    id: str
    name: str
    region: str | None
    regency: str | None
    operator: str | None
    area_ha: float | None
    coordinates: list[float | None]
    coordinates_approximate: bool
    programmes: list[str]
    land_use_ha: dict[str, float]
    synthetic_park: bool
    sources: list[str]
    notes: str | None
    tenants: int
    synthetic_tenants: int


class Aggregate(BaseModel):
    """A park's total of one commodity in a period (``None`` when suppressed)."""

    commodity: str
    unit: str
    quantity: float | None
    suppressed: bool


class Aggregates(BaseModel):
    """A park's published totals for one period."""

    park_id: str
    period: str
    tenants: int
    totals: list[Aggregate]


class CompanyOut(BaseModel):
    """A tenant company."""

    id: str
    name: str
    park_id: str
    kbli: list[str]
    size: str | None
    ownership: str | None
    synthetic: bool


class CompanyPage(BaseModel):
    """One page of companies."""

    total: int
    items: list[CompanyOut]


class FacilityOut(BaseModel):
    """A facility or process and its parent."""

    id: str
    kind: str
    parent_id: str | None
    name: str


class FlowOut(BaseModel):
    """A flow of a commodity in a period (quantity in the commodity's canonical unit)."""

    id: int
    period: str
    source: str
    target: str
    commodity: str
    quantity: float | None
    quality: str
    evidence: str | None


class FlowPage(BaseModel):
    """One page of flows and the total matching the filter."""

    total: int
    limit: int
    offset: int
    items: list[FlowOut]


def _require_park(request: Request, svc: ServicesDep, park_id: str) -> None:
    with svc.store.reading() as conn:
        if not reads.park_exists(conn, park_id):
            raise HTTPException(404, not_found_text(language_of(request), park_id, None))


@router.get("/parks", operation_id="list_parks", openapi_extra=OPTIONAL_AUTH)
def list_parks(svc: ServicesDep, principal: Caller) -> list[ParkOut]:
    """List every park with counts of companies and flows (public)."""
    return [
        ParkOut(
            id=p.id,
            name=p.name,
            region_id=p.region_id,
            region_name=p.region_name,
            area_ha=p.area_ha,
            companies=p.companies,
            flows=p.flows,
            periods=[str(x) for x in p.periods],
        )
        for p in svc.store.park_summaries()
    ]


@router.get("/parks/{park_id}", operation_id="get_park", openapi_extra=OPTIONAL_AUTH)
def get_park(
    request: Request, svc: ServicesDep, principal: Caller, park_id: ParkPath
) -> ParkDetail:
    """Return a park's sourced facts (public)."""
    with svc.store.reading() as conn:
        facts = reads.park_facts(conn, park_id)
    if facts is None:
        raise HTTPException(404, not_found_text(language_of(request), park_id, None))
    return ParkDetail.model_validate(facts)


@router.get(
    "/parks/{park_id}/aggregates", operation_id="park_aggregates", openapi_extra=OPTIONAL_AUTH
)
def park_aggregates(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    park_id: ParkPath,
    period: PeriodQuery = None,
) -> Aggregates:
    """Return a park's commodity totals for a period; small groups are suppressed for the public."""
    _require_park(request, svc, park_id)
    with svc.store.reading() as conn:
        found = reads.park_aggregates(conn, park_id, period)
    return _published(principal, park_id, found)


@router.get("/aggregates", operation_id="latest_aggregates", openapi_extra=OPTIONAL_AUTH)
def latest_aggregates(svc: ServicesDep, principal: Caller) -> list[Aggregates]:
    """Return every park's totals for its latest period, suppressed as for one park (public).

    The same figures as ``GET /parks/{id}/aggregates`` without ``period``, for all parks
    (the national page shows them all). Each park's totals are kept at the park's data
    version (:mod:`sinergi.web.park_figures`); parks written since are summed again, one
    by one when few, else all in a few queries.
    """

    def parks() -> list[str]:
        with svc.store.reading() as conn:
            return reads.park_ids(conn)

    def compute(stale: list[str]) -> dict[str, Any]:
        with svc.store.reading() as conn:
            if len(stale) > ONE_BY_ONE:
                every = reads.latest_aggregates(conn)
                return {p: asdict(every[p]) for p in stale if p in every}
            return {p: asdict(reads.park_aggregates(conn, p, None)) for p in stale}

    found = per_park(svc, "aggregates", "latest", parks, compute)
    return [
        _published(principal, park_id, reads.ParkAggregates(**found[park_id]))
        for park_id in sorted(found)
    ]


@router.get("/aggregates/years", operation_id="yearly_aggregates", openapi_extra=OPTIONAL_AUTH)
def yearly_aggregates(svc: ServicesDep, principal: Caller) -> list[Aggregates]:
    """Return every park's totals for each calendar year with flows, suppressed as ``/aggregates``.

    One item per park and year (periods written as a year; months are not rolled up), the
    same figures as ``GET /parks/{id}/aggregates?period=YYYY``: the national page draws
    trends from them. Kept per park at its data version like the latest totals.
    """

    def parks() -> list[str]:
        with svc.store.reading() as conn:
            return reads.park_ids(conn)

    def compute(stale: list[str]) -> dict[str, Any]:
        with svc.store.reading() as conn:
            every = reads.yearly_aggregates(conn, None if len(stale) > ONE_BY_ONE else stale)
        return {p: {y: asdict(a) for y, a in every[p].items()} for p in stale if p in every}

    found = per_park(svc, "aggregates", "years", parks, compute)
    return [
        _published(principal, park_id, reads.ParkAggregates(**kept))
        for park_id in sorted(found)
        for _year, kept in sorted(found[park_id].items())
    ]


def _published(principal: Principal, park_id: str, found: reads.ParkAggregates) -> Aggregates:
    """Return a park's totals as ``principal`` may read them (small groups suppressed)."""
    full = decide(principal, Action.READ_TENANT_DATA, park_id) is Decision.ALLOWED
    full = full and own_companies(principal) is None
    items = []
    for commodity, quantity in sorted(found.totals.items()):
        hidden = not full and found.contributors.get(commodity, 0) < MIN_COMPANIES
        items.append(
            Aggregate(
                commodity=commodity,
                unit=found.units[commodity],
                quantity=None if hidden else quantity,
                suppressed=hidden,
            )
        )
    when = found.period or DEFAULT_PERIOD
    return Aggregates(park_id=park_id, period=when, tenants=found.tenants, totals=items)


def _scope(principal: Principal) -> frozenset[str] | None:
    return own_companies(principal)


@router.get("/parks/{park_id}/companies", operation_id="list_companies")
def list_companies(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    park_id: ParkPath,
    limit: Limit = 100,
    offset: Offset = 0,
) -> CompanyPage:
    """List a park's companies (a tenant sees only their own)."""
    _require_park(request, svc, park_id)
    authorise(request, principal, Action.READ_TENANT_DATA, park_id)
    with svc.store.reading() as conn:
        page = reads.companies(conn, park_id, _scope(principal), limit, offset)
    return CompanyPage(total=page.total, items=[_company(r) for r in page.items])


def _company(row: dict[str, Any]) -> CompanyOut:
    return CompanyOut(**{**row, "kbli": list(row["kbli"] or [])})


@router.get("/companies/{company_id}", operation_id="get_company")
def get_company(
    request: Request, svc: ServicesDep, principal: Caller, company_id: CompanyPath
) -> CompanyOut:
    """Return one company (its park's staff, the ministry, or the tenant itself)."""
    with svc.store.reading() as conn:
        row = reads.company_row(conn, company_id)
    if row is None:
        raise HTTPException(404, not_found_text(language_of(request), None, company_id))
    authorise(request, principal, Action.READ_TENANT_DATA, row["park_id"], company_id)
    return _company(row)


@router.get("/parks/{park_id}/facilities", operation_id="list_facilities")
def list_facilities(
    request: Request, svc: ServicesDep, principal: Caller, park_id: ParkPath
) -> list[FacilityOut]:
    """List a park's facilities and processes (a tenant sees only their own)."""
    _require_park(request, svc, park_id)
    authorise(request, principal, Action.READ_TENANT_DATA, park_id)
    with svc.store.reading() as conn:
        rows = reads.facilities(conn, park_id, _scope(principal))
    return [FacilityOut.model_validate(r) for r in rows]


@router.get("/parks/{park_id}/flows", operation_id="list_flows")
def list_flows(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    park_id: ParkPath,
    period: PeriodQuery = None,
    commodity: Annotated[str | None, Query(max_length=100)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> FlowPage:
    """List a park's flows by period and commodity, a page at a time (tenants: own flows)."""
    _require_park(request, svc, park_id)
    authorise(request, principal, Action.READ_TENANT_DATA, park_id)
    scope = _scope(principal)
    with svc.store.reading() as conn:
        nodes = None if scope is None else reads.company_nodes(conn, scope)
        page = reads.flows(
            conn,
            park_id,
            period=period,
            commodity=commodity,
            nodes=nodes,
            limit=limit,
            offset=offset,
        )
    return FlowPage(
        total=page.total,
        limit=limit,
        offset=offset,
        items=[FlowOut.model_validate(r) for r in page.items],
    )


@router.get("/parks/{park_id}/land-use", operation_id="park_land_use", openapi_extra=OPTIONAL_AUTH)
def park_land_use(
    request: Request, svc: ServicesDep, principal: Caller, park_id: ParkPath
) -> dict[str, float]:
    """Return a park's reported land use in hectares by category (public)."""
    _require_park(request, svc, park_id)
    with svc.store.reading() as conn:
        return reads.land_use(conn, park_id)


@router.get("/parks/{park_id}/services", operation_id="park_services")
def park_services(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    park_id: ParkPath,
    period: PeriodQuery = None,
) -> list[dict[str, Any]]:
    """Return a park's services records (park-level data: the park's staff and the ministry)."""
    _require_park(request, svc, park_id)
    authorise(request, principal, Action.READ_TENANT_DATA, park_id)
    with svc.store.reading() as conn:
        return reads.park_services(conn, park_id, period)
