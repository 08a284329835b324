"""Demonstration accounts, one per role, for ``make run`` (development only).

Each run makes new random passwords and prints them; the accounts are synthetic and their
organisations are labelled "(demo)". Outside development nothing is created.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sinergi.errors import UsageError
from sinergi.i18n import N_
from sinergi.i18n.messages import msg
from sinergi.model.accounts import Grant, OrganisationKind, Role
from sinergi.store import accounts
from sinergi.store.audited import AuditedStore
from sinergi.web.auth import hash_password
from sinergi.web.settings import Environment, Settings


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """A demonstration user and the password made for this run."""

    role: Role
    username: str
    password: str
    scope: str | None


def _plan(park_id: str, company_id: str) -> list[tuple[Role, str, str, OrganisationKind, Grant]]:
    return [
        (
            Role.MINISTRY,
            "demo.ministry",
            "kemenperin-demo",
            OrganisationKind.MINISTRY,
            Grant(Role.MINISTRY),
        ),
        (
            Role.CONSULTANT,
            "demo.consultant",
            "geipp-demo",
            OrganisationKind.CONSULTANCY,
            Grant(Role.CONSULTANT, park_id),
        ),
        (
            Role.PARK_MANAGER,
            "demo.manager",
            f"{park_id}-operator-demo",
            OrganisationKind.PARK_OPERATOR,
            Grant(Role.PARK_MANAGER, park_id),
        ),
        (
            Role.TENANT,
            "demo.tenant",
            f"{company_id}-demo",
            OrganisationKind.TENANT_COMPANY,
            Grant(Role.TENANT, company_id=company_id),
        ),
        (
            Role.VERIFIER,
            "demo.verifier",
            "verifier-demo",
            OrganisationKind.VERIFIER,
            Grant(Role.VERIFIER, park_id),
        ),
    ]


def ensure_demo_accounts(
    store: AuditedStore, settings: Settings, park_id: str = "kiic"
) -> list[DemoAccount]:
    """Create (or reset the passwords of) one demo account per role; development only."""
    if settings.env is not Environment.DEVELOPMENT:
        raise UsageError(msg(N_("demo accounts exist only with SINERGI_ENV=development")))
    from sinergi.store import reads

    made = []
    with store.transaction() as conn:
        page = reads.companies(conn, park_id, None, 1, 0)
        if not page.items:
            raise UsageError(
                msg(
                    N_("the database has no park {park} with tenants; run 'sinergi demo'"),
                    park=repr(park_id),
                )
            )
        company_id = page.items[0]["id"]
        known_orgs = {o["id"] for o in accounts.organisations(conn)}
        for role, username, org, kind, grant in _plan(park_id, company_id):
            if org not in known_orgs:
                accounts.add_organisation(conn, store.actor, org, f"{org} (demo)", kind)
            password = secrets.token_urlsafe(12)
            if accounts.find_user(conn, username) is not None:
                accounts.set_password(conn, store.actor, username, hash_password(password))
            else:
                accounts.add_user(
                    conn, store.actor, username, f"{username} (demo)", org, hash_password(password)
                )
            accounts.grant(conn, store.actor, username, grant)
            made.append(DemoAccount(role, username, password, grant.company_id or grant.park_id))
    return made
