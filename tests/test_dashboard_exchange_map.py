"""The park page's exchange map: the layout (pure) and the drawn page (test client, no browser).

The map must draw each stored exchange once, from its supplier to its receiver, in its
status's style, with widths compared only within one unit, and show nothing to readers the
API keeps exchanges from (the public, tenants).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

import numpy as np
import pytest

from i18n_checks import english_left_on
from service_world import World, make_world, signed_in
from sinergi.model.exchanges import ExchangeStatus
from sinergi.model.period import Period
from sinergi.symbiosis.recommend import recommend
from sinergi.web.pages.exchange_map import (
    NARROWEST,
    OTHER_PARKS,
    WIDEST,
    MapExchange,
    MapTenant,
    edge_path,
    edge_widths,
    exchange_map,
    layout_nodes,
)

TENANTS = [
    MapTenant("p.food-1", "Food one", ("10790",)),
    MapTenant("p.auto-1", "Auto one", ("29300",)),
    MapTenant("p.food-2", "Food two", ("10750",)),
    MapTenant("p.elec-1", "Electronics one", ("26100",)),
    MapTenant("p.auto-2", "Auto two", ("29300", "10790")),
    MapTenant("p.none", "No code", ()),
]


def test_layout_does_not_depend_on_the_order_tenants_arrive_in() -> None:
    rng = np.random.default_rng(15)
    side, nodes, groups = layout_nodes(TENANTS, frozenset())
    for _ in range(5):
        shuffled = [TENANTS[i] for i in rng.permutation(len(TENANTS))]
        assert layout_nodes(shuffled, frozenset()) == (side, nodes, groups)


def test_tenants_of_one_kbli_division_are_neighbours_in_division_order() -> None:
    _side, nodes, groups = layout_nodes(TENANTS, frozenset())
    order = [n.group for n in nodes]
    # divisions ascending by their first code, companies without a code last
    assert order == ["10", "10", "26", "29", "29", ""]
    assert [n.id for n in nodes[:2]] == ["p.food-1", "p.food-2"]  # by name inside a group
    assert [g.key for g in groups] == ["10", "26", "29", ""]


def test_nodes_sit_on_one_circle_clockwise_from_the_top() -> None:
    side, nodes, _groups = layout_nodes(TENANTS, frozenset())
    centre = side / 2
    radii = {round(math.hypot(n.x - centre, n.y - centre), 6) for n in nodes}
    assert len(radii) == 1
    assert nodes[0].x == pytest.approx(centre)
    assert nodes[0].y < centre  # the first company is at the top
    assert nodes[1].x > centre  # and the next one to its right (clockwise)


def test_widths_compare_quantities_only_within_one_unit() -> None:
    widths, scales = edge_widths([("t", 10.0), ("t", 5.0), ("m3", 1000.0), ("t", 0.01)])
    # by hand: each unit's largest is drawn at WIDEST, others in proportion, never below NARROWEST
    assert widths == [WIDEST, WIDEST * 5 / 10, WIDEST, NARROWEST]
    assert [(s.unit, s.largest, s.count) for s in scales] == [("m3", 1000.0, 1), ("t", 10.0, 3)]


def _ends(path: str) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float]]:
    numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", path)]
    assert path.startswith("M")
    assert "Q" in path
    assert len(numbers) == 6
    return (numbers[0], numbers[1]), (numbers[2], numbers[3]), (numbers[4], numbers[5])


def test_edge_runs_from_supplier_to_receiver_and_the_reverse_is_another_curve() -> None:
    a, b = (100.0, 100.0), (300.0, 100.0)
    start, control, end = _ends(edge_path(a, b, 200.0))
    assert math.dist(start, a) < math.dist(start, b)
    assert math.dist(end, b) < math.dist(end, a)
    _start, back_control, _end = _ends(edge_path(b, a, 200.0))
    assert math.dist(control, back_control) > 10  # A→B and B→A do not overlap


def test_a_partner_in_another_park_is_drawn_in_a_last_group_of_its_own() -> None:
    drawn = exchange_map(
        TENANTS, [MapExchange("x-1", "p.food-1", "q.cement", ExchangeStatus.PROPOSED, "t", 5.0)]
    )
    assert drawn.nodes[-1].id == "q.cement"
    assert drawn.nodes[-1].group == OTHER_PARKS
    assert [n.id for n in drawn.nodes if n.linked] == ["p.food-1", "q.cement"]
    assert len(drawn.edges) == 1


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    url = f"sqlite:///{tmp_path_factory.mktemp('exchange-map') / 'map.db'}"
    made, client = make_world(url)
    eco = made.store.load(["kiic"])
    made.store.propose_exchanges(recommend(eco, Period.parse("2024")).proposals)
    with client:
        yield made
    made.store.close()


def _svg(page: str) -> str:
    match = re.search(r'<svg viewBox[^>]*class="exchange-map-svg".*?</svg>', page, re.S)
    assert match, "no exchange map on the page"
    return match.group(0)


def _drawn_edges(svg: str) -> list[dict[str, str]]:
    found = []
    for block in re.findall(r"<a href=\"#exchange-.*?</a>", svg, re.S):
        head = re.search(
            r'class="edge status-(\w+)"[^>]*data-exchange="([^"]+)" '
            r'data-from="([^"]+)" data-to="([^"]+)"',
            block,
        )
        line = re.search(r'<path d="([^"]+)" class="edge-line"[^>]*stroke-width="([^"]+)"', block)
        assert head, block
        assert line, block
        found.append(
            dict(zip(("status", "exchange", "from", "to"), head.groups(), strict=True))
            | {"path": line.group(1), "width": line.group(2)}
        )
    return found


def _node_centres(svg: str) -> dict[str, tuple[float, float]]:
    return {
        m.group(1): (float(m.group(2)), float(m.group(3)))
        for m in re.finditer(
            r'data-node="([^"]+)">\s*<title>.*?</title>\s*<circle cx="([\d.]+)" cy="([\d.]+)"',
            svg,
            re.S,
        )
    }


def test_map_draws_one_edge_per_exchange_from_supplier_to_receiver(world: World) -> None:
    api = world.client.get("/api/v1/parks/kiic/exchanges", headers=world.auth("ana")).json()
    assert len(api) >= 2
    svg = _svg(signed_in(world, "pak.kiic").get("/parks/kiic?lang=en").text)
    edges = _drawn_edges(svg)
    centres = _node_centres(svg)
    assert sorted(e["exchange"] for e in edges) == sorted(x["id"] for x in api)
    for x in api:
        (edge,) = [e for e in edges if e["exchange"] == x["id"]]
        assert (edge["from"], edge["to"]) == (x["supplier"], x["receiver"])
        assert edge["status"] == x["status"]
        # the geometry, not only the labels: the curve starts at the supplier's node
        start, _control, end = _ends(edge["path"])
        supplier, receiver = centres[x["supplier"]], centres[x["receiver"]]
        assert math.dist(start, supplier) < 10 < math.dist(start, receiver)
        assert math.dist(end, receiver) < 10 < math.dist(end, supplier)
    # every kiic tenant is a node, whether or not it has an exchange
    tenants = world.client.get("/api/v1/parks/kiic/companies", headers=world.auth("ana")).json()
    assert {c["id"] for c in tenants["items"]} <= set(centres)


def test_edge_width_follows_the_quantity_within_its_unit(world: World) -> None:
    api = world.client.get("/api/v1/parks/kiic/exchanges", headers=world.auth("ana")).json()
    svg = _svg(signed_in(world, "pak.kiic").get("/parks/kiic?lang=en").text)
    widths = {e["exchange"]: float(e["width"]) for e in _drawn_edges(svg)}
    largest = max(x["amount"] for x in api)  # the demo's kiic exchanges are all water, in m3
    for x in api:
        expected = max(NARROWEST, WIDEST * x["amount"] / largest)
        assert widths[x["id"]] == pytest.approx(expected, abs=0.01)


def test_a_decision_changes_the_edge_style_and_its_explanation(world: World) -> None:
    manager = signed_in(world, "pak.kiic")
    api = world.client.get("/api/v1/parks/kiic/exchanges", headers=world.auth("ana")).json()
    chosen = api[-1]["id"]
    answer = world.client.post(
        f"/api/v1/exchanges/{chosen}/status",
        json={"status": "accepted"},
        headers=world.auth("pak.kiic"),
    )
    assert answer.status_code == 200
    page = manager.get("/parks/kiic?lang=en").text
    (edge,) = [e for e in _drawn_edges(_svg(page)) if e["exchange"] == chosen]
    assert edge["status"] == "accepted"
    note = re.search(rf'<div class="edge-note" id="note-{chosen}" hidden>(.*?)</div>', page, re.S)
    assert note
    assert "<dt>Status</dt><dd>accepted</dd>" in note.group(1)


def test_explanation_states_the_quantity_unit_and_the_sign_of_co2e(world: World) -> None:
    api = world.client.get("/api/v1/parks/kiic/exchanges", headers=world.auth("ana")).json()
    page = signed_in(world, "pak.kiic").get("/parks/kiic?lang=id").text
    for x in api:
        note = re.search(rf'id="note-{x["id"]}" hidden>(.*?)</div>', page, re.S)
        assert note, x["id"]
        text = note.group(1)
        amount = f"{round(x['amount']):,}".replace(",", ".")  # Indonesian thousands
        assert f"{amount} m3 pada 2024" in text
        word = "dihindari" if x["co2e_t"] >= 0 else "kenaikan"
        assert word in text
        assert "Alasan diusulkan" in text


def test_indonesian_map_leaves_no_english(world: World) -> None:
    page = signed_in(world, "pak.kiic").get("/parks/kiic?lang=id").text
    assert "exchange-map-svg" in page
    assert english_left_on(page) == []


@pytest.mark.parametrize("user", [None, "tina"])
def test_readers_kept_from_exchanges_get_no_map(world: World, user: str | None) -> None:
    client = world.client if user is None else signed_in(world, user)
    page = client.get("/parks/kiic?lang=en").text
    assert "exchange-map" not in page
    assert "edge-note" not in page
    names = [c.split(".")[-1] for c in world.companies["kiic"]]
    if user is None:  # the public sees no tenant at all, not even as a node
        assert not any(n in page for n in names)
