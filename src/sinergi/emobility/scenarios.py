"""Sales history and electrification scenarios: the data the transition model runs on.

``data/emobility/scenarios.yaml`` holds AISI sales, a projection rule and named scenarios (an
electric share of domestic sales at anchor years). A user's scenario file has the same
structure (see the scenario template) and may also change the bills of materials and give
jobs-per-output coefficients; what it leaves out comes from the shipped file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, field_validator, model_validator

from sinergi.emobility.data_files import InputKey, Strict, load_model, read_yaml
from sinergi.errors import TransitionError
from sinergi.i18n import N_
from sinergi.reference import Provenance, Sourced

__all__ = [
    "BomChange",
    "SalesYear",
    "ScenarioSpec",
    "ShareAnchor",
    "TransitionData",
    "TransitionScenario",
    "scenario_names",
    "shipped_transition_data",
    "transition_scenario",
]

FILE = "data/emobility/scenarios.yaml"


class SalesYear(Provenance):
    """Motorcycles sold at home and exported in one year (units)."""

    year: int = Field(ge=1950, le=2100)
    domestic: float = Field(ge=0)
    exports: float = Field(ge=0)


class ShareAnchor(Provenance):
    """The electric share of domestic sales in one year."""

    year: int = Field(ge=1950, le=2100)
    value: float = Field(ge=0, le=1)


class ScenarioSpec(Strict):
    """A named electrification path: labels and anchor years."""

    label_en: str
    label_id: str
    electric_share: list[ShareAnchor] = Field(min_length=1)

    @field_validator("electric_share")
    @classmethod
    def _increasing_years(cls, anchors: list[ShareAnchor]) -> list[ShareAnchor]:
        years = [a.year for a in anchors]
        if years != sorted(set(years)):
            msg = f"anchor years must increase without repeats, got {years}"
            raise ValueError(msg)
        return anchors

    def label(self, lang: str) -> str:
        """Return the scenario's label in ``lang``."""
        return self.label_id if lang == "id" else self.label_en

    def shares(self, years: NDArray[np.int64]) -> NDArray[np.float64]:
        """Return the electric share in each year: linear between anchors, held outside."""
        xs = np.array([a.year for a in self.electric_share], dtype=float)
        ys = np.array([a.value for a in self.electric_share], dtype=float)
        return np.asarray(np.interp(years.astype(float), xs, ys), dtype=np.float64)


class Projection(Strict):
    """How sales continue after the last year of history."""

    growth_per_year: Sourced

    @field_validator("growth_per_year")
    @classmethod
    def _above_minus_one(cls, growth: Sourced) -> Sourced:
        if not -1 < growth.value < 1:
            msg = f"growth_per_year {growth.value} must lie between -1 and 1 (a share per year)"
            raise ValueError(msg)
        return growth


class BomChange(Provenance):
    """A changed quantity of one component on electric or conventional vehicles."""

    component: str
    powertrain: Literal["electric", "conventional"]
    quantity: float = Field(ge=0)


class TransitionData(Strict):
    """Sales, projection, scenarios, bill changes and jobs coefficients, validated."""

    version: int
    sales: list[SalesYear] = Field(min_length=1)
    projection: Projection
    scenarios: dict[str, ScenarioSpec] = Field(min_length=1)
    bom: list[BomChange] = Field(default_factory=list)
    jobs_per_1000_units: dict[str, Sourced] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consecutive_sales(self) -> TransitionData:
        years = [s.year for s in self.sales]
        if years != list(range(years[0], years[0] + len(years))):
            msg = f"sales years must be consecutive and increasing, got {years}"
            raise ValueError(msg)
        return self

    def sales_series(self, years: NDArray[np.int64]) -> tuple[NDArray[np.float64], ...]:
        """Return domestic sales and exports in ``years`` (history, then the projection).

        Raises
        ------
        TransitionError
            When a year falls before the first year of history.
        """
        first, last = self.sales[0].year, self.sales[-1].year
        if years.min() < first:
            msg = f"the sales history starts in {first}; start the transition in {first} or later"
            raise TransitionError(msg)
        growth = self.projection.growth_per_year.value
        domestic, exports = np.zeros(len(years)), np.zeros(len(years))
        for i, year in enumerate(years.tolist()):
            row = self.sales[min(year, last) - first]
            factor = (1.0 + growth) ** max(year - last, 0)
            domestic[i], exports[i] = row.domestic * factor, row.exports * factor
        return domestic, exports

    def inputs(self, scenario: str) -> dict[InputKey, Provenance]:
        """Return every number the scenario rests on, keyed by a readable label."""
        items: dict[InputKey, Provenance] = {(N_("sales"), str(s.year)): s for s in self.sales}
        items[(N_("sales growth per year"), "")] = self.projection.growth_per_year
        for anchor in self.scenarios[scenario].electric_share:
            items[(N_("electric share of domestic sales"), str(anchor.year))] = anchor
        for change in self.bom:
            label = N_("parts per electric vehicle")
            if change.powertrain == "conventional":
                label = N_("parts per conventional vehicle")
            items[(label, change.component)] = change
        for component, coefficient in self.jobs_per_1000_units.items():
            items[(N_("jobs per 1,000 units a year"), component)] = coefficient
        return items


@dataclass(frozen=True, slots=True)
class TransitionScenario:
    """One scenario of a transition data set, ready to run."""

    name: str
    spec: ScenarioSpec
    data: TransitionData


@cache
def shipped_transition_data() -> TransitionData:
    """Return the shipped sales and scenarios, validated once."""
    doc: Any = read_yaml("scenarios.yaml")
    return load_model(TransitionData, doc, FILE)


def scenario_names(data: TransitionData | None = None) -> list[str]:
    """Return the names of the scenarios in ``data`` (the shipped file by default)."""
    return list((data or shipped_transition_data()).scenarios)


def transition_scenario(
    name: str | None = None, data: TransitionData | None = None
) -> TransitionScenario:
    """Return scenario ``name`` of ``data``; with one scenario in the data, ``name`` may be omitted.

    Raises
    ------
    TransitionError
        Naming the scenarios there are.
    """
    data = data or shipped_transition_data()
    if name is None and len(data.scenarios) == 1:
        name = next(iter(data.scenarios))
    if name not in data.scenarios:
        msg = f"unknown scenario {name!r}; choose one of {', '.join(data.scenarios)}"
        raise TransitionError(msg)
    return TransitionScenario(name, data.scenarios[name], data)
