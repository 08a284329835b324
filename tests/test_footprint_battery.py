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
    nickel = model.footprint("niso4", route="hpal").score  # t CO2e per t Ni
    # kg CAM per kWh (§5.1) x Ni mass fraction (§5.1) / 1000 -> t Ni per kWh; x 1000 -> kg
    per_kwh = nickel * p["nmc811_cam_kg_per_kwh"].value * p["nmc811_ni_mass_fraction"].value
    d = declare("NMC811", nickel_route="hpal", model=model)
    assert d.per_kwh_capacity == pytest.approx(per_kwh)
    assert d.per_kwh_lifetime == pytest.approx(per_kwh / 2000)
    assert d.stages["RawMaterialExtraction"] == pytest.approx(per_kwh / 2000)


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


def test_unmodelled_stages_are_none_never_zero():
    d = declare("NMC811", nickel_route="hpal")
    assert d.stages["Distribution"] is None
    assert d.stages["Recycling"] is None
    assert d.stages["MainProduction"] is None  # cell energy missing (§7)
    assert d.to_passport()["sinergi"]["complete"] is False


def test_lfp_without_any_modelled_exchange_declares_nothing():
    d = declare("LFP")
    assert d.per_kwh_lifetime is None
    assert d.to_passport()["batteryCarbonFootprint"] is None


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
    with pytest.raises(UnknownName, match=r"'NCA'.*LFP"):
        declare("NCA")
