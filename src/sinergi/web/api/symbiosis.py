"""``/parks/…/exchanges`` and ``/exchanges/…``: the facilitator's workflow over the API.

Symbiosis runs (a park or the nation) are jobs: ``POST /jobs`` with kind ``symbiosis``.
Exchange decisions belong to the park manager of the supplying park.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from sinergi.model.exchanges import ExchangeStatus
from sinergi.store import reads
from sinergi.web.deps import Caller, ParkPath, ServicesDep, authorise, not_found_text, store_for
from sinergi.web.policy import Action, Decision, decide
from sinergi.web.problems import language_of

router = APIRouter(tags=["symbiosis"])


class ExchangeOut(BaseModel):
    """A stored exchange and where it stands."""

    id: str
    supplier: str
    receiver: str
    commodity: str
    replaces: str
    rule_id: str
    period: str
    amount: float
    net_benefit_idr: float
    co2e_t: float
    landfill_t: float
    explanation: dict[str, Any]
    status: ExchangeStatus
    reason: str | None


class DecisionIn(BaseModel):
    """A park manager's decision on an exchange."""

    model_config = ConfigDict(extra="forbid")

    status: ExchangeStatus
    reason: Annotated[str, Field(max_length=2000)] | None = None


@router.get("/parks/{park_id}/exchanges", operation_id="list_exchanges")
def list_exchanges(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    park_id: ParkPath,
    status: ExchangeStatus | None = None,
) -> list[ExchangeOut]:
    """List a park's stored exchanges (its staff and the ministry)."""
    from sinergi.web.api.parks import _require_park

    _require_park(request, svc, park_id)
    authorise(request, principal, Action.READ_EXCHANGES, park_id)
    return [
        ExchangeOut.model_validate(x.to_dict())
        for x in svc.store.exchanges(park_id=park_id, status=status)
    ]


@router.post("/exchanges/{exchange_id}/status", operation_id="decide_exchange")
def decide_exchange(
    request: Request, svc: ServicesDep, principal: Caller, exchange_id: str, body: DecisionIn
) -> ExchangeOut:
    """Move an exchange along the workflow (the supplying park's manager)."""
    park_id = _exchange_park(svc, exchange_id)
    if park_id is None or (
        not principal.is_public
        and decide(principal, Action.READ_EXCHANGES, park_id) is not Decision.ALLOWED
        and decide(principal, Action.DECIDE_EXCHANGE, park_id) is not Decision.ALLOWED
    ):
        raise HTTPException(404, not_found_text(language_of(request), None, None))
    authorise(request, principal, Action.DECIDE_EXCHANGE, park_id)
    after = store_for(svc, principal).set_exchange_status(
        exchange_id, body.status, reason=body.reason
    )
    return ExchangeOut.model_validate(after.to_dict())


def _exchange_park(svc: ServicesDep, exchange_id: str) -> str | None:
    with svc.store.reading() as conn:
        return reads.exchange_park(conn, exchange_id)
