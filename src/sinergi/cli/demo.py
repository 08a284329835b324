"""``sinergi demo`` (the main job) and ``sinergi synth`` (a synthetic national ecosystem)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sinergi.cli.common import (
    DbOption,
    JsonOption,
    console,
    emit_json,
    err,
    open_store,
    progress,
)
from sinergi.store.write import PERIODIC_KEYS

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command()(demo)
    app.command()(synth)


def demo(
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("out"),
    seed: Annotated[int, typer.Option(help="Seed for the synthetic tenants.")] = 2026,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load the demonstration ecosystem into the database and write every result to OUT."""
    from sinergi.reports.demo import run_demo
    from sinergi.store import database_url
    from sinergi.store.audited import AuditedStore

    out.mkdir(parents=True, exist_ok=True)
    url = db or database_url(None, default=f"sqlite:///{(out / 'sinergi.db').as_posix()}")
    summary = run_demo(AuditedStore(url), out, seed=seed, console=None if as_json else console)
    if as_json:
        emit_json(summary)


def synth(
    companies: Annotated[int, typer.Option(min=1, help="Number of companies.")] = 30_000,
    parks: Annotated[int, typer.Option(min=1, help="Number of parks.")] = 150,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same ecosystem).")] = 1,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Generate a reproducible synthetic national ecosystem and load it into the database."""
    from sinergi.demo import synthesise

    store = open_store(db)
    start = time.perf_counter()
    status = Console(quiet=True) if as_json else err
    with status.status("synthesising…"):
        eco = synthesise(companies=companies, parks=parks, seed=seed)
    made = time.perf_counter()
    steps = ["nodes", *PERIODIC_KEYS]
    with progress("loading into the database", total=len(steps)) as update:

        def step(name: str) -> None:
            update(steps.index(name), description=f"loading {name}")

        store.save(eco, progress=step)
        update(len(steps))
    loaded = time.perf_counter()
    payload = {
        "companies": len(eco.companies),
        "parks": len(eco.parks),
        "flows": len(eco.flows),
        "seed": seed,
        "synthesise_s": round(made - start, 3),
        "load_s": round(loaded - made, 3),
        "database": store.url,
    }
    if as_json:
        emit_json(payload)
    else:
        console.print(
            f"{payload['companies']:,} synthetic companies in {payload['parks']} parks, "
            f"{payload['flows']:,} flows: generated in {payload['synthesise_s']} s, "
            f"loaded in {payload['load_s']} s into {store.url}"
        )
