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
from national_fixtures import factors as national_factors
from national_fixtures import intensities as national_intensities
from national_fixtures import registry as national_registry_fixture
from service_world import World, make_world, signed_in
from sinergi.cli import app
from sinergi.errors import (
    AccountError,
    ConsistencyError,
    DuplicateId,
    InputError,
    InvalidText,
    JudgementsError,
    NationalScenarioError,
    NodeConflictError,
    NotFound,
    PeriodError,
    ReferenceDataError,
    RegistryError,
    SinergiError,
    StoreError,
    TransitionRefused,
    UnknownCommodity,
    UnknownNode,
    UsageError,
    WorkflowError,
)
from sinergi.examples import tiny_park
from sinergi.i18n import N_
from sinergi.i18n.messages import msg
from sinergi.io.national.readers import validation_issues
from sinergi.io.writer import write_file
from sinergi.model.accounts import Grant, OrganisationKind, Role, check_grant
from sinergi.model.checks import check
from sinergi.model.commodities import default_catalogue, load_catalogue
from sinergi.model.exchanges import Exchange, ExchangeStatus, transition
from sinergi.model.network import Ecosystem
from sinergi.model.nodes import Company, Park, Region
from sinergi.model.period import Period
from sinergi.model.submissions import SubmissionStatus, check_move
from sinergi.national.inputs import national_factors as national_accounts_factors
from sinergi.national.registry import Fuel, PowerUnit, Production, Registry
from sinergi.national.scenarios import CHECKS, ScenarioSpec, run_scenario
from sinergi.reports.judgement_form import read_form
from sinergi.store import Store
from sinergi.store import jobs as job_rows
from sinergi.store.audited import AuditedStore
from sinergi.store.engine import make_engine, masked_url
from sinergi.web.api.jobs import job_out
from sinergi.web.demo_accounts import ensure_demo_accounts
from sinergi.web.jobs import _failure
from sinergi.web.settings import Environment, Settings

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
    ({"name": "x", "base_year": 2023, "coal_price_usd_per_t": {2030: -5}}, "coal_price_usd_per_t"),
    ({"name": "x", "base_year": 2023, "idr_per_usd": {2030: 0}}, "idr_per_usd"),
    ({"name": "x", "base_year": 2023, "grid_tariff_idr_per_kwh": {"soon": 900}},
     "grid_tariff_idr_per_kwh.soon.[key]"),
    ({"name": "x", "base_year": 2023, "power_price_idr_per_kwh": {"grid.jamali": {2030: 1}}},
     "power_price_idr_per_kwh"),
]  # fmt: skip


def test_a_negative_price_path_names_its_setting_value_and_year_in_both_languages() -> None:
    issue = _scenario_issues(
        {"name": "x", "base_year": 2023, "carbon_price_idr_per_t": {2030: -1}}
    )[0]
    assert issue.field == "carbon_price_idr_per_t"
    assert "-1 in 2030 is not a price" in issue.message_en
    assert "-1 pada 2030 bukan harga" in issue.message_id


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
    return signed_in(world, "tina")


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


# --- the second pass: store imports, model, national, judgements, settings, database ----------


def test_a_node_id_conflict_in_an_import_reads_in_indonesian_with_the_ids(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'n.db'}")
    store.migrate()
    store.save(tiny_park())
    other = Ecosystem()
    other.add(
        Region("demo-region", "Demo province"),
        Park("other", "Other", region_id="demo-region"),
        Company("demo-metal", "other", "Clash"),
    )
    exc = _raised(store.save, other)
    store.close()
    assert isinstance(exc, NodeConflictError)
    english, indonesian = assert_same_error_in_both(exc)
    assert "'demo-metal' belongs to park 'demo-park'" in english
    assert "'demo-metal' termasuk kawasan 'demo-park'" in indonesian


def test_text_over_the_limits_is_refused_in_indonesian_naming_the_node_and_field(
    tmp_path: Path,
) -> None:
    eco = tiny_park()
    eco.companies["demo-metal"].name = "Metal\x00Works"
    store = Store(f"sqlite:///{tmp_path / 't.db'}")
    store.migrate()
    exc = _raised(store.save, eco)
    store.close()
    assert isinstance(exc, InvalidText)
    english, indonesian = assert_same_error_in_both(exc)
    assert "companies 'demo-metal' name: contains a control character" in english
    assert "companies 'demo-metal' name: memuat karakter kontrol" in indonesian


def _bad_catalogue(tmp_path: Path, entries: str) -> Path:
    path = tmp_path / "commodities.yaml"
    path.write_text(f"version: t1\ncommodities:\n{entries}", "utf-8")
    return path


@pytest.mark.parametrize(
    "entries",
    [
        "- {id: a, name_en: A, name_id: A, kind: product, dimension: mass}\n" * 2,
        "- {id: a, name_en: A, name_id: A, kind: gadget, dimension: mass}\n",
        "- {id: a, name_en: A, name_id: A, dimension: mass}\n",
        "- {id: w, name_en: W, name_id: W, kind: waste, dimension: mass}\n",
    ],
    ids=["twice", "bad-kind", "no-kind", "waste-without-hazard"],
)
def test_a_bad_commodity_catalogue_reads_in_indonesian_with_file_and_id(
    tmp_path: Path, entries: str
) -> None:
    path = _bad_catalogue(tmp_path, entries)
    exc = _raised(load_catalogue, path)
    assert isinstance(exc, ReferenceDataError)
    english, indonesian = assert_same_error_in_both(exc)
    assert english.startswith(f"{path}: ")
    assert indonesian.startswith(f"{path}: ")


def test_model_lookups_read_in_indonesian() -> None:
    unknown = _raised(default_catalogue().get, "unobtainium")
    assert isinstance(unknown, UnknownCommodity)
    assert "'unobtainium'" in assert_same_error_in_both(unknown)[1]
    eco = Ecosystem()
    eco.add(Region("r", "R"))
    twice = _raised(eco.add, Region("r", "R again"))
    assert isinstance(twice, DuplicateId)
    assert "ID simpul 'r' dipakai dua kali" in assert_same_error_in_both(twice)[1]
    missing = _raised(eco.node, "ghost")
    assert isinstance(missing, UnknownNode)
    assert "simpul 'ghost' tidak ada" in assert_same_error_in_both(missing)[1]


def test_strict_consistency_check_lists_each_finding_in_indonesian() -> None:
    eco = tiny_park()
    eco.companies["demo-metal"].park_id = "nowhere"
    findings = check(eco, warn=False)
    exc = _raised(check, eco, strict=True)
    assert isinstance(exc, ConsistencyError)
    english, indonesian = exc.localised("en"), exc.localised("id")
    assert english == str(exc)
    assert english.startswith(f"{len(findings)} consistency problem(s):\n[missing_parent]")
    assert indonesian.startswith(f"{len(findings)} masalah konsistensi:\n[missing_parent]")
    assert english_left_on(indonesian) == []
    assert _places(indonesian) == _places(english)
    assert all(f.render("id") in indonesian for f in findings)


def test_registry_inconsistencies_read_in_indonesian() -> None:
    good = national_registry_fixture()
    smelters, units = good.smelters, good.units
    cases = [
        lambda: Registry((*smelters, smelters[0]), units),
        lambda: Registry(smelters, (PowerUnit("u9", Fuel.COAL, 1.0, smelters[0].status,
                                                smelter="s-none"),)),
        lambda: Registry(smelters, (PowerUnit("u9", Fuel.COAL, 1.0, smelters[0].status),)),
        lambda: Registry(smelters, units, (Production("ghost", 2023, ni_t=1.0),)),
        lambda: good.smelter("ghost"),
    ]  # fmt: skip
    for case in cases:
        exc = _raised(case)
        assert isinstance(exc, RegistryError)
        _english, indonesian = assert_same_error_in_both(exc)
        assert re.search(r"'(s1|s-none|u9|ghost)'", indonesian), indonesian
    assert "ID smelter 's1' muncul dua kali" in _raised(cases[0]).localised("id")


def test_a_scenario_that_names_an_unknown_unit_or_source_reads_in_indonesian() -> None:
    registry = national_registry_fixture()
    base = {"name": "x", "base_year": 2023}
    unit = ScenarioSpec.model_validate({**base, "retirements": [{"unit": "u-x", "year": 2030}]})
    source = ScenarioSpec.model_validate(
        {**base, "renewables": [{"source": "tidal", "share": {2030: 0.1}}]}
    )
    for spec, where in [(unit, "retirements[0].unit: 'u-x'"), (source, "renewables[0].source")]:
        exc = _raised(
            run_scenario, spec, registry, national_intensities(), national_factors(),
            national_accounts_factors(), to=2030,
        )  # fmt: skip
        assert isinstance(exc, NationalScenarioError)
        english, indonesian = assert_same_error_in_both(exc)
        assert english.startswith(where)
        assert indonesian.startswith(where)
    early = _raised(
        run_scenario, unit, registry, national_intensities(), national_factors(),
        national_accounts_factors(), to=2000,
    )  # fmt: skip
    assert "--to 2000 lebih awal daripada tahun dasar skenario 2023" in early.localised("id")


@pytest.mark.parametrize(
    ("name", "text", "indonesian_words"),
    [
        ("j.yaml", "- a\n- b\n", "berkas harus berupa pemetaan"),
        ("j.yaml", "pack: p\npark: k\npack: q\n", "kunci 'pack' diberikan dua kali (baris 3)"),
        ("j.yaml", "pack: p\ncolour: red\n", "kunci tak dikenal colour"),
        ("j.yaml", "judgements:\n- criterion: c\n  mood: ok\n", "judgements[0]: kunci tak dikenal"),
        ("j.txt", "x", "berkas penilaian berformat .xlsx atau .yaml"),
    ],
    ids=["not-a-mapping", "key-twice", "unknown-key", "unknown-row-key", "suffix"],
)
def test_a_malformed_judgements_file_reads_in_indonesian_naming_the_file(
    tmp_path: Path, name: str, text: str, indonesian_words: str
) -> None:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    exc = _raised(read_form, path)
    assert isinstance(exc, JudgementsError)
    english, indonesian = assert_same_error_in_both(exc)
    assert f"\n{name}: " in english
    assert f"\n{name}: {indonesian_words}" in indonesian


def test_settings_and_demo_accounts_refusals_read_in_indonesian(tmp_path: Path) -> None:
    weak = _raised(Settings, env=Environment.PRODUCTION, secret_key="short")
    assert isinstance(weak, UsageError)
    english, indonesian = weak.localised("en"), weak.localised("id")
    assert english_left_on(indonesian) == []
    assert indonesian != english
    assert "SINERGI_SECRET_KEY wajib diisi rahasia sepanjang minimal" in indonesian
    store = AuditedStore(f"sqlite:///{tmp_path / 'd.db'}")
    production = Settings(env=Environment.PRODUCTION, secret_key="k" * 64)
    refused = _raised(ensure_demo_accounts, store, production)
    assert isinstance(refused, UsageError)
    assert assert_same_error_in_both(refused)[1] == (
        "akun demo hanya tersedia bila SINERGI_ENV=development"
    )


PASSWORD_IN_URL = "Zq8-s3cret-Pw"


def test_a_database_that_cannot_be_reached_reads_in_indonesian_without_its_password() -> None:
    url = f"postgresql://sinergi:{PASSWORD_IN_URL}@127.0.0.1:1/none"
    store = Store(url)
    exc = _raised(store.migrate)
    store.close()
    assert isinstance(exc, StoreError)
    english, indonesian = exc.localised("en"), exc.localised("id")
    assert PASSWORD_IN_URL not in english
    assert PASSWORD_IN_URL not in indonesian
    assert "sinergi:***@127.0.0.1:1/none" in english
    assert "sinergi:***@127.0.0.1:1/none" in indonesian
    assert indonesian.startswith("basis data postgresql+psycopg://sinergi:***@")
    assert english_left_on(indonesian) == []


def test_a_file_that_is_not_a_database_reads_in_indonesian(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not a database, only some notes" * 100)
    store = Store(f"sqlite:///{path}")
    exc = _raised(store.park_summaries)
    store.close()
    assert isinstance(exc, StoreError)
    english, indonesian = exc.localised("en"), exc.localised("id")
    # the driver's own words ("file is not a database") are quoted as it said them
    assert english_left_on(indonesian) == []
    assert indonesian != english
    assert "berkas itu rusak atau bukan basis data" in indonesian
    assert str(path) in english
    assert str(path) in indonesian


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://sinergi:{PASSWORD_IN_URL}@db:port/x",
        f"nonsense-scheme://sinergi:{PASSWORD_IN_URL}@db/x",
    ],
)
def test_an_unusable_database_url_never_shows_its_password(url: str) -> None:
    exc = _raised(make_engine, url)
    assert isinstance(exc, StoreError)
    for lang in ("en", "id"):
        assert PASSWORD_IN_URL not in exc.localised(lang)
    assert "sinergi:***@db" in exc.localised("id")
    assert PASSWORD_IN_URL not in masked_url(url)


def test_the_import_cli_prints_a_node_conflict_in_indonesian_with_lang_id(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    store = Store(db)
    store.migrate()
    store.save(tiny_park())
    store.close()
    other = Ecosystem()
    other.add(
        Region("demo-region", "Demo province"),
        Park("other", "Other", region_id="demo-region"),
        Company("demo-metal", "other", "Clash"),
    )
    (path,) = write_file(other, tmp_path / "other.yaml")
    args = ["import", str(path), "--db", db]
    english = CliRunner().invoke(app, args)
    indonesian = CliRunner().invoke(app, [*args, "--lang", "id"])
    assert english.exit_code == indonesian.exit_code != 0
    assert "demo-metal" in english.output
    assert "demo-metal" in indonesian.output
    assert "Traceback" not in indonesian.output
    assert "kawasan" in indonesian.output
    assert english_left_on(indonesian.output) == []
