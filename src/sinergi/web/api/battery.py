"""``/battery``: fleet forecasts, recycling and swap-station sizing (scenario data, public)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from sinergi.web.deps import Caller, ServicesDep, authorise
from sinergi.web.policy import Action

router = APIRouter(tags=["battery"])

Scenario = Annotated[str, Query(min_length=1, max_length=100)]
Year = Annotated[int, Query(ge=2025, le=2060)]


class RecyclingRoute(StrEnum):
    """Recycling route of end-of-life packs."""

    hydro = "hydro"
    pyro = "pyro"


class SwapStandard(StrEnum):
    """One shared swap pack, or one pack per brand."""

    shared = "shared"
    proprietary = "proprietary"


@router.get("/battery/forecast", operation_id="battery_forecast")
def battery_forecast(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    scenario: Scenario = "government-targets",
    to: Year = 2045,
) -> dict[str, Any]:
    """Forecast packs, kWh and tonnes in use, placed on the market and retired (public)."""
    from sinergi.circularity.scenarios import forecast

    authorise(request, principal, Action.REFERENCE)
    record: dict[str, Any] = forecast(scenario, to=to).to_dict()
    return record


@router.get("/battery/recycling", operation_id="battery_recycling")
def battery_recycling(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    scenario: Scenario = "government-targets",
    route: RecyclingRoute = RecyclingRoute.hydro,
    collection_rate: Annotated[float | None, Query(ge=0, le=1)] = None,
    to: Year = 2045,
) -> dict[str, Any]:
    """Forecast end-of-life packs, recovered metals and the EU targets they face (public)."""
    from sinergi.circularity.recycling import recycling
    from sinergi.circularity.scenarios import forecast

    authorise(request, principal, Action.REFERENCE)
    result = recycling(
        forecast(scenario, to=to), route=route.value, collection_rate=collection_rate
    )
    record: dict[str, Any] = result.to_dict()
    return record


@router.get("/battery/swap", operation_id="battery_swap")
def battery_swap(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    riders: Annotated[int, Query(ge=1, le=10_000_000)],
    stations: Annotated[int, Query(ge=1, le=100_000)] = 1,
    target_wait: Annotated[float, Query(gt=0, lt=1)] = 0.05,
    standard: SwapStandard = SwapStandard.shared,
) -> dict[str, Any]:
    """Size swap stations for a fleet: packs and chargers per station (public)."""
    from sinergi.circularity.swap_demo import plan_record, plan_swap_network

    authorise(request, principal, Action.REFERENCE)
    plan = plan_swap_network(
        riders, stations=stations, target_p_wait=target_wait, standard=standard.value
    )
    record: dict[str, Any] = plan_record(plan, None)
    return record
