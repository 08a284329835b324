"""The national page's per-park figures kept at each park's data version (migration 0009).

Database triggers add one to a park's version with every change of its rows; the batch reads
(``GET /assessments/summaries``, ``GET /aggregates``) keep each park's figures with the
version they were computed at. Checked here: the triggers count the parks a row belongs to
(both ends of a flow), a write to one park makes the next read recompute that park alone,
the figures then equal the per-park routes, and a new pack version recomputes every park.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import delete, insert, select

from assess_cases import CRITERION, PACK_HEAD
from service_world import World, make_world
from sinergi.model.period import Period
from sinergi.store import audit
from sinergi.store import dashboard_cache as kept
from sinergi.store import schema as s
from sinergi.store import schema_platform as sp
from sinergi.store.audited import AuditedStore
from sinergi.store.rows import flow_row

EIP = "eip-framework-2.0"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    url = f"sqlite:///{tmp_path_factory.mktemp('kept') / 'kept.db'}"
    made, client = make_world(url)
    with client:
        yield made
    made.store.close()


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Record the parks every batch assessment read loads (one list per read)."""
    calls: list[list[str]] = []
    original = AuditedStore.load_each

    def counting(self: AuditedStore, park_ids: Any, period: Period) -> Any:
        wanted = sorted(park_ids)
        calls.append(wanted)
        return original(self, wanted, period)

    monkeypatch.setattr(AuditedStore, "load_each", counting)
    return calls


def versions(world: World) -> dict[str, int]:
    with world.store.reading() as conn:
        return kept.park_versions(conn)


def summaries(world: World, standard: str = EIP) -> dict[str, dict[str, Any]]:
    answer = world.client.get(
        "/api/v1/assessments/summaries", params={"standard": standard}, headers=world.auth("ana")
    )
    assert answer.status_code == 200, answer.text
    return {s["park_id"]: s for s in answer.json()}


def assert_equal_to_each_park(world: World, found: dict[str, dict[str, Any]], std: str) -> None:
    for park_id, summary in found.items():
        full = world.client.get(
            f"/api/v1/parks/{park_id}/assessment",
            params={"period": summary["period"], "standard": std},
            headers=world.auth("ana"),
        ).json()
        for key in ("coverage", "assessed", "encoded", "complete"):
            assert summary[key] == full[key], (park_id, key)


def test_a_flow_counts_for_the_parks_of_both_its_ends(world: World) -> None:
    eco = world.store.load(["kiic", "imip"])
    kiic = next(c for c in eco.companies.values() if c.park_id == "kiic")
    imip = next(c for c in eco.companies.values() if c.park_id == "imip")
    flow = replace(eco.flows[0], source=kiic.id, target=imip.id, commodity="steam")
    before = versions(world)
    with world.store.transaction() as conn:  # any code path: the trigger, not the caller
        conn.execute(insert(s.flows), [flow_row(flow, "kiic", None)])
    inserted = versions(world)
    with world.store.transaction() as conn:
        conn.execute(delete(s.flows).where(s.flows.c.commodity == "steam"))
    deleted = versions(world)
    for park in ("kiic", "imip"):  # the flow arrives in imip: imip's view changed too
        assert before[park] < inserted[park] < deleted[park]
    untouched = set(before) - {"kiic", "imip"}
    assert untouched
    assert {p: deleted[p] for p in untouched} == {p: before[p] for p in untouched}


def test_saving_the_same_catalogue_again_changes_no_version(world: World) -> None:
    eco = world.store.load(["kim"])
    before = versions(world)
    world.store.save(eco)  # writes every commodity again, unchanged
    after = versions(world)
    assert after[kept.CATALOGUE] == before[kept.CATALOGUE]
    assert after["kim"] > before["kim"]
    assert {p: v for p, v in after.items() if p != "kim"} == {
        p: v for p, v in before.items() if p != "kim"
    }


def test_kept_figures_are_read_back_without_loading_any_park(
    world: World, loads: list[list[str]]
) -> None:
    first = summaries(world)
    loads.clear()
    assert summaries(world) == first
    assert loads == []
    with world.store.reading() as conn:
        rows = conn.execute(select(sp.dashboard_cache.c.park_id)).scalars().all()
    assert set(first) <= set(rows)


def test_a_flow_written_to_one_park_recomputes_that_park_alone(
    world: World, loads: list[list[str]]
) -> None:
    before = summaries(world)
    assert before["kiic"]["assessed"] == 1  # its treated-wastewater share is assessed
    eco = world.store.load(["kiic"])
    eco.flows = [f for f in eco.flows if not f.commodity.startswith("wastewater")]
    loads.clear()
    world.store.save(eco)
    after = summaries(world)
    assert loads == [["kiic"]]
    assert after["kiic"]["assessed"] == 0  # nothing stale: the new figure, at once
    assert {p: s for p, s in after.items() if p != "kiic"} == {
        p: s for p, s in before.items() if p != "kiic"
    }
    assert_equal_to_each_park(world, after, EIP)


def test_a_record_written_to_one_park_recomputes_that_park_alone(
    world: World, loads: list[list[str]]
) -> None:
    summaries(world)
    eco = world.store.load(["mm2100"])
    record = eco.workforce[0]
    eco.workforce[0] = replace(record, female=(record.female or 0) + 1)
    loads.clear()
    world.store.save(eco)
    after = summaries(world)
    assert loads == [["mm2100"]]
    assert_equal_to_each_park(world, after, EIP)


def test_a_ledger_entry_alone_recomputes_nothing(world: World, loads: list[list[str]]) -> None:
    # applying a judgements form only appends to the ledger (judgements are not stored
    # data, and the summaries are without judgements, as GET /parks/{id}/assessment)
    first = summaries(world)
    with world.store.transaction() as conn:
        audit.append(conn, world.store.actor, "judgements.apply", "assessment", "kiic/2024/x")
    loads.clear()
    assert summaries(world) == first
    assert loads == []


def test_a_new_pack_version_recomputes_every_park(world: World, loads: list[list[str]]) -> None:
    def upload(text: str) -> None:
        files = {"file": ("mine.yaml", text.encode(), "application/yaml")}
        answer = world.client.post("/api/v1/standards", headers=world.auth("ana"), files=files)
        assert answer.status_code in {200, 201}, answer.text

    upload(PACK_HEAD + CRITERION)
    first = summaries(world, "mine")
    assert {s["encoded"] for s in first.values()} == {1}
    loads.clear()
    summaries(world, "mine")
    assert loads == []
    second = CRITERION.replace("id: c1", "id: c2").replace("name_en: C1", "name_en: C2")
    upload(PACK_HEAD.replace("version: '1'", "version: '2'") + CRITERION + second)
    newer = summaries(world, "mine")
    assert sorted(p for call in loads for p in call) == sorted(first)
    assert {s["encoded"] for s in newer.values()} == {2}
    assert_equal_to_each_park(world, newer, "mine")


@pytest.mark.parametrize("user", ["ana", None])
def test_kept_totals_equal_each_parks_totals_after_a_write(world: World, user: str | None) -> None:
    headers = world.auth(user) if user else {}
    world.client.get("/api/v1/aggregates", headers=headers)  # kept now
    eco = world.store.load(["kiic"])
    eco.flows = eco.flows[: len(eco.flows) // 2]
    world.store.save(eco)
    batch = world.client.get("/api/v1/aggregates", headers=headers).json()
    assert batch
    for item in batch:
        one = world.client.get(f"/api/v1/parks/{item['park_id']}/aggregates", headers=headers)
        expected = one.json()
        assert [t["quantity"] for t in item["totals"]] == [
            None if t["quantity"] is None else pytest.approx(t["quantity"], rel=1e-12)
            for t in expected["totals"]
        ]
        assert {**item, "totals": []} == {**expected, "totals": []}
        assert [t["suppressed"] for t in item["totals"]] == [
            t["suppressed"] for t in expected["totals"]
        ]


def test_a_write_between_versions_and_data_is_recomputed_next_time(
    world: World, loads: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    summaries(world)
    whole = world.store.load(["giic"])
    without = world.store.load(["giic"])
    without.flows = [f for f in without.flows if not f.commodity.startswith("wastewater")]
    world.store.save(without)  # giic's kept summary is now out of date
    original = kept.park_versions

    def versions_then_a_write(conn: Any) -> dict[str, int]:
        read = original(conn)
        monkeypatch.setattr(kept, "park_versions", original)  # one write only
        world.store.save(whole)  # lands after the versions were read, before the data
        return read

    monkeypatch.setattr(kept, "park_versions", versions_then_a_write)
    loads.clear()
    during = summaries(world)
    assert loads == [["giic"]]
    assert during["giic"]["assessed"] == 1  # computed from the data after the write
    loads.clear()
    after = summaries(world)
    assert loads == [["giic"]]  # kept with the older version: computed again, not trusted
    assert after["giic"]["assessed"] == 1
    assert_equal_to_each_park(world, after, EIP)
