"""The company page's own data (no browser): footprints, passports, KBLI and audit in words.

A tenant sees the footprint of each of its processes exactly as the API gives it (and as an
independently built footprint model computes it), the passports of packs made at its sites
and no others, and codes (KBLI, ledger actions) in words in both languages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from i18n_checks import english_left_on
from service_world import World, make_world, signed_in
from sinergi.footprint.ecosystem import process_footprints
from sinergi.footprint.scenarios import FootprintModel
from sinergi.i18n import format_number
from sinergi.model import Ecosystem
from sinergi.model.nodes import Facility
from sinergi.model.submissions import SubmissionStatus
from sinergi.reports.demo_custody import CLAIMS, MODELS, demo_chain, demo_packs
from sinergi.store.custody import CustodyRecords
from sinergi.web.pages.words import AUDIT_WORDS

#: The demo chain's EV pack is made at this site; the test makes it one of tina's facilities.
PACK_SITE = "cell-plant"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    url = f"sqlite:///{tmp_path_factory.mktemp('company') / 'company.db'}"
    made, client = make_world(url)
    site = Ecosystem()
    site.add(Facility(PACK_SITE, made.companies["kiic"][0], "Cell plant (synthetic)"))
    made.store.save(site)
    CustodyRecords(made.store).append(
        demo_chain(),
        models=MODELS,
        claims=CLAIMS,
        packs={p.pack_id: p.model_dump(mode="json") for p in demo_packs()},
    )
    with client:
        yield made
    made.store.close()


def test_the_tenant_sees_its_footprints_as_the_api_and_an_independent_model_give_them(
    world: World,
) -> None:
    company = world.companies["kiic"][0]
    api = world.client.get(
        f"/api/v1/companies/{company}/footprints", headers=world.auth("tina")
    ).json()
    assert api["period"] == "2024"  # the latest period with the company's flows
    assert [p["process"] for p in api["processes"]] == [f"{company}.main"]
    independent = process_footprints(
        FootprintModel(method="ar6"), world.store.load(["kiic"]), "2024", park="kiic"
    )
    page = signed_in(world, "tina").get("/company?lang=id").text
    table = re.search(r'<table id="own-footprints"[^>]*>.*?</table>', page, re.S)
    assert table is not None
    for p in api["processes"]:
        score = p["footprint"]["score_t_co2e"]
        assert score == pytest.approx(independent[p["process"]].score, rel=1e-12)
        assert score > 0
        assert f">{format_number(score, 'id', 3)}<" in table.group(0)  # 0,937 in Indonesian


def test_another_tenants_footprints_are_not_shown(world: World) -> None:
    other = world.companies["kiic"][1]
    answer = world.client.get(f"/api/v1/companies/{other}/footprints", headers=world.auth("tina"))
    assert answer.status_code == 404
    ministry = world.client.get(f"/api/v1/companies/{other}/footprints", headers=world.auth("ana"))
    assert ministry.status_code == 200
    assert ministry.json()["processes"]


def test_the_tenant_sees_the_passports_of_packs_made_at_its_sites_only(world: World) -> None:
    page = signed_in(world, "tina").get("/company?lang=en").text
    table = re.search(r'<table id="own-passports"[^>]*>.*?</table>', page, re.S)
    assert table is not None
    assert "urn:sinergi:demoevpack1" in table.group(0)  # made at cell-plant
    assert "urn:sinergi:demoswappack1" not in table.group(0)  # made elsewhere
    assert ">450<" in table.group(0)  # the pack's mass in kg
    assert "kg CO2e per kWh of total energy over the service life" in page
    # the other tenant of the park has no pack site: the page says so
    assert (
        "No battery passport names one of your sites"
        in signed_in(world, "tono").get("/company?lang=en").text
    )


def test_kbli_codes_are_shown_in_words_in_both_languages(world: World) -> None:
    client = signed_in(world, "tina")
    english, indonesian = client.get("/company?lang=en").text, client.get("/company?lang=id").text
    assert "29300: Manufacture of parts and accessories for motor vehicles" in english
    assert "29300: Industri suku cadang dan aksesori kendaraan bermotor" in indonesian
    park = signed_in(world, "ana").get("/parks/kiic?lang=en").text
    assert "Manufacture of electronic components and boards" in park


def test_every_ledger_action_is_named_in_words(world: World) -> None:
    moves = {f"submission.{s}" for s in SubmissionStatus if s is not SubmissionStatus.DRAFT}
    assert moves <= set(AUDIT_WORDS)
    page = signed_in(world, "ana").get("/audit?lang=id").text
    actions = re.findall(r"<code>([a-z_]+\.[a-z_]+)</code>", page)
    assert actions  # the world wrote entries: users, grants, saves, custody events
    assert set(actions) <= set(AUDIT_WORDS)
    assert "kejadian kustodi dicatat" in page  # custody.event in Indonesian


def test_the_indonesian_company_page_leaves_no_english(world: World) -> None:
    page = signed_in(world, "tina").get("/company?lang=id").text
    assert english_left_on(page) == []


def test_a_footprint_that_cannot_be_computed_leaves_the_rest_of_the_page(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sinergi.errors import UnitMismatch
    from sinergi.web.pages import company as company_page

    def refuse(*_args: object) -> None:
        raise UnitMismatch("flow supplier -> x steel_sheet is in MWh; steel_sheet is in t")

    monkeypatch.setattr(company_page, "company_footprints", refuse)
    answer = signed_in(world, "tina").get("/company?lang=en")
    assert answer.status_code == 200
    assert "could not be computed from the flows on record: flow supplier" in answer.text
    assert 'id="submissions"' in answer.text or "No submissions yet." in answer.text
