"""Every indicator on a hand-built park, checked against answers worked out by hand below."""

from __future__ import annotations

import math

import pytest

from sinergi.assess import IndicatorStatus, compute
from sinergi.examples import tiny_park
from sinergi.model import (
    Company,
    DataQuality,
    Ecosystem,
    Facility,
    Flow,
    LandUse,
    Park,
    Period,
    Process,
    Procurement,
    Region,
    Safety,
    Training,
    Workforce,
)
from sinergi.model.externals import default_externals
from sinergi.reference.factors import default_factors
from sinergi.units import Dimension, to_canonical

P = Period(2024)


def _company(eco: Ecosystem, cid: str) -> str:
    eco.add(
        Company(cid, "hp", f"Company {cid}", synthetic=True),
        Facility(f"{cid}.f", cid, "plant"),
        Process(f"{cid}.p", f"{cid}.f", "process"),
    )
    return f"{cid}.p"


def hand_park() -> Ecosystem:
    eco = Ecosystem()
    eco.add(Region("r", "Region"), *default_externals())
    eco.add(
        Park(
            "hp",
            "Hand park",
            "r",
            area_ha=200.0,
            land_use_ha={
                LandUse.INDUSTRIAL_PLOTS: 140.0,
                LandUse.GREEN_OPEN_SPACE: 20.0,
                LandUse.ROADS_AND_DRAINS: 16.0,
            },
        )
    )
    a, s, b = _company(eco, "a"), _company(eco, "s"), _company(eco, "b")
    _company(eco, "c")  # a tenant that reports nothing
    mwh = to_canonical(1_000_000, "kWh", Dimension.ENERGY)  # 1,000 MWh given in kWh
    q = DataQuality.MEASURED
    eco.flows += [
        Flow(P, "grid.jamali", a, "electricity", mwh, q),
        Flow(P, s, a, "electricity_solar", 250.0, q),
        Flow(P, "supplier", s, "chemicals", 1.0, q),
        Flow(P, "supplier", a, "coal", 100.0, q),
        Flow(P, "supplier", a, "water_groundwater", 5000.0, q),
        Flow(P, "supplier", a, "water_recycled", 1000.0, q),
        Flow(P, a, "env.air", "co2", 800.0, q),
        Flow(P, a, "env.air", "ch4", 1.0, q),
        Flow(P, a, "env.air", "n2o", 0.1, q),
        Flow(P, a, "market", "metal_products", 400.0, q),
        Flow(P, a, b, "nickel_slag", 300.0, q),
        Flow(P, a, "landfill", "general_waste", 50.0, q),
        Flow(P, a, "recycler", "plastic_waste", 20.0, q),
        Flow(P, a, "b3_handler", "used_oil", 4.0, q),
        Flow(P, a, "landfill", "b3_waste_other", 1.0, q),
        Flow(P, a, "env.water", "wastewater_treated", 3000.0, q),
        Flow(P, a, "env.water", "wastewater_industrial", 1000.0, q),
        Flow(P, "supplier", b, "water_municipal", 500.0, q),
        Flow(P, b, "market", "slag_bricks", 290.0, q),
    ]
    eco.workforce += [
        Workforce("a", P, female=30, male=70, local=60, non_local=40),
        Workforce("b", P, female=5, male=15),
    ]
    eco.safety += [
        Safety("a", P, lost_time_injuries=1, hours_worked=400_000.0),
        Safety("b", P, hours_worked=30_000.0),
    ]
    eco.training += [
        Training("a", P, training_hours=1000.0),
        Training("b", P, training_hours=100.0),
    ]
    eco.procurement.append(Procurement("a", P, total_idr=1e9, local_idr=3e8, sme_idr=1e8))
    return eco


@pytest.fixture(scope="module")
def results():
    return compute(hand_park(), "hp", P)


GWP = default_factors().gwp100
EXPECTED = {
    "energy_use": 1000.0,  # grid 1,000 MWh; coal (t) listed but not in the MWh total
    "renewable_share": 100 * 250 / 1250,
    "scope1_ghg": 800 + 1 * GWP["ch4"] + 0.1 * GWP["n2o"],
    "scope2_ghg": 1000 * 0.619,  # Jamali JCM factor
    "ghg_intensity": (800 + 29.8 + 27.3 + 619.0) / (400 + 290),
    "water_withdrawal": 5500.0,
    "water_reuse_share": 100 * 1000 / 6500,
    "wastewater_generated": 4000.0,
    "wastewater_treated_share": 75.0,
    "solid_waste_by_fate": 375.0,
    "waste_diversion_share": 100 * 320 / 375,
    "b3_licensed_share": 80.0,
    "symbiosis_exchanges": 1.0,
    "industrial_plots_share": 70.0,
    "green_open_space_share": 10.0,
    "roads_and_drains_share": 8.0,
    "jobs": 120.0,
    "female_share": 100 * 35 / 120,
    "local_employment_share": 60.0,  # only company a reports origin
    "ltifr": 2.5,  # 1 injury × 1e6 / 400,000 h (b reports hours but no injury count)
    "training_hours_per_worker": 1100 / 120,
    "local_procurement_share": 30.0,
    "sme_procurement_share": 10.0,
    "reporting_coverage": 75.0,  # a, s, b report flows; c does not
}


@pytest.mark.parametrize("indicator", sorted(EXPECTED))
def test_indicator_matches_the_hand_calculation(results, indicator):
    result = results[indicator]
    assert result.status is IndicatorStatus.OK, result.missing
    assert math.isclose(result.value, EXPECTED[indicator], rel_tol=1e-12)


def test_every_indicator_has_a_hand_check():
    assert set(EXPECTED) == set(compute(hand_park(), "hp", P))


def test_breakdowns_match_the_hand_calculation(results):
    assert results["solid_waste_by_fate"].detail == {
        "reused": 300.0,
        "landfilled": 51.0,
        "recycled": 20.0,
        "licensed_handler": 4.0,
    }
    assert results["energy_use"].detail == {"electricity": 1000.0, "coal": 100.0}
    assert "Coal: 100.0 t" in results["energy_use"].notes[0].render("en")
    assert "Batu bara: 100,0 t" in results["energy_use"].notes[0].render("id")
    assert results["symbiosis_exchanges"].detail == {"t": 300.0}
    assert results["scope2_ghg"].sources
    assert "JCM" in results["scope2_ghg"].sources[0]


def test_empty_park_gives_insufficient_data_never_zero():
    eco = hand_park()
    eco.flows.clear()
    eco.workforce.clear()
    eco.safety.clear()
    eco.training.clear()
    eco.procurement.clear()
    eco.parks["hp"].land_use_ha.clear()
    out = compute(eco, "hp", P)
    for ind, result in out.items():
        if ind == "symbiosis_exchanges":
            assert result.value == 0.0  # counting exchanges: none is a real count
        elif ind == "reporting_coverage":
            assert result.value == 0.0  # four tenants, none reporting
        else:
            assert result.status is IndicatorStatus.INSUFFICIENT, ind
            assert result.value is None, ind
            assert result.missing, ind


def test_unknown_quantity_makes_the_sum_insufficient():
    eco = hand_park()
    eco.flows[0].quantity = None  # grid electricity not quantified
    out = compute(eco, "hp", P)
    assert out["energy_use"].status is IndicatorStatus.INSUFFICIENT
    assert "without a quantity" in out["energy_use"].missing[0].render("en")
    assert out["scope2_ghg"].status is IndicatorStatus.INSUFFICIENT


def test_grid_without_a_sourced_factor_is_insufficient():
    eco = hand_park()
    eco.flows[0].source = "grid.malut"
    out = compute(eco, "hp", P)
    assert out["scope2_ghg"].status is IndicatorStatus.INSUFFICIENT
    assert "grid.malut" in out["scope2_ghg"].missing[0].render("en")


def test_other_periods_are_ignored():
    assert compute(hand_park(), "hp", Period(2023))["energy_use"].status is (
        IndicatorStatus.INSUFFICIENT
    )


def test_tiny_park_values():
    out = compute(tiny_park(), "demo-park", P)
    assert out["green_open_space_share"].value == 12.0
    assert out["water_withdrawal"].status is IndicatorStatus.INSUFFICIENT  # one unknown flow
