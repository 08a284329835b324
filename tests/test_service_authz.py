"""Authorisation generated from THE table (tests/service_authz.py): every role × operation × object.

One shared world (SQLite) serves every cell: writes an allowed role makes may answer 409 or 422
on a repeat, which still shows the policy let it through ("ok" means: not 401, 403 or 404).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from service_authz import OK, ROLES, TABLE
from service_world import ROLE_USER, World, make_world
from sinergi.io import write_file
from sinergi.model.accounts import Grant, Role
from sinergi.model.exchanges import Exchange
from sinergi.model.period import Period
from sinergi.store import accounts
from sinergi.store import jobs as job_rows
from sinergi.store import submissions as subs
from sinergi.web.app import create_app

Request = tuple[str, str, dict[str, Any]]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("authz")
    made, client = make_world(f"sqlite:///{folder / 'w.db'}")
    with client:
        _objects(made, folder)
        yield made
    made.store.close()


def _objects(w: World, folder: Path) -> None:
    kiic, mm = w.companies["kiic"], w.companies["mm2100"]
    w.objects = {}  # type: ignore[attr-defined]
    with w.store.transaction() as conn:
        own = subs.create(conn, w.store.actor, kiic[0], "2024", [])
        foreign = subs.create(conn, w.store.actor, mm[0], "2024", [])
        jobs = {}
        for name in ("ana", "citra", "pak.kiic", "tina", "vera", "pak.mm"):
            user = accounts.user_by_name(conn, name)
            jobs[name] = job_rows.create(conn, "assess_parks", {"parks": []}, user.id, None).id
    exchanges = {}
    for park, (a, b) in (("kiic", kiic[:2]), ("mm2100", mm[:2])):
        x = Exchange(
            a, b, "nickel_slag", "aggregate", "authz-test", Period.parse("2024"), 1.0, 0.0, 0.0, 0.0
        )
        w.store.propose_exchanges([x])
        exchanges[park] = x.id
    _passports(w)
    eco = w.store.load(["kiic", "mm2100"])
    files = {}
    for park in ("kiic", "mm2100"):
        path = folder / f"{park}.yaml"
        write_file(eco, path, park_ids=[park])
        files[park] = path.read_bytes()
    w.objects.update(  # type: ignore[attr-defined]
        submission={"own": own.id, "foreign": foreign.id},
        jobs=jobs,
        exchanges=exchanges,
        files=files,
    )


def _passports(w: World) -> None:
    from sinergi.reports.demo_custody import CLAIMS, MODELS, demo_chain, demo_packs
    from sinergi.store.custody import CustodyRecords

    CustodyRecords(w.store).append(
        demo_chain(),
        models=MODELS,
        claims=CLAIMS,
        packs={p.pack_id: p.model_dump(mode="json") for p in demo_packs()},
    )


def _request(w: World, op: str, user: str | None, side: str) -> Request:  # noqa: PLR0911, PLR0912
    o: dict[str, Any] = w.objects  # type: ignore[attr-defined]
    park = "kiic" if side == "own" else "mm2100"
    company = w.companies["kiic"][0] if side == "own" else w.companies["mm2100"][0]
    sub = o["submission"][side]
    if op in SIMPLE:
        method, path = SIMPLE[op]
        return method, path.format(park=park, company=company, sub=sub), {}
    if op == "login":
        return "POST", "/auth/token", {"data": {"username": "ana", "password": "wrong password"}}
    if op == "update_me":
        return "PATCH", "/users/me", {"json": {"display_name": "Renamed"}}
    if op == "create_user":
        body = {
            "username": "newbie",
            "display_name": "N",
            "organisation_id": "kemenperin",
            "password": "a long enough password",
        }
        return "POST", "/users", {"json": body}
    if op == "create_organisation":
        return "POST", "/organisations", {"json": {"id": "org-x", "name": "X", "kind": "verifier"}}
    if op in {"grant_role", "revoke_role"}:
        # vera (a verifier) gains or loses batamindo; her kiic grant stays for the other rows
        with w.store.transaction() as conn:
            vera = accounts.user_by_name(conn, "vera")
            if op == "revoke_role":
                accounts.grant(conn, w.store.actor, "vera", Grant(Role.VERIFIER, "batamindo"))
        suffix = "" if op == "grant_role" else "/revoke"
        body = {"role": "verifier", "park_id": "batamindo"}
        return "POST", f"/users/{vera.id}/grants{suffix}", {"json": body}
    if op == "import_file":
        files = {"file": (f"{park}.yaml", o["files"][park], "application/yaml")}
        return "POST", "/imports", {"files": files}
    if op == "park_assessment_with_judgements":
        form = {"judgements": ("j.yaml", b"rows: []\n", "application/yaml")}
        return "POST", f"/parks/{park}/assessment", {"files": form, "data": {"period": "2024"}}
    if op == "import_file_in_background":
        files = {"file": (f"{park}.yaml", o["files"][park], "application/yaml")}
        return "POST", "/imports/jobs", {"files": files}
    if op == "add_standard":
        form = {"file": ("p.yaml", b"id: authz-pack\n", "application/yaml")}
        return "POST", "/standards", {"files": form}
    if op == "create_submission":
        return "POST", "/submissions", {"json": {"company_id": company, "period": "2025"}}
    if op == "replace_submission_flows":
        return "PUT", f"/submissions/{sub}/flows", {"json": {"row_version": 1, "flows": []}}
    if op == "move_submission":
        body = {"to": "approved", "row_version": 99}
        return "POST", f"/submissions/{sub}/moves", {"json": body}
    if op == "correct_submission":
        return "POST", f"/submissions/{sub}/corrections", {"json": {"reason": "typo in 2024"}}
    if op == "attest_submission":
        return "POST", f"/submissions/{sub}/attestations", {"json": {"statement": "checked"}}
    if op == "decide_exchange":
        x = o["exchanges"][park]
        return "POST", f"/exchanges/{x}/status", {"json": {"status": "under_discussion"}}
    if op == "start_job":
        return "POST", "/jobs", {"json": {"kind": "assess_parks", "parks": [park]}}
    if op in {"get_job", "cancel_job"}:
        owner = (user or "ana") if side == "own" else ("pak.mm" if user != "pak.mm" else "ana")
        job = o["jobs"][owner]
        return (
            ("GET", f"/jobs/{job}", {}) if op == "get_job" else ("POST", f"/jobs/{job}/cancel", {})
        )
    raise AssertionError(f"no request recipe for {op}: add one")


SIMPLE: dict[str, tuple[str, str]] = {
    "health": ("GET", "/health"),
    "me": ("GET", "/users/me"),
    "list_users": ("GET", "/users"),
    "list_organisations": ("GET", "/organisations"),
    "list_parks": ("GET", "/parks"),
    "get_park": ("GET", "/parks/{park}"),
    "park_aggregates": ("GET", "/parks/{park}/aggregates"),
    "latest_aggregates": ("GET", "/aggregates"),
    "yearly_aggregates": ("GET", "/aggregates/years"),
    "park_land_use": ("GET", "/parks/{park}/land-use"),
    "list_smelters": ("GET", "/smelters"),
    "list_companies": ("GET", "/parks/{park}/companies"),
    "get_company": ("GET", "/companies/{company}"),
    "company_footprints": ("GET", "/companies/{company}/footprints"),
    "list_facilities": ("GET", "/parks/{park}/facilities"),
    "list_flows": ("GET", "/parks/{park}/flows"),
    "park_services": ("GET", "/parks/{park}/services"),
    "list_imports": ("GET", "/imports"),
    "export_park": ("GET", "/parks/{park}/export"),
    "list_submissions": ("GET", "/submissions"),
    "get_submission": ("GET", "/submissions/{sub}"),
    "submission_events": ("GET", "/submissions/{sub}/events"),
    "park_assessment": ("GET", "/parks/{park}/assessment"),
    "list_standards": ("GET", "/standards"),
    "get_standard": ("GET", "/standards/permenperin-26-2025"),
    "assessment_inputs": ("GET", "/parks/{park}/assessment-inputs"),
    "compare_assessments": ("GET", "/assessments/compare?park={park}"),
    "assessment_summaries": ("GET", "/assessments/summaries"),
    "footprint_names": ("GET", "/footprints"),
    "product_footprint": ("GET", "/footprints/niso4"),
    "plant_footprint": ("GET", "/companies/{company}/footprints/mhp-plant?period=2024"),
    "battery_forecast": ("GET", "/battery/forecast"),
    "battery_recycling": ("GET", "/battery/recycling"),
    "battery_swap": ("GET", "/battery/swap?riders=1000"),
    "passport_read": ("GET", "/passports/urn:sinergi:demoswappack1"),
    "list_exchanges": ("GET", "/parks/{park}/exchanges"),
    "list_jobs": ("GET", "/jobs"),
    "audit_entries": ("GET", "/audit/entries"),
    "audit_verify": ("GET", "/audit/verify"),
    "audit_checkpoint": ("GET", "/audit/checkpoint"),
}

CASES = [
    pytest.param(op, role, side, id=f"{op}-{role}-{side}")
    for op in sorted(TABLE)
    for side in ("own", "foreign")
    for role in ROLES
]


@pytest.mark.parametrize(("op", "role", "side"), CASES)
def test_role_table(world: World, op: str, role: str, side: str) -> None:
    expected = TABLE[op][side][ROLES.index(role)]
    user = ROLE_USER[Role(role)]
    method, path, kwargs = _request(world, op, user, side)
    if op == "login":
        kwargs = {"data": {"username": "ana", "password": "correct horse battery staple"}}
    answer = world.client.request(method, "/api/v1" + path, headers=world.auth(user), **kwargs)
    assert answer.status_code != 500, answer.text
    if expected == OK:
        assert answer.status_code not in {401, 403, 404}, (answer.status_code, answer.text)
    else:
        assert answer.status_code == int(expected), (answer.status_code, answer.text)


def test_every_operation_has_a_row_for_every_role(tmp_path: Path) -> None:
    app = create_app(start_jobs=False)
    operations = {
        op["operationId"]
        for item in app.openapi()["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }
    assert sorted(operations - set(TABLE)) == [], "add a row to tests/service_authz.py"
    assert sorted(set(TABLE) - operations) == [], "a row names an operation that is gone"
    assert all(len(row["own"]) == len(row["foreign"]) == len(ROLES) for row in TABLE.values())
