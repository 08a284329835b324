"""Many parameter draws of one network at once: built once, evaluated over arrays, solved stacked.

A by-parameter Monte Carlo (:mod:`sinergi.footprint.route_uncertainty`) changes the values of
a network's exchanges, never its structure: the same processes, columns and exchanges, each
amount a formula of the drawn parameters. Rebuilding and factorising the network for every
draw spends its time in Python, once per exchange and draw. Here the network is built once
(validated as usual), every exchange's formula is evaluated once over the arrays of all draws
(:func:`~sinergi.footprint.inventory.evaluate_draws`), with the same scaling, allocation
shares and credits as :func:`~sinergi.footprint.network.build_network`, and the draws' dense
technosphere matrices are solved in one stacked LAPACK call (one LU per draw: A changes with
every draw, so no factorisation can be shared between draws; the networks are small enough
that the stacked dense solve costs less than one sparse factorisation per draw).

The amounts are checked against the built network: the nominal values are evaluated as one
more draw, and each exchange must equal the network's own entry. Anything the batched path
does not reproduce (an amount that differs, an output whose sign changes between draws or
becomes zero, allocation weights that vanish, a singular draw) makes :func:`network_draws`
return ``None``, and the caller builds a network per draw, whose checks say what is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from sinergi.errors import UnknownName
from sinergi.footprint.inventory import Inventory, evaluate_draws
from sinergi.footprint.lca.arrays import FloatArray
from sinergi.footprint.network import Entry, Network, network_processes
from sinergi.footprint.schema import ProcessSpec

__all__ = ["NetworkDraws", "network_draws"]

#: Relative tolerance between the batched nominal amounts and the built network's.
_NOMINAL_RTOL = 1e-12


@dataclass(frozen=True)
class NetworkDraws:
    """Dense technosphere and biosphere of every draw of one network.

    Attributes
    ----------
    technosphere
        A of each draw, ``(draws, n, n)``.
    biosphere
        B of each draw, ``(draws, m, n)``.
    characterization
        Factors ``c`` (length m; the same in every draw), a missing factor read as 0 (only
        flows no process emits may lack one, as the built network checked).
    """

    technosphere: FloatArray
    biosphere: FloatArray
    characterization: FloatArray

    @property
    def draws(self) -> int:
        """Return the number of draws."""
        return int(self.technosphere.shape[0])

    def solve(self, demand: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Return supply ``(draws, n, p)`` and scores ``(draws, p)`` for demands ``(n, p)``.

        One stacked ``numpy.linalg.solve``: an LU of each draw's A, all in one call.
        """
        rhs = np.broadcast_to(demand, (self.draws, *demand.shape))
        supply = np.asarray(np.linalg.solve(self.technosphere, rhs), dtype=np.float64)
        inventory = self.biosphere @ supply
        scores = np.einsum("m,kmp->kp", self.characterization, inventory)
        return supply, np.asarray(scores, dtype=np.float64)


class _Process:
    """One process's outputs and column scales over the draws (plus the nominal last)."""

    def __init__(
        self,
        proc: ProcessSpec,
        method: str | None,
        values: Mapping[str, float | FloatArray],
        size: int,
    ) -> None:
        self.outputs = {
            p.id: np.broadcast_to(evaluate_draws(p.amount, values), (size,)) for p in proc.products
        }
        ids = [p.id for p in proc.products]
        self.credits = (
            {(str(p.substitutes), p.amount) for p in proc.products[1:]}
            if len(ids) > 1 and method == "system_expansion"
            else set()
        )
        self.regular = self._signs_kept(ids)
        self.scales: dict[str, FloatArray] = {}
        if not self.regular:
            return
        if len(ids) == 1 or method == "system_expansion":
            shares = {ids[0]: np.ones(size)}
        else:
            weights = [
                self.outputs[p.id] * (1.0 if method == "mass" else float(p.price or 0.0))
                for p in proc.products
            ]
            total = np.sum(weights, axis=0)
            self.regular = bool(np.all(total > 0))
            if not self.regular:
                return
            shares = {i: w / total for i, w in zip(ids, weights, strict=True)}
        self.scales = {i: s / np.abs(self.outputs[i]) for i, s in shares.items()}

    def _signs_kept(self, ids: list[str]) -> bool:
        """Return whether no output is zero and none changes sign from the nominal."""
        for i in ids:
            out = self.outputs[i]
            if np.any(out == 0) or np.any(np.sign(out) != np.sign(out[-1])):
                return False
        return True

    def amount(self, e: Entry, values: Mapping[str, float | FloatArray]) -> FloatArray:
        """Return one exchange's amount, computed as the network builder computes it."""
        value = evaluate_draws(e.formula, values)
        if e.matrix == "biosphere":
            return np.asarray(value * self.scales[e.column])
        if (e.row, e.formula) in self.credits:
            return np.asarray(value / self.outputs[e.column])
        return np.asarray(-(value * self.scales[e.column]))


def network_draws(
    inventory: Inventory, net: Network, drawn: Mapping[str, FloatArray]
) -> NetworkDraws | None:
    """Return the matrices of every draw of ``net`` with parameters set to ``drawn``.

    Parameters
    ----------
    inventory
        The inventory ``net`` was built from.
    net
        The network under the run's settings (its parameter values are the nominal ones).
    drawn
        Drawn values by parameter name, each an array over the draws (all the same length);
        parameters not named keep the network's values.

    Returns
    -------
    NetworkDraws or None
        ``None`` when the batched amounts do not reproduce the network (see the module
        docstring): build a network per draw instead.

    Raises
    ------
    UnknownName
        When ``drawn`` names a parameter the network does not have.
    """
    draws = len(next(iter(drawn.values()))) if drawn else 0
    values: dict[str, float | FloatArray] = {n: p.value for n, p in net.parameters.items()}
    for name, column in drawn.items():
        if name not in net.parameters:
            raise UnknownName(f"cannot draw {name!r}: the network has no such parameter")
        values[name] = np.append(np.asarray(column, dtype=np.float64), net.parameters[name].value)
    specs = {p.id: p for p in network_processes(inventory)}
    allocation = {pid: str(a.method) for pid, a in net.allocations.items()}
    processes: dict[str, _Process] = {}
    amounts = np.empty((len(net.entries), draws + 1))
    for k, e in enumerate(net.entries):
        if e.process not in specs:  # an electricity mix's share: no parameter
            amounts[k] = e.amount
            continue
        if e.process not in processes:
            processes[e.process] = _Process(
                specs[e.process], allocation.get(e.process), values, draws + 1
            )
        process = processes[e.process]
        if not process.regular:
            return None
        amounts[k] = process.amount(e, values)
    nominal = np.array([e.amount for e in net.entries])
    if not np.allclose(amounts[:, -1], nominal, rtol=_NOMINAL_RTOL, atol=0.0):
        return None
    return _assemble(net, amounts[:, :-1], draws)


def _assemble(net: Network, amounts: FloatArray, draws: int) -> NetworkDraws | None:
    """Place the amounts (entries x draws) in dense stacks of A and B."""
    n = len(net.labels)
    tech = np.zeros((draws, n, n))
    bio = np.zeros((draws, net.biosphere.shape[0], n))
    # the production diagonal: what A holds beyond its entries (+1, or -1 for waste treatment)
    placed = net.technosphere.toarray()
    for e in net.entries:
        if e.matrix == "technosphere":
            r, c = net.columns.index([e.row, e.column])
            placed[r, c] -= e.amount
    diagonal = np.where(placed.diagonal() < 0, -1.0, 1.0)
    tech[:, np.arange(n), np.arange(n)] = diagonal
    for e, row in zip(net.entries, amounts, strict=True):
        if e.matrix == "technosphere":
            r, c = net.columns.index([e.row, e.column])
            tech[:, r, c] += row
        else:
            f = int(net.flows.index([e.row])[0])
            c = int(net.columns.index([e.column])[0])
            bio[:, f, c] += row
    factors = net.characterization
    missing = np.isnan(factors)
    if np.any(bio[:, missing, :] != 0):
        return None  # a flow without a factor is emitted: the per-draw build says which
    return NetworkDraws(tech, bio, np.where(missing, 0.0, factors))
