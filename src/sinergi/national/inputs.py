"""What the national engine takes in besides the registry: route intensities and factors.

The engine never computes a footprint itself: the CLI and report layers run the footprint
engine and hand its per-route results in as plain data (:class:`RouteIntensity`), with the
Monte Carlo draws when asked. An intensity is split in two: ``process`` (t CO2e per t Ni from
everything but the smelter's own electricity) and ``electricity_mwh`` (MWh per t Ni), so that
each smelter's electricity is charged at the factors of the sources that actually serve it.

Power factors (:class:`PowerFactor`) are keyed by source: a fuel (``coal``, ``hydro``,
``solar``) or a grid (``grid.sulselbar``). A source without a factor makes the power emissions
of the smelters it serves *missing*, never zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml
from pydantic import ValidationError

from sinergi.errors import ReferenceDataError
from sinergi.national.registry import Route
from sinergi.reference import Provenance, Sourced

__all__ = [
    "NationalFactors",
    "PowerFactor",
    "RouteIntensity",
    "national_factors",
]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class RouteIntensity:
    """A route's footprint per t Ni, split into process and electricity, with its draws.

    Attributes
    ----------
    process
        t CO2e per t Ni from everything but the smelter's electricity (mining, reductants,
        reagents, upstream intermediates for downstream routes as the caller chose).
    electricity_mwh
        MWh of electricity per t Ni.
    process_draws, electricity_draws
        The same per Monte Carlo draw (equal length), or ``None`` without a Monte Carlo.
    basis
        What the numbers are, for the record (e.g. ``"footprint engine, product npi"``).
    lower_bound
        The footprint knows exchanges of this route are missing (its total is a lower bound).
        A route with no electricity per t Ni is one: its smelters' electricity is unknown.
    """

    route: Route
    process: float
    electricity_mwh: float
    process_draws: FloatArray | None = None
    electricity_draws: FloatArray | None = None
    basis: str = ""
    lower_bound: bool = False

    @property
    def electricity_known(self) -> bool:
        """Return whether the footprint gives this route any electricity per t Ni."""
        return self.electricity_mwh > 0


@dataclass(frozen=True)
class PowerFactor:
    """t CO2e per MWh of one power source, with its draws and provenance."""

    key: str
    value: float
    draws: FloatArray | None = None
    #: where the factor comes from; pages describe it in their own language
    provenance: Provenance | None = None
    illustrative: bool = False


@dataclass(frozen=True)
class NationalFactors:
    """Shipped factors of the national accounts (data/national/factors.yaml)."""

    residue_t_per_t_ni: dict[Route, Sourced]
    faba_t_per_mwh_coal: Sourced
    carbon_price_idr_per_t: Sourced
    #: coal's CO2 per TJ of fuel and its net calorific value: coal burnt by captive units
    coal_co2_t_per_tj: Sourced
    coal_ncv_gj_per_t: Sourced
    #: default prices of the energy and carbon cost (PLN industrial tariff, coal, exchange rate)
    grid_tariff_idr_per_kwh: Sourced
    grid_tariff_i3_idr_per_kwh: Sourced
    coal_price_usd_per_t: Sourced
    idr_per_usd: Sourced
    not_found: dict[str, str] = field(default_factory=dict)


def _sourced(value: Any, where: str) -> Sourced:
    try:
        return Sourced.model_validate(value)
    except ValidationError as exc:
        msg = f"data/national/factors.yaml, {where}: {exc.errors()[0]['msg']}"
        raise ReferenceDataError(msg) from None


@cache
def national_factors() -> NationalFactors:
    """Return the shipped waste, ash, coal and price factors, validated.

    Raises
    ------
    ReferenceDataError
        When the shipped file is malformed (a packaging bug).
    """
    text = resources.files("sinergi.data.national").joinpath("factors.yaml").read_text("utf-8")
    doc = yaml.safe_load(text)
    residues = {
        Route(route): _sourced(value, f"residue_t_per_t_ni.{route}")
        for route, value in doc["residue_t_per_t_ni"].items()
    }
    return NationalFactors(
        residue_t_per_t_ni=residues,
        faba_t_per_mwh_coal=_sourced(doc["faba_t_per_mwh_coal"], "faba_t_per_mwh_coal"),
        carbon_price_idr_per_t=_sourced(doc["carbon_price_idr_per_t"], "carbon_price_idr_per_t"),
        coal_co2_t_per_tj=_sourced(doc["coal_co2_t_per_tj"], "coal_co2_t_per_tj"),
        coal_ncv_gj_per_t=_sourced(doc["coal_ncv_gj_per_t"], "coal_ncv_gj_per_t"),
        grid_tariff_idr_per_kwh=_sourced(doc["grid_tariff_idr_per_kwh"], "grid_tariff_idr_per_kwh"),
        grid_tariff_i3_idr_per_kwh=_sourced(
            doc["grid_tariff_i3_idr_per_kwh"], "grid_tariff_i3_idr_per_kwh"
        ),
        coal_price_usd_per_t=_sourced(doc["coal_price_usd_per_t"], "coal_price_usd_per_t"),
        idr_per_usd=_sourced(doc["idr_per_usd"], "idr_per_usd"),
        not_found={str(k): str(v) for k, v in doc.get("not_found", {}).items()},
    )
