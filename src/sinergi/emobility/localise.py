"""The cheapest components to localise to reach a TKDN target: a small MILP on HiGHS.

Each localisation option raises one component's local share (or one assembly/development
item's achievement) to a new value at an extra cost per vehicle. Choosing option ``o`` gains
``g_o = max_points × (new share − current share)`` points of TKDN. The problem is

    minimise    Σ cost_o · x_o
    subject to  Σ g_o · x_o ≥ target − current TKDN
                Σ_{o targets t} x_o ≤ 1      for every component or item t
                x_o ∈ {0, 1}

solved with HiGHS through :func:`scipy.optimize.milp` (which never prints, so JSON output stays
clean). Options that gain nothing are left out and listed. The chosen set is checked with the
exact TKDN calculation; a float rounding that leaves it short of the target by less than
the solver's tolerance is cut off (that exact set forbidden) and the MILP solved again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from sinergi.emobility.method import TkdnReference
from sinergi.emobility.tkdn import (
    LocalisationOption,
    TkdnResult,
    compute_tkdn,
    exact,
)
from sinergi.errors import LocalisationError

__all__ = ["Gain", "Localisation", "LocalisationStatus", "cheapest_localisation", "option_gains"]

#: Slack (points) on the need, so that a choice meeting the target exactly is not lost to
#: rounding; a choice the exact check finds short is cut off and the MILP solved again.
MARGIN = 1e-9
#: Most re-solves after exact checks (each cut removes one near-tie choice).
MAX_CUTS = 20


class LocalisationStatus(StrEnum):
    """How the search for the cheapest localisation ended."""

    ALREADY_MET = "already_met"
    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"


@dataclass(frozen=True, slots=True)
class Gain:
    """An option with the points it gains and its cost per point."""

    option: LocalisationOption
    current_share: Fraction
    max_points: Fraction

    @property
    def points(self) -> Fraction:
        """Return the TKDN points the option adds (may be zero or negative)."""
        return self.max_points * (exact(self.option.new_share) - self.current_share)

    @property
    def cost_per_point(self) -> float | None:
        """Return the cost per point gained (``None`` when it gains nothing)."""
        return self.option.cost_idr / float(self.points) if self.points > 0 else None


@dataclass(frozen=True, slots=True)
class Localisation:
    """The cheapest set of options to reach ``target_percent``, explained.

    ``chosen`` are the options to take (empty when the target is already met or cannot be
    reached); ``after`` is the exact TKDN with them; ``best_reachable`` the TKDN with the
    best option of every component (so an infeasible target shows how far one can get);
    ``useless`` are options that gain nothing.
    """

    target_percent: Fraction
    before: TkdnResult
    status: LocalisationStatus
    chosen: tuple[Gain, ...]
    after: Fraction
    best_reachable: Fraction
    useless: tuple[LocalisationOption, ...]
    candidates: int

    @property
    def cost_idr(self) -> float:
        """Return the extra cost per vehicle of the chosen options."""
        return sum(g.option.cost_idr for g in self.chosen)

    @property
    def gap_points(self) -> Fraction:
        """Return the points still missing with every option at its best (infeasible case)."""
        return max(self.target_percent - self.best_reachable, Fraction(0))


def option_gains(result: TkdnResult) -> list[Gain]:
    """Return every option of the bill of materials with its gain in points."""
    shares = {s.component.id: (s.local_share, s.max_points) for s in result.components}
    shares |= {s.item.id: (exact(s.item.achieved), s.max_points) for s in result.items}
    gains = []
    for option in result.bom.options:
        if option.target not in shares:
            raise LocalisationError(
                f"option {option.id!r} targets {option.target!r}, which the TKDN calculation "
                "does not score; name a component or an assembly/development item"
            )
        current, max_points = shares[option.target]
        gains.append(Gain(option, current, max_points))
    return gains


def cheapest_localisation(
    result: TkdnResult,
    target_percent: float,
    *,
    method: str | None = None,
    reference: TkdnReference | None = None,
) -> Localisation:
    """Return the cheapest options that lift ``result`` to ``target_percent``.

    Raises
    ------
    LocalisationError
        When the target is not a percentage in (0, 100] or HiGHS fails.
    """
    if not 0 < target_percent <= 100:
        raise LocalisationError(f"target {target_percent} must be a percentage in (0, 100]")
    target = exact(target_percent)
    gains = option_gains(result)
    useful = [g for g in gains if g.points > 0]
    useless = tuple(g.option for g in gains if g.points <= 0)
    best = result.exact_percent + _best_points(useful)
    chosen: tuple[Gain, ...] = ()
    if result.exact_percent >= target:
        status = LocalisationStatus.ALREADY_MET
    elif best < target:
        status = LocalisationStatus.INFEASIBLE
    else:
        chosen = _solve(result, target, useful, method, reference)
        status = LocalisationStatus.OPTIMAL
    after = result.exact_percent + sum((g.points for g in chosen), Fraction(0))
    return Localisation(target, result, status, chosen, after, best, useless, len(useful))


def _best_points(useful: list[Gain]) -> Fraction:
    best: dict[str, Fraction] = {}
    for gain in useful:
        best[gain.option.target] = max(best.get(gain.option.target, Fraction(0)), gain.points)
    return sum(best.values(), Fraction(0))


def _solve(
    result: TkdnResult,
    target: Fraction,
    useful: list[Gain],
    method: str | None,
    reference: TkdnReference | None,
) -> tuple[Gain, ...]:
    """Solve, check the choice exactly, and cut off any choice that rounding let through."""
    need = float(target - result.exact_percent) - MARGIN
    cuts: list[set[int]] = []
    for _ in range(MAX_CUTS):
        picked = _milp(useful, need, cuts)
        chosen = tuple(useful[j] for j in sorted(picked))
        applied = result.bom.with_options(g.option for g in chosen)
        day: date = result.on
        check = compute_tkdn(applied, day, method=method or result.method, reference=reference)
        if check.exact_percent >= target:
            return chosen
        cuts.append(picked)
    raise LocalisationError(  # pragma: no cover - needs many near-ties below 1e-7 points
        f"the optimiser's choices fell short of the target after {MAX_CUTS} exact checks"
    )


def _milp(useful: list[Gain], need: float, cuts: list[set[int]]) -> set[int]:
    """Return the indices of the options HiGHS picks; each cut forbids one earlier pick."""
    targets = sorted({g.option.target for g in useful})
    rows = np.zeros((1 + len(targets) + len(cuts), len(useful)))
    rows[0] = [float(g.points) for g in useful]
    for j, gain in enumerate(useful):
        rows[1 + targets.index(gain.option.target), j] = 1.0
    for k, cut in enumerate(cuts):
        rows[1 + len(targets) + k, sorted(cut)] = 1.0
    lower = np.concatenate(([need], np.full(len(targets) + len(cuts), -np.inf)))
    upper = np.concatenate(([np.inf], np.ones(len(targets)), [len(c) - 1 for c in cuts]))
    solution = milp(
        c=np.array([g.option.cost_idr for g in useful]),
        constraints=LinearConstraint(rows, lower, upper),
        integrality=np.ones(len(useful)),
        bounds=Bounds(0, 1),
        options={"disp": False, "mip_rel_gap": 0.0},
    )
    if solution.status != 0 or solution.x is None:
        raise LocalisationError(f"HiGHS could not solve the localisation: {solution.message}")
    return {j for j, x in enumerate(solution.x) if x > 0.5}
