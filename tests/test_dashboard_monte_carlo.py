"""Monte Carlo on the footprint explorer (no browser): started from the page, drawn when done.

The page starts the same background job as the API; once the job has run, the page shows its
median and 95 % interval (the job's own percentiles, cross-checked against a direct run of
the engine with the same seed), a histogram whose bins hold every draw, and axis titles with
units.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi.testclient import TestClient

from i18n_checks import english_left_on
from service_world import World, make_world, signed_in
from sinergi.footprint.route_uncertainty import route_monte_carlo
from sinergi.footprint.scenarios import FootprintModel
from sinergi.i18n import format_number
from sinergi.model.audit import Actor
from sinergi.web.jobs import run_job
from sinergi.web.pages.monte_carlo import PAGE_SEED

PRODUCT = "pack-nmc811"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    url = f"sqlite:///{tmp_path_factory.mktemp('mc') / 'mc.db'}"
    made, client = make_world(url)
    with client:
        yield made
    made.store.close()


@pytest.fixture(scope="module")
def ana(world: World) -> TestClient:
    return signed_in(world, "ana")


def _csrf(client: TestClient) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get("/footprints").text)
    assert found is not None
    return found.group(1)


@pytest.fixture(scope="module")
def finished(world: World, ana: TestClient) -> str:
    """Start a run from the page, check it is followed while queued, run it; return its URL."""
    answer = ana.post(
        "/footprints/monte-carlo",
        data={"csrf": _csrf(ana), "product": PRODUCT, "route": "", "iterations": "1000"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    target = answer.headers["location"].split("#")[0]
    assert answer.headers["location"].endswith("#monte-carlo")  # lands at the section
    job = parse_qs(urlparse(target).query)["job"][0]
    queued = ana.get(target + "&lang=en").text
    assert 'http-equiv="refresh"' in queued  # reloads while the job waits
    assert "The job is running" in queued
    assert run_job(world.store._url, job, Actor("ana")) == "done"
    return target


def test_the_page_shows_the_jobs_median_and_interval_as_the_engine_gives_them(
    ana: TestClient, finished: str
) -> None:
    direct = route_monte_carlo(
        FootprintModel(method="ar6"), PRODUCT, iterations=1000, seed=PAGE_SEED
    )
    page = ana.get(finished + "&lang=id").text
    summary = re.search(r'<p id="monte-carlo-summary"><strong>([^<]+)', page)
    assert summary is not None
    cents = direct["percentiles"]
    for q in ("2.5", "50.0", "97.5"):
        assert format_number(cents[q], "id", 5) in summary.group(1)  # 0,0646… has 5 decimals
    assert 'http-equiv="refresh"' not in page


def test_the_histogram_holds_every_draw_and_names_its_axes_with_units(
    ana: TestClient, finished: str
) -> None:
    page = ana.get(finished + "&lang=en").text
    spec = json.loads(re.search(r'id="mc-chart">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    bars = spec["traces"][0]
    assert sum(bars["y"]) == 1000
    assert (
        spec["layout"]["xaxis"]["title"]["text"]
        == "Footprint (t CO2e per kWh of NMC811 pack capacity)"
    )
    assert spec["layout"]["yaxis"]["title"]["text"] == "Number of draws"
    lines = [s["x0"] for s in spec["layout"]["shapes"]]
    assert lines == sorted(lines)  # 2.5th percentile, median, 97.5th percentile
    assert bars["x"][0] < lines[1] < bars["x"][-1]
    counts = [
        int(n)
        for n in re.findall(r'<td class="num">(\d+)</td></tr>', page.split('id="mc-bins"')[1])
    ]
    assert sum(counts) == 1000  # the bins table gives the chart's figures


def test_the_indonesian_result_leaves_no_english(ana: TestClient, finished: str) -> None:
    assert english_left_on(ana.get(finished + "&lang=id").text) == []


def test_the_public_is_asked_to_sign_in_and_sees_no_job(world: World, finished: str) -> None:
    page = TestClient(world.client.app).get(finished + "&lang=en").text
    assert "Sign in to run a Monte Carlo distribution." in page
    assert 'id="start-monte-carlo"' not in page
    assert 'id="mc-chart"' not in page


def test_a_run_without_the_csrf_token_or_with_an_unknown_product_is_refused(
    ana: TestClient,
) -> None:
    data = {"product": PRODUCT, "route": "", "iterations": "1000"}
    assert ana.post("/footprints/monte-carlo", data=data | {"csrf": "forged"}).status_code == 403
    wrong = data | {"csrf": _csrf(ana), "product": "unobtainium"}
    assert ana.post("/footprints/monte-carlo", data=wrong).status_code == 422
    many = data | {"csrf": _csrf(ana), "iterations": "20000"}
    assert ana.post("/footprints/monte-carlo", data=many).status_code == 422
