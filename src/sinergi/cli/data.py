"""``sinergi init``, ``import``, ``export``, ``template`` and ``check``: data in and out.

``import`` reads every file given (and every CSV file of a folder) together and writes them
in one transaction, all or nothing; a rejected input lists its problems in the language
asked, each with its file, sheet, row and column (at most a thousand per file, the rest
counted by kind), and exits 1.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from sinergi.cli.common import (
    DbOption,
    ExitCode,
    JsonOption,
    LangOption,
    console,
    emit_json,
    err,
    open_store,
    progress,
)
from sinergi.cli.data_changes import change_line
from sinergi.errors import FileProblem, InputError
from sinergi.i18n import N_, Language, _, format_number
from sinergi.intake import ImportOutcome, ImportProgress, import_files
from sinergi.intake import export as export_parks
from sinergi.io import Issue, write_template
from sinergi.io.issues import CODE_LABELS
from sinergi.model.checks import check as run_checks
from sinergi.model.kinds import FILE_TABLES

__all__ = ["register"]

#: Diff lines printed after an import (all of them are in ``--json`` and the import log).
MAX_DIFF_LINES = 50

_STATUS = {"new": N_("new"), "unchanged": N_("unchanged"), "superseded": N_("superseded")}


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


class _Bar(ImportProgress):
    """Draw an import's progress on the shared Rich bar (rows read, then each step)."""

    def __init__(self, update: Callable[..., None], lang: str) -> None:
        self._update = update
        self._lang = lang
        self._rows = 0

    def rows(self, read: int, expected: int | None) -> None:
        self._rows = read
        self._update(read, total=max(expected or 0, read) or None)

    def stage(self, name: str) -> None:
        self._update(self._rows, description=_(self._lang, name))


def _table_name(value: str) -> str:
    """Accept a table name; anything else is a usage error (exit 2) listing the choices."""
    if value not in FILE_TABLES:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(FILE_TABLES)}")
    return value


TableOption = Annotated[
    str | None,
    typer.Option(
        "--table",
        parser=_table_name,
        help="Table the CSV files hold (default: from each file's name or header): "
        + ", ".join(FILE_TABLES)
        + ".",
        show_default=False,
    ),
]


def import_(
    files: Annotated[
        list[Path], typer.Argument(help="YAML, JSON, CSV or XLSX files, or folders of CSV files.")
    ],
    table: TableOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Language.en,
) -> None:
    """Import files together in one transaction; any problem rejects them all and is listed."""
    for path in files:
        if not path.exists():
            raise FileProblem(f"{path}: no such file or folder; check the path")
    store = open_store(db)
    try:
        with progress(_(lang, "reading"), None) as update:
            outcome = import_files(store, files, table=table, progress=_Bar(update, lang))
    except InputError as exc:
        if as_json:
            emit_json([_rejected_json(files, exc)])
        else:
            _print_rejected(exc, lang)
        raise typer.Exit(int(ExitCode.INVALID)) from None
    if as_json:
        emit_json([_outcome_json(files, outcome)])
    else:
        _print_outcome(files, outcome, lang)


def _names(files: list[Path]) -> str:
    return ", ".join(str(p) for p in files)


def _rejected_json(files: list[Path], exc: InputError) -> dict[str, Any]:
    fields = ("file", "sheet", "row", "column", "field", "code", "message_en", "message_id")
    return {
        "file": _names(files),
        "files": [str(p) for p in files],
        "status": "rejected",
        "issues": [{name: getattr(issue, name, None) for name in fields} for issue in exc.issues],
        "counts": exc.counts,
        "unlisted": exc.unlisted,
    }


def _outcome_json(files: list[Path], outcome: ImportOutcome) -> dict[str, Any]:
    result = outcome.result
    return {
        "file": _names(files),
        "files": [str(p) for p in files],
        "status": str(result.status),
        "import_id": result.import_id,
        "parsed": outcome.parsed,
        "parks": list(result.park_ids),
        "diff": result.diff.lines(),
    }


def _print_outcome(files: list[Path], outcome: ImportOutcome, lang: str) -> None:
    result = outcome.result
    status = _(lang, _STATUS[str(result.status)])
    if not outcome.parsed:
        console.print(
            _(
                lang,
                "{files}: {status}: the same input was the last import (#{id}) and nothing "
                "was written since",
            ).format(files=escape(_names(files)), status=status, id=result.import_id),
            soft_wrap=True,
        )
        return
    counts = _(lang, "{added} added, {removed} removed, {changed} changed").format(
        added=format_number(len(result.diff.added), lang),
        removed=format_number(len(result.diff.removed), lang),
        changed=format_number(len(result.diff.changed), lang),
    )
    console.print(f"[green]{escape(_names(files))}[/]: {status} ({counts})", soft_wrap=True)
    lines = [change_line(change, lang) for change in result.diff.changes]
    for line in lines[:MAX_DIFF_LINES]:
        console.print(f"  {escape(line)}", soft_wrap=True)
    if len(lines) > MAX_DIFF_LINES:
        more = format_number(len(lines) - MAX_DIFF_LINES, lang)
        more_changes = _(lang, "… and {count} more changes (all of them with --json)")
        console.print("  " + more_changes.format(count=more), soft_wrap=True)


def _place(issue: Issue, lang: str) -> str:
    parts = []
    if issue.sheet is not None:
        parts.append(_(lang, "sheet '{sheet}'").format(sheet=issue.sheet))
    if issue.row is not None:
        parts.append(_(lang, "row {row}").format(row=issue.row))
    if issue.column is not None or issue.field is not None:
        parts.append(_(lang, "column '{column}'").format(column=issue.column or issue.field))
    return ", ".join(parts)


def _print_rejected(exc: InputError, lang: str) -> None:
    by_file: dict[str, list[Issue]] = {}
    for issue in exc.issues:
        if isinstance(issue, Issue):
            by_file.setdefault(issue.file, []).append(issue)
    files = sorted(set(by_file) | set(exc.counts))
    err.print(
        "[bold red]"
        + escape(
            _(lang, "{count} problem(s) found; nothing was imported").format(
                count=format_number(exc.total, lang)
            )
        )
        + "[/]",
        soft_wrap=True,
    )
    for file in files:
        listed = by_file.get(file, [])
        total = sum(exc.counts.get(file, {}).values()) or len(listed)
        err.print(
            "\n[bold]"
            + escape(
                _(lang, "{file}: {count} problem(s)").format(
                    file=file, count=format_number(total, lang)
                )
            )
            + "[/]",
            soft_wrap=True,
        )
        for issue in listed:
            message = issue.message_id if lang == Language.id else issue.message_en
            where = _place(issue, lang)
            err.print(f"  {escape(where + ': ' if where else '')}{escape(message)}", soft_wrap=True)
        if total > len(listed):
            _print_counts(file, exc.counts.get(file, {}), total - len(listed), lang)


def _print_counts(file: str, counts: dict[str, int], unlisted: int, lang: str) -> None:
    heading = _(lang, "… {count} more problem(s) in {file} are not listed; all problems by kind:")
    err.print(
        "  " + escape(heading.format(count=format_number(unlisted, lang), file=file)),
        soft_wrap=True,
    )
    labels = {str(code): label for code, label in CODE_LABELS.items()}
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        label = _(lang, labels[code]) if code in labels else code
        err.print(f"    {escape(label)}: {format_number(count, lang)}")


def export(
    path: Annotated[
        Path, typer.Argument(help="Target: .yaml, .json, .xlsx, or a folder for CSV files.")
    ],
    park: Annotated[list[str] | None, typer.Option(help="Park id (repeat); default all.")] = None,
    db: DbOption = None,
) -> None:
    """Export parks from the database in the formats the importer reads, in a stable order."""
    for out in export_parks(open_store(db), path, park_ids=park):
        err.print(f"wrote {out}")


def template(
    path: Annotated[Path, typer.Argument(help="Where to write the XLSX template.")] = Path(
        "sinergi-template.xlsx"
    ),
) -> None:
    """Write the bilingual XLSX data-collection template (one sheet per record kind)."""
    err.print(f"wrote {write_template(path)}")


def check(
    park: Annotated[list[str] | None, typer.Option(help="Park id (repeat); default all.")] = None,
    strict: Annotated[bool, typer.Option(help="Exit 1 on any finding.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Language.en,
) -> None:
    """Run the consistency checks on stored parks and report every finding."""
    findings = run_checks(open_store(db).load(park), warn=False)
    if as_json:
        emit_json(
            [
                {
                    "check": f.check,
                    "where": f.where_in(lang),
                    "message": f.message_in(lang),
                }
                for f in findings
            ]
        )
    elif findings:
        title = _(lang, "{count} finding(s)").format(count=format_number(len(findings), lang))
        table = Table(title=title)
        for heading in (N_("check"), N_("where"), N_("problem")):
            table.add_column(_(lang, heading), overflow="fold")
        for f in findings:
            table.add_row(f.label_in(lang), f.where_in(lang), f.message_in(lang))
        console.print(table)
    else:
        console.print(_(lang, "no findings: the flow network is consistent"))
    raise typer.Exit(int(ExitCode.INVALID if strict and findings else ExitCode.OK))
