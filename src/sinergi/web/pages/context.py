"""What every page knows: the reader's language, who is signed in, and how to render.

Language: ``?lang=`` (then remembered in a cookie), else the cookie, else the browser's
``Accept-Language``, else Indonesian. Session: signing in on the login page makes the same
bearer token as ``POST /api/v1/auth/token`` and keeps it in an HttpOnly, SameSite=Lax cookie,
so a page sees exactly what the API would show that token (one policy layer). Every form
that changes something carries a CSRF token (an HMAC of the session token with the service
secret) that the handler checks, so another site cannot post on a user's behalf.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from functools import cache
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from sinergi.i18n import N_, Language, gettext, install_jinja
from sinergi.model.accounts import PUBLIC, Principal
from sinergi.reference.industry import kbli_words
from sinergi.web.deps import Services, services
from sinergi.web.pages.words import AUDIT_WORDS
from sinergi.web.policy import Action, may_ever
from sinergi.web.problems import LANG_COOKIE, language_of

#: Cookie holding the session's bearer token (HttpOnly).
SESSION_COOKIE = "sinergi_session"

#: A year, in seconds: how long the language choice is remembered.
YEAR_S = 365 * 24 * 3600


def page_language(request: Request) -> Language:
    """Return the reader's language: ``?lang=``, cookie, ``Accept-Language``, else Indonesian."""
    return language_of(request)


def session_token(request: Request) -> str | None:
    """Return the bearer token of the signed-in reader, if any."""
    return request.cookies.get(SESSION_COOKIE) or None


def page_principal(request: Request) -> Principal:
    """Return the signed-in reader (the public when there is no valid session)."""
    token = session_token(request)
    if token is None:
        return PUBLIC
    return services(request).principal_for(token) or PUBLIC


def csrf_token(svc: Services, token: str | None) -> str:
    """Return the CSRF token of a session (empty for the public, who cannot post)."""
    if not token:
        return ""
    return hmac.new(svc.settings.secret_bytes, token.encode(), hashlib.sha256).hexdigest()


def check_csrf(request: Request, sent: str) -> None:
    """Raise 403 unless ``sent`` is the CSRF token of the reader's session."""
    expected = csrf_token(services(request), session_token(request))
    if not expected or not hmac.compare_digest(expected, sent):
        lang = page_language(request)
        raise HTTPException(
            403, gettext(lang, N_("The form has expired; reload the page and try again."))
        )


@dataclass(frozen=True, slots=True)
class NavItem:
    """One entry of the navigation bar."""

    href: str
    label: str
    key: str


def navigation(principal: Principal) -> list[NavItem]:
    """Return the pages the reader's roles may open, in menu order."""
    items = [NavItem("/", N_("National"), "national")]
    parks = sorted({g.park_id for g in principal.grants if g.park_id})
    items += [NavItem(f"/parks/{p}", N_("My park"), "park") for p in parks[:1]]
    if may_ever(principal, Action.REVIEW) or may_ever(principal, Action.LOCK):
        items.append(NavItem("/review", N_("Review queue"), "review"))
    if may_ever(principal, Action.SUBMIT):
        items.append(NavItem("/company", N_("My company"), "company"))
    items.append(NavItem("/footprints", N_("Footprints"), "footprints"))
    items.append(NavItem("/battery", N_("Battery and e-mobility"), "battery"))
    if not principal.is_public:
        items.append(NavItem("/jobs", N_("Background jobs"), "jobs"))
    if may_ever(principal, Action.VERIFY_AUDIT):
        items.append(NavItem("/audit", N_("Audit"), "audit"))
    return items


@cache
def environment(lang: str) -> Environment:
    """Return the pages' Jinja environment for ``lang`` (built once per language)."""
    env = Environment(
        loader=PackageLoader("sinergi.web", "templates"),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    install_jinja(env, lang)
    env.globals["lang"] = lang
    env.globals["kbli_words"] = lambda code: kbli_words(code, lang)
    env.globals["audit_words"] = AUDIT_WORDS
    return env


def render(request: Request, template: str, http_status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page template for the reader; remember a language chosen with ``?lang=``."""
    lang = page_language(request)
    principal = page_principal(request)
    svc = services(request)
    active = context.pop("active", "")
    html = (
        environment(lang.value)
        .get_template(template)
        .render(
            request=request,
            principal=principal,
            nav=navigation(principal),
            active=active,
            csrf=csrf_token(svc, session_token(request)),
            path=request.url.path,
            query=_query_without_lang(request),
            **context,
        )
    )
    response = HTMLResponse(html, status_code=http_status)
    if request.query_params.get("lang") == lang.value:
        response.set_cookie(LANG_COOKIE, lang.value, max_age=YEAR_S, samesite="lax")
    response.headers["Content-Language"] = lang.value
    return response


def _query_without_lang(request: Request) -> str:
    """Return the query string without ``lang`` (so the language switch keeps the page)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    from urllib.parse import urlencode

    return urlencode(kept)
