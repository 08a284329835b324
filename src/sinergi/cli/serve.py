"""``sinergi serve``: run the platform service (FastAPI on uvicorn) over the store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sinergi.web.settings import Settings

from sinergi.cli.common import DbOption, console, err

__all__ = ["register"]

#: Seconds an idle keep-alive connection stays open (longer than a reverse proxy's reuse, so
#: the server never closes a connection the client is about to reuse).
KEEP_ALIVE_S = 75


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command()(serve)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    db: DbOption = None,
    proxy_headers: Annotated[
        bool, typer.Option(help="Trust X-Forwarded-* from the reverse proxy on 127.0.0.1.")
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1, max=64, help="Service processes (use more than 1 with PostgreSQL only)."
        ),
    ] = 1,
    demo_accounts: Annotated[
        bool,
        typer.Option(
            "--demo-accounts",
            help="Development only: make one demo account per role (new passwords each run).",
        ),
    ] = False,
) -> None:
    """Serve the dashboard and the REST API until Ctrl-C."""
    import uvicorn

    from sinergi.store.engine import database_url
    from sinergi.web.app import create_app
    from sinergi.web.settings import Settings

    settings = Settings() if db is None else Settings(database_url=database_url(db))
    app = create_app(settings)
    if demo_accounts:
        _print_demo_accounts(settings, host, port)
    err.print(
        f"sinergi service on http://{host}:{port} (dashboard at /, API at /api/v1, "
        f"documentation at /api/v1/docs in development); "
        f"database {settings.database_url.split('@')[-1]}; "
        "Ctrl-C stops it"
    )
    uvicorn.run(
        app,
        host=host,
        port=port,
        proxy_headers=proxy_headers,
        log_level="warning",
        access_log=False,
    )


def _print_demo_accounts(settings: Settings, host: str, port: int) -> None:
    from sinergi.intake import initialise
    from sinergi.store.audited import AuditedStore
    from sinergi.web.demo_accounts import ensure_demo_accounts

    store = AuditedStore(settings.database_url)
    initialise(store)
    made = ensure_demo_accounts(store, settings)
    store.close()
    console.print(
        f"\nsinergi demo: open the dashboard at http://{host}:{port}/ "
        f"(API documentation at http://{host}:{port}/api/v1/docs)"
    )
    console.print("demo accounts (synthetic; passwords made for this run only):")
    for account in made:
        scope = f" on {account.scope}" if account.scope else ""
        console.print(f"  {account.role:<13} {account.username:<16} {account.password}{scope}")
    console.print("  public        (no account: published park aggregates only)\n")
