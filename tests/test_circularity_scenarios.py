"""Indonesian battery scenarios: sourced anchors are met, flows balance, bad data is located."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from sinergi.circularity.scenarios import forecast, parse_scenarios
from sinergi.circularity.sourced import load_yaml
from sinergi.errors import ScenarioError


@pytest.fixture(scope="module")
def national() -> Any:
    return forecast("government-targets", to=2045)


def _doc() -> dict[str, Any]:
    return copy.deepcopy(load_yaml("scenarios.yaml"))


def test_forecast_holds_the_sourced_fleet_and_the_2030_targets(national: Any) -> None:
    years = national.years.tolist()
    types = list(national.vehicle_types)
    stock = national.packs.stock.sum(axis=2)  # chemistries summed
    moto, car = types.index("motorcycle"), types.index("car")
    assert stock[years.index(2024), moto] == pytest.approx(160_578, rel=1e-9)
    assert stock[years.index(2024), car] == pytest.approx(33_555, rel=1e-9)
    assert stock[years.index(2030), moto] == pytest.approx(13_000_000, rel=1e-9)
    assert stock[years.index(2030), car] == pytest.approx(2_000_000, rel=1e-9)
    # held after the last anchor
    assert stock[-1, moto] == pytest.approx(13_000_000, rel=1e-9)


def test_forecast_balances_and_never_has_negative_flows(national: Any) -> None:
    packs = national.packs
    assert np.abs(packs.balance()).max() <= 1e-12 * packs.stock.max()
    assert (packs.inflow >= 0).all()
    assert (packs.outflow >= 0).all()
    assert national.clipped_inflow == ()


def test_kwh_and_tonnes_scale_packs_by_pack_size_and_mass(national: Any) -> None:
    moto = national.vehicle_types.index("motorcycle")
    packs = national.packs.outflow[:, moto].sum()
    assert national.kwh().outflow[:, moto].sum() == pytest.approx(packs * 1.2)
    # 12 kg cap per 1.2 kWh pack
    assert national.tonnes().outflow[:, moto].sum() == pytest.approx(packs * 0.012)


def test_conversions_enter_as_their_own_inflow(national: Any) -> None:
    conv = national.vehicle_types.index("motorcycle_conversion")
    inflow = national.packs.inflow[:, conv].sum(axis=1)
    years = national.years.tolist()
    assert inflow[years.index(2024)] == pytest.approx(150_000)
    assert inflow[years.index(2031)] == 0.0  # the programme stops after 2030 in this scenario


def test_no_growth_scenario_is_in_steady_state_after_2024() -> None:
    result = forecast("no-growth-after-2024", to=2040)
    years = result.years.tolist()
    later = slice(years.index(2025), None)
    stock = result.packs.stock.sum(axis=(1, 2))
    np.testing.assert_allclose(stock[later], stock[years.index(2024)], rtol=1e-12)
    inflow = result.packs.inflow.sum(axis=(1, 2))
    outflow = result.packs.outflow.sum(axis=(1, 2))
    np.testing.assert_allclose(inflow[later], outflow[later], rtol=1e-9)


def test_illustrative_inputs_are_listed_in_the_forecast(national: Any) -> None:
    flags = " ".join(national.illustrative)
    assert "car pack kWh: illustrative" in flags
    assert "motorcycle lifetime: illustrative" in flags
    assert "scenario rules: illustrative" in flags
    assert national.to_dict()["illustrative"] == list(national.illustrative)


def test_unknown_scenario_is_refused_with_the_known_names() -> None:
    with pytest.raises(ScenarioError, match="government-targets"):
        forecast("business-as-usual")


def test_forecast_end_before_the_last_sourced_year_is_refused() -> None:
    with pytest.raises(ScenarioError, match=r"to=2020 is outside 2024\.\.2100"):
        forecast(to=2020)


def test_unsourced_number_is_refused_naming_its_key() -> None:
    doc = _doc()
    del doc["vehicle_types"]["car"]["pack_kwh"]["illustrative"]
    with pytest.raises(ScenarioError, match=r"vehicle_types\.car\.pack_kwh.*source"):
        parse_scenarios(doc)


def test_chemistry_shares_that_do_not_sum_to_one_are_refused() -> None:
    doc = _doc()
    doc["chemistry_shares"]["car"]["points"][2030]["LFP"] = 0.9
    with pytest.raises(ScenarioError, match=r"chemistry_shares\.car\.points\.2030"):
        parse_scenarios(doc)


def test_lifetime_without_a_distribution_is_refused_naming_the_vehicle() -> None:
    doc = _doc()
    doc["vehicle_types"]["car"]["lifetime"]["shape"] = -1.0
    data = parse_scenarios(doc)
    with pytest.raises(ScenarioError, match=r"vehicle_types\.car\.lifetime.*'shape'"):
        forecast(data=data)
