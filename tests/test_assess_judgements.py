"""Judgements files: checked against the pack, park and period assessed, and the form round trip."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from i18n_checks import english_left_on
from sinergi.assess.engine import Judgement, Status, assess
from sinergi.assess.judgements import check_judgements
from sinergi.assess.packs import load_pack
from sinergi.errors import FileProblem, JudgementsError, UnsafeInput
from sinergi.examples import tiny_park
from sinergi.model import Period
from sinergi.reports.judgement_form import (
    SHEET,
    form_rows,
    read_form,
    write_form_xlsx,
    write_form_yaml,
)

EIP = load_pack("eip-framework-2.0")
P = Period(2024)


def _yaml(tmp_path: Path, body: str, head: str = "") -> Path:
    path = tmp_path / "j.yaml"
    head = head or "pack: eip-framework-2.0\npark: demo-park\nperiod: '2024'\n"
    path.write_text(head + "judgements:\n" + body, "utf-8")
    return path


def _issues(path: Path, park: str = "demo-park", period: Period = P) -> list[str]:
    with pytest.raises(JudgementsError) as info:
        check_judgements(read_form(path), EIP, park, period)
    return [str(i) for i in info.value.issues]


MET = "  - {criterion: PM-GEN-1, status: met, evidence: 'Permit register 2024'}\n"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            "pack: eip-framework-2.0\npark: kiic\nperiod: '2024'\n",
            "j.yaml: park: these judgements are for the park 'kiic', but the park 'demo-park' "
            "is being assessed",
        ),
        (
            "pack: eip-framework-2.0\npark: demo-park\nperiod: '2023'\n",
            "j.yaml: period: these judgements are for the period '2023', but the period '2024' "
            "is being assessed",
        ),
        (
            "pack: permenperin-26-2025\npark: demo-park\nperiod: 2024\n",
            "j.yaml: pack: these judgements are for the standard 'permenperin-26-2025', but the "
            "standard 'eip-framework-2.0' is being assessed",
        ),
    ],
    ids=["another_park", "another_period", "another_pack"],
)
def test_judgements_for_another_park_period_or_pack_are_refused_with_the_place(
    tmp_path, head, expected
):
    issues = _issues(_yaml(tmp_path, MET, head))
    assert any(i.startswith(expected) for i in issues), issues


def test_a_year_written_as_a_number_is_the_same_period(tmp_path):
    path = _yaml(tmp_path, MET, "pack: eip-framework-2.0\npark: demo-park\nperiod: 2024\n")
    judged = check_judgements(read_form(path), EIP, "demo-park", P)
    assert judged == {"PM-GEN-1": Judgement(Status.MET, "Permit register 2024")}


BAD_ROWS = [
    (
        "  - {criterion: XX-1, status: met, evidence: e}\n",
        "judgements[0].criterion: criterion 'XX-1' is not in eip-framework-2.0",
    ),
    (
        "  - {criterion: PM-GEN-1, status: done, evidence: e}\n",
        "judgements[0].status: status 'done' is not one of met",
    ),
    (
        "  - {criterion: PM-GEN-1, status: met, evidence: ' '}\n",
        "judgements[0].evidence: give the evidence",
    ),
    ("  - {criterion: PM-GEN-1, status: met}\n", "judgements[0].evidence: give the evidence"),
    (
        "  - {criterion: PM-GEN-1, evidence: seen}\n",
        "judgements[0].status: evidence is given but no status",
    ),
    (MET + MET, "judgements[1].criterion: criterion PM-GEN-1 is judged twice"),
    (
        "  - {criterion: PM-GEN-1, status: met, evidence: e, score: 3}\n",
        "judgements[0]: unknown key(s) score",
    ),
]


@pytest.mark.parametrize(
    ("body", "expected"),
    BAD_ROWS,
    ids=[
        "unknown_criterion",
        "bad_status",
        "blank_evidence",
        "no_evidence",
        "no_status",
        "twice",
        "unknown_key",
    ],
)
def test_bad_rows_are_refused_with_their_place(tmp_path, body, expected):
    if "unknown key" in expected:
        with pytest.raises(JudgementsError, match="unknown key"):
            read_form(_yaml(tmp_path, body))
        return
    issues = _issues(_yaml(tmp_path, body))
    assert any(f"j.yaml: {expected}" in i for i in issues), issues


def test_a_criterion_scored_from_data_cannot_be_judged(tmp_path):
    head = "pack: permenperin-26-2025\npark: demo-park\nperiod: '2024'\n"
    path = _yaml(tmp_path, "  - {criterion: 1.1.b, status: met, evidence: e}\n", head)
    with pytest.raises(JudgementsError, match="scored from the data and cannot be judged"):
        check_judgements(read_form(path), load_pack("permenperin-26-2025"), "demo-park", P)


def test_a_key_given_twice_is_refused_not_overwritten(tmp_path):
    path = tmp_path / "j.yaml"
    path.write_text(
        "pack: eip-framework-2.0\npark: demo-park\nperiod: '2023'\nperiod: '2024'\n"
        "judgements: []\n",
        "utf-8",
    )
    with pytest.raises(JudgementsError, match="key 'period' is given twice"):
        read_form(path)


def test_every_problem_is_listed_and_nothing_is_applied(tmp_path):
    head = "pack: eip-framework-2.0\npark: kiic\nperiod: '2023'\n"
    issues = _issues(
        _yaml(tmp_path, MET + "  - {criterion: XX-1, status: met, evidence: e}\n", head)
    )
    assert len(issues) == 3  # park, period, unknown criterion


def test_problems_are_given_in_indonesian_too(tmp_path):
    path = _yaml(tmp_path, MET, "pack: eip-framework-2.0\npark: kiic\nperiod: '2024'\n")
    with pytest.raises(JudgementsError) as info:
        check_judgements(read_form(path), EIP, "demo-park", P)
    assert (
        info.value.issues[0]
        .render("id")
        .startswith(
            "j.yaml: park: penilaian ini untuk kawasan 'kiic', tetapi yang sedang dinilai adalah "
            "kawasan 'demo-park'"
        )
    )


def test_a_missing_file_is_a_file_problem_and_another_format_is_refused(tmp_path):
    with pytest.raises(FileProblem, match="no such judgements file"):
        read_form(tmp_path / "nope.yaml")
    other = tmp_path / "j.csv"
    other.write_text("x", "utf-8")
    with pytest.raises(JudgementsError, match=r"\.xlsx or \.yaml"):
        read_form(other)
    macro = tmp_path / "j.xlsm"
    macro.write_bytes(b"PK")
    with pytest.raises((JudgementsError, UnsafeInput)):
        read_form(macro)


# -- the form: written by the template command, read back by --judgements ----------------------
def _form(tmp_path: Path, suffix: str, lang: str) -> Path:
    eco = tiny_park()
    rows = form_rows(EIP, assess(eco, "demo-park", P, EIP), lang)
    writer = write_form_xlsx if suffix == ".xlsx" else write_form_yaml
    return writer(tmp_path / f"form{suffix}", EIP, "demo-park", "2024", rows, lang)


def test_the_form_lists_every_judged_requirement_with_what_sinergi_found(tmp_path):
    rows = form_rows(EIP, assess(tiny_park(), "demo-park", P, EIP), "en")
    assert len(rows) == 39  # every EIP requirement is qualitative
    services = next(r for r in rows if r["criterion"] == "PM-SV-1")
    assert services["gate"] == "yes"
    assert services["found"] == (
        "met: park services record 2024: a park management entity exists: yes"
    )
    assert (
        form_rows(
            load_pack("permenperin-26-2025"),
            assess(tiny_park(), "demo-park", P, load_pack("permenperin-26-2025")),
            "en",
        )
        == []
    )


def test_the_indonesian_yaml_form_is_written_in_indonesian(tmp_path):
    text = _form(tmp_path, ".yaml", "id").read_text("utf-8")
    assert "# Formulir penilaian: Kerangka Internasional" in text
    assert "# Temuan sinergi dari data: terpenuhi: catatan layanan kawasan 2024" in text
    assert "(prasyarat)" in text
    assert "What sinergi found" not in text
    assert english_left_on(text) == []


@pytest.mark.parametrize("lang", ["en", "id"])
def test_an_empty_form_reads_back_as_no_judgement(tmp_path, lang):
    for suffix in (".xlsx", ".yaml"):
        doc = read_form(_form(tmp_path, suffix, lang))
        assert check_judgements(doc, EIP, "demo-park", P) == {}
        assert len(doc.rows) == 39


def _fill_xlsx(path: Path, answers: dict[str, tuple[str, str]]) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET]
    for row in sheet.iter_rows(min_row=6):
        if row[0].value in answers:
            row[5].value, row[6].value = answers[row[0].value]
    book.save(path)


def test_a_filled_xlsx_form_round_trips_into_judgements(tmp_path):
    path = _form(tmp_path, ".xlsx", "id")
    _fill_xlsx(
        path,
        {
            "PM-GEN-1": ("terpenuhi", "Register izin 2024"),
            "PM-PZ-1": ("sebagian terpenuhi", "KKPR perluasan masih diproses"),
            "SOC-SM-5": ("not met", "No grievance mechanism"),
        },
    )
    judged = check_judgements(read_form(path), EIP, "demo-park", P)
    assert judged == {
        "PM-GEN-1": Judgement(Status.MET, "Register izin 2024"),
        "PM-PZ-1": Judgement(Status.PARTLY_MET, "KKPR perluasan masih diproses"),
        "SOC-SM-5": Judgement(Status.NOT_MET, "No grievance mechanism"),
    }
    result = assess(tiny_park(), "demo-park", P, EIP, judgements=judged)
    assert result.prerequisites["PM-PZ-1"] is Status.PARTLY_MET


def test_a_bad_xlsx_row_is_refused_with_its_cell(tmp_path):
    path = _form(tmp_path, ".xlsx", "en")
    _fill_xlsx(path, {"PM-GEN-1": ("done", "x")})
    with pytest.raises(JudgementsError) as info:
        check_judgements(read_form(path), EIP, "demo-park", P)
    assert "form.xlsx: Judgements!F6: status 'done' is not one of" in str(info.value.issues[0])


def test_an_xlsx_form_for_another_park_names_its_cell(tmp_path):
    path = _form(tmp_path, ".xlsx", "en")
    with pytest.raises(JudgementsError) as info:
        check_judgements(read_form(path), EIP, "kiic", P)
    assert str(info.value.issues[0]).startswith(
        "form.xlsx: Judgements!B2: these judgements are for the park 'demo-park'"
    )


def test_a_filled_yaml_form_round_trips_into_judgements(tmp_path):
    path = _form(tmp_path, ".yaml", "en")
    text = path.read_text("utf-8").replace(
        '  - criterion: "ENV-NE-1"\n    status:\n    evidence:\n',
        '  - criterion: "ENV-NE-1"\n    status: not applicable\n'
        '    evidence: "No sensitive area"\n',
    )
    path.write_text(text, "utf-8")
    judged = check_judgements(read_form(path), EIP, "demo-park", P)
    assert judged == {"ENV-NE-1": Judgement(Status.NOT_APPLICABLE, "No sensitive area")}
