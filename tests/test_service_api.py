"""The cases the issue names: guessed ids, a foreign park, mass assignment, the public, imports."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from service_world import World, make_world
from sinergi.io import write_file
from sinergi.store.audited import AuditedStore


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("api")
    made, client = make_world(f"sqlite:///{folder / 'w.db'}")
    with client:
        yield made
    made.store.close()


def _get(
    w: World, user: str | None, path: str, headers: dict[str, str] | None = None, **kw: object
) -> httpx.Response:
    sent = {**w.auth(user), **(headers or {})}
    return w.client.get("/api/v1" + path, headers=sent, **kw)  # type: ignore[arg-type]


def test_a_tenant_guessing_another_tenants_company_gets_404_like_a_missing_one(w_: World) -> None:
    other = w_.companies["kiic"][1]  # tono's company, same park as tina's
    guessed = _get(w_, "tina", f"/companies/{other}")
    missing = _get(w_, "tina", "/companies/kiic.no-such-company")
    assert guessed.status_code == missing.status_code == 404
    assert guessed.json()["title"] == missing.json()["title"]
    own = _get(w_, "tina", f"/companies/{w_.companies['kiic'][0]}")
    assert own.status_code == 200


def test_a_tenant_sees_only_their_own_companys_flows(w_: World) -> None:
    own = w_.companies["kiic"][0]
    page = _get(w_, "tina", "/parks/kiic/flows", params={"limit": 500}).json()
    assert page["total"] > 0
    assert all(own in (f["source"] + f["target"]) for f in page["items"])
    listed = _get(w_, "tina", "/parks/kiic/companies").json()
    assert [c["id"] for c in listed["items"]] == [own]


def test_a_kiic_park_manager_cannot_touch_mm2100(w_: World, tmp_path: Path) -> None:
    for path in ("/parks/mm2100/flows", "/parks/mm2100/export", "/parks/mm2100/assessment"):
        assert _get(w_, "pak.kiic", path).status_code == 404
    eco = w_.store.load(["mm2100"])
    target = tmp_path / "mm2100.yaml"
    write_file(eco, target, park_ids=["mm2100"])
    edited = target.read_text("utf-8").replace("2024", "2023", 1)
    before = w_.store.fingerprint()
    answer = w_.client.post(
        "/api/v1/imports",
        headers=w_.auth("pak.kiic"),
        files={"file": ("mm2100.yaml", edited.encode(), "application/yaml")},
    )
    assert answer.status_code == 404
    assert w_.store.fingerprint() == before


def test_a_body_that_sets_its_own_role_or_organisation_is_refused(w_: World) -> None:
    for field, value in (("role", "ministry"), ("organisation_id", "kemenperin"), ("id", 1)):
        answer = w_.client.patch(
            "/api/v1/users/me",
            headers=w_.auth("tina"),
            json={"display_name": "Tina", field: value},
        )
        assert answer.status_code == 422, field
        assert answer.headers["content-type"].startswith("application/problem+json")
    me = _get(w_, "tina", "/users/me").json()
    assert [g["role"] for g in me["grants"]] == ["tenant"]
    assert me["organisation_id"] == "tenant-a"
    sneaky = {"company_id": w_.companies["kiic"][0], "period": "2026", "status": "approved"}
    answer = w_.client.post("/api/v1/submissions", headers=w_.auth("tina"), json=sneaky)
    assert answer.status_code == 422


def test_the_public_never_sees_a_company_level_number(w_: World) -> None:
    for path in ("/parks/kiic/flows", "/parks/kiic/companies", "/parks/kiic/assessment-inputs"):
        assert _get(w_, None, path).status_code == 401
    # iwip has few tenants, so several of its totals rest on one or two companies
    public = _get(w_, None, "/parks/iwip/aggregates").json()
    staff = {t["commodity"]: t for t in _get(w_, "ana", "/parks/iwip/aggregates").json()["totals"]}
    eco = w_.store.load(["iwip"])
    owner = {c: c for c in eco.companies}
    owner |= {f.id: f.company_id for f in eco.facilities.values()}
    owner |= {p.id: owner[p.facility_id] for p in eco.processes.values()}
    reporters: dict[str, set[str]] = {}
    for flow in eco.flows:
        for node in (flow.source, flow.target):
            if node in owner:
                reporters.setdefault(flow.commodity, set()).add(owner[node])
    few = {c for c, who in reporters.items() if len(who) < 3}
    assert few, "the demo park should have commodities reported by fewer than three companies"
    for total in public["totals"]:
        if total["commodity"] in few:
            assert total["quantity"] is None
            assert total["suppressed"] is True
            assert staff[total["commodity"]]["quantity"] is not None
        else:
            assert total["quantity"] == staff[total["commodity"]]["quantity"]


def test_a_bad_upload_lists_every_located_issue_in_both_languages(w_: World) -> None:
    csv = (
        "period,source,target,commodity,quantity,unit,quality\n2024,a,b,unobtanium,-3,t,measured\n"
    )
    before = w_.store.fingerprint()
    answer = w_.client.post(
        "/api/v1/imports",
        headers=w_.auth("ana"),
        files={"file": ("flows.csv", csv.encode(), "text/csv")},
        data={"table": "flows"},
    )
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["status"] == 422
    assert len(problem["issues"]) >= 2
    assert all(i["message_en"] and i["message_id"] for i in problem["issues"])
    assert {i["row"] for i in problem["issues"]} == {2}
    assert w_.store.fingerprint() == before


def test_problem_titles_follow_the_callers_language(w_: World) -> None:
    english = _get(w_, None, "/parks/nowhere", headers={"Accept-Language": "en"}).json()
    bahasa = _get(w_, None, "/parks/nowhere", headers={"Accept-Language": "id"}).json()
    assert english["title"] == "Not found"
    assert bahasa["title"] != english["title"]


def test_the_same_upload_twice_changes_nothing(w_: World, tmp_path: Path) -> None:
    eco = w_.store.load(["kiic"])
    target = tmp_path / "kiic.yaml"
    write_file(eco, target, park_ids=["kiic"])
    content = target.read_bytes()
    first = w_.client.post(
        "/api/v1/imports", headers=w_.auth("pak.kiic"), files={"file": ("kiic.yaml", content)}
    ).json()
    before = w_.store.fingerprint()
    again = w_.client.post(
        "/api/v1/imports", headers=w_.auth("pak.kiic"), files={"file": ("kiic.yaml", content)}
    ).json()
    assert again["status"] == "unchanged"
    assert again["import_id"] == first["import_id"]
    assert w_.store.fingerprint() == before


@pytest.fixture(scope="module")
def w_(world: World) -> World:
    return world


# -- an import killed mid-way -------------------------------------------------------------

_SERVER = """
import sys, time
from pathlib import Path
import uvicorn
from sinergi.store import repository
from sinergi.web.app import create_app
from sinergi.web.settings import Settings

url, port, flag = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
original = repository.apply

def slow_apply(conn, fragment, request, *rest):
    result = original(conn, fragment, request, *rest)  # rows written, transaction still open
    flag.write_text("inside")
    time.sleep(60)
    return result

repository.apply = slow_apply
uvicorn.run(create_app(Settings(database_url=url), start_jobs=False), host="127.0.0.1",
            port=port, log_level="warning")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_import_killed_mid_way_leaves_the_database_as_before(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    made, client = make_world(url)
    client.close()
    eco = made.store.load(["kiic"])
    target = tmp_path / "kiic.yaml"
    write_file(eco, target, park_ids=["kiic"])
    changed = target.read_text("utf-8").replace("2024", "2023")
    before = made.store.fingerprint()
    made.store.close()
    port, flag = _free_port(), tmp_path / "inside"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVER, url, str(port), str(flag)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        _wait_until(lambda: _answers(base + "/health"))
        with httpx.Client(timeout=120) as http:
            headers = {"Authorization": f"Bearer {made.tokens['ana']}"}
            pending = subprocess.Popen(  # the upload runs while we kill the server
                [sys.executable, "-c", _UPLOAD, base, headers["Authorization"], str(target)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            target.write_text(changed, "utf-8")
            _wait_until(flag.exists)
            server.send_signal(signal.SIGKILL)
            server.wait(10)
            pending.kill()
            pending.wait(10)
            del http
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)
    after = AuditedStore(url)
    try:
        assert after.fingerprint() == before
    finally:
        after.close()


_UPLOAD = """
import sys, time, httpx
base, auth, path = sys.argv[1:4]
time.sleep(0.2)
with open(path, "rb") as handle:
    httpx.post(base + "/imports", headers={"Authorization": auth},
               files={"file": ("kiic.yaml", handle.read())}, timeout=120)
"""


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _wait_until(ready: object, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


def test_assessment_inputs_counted_in_the_database_equal_the_park_view(w_: World) -> None:
    from sinergi.assess.view import park_view
    from sinergi.model.period import Period

    for park in sorted(w_.companies):
        eco = w_.store.load([park])
        view = park_view(eco, park, Period.parse("2024"))
        got = _get(w_, "ana", f"/parks/{park}/assessment-inputs", params={"period": "2024"}).json()
        totals: dict[str, float] = {}
        for f in view.flows:
            if f.quantity is not None:
                totals[f.commodity] = totals.get(f.commodity, 0.0) + f.quantity
        assert got["members"] == len(view.members)
        assert got["companies"] == len(view.companies)
        assert got["flows"] == len(view.flows)
        assert got["records"] == {k: len(v) for k, v in view.records.items() if v}
        assert got["by_commodity"].keys() == totals.keys()
        for commodity, total in totals.items():
            assert got["by_commodity"][commodity] == pytest.approx(total, rel=1e-12)


def test_the_interactive_api_page_loads_only_from_the_service(w_: World) -> None:
    page = w_.client.get("/api/v1/docs")
    assert page.status_code == 200
    urls = re.findall(r"""(?:src|href|url)\s*[:=]\s*['"]([^'"]+)['"]""", page.text)
    assert urls, "the page names its script, style and document"
    assert all(u.startswith("/api/v1/") for u in urls), urls
    for url in urls:
        assert w_.client.get(url).status_code == 200, url


def test_the_interactive_api_page_is_hidden_in_production(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from sinergi.web.app import create_app
    from sinergi.web.settings import Environment, Settings

    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'p.db'}",
        env=Environment.PRODUCTION,
        secret_key="s" * 48,
    )
    with TestClient(create_app(settings, start_jobs=False)) as client:
        assert client.get("/api/v1/docs").status_code == 404
        assert client.get("/api/v1/docs-assets/swagger-ui.css").status_code == 404
        assert client.get("/api/v1/openapi.json").status_code == 200


_JUDGED = """pack: eip-framework-2.0
park: {park}
period: "2024"
judgements:
  - criterion: PM-GEN-1
    status: met
    evidence: "Synthetic test: no open non-compliance in the permit register"
"""


def _judge(w: World, user: str, park: str, text: str) -> httpx.Response:
    form = {"judgements": ("judgements.yaml", text.encode(), "application/yaml")}
    data = {"period": "2024", "standard": "eip-framework-2.0"}
    return w.client.post(
        f"/api/v1/parks/{park}/assessment", headers=w.auth(user), files=form, data=data
    )


def _ledger(w: World) -> list[dict[str, object]]:
    params = {"object_type": "assessment", "limit": 500}
    return _get(w, "ana", "/audit/entries", params=params).json()  # type: ignore[no-any-return]


def _criterion(result: dict[str, object], criterion: str) -> dict[str, object]:
    found = [c for c in result["criteria"] if c["id"] == criterion]  # type: ignore[attr-defined]
    assert len(found) == 1
    return found[0]  # type: ignore[no-any-return]


def test_a_consultants_judgements_are_applied_and_entered_in_the_ledger(w_: World) -> None:
    text = _JUDGED.format(park="kiic")
    before = _get(w_, "citra", "/parks/kiic/assessment", params={"standard": "eip-framework-2.0"})
    answer = _judge(w_, "citra", "kiic", text)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert _criterion(before.json(), "PM-GEN-1")["status"] != "met"
    assert _criterion(result, "PM-GEN-1")["status"] == "met"
    digest = hashlib.sha256(text.encode()).hexdigest()
    assert result["judgements"]["sha256"] == digest
    entries = _ledger(w_)
    mine = [e for e in entries if e["action"] == "judgements.apply"]
    assert mine
    assert mine[-1]["evidence_sha256"] == digest
    assert mine[-1]["actor"] == "citra"
    assert mine[-1]["object_id"] == "kiic/2024/eip-framework-2.0"


def test_judgements_for_another_park_are_refused_with_their_place_and_not_entered(
    w_: World,
) -> None:
    entries = _ledger(w_)
    answer = _judge(w_, "citra", "kiic", _JUDGED.format(park="mm2100"))
    assert answer.status_code == 422
    issues = answer.json()["issues"]
    assert any("mm2100" in i["message_en"] and "kiic" in i["message_en"] for i in issues), issues
    assert all(i["message_en"].startswith("judgements.yaml: ") for i in issues), issues
    assert all(i["message_id"] != i["message_en"] for i in issues), "Indonesian text expected"
    after = _ledger(w_)
    assert len(after) == len(entries)


def test_a_park_manager_cannot_write_judgements(w_: World) -> None:
    answer = _judge(w_, "pak.kiic", "kiic", _JUDGED.format(park="kiic"))
    assert answer.status_code == 403
