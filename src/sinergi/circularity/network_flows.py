"""Battery packs and end-of-life materials as flows of the one model network, both ways.

Circularity adds stocks to the flow network that every engine reads. The network holds flows
of commodities between nodes per period, not stocks, so a forecast's stock, its cohorts and
lifetimes stay in the engine's arrays; what crosses between the network's nodes becomes model
:class:`~sinergi.model.Flow` objects, in the commodities of the model's catalogue:

* packs **placed on the market**: ``supplier`` → ``market`` (the buyers), one counted
  commodity per vehicle type (``battery_pack_motorcycle`` …, in items);
* spent batteries **collected** for recycling: ``market`` → ``recycler`` (t,
  ``spent_battery_lithium``);
* metal **recovered**: ``recycler`` → ``market`` (t of contained metal, ``recovered_nickel`` …).

Packs that retire and are not collected, or go to a second life, have no known fate in the
data and carry no flow (a flow needs a target; an invented one would be wrong). Forecast years
up to the last sourced count are ``calculated`` (stock-driven from sourced stocks), later ones
``estimated``.

The other way, :func:`inflow_from_flows` reads packs placed on the market from any ecosystem
(reported by an operator, or written by :func:`forecast_flows`) into the inflow array of
:func:`~sinergi.circularity.stocks.inflow_driven`, so a fleet can be built from the network.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

from sinergi.circularity.lifetimes import FloatArray
from sinergi.circularity.recycling import Recycling
from sinergi.circularity.scenarios import Forecast
from sinergi.errors import ScenarioError
from sinergi.model import DataQuality, Flow, Granularity, Period

SUPPLIER = "supplier"
MARKET = "market"
RECYCLER = "recycler"


def forecast_flows(
    forecast: Forecast, *, supplier: str = SUPPLIER, market: str = MARKET
) -> list[Flow]:
    """Return the packs placed on the market per year and vehicle type as model flows."""
    placed = forecast.packs.inflow.sum(axis=2)  # chemistries share one pack commodity
    evidence = f"sinergi battery forecast, scenario {forecast.scenario}"
    flows = []
    for i, year in enumerate(forecast.years.tolist()):
        quality = (
            DataQuality.CALCULATED if year <= forecast.last_sourced_year else DataQuality.ESTIMATED
        )
        for v, commodity in enumerate(forecast.commodities):
            flows.append(
                Flow(
                    Period(year),
                    supplier,
                    market,
                    commodity,
                    float(placed[i, v]),
                    quality,
                    evidence,
                )
            )
    return flows


def recycling_flows(
    result: Recycling, *, market: str = MARKET, recycler: str = RECYCLER
) -> list[Flow]:
    """Return collected spent batteries and recovered metals per year as model flows (t)."""
    named = result.commodities
    evidence = (
        f"sinergi battery recycling, scenario {result.forecast.scenario}, route {result.route}"
    )
    flows = []
    for i, year in enumerate(result.forecast.years.tolist()):
        period = Period(year)
        flows.append(
            Flow(
                period,
                market,
                recycler,
                named.spent_batteries,
                float(result.collected_t[i]),
                DataQuality.ESTIMATED,
                evidence,
            )
        )
        flows += [
            Flow(
                period,
                recycler,
                market,
                named.recovered[element],
                float(result.recovered_t[i, e]),
                DataQuality.ESTIMATED,
                evidence,
            )
            for e, element in enumerate(result.elements)
        ]
    return flows


def inflow_from_flows(
    flows: Iterable[Flow],
    commodity: str,
    years: NDArray[np.int64],
    *,
    market: str = MARKET,
) -> FloatArray:
    """Return the packs of ``commodity`` placed on the market (flows into ``market``) per year.

    Years without a flow are zero inflow: no pack was reported placed that year. A flow whose
    quantity is unknown, or that covers a month, cannot stand in a yearly inflow and is
    refused rather than read as zero (roll months up into years first).

    Raises
    ------
    ScenarioError
        A matching flow has an unknown quantity or a monthly period (names the flow).
    """
    inflow = np.zeros(len(years))
    index = {int(year): i for i, year in enumerate(years)}
    for flow in flows:
        if flow.commodity != commodity or flow.target != market:
            continue
        where = f"flow {flow.source} → {flow.target} of {commodity} in {flow.period}"
        if flow.period.granularity is not Granularity.YEAR:
            raise ScenarioError(f"{where}: a monthly flow; sum the months into the year first")
        if flow.quantity is None:
            raise ScenarioError(f"{where}: the quantity is unknown; a stock model needs it")
        if flow.period.year in index:
            inflow[index[flow.period.year]] += flow.quantity
    return inflow
