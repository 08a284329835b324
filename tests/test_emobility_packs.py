"""One national standard swap pack vs brand-proprietary packs."""

from __future__ import annotations

import math

import pytest

from sinergi.circularity.swapping import load_swap_reference, size_station, swap_demand
from sinergi.emobility.packs import PackStandard, compare_pack_standards, pack_reference
from sinergi.errors import PackSharingError
from sinergi.reports.emobility_packs import pack_scenario


def test_counts_match_a_hand_calculation() -> None:
    # 1,000 swap vehicles with one pack each, 10 stations holding 5 (shared) or 8 (proprietary)
    # packs each; 1.2 kWh packs of 18 Wh cells → ceil(1200 / 18) = 67 cells; 0.5 kg Ni/kWh.
    result = compare_pack_standards(
        year=2030,
        standard=PackStandard.SHARED,
        swap_vehicles=1000,
        stations=10,
        station_packs_shared=5,
        station_packs_proprietary=8,
        metal_kg_per_kwh={"Ni": 0.5, "Li": 0.1},
    )
    assert result.shared.packs == 1050
    assert result.proprietary.packs == 1080
    assert result.packs_avoided == 30
    assert result.shared.cells_per_pack == 67
    assert result.cells_avoided == 30 * 67
    assert result.kwh_avoided == pytest.approx(36.0)
    assert result.metals_avoided_kg == pytest.approx({"Ni": 18.0, "Li": 3.6})
    assert result.chosen is result.shared


def test_the_toggle_selects_the_proprietary_counts() -> None:
    result = compare_pack_standards(
        year=2030,
        standard=PackStandard.PROPRIETARY,
        swap_vehicles=10,
        stations=1,
        station_packs_shared=3,
        station_packs_proprietary=4,
        metal_kg_per_kwh={},
    )
    assert result.chosen.packs == 14


def test_sharing_that_needs_more_packs_than_brands_is_refused() -> None:
    with pytest.raises(PackSharingError, match="pooling never needs more packs"):
        compare_pack_standards(
            year=2030,
            standard=PackStandard.SHARED,
            swap_vehicles=10,
            stations=1,
            station_packs_shared=9,
            station_packs_proprietary=4,
            metal_kg_per_kwh={},
        )


def test_sni_8928_content_is_flagged_as_not_read() -> None:
    ref = pack_reference()
    sni_8928 = next(s for s in ref.standards if s.id == "SNI 8928:2020")
    assert sni_8928.content_read is False
    assert "not retrieved" in (sni_8928.note or "")
    assert [c.energy_kwh for c in ref.voltage_classes] == [1.2, 1.44, 0.84]
    assert ref.voltage_class("draft-42v-20ah").stage == "draft"
    assert ref.cell_wh.illustrative


def test_an_unknown_pack_class_names_the_classes() -> None:
    with pytest.raises(PackSharingError, match="choose one of sni-60v-20ah, sni-72v-20ah"):
        pack_reference().voltage_class("sni-48v")


def test_the_national_comparison_uses_the_swap_station_engine_for_both_standards() -> None:
    result = pack_scenario(2030, PackStandard.SHARED)
    ref = pack_reference()
    riders = max(1, round(result.swap_vehicles / result.stations))
    swap = load_swap_reference()
    p = swap.parameters
    demand = swap_demand(
        riders,
        p.km_per_day.value,
        p.wh_per_km.value,
        1.2,
        usable_depth_of_discharge=p.usable_depth_of_discharge.value,
        swap_threshold_soc=p.swap_threshold_soc.value,
        hourly_weights=swap.hourly_profile.weights,
    )
    shared = size_station(demand.peak_hour_swaps, p.charge_hours.value).fewest_batteries
    brands = sum(
        size_station(demand.peak_hour_swaps * s, p.charge_hours.value).fewest_batteries.batteries
        for s in swap.brand_shares.shares.values()
    )
    assert result.shared.station_packs == result.stations * shared.batteries
    assert result.proprietary.station_packs == result.stations * brands
    assert result.stations == math.ceil(result.swap_vehicles / ref.swap_share.value / 201.5)
    assert result.packs_avoided > 0
    assert result.metals_avoided_kg["Ni"] > 0
    assert result.inputs[("energy per cell", "")].illustrative


def test_a_year_outside_the_forecast_is_refused() -> None:
    with pytest.raises(PackSharingError, match="covers"):
        pack_scenario(1990, PackStandard.SHARED)
