"""Battery packs and end-of-life materials travel the one model network, and come back."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from sinergi.circularity import Weibull, inflow_driven
from sinergi.circularity.network_flows import forecast_flows, inflow_from_flows, recycling_flows
from sinergi.circularity.recycling import recycling
from sinergi.circularity.scenarios import forecast
from sinergi.errors import ScenarioError
from sinergi.model import DataQuality, Ecosystem, Flow, Period
from sinergi.model.checks import check
from sinergi.model.externals import default_externals
from sinergi.units import Dimension


@pytest.fixture(scope="module")
def national() -> Any:
    return forecast(to=2035)


def _network(flows: list[Flow]) -> Ecosystem:
    eco = Ecosystem()
    eco.add(*default_externals())
    eco.flows.extend(flows)
    return eco


def test_forecast_and_recycling_flows_are_a_consistent_model_network(national: Any) -> None:
    flows = forecast_flows(national) + recycling_flows(recycling(national))
    eco = _network(flows)
    assert check(eco, strict=True) == []
    units = {eco.catalogue.get(f.commodity).dimension for f in flows}
    assert units == {Dimension.COUNT, Dimension.MASS}


def test_packs_placed_on_the_market_read_back_equal_the_forecast_inflow(national: Any) -> None:
    eco = _network(forecast_flows(national))
    for v, commodity in enumerate(national.commodities):
        read = inflow_from_flows(eco.flows, commodity, national.years)
        np.testing.assert_allclose(read, national.packs.inflow[:, v].sum(axis=1), rtol=1e-12)


def test_a_fleet_built_from_network_flows_equals_the_forecast_stock(national: Any) -> None:
    # the same network carries the packs: reading them back through the model and running
    # the stock model on them gives the forecast's own fleet
    eco = _network(forecast_flows(national))
    moto = national.vehicle_types.index("motorcycle")
    inflow = inflow_from_flows(eco.flows, "battery_pack_motorcycle", national.years)
    fleet = inflow_driven(inflow, Weibull.from_mean(4.0, 3.0))
    np.testing.assert_allclose(
        fleet.stock, national.packs.stock[:, moto].sum(axis=1), rtol=1e-9, atol=1e-6
    )


def test_counted_years_are_calculated_and_projected_years_estimated(national: Any) -> None:
    flows = forecast_flows(national)
    quality = {f.period.year: f.quality for f in flows}
    assert quality[2024] is DataQuality.CALCULATED
    assert quality[2025] is DataQuality.ESTIMATED


def test_recovered_metal_flows_carry_the_recycling_result(national: Any) -> None:
    result = recycling(national)
    flows = recycling_flows(result)
    year = national.years.tolist().index(2035)
    nickel = [f for f in flows if f.commodity == "recovered_nickel" and f.period == Period(2035)]
    assert [(f.source, f.target) for f in nickel] == [("recycler", "market")]
    assert nickel[0].quantity == pytest.approx(result.recovered_t[year, 0])


@pytest.mark.parametrize(
    ("flow", "message"),
    [
        (Flow(Period(2024), "supplier", "market", "battery_pack_car", None), "unknown"),
        (Flow(Period(2024, 3), "supplier", "market", "battery_pack_car", 5.0), "monthly"),
    ],
)
def test_an_unknown_or_monthly_inflow_is_refused_not_read_as_zero(flow: Flow, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        inflow_from_flows([flow], "battery_pack_car", np.arange(2020, 2026))
