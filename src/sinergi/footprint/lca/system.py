"""Matrix LCA on plain arrays: supply ``s = A⁻¹ f``, inventory ``g = B s``, score ``cᵀ g``.

Conventions (Brightway's): the technosphere A (n × n) has each process's production on the
diagonal and its inputs as entries of the opposite sign in its column (a product: +1 and
negative inputs; a waste-treatment activity: −1 for the waste it takes in, and processes that
send it waste have a positive entry in that row); the biosphere B (m × n)
holds elementary flows per unit of each process; ``c`` holds one characterisation factor per
flow. Missing data is NaN, never zero: a missing factor for a flow that some process emits is
an error (:class:`~sinergi.errors.MissingFactor`), a missing factor for an unused flow is not.

:class:`LcaSystem` validates the matrices and factorises A once; every demand, adjoint score
or contribution query afterwards is a solve with the kept factors. :func:`lca` is the
one-call form.

Examples
--------
>>> import numpy as np, scipy.sparse as sp
>>> A = sp.csc_array([[1.0, 0.0], [-0.5, 1.0]])   # process 0 uses 0.5 of product 1
>>> B = sp.csc_array([[2.0, 4.0]])                # kg CO2 per unit of each process
>>> r = lca(A, B, np.array([1.0]), np.array([1.0, 0.0]))
>>> r.supply[:, 0].tolist(), r.scores.tolist()
([1.0, 0.5], [4.0])
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from sinergi.errors import IllConditionedTechnosphere, InvalidMatrix
from sinergi.footprint.lca.arrays import FloatArray
from sinergi.footprint.lca.checks import (
    ArrayLike,
    Matrix,
    as_csc,
    as_demands,
    check_factors,
    check_finite,
    check_production,
)
from sinergi.footprint.lca.condition import (
    CONDITION_WARNING_THRESHOLD,
    SINGULAR_CONDITION,
    condition_estimate,
)
from sinergi.footprint.lca.factorize import factorize
from sinergi.footprint.lca.interface import SolverBackend, Strategy
from sinergi.footprint.lca.mapping import IdMapping, default_labels
from sinergi.footprint.lca.singular import near_null_columns, singular_error


@dataclass(frozen=True, slots=True)
class LcaResult:
    """Results for k demands at once.

    Attributes
    ----------
    supply
        Scaling (supply) of each process per demand, n × k.
    inventory
        Elementary flows per demand, m × k.
    scores
        Characterised score per demand, length k.
    labels, flow_labels
        Process and flow labels, in matrix order.
    solver
        ``"<strategy>/<backend>"`` that produced the result, for the record.
    condition
        1-norm condition estimate of A, or ``None`` when not checked.
    """

    supply: FloatArray
    inventory: FloatArray
    scores: FloatArray
    labels: tuple[str, ...]
    flow_labels: tuple[str, ...]
    solver: str
    condition: float | None


def _labels(given: Sequence[str] | None, count: int, kind: str, what: str) -> list[str]:
    if given is None:
        return default_labels(count, kind)
    out = [str(x) for x in given]
    if len(out) != count:
        raise InvalidMatrix(f"{what} has {len(out)} labels for {count} {kind}s; give one each")
    return out


class LcaSystem:
    """Validated technosphere, biosphere and factors, with A factorised once.

    Parameters
    ----------
    technosphere
        Square A (n × n), sparse or dense; production on the diagonal (positive, or negative
        for a waste-treatment activity), inputs of the opposite sign.
    biosphere
        B (m × n): elementary flows per unit of each process.
    characterization
        Length-m factors; NaN marks a missing factor.
    labels
        Process ids (column labels), unique; ``"column i"`` when omitted.
    flow_labels
        Flow ids (row labels of B), unique; ``"flow i"`` when omitted.
    strategy, backend
        How A is factorised, see :func:`sinergi.footprint.lca.factorize.factorize`.
    check_condition
        Estimate the condition of A: warn with
        :class:`~sinergi.errors.IllConditionedTechnosphere` above
        :data:`CONDITION_WARNING_THRESHOLD`, raise
        :class:`~sinergi.errors.SingularTechnosphere` at or above
        :data:`~sinergi.footprint.lca.condition.SINGULAR_CONDITION` (singular to working
        precision). Without it only the block strategy's pivot check guards against a
        numerically singular A; keep it on with the ``whole`` and ``iterative`` strategies.

    Raises
    ------
    InvalidMatrix, ZeroProduction, SingularTechnosphere, MissingFactor
        Each naming the process column and, where relevant, the flow.
    """

    biosphere: sp.csc_array
    flow_labels: list[str]
    factors: FloatArray
    _flows: IdMapping | None
    _unit_scores: FloatArray | None

    def __init__(
        self,
        technosphere: Matrix,
        biosphere: Matrix,
        characterization: ArrayLike,
        *,
        labels: Sequence[str] | None = None,
        flow_labels: Sequence[str] | None = None,
        strategy: Strategy | str = Strategy.AUTO,
        backend: SolverBackend | str = SolverBackend.AUTO,
        check_condition: bool = True,
    ) -> None:
        self.technosphere = as_csc(technosphere, "technosphere")
        n, n_cols = self.technosphere.shape
        if n != n_cols:
            raise InvalidMatrix(f"technosphere must be square (n × n); got {n} × {n_cols}")
        self.labels = _labels(labels, n, "column", "technosphere")
        # Given labels are checked now (duplicates are the user's error); generated labels
        # are unique by construction and mapped only when a query needs them.
        self._processes = None if labels is None else IdMapping(self.labels, what="process")
        self._set_biosphere(biosphere, characterization, flow_labels)
        check_finite(self.technosphere, "technosphere", self.labels, self.labels)
        check_production(self.technosphere, self.labels)
        self.factorization = factorize(
            self.technosphere, labels=self.labels, strategy=strategy, backend=backend
        )
        self.condition = self._check_condition() if check_condition else None

    @property
    def processes(self) -> IdMapping:
        """Return the mapping of process ids to technosphere columns."""
        if self._processes is None:
            self._processes = IdMapping(self.labels, what="process")
        return self._processes

    @property
    def flows(self) -> IdMapping:
        """Return the mapping of flow ids to biosphere rows."""
        if self._flows is None:
            self._flows = IdMapping(self.flow_labels, what="flow")
        return self._flows

    @property
    def solver(self) -> str:
        """Return ``"<strategy>/<backend>"`` of the kept factorisation."""
        f = self.factorization
        return f"{f.strategy.value}/{f.backend.value}"

    def _check_condition(self) -> float:
        kappa = condition_estimate(self.technosphere, self.factorization)
        if not np.isfinite(kappa) or kappa >= SINGULAR_CONDITION:
            n = len(self.labels)
            raise singular_error(
                self.labels, near_null_columns(self.factorization.solve, n), condition=kappa
            )
        if kappa > CONDITION_WARNING_THRESHOLD:
            warnings.warn(
                f"technosphere condition estimate {kappa:.3g} exceeds "
                f"{CONDITION_WARNING_THRESHOLD:.0e}: supplies may keep fewer than "
                f"{max(0, int(16 - np.log10(max(kappa, 1.0))))} significant digits; look for "
                "near-duplicate processes or loops whose inputs almost equal their output",
                IllConditionedTechnosphere,
                stacklevel=3,
            )
        return kappa

    def demand_array(
        self, demands: Mapping[str, float] | Sequence[Mapping[str, float]]
    ) -> FloatArray:
        """Build an n × k demand array from ``{process id: amount}`` mapping(s)."""
        many = [demands] if isinstance(demands, Mapping) else list(demands)
        out = np.zeros((len(self.labels), len(many)))
        for k, one in enumerate(many):
            idx = self.processes.index(list(one.keys()))
            np.add.at(out[:, k], idx, np.fromiter(one.values(), dtype=np.float64))
        return out

    def solve(self, demands: ArrayLike | sp.sparray | sp.spmatrix) -> LcaResult:
        """Solve for every demand column at once: supply, inventory and scores."""
        f = as_demands(demands, len(self.labels), self.labels)
        supply = self.factorization.solve(f)
        inventory = np.asarray(self.biosphere @ supply, dtype=np.float64)
        return LcaResult(
            supply=supply,
            inventory=inventory,
            scores=self.factors @ inventory,
            labels=tuple(self.labels),
            flow_labels=tuple(self.flow_labels),
            solver=self.solver,
            condition=self.condition,
        )

    def unit_scores(self) -> FloatArray:
        """Return the score of one unit of each product (adjoint solve ``Aᵀ y = Bᵀ c``)."""
        if self._unit_scores is None:
            rhs = np.asarray(self.biosphere.T @ self.factors, dtype=np.float64)
            self._unit_scores = self.factorization.solve_transposed(rhs)
        return self._unit_scores

    def scores(self, demands: ArrayLike | sp.sparray | sp.spmatrix) -> FloatArray:
        """Return scores only, as ``fᵀ y`` with the adjoint ``y``: one solve for any k."""
        f = as_demands(demands, len(self.labels), self.labels)
        return np.asarray(f.T @ self.unit_scores(), dtype=np.float64)

    def with_biosphere(
        self,
        biosphere: Matrix,
        characterization: ArrayLike,
        *,
        flow_labels: Sequence[str] | None = None,
    ) -> LcaSystem:
        """Return a system with a new B and c that shares this system's factorisation of A.

        Scenarios that change only emission amounts or characterisation factors (a grid
        factor, a GWP set) leave A alone, so they reuse the kept factors instead of
        factorising again. B and c are validated as in the constructor.
        """
        other = copy.copy(self)
        other._set_biosphere(biosphere, characterization, flow_labels)
        return other

    def _set_biosphere(
        self, biosphere: Matrix, characterization: ArrayLike, flow_labels: Sequence[str] | None
    ) -> None:
        """Validate B, c and the flow labels against the processes, and keep them."""
        self.biosphere = as_csc(biosphere, "biosphere")
        n = len(self.labels)
        if self.biosphere.shape[1] != n:
            raise InvalidMatrix(
                f"biosphere must have one column per process ({n}); got {self.biosphere.shape[1]}"
            )
        m = self.biosphere.shape[0]
        factors = np.asarray(characterization, dtype=np.float64)
        if factors.shape != (m,):
            raise InvalidMatrix(
                f"characterization must have one factor per biosphere row "
                f"({m}); got shape {factors.shape}"
            )
        self.flow_labels = _labels(flow_labels, m, "flow", "biosphere")
        self._flows = None if flow_labels is None else IdMapping(self.flow_labels, what="flow")
        check_finite(self.biosphere, "biosphere", self.flow_labels, self.labels)
        check_factors(self.biosphere, factors, self.labels, self.flow_labels)
        self.factors = np.nan_to_num(factors, nan=0.0)
        self._unit_scores = None

    def contributions(self, supply: FloatArray) -> FloatArray:
        """Return each process's direct characterised score, n × k, from a supply array."""
        direct = np.asarray(self.biosphere.T @ self.factors, dtype=np.float64)
        return direct[:, None] * (supply if supply.ndim == 2 else supply[:, None])


def lca(
    technosphere: Matrix,
    biosphere: Matrix,
    characterization: ArrayLike,
    demands: ArrayLike | sp.sparray | sp.spmatrix,
    *,
    labels: Sequence[str] | None = None,
    flow_labels: Sequence[str] | None = None,
    strategy: Strategy | str = Strategy.AUTO,
    backend: SolverBackend | str = SolverBackend.AUTO,
    check_condition: bool = True,
) -> LcaResult:
    """Solve a matrix LCA for one or many demands on plain matrices.

    Parameters
    ----------
    technosphere
        Square sparse A (n × n): production on the diagonal (negative for waste treatment),
        inputs of the opposite sign (Brightway's convention).
    biosphere
        B (m × n): elementary flows per unit of each process.
    characterization
        Length-m characterisation factors (NaN = missing).
    demands
        Final demand, length n or n × k (one column per functional unit).
    labels, flow_labels
        Process and flow ids used in results and error messages.
    strategy, backend
        Factorisation choice; see :func:`sinergi.footprint.lca.factorize.factorize`.
    check_condition
        Warn when A is ill-conditioned (:data:`CONDITION_WARNING_THRESHOLD`).

    Returns
    -------
    LcaResult
        ``supply`` (n × k), ``inventory`` (m × k) and ``scores`` (k).

    Raises
    ------
    InvalidMatrix, ZeroProduction, SingularTechnosphere, MissingFactor
        Each naming the process column and, where relevant, the flow.
    """
    system = LcaSystem(
        technosphere,
        biosphere,
        characterization,
        labels=labels,
        flow_labels=flow_labels,
        strategy=strategy,
        backend=backend,
        check_condition=check_condition,
    )
    return system.solve(demands)
