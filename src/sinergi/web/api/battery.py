"""``/battery``: fleet forecasts, recycling and swap-station sizing (scenario data, public)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from sinergi.i18n import N_, gettext
from sinergi.web.deps import OPTIONAL_AUTH, Caller, ServicesDep, authorise
from sinergi.web.policy import Action
from sinergi.web.problems import language_of

router = APIRouter(tags=["battery"])

#: Sizing time grows with riders per station (about 1 s for 1,000 on the reference machine,
#: 30 s for 10,000), so one request sizes at most this many (OWASP API4:2023).
MAX_RIDERS_PER_STATION = 2000
MAX_STATIONS = 100

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


@router.get("/battery/forecast", operation_id="battery_forecast", openapi_extra=OPTIONAL_AUTH)
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


@router.get("/battery/recycling", operation_id="battery_recycling", openapi_extra=OPTIONAL_AUTH)
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


@router.get("/battery/swap", operation_id="battery_swap", openapi_extra=OPTIONAL_AUTH)
def battery_swap(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    riders: Annotated[int, Query(ge=1, le=MAX_RIDERS_PER_STATION * MAX_STATIONS)],
    stations: Annotated[int, Query(ge=1, le=MAX_STATIONS)] = 1,
    target_wait: Annotated[float, Query(gt=0, lt=1)] = 0.05,
    standard: SwapStandard = SwapStandard.shared,
) -> dict[str, Any]:
    """Size swap stations for a fleet: packs and chargers per station (public)."""
    from sinergi.circularity.swap_plan import plan_record, plan_swap_network

    authorise(request, principal, Action.REFERENCE)
    if riders > MAX_RIDERS_PER_STATION * stations:
        raise HTTPException(
            422,
            gettext(
                language_of(request),
                N_("At most {riders} riders per station are sized in a request; add stations."),
            ).format(riders=MAX_RIDERS_PER_STATION),
        )
    plan = plan_swap_network(
        riders, stations=stations, target_p_wait=target_wait, standard=standard.value
    )
    record: dict[str, Any] = plan_record(plan, None)
    return record
