"""``sinergi parks``: list, show and delete parks in the database."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from sinergi.cli.common import DbOption, ExitCode, JsonOption, console, emit_json, open_store
from sinergi.errors import NotFound

__all__ = ["parks_app"]

parks_app = typer.Typer(help="List, show and delete parks in the database.", no_args_is_help=True)


@parks_app.command("list")
def parks_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the parks in the database."""
    rows = open_store(db).park_summaries()
    if as_json:
        emit_json([vars(r) if hasattr(r, "__dict__") else r._asdict() for r in rows])
        return
    table = Table(title=f"{len(rows)} park(s)")
    for heading in ("id", "name", "region", "area (ha)", "companies", "flows", "periods"):
        table.add_column(heading)
    for r in rows:
        table.add_row(
            r.id,
            r.name,
            r.region_id,
            "n/a" if r.area_ha is None else f"{r.area_ha:,.0f}",
            str(r.companies),
            str(r.flows),
            ", ".join(map(str, r.periods)),
        )
    console.print(table)


@parks_app.command("delete")
def parks_delete(
    park_ids: Annotated[list[str], typer.Argument(help="Park id(s) to delete.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Delete parks with their tenants, flows, records and import history (one transaction)."""
    store = open_store(db)
    if not yes and not typer.confirm(f"Delete {', '.join(park_ids)} and all their data?"):
        raise typer.Exit(int(ExitCode.USAGE))
    store.delete_parks(park_ids)
    console.print(f"deleted {', '.join(park_ids)}")


@parks_app.command("show")
def parks_show(park_id: str, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Show one park: facts, sources, tenants and flow totals."""
    from sinergi.reports.park import park_report, render_park_text

    eco = open_store(db).load([park_id])
    if park_id not in eco.parks:
        raise NotFound(f"park {park_id!r} is not in the database; see 'sinergi parks list'")
    report = park_report(eco, park_id)
    if as_json:
        emit_json(report)
    else:
        console.print(render_park_text(report))
