"""Every command behaves at its edges: bad arguments are usage errors, never tracebacks.

Exit codes as the README documents them: 0 ok, 1 invalid input (nothing written), 2 usage,
3 database or file problem, 4 internal error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from sinergi.cli import app
from sinergi.cli.common import ExitCode, exit_code
from sinergi.errors import (
    FileProblem,
    InputError,
    NotFound,
    StoreError,
    SymbiosisRuleError,
    UnknownName,
    UsageError,
)

runner = CliRunner()


def _leaves(command: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        return [prefix]
    found: list[tuple[str, ...]] = []
    for name, sub in sorted(subcommands.items()):
        found += _leaves(sub, (*prefix, name))
    return found


COMMANDS = _leaves(get_command(app))


def _db(path: tuple[str, ...], tmp_path: Path) -> list[str]:
    return ["--db", f"sqlite:///{tmp_path}/x.db"] if "--db" in _options(path) else []


def _options(path: tuple[str, ...]) -> set[str]:
    command = get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    return {opt for param in command.params for opt in getattr(param, "opts", [])}


def test_the_command_tree_is_discovered() -> None:
    assert ("footprint", "product") in COMMANDS
    assert ("battery", "swap") in COMMANDS
    assert ("import",) in COMMANDS
    assert len(COMMANDS) >= 20


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_an_unknown_option_is_a_usage_error_without_a_traceback(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--no-such-option"])
    assert result.exit_code == ExitCode.USAGE
    assert "Traceback" not in result.output
    assert "No such option" in result.output


@pytest.mark.parametrize("path", [p for p in COMMANDS if "--format" in _options(p)], ids=" ".join)
def test_an_unknown_format_lists_the_choices(path: tuple[str, ...], tmp_path: Path) -> None:
    result = runner.invoke(app, [*path, "--format", "docx", *_db(path, tmp_path)])
    assert result.exit_code == ExitCode.USAGE
    assert "'docx' is not one of" in result.output


@pytest.mark.parametrize("path", [p for p in COMMANDS if "--lang" in _options(p)], ids=" ".join)
def test_an_unknown_language_lists_the_choices(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--lang", "fr"])
    assert result.exit_code == ExitCode.USAGE
    assert "'fr' is not one of 'en', 'id'" in result.output


#: Commands whose --period is not a calendar period (their own cases are below).
OTHER_PERIODS = {("custody", "balance"), ("footprint", "battery"), ("footprint", "product")}


@pytest.mark.parametrize(
    "path",
    [p for p in COMMANDS if "--period" in _options(p) and p not in OTHER_PERIODS],
    ids=" ".join,
)
def test_a_malformed_period_is_a_usage_error(path: tuple[str, ...], tmp_path: Path) -> None:
    result = runner.invoke(app, [*path, "some-park", "--period", "20x4", *_db(path, tmp_path)])
    assert result.exit_code == ExitCode.USAGE
    assert "write 2024 or 2024-03" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("footprint", "product", "mhp-plant"),
        ("footprint", "battery", "--chemistry", "NMC811"),
    ],
    ids=" ".join,
)
def test_a_malformed_plant_period_is_a_usage_error(args: tuple[str, ...], tmp_path: Path) -> None:
    # the footprint commands take --period only with --plant (the plant's reported flows)
    db = f"sqlite:///{tmp_path / 'plant.db'}"
    result = runner.invoke(app, [*args, "--plant", "p", "--period", "20x4", "--db", db])
    assert result.exit_code == ExitCode.USAGE
    assert "write 2024 or 2024-03" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InputError([]), ExitCode.INVALID),
        (SymbiosisRuleError("rules.yaml: bad"), ExitCode.INVALID),
        (UsageError("x"), ExitCode.USAGE),
        (UnknownName("x"), ExitCode.USAGE),
        (NotFound("x"), ExitCode.USAGE),
        (StoreError("x"), ExitCode.STORE),
        (FileProblem("x"), ExitCode.STORE),
        (PermissionError("x"), ExitCode.STORE),
        (ZeroDivisionError("x"), ExitCode.INTERNAL),
    ],
)
def test_each_kind_of_failure_has_its_documented_exit_code(
    error: BaseException, code: ExitCode
) -> None:
    assert exit_code(error) is code


def test_a_bug_is_exit_4_with_a_message_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("sinergi.cli.demo.Store", broken, raising=False)
    monkeypatch.setattr("sinergi.store.Store", broken)
    monkeypatch.setattr("sinergi.store.audited.AuditedStore", broken)  # what the demo opens
    result = runner.invoke(app, ["demo", "--out", "/tmp/sinergi-never-written"])
    assert result.exit_code == ExitCode.INTERNAL
    assert "internal error" in result.output
    assert "Traceback" not in result.output


def test_a_missing_input_file_is_a_file_problem(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["import", str(tmp_path / "nope.csv"), "--db", f"sqlite:///{tmp_path}/x.db"]
    )
    assert result.exit_code == ExitCode.STORE
    assert "nope.csv" in result.output


def test_a_corrupt_database_file_is_a_database_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_text("this is not a database " * 100, "utf-8")
    result = runner.invoke(app, ["parks", "list", "--db", f"sqlite:///{bad}"])
    assert result.exit_code == ExitCode.STORE
    assert "cannot be used" in result.output
    assert "Traceback" not in result.output


def test_an_unwritable_output_path_is_a_file_problem(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    result = runner.invoke(
        app, ["footprint", "product", "npi", "--format", "json", "--out", str(blocker / "x.json")]
    )
    assert result.exit_code == ExitCode.STORE
    assert "cannot write" in result.output


def test_typer_exit_codes_raised_by_commands_pass_through() -> None:
    assert isinstance(typer.Exit(1), Exception)
    result = runner.invoke(app, ["check", "--strict", "--db", "sqlite:///:memory:"])
    assert result.exit_code == ExitCode.OK


def test_a_large_save_reports_each_step_it_takes(tmp_path: Path) -> None:
    from sinergi.demo import synthesise
    from sinergi.store import Store
    from sinergi.store.write import PERIODIC_KEYS

    steps: list[str] = []
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    store.migrate()
    store.save(synthesise(companies=20, parks=2, seed=1), progress=steps.append)
    assert steps == ["nodes", *PERIODIC_KEYS]


def test_the_progress_bar_draws_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from rich.console import Console

    from sinergi.cli import common

    screen = io.StringIO()
    monkeypatch.setattr(common, "err", Console(file=screen, force_terminal=True, width=80))
    with common.progress("loading flows", total=4) as update:
        update(2)
    assert "loading flows" in screen.getvalue()


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["national", "accounts", "--year", "2023", "--registry", "nope.xlsx"], 3, "nope.xlsx"),
        (["national", "accounts", "--year", "1200"], 2, "greater than or equal"),
        (["national", "accounts", "--year", "2023", "--mc", "-4"], 2, "greater than or equal"),
        (
            ["national", "accounts", "--year", "2023", "--utilisation", "1.5"],
            2,
            "--utilisation 1.5: 1.5 is not a utilisation",
        ),
        (
            ["national", "accounts", "--year", "2023", "--utilisation", "hpal=0.5"],
            2,
            "hpal is not a route",
        ),
        (["national", "accounts", "--year", "2023", "--utilisation", "most"], 2, "--utilisation"),
        (["national", "scenario", "no-such-scenario"], 2, "not a shipped scenario"),
        (["national", "scenario", "baseline", "--to", "3000"], 2, "less than or equal"),
        (["national", "compare", "baseline"], 2, "Missing argument"),
        (["smelters", "show"], 2, "Missing argument"),
        (["smelters", "import", "nope.xlsx"], 3, "nope.xlsx"),
        (["smelters", "synth", "--plants", "0", "--out", "x.xlsx"], 2, "greater than or equal"),
    ],
)
def test_national_commands_refuse_bad_arguments_with_their_exit_codes(
    args: list[str], code: int, words: str, tmp_path: Path
) -> None:
    result = runner.invoke(
        app,
        [
            *args,
            *(
                ["--db", f"sqlite:///{tmp_path}/x.db"]
                if args[1] in ("accounts", "scenario", "import")
                else []
            ),
        ],
    )
    assert result.exit_code == code, result.output
    assert words in result.output
    assert "Traceback" not in result.output


def test_national_commands_without_smelters_say_how_to_get_some(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["national", "accounts", "--year", "2023", "--db", f"sqlite:///{tmp_path}/x.db"]
    )
    assert result.exit_code == ExitCode.USAGE
    assert "sinergi smelters import" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["custody", "balance", "--site", "x", "--period", "20x4"], "write an accounting period"),
        (["custody", "balance", "--site", "x", "--period", "2026-P5"], "a year has 4 periods"),
        (
            ["custody", "balance", "--site", "x", "--period", "2026-P1", "--months", "5"],
            "must divide a year",
        ),
        (["custody", "balance", "--site", "nowhere", "--period", "2026-01"], "no custody model"),
        (["lots", "trace", "NO-SUCH-LOT"], "is not in the database"),
        (["lots", "show", "NO-SUCH-LOT"], "is not in the database"),
        (["passport", "NO-SUCH-PACK"], "is not in the database"),
        (["passport", "X", "--audience", "press"], "'press' is not one of"),
        (["lots", "template", "--out", "x.csv"], "must end in .xlsx"),
        (["custody", "synth", "--lots", "3"], "greater than or equal to 16"),
    ],
)
def test_custody_commands_refuse_bad_arguments_with_exit_2(
    args: list[str], message: str, tmp_path: Path
) -> None:
    db = [] if "template" in args else ["--db", f"sqlite:///{tmp_path}/c.db"]
    result = runner.invoke(app, [*args, *db])
    assert result.exit_code == ExitCode.USAGE, result.output
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_a_missing_custody_file_is_a_file_problem(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["lots", "import", str(tmp_path / "nope.csv"), "--db", f"sqlite:///{tmp_path}/c.db"]
    )
    assert result.exit_code == ExitCode.STORE
    assert "nope.csv" in result.output
