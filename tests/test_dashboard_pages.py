"""The dashboard's pages over the test client: policy, language, sessions, assets (no browser).

These run everywhere (no Chromium needed) and check what the browser tests cannot cheaply:
that a page shows exactly what the API shows the same reader, and the edges of sign-in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from i18n_checks import english_left_on
from service_world import PASSWORD, World, make_world, signed_in

PAGES = ["/", "/parks/kiic", "/footprints", "/battery", "/login"]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'pages.db'}"
    made, client = make_world(url)
    with client:
        yield made
    made.store.close()


def test_public_park_page_withholds_totals_the_api_withholds(world: World) -> None:
    api = world.client.get("/api/v1/parks/imip/aggregates").json()
    withheld = [t["commodity"] for t in api["totals"] if t["suppressed"]]
    shown = [t for t in api["totals"] if not t["suppressed"]]
    assert withheld  # IMIP has commodities reported by fewer than three companies
    page = world.client.get("/parks/imip?lang=en").text
    assert page.count("withheld</span>") == len(withheld)
    # every figure the API publishes is on the page, in the page's number format
    for total in shown:
        assert f"{total['quantity']:,.0f}" in page


def test_public_sees_no_tenant_names_and_is_sent_to_sign_in(world: World) -> None:
    tenants = world.client.get("/api/v1/parks/kiic/companies", headers=world.auth("ana")).json()[
        "items"
    ]
    page = world.client.get("/parks/kiic").text
    assert tenants
    assert not any(c["name"] in page for c in tenants)
    for path in ("/review", "/company", "/jobs", "/audit"):
        answer = world.client.get(path, follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"] == f"/login?next={path}"


def test_tenant_sees_only_their_own_company(world: World) -> None:
    own, other = world.companies["kiic"][0], world.companies["kiic"][1]
    names = {
        c["id"]: c["name"]
        for c in world.client.get("/api/v1/parks/kiic/companies", headers=world.auth("ana")).json()[
            "items"
        ]
    }
    page = signed_in(world, "tina").get("/parks/kiic").text
    assert names[own] in page
    assert names[other] not in page


def test_wrong_password_says_so_in_the_readers_language(world: World) -> None:
    answer = world.client.post(
        "/login?lang=id", data={"username": "ana", "password": "nope"}, follow_redirects=False
    )
    assert answer.status_code == 401
    assert "Nama pengguna atau kata sandi salah" in answer.text
    assert "sinergi_session" not in answer.headers.get("set-cookie", "")


def test_login_never_sends_the_reader_to_another_site(world: World) -> None:
    client = TestClient(world.client.app)
    answer = client.post(
        "/login",
        data={"username": "ana", "password": PASSWORD, "next": "//evil.example/x"},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/"
    assert "httponly" in answer.headers["set-cookie"].lower()


def test_a_form_without_the_session_csrf_token_is_refused(world: World) -> None:
    client = signed_in(world, "pak.kiic")
    exchange = "nothing"
    answer = client.post(f"/parks/kiic/exchanges/{exchange}", data={"status": "accepted"})
    assert answer.status_code == 403
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 403


@pytest.mark.parametrize(
    ("header", "expected"), [("id-ID,id;q=0.9", "id"), ("en-GB,en;q=0.8", "en"), ("fr", "id")]
)
def test_first_visit_negotiates_the_language(world: World, header: str, expected: str) -> None:
    page = TestClient(world.client.app).get("/", headers={"Accept-Language": header})
    assert f'<html lang="{expected}">' in page.text


def test_chosen_language_is_remembered_over_the_browser(world: World) -> None:
    client = TestClient(world.client.app)
    client.get("/?lang=en")
    page = client.get("/battery", headers={"Accept-Language": "id"})
    assert '<html lang="en">' in page.text


@pytest.mark.parametrize("path", PAGES)
def test_indonesian_pages_leave_no_english(world: World, path: str) -> None:
    page = world.client.get(path, params={"lang": "id"})
    assert page.status_code == 200
    assert english_left_on(page.text) == []


@pytest.mark.parametrize("path", PAGES)
def test_pages_reference_nothing_outside_the_server(world: World, path: str) -> None:
    page = world.client.get(path).text
    external = re.findall(r"""(?:src|href)=["'](?:https?:)?//[^"']+""", page)
    assert external == []


def test_vendored_assets_carry_their_licences() -> None:
    static = Path(str(resources.files("sinergi.web") / "static"))
    assert "MIT License" in (static / "vendor" / "plotly" / "LICENSE.txt").read_text()
    maps = Path(str(resources.files("sinergi.data") / "maps"))
    assert "Natural Earth" in (maps / "README.md").read_text()
    shape = json.loads((maps / "indonesia.geojson").read_text())
    points = [p for poly in shape["features"][0]["geometry"]["coordinates"] for p in poly[0]]
    # Indonesia spans about 95-141 °E and 11 °S-6 °N
    assert min(p[0] for p in points) > 94
    assert max(p[0] for p in points) < 142
    assert min(p[1] for p in points) > -12
    assert max(p[1] for p in points) < 7


def test_base_map_is_served_from_the_shared_package_data(world: World) -> None:
    served = world.client.get("/static/map/indonesia.geojson")
    assert served.status_code == 200
    shipped = resources.files("sinergi.data").joinpath("maps/indonesia.geojson").read_bytes()
    assert served.content == shipped
    assert world.client.get("/static/dashboard.js").status_code == 200


def test_swap_controls_recompute_on_the_server(world: World) -> None:
    api = world.client.get("/api/v1/battery/swap", params={"riders": 300, "stations": 1}).json()
    page = world.client.get("/battery?lang=en&riders=300&stations=1").text
    packs = api["network"]["shared"]["batteries"]
    assert re.search(rf'id="packs-shared">{packs:,}<', page)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_assessment_xlsx_holds_the_reports_criteria_gaps_and_sources(
    world: World, lang: str
) -> None:
    import io

    import openpyxl

    client = signed_in(world, "pak.kiic")
    standard = "eip-framework-2.0"
    data = world.client.get(
        "/api/v1/parks/kiic/assessment",
        params={"standard": standard, "lang": lang},
        headers=world.auth("pak.kiic"),
    ).json()
    answer = client.get(f"/parks/kiic/assessment/{standard}.xlsx?period=2024&lang={lang}")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert f"kiic.{standard}.2024.{lang}.xlsx" in answer.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    names = {
        "en": ["Summary", "Criteria", "Gaps", "Missing data", "Sources"],
        "id": ["Ringkasan", "Kriteria", "Kesenjangan", "Data yang kurang", "Sumber pustaka"],
    }
    assert book.sheetnames == names[lang]
    criteria = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in criteria] == [c["id"] for c in data["criteria"]]
    measured = [c for c in data["criteria"] if c["indicator"] and c["indicator"]["value"]]
    assert measured  # kiic has at least one criterion with an indicator value
    for c in measured:
        row = next(r for r in criteria if r[0] == c["id"])
        assert row[3] == c["status_text"]
        # a number, not formatted text (XLSX keeps 15 significant digits)
        assert row[7] == pytest.approx(c["indicator"]["value"], rel=1e-14)
        assert row[8] == c["indicator"]["unit_text"]
        assert row[11] == c["source"]
    gaps = list(book.worksheets[2].iter_rows(min_row=2, values_only=True))
    assert [(g[0], g[3], g[4]) for g in gaps] == [
        (g["criterion"], g["current"], g["needed"]) for g in data["gaps"]
    ]
    summary = dict(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert data["verdict"] in summary.values()
    sources = [r[0] for r in book.worksheets[4].iter_rows(min_row=2, values_only=True)]
    assert set(data["pack"]["references"]) <= set(sources)
