"""The plant footprint through the service: the same numbers as the engine, and who may read it.

``GET /companies/{id}/footprints/{product}`` reads the company's own reported flows of a period
(approved or locked unless ``include_unapproved``). The tests load the synthetic HPAL plant of
``footprint_plant_world`` into the service's demo world and compare the answer with the engine
run on the same rows directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from footprint_plant_world import COMPANY, PERIOD, hpal_ecosystem, hpal_rows
from service_world import World, make_world
from sinergi.footprint.network import Settings
from sinergi.footprint.plant_flows import read_plant_flows
from sinergi.footprint.scenarios import FootprintModel
from sinergi.model.accounts import Role
from sinergi.model.audit import Actor
from sinergi.model.submissions import SubmissionStatus
from sinergi.store import reads
from sinergi.store import submissions as subs

URL = f"/api/v1/companies/{COMPANY}/footprints/mhp-plant?period={PERIOD}"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    made, client = make_world(f"sqlite:///{tmp_path / 'plant-api.db'}")
    made.store.save(hpal_ecosystem())
    with client:
        yield made
    made.store.close()


def _draft(world: World) -> subs.Submission:
    with world.store.transaction() as conn:
        return subs.create(conn, Actor("tenant"), COMPANY, PERIOD, hpal_rows())


def _approve(world: World, made: subs.Submission) -> None:
    with world.store.transaction() as conn:
        moved = subs.move(
            conn, Actor("tenant"), Role.TENANT, made.id, SubmissionStatus.SUBMITTED, None, 1
        )
        subs.move(
            conn, Actor("pak"), Role.PARK_MANAGER, moved.id, SubmissionStatus.APPROVED, None, 2
        )


def _expected_score() -> float:
    model = FootprintModel()
    with_nodes = {COMPANY, f"{COMPANY}.site", f"{COMPANY}.line", f"{COMPANY}.power"}
    reading = read_plant_flows(
        hpal_rows(), frozenset(with_nodes), model.inventory, node=COMPANY, source="s", year=2024
    )
    return model.footprint("mhp-plant", overrides=Settings(plant=reading.values)).score


def test_the_api_footprint_equals_the_engine_on_the_approved_rows(world: World) -> None:
    _approve(world, _draft(world))
    english = {**world.auth("ana"), "Accept-Language": "en"}
    answer = world.client.get(URL, headers=english)
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["score_t_co2e"] == pytest.approx(_expected_score(), rel=1e-12)
    assert data["plant_data"]["generic_score_t_co2e"] == pytest.approx(20.0)
    assert data["plant_reading"]["source"].endswith("v1, approved")
    assert data["parameters"]["hpal_electricity_mwh_per_t_ni"]["plant_data"] is True
    indonesian = world.client.get(URL, headers={**world.auth("ana"), "Accept-Language": "id"})
    assert indonesian.json()["plant_reading"]["source"].endswith("v1, disetujui")


def test_the_api_refuses_a_draft_by_default_and_names_it(world: World) -> None:
    draft = _draft(world)
    english = {**world.auth("ana"), "Accept-Language": "en"}
    refused = world.client.get(URL, headers=english)
    assert refused.status_code == 422
    assert f"submission {draft.id} v1, draft" in refused.json()["detail"]
    asked = world.client.get(URL + "&include_unapproved=true", headers=world.auth("ana"))
    assert asked.status_code == 200, asked.text
    assert asked.json()["score_t_co2e"] == pytest.approx(_expected_score(), rel=1e-12)


def test_another_parks_tenant_and_the_public_cannot_read_the_plant(world: World) -> None:
    _approve(world, _draft(world))
    # a tenant of another park does not learn that the company exists (as every tenant route)
    hidden = world.client.get(URL, headers=world.auth("tina"))
    assert hidden.status_code == 404
    assert "score_t_co2e" not in hidden.text
    assert world.client.get(URL).status_code == 401


def test_a_node_of_another_company_is_not_found(world: World) -> None:
    _approve(world, _draft(world))
    with world.store.reading() as conn:
        other = reads.company_row(conn, world.companies["kiic"][0])
    assert other is not None
    answer = world.client.get(URL + f"&node={other['id']}", headers=world.auth("ana"))
    assert answer.status_code == 404
