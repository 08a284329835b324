"""``/users``: who am I, and (ministry) users, organisations and grants.

Inputs forbid unknown fields, so a body that tries to set its own role, organisation or id
is refused with 422 (mass assignment, OWASP API3:2023).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection

from sinergi.model.accounts import Grant, OrganisationKind, Role
from sinergi.model.audit import Actor
from sinergi.store import accounts
from sinergi.web.auth import hash_password
from sinergi.web.deps import Caller, ServicesDep, authorise, require_user, store_for
from sinergi.web.policy import Action

router = APIRouter(tags=["users"])

Name = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.@-]+$")]


class GrantOut(BaseModel):
    """One role of a user and where it applies."""

    role: Role
    park_id: str | None = None
    company_id: str | None = None


class UserOut(BaseModel):
    """A user as the API shows it (never a password hash)."""

    id: int
    username: str
    display_name: str
    organisation_id: str
    active: bool
    grants: list[GrantOut]


class OrganisationIn(BaseModel):
    """A new organisation."""

    model_config = ConfigDict(extra="forbid")

    id: Name
    name: Annotated[str, Field(min_length=1, max_length=300)]
    kind: OrganisationKind


class OrganisationOut(BaseModel):
    """An organisation."""

    id: str
    name: str
    kind: OrganisationKind


class UserIn(BaseModel):
    """A new user; roles are granted separately."""

    model_config = ConfigDict(extra="forbid")

    username: Name
    display_name: Annotated[str, Field(min_length=1, max_length=300)]
    organisation_id: Name
    password: Annotated[str, Field(min_length=12, max_length=1000)]


class ProfileIn(BaseModel):
    """What a user may change about themselves: only the display name."""

    model_config = ConfigDict(extra="forbid")

    display_name: Annotated[str, Field(min_length=1, max_length=300)]


class GrantIn(BaseModel):
    """A role to grant or revoke, with its park or company."""

    model_config = ConfigDict(extra="forbid")

    role: Role
    park_id: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    company_id: Annotated[str, Field(min_length=1, max_length=200)] | None = None


def _out(user: accounts.User) -> UserOut:
    return UserOut.model_validate(user.state())


@router.get("/users/me", operation_id="me")
def me(request: Request, principal: Caller, svc: ServicesDep) -> UserOut:
    """Return the signed-in user with their grants."""
    require_user(request, principal)
    with svc.store.reading() as conn:
        return _out(accounts.user_by_name(conn, principal.username))


@router.patch("/users/me", operation_id="update_me")
def update_me(request: Request, principal: Caller, svc: ServicesDep, body: ProfileIn) -> UserOut:
    """Change one's own display name (roles and organisation are not the user's to set)."""
    require_user(request, principal)
    with store_for(svc, principal).transaction() as conn:
        user = accounts.set_display_name(
            conn, store_for(svc, principal).actor, principal.username, body.display_name
        )
    return _out(user)


@router.get("/users", operation_id="list_users")
def list_users(request: Request, principal: Caller, svc: ServicesDep) -> list[UserOut]:
    """List every user (ministry)."""
    authorise(request, principal, Action.MANAGE_USERS)
    with svc.store.reading() as conn:
        return [_out(u) for u in accounts.users(conn)]


@router.post("/users", operation_id="create_user", status_code=201)
def create_user(request: Request, principal: Caller, svc: ServicesDep, body: UserIn) -> UserOut:
    """Create a user without roles (ministry)."""
    authorise(request, principal, Action.MANAGE_USERS)
    store = store_for(svc, principal)
    with store.transaction() as conn:
        user = accounts.add_user(
            conn,
            store.actor,
            body.username,
            body.display_name,
            body.organisation_id,
            hash_password(body.password),
        )
    return _out(user)


@router.get("/organisations", operation_id="list_organisations")
def list_organisations(
    request: Request, principal: Caller, svc: ServicesDep
) -> list[OrganisationOut]:
    """List organisations (ministry)."""
    authorise(request, principal, Action.MANAGE_USERS)
    with svc.store.reading() as conn:
        return [OrganisationOut.model_validate(o) for o in accounts.organisations(conn)]


@router.post("/organisations", operation_id="create_organisation", status_code=201)
def create_organisation(
    request: Request, principal: Caller, svc: ServicesDep, body: OrganisationIn
) -> OrganisationOut:
    """Create an organisation (ministry)."""
    authorise(request, principal, Action.MANAGE_USERS)
    store = store_for(svc, principal)
    with store.transaction() as conn:
        accounts.add_organisation(conn, store.actor, body.id, body.name, body.kind)
    return OrganisationOut(id=body.id, name=body.name, kind=body.kind)


UserId = Annotated[int, Path(ge=1, le=2**62)]


def _change_grant(
    request: Request,
    principal: Caller,
    svc: ServicesDep,
    user_id: int,
    body: GrantIn,
    change: Callable[[Connection, Actor, str, Grant], accounts.User],
) -> UserOut:
    """Grant or revoke one role, then forget cached tokens so the change applies at once."""
    authorise(request, principal, Action.MANAGE_USERS)
    store = store_for(svc, principal)
    with store.transaction() as conn:
        user = accounts.user_by_id(conn, user_id)
        done = change(
            conn, store.actor, user.username, Grant(body.role, body.park_id, body.company_id)
        )
    svc.forget_tokens()
    return _out(done)


@router.post("/users/{user_id}/grants", operation_id="grant_role")
def grant_role(
    request: Request, principal: Caller, svc: ServicesDep, user_id: UserId, body: GrantIn
) -> UserOut:
    """Give a user a role (ministry)."""
    return _change_grant(request, principal, svc, user_id, body, accounts.grant)


@router.post("/users/{user_id}/grants/revoke", operation_id="revoke_role")
def revoke_role(
    request: Request, principal: Caller, svc: ServicesDep, user_id: UserId, body: GrantIn
) -> UserOut:
    """Take a role away from a user (ministry)."""
    return _change_grant(request, principal, svc, user_id, body, accounts.revoke)
