"""Command-line interface: a thin shell over the model, the io layer, the store and the engines.

Exit codes: 0 ok; 1 the input had validation errors (nothing was written); 2 usage error;
3 database or file-system problem.
"""

from __future__ import annotations

import json
import sys
import time
from enum import IntEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from sinergi import __version__
from sinergi.errors import InputError, SinergiError, UnsafeInput
from sinergi.intake import import_file, initialise
from sinergi.io import write_file, write_template
from sinergi.model.checks import check as run_checks
from sinergi.store import Store, database_url


class ExitCode(IntEnum):
    """Documented process exit codes."""

    OK = 0
    INVALID = 1
    USAGE = 2
    STORE = 3


app = typer.Typer(
    name="sinergi",
    help="sinergi: eco-industrial parks, nickel-to-battery footprints, symbiosis, circularity.",
    no_args_is_help=True,
    add_completion=False,
)
parks_app = typer.Typer(help="List and show parks in the database.", no_args_is_help=True)
app.add_typer(parks_app, name="parks")

console = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL (default: $SINERGI_DATABASE_URL or sqlite:///sinergi.db)."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def _store(db: str | None) -> Store:
    return Store(database_url(db))


def _emit_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")


def _fail(exc: SinergiError, code: ExitCode) -> typer.Exit:
    err.print(f"[bold red]error:[/] {exc}")
    return typer.Exit(int(code))


@app.callback(invoke_without_command=True)
def _main(
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    if version:
        console.print(f"sinergi {__version__}")
        raise typer.Exit(0)


@app.command()
def init(db: DbOption = None) -> None:
    """Create or upgrade the database and seed the shipped reference nodes."""
    store = _store(db)
    try:
        initialise(store)
    except SinergiError as exc:
        raise _fail(exc, ExitCode.STORE) from exc
    console.print(f"database ready: {store.url}")


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="YAML, JSON, CSV or XLSX files.")],
    table: Annotated[
        str | None, typer.Option(help="Table of a CSV file (default: from its name).")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import files; a file with any error is rejected whole and every error is listed."""
    store = _store(db)
    initialise(store)
    reports: list[dict[str, Any]] = []
    failed = False
    for path in files:
        try:
            with (Console(quiet=True) if as_json else console).status(f"importing {path}…"):
                outcome = import_file(store, path, table=table)
        except InputError as exc:
            failed = True
            reports.append(
                {
                    "file": str(path),
                    "status": "rejected",
                    "issues": [_issue_json(i) for i in exc.issues],
                }
            )
            if not as_json:
                _print_issues(path, exc.issues)
            continue
        except UnsafeInput as exc:
            failed = True
            reports.append({"file": str(path), "status": "refused", "issues": [str(exc)]})
            if not as_json:
                err.print(f"[bold red]{path}: refused:[/] {exc}")
            continue
        result = outcome.result
        reports.append(
            {
                "file": str(path),
                "status": str(result.status),
                "import_id": result.import_id,
                "diff": result.diff.lines(),
            }
        )
        if not as_json:
            console.print(f"[green]{path}[/]: {result.status} ({result.diff.summary()})")
            for line in result.diff.lines()[:50]:
                console.print(f"  {line}")
    if as_json:
        _emit_json(reports)
    raise typer.Exit(int(ExitCode.INVALID if failed else ExitCode.OK))


def _issue_json(issue: Any) -> dict[str, Any]:
    fields = ("file", "sheet", "row", "column", "field", "code", "message_en", "message_id")
    return {name: getattr(issue, name, None) for name in fields}


def _print_issues(path: Path, issues: list[Any]) -> None:
    table = Table(title=f"{path}: {len(issues)} problem(s); nothing was imported", show_lines=False)
    for heading in ("sheet", "row", "column", "problem / masalah"):
        table.add_column(heading, overflow="fold")
    for issue in issues:
        table.add_row(
            str(getattr(issue, "sheet", "") or ""),
            str(getattr(issue, "row", "") or ""),
            str(getattr(issue, "column", None) or getattr(issue, "field", "") or ""),
            f"{issue.message_en}\n[dim]{issue.message_id}[/]",
        )
    err.print(table)


@app.command()
def export(
    path: Annotated[
        Path, typer.Argument(help="Target: .yaml, .json, .xlsx, or a directory for CSV.")
    ],
    park: Annotated[list[str] | None, typer.Option(help="Park id (repeat); default all.")] = None,
    db: DbOption = None,
) -> None:
    """Export parks from the database in the same formats the importer reads."""
    store = _store(db)
    initialise(store)
    eco = store.load(park)
    written = write_file(eco, path, park_ids=park)
    for out in written:
        console.print(f"wrote {out}")


@app.command()
def template(
    path: Annotated[Path, typer.Argument(help="Where to write the XLSX template.")] = Path(
        "sinergi-template.xlsx"
    ),
) -> None:
    """Write the bilingual XLSX data-collection template (one sheet per record kind)."""
    console.print(f"wrote {write_template(path)}")


@app.command()
def check(
    park: Annotated[list[str] | None, typer.Option(help="Park id (repeat); default all.")] = None,
    strict: Annotated[bool, typer.Option(help="Exit 1 on any finding.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run the consistency checks on stored parks and report every finding."""
    store = _store(db)
    initialise(store)
    findings = run_checks(store.load(park), warn=False)
    if as_json:
        _emit_json([{"check": f.check, "where": f.where, "message": f.message} for f in findings])
    elif findings:
        table = Table(title=f"{len(findings)} finding(s)")
        for heading in ("check", "where", "message"):
            table.add_column(heading, overflow="fold")
        for f in findings:
            table.add_row(f.check, f.where, f.message)
        console.print(table)
    else:
        console.print("no findings: the flow network is consistent")
    raise typer.Exit(int(ExitCode.INVALID if strict and findings else ExitCode.OK))


@parks_app.command("list")
def parks_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the parks in the database."""
    store = _store(db)
    initialise(store)
    rows = store.park_summaries()
    if as_json:
        _emit_json([vars(r) if hasattr(r, "__dict__") else r._asdict() for r in rows])
        return
    table = Table(title=f"{len(rows)} park(s)")
    for heading in ("id", "name", "region", "area (ha)", "companies", "flows", "periods"):
        table.add_column(heading)
    for r in rows:
        table.add_row(
            r.id,
            r.name,
            r.region_id,
            _num(r.area_ha),
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
    store = _store(db)
    initialise(store)
    if not yes and not typer.confirm(f"Delete {', '.join(park_ids)} and all their data?"):
        raise typer.Exit(int(ExitCode.USAGE))
    try:
        store.delete_parks(park_ids)
    except SinergiError as exc:
        raise _fail(exc, ExitCode.INVALID) from exc
    console.print(f"deleted {', '.join(park_ids)}")


@parks_app.command("show")
def parks_show(park_id: str, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Show one park: facts, sources, tenants and flow totals."""
    from sinergi.reports.park import park_report

    store = _store(db)
    initialise(store)
    eco = store.load([park_id])
    if park_id not in eco.parks:
        err.print(
            f"[bold red]error:[/] park {park_id!r} is not in the database; see 'sinergi parks list'"
        )
        raise typer.Exit(int(ExitCode.INVALID))
    report = park_report(eco, park_id)
    if as_json:
        _emit_json(report)
    else:
        from sinergi.reports.park import render_park_text

        console.print(render_park_text(report))


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("out"),
    seed: Annotated[int, typer.Option(help="Seed for the synthetic tenants.")] = 2026,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load the demonstration ecosystem into the database and write a summary to OUT."""
    from sinergi.reports.demo import run_demo

    out.mkdir(parents=True, exist_ok=True)
    url = db or database_url(None, default=f"sqlite:///{(out / 'sinergi.db').as_posix()}")
    try:
        summary = run_demo(Store(url), out, seed=seed, console=None if as_json else console)
    except SinergiError as exc:
        raise _fail(exc, ExitCode.STORE) from exc
    if as_json:
        _emit_json(summary)


@app.command()
def synth(
    companies: Annotated[int, typer.Option(min=1, help="Number of companies.")] = 30_000,
    parks: Annotated[int, typer.Option(min=1, help="Number of parks.")] = 150,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same ecosystem).")] = 1,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Generate a reproducible synthetic national ecosystem and load it into the database."""
    from sinergi.demo import synthesise

    store = _store(db)
    initialise(store)
    start = time.perf_counter()
    quiet = Console(quiet=True)
    with (quiet if as_json else console).status("synthesising…"):
        eco = synthesise(companies=companies, parks=parks, seed=seed)
    made = time.perf_counter()
    with (quiet if as_json else console).status("loading into the database…"):
        store.save(eco)
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
        _emit_json(payload)
    else:
        console.print(
            f"{payload['companies']:,} synthetic companies in {payload['parks']} parks, "
            f"{payload['flows']:,} flows: generated in {payload['synthesise_s']} s, "
            f"loaded in {payload['load_s']} s into {store.url}"
        )


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def _register() -> None:
    from sinergi.cli_assess import assess_command, declaration_command

    app.command("assess")(assess_command)
    app.command("declaration")(declaration_command)
    from sinergi.cli_battery import battery_app

    app.add_typer(battery_app, name="battery")
    from sinergi.cli_footprint import footprint_app

    app.add_typer(footprint_app, name="footprint")
    from sinergi.cli_symbiosis import exchanges_app, symbiosis_command

    app.command("symbiosis")(symbiosis_command)
    app.add_typer(exchanges_app, name="exchanges")


_register()


def main() -> None:
    """Run the CLI, turning SinergiError into a clean message and exit code 3."""
    try:
        app()
    except SinergiError as exc:
        err.print(f"[bold red]error:[/] {exc}")
        sys.exit(int(ExitCode.STORE))
