"""Battery circularity and e-mobility: dynamic stock models, end of life, swap stations."""

from __future__ import annotations

from sinergi.circularity.lifetimes import Fixed, Lifetime, LogNormal, Normal, Weibull
from sinergi.circularity.outlook import Outlook, national_outlook
from sinergi.circularity.recycling import Recycling
from sinergi.circularity.scenarios import Forecast, forecast
from sinergi.circularity.stocks import StockResult, inflow_driven, stock_driven
from sinergi.circularity.swap_plan import plan_swap_network

__all__ = [
    "Fixed",
    "Forecast",
    "Lifetime",
    "LogNormal",
    "Normal",
    "Outlook",
    "Recycling",
    "StockResult",
    "Weibull",
    "forecast",
    "inflow_driven",
    "national_outlook",
    "plan_swap_network",
    "stock_driven",
]
