"""Organisations, users, their grants and API tokens in the database.

Functions take an open connection (one transaction, see
:meth:`sinergi.store.audited.AuditedStore.transaction`) and append one ledger entry per
change. Passwords arrive already hashed (Argon2, :mod:`sinergi.web.auth`); tokens arrive as
their SHA-256, so neither a password nor a token is ever stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from sinergi.errors import AccountError, NotFound
from sinergi.i18n import N_
from sinergi.i18n.messages import msg
from sinergi.model.accounts import Grant, OrganisationKind, Principal, Role, check_grant
from sinergi.model.audit import Actor, state_hash
from sinergi.store import audit
from sinergi.store import schema_platform as sp


@dataclass(frozen=True, slots=True)
class User:
    """A stored user without the password hash."""

    id: int
    username: str
    display_name: str
    organisation_id: str
    organisation_kind: OrganisationKind
    active: bool
    grants: tuple[Grant, ...]

    def principal(self) -> Principal:
        """Return the caller this user is when signed in."""
        return Principal(self.id, self.username, self.organisation_id, self.grants)

    def state(self) -> dict[str, Any]:
        """Return the user as plain data (what the ledger hashes and the API shows)."""
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "organisation_id": self.organisation_id,
            "active": self.active,
            "grants": [
                {"role": str(g.role), "park_id": g.park_id, "company_id": g.company_id}
                for g in self.grants
            ],
        }


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def add_organisation(
    conn: Connection, actor: Actor, org_id: str, name: str, kind: OrganisationKind
) -> None:
    """Create an organisation (its id is a short code such as ``kemenperin``)."""
    o = sp.organisations.c
    if conn.execute(select(o.id).where(o.id == org_id)).first() is not None:
        raise AccountError(
            msg(N_("organisation {id!r} exists already; choose another id"), id=org_id)
        )
    state = {"id": org_id, "name": name, "kind": str(kind)}
    conn.execute(insert(sp.organisations), [state])
    audit.append(
        conn, actor, "organisation.add", "organisation", org_id, after_sha256=state_hash(state)
    )


def organisation_kind(conn: Connection, org_id: str) -> OrganisationKind:
    """Return the kind of a stored organisation."""
    o = sp.organisations.c
    kind = conn.execute(select(o.kind).where(o.id == org_id)).scalar()
    if kind is None:
        raise NotFound(
            msg(
                N_(
                    "no organisation {id!r}; create it with 'sinergi users add … "
                    "--organisation {id} --organisation-kind KIND'"
                ),
                id=org_id,
            )
        )
    return OrganisationKind(kind)


def organisations(conn: Connection) -> list[dict[str, str]]:
    """Return every organisation, by id."""
    rows = conn.execute(select(sp.organisations).order_by(sp.organisations.c.id))
    return [{"id": r.id, "name": r.name, "kind": r.kind} for r in rows]


def add_user(
    conn: Connection,
    actor: Actor,
    username: str,
    display_name: str,
    organisation_id: str,
    password_hash: str,
) -> User:
    """Create an active user without grants."""
    u = sp.users.c
    if conn.execute(select(u.id).where(u.username == username)).first() is not None:
        raise AccountError(
            msg(N_("user {name!r} exists already; choose another name"), name=username)
        )
    organisation_kind(conn, organisation_id)
    row = {
        "username": username,
        "display_name": display_name,
        "organisation_id": organisation_id,
        "password_hash": password_hash,
        "active": True,
        "created_at": _utcnow(),
    }
    conn.execute(insert(sp.users), [row])
    user = user_by_name(conn, username)
    audit.append(
        conn, actor, "user.add", "user", str(user.id), after_sha256=state_hash(user.state())
    )
    return user


def _grants(conn: Connection, user_id: int) -> tuple[Grant, ...]:
    g = sp.grants.c
    rows = conn.execute(
        select(g.role, g.park_id, g.company_id).where(g.user_id == user_id).order_by(g.id)
    )
    return tuple(Grant(Role(r.role), r.park_id, r.company_id) for r in rows)


def _user(conn: Connection, row: Any) -> User:
    return User(
        int(row.id),
        row.username,
        row.display_name,
        row.organisation_id,
        organisation_kind(conn, row.organisation_id),
        bool(row.active),
        _grants(conn, int(row.id)),
    )


def find_user(conn: Connection, username: str) -> User | None:
    """Return the user called ``username``, or ``None``."""
    row = conn.execute(select(sp.users).where(sp.users.c.username == username)).first()
    return None if row is None else _user(conn, row)


def user_by_name(conn: Connection, username: str) -> User:
    """Return the user called ``username``."""
    row = conn.execute(select(sp.users).where(sp.users.c.username == username)).first()
    if row is None:
        raise NotFound(msg(N_("no user {name!r}; see 'sinergi users list'"), name=username))
    return _user(conn, row)


def user_by_id(conn: Connection, user_id: int) -> User:
    """Return the user with id ``user_id``."""
    row = conn.execute(select(sp.users).where(sp.users.c.id == user_id)).first()
    if row is None:
        raise NotFound(msg(N_("no user with id {id}"), id=str(user_id)))
    return _user(conn, row)


def users(conn: Connection) -> list[User]:
    """Return every user, by name."""
    rows = conn.execute(select(sp.users).order_by(sp.users.c.username)).all()
    return [_user(conn, row) for row in rows]


def password_hash(conn: Connection, username: str) -> tuple[int, str, bool] | None:
    """Return ``(user id, password hash, active)`` of ``username``, or ``None``."""
    u = sp.users.c
    row = conn.execute(
        select(u.id, u.password_hash, u.active).where(u.username == username)
    ).first()
    return None if row is None else (int(row.id), str(row.password_hash), bool(row.active))


def set_password_hash(conn: Connection, user_id: int, new_hash: str) -> None:
    """Replace a password hash after a rehash on login (parameters upgraded; no ledger entry)."""
    conn.execute(update(sp.users).where(sp.users.c.id == user_id).values(password_hash=new_hash))


def grant(conn: Connection, actor: Actor, username: str, new: Grant) -> User:
    """Give ``username`` the role in ``new`` (checked against the organisation's kind)."""
    before = user_by_name(conn, username)
    check_grant(new, before.organisation_kind)
    _check_scope_exists(conn, new)
    new = _with_company_park(conn, new)
    if new in before.grants:
        return before
    conn.execute(
        insert(sp.grants),
        [
            {
                "user_id": before.id,
                "role": str(new.role),
                "park_id": new.park_id,
                "company_id": new.company_id,
            }
        ],
    )
    after = user_by_name(conn, username)
    _log_change(conn, actor, "user.grant", before, after, str(new))
    return after


def _with_company_park(conn: Connection, wanted: Grant) -> Grant:
    """Return a tenant grant with its company's park filled in (the policy needs it)."""
    if wanted.company_id is None:
        return wanted
    from sinergi.store import schema as s

    park = conn.execute(select(s.nodes.c.park_id).where(s.nodes.c.id == wanted.company_id)).scalar()
    return Grant(wanted.role, park, wanted.company_id)


def _check_scope_exists(conn: Connection, new: Grant) -> None:
    from sinergi.store import schema as s

    wanted = (
        (new.park_id, s.parks, N_("no park {id!r} in the database")),
        (new.company_id, s.companies, N_("no company {id!r} in the database")),
    )
    for node_id, table, missing in wanted:
        if node_id is None:
            continue
        if conn.execute(select(table.c.id).where(table.c.id == node_id)).first() is None:
            raise NotFound(msg(missing, id=node_id))


def revoke(conn: Connection, actor: Actor, username: str, old: Grant) -> User:
    """Take the role in ``old`` away from ``username``."""
    before = user_by_name(conn, username)
    old = next((g for g in before.grants if g.company_id and g.company_id == old.company_id), old)
    if old not in before.grants:
        raise NotFound(
            msg(
                N_("{name} does not hold {grant}; see 'sinergi users list'"),
                name=username,
                grant=str(old),
            )
        )
    g = sp.grants.c
    scope = (g.park_id.is_(None) if old.park_id is None else g.park_id == old.park_id) & (
        g.company_id.is_(None) if old.company_id is None else g.company_id == old.company_id
    )
    conn.execute(
        delete(sp.grants).where((g.user_id == before.id) & (g.role == str(old.role)) & scope)
    )
    after = user_by_name(conn, username)
    _log_change(conn, actor, "user.revoke", before, after, str(old))
    return after


def _log_change(
    conn: Connection, actor: Actor, action: str, before: User, after: User, what: str
) -> None:
    audit.append(
        conn,
        actor,
        action,
        "user",
        str(after.id),
        before_sha256=state_hash(before.state()),
        after_sha256=state_hash(after.state()),
        detail={"grant": what},
    )


def add_token(
    conn: Connection,
    actor: Actor,
    user_id: int,
    token_sha256: str,
    name: str,
    expires_at: datetime | None,
) -> None:
    """Store a new API token's hash for ``user_id``."""
    conn.execute(
        insert(sp.api_tokens),
        [
            {
                "user_id": user_id,
                "token_sha256": token_sha256,
                "name": name,
                "created_at": _utcnow(),
                "expires_at": expires_at,
                "revoked": False,
            }
        ],
    )
    audit.append(conn, actor, "token.add", "user", str(user_id), detail={"name": name})


def token_user(conn: Connection, token_sha256: str) -> User | None:
    """Return the active user owning an unexpired, unrevoked token, else ``None``."""
    t = sp.api_tokens.c
    row = conn.execute(
        select(t.user_id, t.expires_at, t.revoked).where(t.token_sha256 == token_sha256)
    ).first()
    if row is None or row.revoked or (row.expires_at is not None and row.expires_at < _utcnow()):
        return None
    user = user_by_id(conn, int(row.user_id))
    return user if user.active else None


def set_display_name(conn: Connection, actor: Actor, username: str, display_name: str) -> User:
    """Change a user's display name."""
    before = user_by_name(conn, username)
    conn.execute(
        update(sp.users).where(sp.users.c.id == before.id).values(display_name=display_name)
    )
    after = user_by_name(conn, username)
    _log_change(conn, actor, "user.rename", before, after, "display_name")
    return after


def set_password(conn: Connection, actor: Actor, username: str, new_hash: str) -> None:
    """Replace a user's password hash (logged; the hash itself never enters the ledger)."""
    user = user_by_name(conn, username)
    set_password_hash(conn, user.id, new_hash)
    audit.append(conn, actor, "user.password", "user", str(user.id))
