"""The national page's batch reads give exactly what the per-park API routes give.

The national page reads every park's published totals and assessment summary at once
(``GET /aggregates``, ``GET /assessments/summaries``) instead of park by park; a reader must
see the same figures either way, so each batch answer is compared with the per-park route
for every park of the service world, for a reader who sees everything and for the public.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from service_world import World, make_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    url = f"sqlite:///{tmp_path_factory.mktemp('batch') / 'batch.db'}"
    made, client = make_world(url)
    with client:
        yield made
    made.store.close()


def test_split_gives_each_park_what_subset_gives(world: World) -> None:
    eco = world.store.load()
    kiic = next(c for c in eco.companies.values() if c.park_id == "kiic")
    imip = next(c for c in eco.companies.values() if c.park_id == "imip")
    # a flow across two parks belongs to its source's park only, as the store keeps it
    eco.flows.append(replace(eco.flows[0], source=kiic.id, target=imip.id))
    parts = eco.split()
    assert sorted(parts) == sorted(eco.parks)
    assert eco.flows[-1] in parts["kiic"].flows
    assert eco.flows[-1] not in parts["imip"].flows
    for park_id, part in parts.items():
        alone = eco.subset([park_id])
        assert part.parks == alone.parks
        assert part.companies == alone.companies
        assert part.facilities == alone.facilities
        assert part.processes == alone.processes
        assert part.flows == alone.flows
        assert dict(part.records()) == dict(alone.records())


@pytest.mark.parametrize("user", ["ana", None])
def test_all_parks_aggregates_equal_each_parks_aggregates(world: World, user: str | None) -> None:
    headers = world.auth(user) if user else {}
    batch = world.client.get("/api/v1/aggregates", headers=headers).json()
    parks = world.client.get("/api/v1/parks").json()
    assert [a["park_id"] for a in batch] == sorted(p["id"] for p in parks)
    assert any(a["totals"] for a in batch)
    if user is None:
        assert any(t["suppressed"] for a in batch for t in a["totals"])
    for item in batch:
        one = world.client.get(f"/api/v1/parks/{item['park_id']}/aggregates", headers=headers)
        expected = one.json()
        # the database may add a park's rows in another order: equal to the last bits only
        assert _without_quantities(item) == _without_quantities(expected)
        assert [t["quantity"] for t in item["totals"]] == [
            None if t["quantity"] is None else pytest.approx(t["quantity"], rel=1e-12)
            for t in expected["totals"]
        ]


def _without_quantities(aggregates: dict[str, Any]) -> dict[str, Any]:
    totals = [{k: v for k, v in t.items() if k != "quantity"} for t in aggregates["totals"]]
    return {**aggregates, "totals": totals}


@pytest.mark.parametrize("standard", ["permenperin-26-2025", "eip-framework-2.0"])
def test_assessment_summaries_equal_each_parks_assessment(world: World, standard: str) -> None:
    headers = world.auth("ana")
    summaries = world.client.get(
        "/api/v1/assessments/summaries", params={"standard": standard}, headers=headers
    ).json()
    parks = {p["id"]: p for p in world.client.get("/api/v1/parks").json()}
    with_data = sorted(pid for pid, p in parks.items() if p["periods"])
    assert [s["park_id"] for s in summaries] == with_data
    if standard == "eip-framework-2.0":  # parks differ: the comparison can tell them apart
        assert {s["assessed"] for s in summaries} == {0, 1}
    for summary in summaries:
        assert summary["period"] == parks[summary["park_id"]]["periods"][-1][:4]
        full = world.client.get(
            f"/api/v1/parks/{summary['park_id']}/assessment",
            params={"period": summary["period"], "standard": standard},
            headers=headers,
        ).json()
        for key in ("coverage", "assessed", "encoded", "complete"):
            assert summary[key] == full[key], (summary["park_id"], key)


def test_assessment_summaries_list_only_parks_the_reader_may_assess(world: World) -> None:
    manager = world.client.get("/api/v1/assessments/summaries", headers=world.auth("pak.kiic"))
    assert [s["park_id"] for s in manager.json()] == ["kiic"]
    assert (
        world.client.get("/api/v1/assessments/summaries", headers=world.auth("tina")).json() == []
    )
    assert world.client.get("/api/v1/assessments/summaries").json() == []
