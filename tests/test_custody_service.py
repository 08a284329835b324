"""The passport in the platform service: the identifier resolves, the role decides the view."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service_world import World, make_world
from sinergi.reports.demo_custody import CLAIMS, MODELS, demo_chain, demo_packs
from sinergi.store.custody import CustodyRecords


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder: Path = tmp_path_factory.mktemp("passport")
    made, client = make_world(f"sqlite:///{folder / 'w.db'}")
    CustodyRecords(made.store).append(
        demo_chain(),
        models=MODELS,
        claims=CLAIMS,
        packs={p.pack_id: p.model_dump(mode="json") for p in demo_packs()},
    )
    with client:
        yield made
    made.store.close()


def _passport(world: World, user: str | None, passport: str = "urn:sinergi:demoevpack1") -> dict:
    response = world.client.get(f"/api/v1/passports/{passport}", headers=world.auth(user))
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    ("user", "view"),
    [
        (None, "public"),
        ("tina", "legitimate"),
        ("citra", "legitimate"),
        ("vera", "authority"),
        ("ana", "authority"),
    ],
)
def test_each_role_reads_the_view_its_access_tier_allows(
    world: World, user: str | None, view: str
) -> None:
    record = _passport(world, user)
    assert record["audience"] == view
    has_status = "batteryStatus" in record["GeneralProductInformation"]
    assert has_status == (view != "public")  # attribute 11: legitimate interest


def test_the_public_address_of_a_passport_is_the_one_in_its_qr_code(world: World) -> None:
    record = _passport(world, None)
    assert record["sinergi"]["publicUrl"].endswith("/api/v1/passports/urn:sinergi:demoevpack1")


def test_an_unknown_passport_is_404(world: World) -> None:
    response = world.client.get("/api/v1/passports/urn:sinergi:nosuchpack")
    assert response.status_code == 404
