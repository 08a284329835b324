"""Bad files cost little: a thousand problems listed per file, the rest counted by kind.

Issue 12 §2 quotes a 2 MB CSV with 37,734 bad rows taking 60 s and 844 MB, and a 20 MB one
taking 12 min 49 s, 7.07 GB and printing 468 MB of errors (``bench/intake.py`` measures the
CLI on such files). Here: the limit, the counts, the output size, and progress reports.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sinergi.cli import app
from sinergi.errors import InputError
from sinergi.examples import tiny_park
from sinergi.intake import ImportProgress, import_files, initialise
from sinergi.io import MAX_LISTED, read_file
from sinergi.store import Store

HEADER = "period,source,target,commodity,quantity,unit\n"
KINDS = (  # one problem per row, each row with its own period (no repeated keys)
    "{period},supplier,market,coal,12.{i}x,t",  # not a number
    "{period},supplier,market,coal,{i},furlong",  # unit not accepted
    "{period},supplier,nowhere-{i},coal,{i},t",  # unknown id
)


def _bad_csv(path: Path, rows: int, first_year: int = 1901) -> Path:
    periods = [f"{first_year + i // 12}-{i % 12 + 1:02d}" for i in range(rows)]
    lines = [KINDS[i % len(KINDS)].format(i=i, period=periods[i]) for i in range(rows)]
    path.write_text(HEADER + "\n".join(lines) + "\n", "utf-8")
    return path


def test_a_file_lists_a_thousand_problems_and_counts_every_one_by_kind(tmp_path: Path) -> None:
    path = _bad_csv(tmp_path / "flows.csv", 3000)
    with pytest.raises(InputError) as caught:
        read_file(path)
    error = caught.value
    assert len(error.issues) == MAX_LISTED == 1000
    assert error.total == 3000
    assert error.unlisted == 2000
    assert error.counts == {
        "flows.csv": {"not_a_number": 1000, "unknown_unit": 1000, "unknown_reference": 1000}
    }
    assert max(i.row for i in error.issues) == 1001  # type: ignore[attr-defined]


def test_each_file_of_a_folder_has_its_own_limit(tmp_path: Path) -> None:
    _bad_csv(tmp_path / "a_flows.csv", 1500)
    _bad_csv(tmp_path / "b_flows.csv", 10, first_year=2100)
    with pytest.raises(InputError) as caught:
        read_file(tmp_path)
    files = [i.file for i in caught.value.issues]  # type: ignore[attr-defined]
    assert (files.count("a_flows.csv"), files.count("b_flows.csv")) == (1000, 10)


def test_the_cli_prints_a_bounded_report_that_names_each_file(tmp_path: Path) -> None:
    # issue: a directory import must name the file of each problem in the human output
    folder = tmp_path / "in"
    folder.mkdir()
    _bad_csv(folder / "flows.csv", 3500)
    (folder / "regions.csv").write_text("id,name\nr1,\n", "utf-8")
    db = f"sqlite:///{tmp_path}/x.db"
    result = CliRunner().invoke(app, ["import", str(folder), "--db", db, "--lang", "id"])
    assert result.exit_code == 1
    assert "flows.csv: 3.500 masalah" in result.output
    assert "regions.csv: 1 masalah" in result.output
    assert "2.500 masalah lain dalam flows.csv tidak dicantumkan" in result.output
    assert "bukan angka: 1.167" in result.output
    assert len(result.output) < 400_000  # 1,001 problems listed, not 3,501
    as_json = CliRunner().invoke(app, ["import", str(folder), "--db", db, "--json"])
    report = json.loads(as_json.stdout)[0]
    assert report["unlisted"] == 2500
    assert report["counts"]["flows.csv"]["not_a_number"] == 1167


class _Recorder(ImportProgress):
    def __init__(self) -> None:
        self.rows_seen: list[tuple[int, int | None]] = []
        self.stages: list[str] = []

    def rows(self, read: int, expected: int | None) -> None:
        self.rows_seen.append((read, expected))

    def stage(self, name: str) -> None:
        self.stages.append(name)


def test_a_large_import_reports_its_progress(store: Store, tmp_path: Path) -> None:
    initialise(store)
    store.save(tiny_park())
    path = tmp_path / "flows.csv"
    months = [f"{1901 + i // 12}-{i % 12 + 1:02d}" for i in range(2500)]
    lines = [f"{month},supplier,demo-metal.furnace,coal,{i},kg" for i, month in enumerate(months)]
    path.write_text(HEADER + "\n".join(lines) + "\n", "utf-8")
    recorder = _Recorder()
    import_files(store, [path], progress=recorder)
    assert recorder.rows_seen == [(1000, 2500), (2000, 2500), (2500, 2500)]
    assert recorder.stages == ["checking", "reading the stored data", "writing", "comparing"]
