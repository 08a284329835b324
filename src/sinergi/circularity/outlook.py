"""The national battery outlook: the forecast to 2045 with recycling, as plain records.

Used by the demo job and ``sinergi battery report`` (which write the files) and by anyone who
wants the headline numbers; this module computes and returns, and never writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sinergi.circularity.recycling import Recycling, Route, recycling
from sinergi.circularity.scenarios import Forecast, forecast

DEMO_SCENARIO = "government-targets"
DEMO_TO = 2045
DEMO_ROUTE: Route = "hydro"


@dataclass(frozen=True)
class Outlook:
    """A national forecast and its recycling result."""

    forecast: Forecast
    recycling: Recycling

    def record(self, avoided_basis: dict[str, Any] | None = None) -> dict[str, Any]:
        """Return the JSON-ready record of the forecast and recycling.

        ``avoided_basis`` says where the avoided-emission factors come from and is written
        next to the result.
        """
        return {
            "forecast": self.forecast.to_dict(),
            "recycling": self.recycling.to_dict(),
            "emissions_avoided_basis": avoided_basis,
        }

    def summary(self) -> dict[str, Any]:
        """Return the headline numbers of 2030 and of the last year, with the flag count."""
        years = self.forecast.years.tolist()
        last = len(years) - 1
        stock = self.forecast.packs.stock.sum(axis=(1, 2))
        recovered = dict(
            zip(self.recycling.elements, self.recycling.recovered_t[last], strict=True)
        )
        return {
            "scenario": self.forecast.scenario,
            "packs_in_use_2030": float(stock[years.index(2030)]) if 2030 in years else None,
            "packs_in_use_last_year": float(stock[last]),
            "last_year": years[last],
            "retired_t_last_year": float(self.forecast.tonnes().outflow[last].sum()),
            "collected_t_last_year": float(self.recycling.collected_t[last]),
            "recovered_t_last_year": {k: round(float(v), 3) for k, v in recovered.items()},
            "route": self.recycling.route,
            "illustrative_inputs": len(self.recycling.illustrative),
        }


def national_outlook(
    avoided_t_co2e_per_t: Mapping[str, float] | None = None,
    *,
    scenario: str = DEMO_SCENARIO,
    to: int = DEMO_TO,
    route: Route = DEMO_ROUTE,
) -> Outlook:
    """Return the national forecast and its recycling (``hydro`` route by default).

    ``avoided_t_co2e_per_t`` (t CO2e per t of primary metal, e.g. from the footprint engine)
    turns recovered metal into avoided emissions.
    """
    national = forecast(scenario, to=to)
    end_of_life = recycling(national, route=route, avoided_t_co2e_per_t=avoided_t_co2e_per_t)
    return Outlook(national, end_of_life)
