"""Command-line interface: a thin shell over the model, the io layer, the store and the engines.

One module per command group (``data``: init, import, export, template, check; ``parks``;
``demo``: demo, synth; ``assess``; ``footprint``; ``symbiosis`` with ``exchanges``; ``battery``
with ``swap``); the options, consoles and exit codes they share live in
:mod:`sinergi.cli.common`. Exit codes: 0 ok; 1 invalid input, nothing written; 2 usage;
3 database or file problem; 4 internal error.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from sinergi import __version__
from sinergi.cli.common import ExitCode, SinergiGroup, console, report_error

__all__ = ["app", "main"]

app = typer.Typer(
    name="sinergi",
    cls=SinergiGroup,
    help="sinergi: eco-industrial parks, nickel-to-battery footprints, symbiosis, circularity.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback(invoke_without_command=True)
def _main(
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    if version:
        console.print(f"sinergi {__version__}")
        raise typer.Exit(0)


def _register() -> None:
    from sinergi.cli import (
        assess,
        audit,
        battery,
        custody,
        data,
        demo,
        emobility,
        footprint,
        footprint_olca,
        national,
        parks,
        serve,
        symbiosis,
        users,
    )

    del footprint_olca  # its commands join footprint_app when imported
    for module in (data, demo, assess, symbiosis, serve, custody):
        module.register(app)
    app.add_typer(users.users_app, name="users")
    app.add_typer(audit.audit_app, name="audit")
    app.add_typer(parks.parks_app, name="parks")
    app.add_typer(footprint.footprint_app, name="footprint")
    app.add_typer(battery.battery_app, name="battery")
    app.add_typer(emobility.emobility_app, name="emobility")
    app.add_typer(national.smelters_app, name="smelters")
    app.add_typer(national.national_app, name="national")


_register()


def main(prog_name: str | None = None) -> None:
    """Run the CLI; an exception that escapes the command group still never shows a traceback.

    ``prog_name`` names the command in usage lines (``python -m sinergi`` passes ``sinergi``).
    """
    try:
        app(prog_name=prog_name)
    except Exception as exc:
        if os.environ.get("SINERGI_DEBUG"):
            raise
        sys.exit(int(report_error(exc)))
    sys.exit(int(ExitCode.OK))
