"""Command-line interface: a thin shell over the model, the io layer, the store and the engines.

One module per command group (``data``: init, import, export, template, check; ``parks``;
``demo``: demo, synth; ``assess``; ``footprint``; ``symbiosis`` with ``exchanges``; ``battery``
with ``swap``); the options, consoles and exit codes they share live in
:mod:`sinergi.cli.common`. Exit codes: 0 ok; 1 invalid input, nothing written; 2 usage;
3 database or file problem; 4 internal error.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Annotated

import typer

from sinergi import __version__
from sinergi.cli.common import ExitCode, SinergiGroup, console, report_error

__all__ = ["app", "main"]

#: Command groups that live in one module each: name -> (module, Typer attribute). Running
#: one of them imports only its module (the others' libraries cost a cold command a second).
_GROUPS: dict[str, tuple[str, str]] = {
    "users": ("users", "users_app"),
    "audit": ("audit", "audit_app"),
    "parks": ("parks", "parks_app"),
    "footprint": ("footprint", "footprint_app"),
    "battery": ("battery", "battery_app"),
    "emobility": ("emobility", "emobility_app"),
    "smelters": ("national", "smelters_app"),
    "national": ("national", "national_app"),
}
_full_app: typer.Typer | None = None


def _main(
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    if version:
        console.print(f"sinergi {__version__}")
        raise typer.Exit(0)


def _new_app() -> typer.Typer:
    out = typer.Typer(
        name="sinergi",
        cls=SinergiGroup,
        help="sinergi: eco-industrial parks, nickel-to-battery footprints, symbiosis, circularity.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    out.callback(invoke_without_command=True)(_main)
    return out


def _add_group(target: typer.Typer, name: str) -> None:
    module_name, attribute = _GROUPS[name]
    module = importlib.import_module(f"sinergi.cli.{module_name}")
    if name == "footprint":  # its openLCA commands join footprint_app when imported
        importlib.import_module("sinergi.cli.footprint_olca")
    target.add_typer(getattr(module, attribute), name=name)


def _register(target: typer.Typer) -> None:
    from sinergi.cli import assess, custody, data, demo, serve, symbiosis

    for module in (data, demo, assess, symbiosis, serve, custody):
        module.register(target)
    for name in _GROUPS:
        _add_group(target, name)


def _app() -> typer.Typer:
    """Return the application with every command (built once)."""
    global _full_app  # noqa: PLW0603 - built on first use, then shared
    if _full_app is None:
        _full_app = _new_app()
        _register(_full_app)
    return _full_app


def __getattr__(name: str) -> typer.Typer:
    """Return ``app``, the application with every command, built on first use (PEP 562)."""
    if name == "app":
        return _app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _app_for(args: list[str]) -> typer.Typer:
    """Return the application for a command line: only its group's module when it has one."""
    first = next((a for a in args if not a.startswith("-")), None)
    if first not in _GROUPS:
        return _app()
    only = _new_app()
    _add_group(only, first)
    return only


def main(prog_name: str | None = None) -> None:
    """Run the CLI; an exception that escapes the command group still never shows a traceback.

    ``prog_name`` names the command in usage lines (``python -m sinergi`` passes ``sinergi``).
    """
    try:
        _app_for(sys.argv[1:])(prog_name=prog_name)
    except Exception as exc:
        if os.environ.get("SINERGI_DEBUG"):
            raise
        sys.exit(int(report_error(exc)))
    sys.exit(int(ExitCode.OK))
