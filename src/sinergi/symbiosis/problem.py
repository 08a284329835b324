"""The exchange problem on plain arrays: the contract between candidate generation and optimisation.

Candidate generation (:mod:`sinergi.symbiosis.candidates`) turns the flow network and the
substitution rules into an :class:`ExchangeProblem`; the optimiser
(:mod:`sinergi.symbiosis.optimise`) reads nothing else. Keeping the contract on arrays lets the
tests build small random problems and check the optimiser against an independent formulation.

Units: every flow is in the *supplied* commodity's canonical unit per period (tonnes for
materials, MWh for heat, m3 for water; ``supply_units`` names it per supply, so totals are kept
per unit and never added across units), money is IDR per period, emissions t CO2e per period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from sinergi.errors import SymbiosisError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class ArcGroup:
    """An upper bound on a weighted sum of several arcs' flows (a quality or blend limit).

    Example: at most 30 % of a block maker's cement may be replaced by slag, whichever
    suppliers the slag comes from; the group holds every slag arc into that plant and ``limit``
    is 30 % of its cement use expressed in tonnes of supply. A joint limit over several
    substitutes (slag and fly ash together) weighs each arc by its ratio and states ``limit``
    in units of the replaced input.

    Parameters
    ----------
    name, reason
        An id and a sentence saying where the limit comes from.
    arcs
        The arcs the limit covers (an arc listed twice counts once).
    limit
        The bound (>= 0).
    weights
        Coefficient of each listed arc (> 0); ``None`` means 1 for every arc.
    """

    name: str
    arcs: IntArray
    limit: float
    reason: str
    weights: FloatArray | None = None


@dataclass(frozen=True)
class ExchangeProblem:
    """Supplies, demands and the candidate arcs between them.

    Parameters
    ----------
    supply_ids, demand_ids
        Labels (usually ``"<node id>:<commodity>"``) for explanations and results.
    supply_amount
        Available amount of each supply per period (>= 0).
    demand_amount
        Largest amount of each demand's input that can be replaced per period (>= 0), in the
        demand's own unit.
    arc_supply, arc_demand
        Index of the supply and the demand each arc joins.
    arc_ratio
        Units of demand input replaced per unit of supply sent along the arc (> 0).
    arc_capacity
        Upper bound on the arc's flow in supply units (``inf`` when only supply and demand bind).
    arc_value
        Net economic benefit per unit of supply sent (IDR): avoided virgin input + avoided
        disposal - transport - pre-treatment. May be negative.
    arc_co2e
        t CO2e avoided per unit of supply sent (avoided virgin production and disposal minus
        transport and treatment emissions). May be negative.
    arc_landfill
        Tonnes kept out of landfill or open dumping per unit of supply sent (>= 0).
    arc_fixed_cost
        Cost of opening the link per period (IDR, >= 0); 0 means no fixed cost.
    arc_min_amount
        Minimum viable flow if the link is used (supply units, >= 0); 0 means none.
    groups
        Extra upper bounds on sums of arcs (quality and blend limits).
    exclusive
        Pairs of arcs (shape ``(k, 2)``) of which at most one may carry flow: two companies
        sending each other the same commodity, which is each reusing its own stream at twice
        the transport (see :mod:`~sinergi.symbiosis.candidates`).
    supply_units
        Unit of each supply (``t``, ``m3``, ``MWh``); empty when unknown (totals then use
        ``"unit"``).
    """

    supply_ids: Sequence[str]
    demand_ids: Sequence[str]
    supply_amount: FloatArray
    demand_amount: FloatArray
    arc_supply: IntArray
    arc_demand: IntArray
    arc_ratio: FloatArray
    arc_capacity: FloatArray
    arc_value: FloatArray
    arc_co2e: FloatArray
    arc_landfill: FloatArray
    arc_fixed_cost: FloatArray
    arc_min_amount: FloatArray
    groups: Sequence[ArcGroup] = field(default_factory=tuple)
    exclusive: IntArray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))
    supply_units: Sequence[str] = ()

    def __post_init__(self) -> None:
        self.validate()

    @property
    def n_arcs(self) -> int:
        """Number of candidate arcs."""
        return int(self.arc_supply.shape[0])

    @property
    def needs_integers(self) -> bool:
        """True when some arc has a fixed cost, a minimum volume or an exclusive partner."""
        return bool(
            np.any(self.arc_fixed_cost > 0)
            or np.any(self.arc_min_amount > 0)
            or self.exclusive.shape[0] > 0
        )

    def unit_of(self, supply: int) -> str:
        """Return the unit of supply ``supply`` (``"unit"`` when the problem names none)."""
        return self.supply_units[supply] if self.supply_units else "unit"

    def validate(self) -> None:
        """Refuse shapes, indices and values that make no exchange problem.

        Raises
        ------
        SymbiosisError
            Naming the first offending array and position.
        """
        n_s, n_d = len(self.supply_ids), len(self.demand_ids)
        _shape("supply_amount", self.supply_amount, n_s)
        _shape("demand_amount", self.demand_amount, n_d)
        n = self.arc_supply.shape[0]
        for name in (
            "arc_demand",
            "arc_ratio",
            "arc_capacity",
            "arc_value",
            "arc_co2e",
            "arc_landfill",
            "arc_fixed_cost",
            "arc_min_amount",
        ):
            _shape(name, getattr(self, name), n)
        _nonnegative("supply_amount", self.supply_amount, self.supply_ids)
        _nonnegative("demand_amount", self.demand_amount, self.demand_ids)
        for name in ("arc_capacity", "arc_landfill", "arc_fixed_cost", "arc_min_amount"):
            _nonnegative(name, getattr(self, name), None)
        _index("arc_supply", self.arc_supply, n_s)
        _index("arc_demand", self.arc_demand, n_d)
        bad = np.flatnonzero(~(self.arc_ratio > 0) | ~np.isfinite(self.arc_ratio))
        if bad.size:
            raise SymbiosisError(
                f"arc_ratio[{bad[0]}] is {self.arc_ratio[bad[0]]}; a substitution ratio must be "
                "a finite number above zero"
            )
        for name in ("arc_value", "arc_co2e"):
            values = getattr(self, name)
            bad = np.flatnonzero(~np.isfinite(values))
            if bad.size:
                raise SymbiosisError(f"{name}[{bad[0]}] is not a finite number")
        for group in self.groups:
            _group(group, n)
        if self.exclusive.ndim != 2 or self.exclusive.shape[1] != 2:
            raise SymbiosisError(f"exclusive has shape {self.exclusive.shape}; expected (k, 2)")
        _index("exclusive", self.exclusive.ravel(), n)
        if self.supply_units and len(self.supply_units) != n_s:
            raise SymbiosisError(
                f"supply_units has {len(self.supply_units)} entries; expected {n_s} (one per "
                "supply) or none"
            )


def _group(group: ArcGroup, n_arcs: int) -> None:
    _index(f"group {group.name!r}", group.arcs, n_arcs)
    if not group.limit >= 0:
        raise SymbiosisError(f"group {group.name!r} has limit {group.limit}; use >= 0")
    if group.weights is not None:
        weights = np.asarray(group.weights)
        if weights.shape != np.asarray(group.arcs).shape:
            raise SymbiosisError(f"group {group.name!r} has one weight per arc to give")
        if not np.all((weights > 0) & np.isfinite(weights)):
            raise SymbiosisError(f"group {group.name!r} has a weight that is not above zero")


def _shape(name: str, values: FloatArray | IntArray, n: int) -> None:
    if values.ndim != 1 or values.shape[0] != n:
        raise SymbiosisError(f"{name} has shape {values.shape}; expected ({n},)")


def _nonnegative(name: str, values: FloatArray, labels: Sequence[str] | None) -> None:
    bad = np.flatnonzero(~(values >= 0))
    if bad.size:
        where = f" ({labels[bad[0]]})" if labels is not None else ""
        raise SymbiosisError(
            f"{name}[{bad[0]}]{where} is {values[bad[0]]}; amounts, capacities and costs must "
            "be zero or positive"
        )


def _index(name: str, values: IntArray, n: int) -> None:
    bad = np.flatnonzero((values < 0) | (values >= n))
    if bad.size:
        raise SymbiosisError(f"{name}[{bad[0]}] = {values[bad[0]]} is not an index below {n}")
