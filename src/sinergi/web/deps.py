"""What every route receives: the services of the app, the caller, and the policy's verdict.

``Caller`` resolves the bearer token to a :class:`~sinergi.model.accounts.Principal` (the
anonymous public when there is no token; 401 for a token that is wrong, expired or revoked).
:func:`authorise` turns a policy decision into 404 (hidden), 401 (anonymous) or 403.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, overload

from fastapi import Depends, HTTPException, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sinergi.i18n import N_, gettext
from sinergi.model.accounts import PUBLIC, Principal
from sinergi.model.audit import Actor
from sinergi.store import accounts
from sinergi.store.audited import AuditedStore
from sinergi.web.auth import LoginLimiter, token_sha256
from sinergi.web.policy import Action, Decision, decide, may_ever
from sinergi.web.problems import language_of
from sinergi.web.settings import Settings

#: Seconds a resolved token is remembered (a revoked token stops working within this time).
TOKEN_CACHE_S = 10.0


@dataclass
class Services:
    """The long-lived objects of one application instance."""

    settings: Settings
    store: AuditedStore
    limiter: LoginLimiter
    jobs: Any = None
    _tokens: dict[str, tuple[float, Principal | None]] = field(default_factory=dict)
    _tokens_lock: threading.Lock = field(default_factory=threading.Lock)

    def principal_for(self, token: str) -> Principal | None:
        """Return the principal of a bearer token, or ``None`` when it is not valid."""
        key = token_sha256(token)
        now = time.monotonic()
        with self._tokens_lock:
            cached = self._tokens.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        with self.store.reading() as conn:
            user = accounts.token_user(conn, key)
        principal = None if user is None else user.principal()
        with self._tokens_lock:
            if len(self._tokens) > 10_000:
                self._tokens.clear()
            self._tokens[key] = (now + TOKEN_CACHE_S, principal)
        return principal

    def forget_tokens(self) -> None:
        """Drop cached token resolutions (after a grant or revocation)."""
        with self._tokens_lock:
            self._tokens.clear()


def services(request: Request) -> Services:
    """Return the services of the app serving ``request``."""
    found: Services = request.app.state.services
    return found


_bearer = HTTPBearer(auto_error=False, description="A personal API token (sng_…)")


def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """Return the caller of ``request``: a user for a valid token, else the public."""
    if credentials is None:
        return PUBLIC
    principal = services(request).principal_for(credentials.credentials)
    if principal is None:
        lang = language_of(request)
        raise HTTPException(
            401,
            gettext(lang, N_("The token is not valid (wrong, expired or revoked); sign in again.")),
            headers={"WWW-Authenticate": "Bearer"},
        )
    return principal


Caller = Annotated[Principal, Depends(caller)]

#: A park id in a path (the example lets generated tests reach a real park of the demo).
ParkPath = Annotated[str, Path(min_length=1, max_length=200, examples=["kiic"])]

#: A company id in a path.
CompanyPath = Annotated[
    str, Path(min_length=1, max_length=200, examples=["kiic.automotive-parts-01"])
]

#: OpenAPI ``security`` of operations anonymous visitors may also call (a token is optional).
OPTIONAL_AUTH: dict[str, Any] = {"security": [{}, {"HTTPBearer": []}]}

#: OpenAPI ``security`` of operations that ignore tokens (health, login).
NO_AUTH: dict[str, Any] = {"security": [{}]}
ServicesDep = Annotated[Services, Depends(services)]


def authorise(
    request: Request,
    principal: Principal,
    action: Action,
    park_id: str | None = None,
    company_id: str | None = None,
) -> None:
    """Raise 404, 401 or 403 unless the policy allows ``action``."""
    decision = decide(principal, action, park_id, company_id)
    if decision is Decision.ALLOWED:
        return
    lang = language_of(request)
    if decision is Decision.HIDDEN:
        raise HTTPException(404, not_found_text(lang, park_id, company_id))
    if principal.is_public:
        raise HTTPException(
            401,
            gettext(lang, N_("Sign in to see this (send a bearer token).")),
            headers={"WWW-Authenticate": "Bearer"},
        )
    raise HTTPException(
        403,
        gettext(lang, N_("Your role does not allow this here ({action}).")).format(action=action),
    )


def authorise_somewhere(request: Request, principal: Principal, action: Action) -> None:
    """Raise 401 or 403 unless some grant of the caller allows ``action`` on some object."""
    if not may_ever(principal, action):
        authorise(request, principal, action)


def require_user(request: Request, principal: Principal) -> None:
    """Raise 401 for the anonymous public."""
    if principal.is_public:
        raise HTTPException(
            401,
            gettext(language_of(request), N_("Sign in to see this (send a bearer token).")),
            headers={"WWW-Authenticate": "Bearer"},
        )


def not_found_text(lang: str, park_id: str | None, company_id: str | None) -> str:
    """Return the one 404 message, the same whether the object exists or is hidden."""
    if company_id is not None:
        return gettext(lang, N_("No company {id} here.")).format(id=company_id)
    if park_id is not None:
        return gettext(lang, N_("No park {id} here.")).format(id=park_id)
    return gettext(lang, N_("Not found."))


@overload
def utc(value: datetime) -> datetime: ...
@overload
def utc(value: None) -> None: ...
def utc(value: datetime | None) -> datetime | None:
    """Return a stored (naive, UTC) time as an aware UTC time, as RFC 3339 requires."""
    return None if value is None else value.replace(tzinfo=UTC)


def store_for(svc: Services, principal: Principal) -> AuditedStore:
    """Return the store acting for ``principal`` (its writes are logged under that name)."""
    return svc.store.as_actor(Actor(principal.username, principal.organisation_id))
