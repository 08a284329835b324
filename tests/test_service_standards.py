"""User-defined standards packs through the service: added by the ministry, versioned, audited."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import httpx
import pytest

from assess_cases import CRITERION, PACK_HEAD
from service_world import World, make_world

SECOND = CRITERION.replace("id: c1", "id: c2").replace("name_en: C1", "name_en: C2")


@pytest.fixture(scope="module")
def w(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("standards")
    made, client = make_world(f"sqlite:///{folder / 'w.db'}")
    with client:
        yield made
    made.store.close()


def _upload(w: World, user: str, text: str, name: str = "mine.yaml") -> httpx.Response:
    files = {"file": (name, text.encode(), "application/yaml")}
    # problem details answer in the caller's language; these tests read the English wording
    headers = {**w.auth(user), "Accept-Language": "en"}
    return w.client.post("/api/v1/standards", headers=headers, files=files)


def _ledger(w: World) -> list[dict[str, object]]:
    params = {"object_type": "standards_pack", "limit": 500}
    got = w.client.get("/api/v1/audit/entries", headers=w.auth("ana"), params=params)
    return got.json()  # type: ignore[no-any-return]


def test_the_ministry_adds_a_pack_that_parks_are_then_assessed_against(w: World) -> None:
    text = PACK_HEAD + CRITERION
    added = _upload(w, "ana", text)
    assert added.status_code == 201, added.text
    assert added.json()["status"] == "added"
    listed = w.client.get("/api/v1/standards").json()
    origins = {p["id"]: p["origin"] for p in listed}
    assert origins["mine"] == "stored"
    assert origins["permenperin-26-2025"] == "shipped"
    detail = w.client.get("/api/v1/standards/mine").json()
    assert detail["yaml"] == text
    assert detail["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert detail["added_by"] == "ana"
    result = w.client.get(
        "/api/v1/parks/kiic/assessment", headers=w.auth("ana"), params={"standard": "mine"}
    )
    assert result.status_code == 200, result.text
    assert [c["id"] for c in result.json()["criteria"]] == ["c1"]
    entries = [e for e in _ledger(w) if e["object_id"] == "mine@1"]
    assert len(entries) == 1
    assert entries[0]["after_sha256"] == detail["sha256"]


def test_the_same_pack_again_changes_nothing(w: World) -> None:
    _upload(w, "ana", PACK_HEAD + CRITERION)
    before = len(_ledger(w))
    again = _upload(w, "ana", PACK_HEAD + CRITERION)
    assert again.status_code == 200
    assert again.json()["status"] == "unchanged"
    assert len(_ledger(w)) == before


def test_other_content_under_a_stored_version_is_a_conflict(w: World) -> None:
    _upload(w, "ana", PACK_HEAD + CRITERION)
    changed = _upload(w, "ana", PACK_HEAD + CRITERION + SECOND)
    assert changed.status_code == 409
    assert "new version" in changed.json()["detail"]


def test_a_new_version_is_used_and_the_old_one_stays_readable(w: World) -> None:
    _upload(w, "ana", PACK_HEAD + CRITERION)
    newer = PACK_HEAD.replace("version: '1'", "version: '2'") + CRITERION + SECOND
    assert _upload(w, "ana", newer).status_code == 201
    detail = w.client.get("/api/v1/standards/mine").json()
    assert detail["version"] == "2"
    assert detail["versions"] == ["1", "2"]
    old = w.client.get("/api/v1/standards/mine", params={"version": "1"}).json()
    assert old["criteria"] == 1
    result = w.client.get(
        "/api/v1/parks/kiic/assessment", headers=w.auth("ana"), params={"standard": "mine"}
    ).json()
    assert [c["id"] for c in result["criteria"]] == ["c1", "c2"]


def test_a_shipped_pack_cannot_be_replaced(w: World) -> None:
    shipped = PACK_HEAD.replace("id: mine", "id: permenperin-26-2025") + CRITERION
    answer = _upload(w, "ana", shipped)
    assert answer.status_code == 409
    assert "shipped" in answer.json()["detail"]


def test_a_broken_pack_is_refused_with_every_problem_located(w: World) -> None:
    head = PACK_HEAD.replace("title_id: Milik saya\n", "").replace("status: verified", "status: ok")
    broken = head + CRITERION
    answer = _upload(w, "ana", broken, name="my pack.yaml")
    assert answer.status_code == 422
    messages = [i["message_en"] for i in answer.json()["issues"]]
    assert any(m.startswith("my_pack.yaml: title_id") for m in messages), messages
    assert any(m.startswith("my_pack.yaml: verification.status") for m in messages), messages
    assert w.client.get("/api/v1/standards/nonexistent-pack").status_code == 404


@pytest.mark.parametrize("user", ["citra", "pak.kiic", "tina", "vera"])
def test_only_the_ministry_adds_packs(w: World, user: str) -> None:
    answer = _upload(w, user, PACK_HEAD.replace("id: mine", "id: theirs") + CRITERION)
    assert answer.status_code == 403
    listed = {p["id"] for p in w.client.get("/api/v1/standards").json()}
    assert "theirs" not in listed
