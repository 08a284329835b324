"""``/footprints``: carbon footprints of reference products, and of a company's own output.

Footprints of products (``/footprints/{product}``) are computed from the shipped Indonesian
route inventories, not from tenant data, so every caller may read them. A company's own
footprints (``/companies/{id}/footprints``) come from its park's stored flows of a period;
``/companies/{id}/footprints/{product}`` replaces generic values by the company's own
reported flows of a period (approved or locked data unless ``include_unapproved``). Both
are tenant data: only the company itself, its park's staff and the ministry read them.
Monte Carlo runs are jobs (``POST /jobs``).
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from pydantic import BaseModel

from sinergi.footprint.plant_flows import read_plant_flows
from sinergi.footprint.results import FootprintResult
from sinergi.footprint.scenarios import FootprintModel
from sinergi.model import Ecosystem
from sinergi.model.period import Period
from sinergi.reports.footprint import plant_source
from sinergi.store import reads
from sinergi.store import submissions as subs
from sinergi.web.deps import (
    OPTIONAL_AUTH,
    Caller,
    CompanyPath,
    ServicesDep,
    authorise,
    not_found_text,
)
from sinergi.web.policy import Action
from sinergi.web.problems import language_of

router = APIRouter(tags=["footprints"])

_MODEL: dict[str, FootprintModel] = {}
_MODEL_LOCK = threading.Lock()

Name = Annotated[str | None, Query(min_length=1, max_length=100)]


def footprint_model() -> FootprintModel:
    """Return the shared footprint model (built once; its factorisations are reused)."""
    with _MODEL_LOCK:
        if "ar6" not in _MODEL:
            _MODEL["ar6"] = FootprintModel(method="ar6")
        return _MODEL["ar6"]


class NameOut(BaseModel):
    """A product, route or scenario name with what it means."""

    name: str
    label: str


class Names(BaseModel):
    """The names footprints accept."""

    products: list[NameOut]
    routes: list[NameOut]
    scenarios: list[NameOut]


@router.get("/footprints", operation_id="footprint_names", openapi_extra=OPTIONAL_AUTH)
def footprint_names(request: Request, svc: ServicesDep, principal: Caller) -> Names:
    """List products, nickel routes and scenarios (public)."""
    authorise(request, principal, Action.REFERENCE)
    doc = footprint_model().inventory.doc
    lang = language_of(request)
    return Names(
        products=[NameOut(name=k, label=v.label.in_(lang)) for k, v in doc.products.items()],
        routes=[NameOut(name=k, label=v.label.in_(lang)) for k, v in doc.routes.items()],
        scenarios=[NameOut(name=k, label=v.label.in_(lang)) for k, v in doc.scenarios.items()],
    )


@router.get("/footprints/{product}", operation_id="product_footprint", openapi_extra=OPTIONAL_AUTH)
def product_footprint(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    product: str,
    route: Name = None,
    scenario: Name = None,
) -> dict[str, Any]:
    """Return one product's footprint with contributions, missing exchanges and sources."""
    authorise(request, principal, Action.REFERENCE)
    model = footprint_model()
    with _MODEL_LOCK:
        result = model.footprint(product, route=route, scenario=scenario)
    data: dict[str, Any] = result.to_dict(language_of(request))
    return data


PeriodQuery = Annotated[str, Query(pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$", examples=["2024"])]


@router.get("/companies/{company_id}/footprints/{product}", operation_id="plant_footprint")
def plant_footprint(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    company_id: CompanyPath,
    product: str,
    period: PeriodQuery,
    node: Name = None,
    route: Name = None,
    scenario: Name = None,
    include_unapproved: bool = False,
) -> dict[str, Any]:
    """Return a product's footprint on the company's own reported flows of a period.

    ``node`` narrows the plant to one of the company's facilities or processes. Only approved
    or locked data counts unless ``include_unapproved``; ``plant_reading.source`` says which
    submission (and its status) or imported flows were read.
    """
    lang = language_of(request)
    with svc.store.reading() as conn:
        row = reads.company_row(conn, company_id)
        if row is None:
            raise HTTPException(404, not_found_text(lang, None, company_id))
        authorise(request, principal, Action.READ_TENANT_DATA, row["park_id"], company_id)
        plant = node or company_id
        if plant != company_id and reads.node_owners(conn, [plant]).get(plant) != company_id:
            raise HTTPException(404, not_found_text(lang, None, plant))
        when = str(Period.parse(period))
        data = subs.plant_data(conn, plant, when, include_unapproved=include_unapproved)
    model = footprint_model()
    reading = read_plant_flows(
        data.rows,
        data.nodes,
        model.inventory,
        node=plant,
        source=plant_source(data, lang),
        year=when[:4],
        where=f"{plant}, {when}",
    )
    with _MODEL_LOCK:
        result = model.footprint(
            product,
            route=route or reading.route,
            scenario=scenario,
            overrides=reading.settings(),
        )
    result = reading.applied(result)
    return {**result.to_dict(lang), "plant_reading": reading.to_dict(lang)}


class ProcessFootprintOut(BaseModel):
    """The footprint of one unit of a process's reference output, from reported flows."""

    process: str
    name: str
    footprint: dict[str, Any]


class CompanyFootprintsOut(BaseModel):
    """A company's processes with their footprints for one period (empty when none)."""

    company_id: str
    period: str | None
    processes: list[ProcessFootprintOut]


def park_process_footprints(
    eco: Ecosystem, park_id: str, period: Period
) -> dict[str, FootprintResult]:
    """Return the footprint per unit of output of each of a park's processes in a period.

    One network of the park's stored flows of ``period`` (as ``sinergi footprint park``
    builds it); the company and park pages read it for readers who may read tenant data.
    """
    from sinergi.footprint.ecosystem import process_footprints

    model = footprint_model()
    with _MODEL_LOCK:
        return process_footprints(model, eco, period, park=park_id)


@router.get("/companies/{company_id}/footprints", operation_id="company_footprints")
def company_footprints(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    company_id: Annotated[str, Path(min_length=1, max_length=200)],
    period: Annotated[str | None, Query(pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$")] = None,
) -> CompanyFootprintsOut:
    """Return the footprint per unit of output of each of a company's processes.

    The footprint is computed from the park's stored flows of ``period`` (default: the
    latest period with flows of the company), one network for the park as
    ``sinergi footprint park`` builds it; exchanges reported as unknown are listed, so a
    result with any is a lower bound. The tenant itself, its park's staff and the ministry
    may read it.
    """
    lang = language_of(request)
    with svc.store.reading() as conn:
        row = reads.company_row(conn, company_id)
        own = reads.company_nodes(conn, [company_id]) if row is not None else set()
    if row is None:
        raise HTTPException(404, not_found_text(lang, None, company_id))
    authorise(request, principal, Action.READ_TENANT_DATA, row["park_id"], company_id)
    eco = svc.store.load([row["park_id"]])
    periods = {f.period for f in eco.flows if f.source in own or f.target in own}
    when = Period.parse(period) if period is not None else max(periods, default=None)
    if when is None or when not in periods:
        return CompanyFootprintsOut(company_id=company_id, period=period, processes=[])
    results = park_process_footprints(eco, row["park_id"], when)
    return CompanyFootprintsOut(
        company_id=company_id,
        period=str(when),
        processes=[
            ProcessFootprintOut(
                process=pid, name=eco.processes[pid].name, footprint=r.to_dict(lang)
            )
            for pid, r in sorted(results.items())
            if pid in own
        ],
    )
