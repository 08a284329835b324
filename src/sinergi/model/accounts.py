"""Who may use sinergi: organisations, roles and the scopes a role is granted on.

Roles follow the platform's users (docs/service.md has the full table):

* ``ministry`` — every park; locks periods; manages users and standards packs;
* ``consultant`` — the parks assigned to them: assess, judge, run symbiosis;
* ``park_manager`` — their own park: tenants, review of submissions, exchange decisions;
* ``tenant`` — their own company only: enter and submit data, see own footprints;
* ``verifier`` — assigned parks, read-only, attest submissions;
* ``public`` — anyone without an account: published park aggregates only.

A user holds one or more :class:`Grant` s; a grant names a role and, for the scoped roles, the
park or company it applies to. The rules here are pure; :mod:`sinergi.store.accounts`
persists them and the web layer's policy decides each request from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sinergi.errors import AccountError
from sinergi.i18n import N_
from sinergi.i18n.messages import Msg, items, msg


class Role(StrEnum):
    """What a user does on the platform."""

    MINISTRY = "ministry"
    CONSULTANT = "consultant"
    PARK_MANAGER = "park_manager"
    TENANT = "tenant"
    VERIFIER = "verifier"
    PUBLIC = "public"


#: What each role is called in a sentence (an error names who may act).
ROLE_NAMES: dict[Role, str] = {
    Role.MINISTRY: N_("ministry official"),
    Role.CONSULTANT: N_("consultant"),
    Role.PARK_MANAGER: N_("park manager"),
    Role.TENANT: N_("tenant"),
    Role.VERIFIER: N_("verifier"),
    Role.PUBLIC: N_("member of the public"),
}


def role_name(role: Role | str) -> Msg:
    """Return the name of a role as a message argument (worded in the reader's language)."""
    return msg(ROLE_NAMES[Role(role)])


class OrganisationKind(StrEnum):
    """The kind of body a user works for."""

    MINISTRY = "ministry"
    CONSULTANCY = "consultancy"
    PARK_OPERATOR = "park_operator"
    TENANT_COMPANY = "tenant_company"
    VERIFIER = "verifier"


#: The scope each role is granted on: every park, one park, or one company.
class Scope(StrEnum):
    """What a grant of a role must name."""

    NATION = "nation"
    PARK = "park"
    COMPANY = "company"


ROLE_SCOPE: dict[Role, Scope] = {
    Role.MINISTRY: Scope.NATION,
    Role.CONSULTANT: Scope.PARK,
    Role.PARK_MANAGER: Scope.PARK,
    Role.TENANT: Scope.COMPANY,
    Role.VERIFIER: Scope.PARK,
    Role.PUBLIC: Scope.NATION,
}

#: Organisation kinds whose staff may hold each role (a tenant's officer is never a verifier).
ROLE_ORGANISATIONS: dict[Role, frozenset[OrganisationKind]] = {
    Role.MINISTRY: frozenset({OrganisationKind.MINISTRY}),
    Role.CONSULTANT: frozenset({OrganisationKind.CONSULTANCY}),
    Role.PARK_MANAGER: frozenset({OrganisationKind.PARK_OPERATOR}),
    Role.TENANT: frozenset({OrganisationKind.TENANT_COMPANY}),
    Role.VERIFIER: frozenset({OrganisationKind.VERIFIER}),
    Role.PUBLIC: frozenset(),
}


@dataclass(frozen=True, slots=True)
class Grant:
    """One role a user holds, on a park or a company when the role is scoped."""

    role: Role
    park_id: str | None = None
    company_id: str | None = None

    def __str__(self) -> str:
        where = self.company_id or self.park_id
        return f"{self.role}" + (f" on {where}" if where else "")


def check_grant(grant: Grant, organisation_kind: OrganisationKind) -> Grant:
    """Return ``grant`` if it names the scope its role needs and suits the organisation.

    Raises
    ------
    AccountError
        If the role cannot be granted (``public`` is nobody's account), the scope is missing
        or superfluous, or the organisation kind cannot hold the role.
    """
    if grant.role is Role.PUBLIC:
        raise AccountError(msg(N_("'public' is what anonymous visitors get; it cannot be granted")))
    scope = ROLE_SCOPE[grant.role]
    wants_park = scope is Scope.PARK
    wants_company = scope is Scope.COMPANY
    if wants_park != (grant.park_id is not None) or wants_company != (grant.company_id is not None):
        need = {Scope.PARK: "--park", Scope.COMPANY: "--company", Scope.NATION: ""}
        example = f"sinergi users grant USER {grant.role}" + (
            f" {need[scope]} ID" if need[scope] else ""
        )
        if scope is Scope.NATION:
            raise AccountError(
                msg(
                    N_("the role {role} is granted without a park or company: e.g. '{example}'"),
                    role=grant.role.value,
                    example=example,
                )
            )
        raise AccountError(
            msg(
                N_("the role {role} is granted with {option}: e.g. '{example}'"),
                role=grant.role.value,
                option=need[scope],
                example=example,
            )
        )
    if organisation_kind not in ROLE_ORGANISATIONS[grant.role]:
        raise AccountError(
            msg(
                N_(
                    "a user of a {kind} organisation cannot be {role}; that role belongs to: "
                    "{allowed}"
                ),
                kind=organisation_kind.value,
                role=grant.role.value,
                allowed=items(sorted(ROLE_ORGANISATIONS[grant.role])),
            )
        )
    return grant


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller of one request: a user with grants, or the anonymous public."""

    user_id: int | None
    username: str
    organisation_id: str | None
    grants: tuple[Grant, ...] = ()

    @property
    def is_public(self) -> bool:
        """Return whether the caller is anonymous."""
        return self.user_id is None

    @property
    def roles(self) -> frozenset[Role]:
        """Return every role the caller holds (``public`` for anonymous callers)."""
        if self.is_public:
            return frozenset({Role.PUBLIC})
        return frozenset(g.role for g in self.grants)

    def parks_as(self, role: Role) -> frozenset[str]:
        """Return the parks the caller holds ``role`` on."""
        return frozenset(g.park_id for g in self.grants if g.role is role and g.park_id)

    def companies_as(self, role: Role) -> frozenset[str]:
        """Return the companies the caller holds ``role`` on."""
        return frozenset(g.company_id for g in self.grants if g.role is role and g.company_id)


#: The anonymous caller.
PUBLIC = Principal(user_id=None, username="public", organisation_id=None)
