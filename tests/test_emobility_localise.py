"""The cheapest localisation (MILP on HiGHS) against brute force on small bills (≤ 12 parts).

Brute force enumerates every choice of at most one option per component or item, computes
each choice's TKDN exactly with :func:`compute_tkdn` on the localised bill, and keeps the
cheapest that reaches the target: an independent reference for the optimiser.
"""

from __future__ import annotations

import itertools
from datetime import date
from fractions import Fraction

import numpy as np
import pytest

from sinergi.emobility.localise import LocalisationStatus, cheapest_localisation
from sinergi.emobility.method import Aspect, Group, VehicleClass
from sinergi.emobility.tkdn import (
    AspectItem,
    BillOfMaterials,
    Component,
    LocalisationOption,
    Origin,
    Part,
    compute_tkdn,
    exact,
)
from sinergi.errors import LocalisationError

DAY = date(2026, 6, 1)


def brute_force(bom: BillOfMaterials, target: float) -> float | None:
    """Return the least cost that reaches ``target`` exactly, or ``None`` if none does.

    TKDN is a sum over components and items, so each option's effect is measured once by
    computing the whole bill with that option alone; every combination then adds effects
    exactly, and the cheapest feasible one is confirmed on the fully localised bill.
    """
    base = compute_tkdn(bom, DAY).exact_percent
    delta = {
        o.id: compute_tkdn(bom.with_options([o]), DAY).exact_percent - base for o in bom.options
    }
    by_target: dict[str, list[LocalisationOption | None]] = {}
    for option in bom.options:
        by_target.setdefault(option.target, [None]).append(option)
    best: tuple[float, list[LocalisationOption]] | None = None
    for choice in itertools.product(*by_target.values()):
        chosen = [o for o in choice if o is not None]
        cost = sum(o.cost_idr for o in chosen)
        reached = base + sum((delta[o.id] for o in chosen), Fraction(0))
        if reached >= exact(target) and (best is None or cost < best[0]):
            best = (cost, chosen)
    if best is None:
        return None
    assert compute_tkdn(bom.with_options(best[1]), DAY).exact_percent >= exact(target)
    return best[0]


def random_bom(rng: np.random.Generator, n_components: int) -> BillOfMaterials:
    components, parts, options = [], [], []
    for k in range(n_components):
        cid = f"c{k}"
        group = Group.MAIN if k < max(1, n_components * 2 // 3) else Group.SUPPORTING
        components.append(Component(cid, cid, group, float(rng.integers(1, 20))))
        cost = float(rng.integers(1, 50)) * 100_000
        share = round(float(rng.uniform(0, 0.6)), 2)
        parts.append(Part(cid, "local", cost * share, Origin.DOMESTIC))
        parts.append(Part(cid, "imported", cost * (1 - share), Origin.IMPORTED))
        for j in range(int(rng.integers(0, 3))):
            options.append(
                LocalisationOption(
                    f"{cid}-o{j}",
                    cid,
                    round(float(rng.uniform(share, 1.0)), 2),
                    float(rng.integers(1, 40)) * 50_000,
                )
            )
    if not any(c.group is Group.SUPPORTING for c in components):
        components.append(Component("s", "s", Group.SUPPORTING, 1.0))
        parts.append(Part("s", "s", 100_000.0, Origin.DOMESTIC))
    items = (AspectItem("labour", Aspect.ASSEMBLY, "labour", 1.0, 0.5),)
    options.append(LocalisationOption("labour-full", "labour", 1.0, 250_000.0))
    return BillOfMaterials(
        "random",
        VehicleClass.TWO_THREE_WHEELER,
        tuple(parts),
        tuple(components),
        items,
        tuple(options),
    )


@pytest.mark.parametrize("seed", range(40))
def test_the_milp_finds_the_brute_force_optimum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    bom = random_bom(rng, int(rng.integers(2, 13)))
    before = compute_tkdn(bom, DAY)
    target = round(float(before.percent + rng.uniform(1, 45)), 2)
    result = cheapest_localisation(before, target)
    expected = brute_force(bom, target)
    if expected is None:
        assert result.status is LocalisationStatus.INFEASIBLE
        assert result.best_reachable < exact(target)
        assert result.chosen == ()
    else:
        assert result.status is LocalisationStatus.OPTIMAL
        assert result.cost_idr == pytest.approx(expected, abs=1e-6)
        assert result.after >= exact(target)
        applied = bom.with_options(g.option for g in result.chosen)
        assert compute_tkdn(applied, DAY).exact_percent == result.after


def test_the_seeds_cover_feasible_and_infeasible_targets() -> None:
    outcomes = set()
    for seed in range(40):
        rng = np.random.default_rng(seed)
        bom = random_bom(rng, int(rng.integers(2, 13)))
        before = compute_tkdn(bom, DAY)
        target = round(float(before.percent + rng.uniform(1, 45)), 2)
        outcomes.add(cheapest_localisation(before, target).status)
    assert outcomes == {LocalisationStatus.OPTIMAL, LocalisationStatus.INFEASIBLE}


def hand_bom() -> BillOfMaterials:
    """Main: battery (40, share 0) and frame (10, share 0); supporting: brakes (share 1).

    2026 weights: main 50 → battery 40 points, frame 10; supporting 10; no assembly or
    development items. TKDN = 10 %.
    """
    return BillOfMaterials(
        "hand",
        VehicleClass.TWO_THREE_WHEELER,
        parts=(
            Part("battery", "pack", 8_000_000, Origin.IMPORTED),
            Part("frame", "frame", 1_000_000, Origin.IMPORTED),
            Part("brakes", "brakes", 200_000, Origin.DOMESTIC),
        ),
        components=(
            Component("battery", "battery", Group.MAIN, 40),
            Component("frame", "frame", Group.MAIN, 10),
            Component("brakes", "brakes", Group.SUPPORTING, 1),
        ),
        options=(
            # battery pack assembled here with imported cells: share 0.25 → +10 points
            LocalisationOption("pack-assembly", "battery", 0.25, 300_000),
            # cells made here too: share 0.9 → +36 points
            LocalisationOption("local-cells", "battery", 0.9, 2_000_000),
            # frame made here: share 1 → +10 points
            LocalisationOption("local-frame", "frame", 1.0, 150_000),
        ),
    )


def test_a_hand_checked_case_picks_the_cheapest_pair() -> None:
    before = compute_tkdn(hand_bom(), DAY)
    assert before.exact_percent == 10
    # To 30 %: +20 points. Pack assembly (+10, 0.3 M) and frame (+10, 0.15 M) cost 0.45 M;
    # local cells alone (+36) cost 2 M. The pair wins.
    result = cheapest_localisation(before, 30)
    assert {g.option.id for g in result.chosen} == {"pack-assembly", "local-frame"}
    assert result.cost_idr == 450_000
    assert result.after == 30
    # To 40 %: +30 points; the frame (+10) is not enough with pack assembly (+10), so cells
    # (+36, 2 M) are needed; the frame is then not needed.
    result = cheapest_localisation(before, 40)
    assert [g.option.id for g in result.chosen] == ["local-cells"]
    assert result.after == 46


def test_only_one_option_per_component_is_taken() -> None:
    before = compute_tkdn(hand_bom(), DAY)
    result = cheapest_localisation(before, 56)  # needs cells (+36) and frame (+10)
    assert {g.option.id for g in result.chosen} == {"local-cells", "local-frame"}
    assert result.after == 56


def test_an_unreachable_target_says_how_far_one_can_get() -> None:
    before = compute_tkdn(hand_bom(), DAY)
    result = cheapest_localisation(before, 80)
    assert result.status is LocalisationStatus.INFEASIBLE
    assert result.best_reachable == 56
    assert result.gap_points == 24


def test_a_target_already_met_chooses_nothing() -> None:
    before = compute_tkdn(hand_bom(), DAY)
    result = cheapest_localisation(before, 10)
    assert result.status is LocalisationStatus.ALREADY_MET
    assert result.chosen == ()
    assert result.cost_idr == 0


def test_an_option_that_lowers_the_share_is_listed_as_useless() -> None:
    bom = hand_bom()
    worse = LocalisationOption("worse-brakes", "brakes", 0.5, 1.0)
    bom = BillOfMaterials(
        bom.model, bom.vehicle_class, bom.parts, bom.components, (), (*bom.options, worse)
    )
    result = cheapest_localisation(compute_tkdn(bom, DAY), 30)
    assert [o.id for o in result.useless] == ["worse-brakes"]
    assert "worse-brakes" not in {g.option.id for g in result.chosen}


@pytest.mark.parametrize("target", [0, -5, 100.5])
def test_a_target_outside_0_to_100_is_refused(target: float) -> None:
    with pytest.raises(LocalisationError, match=r"\(0, 100\]"):
        cheapest_localisation(compute_tkdn(hand_bom(), DAY), target)


def test_gains_are_exact_fractions_of_points() -> None:
    result = cheapest_localisation(compute_tkdn(hand_bom(), DAY), 30)
    assert sum((g.points for g in result.chosen), Fraction(0)) == 20
