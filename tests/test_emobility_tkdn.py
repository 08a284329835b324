"""TKDN after Permenperin 6/2022 (amended by 28/2023), computed by hand for small bills.

The hand calculation (method permenperin-28-2023, 2020-2029 weights: main components 50,
supporting 10, assembly 30, development 10):

* battery (main, weight 40 of 50): cells imported Rp 6,000,000, BMS domestic Rp 1,000,000,
  housing domestic with its own certified share 0.5 at Rp 1,000,000 → local share
  (0 + 1,000,000 + 500,000) / 8,000,000 = 0.1875; worth 50 × 40/50 = 40 points → 7.5;
* motor (main, weight 5): imported → 0 of 5 points;
* frame (main, weight 5): domestic → 5 of 5;
* brakes (supporting, weight 1 of 2): domestic → 10 × 1/2 = 5;
* lights (supporting, weight 1 of 2): half domestic, half imported (mixed origin) → 2.5;
* assembly (30): labour (weight 1, achieved 1) 15 + facilities (weight 1, achieved 0.5) 7.5
  = 22.5;
* development (10): design (weight 2, achieved 1) 20/3 + testing (weight 1, achieved 0) 0.

TKDN = 7.5 + 0 + 5 + 5 + 2.5 + 22.5 + 20/3 = 295/6 = 49.1666… %.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.emobility.method import Aspect, Group, VehicleClass, tkdn_reference
from sinergi.emobility.tkdn import (
    AspectItem,
    BillOfMaterials,
    Component,
    Origin,
    Part,
    compute_tkdn,
    qualification_by_year,
    qualification_on,
)
from sinergi.errors import BillOfMaterialsError

DOM, IMP = Origin.DOMESTIC, Origin.IMPORTED
TWO = VehicleClass.TWO_THREE_WHEELER


def small_bom(**changes: object) -> BillOfMaterials:
    fields: dict[str, object] = {
        "model": "hand-computed scooter",
        "vehicle_class": TWO,
        "components": (
            Component("battery", "Battery", Group.MAIN, 40),
            Component("motor", "Motor", Group.MAIN, 5),
            Component("frame", "Frame", Group.MAIN, 5),
            Component("brakes", "Brakes", Group.SUPPORTING, 1),
            Component("lights", "Lights", Group.SUPPORTING, 1),
        ),
        "parts": (
            Part("battery", "cells", 6_000_000, IMP),
            Part("battery", "BMS", 1_000_000, DOM),
            Part("battery", "housing", 1_000_000, DOM, local_share=0.5),
            Part("motor", "hub motor", 2_000_000, IMP),
            Part("frame", "frame", 1_500_000, DOM),
            Part("brakes", "brake set", 300_000, DOM),
            Part("lights", "LED unit", 100_000, DOM),
            Part("lights", "LED chips", 100_000, IMP),
        ),
        "aspect_items": (
            AspectItem("labour", Aspect.ASSEMBLY, "domestic labour", 1, 1.0),
            AspectItem("facilities", Aspect.ASSEMBLY, "assembly facilities", 1, 0.5),
            AspectItem("design", Aspect.DEVELOPMENT, "design engineering", 2, 1.0),
            AspectItem("testing", Aspect.DEVELOPMENT, "testing", 1, 0.0),
        ),
        "battery_kwh": 1.44,
    }
    fields.update(changes)
    return BillOfMaterials(**fields)  # type: ignore[arg-type]


def test_small_bill_of_materials_matches_the_hand_calculation() -> None:
    result = compute_tkdn(small_bom(), date(2026, 6, 1))
    assert result.method == "permenperin-28-2023"
    assert result.exact_percent == Fraction(295, 6)
    points = {s.component.id: s.points for s in result.components}
    assert points == {
        "battery": Fraction(15, 2),
        "motor": 0,
        "frame": 5,
        "brakes": 5,
        "lights": Fraction(5, 2),
    }
    aspects = {a.aspect: (a.weight, a.points) for a in result.aspects()}
    assert aspects[Aspect.MAIN] == (50, Fraction(25, 2))
    assert aspects[Aspect.SUPPORTING] == (10, Fraction(15, 2))
    assert aspects[Aspect.ASSEMBLY] == (30, Fraction(45, 2))
    assert aspects[Aspect.DEVELOPMENT] == (10, Fraction(20, 3))


def test_a_component_with_mixed_origin_counts_its_domestic_cost_share() -> None:
    result = compute_tkdn(small_bom(), date(2026, 6, 1))
    battery = next(s for s in result.components if s.component.id == "battery")
    assert battery.local_share == Fraction(3, 16)
    assert battery.domestic_cost_idr == 1_500_000
    lights = next(s for s in result.components if s.component.id == "lights")
    assert lights.local_share == Fraction(1, 2)


def test_from_2030_the_amended_weights_change_the_same_bill() -> None:
    # 2030 weights: main 60, supporting 10, assembly 20, development 10.
    # battery 60×40/50 × 3/16 = 9; frame 6; supporting 7.5; assembly 20×(1/2 + 1/4) = 15;
    # development 20/3 → 9 + 6 + 7.5 + 15 + 20/3 = 265/6.
    result = compute_tkdn(small_bom(), date(2030, 1, 1))
    assert result.exact_percent == Fraction(265, 6)


def test_the_method_as_issued_in_2022_uses_its_own_weights() -> None:
    # 6/2022 in 2024: main 58, supporting 10, assembly 12, development 20.
    # battery 58×40/50 × 3/16 = 8.7; frame 5.8; supporting 7.5; assembly 12 × 3/4 = 9;
    # development 20 × 2/3 = 40/3 → 8.7 + 5.8 + 7.5 + 9 + 40/3 = 133/3.
    result = compute_tkdn(small_bom(), date(2024, 5, 1), method="permenperin-6-2022")
    assert result.exact_percent == Fraction(133, 3)


def test_an_aspect_without_declared_items_scores_nothing_and_says_so() -> None:
    result = compute_tkdn(small_bom(aspect_items=()), date(2026, 1, 1))
    assert result.exact_percent == Fraction(20)
    claimed = {a.aspect: a.claimed for a in result.aspects()}
    assert claimed[Aspect.ASSEMBLY] is False
    assert claimed[Aspect.DEVELOPMENT] is False


def test_thresholds_change_between_31_december_2026_and_1_january_2027() -> None:
    bom = small_bom()
    last_day = qualification_on(bom, date(2026, 12, 31))
    first_day = qualification_on(bom, date(2027, 1, 1))
    assert last_day.threshold_percent == 40
    assert last_day.meets_threshold is True
    assert first_day.threshold_percent == 60
    assert first_day.meets_threshold is False
    assert first_day.shortfall_points == 60 - Fraction(295, 6)


def test_thresholds_of_each_year_follow_perpres_79_2023() -> None:
    rows = qualification_by_year(small_bom(), range(2020, 2032))
    thresholds = {r.year: r.threshold_percent for r in rows}
    assert tkdn_reference().threshold(TWO, 2019).min_percent == 40  # type: ignore[union-attr]
    assert tkdn_reference().threshold(TWO, 2018) is None
    assert {y: thresholds[y] for y in (2020, 2026, 2027, 2029, 2030, 2031)} == {
        2020: 40,
        2026: 40,
        2027: 60,
        2029: 60,
        2030: 80,
        2031: 80,
    }


def test_four_wheeler_thresholds_start_at_35_percent() -> None:
    ref = tkdn_reference()
    assert ref.threshold(VehicleClass.FOUR_WHEELER, 2021).min_percent == 35  # type: ignore[union-attr]
    assert ref.threshold(VehicleClass.FOUR_WHEELER, 2022).min_percent == 40  # type: ignore[union-attr]


def test_the_purchase_subsidy_runs_from_20_march_2023_to_the_end_of_2024() -> None:
    bom = small_bom()
    assert qualification_on(bom, date(2023, 3, 19)).subsidy_eligible is False
    assert qualification_on(bom, date(2023, 3, 20)).subsidy_eligible is True
    assert qualification_on(bom, date(2024, 12, 31)).subsidy_eligible is True
    assert qualification_on(bom, date(2025, 1, 1)).subsidy_open is False


def test_the_subsidy_needs_40_percent_even_while_it_runs() -> None:
    low = small_bom(aspect_items=())  # 20 %
    row = qualification_on(low, date(2023, 6, 1))
    assert row.subsidy_open is True
    assert row.subsidy_eligible is False


def test_fiscal_incentives_need_the_threshold_and_1_3_kwh() -> None:
    assert qualification_on(small_bom(), date(2026, 1, 1)).fiscal_incentive is True
    assert qualification_on(small_bom(battery_kwh=1.2), date(2026, 1, 1)).fiscal_incentive is False
    assert qualification_on(small_bom(battery_kwh=None), date(2026, 1, 1)).fiscal_incentive is None


def test_exact_arithmetic_keeps_a_vehicle_at_exactly_60_percent_eligible() -> None:
    # One main component 0.7 domestic (Rp 5.81 of 8.30), one supporting component in full,
    # assembly achieved 0.5, development nothing: 50 × 0.7 + 10 + 30 × 0.5 = 60 exactly. In
    # binary floating point 50 × 5.81 / (5.81 + 2.49) + 10 + 15 is 59.99999999999999, which
    # would miss the 60 % threshold; exact fractions make it 60.
    assert 50 * (5.81 / (5.81 + 2.49)) + 10 + 30 * 0.5 < 60
    bom = BillOfMaterials(
        "edge",
        TWO,
        parts=(
            Part("pack", "local", 5.81, DOM),
            Part("pack", "imported", 2.49, IMP),
            Part("frame", "frame", 1.0, DOM),
        ),
        components=(
            Component("pack", "pack", Group.MAIN, 1),
            Component("frame", "frame", Group.SUPPORTING, 1),
        ),
        aspect_items=(AspectItem("labour", Aspect.ASSEMBLY, "labour", 1, 0.5),),
    )
    row = qualification_on(bom, date(2027, 1, 1))
    assert row.tkdn_percent == 60
    assert row.meets_threshold is True


def test_a_two_wheeler_without_its_own_composition_is_refused_naming_the_sheet() -> None:
    bom = small_bom(components=())
    with pytest.raises(BillOfMaterialsError, match="'components' sheet"):
        compute_tkdn(bom, date(2026, 1, 1))


def test_a_four_wheeler_may_use_the_published_composition() -> None:
    # Permenperin 28/2023, 2026: battery 40, body 5, drive 5; supporting as in 6/2022.
    parts = [
        Part("battery", "pack", 100.0, DOM),
        Part("body_chassis", "body", 10.0, IMP),
        Part("drive_system", "motor", 10.0, IMP),
        *(
            Part(c, c, 1.0, IMP)
            for c in (
                "steering",
                "suspension",
                "brakes",
                "tyres_wheels",
                "seats_wiring",
                "electronics_ac",
            )
        ),
    ]
    bom = BillOfMaterials("car", VehicleClass.FOUR_WHEELER, tuple(parts))
    result = compute_tkdn(bom, date(2026, 1, 1))
    assert result.composition is not None
    assert result.exact_percent == 40
    assert compute_tkdn(bom, date(2030, 1, 1)).exact_percent == 50


def test_parts_of_an_unknown_component_are_refused() -> None:
    with pytest.raises(BillOfMaterialsError, match="unknown component 'seat'"):
        small_bom(parts=(*small_bom().parts, Part("seat", "seat", 1.0, DOM)))


def test_an_imported_part_cannot_claim_a_local_share() -> None:
    with pytest.raises(BillOfMaterialsError, match="imported but has a local share"):
        small_bom(parts=(*small_bom().parts, Part("frame", "bolts", 1.0, IMP, local_share=0.3)))


def test_a_component_whose_parts_cost_nothing_is_refused() -> None:
    parts = tuple(p for p in small_bom().parts if p.component != "motor")
    with pytest.raises(BillOfMaterialsError, match="'motor' has no part with a cost"):
        small_bom(parts=(*parts, Part("motor", "free motor", 0.0, IMP)))


def test_shipped_compositions_add_up_to_their_aspect_weights() -> None:
    ref = tkdn_reference()
    for split in ref.component_splits:
        weights = ref.method(split.method).weights(split.start)
        main = sum(c.weight for c in split.components if c.group is Group.MAIN)
        assert main == weights.weight(Aspect.MAIN), split.method


def test_the_guide_example_runs() -> None:
    import doctest
    from pathlib import Path

    page = Path(__file__).resolve().parent.parent / "docs" / "emobility.md"
    result = doctest.testfile(str(page), module_relative=False)
    assert result.attempted >= 2
    assert result.failed == 0


@given(
    costs=st.lists(
        st.tuples(st.integers(0, 9), st.floats(0.01, 1e7), st.booleans()), min_size=1, max_size=30
    ),
    achieved=st.floats(0, 1),
)
@settings(max_examples=60, deadline=None)
def test_tkdn_stays_within_0_and_100_and_never_falls_when_a_part_goes_domestic(
    costs: list[tuple[int, float, bool]], achieved: float
) -> None:
    used = sorted({c for c, _, _ in costs})
    components = tuple(
        Component(f"c{c}", f"c{c}", Group.MAIN if c < 5 else Group.SUPPORTING, 1 + c) for c in used
    )
    parts = tuple(
        Part(f"c{c}", f"p{i}", cost, DOM if domestic else IMP)
        for i, (c, cost, domestic) in enumerate(costs)
    )
    items = (AspectItem("a", Aspect.ASSEMBLY, "a", 1, achieved),)
    bom = BillOfMaterials("random", TWO, parts, components, items)
    before = compute_tkdn(bom, date(2026, 1, 1)).exact_percent
    assert 0 <= before <= 100
    flipped = tuple(Part(p.component, p.name, p.cost_idr, DOM) for p in parts)
    after = compute_tkdn(
        BillOfMaterials("random", TWO, flipped, components, items), date(2026, 1, 1)
    ).exact_percent
    assert after >= before
