"""What every command shares: the consoles, options, exit codes and the error mapping.

Exit codes (the README documents them): 0 ok; 1 the input is invalid and nothing was written;
2 usage (an unknown option value, product, park or period); 3 a database or file problem;
4 an internal error (a bug in sinergi, never in the user's data). Commands raise
:class:`~sinergi.errors.SinergiError` subclasses; :class:`SinergiGroup` turns each into one
clear message on standard error and its code, so no user error ever shows a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit, TyperException

from sinergi.errors import (
    FileProblem,
    NotFound,
    SinergiError,
    StoreError,
    UnknownName,
    UsageError,
)
from sinergi.i18n import N_, Language, gettext
from sinergi.i18n.messages import msg
from sinergi.model import Period

__all__ = [
    "DbOption",
    "ExitCode",
    "JsonOption",
    "LangOption",
    "OutOption",
    "SinergiGroup",
    "console",
    "emit_json",
    "err",
    "exit_code",
    "open_store",
    "parse_period",
    "progress",
    "warn_if_no_data",
    "write_output",
]

#: Standard output carries results only (so ``--format json`` can be piped); notices go to
#: standard error.
console = Console(highlight=False)
err = Console(stderr=True, highlight=False)


class ExitCode(IntEnum):
    """Documented process exit codes."""

    OK = 0
    INVALID = 1
    USAGE = 2
    STORE = 3
    INTERNAL = 4


def _database_error(exc: BaseException) -> bool:
    """Return whether ``exc`` is SQLAlchemy's (only possible once SQLAlchemy was imported).

    Looked up in ``sys.modules`` so that commands that never touch a database (the national
    accounts on a registry file) do not import SQLAlchemy at start-up.
    """
    module = sys.modules.get("sqlalchemy.exc")
    return module is not None and isinstance(exc, module.SQLAlchemyError)


def exit_code(exc: BaseException) -> ExitCode:
    """Return the exit code for an exception a command raised."""
    if isinstance(exc, UsageError | UnknownName | NotFound):
        return ExitCode.USAGE
    if isinstance(exc, StoreError | FileProblem):
        return ExitCode.STORE
    if isinstance(exc, SinergiError):
        return ExitCode.INVALID
    if isinstance(exc, OSError) or _database_error(exc):
        return ExitCode.STORE
    return ExitCode.INTERNAL


#: Where a command keeps the language it was given with ``--lang`` (``ctx.meta`` is shared by
#: the whole chain of click contexts, so the command group finds it when reporting an error).
_LANG_META = "sinergi.cli.language"


def _remember_language(ctx: typer.Context, param: typer.CallbackParam, value: Language) -> Language:
    """Keep ``--lang`` when the user typed it (or set it in the environment), for errors."""
    source = ctx.get_parameter_source(param.name or "lang")
    # compared by name: typer may carry its own copy of click and so of this enum
    if getattr(source, "name", None) in ("COMMANDLINE", "ENVIRONMENT"):
        ctx.meta[_LANG_META] = Language(value)
    return value


def report_error(exc: BaseException, lang: Language | None = None) -> ExitCode:
    """Print ``exc`` for a person on standard error and return its exit code.

    A sinergi error is printed in ``lang`` when one is given (the command's ``--lang``);
    otherwise in English, with an input file's problems in both languages.
    """
    code = exit_code(exc)
    if code is ExitCode.INTERNAL:
        err.print(
            f"[bold red]internal error[/] (a bug in sinergi, not in your data): "
            f"{type(exc).__name__}: {exc}\n"
            "Run again with SINERGI_DEBUG=1 to see the traceback, and please report it.",
            markup=True,
        )
    elif _database_error(exc):
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        err.print(
            f"[bold red]error:[/] the database cannot be used: {reason}. Check --db or "
            "$SINERGI_DATABASE_URL (is it a sinergi database? run 'sinergi init' to create one)"
        )
    elif isinstance(exc, OSError) and not isinstance(exc, SinergiError):
        where = f" {exc.filename}" if exc.filename else ""
        err.print(f"[bold red]error:[/] cannot use{where}: {exc.strerror or exc}")
    elif lang is not None and isinstance(exc, SinergiError):
        label = gettext(lang, N_("error"))
        err.print(f"[bold red]{label}:[/] ", end="")
        err.print(exc.localised(lang), markup=False)
    else:
        err.print("[bold red]error:[/] ", end="")
        err.print(str(exc), markup=False)
    return code


class SinergiGroup(TyperGroup):
    """The command group that maps every exception of every subcommand to its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (TyperException, Exit, Abort):
            raise
        except Exception as exc:
            if os.environ.get("SINERGI_DEBUG"):
                raise
            raise typer.Exit(int(report_error(exc, ctx.meta.get(_LANG_META)))) from exc


class TextFormat(StrEnum):
    """Output of commands that print a table or JSON."""

    text = "text"
    json = "json"


class ReportFormat(StrEnum):
    """Output of commands that also render an HTML report."""

    text = "text"
    json = "json"
    html = "html"


class DocumentFormat(StrEnum):
    """Output of commands that also render a PDF."""

    text = "text"
    json = "json"
    html = "html"
    pdf = "pdf"


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: $SINERGI_DATABASE_URL, else sqlite:///sinergi.db).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
LangOption = Annotated[
    Language,
    typer.Option(
        "--lang",
        help="Language of the report (and of error messages): id or en.",
        case_sensitive=False,
        callback=_remember_language,
    ),
]
OutOption = Annotated[
    Path | None, typer.Option("--out", help="Write the output to this file.", show_default=False)
]


def parse_period(value: str) -> Period:
    """Parse a ``--period`` option, turning a bad value into a usage error (exit 2)."""
    try:
        return Period.parse(value)
    except SinergiError as exc:
        raise typer.BadParameter(str(exc)) from None


def open_store(db: str | None) -> Any:
    """Return the store at ``db`` (or the default), created or upgraded and seeded."""
    from sinergi.intake import initialise
    from sinergi.store import database_url
    from sinergi.store.audited import AuditedStore

    # every write from the terminal is logged in the audit ledger as cli:<login>
    store = AuditedStore(database_url(db))
    initialise(store)
    return store


def emit_json(payload: Any) -> None:
    """Print ``payload`` as indented JSON on standard output."""
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")


def write_output(text: str, out: Path | None, lang: str = "en") -> None:
    """Print ``text`` to standard output, or write it to ``out`` and say so on standard error."""
    if out is None:
        sys.stdout.write(text + "\n")
        return
    write_file(out, text.encode("utf-8"), lang)


def write_file(out: Path, content: bytes, lang: str = "en") -> None:
    """Write ``content`` to ``out`` (creating folders) and say so; a failure is exit 3."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
    except OSError as exc:
        raise FileProblem(
            msg(
                N_("cannot write {path}: {reason}; choose another --out"),
                path=str(out),
                reason=str(exc.strerror or exc),
            )
        ) from None
    err.print(gettext(lang, N_("wrote {path}")).format(path=out), markup=False)


def warn_if_no_data(flows_in_period: int, period: str, where: str) -> None:
    """Warn on standard error when ``where`` holds no flows for ``period``."""
    if flows_in_period == 0:
        err.print(
            f"[yellow]warning:[/] {where} has no flows for period {period}; results are empty. "
            "See 'sinergi parks list' for the periods that hold data."
        )


@contextmanager
def progress(description: str, total: float | None = None) -> Iterator[Callable[..., None]]:
    """Show a progress bar on standard error (terminals only); yield ``update(done, total=None)``.

    Engines take a plain callback, so they stay free of Rich; the bar disappears when done.
    """
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f}/{task.total:,.0f}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    task = bar.add_task(description, total=total)

    def update(done: float, total: float | None = None, description: str | None = None) -> None:
        fields: dict[str, Any] = {"completed": done}
        if total is not None:
            fields["total"] = total
        if description is not None:
            fields["description"] = description
        bar.update(task, **fields)

    with bar:
        yield update
