"""``sinergi users add|list|grant|revoke|token``: bootstrap accounts from a terminal.

Every change is written to the audit ledger under ``cli:<login name>``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from rich.table import Table

from sinergi.cli.common import (
    DbOption,
    JsonOption,
    LangOption,
    console,
    emit_json,
    err,
    open_store,
)
from sinergi.errors import UsageError
from sinergi.i18n import N_, Language, _, format_number
from sinergi.model.accounts import Grant, OrganisationKind, Role

__all__ = ["users_app"]

users_app = typer.Typer(help="Accounts: add users, grant and revoke roles.", no_args_is_help=True)

ParkOpt = Annotated[str | None, typer.Option("--park", help="Park the role applies to.")]
CompanyOpt = Annotated[
    str | None, typer.Option("--company", help="Company the role applies to (tenant).")
]


@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Login name.")],
    organisation: Annotated[str, typer.Option(help="Organisation id, e.g. kemenperin.")],
    organisation_kind: Annotated[
        OrganisationKind | None,
        typer.Option(help="Kind, to create the organisation if it is new."),
    ] = None,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    password: Annotated[
        str | None,
        typer.Option(
            envvar="SINERGI_USER_PASSWORD",
            help="Password (else asked; at least 12 characters).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    lang: LangOption = Language.en,
) -> None:
    """Create a user (and the organisation, given --organisation-kind)."""
    from sinergi.store import accounts
    from sinergi.web.auth import hash_password

    secret = password or typer.prompt(
        _(lang, "password"), hide_input=True, confirmation_prompt=True
    )
    if len(secret) < 12:
        raise UsageError(_(lang, "the password needs at least 12 characters"))
    with open_store(db) as store, store.transaction() as conn:
        if organisation_kind is not None and organisation not in {
            o["id"] for o in accounts.organisations(conn)
        }:
            accounts.add_organisation(
                conn, store.actor, organisation, organisation, organisation_kind
            )
        user = accounts.add_user(
            conn, store.actor, username, name or username, organisation, hash_password(secret)
        )
    console.print(
        _(lang, "added {user} ({organisation}); grant a role with 'sinergi users grant'").format(
            user=user.username, organisation=organisation
        )
    )


@users_app.command("list")
def list_users(
    db: DbOption = None, as_json: JsonOption = False, lang: LangOption = Language.en
) -> None:
    """List users with their organisation and roles."""
    from sinergi.store import accounts

    with open_store(db) as store, store.reading() as conn:
        found = accounts.users(conn)
    if as_json:
        emit_json([u.state() for u in found])
        return
    count = format_number(len(found), lang)
    table = Table(title=_(lang, "{count} user(s)").format(count=count))
    for heading in (N_("user"), N_("name"), N_("organisation"), N_("active"), N_("roles")):
        table.add_column(_(lang, heading))
    for u in found:
        table.add_row(
            u.username,
            u.display_name,
            u.organisation_id,
            _(lang, "yes") if u.active else _(lang, "no"),
            _roles(u.grants, lang),
        )
    console.print(table)


def _grant(role: Role, park: str | None, company: str | None) -> Grant:
    return Grant(role, park, company)


def _roles(grants: tuple[Grant, ...] | list[Grant], lang: Language) -> str:
    """Return a user's grants as one line (role names stay as typed in commands)."""
    return ", ".join(map(str, grants)) or _(lang, "no roles")


@users_app.command("grant")
def grant(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[
        Role, typer.Argument(help="ministry, consultant, park_manager, tenant, verifier.")
    ],
    park: ParkOpt = None,
    company: CompanyOpt = None,
    db: DbOption = None,
    lang: LangOption = Language.en,
) -> None:
    """Give a user a role (consultant/park_manager/verifier need --park, tenant --company)."""
    from sinergi.store import accounts

    with open_store(db) as store, store.transaction() as conn:
        user = accounts.grant(conn, store.actor, username, _grant(role, park, company))
    console.print(f"{user.username}: {_roles(user.grants, lang)}")


@users_app.command("revoke")
def revoke(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[Role, typer.Argument(help="The role to take away.")],
    park: ParkOpt = None,
    company: CompanyOpt = None,
    db: DbOption = None,
    lang: LangOption = Language.en,
) -> None:
    """Take a role away from a user."""
    from sinergi.store import accounts

    with open_store(db) as store, store.transaction() as conn:
        user = accounts.revoke(conn, store.actor, username, _grant(role, park, company))
    console.print(f"{user.username}: {_roles(user.grants, lang)}")


@users_app.command("token")
def token(
    username: Annotated[str, typer.Argument(help="Login name.")],
    days: Annotated[float, typer.Option(min=0.01, help="Days until it expires.")] = 30.0,
    label: Annotated[str, typer.Option("--name", help="What the token is for.")] = "cli",
    db: DbOption = None,
    lang: LangOption = Language.en,
) -> None:
    """Make a personal API token for a user (printed once; only its hash is stored)."""
    from sinergi.store import accounts
    from sinergi.web.auth import new_token, token_sha256

    store = open_store(db)
    secret = new_token()
    expires = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=days)
    with store.transaction() as conn:
        user = accounts.user_by_name(conn, username)
        accounts.add_token(conn, store.actor, user.id, token_sha256(secret), label, expires)
    err.print(
        _(lang, "token for {user}, valid until {expires} UTC:").format(
            user=username, expires=f"{expires:%Y-%m-%d %H:%M}"
        )
    )
    console.print(secret)
