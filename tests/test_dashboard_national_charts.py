"""The national page's charts across parks and its trends by year (no browser).

The test world is the demo parks (every flow in 2024) plus a few 2023 flows written to kiic
with quantities chosen here, so the national totals by year are known by hand: 2023 has
6,250 t of slag from three companies (shown to everyone) and 50 MWh of electricity to one
company (withheld from the public, shown to the ministry). Each chart's data is read back from
the page and compared with the API and with those hand figures.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from service_world import PASSWORD, World, make_world
from sinergi.store import schema as s
from sinergi.web.pages.national_charts import TOP_PARKS, headlines

SLAG_2023 = [1000.0, 2000.0, 3250.0]  # t, one flow each from three kiic companies
ENERGY_2023 = 50.0  # MWh, to one kiic company: fewer than three, withheld from the public


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    url = f"sqlite:///{tmp_path_factory.mktemp('national') / 'national.db'}"
    made, client = make_world(url)
    kiic = made.companies["kiic"]
    rows = [
        _flow(company, "market", "nickel_slag", quantity)
        for company, quantity in zip(kiic, SLAG_2023, strict=False)
    ]
    rows.append(_flow("grid.jamali", kiic[0], "electricity", ENERGY_2023))
    with made.store.transaction() as conn:
        conn.execute(insert(s.flows), rows)
    with client:
        yield made
    made.store.close()


def _flow(source: str, target: str, commodity: str, quantity: float) -> dict[str, Any]:
    return {
        "park_id": "kiic",
        "period": "2023",
        "source": source,
        "target": target,
        "commodity": commodity,
        "quantity": quantity,
        "quality": "measured",
        "evidence": None,
        "import_id": None,
    }


def page_of(world: World, user: str | None, lang: str = "en") -> str:
    """Return the national page as ``user`` sees it (pages read the session cookie)."""
    if user is None:
        return world.client.get(f"/?lang={lang}").text
    client = TestClient(world.client.app)
    answer = client.post("/login", data={"username": user, "password": PASSWORD})
    assert answer.status_code == 200
    return client.get(f"/?lang={lang}").text


def chart(page: str, chart_id: str) -> dict[str, Any]:
    """Return the Plotly spec the page carries for ``chart_id``."""
    found = re.search(rf'<script type="application/json" id="{chart_id}-data">(.*?)</script>', page)
    assert found, f"no chart {chart_id} on the page"
    spec: dict[str, Any] = json.loads(found.group(1))
    return spec


def headline_sum(items: list[dict[str, Any]], key: str) -> float | None:
    """Sum one headline over API aggregates items (``None`` if any part is withheld)."""
    members = next(h.commodities for h in headlines() if h.key == key)
    total = 0.0
    for item in items:
        for t in item["totals"]:
            if t["commodity"] in members:
                if t["suppressed"]:
                    return None
                total += t["quantity"]
    return total


def test_yearly_aggregates_equal_each_parks_aggregates_of_that_year(world: World) -> None:
    for headers in ({}, world.auth("ana")):
        yearly = world.client.get("/api/v1/aggregates/years", headers=headers).json()
        assert {(i["park_id"], i["period"]) for i in yearly} >= {("kiic", "2023"), ("kiic", "2024")}
        for item in yearly:
            url = f"/api/v1/parks/{item['park_id']}/aggregates?period={item['period']}"
            one = world.client.get(url, headers=headers).json()
            assert [t["commodity"] for t in item["totals"]] == [
                t["commodity"] for t in one["totals"]
            ]
            assert [t["suppressed"] for t in item["totals"]] == [
                t["suppressed"] for t in one["totals"]
            ]
            assert [t["quantity"] for t in item["totals"]] == [
                None if t["quantity"] is None else pytest.approx(t["quantity"], rel=1e-12)
                for t in one["totals"]
            ]


def test_trend_per_year_equals_the_hand_computed_totals(world: World) -> None:
    page = page_of(world, "ana")
    slag = chart(page, "trend-slag")["traces"][0]
    energy = chart(page, "trend-energy")["traces"][0]
    assert slag["x"] == ["2023", "2024"] == energy["x"]
    assert slag["y"][0] == pytest.approx(sum(SLAG_2023))
    assert energy["y"][0] == pytest.approx(ENERGY_2023)
    # 2024: every park's own aggregates of 2024, summed here
    parks = [p["id"] for p in world.client.get("/api/v1/parks").json()]
    items = [
        world.client.get(
            f"/api/v1/parks/{p}/aggregates?period=2024", headers=world.auth("ana")
        ).json()
        for p in parks
    ]
    assert slag["y"][1] == pytest.approx(headline_sum(items, "slag"), rel=1e-12)
    assert energy["y"][1] == pytest.approx(headline_sum(items, "energy"), rel=1e-12)
    table = page.split('id="trend-table"')[1].split("</table>")[0]
    assert "6,250 t" in table
    assert "50 MWh" in table
    # 2023: kiic alone; 2024: every demo park
    assert re.search(r'2023</th><td class="num">1</td>', table)
    assert re.search(rf'2024</th><td class="num">{len(parks)}</td>', table)


def test_public_trend_withholds_what_the_public_may_not_see(world: World) -> None:
    page = world.client.get("/?lang=en").text
    energy = chart(page, "trend-energy")["traces"][0]
    assert energy["y"][0] is None  # one company's electricity in 2023: withheld, not zero
    assert chart(page, "trend-slag")["traces"][0]["y"][0] == pytest.approx(sum(SLAG_2023))
    row_2023 = page.split('id="trend-table"')[1].split('<th scope="row">2023</th>')[1]
    row_2023 = row_2023.split("</tr>")[0]
    assert "withheld" in row_2023
    assert "6,250 t" in row_2023
    assert "50 MWh" not in row_2023


@pytest.mark.parametrize("user", [None, "ana"])
def test_province_charts_equal_the_latest_aggregates_by_province(
    world: World, user: str | None
) -> None:
    headers = world.auth(user) if user else {}
    page = page_of(world, user)
    parks = {p["id"]: p for p in world.client.get("/api/v1/parks").json()}
    latest = world.client.get("/api/v1/aggregates", headers=headers).json()
    by_province: dict[str, list[dict[str, Any]]] = {}
    for item in latest:
        park = parks[item["park_id"]]
        by_province.setdefault(park["region_name"] or park["region_id"], []).append(item)
    drawn = 0
    for h in headlines():
        expected = {p: headline_sum(items, h.key) for p, items in by_province.items()}
        shown = {p: q for p, q in expected.items() if q}  # withheld and none are not drawn
        if not shown:
            assert f'id="province-{h.key}-data"' not in page
            continue
        trace = chart(page, f"province-{h.key}")["traces"][0]
        assert dict(zip(trace["customdata"], trace["x"], strict=True)) == pytest.approx(shown)
        assert trace["x"] == sorted(trace["x"])  # drawn bottom-up: the largest on top
        drawn += 1
    assert drawn >= 2


def test_coverage_chart_draws_the_summaries_best_covered_first(world: World) -> None:
    page = page_of(world, "ana")
    summaries = world.client.get(
        "/api/v1/assessments/summaries?standard=permenperin-26-2025", headers=world.auth("ana")
    ).json()
    names = {p["id"]: p["name"] for p in world.client.get("/api/v1/parks").json()}
    expected = sorted((-s["coverage"], names[s["park_id"]]) for s in summaries)[:TOP_PARKS]
    trace = chart(page, "coverage-chart")["traces"][0]
    assert list(reversed(trace["customdata"])) == [n for _, n in expected]
    assert list(reversed(trace["x"])) == pytest.approx([-c for c, _ in expected])
    assert chart(page, "coverage-chart")["layout"]["xaxis"]["tickformat"] == ".0%"
    # the public may assess no park: no coverage chart
    assert 'id="coverage-chart-data"' not in world.client.get("/?lang=en").text


def test_every_chart_axis_names_its_unit_in_the_readers_language(world: World) -> None:
    page = page_of(world, "ana", "id")
    assert chart(page, "province-energy")["layout"]["xaxis"]["title"]["text"] == "Energi (MWh)"
    assert chart(page, "trend-slag")["layout"]["yaxis"]["title"]["text"] == "t"
    assert chart(page, "trend-slag")["layout"]["xaxis"]["title"]["text"] == "Tahun"
    table = page.split('id="trend-table"')[1].split("</table>")[0]
    assert "6.250 t" in table  # Indonesian thousands separator


def test_a_new_year_written_to_one_park_is_read_at_once(world: World) -> None:
    """Kept yearly figures follow the park's data version (runs last: it adds 2022)."""
    before = world.client.get("/api/v1/aggregates/years").json()
    assert "2022" not in {i["period"] for i in before}
    ash = [10.0, 20.0, 30.0]
    kiic = world.companies["kiic"]
    with world.store.transaction() as conn:  # the triggers add one to kiic's version
        conn.execute(
            insert(s.flows),
            [
                {**_flow(c, "market", "fly_ash", q), "period": "2022"}
                for c, q in zip(kiic, ash, strict=False)
            ],
        )
    after = world.client.get("/api/v1/aggregates/years").json()
    new = [i for i in after if i["period"] == "2022"]
    assert [i["park_id"] for i in new] == ["kiic"]
    assert headline_sum(new, "faba") == pytest.approx(sum(ash))
    # the other years are what they were
    assert [i for i in after if i["period"] != "2022"] == before


def test_a_quantity_withheld_in_every_year_draws_no_empty_trend_chart() -> None:
    from sinergi.web.pages.national_charts import Total, trend_charts

    columns = headlines()
    slag, energy = columns[0], columns[2]

    def year(energy_mwh: float) -> dict[str, Total]:
        totals = {h.key: Total() for h in columns}
        totals[slag.key].add(None, "t", suppressed=True)
        totals[energy.key].add(energy_mwh, "MWh", suppressed=False)
        return totals

    charts = trend_charts({"2023": year(5.0), "2024": year(7.0)}, columns, "en")
    assert [c.id for c in charts] == [f"trend-{energy.key}"]
    assert charts[0].spec["traces"][0]["y"] == [5.0, 7.0]
