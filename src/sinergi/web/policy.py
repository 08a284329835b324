"""The one object-level authorisation layer: who may see or do what on which park or company.

Every router asks this module, never decides itself. A decision is one of three answers:

* **allowed**;
* **hidden** — the caller may not know the object exists (another park's data, another
  tenant's company): the API answers 404 exactly as for an id that does not exist, so ids
  cannot be probed (OWASP API1:2023);
* **refused** — the caller sees the object but may not do this to it (a verifier importing
  data into a park they verify, an anonymous visitor asking for tenant data): 403, or 401 for
  an anonymous caller.

The table in docs/service.md is generated from :data:`RULES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sinergi.model.accounts import Principal, Role


class Action(StrEnum):
    """What a request does to a park, a company or the platform."""

    READ_PARK = "read_park"  # park facts and published (suppressed) aggregates
    READ_TENANT_DATA = "read_tenant_data"  # companies, facilities, flows, records
    IMPORT = "import"  # upload a file into a park
    EXPORT = "export"  # download a park's data in the import formats
    ASSESS = "assess"  # run or read an assessment
    JUDGE = "judge"  # write an assessor judgement
    RUN_SYMBIOSIS = "run_symbiosis"
    READ_EXCHANGES = "read_exchanges"
    DECIDE_EXCHANGE = "decide_exchange"
    SUBMIT = "submit"  # create, edit and submit a company's own data
    REVIEW = "review"  # return or approve submissions
    ATTEST = "attest"  # a verifier's attestation of a submission
    LOCK = "lock"
    READ_SUBMISSIONS = "read_submissions"
    MANAGE_USERS = "manage_users"
    READ_AUDIT = "read_audit"
    VERIFY_AUDIT = "verify_audit"
    REFERENCE = "reference"  # footprints of reference routes, battery scenarios, packs
    MANAGE_STANDARDS = "manage_standards"  # add user-defined standards packs
    READ_PASSPORT = "read_passport"  # a battery passport, in the view the caller's role allows


class Decision(StrEnum):
    """The answer for one request."""

    ALLOWED = "allowed"
    HIDDEN = "hidden"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class Rule:
    """Which roles may take an action, and on what scope of their grants."""

    nation: frozenset[Role]  # roles allowed on every park
    assigned: frozenset[Role]  # roles allowed on the parks (or company) of their grant


def _roles(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


M, C, PM, T, V, P = (
    Role.MINISTRY,
    Role.CONSULTANT,
    Role.PARK_MANAGER,
    Role.TENANT,
    Role.VERIFIER,
    Role.PUBLIC,
)

#: Who may do what. ``assigned`` means: on the parks their grant names (for a tenant: their
#: own company, which also makes its park visible for that company's rows only).
RULES: dict[Action, Rule] = {
    Action.READ_PARK: Rule(_roles(M, C, PM, T, V, P), _roles()),
    Action.READ_TENANT_DATA: Rule(_roles(M), _roles(C, PM, V, T)),
    Action.IMPORT: Rule(_roles(M), _roles(PM)),
    Action.EXPORT: Rule(_roles(M), _roles(C, PM, V)),
    Action.ASSESS: Rule(_roles(M), _roles(C, PM, V)),
    Action.JUDGE: Rule(_roles(), _roles(C)),
    Action.RUN_SYMBIOSIS: Rule(_roles(M), _roles(C)),
    Action.READ_EXCHANGES: Rule(_roles(M), _roles(C, PM, V)),
    Action.DECIDE_EXCHANGE: Rule(_roles(), _roles(PM)),
    Action.SUBMIT: Rule(_roles(), _roles(T)),
    Action.REVIEW: Rule(_roles(), _roles(PM)),
    Action.ATTEST: Rule(_roles(), _roles(V)),
    Action.LOCK: Rule(_roles(M), _roles()),
    Action.READ_SUBMISSIONS: Rule(_roles(M), _roles(C, PM, V, T)),
    Action.MANAGE_USERS: Rule(_roles(M), _roles()),
    Action.READ_AUDIT: Rule(_roles(M), _roles()),
    Action.VERIFY_AUDIT: Rule(_roles(M, V), _roles()),
    Action.REFERENCE: Rule(_roles(M, C, PM, T, V, P), _roles()),
    Action.MANAGE_STANDARDS: Rule(_roles(M), _roles()),
    Action.READ_PASSPORT: Rule(_roles(M, C, PM, T, V, P), _roles()),
}

#: The battery-passport view (Annex XIII access tier) each role reads: the ministry and
#: verifiers stand for the authorities (notified bodies, market surveillance, Commission);
#: other signed-in users are vetted platform users and read the legitimate-interest view;
#: everyone else reads the public view. This mapping is sinergi's choice, not the
#: regulation's (which names no platform roles).
PASSPORT_VIEWS: dict[Role, str] = {
    M: "authority",
    V: "authority",
    C: "legitimate",
    PM: "legitimate",
    T: "legitimate",
    P: "public",
}


def passport_view(principal: Principal) -> str:
    """Return the passport view (public, legitimate or authority) the caller may read."""
    views = {PASSPORT_VIEWS[role] for role in principal.roles}
    for view in ("authority", "legitimate"):
        if view in views:
            return view
    return "public"


def parks_seen(principal: Principal) -> frozenset[str] | None:
    """Return the parks whose tenant data the caller may see; ``None`` means every park."""
    if Role.MINISTRY in principal.roles:
        return None
    return frozenset(
        g.park_id for g in principal.grants if g.park_id and g.role in (C, PM, V)
    ) | frozenset(_tenant_parks(principal))


def _tenant_parks(principal: Principal) -> set[str]:
    # a tenant grant carries the company's park in park_id when the store knows it
    return {g.park_id for g in principal.grants if g.role is T and g.park_id}


def decide(
    principal: Principal, action: Action, park_id: str | None = None, company_id: str | None = None
) -> Decision:
    """Decide whether ``principal`` may take ``action`` on a park (and company) or globally."""
    rule = RULES[action]
    roles = principal.roles
    if roles & rule.nation:
        return Decision.ALLOWED
    for grant in principal.grants:
        if grant.role not in rule.assigned:
            continue
        if grant.role is Role.TENANT:
            if company_id is not None and grant.company_id == company_id:
                return Decision.ALLOWED
            if company_id is None and park_id is not None and grant.park_id == park_id:
                return Decision.ALLOWED  # park-wide listing, filtered to the own company
        elif park_id is not None and grant.park_id == park_id:
            return Decision.ALLOWED
    if not _sees(principal, park_id, company_id):
        return Decision.HIDDEN
    return Decision.REFUSED


def _sees(principal: Principal, park_id: str | None, company_id: str | None) -> bool:
    """Return whether the caller may know the object exists (else it is hidden: 404).

    Anonymous callers are never told anything is hidden: they are asked to sign in (401).
    """
    if principal.is_public or (park_id is None and company_id is None):
        return True
    if Role.MINISTRY in principal.roles:
        return True
    if company_id is not None and company_id in principal.companies_as(Role.TENANT):
        return True
    staff_parks = {g.park_id for g in principal.grants if g.role in (C, PM, V)}
    if company_id is None and park_id in _tenant_parks(principal):
        return True
    return park_id in staff_parks


def own_companies(principal: Principal) -> frozenset[str] | None:
    """Return the companies a tenant-only caller is limited to; ``None`` when not limited."""
    if principal.roles & {M, C, PM, V}:
        return None
    return principal.companies_as(Role.TENANT)


def may_ever(principal: Principal, action: Action) -> bool:
    """Return whether any grant of the caller allows ``action`` somewhere."""
    rule = RULES[action]
    return bool(principal.roles & (rule.nation | rule.assigned))
