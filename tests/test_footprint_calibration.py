"""Route totals against the published ranges in shared/reference/nickel-battery.md §1.6.

Each test names its source. The shipped inventory has gaps, so each check also asserts
what share of the modelled total rests on illustrative values, and HPAL is checked as a lower
bound because its electricity and steam are missing.
"""

from __future__ import annotations

import pytest

from sinergi.errors import PlantDataRequired
from sinergi.footprint.calibration import calibrate
from sinergi.footprint.scenarios import FootprintModel


@pytest.fixture(scope="module")
def checks():
    return {c.id: c for c in calibrate()}


def test_rkef_npi_on_captive_coal_lands_in_the_published_54_to_70(checks):
    # source: whitepaper 54; IEEFA 2024 coal-based companies 57-70; Wei et al. 2020 NPI 69
    c = checks["rkef-npi-captive-coal"]
    assert 54.0 <= c.modelled <= 70.0
    assert c.status == "within"
    # about a third rests on §8 placeholders (reductant and kiln coal, mining diesel)
    assert 0.2 < c.illustrative_share < 0.5
    # the sourced part alone (electricity x captive coal, ~47) is below 54: the route lands
    # in range only thanks to illustrative values, and the check says so
    assert c.sourced_only < 54.0
    assert c.needs_illustrative is True


def test_rkef_ferronickel_on_captive_coal_lands_in_the_published_54_to_70(checks):
    # source: white paper, RKEF (NPI/FeNi) captive coal 54-70; IEEFA 2024, Antam FeNi 69.9
    c = checks["rkef-ferronickel-captive-coal"]
    assert c.status == "within"
    assert 0.0 < c.illustrative_share < 0.5
    assert c.needs_illustrative is True  # sourced part ~47 < 54, as for NPI


def test_default_hpal_is_the_published_aggregate_with_low_confidence_shown(checks):
    # source: white paper, HPAL in Indonesia 20 t CO2e/t Ni; the default HPAL dataset is this
    # published total (secondary, aggregated), so the check can only show it, not test it
    c = checks["hpal-mhp"]
    assert c.modelled == pytest.approx(20.0)
    assert c.status == "context"
    assert c.illustrative_share == 0.0
    mhp = FootprintModel().footprint("mhp")
    record = mhp.to_dict()["parameters"]["hpal_route_co2e_t_per_t_ni"]
    assert record["provenance"]["confidence"] == "low"
    assert record["provenance"]["basis"] == "second-hand"


def test_every_benchmark_cites_real_sources_and_passes(checks):
    for c in checks.values():
        assert c.refs, c.id
        # one address each, or none where the bibliography says it was not recorded
        assert all(s.count("http") <= 1 for s in c.sources), c.sources
        assert not any("nickel-battery.md" in s or "§" in s for s in [*c.sources, c.note])
        assert c.passed, c


def test_bottom_up_hpal_without_plant_data_is_refused_with_the_template_named():
    with pytest.raises(PlantDataRequired, match=r"hpal_electricity_mwh_per_t_ni.*plant-template"):
        FootprintModel().footprint("mhp-plant")
    with pytest.raises(PlantDataRequired, match="--plant-data"):
        FootprintModel().footprint("niso4", route="hpal-plant")


def test_rkef_route_is_more_carbon_intensive_than_hpal_as_published():
    # source: white paper (RKEF 54 vs HPAL 20); Benchmark 2023: RKEF nickel raises cell CO2
    model = FootprintModel()
    assert (
        model.footprint("niso4", route="rkef-matte").score
        > model.footprint("niso4", route="hpal").score
    )


def test_every_published_total_of_the_reference_is_checked(checks):
    # route totals (Wei 2020 NPI 69 and FeNi 18, IEEFA company figures, the HPAL top-down 20
    # and Ramu 15.6, class-1 13, the Nickel Institute NSH 5.48 kg/kg) and GREET per kWh
    assert {
        "rkef-npi-captive-coal",
        "wei-ferronickel",
        "ieefa-harita",
        "ieefa-mbma",
        "ieefa-antam",
        "vale-hydro-matte",
        "hpal-mhp",
        "hpal-ramu",
        "indonesia-average",
        "global-class-1",
        "nickel-institute-nsh",
        "greet-2024-assembly",
    } <= set(checks)
    nsh = checks["nickel-institute-nsh"]
    assert nsh.published_low == pytest.approx(5.48 * 262.85 / 58.693, abs=0.05)
    cell = checks["greet-2024-assembly"]
    assert cell.unit == "t CO2e / kWh"
    assert cell.stage == "cell"
    assert cell.sourced_only is None  # a stage's sourced part is not split out: shown as "–"
