"""Indonesian battery scenarios: sourced anchors are met, flows balance, bad data is located."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from sinergi.circularity.data_files import load_yaml
from sinergi.circularity.scenarios import forecast, parse_scenarios
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
    # after the last anchor the fleet keeps the average net additions of 2024-2030
    per_year = (13_000_000 - 160_578) / 6
    assert stock[-1, moto] == pytest.approx(13_000_000 + per_year * (years[-1] - 2030))


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


def test_demo_fleet_has_no_cliff_in_packs_placed_on_the_market_after_the_targets(
    national: Any,
) -> None:
    # Regression: geometric growth to the 2030 targets, then a held fleet, put 7.43 M
    # motorcycle packs on the market in 2030 and 1.40 M in 2031 (cars 989,458 -> 2,791).
    years = national.years.tolist()
    inflow = national.packs.inflow.sum(axis=2)
    after = slice(years.index(national.last_sourced_year), None)
    for v, vehicle in enumerate(national.vehicle_types):
        falls = inflow[after, v][1:] / inflow[after, v][:-1]
        assert falls.min() >= 0.75, f"{vehicle}: packs placed fall by {1 - falls.min():.0%}"


def test_fleet_path_is_monotone_between_the_anchors(national: Any) -> None:
    years = national.years.tolist()
    stock = national.packs.stock.sum(axis=2)
    for v in range(len(national.vehicle_types)):
        assert (np.diff(stock[:, v]) >= 0).all()
    moto = national.vehicle_types.index("motorcycle")
    between = stock[years.index(2024) : years.index(2030) + 1, moto]
    assert between.min() >= 160_578
    assert between.max() <= 13_000_000 + 1e-6


def test_modelled_2024_stock_meets_the_sourced_count_and_explains_the_rest(
    national: Any,
) -> None:
    # Regression: conversion targets added on top of the Kemenperin count put the modelled
    # 2024 stock at 347,754 against 195,084 sourced.
    years = national.years.tolist()
    modelled = national.packs.stock.sum(axis=(1, 2))[years.index(2024)]
    assert modelled == pytest.approx(160_578 + 33_555 + 402, rel=1e-12)
    (check,) = national.stock_checks
    assert (check.year, check.sourced) == (2024, 195_084)
    assert check.difference == pytest.approx(549)  # three-wheelers 337, commercial 212
    assert [u.value for u in check.not_modelled] == [337, 212]
    assert check.unexplained == pytest.approx(0.0, abs=1e-6)
    record = national.to_dict()["stock_checks"][0]
    assert record["difference"] == pytest.approx(549)
    assert record["provenance"]["refs"] == ["tabalien-2024-ev-200k"]


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
    flags = " ".join(item.caveat() for item in national.illustrative)
    assert "pack size of car: illustrative" in flags
    assert "battery lifetime of motorcycle: illustrative" in flags
    assert "fleet path between and after the anchors: illustrative" in flags
    assert national.to_dict()["illustrative"] == [i.caveat() for i in national.illustrative]


def test_every_input_carries_a_source_key_or_an_illustrative_note(national: Any) -> None:
    for item in national.inputs:
        provenance = item.provenance
        assert provenance.illustrative or provenance.refs or provenance.source, item.label()
        if provenance.illustrative:
            assert provenance.note, item.label()


def test_pack_commodities_are_counted_commodities_of_the_model(national: Any) -> None:
    from sinergi.model import default_catalogue
    from sinergi.units import Dimension

    for commodity in national.commodities:
        assert default_catalogue().get(commodity).dimension is Dimension.COUNT


def test_a_pack_commodity_missing_from_the_catalogue_is_refused_naming_its_key() -> None:
    doc = _doc()
    doc["vehicle_types"]["car"]["commodity"] = "battery_pack_tram"
    with pytest.raises(ScenarioError, match=r"vehicle_types\.car\.commodity.*battery_pack_tram"):
        parse_scenarios(doc)


def test_a_source_key_missing_from_the_bibliography_is_refused_naming_its_place() -> None:
    text = "history:\n  car:\n    - {year: 2024, value: 1, refs: [nobody-2099]}\n"
    with pytest.raises(ScenarioError, match=r"history\.car\.0\.refs.*nobody-2099"):
        load_yaml("scenarios.yaml", text)


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
