"""``/audit``: read the ledger (ministry), verify the chain and fetch a signed checkpoint."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from sinergi.model.audit import sign_checkpoint
from sinergi.store import audit
from sinergi.web.deps import Caller, ServicesDep, authorise
from sinergi.web.policy import Action

router = APIRouter(tags=["audit"])

#: The origin line of checkpoints this service signs.
ORIGIN = "sinergi audit ledger"


class EntryOut(BaseModel):
    """One ledger entry."""

    seq: int
    at: str
    actor: str
    organisation: str | None
    action: str
    object_type: str
    object_id: str
    before_sha256: str | None
    after_sha256: str | None
    evidence_sha256: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


class VerificationOut(BaseModel):
    """The result of recomputing the chain."""

    ok: bool
    size: int
    head: str
    first_bad: int | None
    reason: str | None


class Checkpoint(BaseModel):
    """A signed statement of the ledger's size and head hash (keep it outside the database)."""

    size: int
    head: str
    text: str


@router.get("/audit/entries", operation_id="audit_entries")
def audit_entries(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    object_type: Annotated[str | None, Query(max_length=50)] = None,
    object_id: Annotated[str | None, Query(max_length=200)] = None,
) -> list[EntryOut]:
    """Return ledger entries after ``after``, oldest first (ministry)."""
    authorise(request, principal, Action.READ_AUDIT)
    with svc.store.reading() as conn:
        found = audit.entries(
            conn, after=after, limit=limit, object_type=object_type, object_id=object_id
        )
    return [EntryOut(**e.body, prev_hash=e.prev_hash, hash=e.hash) for e in found]


@router.get("/audit/verify", operation_id="audit_verify")
def audit_verify(request: Request, svc: ServicesDep, principal: Caller) -> VerificationOut:
    """Recompute the whole chain and name the first bad entry (ministry, verifiers)."""
    authorise(request, principal, Action.VERIFY_AUDIT)
    with svc.store.reading() as conn:
        result = audit.verify(conn)
    return VerificationOut(
        ok=result.ok,
        size=result.size,
        head=result.head,
        first_bad=result.first_bad,
        reason=result.reason,
    )


@router.get("/audit/checkpoint", operation_id="audit_checkpoint")
def audit_checkpoint(request: Request, svc: ServicesDep, principal: Caller) -> Checkpoint:
    """Return the chain head signed with the service's secret (ministry, verifiers)."""
    authorise(request, principal, Action.VERIFY_AUDIT)
    with svc.store.reading() as conn:
        size, head = audit.head(conn)
    text = sign_checkpoint(size, head, ORIGIN, svc.settings.secret_bytes)
    return Checkpoint(size=size, head=head, text=text)
