"""The assess command: formats, target period, judgements, comparison across parks and periods."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sinergi.cli import app
from sinergi.examples import tiny_park
from sinergi.io import write_file

runner = CliRunner()
JUDGEMENTS = Path(__file__).parent.parent / "docs" / "examples" / "judgements-demo-park.yaml"


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    for period in ("2023", "2024", "2027"):
        path = tmp_path / f"park-{period}.yaml"
        write_file(tiny_park(period), path)
        assert runner.invoke(app, ["import", str(path), "--db", url]).exit_code == 0
    return url


def _json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_assess_json_has_scores_gaps_and_sources(db):
    data = _json(runner.invoke(app, ["assess", "demo-park", "--db", db, "--format", "json"]))
    assert [c["score"] for c in data["criteria"]] == [3.0, 2.0, 2.0]
    assert data["complete"] is False
    assert data["gaps"][0]["criterion"] == "1.1.b"
    assert all("pasal.id" in c["source"] for c in data["criteria"])
    assert data["criteria"][0]["indicator"]["rows"] == 1


def test_assess_with_judgements_and_target(db):
    data = _json(
        runner.invoke(
            app,
            [
                "assess",
                "demo-park",
                "--standard",
                "eip-framework-2.0",
                "--judgements",
                str(JUDGEMENTS),
                "--target",
                "2027",
                "--db",
                db,
                "--format",
                "json",
            ],
        )
    )
    statuses = {c["id"]: c["status"] for c in data["criteria"]}
    assert statuses["PM-GEN-1"] == "met"
    assert statuses["PM-PZ-1"] == "partly_met"
    assert data["prerequisites_met"] is False  # PM-PZ-1 is a gate and only partly met
    assert data["target"]["period"] == "2027"


def test_assess_compare_gives_a_row_per_park_and_period(db):
    rows = _json(
        runner.invoke(
            app,
            [
                "assess",
                "compare",
                "--period",
                "2023",
                "--period",
                "2024",
                "--db",
                db,
                "--format",
                "json",
            ],
        )
    )
    assert [(r["park_id"], r["period"]) for r in rows] == [
        ("demo-park", "2023"),
        ("demo-park", "2024"),
    ]
    # 1.1.a met (1) + 1.1.b and 1.1.c partly met (0.5 each), over 3 criteria
    assert rows[0]["share_met"]["infrastructure"] == pytest.approx(2 / 3)


def test_assess_writes_html_and_pdf(db, tmp_path):
    html = tmp_path / "r.html"
    pdf = tmp_path / "r.pdf"
    base = ["assess", "demo-park", "--db", db, "--lang", "id"]
    assert runner.invoke(app, [*base, "--format", "html", "--out", str(html)]).exit_code == 0
    assert runner.invoke(app, [*base, "--format", "pdf", "--out", str(pdf)]).exit_code == 0
    assert "Penilaian kawasan" in html.read_text("utf-8")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_bad_judgements_file_is_rejected_with_its_place(db, tmp_path):
    bad = tmp_path / "j.yaml"
    bad.write_text(
        "pack: eip-framework-2.0\npark: demo-park\nperiod: '2024'\njudgements:\n"
        "  - {criterion: XX-1, status: met, evidence: e}\n",
        "utf-8",
    )
    result = runner.invoke(
        app,
        [
            "assess",
            "demo-park",
            "--standard",
            "eip-framework-2.0",
            "--judgements",
            str(bad),
            "--db",
            db,
        ],
    )
    assert result.exit_code == 1
    assert "judgements[0].criterion" in result.output


def test_unknown_park_is_a_usage_error_exit_2(db):
    assert runner.invoke(app, ["assess", "nowhere", "--db", db]).exit_code == 2


def test_self_declaration_draft_is_prefilled_and_marked_draft(db, tmp_path):
    data = _json(runner.invoke(app, ["declaration", "demo-park", "--db", db, "--json"]))
    assert data["status"] == "draft"
    assert data["estate"]["area_ha"] == 100.0
    assert [v["value"] for v in data["variables"]] == [68.0, 12.0, 9.0]
    assert any("environment" in n for n in data["to_fill_by_hand"])
    out = tmp_path / "d.html"
    assert (
        runner.invoke(app, ["declaration", "demo-park", "--db", db, "--out", str(out)]).exit_code
        == 0
    )
    assert "DRAF" in out.read_text("utf-8")
