"""Battery circularity and e-mobility: dynamic stock models, end of life, swap stations."""

from __future__ import annotations

from sinergi.circularity.demo import circularity_demo
from sinergi.circularity.lifetimes import Fixed, Lifetime, LogNormal, Normal, Weibull
from sinergi.circularity.recycling import Recycling
from sinergi.circularity.scenarios import Forecast, forecast
from sinergi.circularity.stocks import StockResult, inflow_driven, stock_driven
from sinergi.circularity.swap_demo import plan_swap_network as plan_swap_network

__all__ = [
    "Fixed",
    "Forecast",
    "Lifetime",
    "LogNormal",
    "Normal",
    "Recycling",
    "StockResult",
    "Weibull",
    "circularity_demo",
    "forecast",
    "inflow_driven",
    "stock_driven",
]
