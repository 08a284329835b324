"""``sinergi import``/``export`` at their edges: located messages and the documented exit codes.

Issue 12 §2 quotes: moving a company to another park exits 3 with an English-only message and
no location; a missing input file exits 1 (README: 3); ``--table bogus`` exits 1 (README: 2);
a corrupt SQLite file and an unwritable export path show tracebacks. Exit codes: 0 ok,
1 invalid input (nothing written), 2 usage, 3 database or file problem, 4 internal error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sinergi.cli import app
from sinergi.cli.common import ExitCode
from sinergi.examples import tiny_park
from sinergi.intake import initialise
from sinergi.io import write_file
from sinergi.store import Store

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path}/park.db"
    store = Store(url)
    initialise(store)
    store.save(tiny_park())
    other = tiny_park()
    other.parks["other-park"] = other.parks.pop("demo-park")
    other.parks["other-park"].id = "other-park"
    other.companies, other.facilities, other.processes, other.flows = {}, {}, {}, []
    other.workforce, other.safety, other.park_services = [], [], []
    store.save(other)
    store.close()
    return url


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "an import never moves a node"), ("id", "impor tidak pernah memindahkan simpul")],
)
def test_moving_a_company_is_a_located_validation_error_in_the_language_asked(
    db: str, tmp_path: Path, lang: str, words: str
) -> None:
    path = tmp_path / "companies.csv"
    path.write_text("id,park_id,name\ndemo-metal,other-park,Metal\n", "utf-8")
    result = runner.invoke(app, ["import", str(path), "--db", db, "--lang", lang])
    assert result.exit_code == ExitCode.INVALID
    assert "companies.csv" in result.output
    assert ("row 2" if lang == "en" else "baris 2") in result.output
    assert words in result.output
    assert "Traceback" not in result.output


def test_a_missing_input_file_is_a_file_problem(db: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", str(tmp_path / "nope.csv"), "--db", db])
    assert result.exit_code == ExitCode.STORE
    assert "nope.csv" in result.output


def test_an_unknown_table_is_a_usage_error_listing_the_tables(db: str, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,name\nr,R\n", "utf-8")
    result = runner.invoke(app, ["import", str(path), "--table", "bogus", "--db", db])
    assert result.exit_code == ExitCode.USAGE
    assert "'bogus' is not one of regions, parks, land_use" in result.output


@pytest.mark.parametrize("command", [["import", "IN"], ["export", "OUT"], ["parks", "list"]])
def test_a_corrupt_database_file_is_a_database_problem(command: list[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database " * 100)
    write_file(tiny_park(), tmp_path / "in.yaml")
    args = [
        {"IN": str(tmp_path / "in.yaml"), "OUT": str(tmp_path / "out.yaml")}.get(a, a)
        for a in command
    ]
    result = runner.invoke(app, [*args, "--db", f"sqlite:///{bad}"])
    assert result.exit_code == ExitCode.STORE
    assert "cannot be used" in result.output
    assert "Traceback" not in result.output


def test_an_unwritable_export_path_is_a_file_problem(db: str, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", "utf-8")
    for target in (blocker / "park.yaml", blocker / "csv"):
        result = runner.invoke(app, ["export", str(target), "--db", db])
        assert result.exit_code == ExitCode.STORE, result.output
        assert "cannot write" in result.output
        assert "Traceback" not in result.output


def test_exporting_an_unknown_park_is_a_usage_error(db: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", str(tmp_path / "x.yaml"), "--park", "nope", "--db", db])
    assert result.exit_code == ExitCode.USAGE
    assert "'nope'" in result.output


def test_an_import_that_crashes_is_exit_4_never_1(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr("sinergi.cli.data.import_files", broken)
    path = tmp_path / "park.yaml"
    write_file(tiny_park(), path)
    result = runner.invoke(app, ["import", str(path), "--db", db])
    assert result.exit_code == ExitCode.INTERNAL
    assert "internal error" in result.output


@pytest.mark.parametrize(("lang", "word"), [("en", "unchanged"), ("id", "tidak berubah")])
def test_a_reimport_says_unchanged_in_the_language_asked(
    db: str, tmp_path: Path, lang: str, word: str
) -> None:
    path = tmp_path / "park.yaml"
    result = runner.invoke(app, ["export", str(path), "--db", db])
    assert result.exit_code == ExitCode.OK
    result = runner.invoke(app, ["import", str(path), "--db", db, "--lang", lang])
    assert result.exit_code == ExitCode.OK
    assert f"park.yaml: {word}" in result.output
