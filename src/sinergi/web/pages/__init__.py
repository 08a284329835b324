"""The dashboard: server-rendered pages in Bahasa Indonesia and English over the same services.

Each page reads through the API's own route functions (and so through the one policy layer in
:mod:`sinergi.web.policy`): a page never shows what the API would refuse its reader. Scripts,
styles and the base map are vendored under ``web/static``; a page requests nothing outside the
server. :func:`install` mounts the static files and the page routers on the app.
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

__all__ = ["install"]


def install(app: FastAPI) -> None:
    """Mount the vendored static files and every page router on ``app``."""
    from sinergi.web.pages import (
        audit,
        battery,
        company,
        flow_form,
        footprints,
        monte_carlo,
        national,
        park,
        review,
        session,
    )

    # the base map is shared package data (the HTML reports draw it too); mounted first so
    # that /static/map/... is served from it and everything else from web/static
    maps = resources.files("sinergi.data") / "maps"
    app.mount("/static/map", StaticFiles(directory=str(maps)), name="map")
    static = resources.files("sinergi.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    for module in (
        session,
        national,
        park,
        review,
        company,
        flow_form,
        footprints,
        monte_carlo,
        battery,
        audit,
    ):
        app.include_router(module.router, include_in_schema=False)
    # plotly.min.js is 4.8 MB; compressed it is about a third
    app.add_middleware(GZipMiddleware, minimum_size=1024)
