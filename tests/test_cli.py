"""The CLI end to end: the demo job, import with errors, exit codes and JSON output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sinergi.cli import app
from sinergi.examples import tiny_park
from sinergi.io import write_file

runner = CliRunner()


@pytest.fixture(scope="module")
def first_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """Run the demo once for the tests that read its outputs (it takes half a minute)."""
    out = tmp_path_factory.mktemp("demo") / "out"
    result = runner.invoke(app, ["demo", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    return out, json.loads(result.stdout)


def test_demo_writes_its_outputs(first_demo):
    out, summary = first_demo
    assert summary["round_trip_identical"] is True
    assert summary["consistency_findings"] == []
    names = {p["id"] for p in summary["parks"]}
    assert {"kiic", "mm2100", "batamindo", "giic", "kim", "iwip", "imip"} <= names
    for name in (
        "summary.md",
        "summary.json",
        "demo-ecosystem.yaml",
        "demo-ecosystem.xlsx",
        "sinergi-template.xlsx",
        "sinergi.db",
        "footprints/footprints.json",
        "symbiosis/national.json",
        "symbiosis/iwip.id.html",
        "battery/battery-forecast.json",
        "battery/swap-station.json",
        "national/accounts-2023.json",
        "passport/pack-ev-1.public.json",
    ):
        assert (out / name).is_file(), name
    assert summary["symbiosis"]["scopes"]["national"]["status"] == "optimal"
    assert summary["footprints"]["t_co2e_per_t_ni"]["npi"]["baseline"] > 0
    assert "no park-specific route data" in summary["footprints"]["same_data_note"]
    assert all(p["tenants"] == p["synthetic_tenants"] for p in summary["parks"])
    markdown = (out / "summary.md").read_text("utf-8")
    for heading in (
        "## Assessments",
        "## Product carbon footprints (t CO2e per t Ni contained, GWP100)",
        "## Industrial symbiosis",
        "## Battery circularity",
        "## E-motorcycle local content",
    ):
        assert heading in markdown, heading
    assert "CO2e avoided (t/yr)" in markdown
    assert (out / "index.html").is_file()
    assert 'href="summary.md"' in (out / "index.html").read_text("utf-8")


def test_demo_twice_gives_the_same_summary(first_demo):
    out, one = first_demo
    second = runner.invoke(app, ["demo", "--out", str(out), "--json"])
    assert second.exit_code == 0, second.output
    two = json.loads(second.stdout)
    for key in ("parks", "symbiosis", "footprints", "battery_forecast"):
        assert one[key] == two[key], key


def test_import_reports_errors_and_exits_1(tmp_path):
    db = f"sqlite:///{tmp_path / 'x.db'}"
    bad = tmp_path / "flows.csv"
    bad.write_text(
        "period,source,target,commodity,quantity,unit\n2024,supplier,market,unobtainium,1,t\n",
        "utf-8",
    )
    result = runner.invoke(app, ["import", str(bad), "--db", db, "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report[0]["status"] == "rejected"
    assert report[0]["issues"][0]["code"] == "unknown_commodity"
    assert report[0]["issues"][0]["row"] == 2


def test_import_then_parks_list_and_show(tmp_path):
    db = f"sqlite:///{tmp_path / 'x.db'}"
    path = tmp_path / "park.yaml"
    write_file(tiny_park(), path)
    assert runner.invoke(app, ["import", str(path), "--db", db]).exit_code == 0
    again = runner.invoke(app, ["import", str(path), "--db", db, "--json"])
    assert json.loads(again.stdout)[0]["status"] == "unchanged"
    listed = runner.invoke(app, ["parks", "list", "--db", db, "--json"])
    assert [p["id"] for p in json.loads(listed.stdout)] == ["demo-park"]
    shown = runner.invoke(app, ["parks", "show", "demo-park", "--db", db, "--json"])
    report = json.loads(shown.stdout)
    assert report["tenants"] == 2
    assert report["totals"][0]["by_commodity"]["nickel_slag"]["quantity"] == 500.0
    assert report["totals"][0]["not_quantified"] == {"water_municipal": 1}


def test_check_strict_exits_1_on_findings(tmp_path):
    db = f"sqlite:///{tmp_path / 'x.db'}"
    path = tmp_path / "park.yaml"
    eco = tiny_park()
    eco.flows.pop(0)
    eco.flows.pop(0)  # the furnace now has outputs but no inputs
    write_file(eco, path)
    assert runner.invoke(app, ["import", str(path), "--db", db]).exit_code == 0
    result = runner.invoke(app, ["check", "--strict", "--db", db, "--json"])
    assert result.exit_code == 1
    assert [f["check"] for f in json.loads(result.stdout)] == ["outputs_without_inputs"]


def test_usage_error_exits_2():
    assert runner.invoke(app, ["import"]).exit_code == 2


def test_template_command_writes_a_workbook(tmp_path):
    target = tmp_path / "t.xlsx"
    assert runner.invoke(app, ["template", str(target)]).exit_code == 0
    assert target.stat().st_size > 0


def test_parks_delete_asks_then_deletes(tmp_path):
    db = f"sqlite:///{tmp_path / 'x.db'}"
    path = tmp_path / "park.yaml"
    write_file(tiny_park(), path)
    assert runner.invoke(app, ["import", str(path), "--db", db]).exit_code == 0
    refused = runner.invoke(app, ["parks", "delete", "demo-park", "--db", db], input="n\n")
    assert refused.exit_code == 2
    assert runner.invoke(app, ["parks", "delete", "demo-park", "--yes", "--db", db]).exit_code == 0
    listed = runner.invoke(app, ["parks", "list", "--db", db, "--json"])
    assert json.loads(listed.stdout) == []
    assert (
        runner.invoke(app, ["parks", "delete", "nope", "--yes", "--db", db]).exit_code == 2
    )  # an unknown park is a usage error


def test_json_output_is_not_mixed_with_solver_chatter(tmp_path):
    """HiGHS prints a banner on file descriptor 1; piped JSON must still parse."""
    import subprocess
    import sys

    from sinergi.store import Store

    url = f"sqlite:///{tmp_path / 's.db'}"
    store = Store(url)
    store.migrate()
    store.save(tiny_park())
    code = "from sinergi.cli import main; main()"
    args = ["symbiosis", "demo-park", "--format", "json", "--db", url]
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout)["solver"]["status"] == "optimal"


def test_python_dash_m_runs_the_same_cli_under_its_own_name():
    """``python -m sinergi`` works where the console script is not on PATH, and says ``sinergi``."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "sinergi", "national", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Usage: sinergi national" in done.stdout
    wrong = subprocess.run(
        [sys.executable, "-m", "sinergi", "no-such-command"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert wrong.returncode == 2
    assert "Traceback" not in wrong.stderr
