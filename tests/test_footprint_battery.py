"""Battery carbon-footprint declaration per kWh of lifetime energy (EU 2023/1542)."""

from __future__ import annotations

import pytest

from sinergi.errors import UnknownName
from sinergi.footprint.battery import LIFECYCLE_STAGES, declare
from sinergi.footprint.inventory import load_inventory
from sinergi.footprint.scenarios import FootprintModel


def test_nmc811_declaration_matches_hand_calculation():
    model = FootprintModel()
    p = load_inventory().parameters
    cam = model.footprint("cam-nmc811", route="hpal").score  # t CO2e per t CAM
    cam_per_kwh = cam * p["nmc811_cam_kg_per_kwh"].value  # kg CAM/kWh x t/t = kg/kWh
    # GREET cell energy: 0.140 GJ gas x 0.0561 t/GJ + 0.00833 MWh x 0.814 t/MWh, in kg
    cell = (0.140 * 0.0561 + 0.00833 * 0.814) * 1000
    d = declare("NMC811", nickel_route="hpal", model=model)
    assert d.per_kwh_capacity == pytest.approx(cam_per_kwh + cell)
    assert d.per_kwh_lifetime == pytest.approx((cam_per_kwh + cell) / 2000)
    assert d.stages["RawMaterialExtraction"] == pytest.approx(cam_per_kwh / 2000)
    assert d.stages["MainProduction"] == pytest.approx(cell / 2000)


def test_passport_json_uses_battery_pass_field_names():
    passport = declare("NMC622", nickel_route="rkef-matte", capacity_kwh=1.44).to_passport()
    assert {
        "batteryCarbonFootprint",
        "carbonFootprintPerLifecycleStage",
        "absoluteCarbonFootprint",
        "carbonFootprintPerformanceClass",
        "carbonFootprintStudy",
    } <= set(passport)
    stages = [s["lifecycleStage"] for s in passport["carbonFootprintPerLifecycleStage"]]
    assert stages == list(LIFECYCLE_STAGES)
    assert passport["absoluteCarbonFootprint"] == pytest.approx(
        passport["sinergi"]["perKwhCapacity"] * 1.44
    )


def test_unmodelled_stages_are_none_never_zero_and_the_top_level_says_so():
    d = declare("NMC811", nickel_route="hpal")
    assert d.stages["Distribution"] is None
    assert d.stages["Recycling"] is None
    passport = d.to_passport()
    assert passport["complete"] is False
    assert passport["lowerBound"] is True
    assert passport["secondaryDataShare"] == 1.0  # no plant data given
    assert passport["sinergi"]["complete"] is False
    assert any("EverBatt" in a for a in passport["assumptions"])


def test_lfp_pack_now_declares_a_lower_bound():
    d = declare("LFP")
    assert d.per_kwh_lifetime is not None
    assert d.per_kwh_lifetime > 0
    assert d.lower_bound


def test_rkef_nickel_gives_a_higher_declaration_than_hpal():
    model = FootprintModel()
    rkef = declare("NMC811", nickel_route="rkef-matte", model=model).per_kwh_lifetime
    hpal = declare("NMC811", nickel_route="hpal", model=model).per_kwh_lifetime
    assert rkef is not None
    assert hpal is not None
    assert rkef > hpal


def test_more_cycles_lower_the_per_kwh_lifetime_value():
    a = declare("NMC811", nickel_route="hpal", cycles=1000).per_kwh_lifetime
    b = declare("NMC811", nickel_route="hpal", cycles=2000).per_kwh_lifetime
    assert a == pytest.approx(2 * b)


def test_unknown_chemistry_is_a_located_error():
    with pytest.raises(UnknownName, match=r"'NMC532'.*LFP"):
        declare("NMC532")
