"""Park assessment: indicators computed from the flow network, rubric packs as data, scores.

The engine is pure: it reads an :class:`~sinergi.model.Ecosystem` and reference data, never
the store or the CLI.
"""

from __future__ import annotations

from sinergi.assess.indicator import Indicator, IndicatorResult, IndicatorStatus
from sinergi.assess.indicators import INDICATORS, compute, compute_view
from sinergi.assess.view import ParkView, park_view, park_views

__all__ = [
    "INDICATORS",
    "Indicator",
    "IndicatorResult",
    "IndicatorStatus",
    "ParkView",
    "compute",
    "compute_view",
    "park_view",
    "park_views",
]
