"""``/health`` (the trivial endpoint, the floor of the benchmarks) and ``/auth/token`` (login)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from pydantic import BaseModel

from sinergi.i18n import N_, gettext
from sinergi.model.audit import Actor
from sinergi.store import accounts
from sinergi.web.auth import new_token, token_sha256, verify_password
from sinergi.web.deps import NO_AUTH, ServicesDep
from sinergi.web.problems import language_of

router = APIRouter(tags=["session"])


class Health(BaseModel):
    """The service answers."""

    status: str


class Token(BaseModel):
    """A bearer token: send it as ``Authorization: Bearer <access_token>``."""

    access_token: str
    token_type: str
    expires_at: datetime


@router.get("/health", operation_id="health", openapi_extra=NO_AUTH)
def health() -> Health:
    """Say the service is up (no database access)."""
    return Health(status="ok")


@router.post("/auth/token", operation_id="login", openapi_extra=NO_AUTH)
def login(
    request: Request,
    svc: ServicesDep,
    username: Annotated[str, Form(min_length=1, max_length=200)],
    password: Annotated[str, Form(min_length=1, max_length=1000)],
) -> Token:
    """Exchange a user name and password for a bearer token (failures are rate-limited)."""
    lang = language_of(request)
    client = request.client.host if request.client else "?"
    key = f"{username.lower()}|{client}"
    wait = svc.limiter.retry_after(key)
    if wait:
        raise HTTPException(
            429,
            gettext(lang, N_("Too many failed sign-ins; try again in {seconds} s.")).format(
                seconds=wait
            ),
            headers={"Retry-After": str(wait)},
        )
    with svc.store.reading() as conn:
        found = accounts.password_hash(conn, username)
    ok, rehash = verify_password(password, found[1] if found else None)
    if not (found and ok and found[2]):
        svc.limiter.failed(key)
        raise HTTPException(
            401,
            gettext(lang, N_("Wrong user name or password.")),
            headers={"WWW-Authenticate": "Bearer"},
        )
    svc.limiter.succeeded(key)
    user_id = found[0]
    token = new_token()
    expires = datetime.now(UTC) + timedelta(hours=svc.settings.token_hours)
    with svc.store.transaction() as conn:
        if rehash is not None:
            accounts.set_password_hash(conn, user_id, rehash)
        user = accounts.user_by_id(conn, user_id)
        accounts.add_token(
            conn,
            Actor(user.username, user.organisation_id),
            user_id,
            token_sha256(token),
            "login",
            expires.replace(tzinfo=None),
        )
    return Token(access_token=token, token_type="bearer", expires_at=expires)
