"""Start-up of the CLI: a command group imports only its own module's libraries."""

from __future__ import annotations

import subprocess
import sys

import typer

import sinergi.cli


def _group_names(app: typer.Typer) -> set[str]:
    return {str(group.name) for group in app.registered_groups}


def test_a_group_command_line_builds_only_that_group() -> None:
    only = sinergi.cli._app_for(["national", "accounts", "--year", "2023"])
    assert _group_names(only) == {"national"}
    assert not only.registered_commands  # init, import, demo, assess … are not loaded
    assert _group_names(sinergi.cli._app_for(["smelters", "synth"])) == {"smelters"}


def test_other_command_lines_and_the_imported_app_have_every_command() -> None:
    every = sinergi.cli.app
    assert {"national", "smelters", "footprint", "battery", "parks"} <= _group_names(every)
    assert every.registered_commands  # the top-level commands (init, import, demo, …)
    assert sinergi.cli._app_for(["--version"]) is every
    assert sinergi.cli._app_for(["init", "--db", "x"]) is every


def test_national_commands_do_not_import_the_database_or_scipy_stats() -> None:
    code = (
        "import sys\n"
        "from sinergi.cli import _app_for\n"
        "_app_for(['national', 'accounts'])\n"
        "print(sorted(m for m in ('sqlalchemy', 'scipy.stats') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
