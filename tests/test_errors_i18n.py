"""Errors read in the reader's language: the same error, the same place, no English in Indonesian.

Each family of converted errors is raised by the code that raises it for users (the workflow
rules, the store, the API, a page, the command line, a scenario file), rendered in both
languages, and checked three ways: the Indonesian text holds no sentence of the English
catalogue (:func:`i18n_checks.english_left_on`), it differs from the English, and it names the
same place (ids, versions, periods, field paths) as the English.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from typer.testing import CliRunner

from i18n_checks import english_left_on
from service_world import PASSWORD, World, make_world
from sinergi.cli import app
from sinergi.errors import (
    AccountError,
    InputError,
    NotFound,
    PeriodError,
    SinergiError,
    TransitionRefused,
    WorkflowError,
)
from sinergi.i18n import N_
from sinergi.i18n.messages import msg
from sinergi.io.national.readers import validation_issues
from sinergi.model.accounts import Grant, OrganisationKind, Role, check_grant
from sinergi.model.exchanges import Exchange, ExchangeStatus, transition
from sinergi.model.period import Period
from sinergi.model.submissions import SubmissionStatus, check_move
from sinergi.national.scenarios import CHECKS, ScenarioSpec
from sinergi.store import jobs as job_rows
from sinergi.web.api.jobs import job_out
from sinergi.web.jobs import _failure

#: Words that only an English sentence of these messages would hold (the catalogue check
#: covers whole sentences; these catch a stray clause that is in no catalogue).
ENGLISH_WORDS = re.compile(r"\b(the|is|not|cannot|should|must|only|needs|Input|valid)\b")


def _places(text: str) -> list[str]:
    """Return what names a place in a message: quoted ids, numbers, field paths."""
    return sorted(
        re.findall(r"'[^']*'|\b\d[\d.-]*\b|\b[a-z_]{2,}(?:\[\d+\])?(?:\.[a-z_]{2,})+", text)
    )


def assert_same_error_in_both(exc: SinergiError) -> tuple[str, str]:
    """Check the Indonesian rendering of ``exc`` against its English one; return both."""
    english, indonesian = exc.localised("en"), exc.localised("id")
    assert english == str(exc)
    assert indonesian != english
    assert english_left_on(indonesian) == []
    assert ENGLISH_WORDS.search(indonesian) is None, indonesian
    assert _places(indonesian) == _places(english)
    return english, indonesian


def _raised(call: Any, *args: Any, **kwargs: Any) -> SinergiError:
    with pytest.raises(SinergiError) as caught:
        call(*args, **kwargs)
    return caught.value


# --- the mechanism -----------------------------------------------------------------------------


def test_an_error_raised_with_plain_text_falls_back_to_that_text() -> None:
    exc = NotFound("no such thing")
    assert exc.localised("id") == exc.localised("en") == "no such thing"


def test_an_error_keeps_its_message_across_a_process_boundary() -> None:
    import pickle

    exc = NotFound(msg(N_("no submission {id}"), id="12"))
    back = pickle.loads(pickle.dumps(exc))
    assert (str(back), back.localised("id")) == ("no submission 12", "tidak ada pengajuan 12")


def test_an_input_error_lists_its_issues_with_their_place_in_the_language() -> None:
    issue = _scenario_issues({"name": "x", "base_year": 1800})[0]
    rejected = InputError([issue])
    english, indonesian = rejected.localised("en"), rejected.localised("id")
    assert english.startswith("1 problem(s) found; nothing was written:\ns.yaml, field 'base_year'")
    assert indonesian.startswith(
        "Ditemukan 1 masalah; tidak ada data yang disimpan:\ns.yaml, isian"
    )
    assert english_left_on(indonesian) == []


# --- workflow rules (pure) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "to", "role", "comment"),
    [
        (SubmissionStatus.SUBMITTED, SubmissionStatus.SUBMITTED, Role.TENANT, None),
        (SubmissionStatus.LOCKED, SubmissionStatus.DRAFT, Role.MINISTRY, None),
        (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED, Role.TENANT, None),
        (SubmissionStatus.SUBMITTED, SubmissionStatus.RETURNED, Role.PARK_MANAGER, " "),
    ],
    ids=["not-a-move", "locked", "wrong-role", "no-comment"],
)
def test_a_refused_submission_move_reads_in_indonesian(
    current: SubmissionStatus, to: SubmissionStatus, role: Role, comment: str | None
) -> None:
    exc = _raised(check_move, current, to, role, comment)
    assert isinstance(exc, TransitionRefused)
    english, indonesian = assert_same_error_in_both(exc)
    assert str(to) in english  # the English names the statuses as before
    assert "diajukan" in indonesian or "dikunci" in indonesian or "dikembalikan" in indonesian


def _exchange(status: ExchangeStatus) -> Exchange:
    return Exchange(
        supplier="a.kiln",
        receiver="b.press",
        commodity="nickel_slag",
        replaces="sand",
        rule_id="rule-1",
        period=Period.parse("2024"),
        amount=10.0,
        net_benefit_idr=1.0e6,
        co2e_t=2.0,
        landfill_t=10.0,
        explanation={"rule": "rule-1"},
        status=status,
    )


@pytest.mark.parametrize(
    ("status", "to", "reason"),
    [
        (ExchangeStatus.IMPLEMENTED, ExchangeStatus.PROPOSED, None),
        (ExchangeStatus.REJECTED, ExchangeStatus.ACCEPTED, None),
        (ExchangeStatus.PROPOSED, ExchangeStatus.REJECTED, ""),
    ],
    ids=["final", "not-a-move", "no-reason"],
)
def test_a_refused_exchange_decision_reads_in_indonesian(
    status: ExchangeStatus, to: ExchangeStatus, reason: str | None
) -> None:
    exchange = _exchange(status)
    exc = _raised(transition, exchange, to, reason)
    assert isinstance(exc, WorkflowError)
    english, indonesian = assert_same_error_in_both(exc)
    assert exchange.id in english
    assert exchange.id in indonesian


@pytest.mark.parametrize(
    ("grant", "kind"),
    [
        (Grant(Role.PUBLIC), OrganisationKind.MINISTRY),
        (Grant(Role.PARK_MANAGER), OrganisationKind.PARK_OPERATOR),
        (Grant(Role.MINISTRY, park_id="kiic"), OrganisationKind.MINISTRY),
        (Grant(Role.VERIFIER, park_id="kiic"), OrganisationKind.TENANT_COMPANY),
    ],
    ids=["public", "no-park", "superfluous-park", "wrong-organisation"],
)
def test_a_refused_grant_reads_in_indonesian(grant: Grant, kind: OrganisationKind) -> None:
    exc = _raised(check_grant, grant, kind)
    assert isinstance(exc, AccountError)
    assert_same_error_in_both(exc)


@pytest.mark.parametrize("raw", ["soon", "2024-13", "1800"])
def test_a_bad_period_reads_in_indonesian(raw: str) -> None:
    exc = _raised(Period.parse, raw)
    assert isinstance(exc, PeriodError)
    assert_same_error_in_both(exc)


# --- jobs -----------------------------------------------------------------------------------------


def test_a_failed_jobs_error_is_shown_in_the_readers_language() -> None:
    exc = NotFound(msg(N_("upload {id} is no longer waiting (its job has ended)"), id="u1"))
    stored = _failure(exc)
    assert stored["error"] == str(exc)  # the error column stays English (logs)
    job = job_rows.Job(
        id="j1",
        kind="import",
        params={},
        status=job_rows.JobStatus.FAILED,
        progress=0.0,
        message=None,
        result=stored["result"],
        error=stored["error"],
        user_id=1,
        park_id=None,
        cancel_requested=False,
        created_at=datetime(2025, 1, 1, tzinfo=UTC),
        started_at=None,
        finished_at=None,
    )
    english, indonesian = job_out(job, "en").error, job_out(job, "id").error
    assert english == str(exc)
    assert indonesian == "unggahan u1 tidak lagi menunggu (pekerjaannya sudah selesai)"
    # a job stored before errors were kept per language shows its English error
    old = replace(job, result=None)
    assert job_out(old, "id").error == str(exc)


# --- national scenario files -------------------------------------------------------------


def _scenario_issues(document: Any) -> list[Any]:
    try:
        ScenarioSpec.model_validate(document)
    except ValidationError as exc:
        return validation_issues("s.yaml", exc, CHECKS)
    return []


SCENARIO_CASES: list[tuple[dict[str, Any], str]] = [
    ({"name": "x", "base_year": 2023, "retire": []}, "retire"),
    ({"name": "x"}, "base_year"),
    ({"name": "x", "base_year": "soon"}, "base_year"),
    ({"name": "x", "base_year": 1800}, "base_year"),
    ({"name": "x", "base_year": 2023, "retirements": [{"unit": "u", "year": 2200}]},
     "retirements[0].year"),
    ({"name": "x", "base_year": 2023, "retirements": [{"year": 2030}]}, "retirements[0].unit"),
    ({"name": "x", "base_year": 2023, "production": {"growth": {"blast_furnace": 0.1}}},
     "production.growth.blast_furnace.[key]"),
    ({"name": "x", "base_year": 2023, "production": {"utilisation": 0}}, "production.utilisation"),
    ({"name": "x", "base_year": 2023, "retirements": "all"}, "retirements"),
    ({"name": "x", "base_year": 2023, "coal_phaseout": {"start": 2040, "end": 2030}},
     "coal_phaseout"),
    ({"name": "x", "base_year": 2023, "renewables": [{"source": "solar", "share": {2030: 2}}]},
     "-"),
]  # fmt: skip


@pytest.mark.parametrize(("document", "field"), SCENARIO_CASES)
def test_a_scenario_file_error_reads_in_indonesian_with_its_setting_named(
    document: dict[str, Any], field: str
) -> None:
    issues = _scenario_issues(document)
    assert issues
    first = issues[0]
    english, indonesian = first.message_en, first.message_id
    assert english.startswith(f"'{field}': ")
    assert indonesian.startswith(f"'{field}': ")
    assert english_left_on(indonesian) == []
    assert ENGLISH_WORDS.search(indonesian.split(": ", 1)[1]) is None, indonesian
    # pydantic's own wording is in neither language
    assert "Input should" not in english
    assert "Field required" not in english


def test_a_scenario_share_out_of_range_names_where_and_when_in_both_languages() -> None:
    document = {"name": "x", "base_year": 2023, "cofiring": None,
                "renewables": [{"source": "solar", "share": {2030: 2}}]}  # fmt: skip
    issue = _scenario_issues(document)[0]
    assert "renewables[0].share: 2" in issue.message_en
    assert "renewables[0].share: 2 pada 2030 bukan pangsa antara 0 dan 1" in issue.message_id


def test_the_national_cli_prints_scenario_errors_in_indonesian_with_lang_id(
    tmp_path: Path, national_registry: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nbase_year: 1800\nretire: []\n", "utf-8")
    args = ["national", "scenario", str(bad), "--registry", str(national_registry)]
    english = CliRunner().invoke(app, args)
    indonesian = CliRunner().invoke(app, [*args, "--lang", "id"])
    assert english.exit_code == indonesian.exit_code == 1
    assert "is not a setting here" in english.output
    assert "kesalahan: Ditemukan 2 masalah" in indonesian.output
    assert "bukan pengaturan di sini" in indonesian.output
    assert "'retire'" in indonesian.output
    assert "'base_year'" in indonesian.output
    assert english_left_on(indonesian.output) == []


@pytest.fixture(scope="module")
def national_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("national") / "registry.xlsx"
    args = ["smelters", "synth", "--plants", "6", "--units", "4", "--seed", "3", "--out", str(path)]
    made = CliRunner().invoke(app, args)
    assert made.exit_code == 0, made.output
    return path


# --- the service and the pages --------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    url = f"sqlite:///{tmp_path_factory.mktemp('errors-i18n') / 'w.db'}"
    made, client = make_world(url)
    with client:
        yield made
    made.store.close()


def _draft(world: World, period: str) -> dict[str, Any]:
    company = world.companies["kiic"][0]
    answer = world.client.post(
        "/api/v1/submissions",
        headers=world.auth("tina"),
        json={"company_id": company, "period": period, "flows": []},
    )
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def _detail(world: World, lang: str, method: str, url: str, **kwargs: Any) -> tuple[int, str]:
    headers = {**world.auth("tina"), "Accept-Language": lang}
    answer = world.client.request(method, url, headers=headers, **kwargs)
    return answer.status_code, str(answer.json()["detail"])


def test_the_api_answers_a_stale_version_and_a_double_submission_in_the_callers_language(
    world: World,
) -> None:
    draft = _draft(world, "2019")
    sid, seen = draft["id"], draft["row_version"]
    move = f"/api/v1/submissions/{sid}/moves"
    first = world.client.post(
        move, headers=world.auth("tina"), json={"to": "submitted", "row_version": seen}
    )
    assert first.status_code == 200, first.text
    now = first.json()["row_version"]
    cases = [
        ("POST", move, {"json": {"to": "submitted", "row_version": seen}}, 409),  # stale
        ("POST", move, {"json": {"to": "submitted", "row_version": now}}, 409),  # twice
        ("POST", "/api/v1/submissions", {"json": {"company_id": draft["company_id"],
                                                   "period": "2019", "flows": []}}, 409),
    ]  # fmt: skip
    for method, url, kwargs, status in cases:
        code_en, english = _detail(world, "en", method, url, **kwargs)
        code_id, indonesian = _detail(world, "id", method, url, **kwargs)
        assert code_en == code_id == status
        assert indonesian != english
        assert english_left_on(indonesian) == []
        assert _places(indonesian) == _places(english)
        assert str(sid) in indonesian or draft["company_id"] in indonesian


def _page_client(world: World) -> TestClient:
    client = TestClient(world.client.app)
    answer = client.post(
        "/login", data={"username": "tina", "password": PASSWORD}, follow_redirects=False
    )
    assert answer.status_code == 303
    return client


def _csrf(client: TestClient) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get("/company").text)
    assert found is not None
    return found.group(1)


def _alert(html: str) -> str:
    found = re.search(r'<p class="error" role="alert">([^<]*)</p>', html)
    assert found is not None, html[:500]
    return found.group(1)


def test_a_tenant_on_an_indonesian_page_sees_a_stale_version_and_a_double_submit_in_indonesian(
    world: World,
) -> None:
    client = _page_client(world)
    draft = _draft(world, "2018")
    sid, seen = draft["id"], draft["row_version"]
    url = f"/company/submissions/{sid}/submit"
    sent = client.post(
        url, data={"csrf": _csrf(client), "row_version": seen}, follow_redirects=False
    )
    assert sent.status_code == 303
    for version, english_words, indonesian_words in [
        (seen, "was changed by someone else", "telah diubah oleh orang lain"),  # stale page
        (seen + 1, "cannot become submitted", "tidak dapat menjadi diajukan"),  # pressed twice
    ]:
        pages = {}
        for lang in ("id", "en"):
            data = {"csrf": _csrf(client), "row_version": version}
            answer = client.post(f"{url}?lang={lang}", data=data)
            assert answer.status_code == 409
            pages[lang] = answer.text
        indonesian, english = _alert(pages["id"]), _alert(pages["en"])
        assert indonesian_words in indonesian
        assert english_words in english
        assert f"pengajuan {sid}" in indonesian
        assert _places(indonesian) == _places(english)
        assert english_left_on(pages["id"]) == []
