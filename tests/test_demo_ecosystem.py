"""The demonstration ecosystem: sourced parks, synthetic tenants, nickel flows from intensities."""

from __future__ import annotations

import doctest
from collections import defaultdict

import pytest

import sinergi.demo.ecosystem
from sinergi.demo import demo_ecosystem, load_intensities, load_parks
from sinergi.model import DataQuality, Ecosystem, Flow, PowerSource, SmelterRoute
from sinergi.model.checks import check

GEIPP = ("kiic", "mm2100", "batamindo", "giic", "kim")


@pytest.fixture(scope="module")
def eco() -> Ecosystem:
    return demo_ecosystem(seed=2026)


def _flows(eco: Ecosystem, park: str) -> list[Flow]:
    return [f for f in eco.flows if eco.flow_park(f) == park]


def _total(
    flows: list[Flow], commodity: str, *, source: str | None = None, target: str | None = None
) -> float:
    return sum(
        f.quantity or 0.0
        for f in flows
        if f.commodity == commodity
        and (source is None or f.source == source)
        and (target is None or f.target == target)
    )


def _company(eco: Ecosystem, park: str, prefix: str) -> list[str]:
    return sorted(c for c in eco.companies if c.startswith(f"{park}.{prefix}"))


def test_demo_passes_strict_consistency_checks(eco):
    assert check(eco, strict=True) == []


def test_same_seed_gives_identical_demo(eco):
    assert demo_ecosystem(seed=2026) == eco


def test_different_seed_gives_different_tenants(eco):
    other = demo_ecosystem(seed=7)
    assert [f.quantity for f in other.flows] != [f.quantity for f in eco.flows]
    assert set(other.parks) == set(eco.parks)


def test_period_is_applied_to_every_flow_and_record():
    eco = demo_ecosystem(period="2023")
    assert {str(f.period) for f in eco.flows} == {"2023"}
    assert {str(w.period) for w in eco.workforce} == {"2023"}


def test_real_parks_are_sourced_and_every_company_synthetic(eco):
    assert set(eco.parks) == {*GEIPP, "iwip", "imip"}
    for park in eco.parks.values():
        assert not park.synthetic
        assert park.sources
        assert all(url.startswith("http") for url in park.sources)
        assert park.coordinates_approximate
        assert park.land_use_ha == {}  # not published: never invented
    assert eco.companies
    assert all(c.synthetic for c in eco.companies.values())
    assert all("(synthetic)" in c.name for c in eco.companies.values())


def test_every_demo_flow_is_marked_synthetic(eco):
    assert {f.quality for f in eco.flows} == {DataQuality.SYNTHETIC}


def test_parks_carry_chosen_sourced_facts(eco):
    assert eco.parks["imip"].area_ha == 3000
    assert eco.parks["iwip"].area_ha == 2600
    assert eco.parks["mm2100"].operator == "PT Bekasi Fajar Industrial Estate Tbk"
    assert eco.parks["kim"].established == 1988
    assert "GEIPP Indonesia Phase I (2020-2023)" in eco.parks["kiic"].programmes
    assert "2,505 ha" in (eco.parks["mm2100"].notes or "")  # alternative kept in notes
    assert eco.regions["id-jb"].wpi == "Java"


def test_geipp_parks_get_a_modest_seeded_sample_of_tenants(eco):
    for park in GEIPP:
        tenants = [
            c for c in eco.companies.values() if c.park_id == park and not c.id.endswith(".utility")
        ]
        assert 8 <= len(tenants) <= 20
        assert all(len(code) == 5 and code.isdigit() for c in tenants for code in c.kbli)


def test_tenants_draw_electricity_from_their_parks_grid(eco):
    grids = {"kiic": "grid.jamali", "batamindo": "grid.batam", "kim": "grid.sumatra"}
    for park, grid in grids.items():
        sources = {f.source for f in _flows(eco, park) if f.commodity == "electricity"}
        assert sources == {grid}


def test_giic_tenants_use_no_coal_and_send_wastewater_to_central_wwtp(eco):
    flows = _flows(eco, "giic")
    assert not [f for f in flows if f.commodity in {"coal", "coke"}]
    to_wwtp = [f for f in flows if f.target == "giic.utility.wwtp" and f.source in eco.processes]
    assert to_wwtp
    assert {f.commodity for f in to_wwtp} == {"wastewater_industrial"}


def test_mm2100_utility_balances_its_wtp_and_wwtp(eco):
    flows = _flows(eco, "mm2100")
    delivered = _total(flows, "water_municipal", source="mm2100.utility.wtp")
    assert delivered > 0
    assert _total(flows, "water_surface", target="mm2100.utility.wtp") == pytest.approx(delivered)
    received = _total(flows, "wastewater_industrial", target="mm2100.utility.wwtp")
    treated = _total(flows, "wastewater_treated", source="mm2100.utility.wwtp")
    assert treated == pytest.approx(received)


def test_park_services_use_only_sourced_facts(eco):
    services = {s.park_id: s for s in eco.park_services}
    assert set(services) == set(eco.parks)
    assert services["mm2100"].shared_wwtp is True
    assert services["giic"].shared_wwtp is True
    for park in ("kiic", "batamindo", "kim", "iwip", "imip"):
        assert services[park].shared_wwtp is None
        assert services[park].management_entity is None


def test_parks_without_shared_wwtp_discharge_treated_wastewater(eco):
    flows = _flows(eco, "kiic")
    assert _total(flows, "wastewater_treated", target="env.water") > 0
    assert _total(flows, "wastewater_industrial") == 0


def test_imip_rkef_tenant_carries_the_sourced_capacity(eco):
    (rkef,) = _company(eco, "imip", "rkef-npi")
    smelter = eco.companies[rkef].smelter
    assert smelter is not None
    assert smelter.route is SmelterRoute.RKEF_NPI
    assert smelter.design_capacity_t == 4_200_000
    assert smelter.power_source is PowerSource.CAPTIVE_COAL


def test_iwip_smelters_have_no_invented_capacity(eco):
    rkef = _company(eco, "iwip", "rkef-npi")
    assert len(rkef) == 3
    hpal = _company(eco, "iwip", "hpal")
    for cid in rkef + hpal:
        smelter = eco.companies[cid].smelter
        assert smelter is not None
        assert smelter.design_capacity_t is None


@pytest.mark.parametrize("park", ["iwip", "imip"])
def test_rkef_flows_follow_the_sourced_intensities(eco, park):
    v = load_intensities()
    flows = _flows(eco, park)
    for cid in _company(eco, park, "rkef-npi"):
        p = f"{cid}.main"
        npi = _total(flows, "nickel_pig_iron", source=p)
        ore = _total(flows, "laterite_ore_saprolite", target=p)
        slag = _total(flows, "nickel_slag", source=p)
        power = _total(flows, "electricity_coal", target=p)
        assert ore == pytest.approx(npi * v.value("rkef.ore_per_t_alloy"))
        assert slag == pytest.approx(npi * v.value("rkef.slag_per_t_npi"))
        expected = npi * v.value("rkef.ni_grade_npi") * v.value("rkef.electricity_per_t_ni")
        assert power == pytest.approx(expected)


@pytest.mark.parametrize("park", ["iwip", "imip"])
def test_hpal_flows_follow_the_sourced_intensities(eco, park):
    v = load_intensities()
    flows = _flows(eco, park)
    (cid,) = _company(eco, park, "hpal")
    p = f"{cid}.main"
    ni = _total(flows, "mhp", source=p) * v.value("hpal.ni_grade_mhp")
    assert _total(flows, "laterite_ore_limonite", target=p) == pytest.approx(
        ni * v.value("hpal.ore_per_t_ni")
    )
    assert _total(flows, "hpal_tailings", source=p) == pytest.approx(
        ni * v.value("hpal.tailings_per_t_ni")
    )
    unknown = [f for f in flows if f.target == p and f.commodity == "electricity_coal"]
    assert [f.quantity for f in unknown] == [None]  # not found in the reference: not invented


@pytest.mark.parametrize("park", ["iwip", "imip"])
def test_captive_coal_plant_balances_fuel_co2_and_faba(eco, park):
    v = load_intensities()
    flows = _flows(eco, park)
    power = f"{park}.captive-coal-01.main"
    generated = _total(flows, "electricity_coal", source=power)
    coal = _total(flows, "coal", target=power)
    assert _total(flows, "co2", source=power) == pytest.approx(
        generated * v.value("coal_power.co2_per_mwh")
    )
    # fuel energy x emission factor agrees with the per-MWh factor within 1 %
    fuel_tj = coal * v.value("coal.ncv_gj_per_t") / 1000.0
    assert fuel_tj * v.value("coal.co2_per_tj") == pytest.approx(
        generated * v.value("coal_power.co2_per_mwh"), rel=0.01
    )
    faba = _total(flows, "fly_ash", source=power) + _total(flows, "bottom_ash", source=power)
    assert faba == pytest.approx(coal * v.value("coal_power.faba_per_t_coal"))


@pytest.mark.parametrize("park", ["iwip", "imip"])
def test_generation_fits_within_sourced_captive_capacity(eco, park):
    (entry,) = [p for p in load_parks().parks if p.id == park]
    assert entry.nickel is not None
    assert entry.nickel.captive_coal_mw is not None
    power = f"{park}.captive-coal-01.main"
    generated = _total(_flows(eco, park), "electricity_coal", source=power)
    assert 0 < generated < entry.nickel.captive_coal_mw * 8760


@pytest.mark.parametrize("park", ["iwip", "imip"])
def test_slag_and_fly_ash_feed_the_block_maker_in_the_sourced_mix(eco, park):
    v = load_intensities()
    flows = _flows(eco, park)
    blocks = f"{park}.slag-blocks-01.main"
    slag = _total(flows, "nickel_slag", target=blocks)
    fly = _total(flows, "fly_ash", target=blocks)
    cement = _total(flows, "cement", target=blocks)
    assert slag > 0
    assert fly / slag == pytest.approx(
        v.value("bricks.fly_ash_share") / v.value("bricks.slag_share")
    )
    assert cement / slag == pytest.approx(
        v.value("bricks.cement_share") / v.value("bricks.slag_share")
    )
    assert _total(flows, "slag_bricks", source=blocks) == pytest.approx(slag + fly + cement)
    assert _total(flows, "nickel_slag", target="landfill") > slag  # the rest is stockpiled


def test_imip_matte_converter_gets_npi_and_keeps_the_nickel(eco):
    v = load_intensities()
    flows = _flows(eco, "imip")
    p = "imip.matte-converter-01.main"
    npi = _total(flows, "nickel_pig_iron", target=p)
    matte = _total(flows, "nickel_matte", source=p)
    assert npi > 0
    assert matte * v.value("matte.ni_grade") == pytest.approx(npi * v.value("rkef.ni_grade_npi"))


def test_nickel_flow_evidence_names_existing_intensities(eco):
    v = load_intensities()
    keys = set(v.intensities) | set(v.demo)
    named = defaultdict(int)
    for f in _flows(eco, "iwip") + _flows(eco, "imip"):
        assert f.evidence
        if f.evidence.startswith("demo intensities.yaml: "):
            for key in f.evidence.removeprefix("demo intensities.yaml: ").split(", "):
                assert key in keys
                named[key] += 1
    assert named["rkef.ore_per_t_alloy"] == 4  # three IWIP smelters and one IMIP


def test_workforce_records_add_up_for_every_company(eco):
    assert {w.company_id for w in eco.workforce} == set(eco.companies)
    for w in eco.workforce:
        assert w.female is not None
        assert w.male is not None
        assert w.local is not None
        assert w.non_local is not None
        assert w.female + w.male == w.local + w.non_local > 0
    for name in ("safety", "training", "procurement"):
        assert {r.company_id for r in getattr(eco, name)} == set(eco.companies)


def test_iwip_local_workforce_share_follows_the_sourced_80_percent(eco):
    records = [w for w in eco.workforce if eco.companies[w.company_id].park_id == "iwip"]
    local = sum(w.local or 0 for w in records)
    total = sum((w.local or 0) + (w.non_local or 0) for w in records)
    assert local / total == pytest.approx(0.80, abs=0.02)


def test_tenants_without_a_tonnage_have_no_invented_procurement(eco):
    spend = {p.company_id: p.total_idr for p in eco.procurement}
    assert spend["imip.captive-coal-01"] is None
    assert spend["imip.rkef-npi-01"] is not None


def test_module_docstring_example_runs():
    result = doctest.testmod(sinergi.demo.ecosystem)
    assert result.attempted > 0
    assert result.failed == 0


def test_archetype_flows_name_their_illustrative_archetype(eco):
    flows = [
        f
        for f in _flows(eco, "kiic")
        if f.source.startswith("kiic.automotive") or f.target.startswith("kiic.automotive")
    ]
    assert flows
    assert {f.evidence for f in flows} == {"demo sectors.yaml: automotive_parts (illustrative)"}
