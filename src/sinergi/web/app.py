"""Build the FastAPI application: ``create_app(settings)``; nothing happens at import.

The app holds one :class:`~sinergi.store.audited.AuditedStore` (migrated and seeded at
startup), the login limiter and the job runner. Routers live in :mod:`sinergi.web.api`;
the dashboard's pages (:mod:`sinergi.web.pages`, Jinja2 templates and vendored static files)
mount beside them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from sinergi import __version__
from sinergi.store.audited import AuditedStore
from sinergi.web import problems
from sinergi.web.auth import LoginLimiter
from sinergi.web.deps import Services
from sinergi.web.settings import Environment, Settings

#: Prefix of every API route.
API_PREFIX = "/api/v1"

#: Swagger UI's script, style and icon, shipped in the package (no CDN: works offline).
SWAGGER_UI = Path(__file__).parent / "vendor" / "swagger-ui"


def create_app(settings: Settings | None = None, *, start_jobs: bool = True) -> FastAPI:
    """Return the service for ``settings`` (read from the environment when ``None``).

    ``start_jobs=False`` leaves the Dask cluster unstarted (jobs then stay queued); tests of
    routes that never run a job use it to start faster.
    """
    config = settings or Settings()
    # anyio runs sync endpoints on up to 40 threads; give each its own pooled connection
    store = AuditedStore(config.database_url, pool_size=40)
    svc = Services(
        settings=config,
        store=store,
        limiter=LoginLimiter(config.login_failures, config.login_window_s),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from sinergi.intake import initialise
        from sinergi.web.jobs import JobRunner

        initialise(store)
        if start_jobs:
            svc.jobs = JobRunner(config, store)
            svc.jobs.start()
        try:
            yield
        finally:
            if svc.jobs is not None:
                svc.jobs.close()
            store.close()

    development = config.env is Environment.DEVELOPMENT
    app = FastAPI(
        title="sinergi",
        version=__version__,
        summary="Eco-industrial parks, nickel-to-battery footprints, symbiosis, circularity.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.services = svc
    problems.install(app)
    _include_routers(app)
    if development:
        _serve_api_docs(app)
    return app


def _serve_api_docs(app: FastAPI) -> None:
    """Serve the interactive API page from vendored Swagger UI files (development only)."""
    assets = f"{API_PREFIX}/docs-assets"
    app.mount(assets, StaticFiles(directory=SWAGGER_UI), name="swagger-ui")

    @app.get(f"{API_PREFIX}/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"{API_PREFIX}/openapi.json",
            title="sinergi API",
            swagger_js_url=f"{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets}/swagger-ui.css",
            swagger_favicon_url=f"{assets}/favicon-32x32.png",
            # null: never send the document to validator.swagger.io
            swagger_ui_parameters={"validatorUrl": None},
        )


def _include_routers(app: FastAPI) -> None:
    from sinergi.web import pages
    from sinergi.web.api import ROUTERS

    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX, responses=problems.PROBLEM_RESPONSES)
    pages.install(app)
