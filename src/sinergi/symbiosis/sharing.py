"""Split the benefit of accepted exchanges among partners: proportional, Shapley, and the core.

A cooperative game gives every coalition ``S`` of partners a value ``v(S)``. Two games are built
from exchanges:

* :func:`exchange_game` re-solves the exchange optimisation restricted to ``S``: only accepted
  arcs whose supplier *and* receiver are both in ``S`` may carry flow. It sees the interactions
  (two receivers competing for one supply, a blend limit shared by suppliers, a link fixed cost),
  at one LP/MILP solve per coalition that has any arc inside it.
* :func:`fixed_benefit_game` keeps each accepted exchange at its reported net benefit:
  ``v(S)`` is the sum over exchanges inside ``S``. No re-solve, but no interaction either (the
  Shapley value then gives each side half of each exchange).

Games are stored as a table of ``2^n`` values indexed by a bit mask (player ``i`` is bit ``i``),
so exact Shapley values and the core check are vectorised over all coalitions; both are limited
to :data:`MAX_EXACT_PLAYERS`. Larger groups use :func:`shapley_sampled` (random permutations,
seeded, with standard errors).

The core check solves the least-core LP: minimise ``ε`` such that ``Σ_{i∈S} x_i >= v(S) − ε``
for every proper coalition and ``Σ x_i = v(N)``. If ``ε* <= 0`` a stable split exists and one is
returned (the least-core point); otherwise no split keeps every coalition from doing better on
its own, and only ``ε*`` (the subsidy per coalition that would be needed) is reported.

Examples
--------
The glove game: player 0 holds a left glove, players 1 and 2 a right glove each; a pair is
worth 1.

>>> game = Game.from_function(["L", "R1", "R2"], lambda m: float(m & 1 and m & 6 != 0))
>>> shapley_exact(game).shares.round(4).tolist()
[0.6667, 0.1667, 0.1667]
>>> check = core_check(game)
>>> check.stable, (check.allocation.shares.round(6) + 0.0).tolist()
(True, [1.0, 0.0, 0.0])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

import highspy
import numpy as np
import scipy.sparse as sp

from sinergi.errors import InvalidGame, SymbiosisError
from sinergi.symbiosis.formulation import Objective, highs_lp
from sinergi.symbiosis.optimise import SolverSettings, optimise, run_highs
from sinergi.symbiosis.problem import ExchangeProblem, FloatArray, IntArray
from sinergi.symbiosis.solution import ExchangeSolution, SolveStatus

#: Exact Shapley values and the core LP enumerate all 2^n coalitions; 2^16 = 65,536 values
#: and a 65,534-row LP are still small, beyond that the table grows past what a facilitator's
#: cluster needs and sampling is the tool.
MAX_EXACT_PLAYERS = 16

#: Sampled games index coalitions by int64 bit masks.
MAX_SAMPLED_PLAYERS = 62

#: A least-core ε at or below this fraction of ``max(1, |v(N)|)`` counts as zero (stable):
#: HiGHS's LP feasibility tolerance is 1e-7 on its scaled model, far below any money amount
#: that matters, and a positive ε above it is a real shortfall.
CORE_TOLERANCE = 1e-9

MaskValues = Callable[[IntArray], FloatArray]


class SharingMethod(StrEnum):
    """How an allocation was computed."""

    PROPORTIONAL_TONNES = "proportional_tonnes"
    PROPORTIONAL_STANDALONE = "proportional_standalone"
    SHAPLEY = "shapley"
    SHAPLEY_SAMPLED = "shapley_sampled"
    LEAST_CORE = "least_core"


@dataclass(frozen=True)
class Game:
    """A cooperative game as a table: ``values[mask]`` is ``v`` of the players in ``mask``.

    ``values[0]`` (the empty coalition) is 0 and ``values[-1]`` is the grand coalition's value.
    """

    players: tuple[str, ...]
    values: FloatArray

    def __post_init__(self) -> None:
        n = len(self.players)
        if not 1 <= n <= MAX_EXACT_PLAYERS:
            raise InvalidGame(
                f"a game table needs 1 to {MAX_EXACT_PLAYERS} players, got {n}; "
                "use shapley_sampled with a coalition value function for more"
            )
        if self.values.shape != (1 << n,):
            raise InvalidGame(f"game values have shape {self.values.shape}; expected ({1 << n},)")
        if not np.all(np.isfinite(self.values)):
            bad = int(np.flatnonzero(~np.isfinite(self.values))[0])
            raise InvalidGame(f"v({self.members(bad)}) is not a finite number")
        if self.values[0] != 0:
            raise InvalidGame(f"v(empty coalition) is {self.values[0]}; it must be 0")

    @property
    def n(self) -> int:
        """Number of players."""
        return len(self.players)

    @property
    def grand_value(self) -> float:
        """Value of the coalition of all players, the amount every split distributes."""
        return float(self.values[-1])

    def members(self, mask: int) -> list[str]:
        """Return the names of the players in ``mask``."""
        return [p for i, p in enumerate(self.players) if mask >> i & 1]

    def mask_values(self, masks: IntArray) -> FloatArray:
        """Return ``v`` for an array of coalition masks."""
        return np.asarray(self.values[masks], dtype=np.float64)

    @classmethod
    def from_function(cls, players: Sequence[str], value: Callable[[int], float]) -> Game:
        """Tabulate ``value(mask)`` over every coalition (the empty one is set to 0)."""
        n = len(players)
        if n > MAX_EXACT_PLAYERS:
            raise InvalidGame(
                f"{n} players is more than the {MAX_EXACT_PLAYERS} a game table holds; "
                "use shapley_sampled"
            )
        values = np.array([0.0] + [float(value(mask)) for mask in range(1, 1 << n)])
        return cls(tuple(players), values)


@dataclass(frozen=True)
class Allocation:
    """A split of ``total`` among ``players``; ``standard_errors`` only for sampled methods."""

    method: SharingMethod
    players: tuple[str, ...]
    shares: FloatArray
    total: float
    standard_errors: FloatArray | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types."""
        errors = self.standard_errors
        return {
            "method": self.method.value,
            "total": self.total,
            "note": self.note,
            "shares": {
                p: {
                    "share": float(x),
                    "standard_error": None if errors is None else float(errors[i]),
                }
                for i, (p, x) in enumerate(zip(self.players, self.shares, strict=True))
            },
        }


@dataclass(frozen=True)
class CoreCheck:
    """Whether a stable split exists; the split itself only when it does.

    ``least_core_epsilon`` is the smallest ``ε`` such that some split gives every proper
    coalition at least ``v(S) − ε``: at or below zero the core is non-empty and ``allocation``
    is a split no coalition can improve on by leaving; above zero ``allocation`` is ``None``
    and ``ε`` is what each coalition would have to be paid (or penalised) to stay. ``None``
    when stability follows from the game's form without the LP (:func:`edge_game_core`).
    """

    players: tuple[str, ...]
    stable: bool
    least_core_epsilon: float | None
    allocation: Allocation | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types."""
        return {
            "stable": self.stable,
            "least_core_epsilon": self.least_core_epsilon,
            "message": self.message,
            "allocation": None if self.allocation is None else self.allocation.to_dict(),
        }


# --- building games ----------------------------------------------------------------------


@dataclass(frozen=True)
class Partners:
    """Who is on each side of each arc: partner indices into ``names``."""

    names: tuple[str, ...]
    arc_supplier: IntArray
    arc_receiver: IntArray


def partners_from_labels(problem: ExchangeProblem) -> Partners:
    """Read partners from ``"<node id>:<commodity>"`` labels (the text before the last ``:``).

    A label without ``:`` is the partner itself. Partners are numbered in order of first
    appearance among the supplies, then the demands.
    """
    supply_owner = [label.rpartition(":")[0] or label for label in problem.supply_ids]
    demand_owner = [label.rpartition(":")[0] or label for label in problem.demand_ids]
    names = tuple(dict.fromkeys(supply_owner + demand_owner))
    index = {name: i for i, name in enumerate(names)}
    s_idx = np.array([index[o] for o in supply_owner], dtype=np.int64)
    d_idx = np.array([index[o] for o in demand_owner], dtype=np.int64)
    return Partners(
        names,
        s_idx[problem.arc_supply].astype(np.int64),
        d_idx[problem.arc_demand].astype(np.int64),
    )


def fixed_benefit_game(
    players: Sequence[str], supplier: IntArray, receiver: IntArray, benefit: FloatArray
) -> Game:
    """Build ``v(S)`` = sum of the benefits of the exchanges whose both partners are in ``S``.

    Parameters
    ----------
    players
        Partner names.
    supplier, receiver
        Partner index of each exchange's two sides (equal for an exchange inside one company).
    benefit
        Each accepted exchange's net benefit, kept fixed (no re-optimisation).
    """
    n = len(players)
    _check_partner_index("supplier", supplier, n)
    _check_partner_index("receiver", receiver, n)
    if n > MAX_EXACT_PLAYERS:
        raise InvalidGame(f"{n} players is more than {MAX_EXACT_PLAYERS}; use sampling")
    masks = np.arange(1 << n, dtype=np.int64)
    pair = (np.int64(1) << supplier.astype(np.int64)) | (np.int64(1) << receiver.astype(np.int64))
    inside = (masks[:, None] & pair[None, :]) == pair[None, :]
    return Game(tuple(players), inside.astype(np.float64) @ np.asarray(benefit, dtype=np.float64))


def fixed_benefit_game_from_solution(solution: ExchangeSolution, partners: Partners) -> Game:
    """Build :func:`fixed_benefit_game` from a solution's exchanges and their net benefits."""
    return fixed_benefit_game(
        partners.names,
        partners.arc_supplier[solution.arcs],
        partners.arc_receiver[solution.arcs],
        solution.arc_net_benefit,
    )


def exchange_value_function(
    problem: ExchangeProblem,
    partners: Partners,
    *,
    accepted: IntArray | None = None,
    objective: Objective | str = Objective.NET_BENEFIT,
    settings: SolverSettings | None = None,
) -> MaskValues:
    """Return ``v(masks)``: the optimum using only accepted arcs inside each coalition.

    Coalitions with the same set of usable arcs share one solve (a cache), and a coalition with
    no usable arc is worth 0 without a solve. Every solve must end ``optimal``: a game value
    from a solve stopped early would make the split depend on the time limit.
    """
    n_partners = len(partners.names)
    if n_partners > MAX_SAMPLED_PLAYERS:
        raise InvalidGame(f"{n_partners} partners is more than {MAX_SAMPLED_PLAYERS}")
    for name in ("arc_supplier", "arc_receiver"):
        index = getattr(partners, name)
        if index.shape != (problem.n_arcs,):
            raise InvalidGame(
                f"partners.{name} has shape {index.shape}; expected one partner per arc "
                f"({problem.n_arcs},)"
            )
        _check_partner_index(f"partners.{name}", index, n_partners)
    allowed = np.zeros(problem.n_arcs, dtype=bool)
    if accepted is None:
        allowed[:] = True
    else:
        _check_arc_index(np.asarray(accepted), problem.n_arcs)
        allowed[accepted] = True
    pair = (np.int64(1) << partners.arc_supplier) | (np.int64(1) << partners.arc_receiver)
    cache: dict[bytes, float] = {}

    def one(mask: int) -> float:
        usable = allowed & ((np.int64(mask) & pair) == pair)
        if not usable.any():
            return 0.0
        key = np.packbits(usable).tobytes()
        if key not in cache:
            cut = replace(problem, arc_capacity=np.where(usable, problem.arc_capacity, 0.0))
            result = optimise(cut, objective, settings=settings)
            if result.status is not SolveStatus.OPTIMAL or result.objective_value is None:
                names = [p for i, p in enumerate(partners.names) if mask >> i & 1]
                raise SymbiosisError(
                    f"the solve for coalition {names} ended {result.status.value}; coalition "
                    "values must be optimal: raise the time limit or lower the MIP gap"
                )
            cache[key] = result.objective_value
        return cache[key]

    def values(masks: IntArray) -> FloatArray:
        return np.array([one(int(m)) for m in np.asarray(masks).ravel()], dtype=np.float64)

    return values


def exchange_game(
    problem: ExchangeProblem,
    partners: Partners,
    *,
    accepted: IntArray | None = None,
    objective: Objective | str = Objective.NET_BENEFIT,
    settings: SolverSettings | None = None,
) -> Game:
    """Tabulate :func:`exchange_value_function` over every coalition (re-solving the LP/MILP).

    Parameters
    ----------
    problem
        The exchange problem.
    partners
        Supplier and receiver partner of each arc (:func:`partners_from_labels`).
    accepted
        Arcs the partners accepted (e.g. ``solution.arcs``); ``None`` allows every arc.
    objective, settings
        Passed to every solve.
    """
    n = len(partners.names)
    if n > MAX_EXACT_PLAYERS:
        raise InvalidGame(
            f"{n} partners is more than the {MAX_EXACT_PLAYERS} an exact game holds; "
            "use exchange_value_function with shapley_sampled"
        )
    value = exchange_value_function(
        problem, partners, accepted=accepted, objective=objective, settings=settings
    )
    return Game(partners.names, value(np.arange(1 << n, dtype=np.int64)))


def _check_arc_index(accepted: IntArray, n_arcs: int) -> None:
    bad = np.flatnonzero((accepted < 0) | (accepted >= n_arcs))
    if bad.size:
        raise InvalidGame(
            f"accepted[{bad[0]}] = {accepted[bad[0]]} is not an arc index below {n_arcs}"
        )


def _check_partner_index(name: str, index: IntArray, n: int) -> None:
    bad = np.flatnonzero((index < 0) | (index >= n))
    if bad.size:
        raise InvalidGame(f"{name}[{bad[0]}] = {index[bad[0]]} is not a partner index below {n}")


# --- splits ------------------------------------------------------------------------------


def proportional_split(
    players: Sequence[str],
    total: float,
    weights: FloatArray,
    method: SharingMethod = SharingMethod.PROPORTIONAL_TONNES,
) -> Allocation:
    """Split ``total`` in proportion to non-negative ``weights``.

    The simplest rule to explain ("by tonnes handled"), but it ignores who makes the
    exchanges possible; compare it with the Shapley value and the core.
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (len(players),):
        raise InvalidGame(f"weights has shape {w.shape}; expected ({len(players)},)")
    bad = np.flatnonzero(~(w >= 0) | ~np.isfinite(w))
    if bad.size:
        raise InvalidGame(f"weight of {players[bad[0]]!r} is {w[bad[0]]}; use a number >= 0")
    if w.sum() <= 0:
        raise InvalidGame(
            "every weight is zero, so a proportional split is undefined; "
            "use another basis or the Shapley value"
        )
    return Allocation(method, tuple(players), total * w / w.sum(), float(total))


def tonnes_by_partner(solution: ExchangeSolution, partners: Partners) -> FloatArray:
    """Return the amount each partner sends plus receives (supply units) in a solution.

    Each exchange counts once for its supplier and once for its receiver.
    """
    n = len(partners.names)
    sent = np.bincount(partners.arc_supplier[solution.arcs], solution.flows, minlength=n)
    received = np.bincount(partners.arc_receiver[solution.arcs], solution.flows, minlength=n)
    return np.asarray(sent + received, dtype=np.float64)


def proportional_to_standalone(game: Game) -> Allocation:
    """Split ``v(N)`` in proportion to each partner's stand-alone value ``v({i})``.

    Refused when no partner gains anything alone (usual in exchange games, where every
    exchange needs two partners).
    """
    standalone = game.values[1 << np.arange(game.n)]
    if np.any(standalone < 0):
        i = int(np.flatnonzero(standalone < 0)[0])
        raise InvalidGame(
            f"v({{{game.players[i]}}}) is {standalone[i]}; a proportional split needs "
            "non-negative stand-alone values"
        )
    return proportional_split(
        game.players, game.grand_value, standalone, SharingMethod.PROPORTIONAL_STANDALONE
    )


def _sizes(masks: IntArray, n: int) -> IntArray:
    bits = (masks[:, None] >> np.arange(n, dtype=np.int64)) & 1
    return np.asarray(bits.sum(axis=1), dtype=np.int64)


def shapley_exact(game: Game) -> Allocation:
    """Return the Shapley value: each player's marginal contribution averaged over all orders.

    ``φ_i = Σ_{S ∌ i} |S|! (n − |S| − 1)! / n! · (v(S ∪ {i}) − v(S))``, evaluated for every
    player as one vectorised sum over the ``2^(n−1)`` coalitions without it.
    """
    n = game.n
    masks = np.arange(1 << n, dtype=np.int64)
    sizes = _sizes(masks, n)
    weight = np.array([1.0 / (n * math.comb(n - 1, s)) for s in range(n)])
    shares = np.empty(n)
    for i in range(n):
        bit = np.int64(1) << i
        without = masks[(masks & bit) == 0]
        gain = game.values[without | bit] - game.values[without]
        shares[i] = weight[sizes[without]] @ gain
    return Allocation(SharingMethod.SHAPLEY, game.players, shares, game.grand_value)


def shapley_sampled(
    players: Sequence[str],
    value: MaskValues | Game,
    n_permutations: int,
    *,
    seed: int,
) -> Allocation:
    """Estimate the Shapley value from random orders of the players (seeded).

    Each permutation adds players one by one and credits each with its marginal contribution;
    the estimate is the mean over permutations and its standard error the sample standard
    deviation over ``sqrt(n_permutations)``. Every permutation's contributions add up to
    ``v(N)``, so the estimate is exactly efficient.

    Parameters
    ----------
    players
        Partner names (at most :data:`MAX_SAMPLED_PLAYERS`).
    value
        A :class:`Game`, or a function from an array of coalition masks to their values
        (e.g. :func:`exchange_value_function`).
    n_permutations
        Number of random orders (>= 2, for a standard error).
    seed
        Seed of ``numpy.random.default_rng``.
    """
    n = len(players)
    if not 1 <= n <= MAX_SAMPLED_PLAYERS:
        raise InvalidGame(f"sampling needs 1 to {MAX_SAMPLED_PLAYERS} players, got {n}")
    if n_permutations < 2:
        raise InvalidGame(f"n_permutations is {n_permutations}; use at least 2")
    evaluate = value.mask_values if isinstance(value, Game) else value
    rng = np.random.default_rng(seed)
    orders = rng.permuted(np.tile(np.arange(n, dtype=np.int64), (n_permutations, 1)), axis=1)
    prefixes = np.cumsum(np.int64(1) << orders, axis=1)
    after = evaluate(prefixes.ravel()).reshape(n_permutations, n)
    empty = float(evaluate(np.zeros(1, dtype=np.int64))[0])
    before = np.hstack([np.full((n_permutations, 1), empty), after[:, :-1]])
    contribution = np.empty((n_permutations, n))
    np.put_along_axis(contribution, orders, after - before, axis=1)
    shares = contribution.mean(axis=0)
    errors = contribution.std(axis=0, ddof=1) / math.sqrt(n_permutations)
    grand = float(evaluate(np.array([(1 << n) - 1], dtype=np.int64))[0])
    return Allocation(
        SharingMethod.SHAPLEY_SAMPLED,
        tuple(players),
        shares,
        grand,
        errors,
        f"{n_permutations} random orders, seed {seed}",
    )


# --- the core ----------------------------------------------------------------------------


def max_excess(game: Game, shares: FloatArray) -> tuple[float, list[str]]:
    """Return the largest ``v(S) − Σ_{i∈S} x_i`` over proper coalitions, and that coalition.

    Positive: that coalition would do better on its own than with this split.
    """
    n = game.n
    masks = np.arange(1, (1 << n) - 1, dtype=np.int64)
    if masks.size == 0:
        return 0.0, []
    bits = ((masks[:, None] >> np.arange(n, dtype=np.int64)) & 1).astype(np.float64)
    excess = game.values[masks] - bits @ np.asarray(shares, dtype=np.float64)
    worst = int(np.argmax(excess))
    return float(excess[worst]), game.members(int(masks[worst]))


def core_check(game: Game) -> CoreCheck:
    """Decide whether a stable (core) split exists by solving the least-core LP with HiGHS.

    Returns a core allocation when ``ε* <= CORE_TOLERANCE · max(1, |v(N)|)``; otherwise
    ``stable=False``, no allocation, and the least-core ``ε*``.
    """
    n = game.n
    if n == 1:
        split = Allocation(
            SharingMethod.LEAST_CORE, game.players, np.array([game.grand_value]), game.grand_value
        )
        return CoreCheck(game.players, True, 0.0, split, "a single partner keeps its own value")
    epsilon, shares = _least_core(game)
    tolerance = CORE_TOLERANCE * max(1.0, abs(game.grand_value))
    if epsilon <= tolerance:
        split = Allocation(
            SharingMethod.LEAST_CORE,
            game.players,
            shares,
            game.grand_value,
            note="least-core point: the core split that maximises the worst coalition's surplus",
        )
        return CoreCheck(game.players, True, epsilon, split, "a stable (core) split exists")
    return CoreCheck(
        game.players,
        False,
        epsilon,
        None,
        f"no stable split exists: whatever the split, some coalition could gain up to "
        f"{epsilon:.6g} by leaving (least-core ε)",
    )


def edge_game_core(game: Game, benefit: FloatArray, shapley: Allocation | None = None) -> CoreCheck:
    """Return the core verdict of a :func:`fixed_benefit_game` without solving an LP.

    With every exchange's benefit at or above zero, ``v(S)`` is the total weight of the edges
    inside ``S`` of a graph with non-negative weights: such a game is convex (supermodular),
    so its core is non-empty and holds the Shapley value (Shapley 1971, "Cores of convex
    games"). The Shapley split is returned as the stable split. A negative benefit breaks
    convexity: the least-core LP (:func:`core_check`) decides then. ``shapley`` saves
    computing the Shapley value again when the caller has it.
    """
    if np.any(np.asarray(benefit) < 0):
        return core_check(game)
    split = shapley if shapley is not None else shapley_exact(game)
    return CoreCheck(
        game.players,
        True,
        None,
        split,
        "a stable (core) split exists: the game is convex, so the Shapley split is stable",
    )


def _least_core(game: Game) -> tuple[float, FloatArray]:
    n = game.n
    masks = np.arange(1, (1 << n) - 1, dtype=np.int64)
    bits = (masks[:, None] >> np.arange(n, dtype=np.int64)) & 1
    # rows: one per proper coalition (x(S) + ε >= v(S)), then Σ x = v(N)
    members = sp.csr_array(bits.astype(np.float64))
    proper = sp.hstack([members, sp.csr_array(np.ones((masks.size, 1)))])
    grand = sp.csr_array(np.append(np.ones(n), 0.0)[None, :])
    matrix = sp.csc_array(sp.vstack([proper, grand]))
    free = np.full(n + 1, -np.inf)
    lp = highs_lp(
        matrix,
        np.append(np.zeros(n), 1.0),
        free,
        -free,
        np.append(game.values[masks], game.grand_value),
        np.append(np.full(masks.size, np.inf), game.grand_value),
        maximise=False,
    )
    highs = run_highs(lp)
    status = highs.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        # The least-core LP is always feasible and bounded for n >= 2; anything else is a
        # solver failure, not a property of the game.
        raise SymbiosisError(f"the least-core LP ended {highs.modelStatusToString(status)}")
    x = np.asarray(highs.getSolution().col_value, dtype=np.float64)
    return float(x[n]), x[:n]
