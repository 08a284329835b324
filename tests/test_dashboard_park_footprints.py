"""The park page's footprints of the park's products (no browser).

The park's staff and the ministry see the footprint per unit of output of every process in
the park, computed from the park's stored flows of the page's period and equal to an
independently built footprint model's; the public, who may not read tenant data, sees none.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from i18n_checks import english_left_on
from service_world import World, make_world, signed_in
from sinergi.footprint.ecosystem import process_footprints
from sinergi.footprint.scenarios import FootprintModel
from sinergi.i18n import format_number


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    url = f"sqlite:///{tmp_path_factory.mktemp('park-footprints') / 'park.db'}"
    made, client = make_world(url)
    with client:
        yield made
    made.store.close()


def _table(page: str) -> str:
    found = re.search(r'<table id="park-footprints"[^>]*>.*?</table>', page, re.S)
    assert found is not None
    return found.group(0)


def test_the_park_manager_sees_every_process_footprint_of_an_independent_model(
    world: World,
) -> None:
    eco = world.store.load(["kiic"])
    independent = process_footprints(FootprintModel(method="ar6"), eco, "2024", park="kiic")
    assert len(independent) >= 2
    page = signed_in(world, "pak.kiic").get("/parks/kiic?period=2024&lang=id").text
    table = _table(page)
    rows = re.findall(r"<tr><td>.*?</tr>", table, re.S)
    assert len(rows) == len(independent)
    for pid, result in independent.items():
        process = eco.processes[pid]
        company = eco.companies[eco.facilities[process.facility_id].company_id]
        start = f'<tr><td>{html.escape(company.name)}</td><th scope="row">{process.name}</th>'
        (row,) = [r for r in rows if r.startswith(start)]
        assert f">{format_number(result.score, 'id', 3)}<" in row
    assert english_left_on(table) == []


def test_the_ministry_sees_them_and_the_public_does_not(world: World) -> None:
    ministry = signed_in(world, "ana").get("/parks/kiic?period=2024&lang=en").text
    assert 'id="park-footprints"' in ministry
    assert "Footprints of the park's products" in html.unescape(ministry)
    public = world.client.get("/parks/kiic?period=2024&lang=en").text
    assert 'id="park-footprints"' not in public
    assert "Footprints of the park" not in public


def test_a_tenant_sees_only_its_own_processes(world: World) -> None:
    eco = world.store.load(["kiic"])
    own = world.companies["kiic"][0]
    page = signed_in(world, "tina").get("/parks/kiic?period=2024&lang=en").text
    table = _table(page)
    rows = re.findall(r"<tr><td>(.*?)</td>", table, re.S)
    assert rows
    assert set(rows) == {html.escape(eco.companies[own].name)}
