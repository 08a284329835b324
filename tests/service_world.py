"""A small platform world for the service tests: the demo parks, one user per role, tokens.

Users (all synthetic): ``ana`` ministry; ``citra`` consultant on kiic; ``pak.kiic`` park manager
of kiic and ``pak.mm`` of mm2100; ``tina`` tenant of the first kiic company and ``tono`` of the
second; ``vera`` verifier on kiic. The public has no account.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from sinergi.demo.ecosystem import demo_ecosystem
from sinergi.intake import initialise
from sinergi.model.accounts import Grant, OrganisationKind, Role
from sinergi.model.audit import Actor
from sinergi.store import accounts
from sinergi.store.audited import AuditedStore
from sinergi.web.app import create_app
from sinergi.web.auth import new_token, token_sha256
from sinergi.web.settings import Settings

#: A password good enough for the tests' synthetic users (Argon2 is slow by design, so one).
PASSWORD = "correct horse battery staple"

ADMIN = Actor("test-setup")


@dataclass
class World:
    """The store, the app's client and a token per user name."""

    store: AuditedStore
    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)
    companies: dict[str, list[str]] = field(default_factory=dict)

    def auth(self, user: str | None) -> dict[str, str]:
        """Return the headers of ``user`` (none for the public)."""
        return {} if user is None else {"Authorization": f"Bearer {self.tokens[user]}"}


USERS: dict[str, tuple[str, OrganisationKind, Role, str | None, int | None]] = {
    # name: (organisation, kind, role, park, index of the kiic company for tenants)
    "ana": ("kemenperin", OrganisationKind.MINISTRY, Role.MINISTRY, None, None),
    "citra": ("geipp", OrganisationKind.CONSULTANCY, Role.CONSULTANT, "kiic", None),
    "pak.kiic": ("kiic-op", OrganisationKind.PARK_OPERATOR, Role.PARK_MANAGER, "kiic", None),
    "pak.mm": ("mm-op", OrganisationKind.PARK_OPERATOR, Role.PARK_MANAGER, "mm2100", None),
    "tina": ("tenant-a", OrganisationKind.TENANT_COMPANY, Role.TENANT, None, 0),
    "tono": ("tenant-b", OrganisationKind.TENANT_COMPANY, Role.TENANT, None, 1),
    "vera": ("verif", OrganisationKind.VERIFIER, Role.VERIFIER, "kiic", None),
}

#: The user who stands for each role in the role table.
ROLE_USER: dict[Role, str | None] = {
    Role.MINISTRY: "ana",
    Role.CONSULTANT: "citra",
    Role.PARK_MANAGER: "pak.kiic",
    Role.TENANT: "tina",
    Role.VERIFIER: "vera",
    Role.PUBLIC: None,
}


def populate(store: AuditedStore) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Load the demo parks and create the users; return tokens and companies per park."""
    from sinergi.web.auth import hash_password

    initialise(store)
    eco = demo_ecosystem()
    store.save(eco)
    companies = {
        park: sorted(c.id for c in eco.companies.values() if c.park_id == park)
        for park in eco.parks
    }
    hashed = hash_password(PASSWORD)
    tokens = {}
    expires = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=1)
    with store.transaction() as conn:
        for name, (org, kind, role, park, company) in USERS.items():
            if org not in {o["id"] for o in accounts.organisations(conn)}:
                accounts.add_organisation(conn, ADMIN, org, org, kind)
            user = accounts.add_user(conn, ADMIN, name, name.title(), org, hashed)
            company_id = None if company is None else companies["kiic"][company]
            accounts.grant(conn, ADMIN, name, Grant(role, park, company_id))
            tokens[name] = new_token()
            accounts.add_token(conn, ADMIN, user.id, token_sha256(tokens[name]), "test", expires)
    return tokens, companies


def make_world(url: str, *, start_jobs: bool = False) -> tuple[World, TestClient]:
    """Return a populated world and its (not yet entered) client."""
    store = AuditedStore(url, actor=ADMIN)
    tokens, companies = populate(store)
    app = create_app(Settings(database_url=url), start_jobs=start_jobs)
    client = TestClient(app, raise_server_exceptions=False)
    return World(store, client, tokens, companies), client


def signed_in(world: World, user: str) -> TestClient:
    """Return a client holding ``user``'s dashboard session cookie (its own cookie jar)."""
    client = TestClient(world.client.app)
    answer = client.post(
        "/login", data={"username": user, "password": PASSWORD}, follow_redirects=False
    )
    assert answer.status_code == 303
    return client
