"""Page routes: errors become pages; a reader who must sign in is sent to the login page."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute

from sinergi.errors import SinergiError
from sinergi.web.pages.context import page_language, render
from sinergi.web.problems import status_of

__all__ = ["PageRoute", "page_router"]


class PageRoute(APIRoute):
    """A route that answers errors as pages (401 sends the reader to the login page)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except HTTPException as exc:
                return _error_page(request, exc.status_code, str(exc.detail))
            except SinergiError as exc:
                return _error_page(request, status_of(exc), exc.localised(page_language(request)))

        return page_handler


def _error_page(request: Request, status: int, detail: str) -> Response:
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    return render(request, "error.html", http_status=status, status_code=status, detail=detail)


def page_router() -> APIRouter:
    """Return a router whose routes answer as pages."""
    return APIRouter(route_class=PageRoute)
