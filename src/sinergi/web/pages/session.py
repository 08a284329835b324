"""Sign in and out of the dashboard (the same accounts, limiter and tokens as the API)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from sinergi.web.api.session import login as api_login
from sinergi.web.deps import services
from sinergi.web.pages.context import SESSION_COOKIE, check_csrf, render
from sinergi.web.pages.routing import page_router

router = page_router()


def _safe_next(target: str | None) -> str:
    """Return a local path to go to after signing in (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:  # noqa: A002
    """Show the sign-in form."""
    return render(request, "login.html", next=_safe_next(next), error=None, active="login")


@router.post("/login")
def login_submit(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",  # noqa: A002
) -> Response:
    """Check the password and keep the new token in an HttpOnly cookie."""
    target = _safe_next(next)
    if not username or not password:
        return _refused(request, target, "")
    try:
        token = api_login(request, services(request), username, password)
    except HTTPException as exc:
        return _refused(request, target, str(exc.detail), exc.status_code)
    response = RedirectResponse(target, status_code=303)
    seconds = int((services(request).settings.token_hours) * 3600)
    response.set_cookie(
        SESSION_COOKIE,
        token.access_token,
        max_age=seconds,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


def _refused(request: Request, target: str, detail: str, status: int = 401) -> Response:
    from sinergi.i18n import N_, gettext
    from sinergi.web.pages.context import page_language

    message = detail or gettext(page_language(request), N_("Enter your user name and password."))
    return render(
        request, "login.html", http_status=status, next=target, error=message, active="login"
    )


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    """Forget the session cookie."""
    check_csrf(request, csrf)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
