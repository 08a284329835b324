"""The assess, declaration and judgements commands: formats, languages, targets, judgements."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sinergi.cli import app
from sinergi.examples import tiny_park
from sinergi.io import write_file

runner = CliRunner()
JUDGEMENTS = Path(__file__).parent.parent / "docs" / "examples" / "judgements-demo-park.yaml"
EIP = ["--standard", "eip-framework-2.0"]


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    for period in ("2023", "2024", "2027"):
        path = tmp_path / f"park-{period}.yaml"
        write_file(tiny_park(period), path)
        assert runner.invoke(app, ["import", str(path), "--db", url]).exit_code == 0
    return url


def _said(result) -> str:
    """Return what a command printed, with line wrapping undone."""
    return " ".join(result.output.split())


def _ok(result):
    assert result.exit_code == 0, result.output
    return result


def _json(result):
    return json.loads(_ok(result).stdout)


def _judgements(
    tmp_path: Path, park: str = "demo-park", period: str = "2024", body: str = ""
) -> Path:
    path = tmp_path / f"j-{park}-{period}.yaml"
    body = body or (
        "  - {criterion: PM-GEN-1, status: met, evidence: 'Permit register'}\n"
        "  - {criterion: PM-PZ-1, status: partly_met, evidence: 'KKPR pending'}\n"
    )
    path.write_text(
        f"pack: eip-framework-2.0\npark: {park}\nperiod: '{period}'\njudgements:\n{body}", "utf-8"
    )
    return path


def test_assess_json_has_scores_gaps_and_sources(db):
    data = _json(runner.invoke(app, ["assess", "demo-park", "--db", db, "--format", "json"]))
    assert [c["score"] for c in data["criteria"]] == [3.0, 2.0, 2.0]
    assert [c["band"] for c in data["criteria"]][1] == "10 % to 15 % of the estate's area"
    assert data["complete"] is False
    assert data["gaps"][0]["criterion"] == "1.1.b"
    assert all("Kementerian Perindustrian" in c["source"] for c in data["criteria"])
    assert any("pasal.id" in r for r in data["pack"]["references"])
    assert data["criteria"][0]["indicator"]["rows"] == 1


def test_assess_with_judgements_and_target(db, tmp_path):
    aimed = _judgements(
        tmp_path, period="2027", body="  - {criterion: PM-PZ-1, status: met, evidence: planned}\n"
    )
    data = _json(
        runner.invoke(
            app,
            [
                "assess",
                "demo-park",
                *EIP,
                "--judgements",
                str(JUDGEMENTS),
                "--target",
                "2027",
                "--target-judgements",
                str(aimed),
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
    row = next(r for r in data["target"]["comparison"] if r["criterion"] == "PM-PZ-1")
    assert (row["current"], row["target"], row["change"]) == ("partly_met", "met", "better")


def test_the_target_changes_the_html_and_the_pdf(db, tmp_path):
    base = ["assess", "demo-park", *EIP, "--db", db, "--lang", "id"]
    plain, aimed = tmp_path / "a.html", tmp_path / "b.html"
    _ok(runner.invoke(app, [*base, "--format", "html", "--out", str(plain)]))
    _ok(runner.invoke(app, [*base, "--target", "2027", "--format", "html", "--out", str(aimed)]))
    assert plain.read_bytes() != aimed.read_bytes()
    assert "Saat ini (2024) dan target (2027)" in aimed.read_text("utf-8")
    pdf = tmp_path / "b.pdf"
    _ok(runner.invoke(app, [*base, "--target", "2027", "--format", "pdf", "--out", str(pdf)]))
    assert b"Saat ini \\(2024\\) dan target \\(2027\\)" in _inflate(pdf.read_bytes())


def _inflate(pdf: bytes) -> bytes:
    import contextlib
    import zlib

    text = pdf
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            text += zlib.decompress(match.group(1))
    return text


def test_target_judgements_need_a_target_period(db, tmp_path):
    result = runner.invoke(
        app,
        [
            "assess",
            "demo-park",
            *EIP,
            "--target-judgements",
            str(_judgements(tmp_path)),
            "--db",
            db,
        ],
    )
    assert result.exit_code == 2
    assert "--target-judgements needs --target" in _said(result)


@pytest.mark.parametrize(
    ("park", "period", "place", "found"),
    [("kiic", "2024", "park", "'kiic'"), ("demo-park", "2023", "period", "'2023'")],
    ids=["another_park", "another_period"],
)
def test_judgements_for_another_park_or_period_are_refused(
    db, tmp_path, park, period, place, found
):
    path = _judgements(tmp_path, park, period)
    result = runner.invoke(
        app, ["assess", "demo-park", *EIP, "--judgements", str(path), "--db", db]
    )
    assert result.exit_code == 1
    assert f"{path.name}: {place}: these judgements are for the {place} {found}" in _said(result)


def test_judgements_for_another_standard_are_refused(db):
    result = runner.invoke(
        app, ["assess", "demo-park", "--judgements", str(JUDGEMENTS), "--db", db]
    )
    assert result.exit_code == 1
    assert "pack: these judgements are for the standard 'eip-framework-2.0'" in _said(result)


def test_judgement_problems_are_printed_in_the_chosen_language(db, tmp_path):
    path = _judgements(tmp_path, "kiic")
    result = runner.invoke(
        app, ["assess", "demo-park", *EIP, "--judgements", str(path), "--db", db, "--lang", "id"]
    )
    assert result.exit_code == 1
    assert "penilaian ini untuk kawasan 'kiic'" in _said(result)


def test_bad_judgements_file_is_rejected_with_its_place(db, tmp_path):
    bad = _judgements(tmp_path, body="  - {criterion: XX-1, status: met, evidence: e}\n")
    result = runner.invoke(app, ["assess", "demo-park", *EIP, "--judgements", str(bad), "--db", db])
    assert result.exit_code == 1
    assert "judgements[0].criterion" in _said(result)


def test_a_missing_judgements_file_is_a_file_problem(db, tmp_path):
    missing = tmp_path / "nope.yaml"
    result = runner.invoke(
        app, ["assess", "demo-park", *EIP, "--judgements", str(missing), "--db", db]
    )
    assert result.exit_code == 3
    assert "no such judgements file" in _said(result)


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


def test_compare_prints_words_in_the_chosen_language(db):
    result = _ok(
        runner.invoke(
            app, ["assess", "compare", *EIP, "--db", db, "--lang", "id"], env={"COLUMNS": "200"}
        )
    )
    assert "prasyarat belum semua dinilai" in result.output
    assert "None" not in result.output


def test_assess_writes_html_and_pdf(db, tmp_path):
    html = tmp_path / "r.html"
    pdf = tmp_path / "r.pdf"
    base = ["assess", "demo-park", "--db", db, "--lang", "id"]
    _ok(runner.invoke(app, [*base, "--format", "html", "--out", str(html)]))
    _ok(runner.invoke(app, [*base, "--format", "pdf", "--out", str(pdf)]))
    assert "Penilaian kawasan" in html.read_text("utf-8")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_text_output_is_in_the_chosen_language(db):
    result = _ok(runner.invoke(app, ["assess", "demo-park", "--db", db, "--lang", "id"]))
    assert "Belum lengkap" in result.output
    assert "kesenjangan 1.1.b: 12,0 % (skor 2) → lebih dari 15%" in _said(result)


def test_unknown_park_is_a_usage_error(db):
    assert runner.invoke(app, ["assess", "nowhere", "--db", db]).exit_code == 2
    bahasa = runner.invoke(app, ["assess", "nowhere", "--db", db, "--lang", "id"])
    assert bahasa.exit_code == 2
    assert "kawasan 'nowhere' tidak ada di basis data" in _said(bahasa)


def test_unknown_standard_is_a_usage_error_naming_the_choices(db):
    result = runner.invoke(app, ["assess", "demo-park", "--standard", "iso", "--db", db])
    assert result.exit_code == 2
    assert "shipped packs: eip-framework-2.0, permenperin-26-2025" in _said(result)


def test_self_declaration_draft_is_prefilled_and_marked_draft(db, tmp_path):
    data = _json(runner.invoke(app, ["declaration", "demo-park", "--db", db, "--json"]))
    assert data["status"] == "draft"
    assert data["estate"]["area_ha"] == 100.0
    assert [v["value"] for v in data["variables"]] == [68.0, 12.0, 9.0]
    assert {n["part"] for n in data["to_fill_by_hand"]} == {"1.2+", "environment", "management"}
    out = tmp_path / "d.html"
    _ok(runner.invoke(app, ["declaration", "demo-park", "--db", db, "--out", str(out)]))
    assert "DRAF" in out.read_text("utf-8")
    english = tmp_path / "e.html"
    _ok(
        runner.invoke(
            app, ["declaration", "demo-park", "--db", db, "--lang", "en", "--out", str(english)]
        )
    )
    assert "DRAFT — Self-declaration" in english.read_text("utf-8")


# -- the judgements form ------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".xlsx", ".yaml"])
def test_the_judgements_template_is_read_back_by_assess(db, tmp_path, suffix):
    form = tmp_path / f"form{suffix}"
    result = _ok(
        runner.invoke(
            app,
            [
                "judgements",
                "template",
                "demo-park",
                *EIP,
                "--period",
                "2024",
                "--out",
                str(form),
                "--db",
                db,
            ],
        )
    )
    assert "39 criteria to judge" in _said(result)
    if suffix == ".xlsx":
        book = openpyxl.load_workbook(form)
        sheet = book["Judgements"]
        for row in sheet.iter_rows(min_row=6):
            if row[0].value == "SOC-SM-5":
                row[5].value, row[6].value = "not met", "No grievance mechanism"
        book.save(form)
    else:
        text = form.read_text("utf-8").replace(
            '  - criterion: "SOC-SM-5"\n    status:\n    evidence:\n',
            '  - criterion: "SOC-SM-5"\n    status: not met\n'
            "    evidence: No grievance mechanism\n",
        )
        form.write_text(text, "utf-8")
    data = _json(
        runner.invoke(
            app,
            [
                "assess",
                "demo-park",
                *EIP,
                "--judgements",
                str(form),
                "--db",
                db,
                "--format",
                "json",
            ],
        )
    )
    row = next(c for c in data["criteria"] if c["id"] == "SOC-SM-5")
    assert (row["status"], row["evidence"]) == ("not_met", "No grievance mechanism")


def test_the_template_refuses_another_suffix_and_a_pack_without_judged_criteria(db, tmp_path):
    csv = runner.invoke(
        app, ["judgements", "template", "demo-park", "--out", str(tmp_path / "f.csv"), "--db", db]
    )
    assert csv.exit_code == 2
    assert ".xlsx or .yaml" in _said(csv)
    none = runner.invoke(
        app,
        [
            "judgements",
            "template",
            "demo-park",
            "--standard",
            "permenperin-26-2025",
            "--out",
            str(tmp_path / "f.yaml"),
            "--db",
            db,
        ],
    )
    assert none.exit_code == 2
    assert "no criterion a person judges" in _said(none)


def test_the_template_for_an_unknown_park_is_a_usage_error(db, tmp_path):
    result = runner.invoke(
        app, ["judgements", "template", "nowhere", "--out", str(tmp_path / "f.yaml"), "--db", db]
    )
    assert result.exit_code == 2
