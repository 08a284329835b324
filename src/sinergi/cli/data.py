"""``sinergi init``, ``import``, ``export``, ``template`` and ``check``: data in and out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from sinergi.cli.common import (
    DbOption,
    ExitCode,
    JsonOption,
    console,
    emit_json,
    err,
    open_store,
)
from sinergi.errors import FileProblem, InputError, UnsafeInput
from sinergi.intake import import_file
from sinergi.io import write_file, write_template
from sinergi.model.checks import check as run_checks

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command()(init)
    app.command("import")(import_)
    app.command()(export)
    app.command()(template)
    app.command()(check)


def init(db: DbOption = None) -> None:
    """Create or upgrade the database and seed the shipped reference nodes."""
    store = open_store(db)
    console.print(f"database ready: {store.url}")


def import_(
    files: Annotated[list[Path], typer.Argument(help="YAML, JSON, CSV or XLSX files.")],
    table: Annotated[
        str | None, typer.Option(help="Table of a CSV file (default: from its name).")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import files; a file with any error is rejected whole and every error is listed."""
    for path in files:
        if not path.exists():
            raise FileProblem(f"{path}: no such file or folder; check the path")
    store = open_store(db)
    reports: list[dict[str, Any]] = []
    failed = False
    for path in files:
        try:
            with (Console(quiet=True) if as_json else err).status(f"importing {path}…"):
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
        emit_json(reports)
    raise typer.Exit(int(ExitCode.INVALID if failed else ExitCode.OK))


def _issue_json(issue: Any) -> dict[str, Any]:
    fields = ("file", "sheet", "row", "column", "field", "code", "message_en", "message_id")
    return {name: getattr(issue, name, None) for name in fields}


def _print_issues(path: Path, issues: list[Any]) -> None:
    table = Table(title=f"{path}: {len(issues)} problem(s); nothing was imported", show_lines=False)
    for heading in ("file", "sheet", "row", "column", "problem / masalah"):
        table.add_column(heading, overflow="fold")
    for issue in issues:
        table.add_row(
            str(getattr(issue, "file", "") or ""),
            str(getattr(issue, "sheet", "") or ""),
            str(getattr(issue, "row", "") or ""),
            str(getattr(issue, "column", None) or getattr(issue, "field", "") or ""),
            f"{issue.message_en}\n[dim]{issue.message_id}[/]",
        )
    err.print(table)


def export(
    path: Annotated[
        Path, typer.Argument(help="Target: .yaml, .json, .xlsx, or a directory for CSV.")
    ],
    park: Annotated[list[str] | None, typer.Option(help="Park id (repeat); default all.")] = None,
    db: DbOption = None,
) -> None:
    """Export parks from the database in the same formats the importer reads."""
    eco = open_store(db).load(park)
    try:
        written = write_file(eco, path, park_ids=park)
    except OSError as exc:
        raise FileProblem(
            f"cannot write {path}: {exc.strerror or exc}; choose another path"
        ) from None
    for out in written:
        err.print(f"wrote {out}")


def template(
    path: Annotated[Path, typer.Argument(help="Where to write the XLSX template.")] = Path(
        "sinergi-template.xlsx"
    ),
) -> None:
    """Write the bilingual XLSX data-collection template (one sheet per record kind)."""
    try:
        written = write_template(path)
    except OSError as exc:
        raise FileProblem(
            f"cannot write {path}: {exc.strerror or exc}; choose another path"
        ) from None
    err.print(f"wrote {written}")


def check(
    park: Annotated[list[str] | None, typer.Option(help="Park id (repeat); default all.")] = None,
    strict: Annotated[bool, typer.Option(help="Exit 1 on any finding.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run the consistency checks on stored parks and report every finding."""
    findings = run_checks(open_store(db).load(park), warn=False)
    if as_json:
        emit_json([{"check": f.check, "where": f.where, "message": f.message} for f in findings])
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
