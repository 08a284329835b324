"""``/footprints``: product carbon footprints of the reference routes (public reference data).

Footprints here are computed from the shipped Indonesian route inventories, not from tenant
data, so every caller may read them. Monte Carlo runs are jobs (``POST /jobs``).
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from sinergi.footprint.scenarios import FootprintModel
from sinergi.web.deps import OPTIONAL_AUTH, Caller, ServicesDep, authorise
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
