"""Smelters on the national map: the registry's public plant facts, read and drawn apart.

The registry is the shipped sourced rows (real plants, no coordinates: listed, not drawn) and
a small synthetic set (coordinates: drawn, each labelled synthetic). An empty registry draws
no smelter layer and says why.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from service_world import World, make_world
from sinergi.io.national.readers import read_registry
from sinergi.national.build import registry_rows
from sinergi.national.synthetic import synthetic_registry
from sinergi.store.national import save_registry


def registry() -> dict[str, list[dict[str, Any]]]:
    """Return the shipped sourced registry plus twelve synthetic smelters and six units."""
    path = Path(str(resources.files("sinergi.data.national").joinpath("registry-sourced.yaml")))
    sourced = read_registry(path)
    synthetic = registry_rows(synthetic_registry(12, 6, seed=7))
    return {
        "smelters": sourced["smelters"] + synthetic["smelters"],
        "units": sourced["units"] + synthetic["captive_units"],
        "production": synthetic["production"],
    }


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    url = f"sqlite:///{tmp_path_factory.mktemp('smelters') / 'smelters.db'}"
    made, client = make_world(url)
    with client:
        yield made
    made.store.close()


def map_data(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', page, re.S)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_empty_registry_draws_no_smelter_layer_and_says_so(world: World) -> None:
    assert world.client.get("/api/v1/smelters").json() == []
    page = world.client.get("/?lang=en").text
    assert map_data(page)["smelters"] == []
    assert 'id="no-smelters"' in page
    assert 'id="smelter-table"' not in page


def test_public_reads_every_smelter_with_its_plant_facts(world: World) -> None:
    rows = registry()
    save_registry(world.store, rows, file="registry.yaml")
    listed = world.client.get("/api/v1/smelters").json()
    assert [s["id"] for s in listed] == sorted(r["id"] for r in rows["smelters"])
    vale = next(s for s in listed if s["id"] == "vale-sorowako")
    # the sourced file's one captive unit: 365 MW of operating hydropower for Vale
    assert vale["captive_mw"] == {"hydro": 365.0}
    assert vale["synthetic"] is False
    assert vale["latitude"] is None
    assert vale["source"].startswith("IEEFA (2024)")
    # a synthetic smelter's captive power is the sum of its operating units, by fuel
    for smelter in (s for s in listed if s["synthetic"]):
        expected: dict[str, float] = {}
        for unit in rows["units"]:
            if unit.get("smelter") == smelter["id"] and unit["status"] == "operating":
                fuel = unit.get("fuel") or "coal"
                expected[fuel] = expected.get(fuel, 0.0) + unit["capacity_mw"]
        assert smelter["captive_mw"] == pytest.approx(expected)
    assert any(s["captive_mw"] for s in listed if s["synthetic"])


def test_map_draws_smelters_with_coordinates_labelled_synthetic(world: World) -> None:
    listed = world.client.get("/api/v1/smelters").json()
    page = world.client.get("/?lang=en").text
    points = map_data(page)["smelters"]
    drawn = [s for s in listed if s["latitude"] is not None]
    assert [p["id"] for p in points] == [s["id"] for s in drawn]
    assert len(drawn) == 12  # the synthetic ones; the sourced rows give no coordinates
    for point, smelter in zip(points, drawn, strict=True):
        assert (point["lat"], point["lon"]) == (smelter["latitude"], smelter["longitude"])
        assert point["synthetic"] is smelter["synthetic"]
        assert ("synthetic row (not a real plant)" in point["hover"]) is smelter["synthetic"]
    assert 'id="synthetic-smelters"' in page
    assert map_data(page)["labels"]["smelters_synthetic"] == "Smelters (synthetic rows)"
    # every smelter is in the table, drawn or not, with its source or the synthetic flag
    table = html.unescape(page[page.index('id="smelter-table"') :])
    missing = [s["name"] for s in listed if s["name"] not in table]
    assert not missing, missing
    assert "PT Vale Indonesia, Sorowako" in table
    assert "365 MW hydropower" in table


def test_indonesian_page_names_routes_and_statuses_in_indonesian(world: World) -> None:
    page = world.client.get("/?lang=id").text
    points = map_data(page)["smelters"]
    assert map_data(page)["labels"]["smelters_synthetic"] != "Smelters (synthetic rows)"
    assert all("synthetic row" not in p["hover"] for p in points)
    table = page[page.index('id="smelter-table"') :]
    assert "365 MW tenaga air" in table
    assert "converter to nickel matte" not in table
