"""Consistency checks: each test breaks one thing in the tiny park and expects one finding."""

from __future__ import annotations

import pytest

from sinergi.errors import ConsistencyError, DuplicateId, UnknownNode
from sinergi.examples import tiny_park
from sinergi.model import DataQuality, Flow, LandUse, Period, Process
from sinergi.model.checks import ConsistencyWarning, check


def _codes(eco) -> list[str]:
    return [f.check for f in check(eco, warn=False)]


def test_tiny_park_is_consistent():
    assert check(tiny_park(), strict=True) == []


def test_unknown_commodity_is_found():
    eco = tiny_park()
    eco.flows.append(Flow(Period(2024), "supplier", "demo-bricks.press", "unobtainium", 1.0))
    findings = check(eco, warn=False)
    assert [f.check for f in findings] == ["unknown_commodity"]
    assert "unobtainium" in findings[0].message


def test_flow_to_missing_node_is_found():
    eco = tiny_park()
    eco.flows.append(Flow(Period(2024), "demo-metal.furnace", "nowhere", "nickel_slag", 5.0))
    findings = check(eco, warn=False)
    assert [f.check for f in findings] == ["missing_node"]
    assert "'nowhere'" in findings[0].message


def test_negative_quantity_is_found():
    eco = tiny_park()
    eco.flows[0].quantity = -1.0
    assert _codes(eco) == ["negative_quantity"]


def test_unknown_quantity_is_not_a_problem():
    eco = tiny_park()
    assert any(f.quantity is None for f in eco.flows)
    assert _codes(eco) == []


def test_duplicate_flow_is_found():
    eco = tiny_park()
    eco.flows.append(eco.flows[0])
    assert _codes(eco) == ["duplicate_flow"]


def test_process_with_outputs_but_no_inputs_is_found():
    eco = tiny_park()
    eco.add(Process("demo-metal.mill", "demo-metal.plant", "Mill"))
    eco.flows.append(
        Flow(
            Period(2024), "demo-metal.mill", "market", "metal_products", 3.0, DataQuality.SYNTHETIC
        )
    )
    findings = check(eco, warn=False)
    assert [f.check for f in findings] == ["outputs_without_inputs"]
    assert findings[0].where == "process demo-metal.mill (2024)"


def test_inputs_in_another_period_do_not_count():
    eco = tiny_park()
    eco.flows.append(Flow(Period(2025), "demo-bricks.press", "market", "slag_bricks", 1.0))
    assert _codes(eco) == ["outputs_without_inputs"]


def test_land_use_over_park_area_is_found():
    eco = tiny_park()
    eco.parks["demo-park"].land_use_ha[LandUse.OTHER] = 20.0  # 68+12+9+20 = 109 ha of 100
    findings = check(eco, warn=False)
    assert [f.check for f in findings] == ["land_use"]
    assert "109.0 %" in findings[0].message


def test_missing_parent_is_found():
    eco = tiny_park()
    eco.add(Process("orphan", "no-such-facility", "Orphan"))
    assert _codes(eco) == ["missing_parent"]


def test_record_of_missing_company_is_found():
    eco = tiny_park()
    eco.workforce[0].company_id = "ghost"
    assert _codes(eco) == ["orphan_record"]


def test_strict_raises_with_every_finding():
    eco = tiny_park()
    eco.flows[0].quantity = -1.0
    eco.flows.append(eco.flows[1])
    with pytest.raises(ConsistencyError, match="2 consistency problem"):
        check(eco, strict=True)


def test_lenient_mode_warns_per_finding():
    eco = tiny_park()
    eco.flows[0].quantity = -1.0
    with pytest.warns(ConsistencyWarning, match="negative"):
        findings = check(eco)
    assert len(findings) == 1


def test_node_ids_are_unique_across_kinds():
    eco = tiny_park()
    with pytest.raises(DuplicateId, match="demo-park"):
        eco.add(Process("demo-park", "demo-metal.plant", "Clash"))


def test_park_of_walks_up_the_hierarchy():
    eco = tiny_park()
    assert eco.park_of("demo-metal.furnace") == "demo-park"
    assert eco.park_of("env.air") is None
    with pytest.raises(UnknownNode):
        eco.node("missing")


def test_subset_keeps_only_the_parks_asked_for():
    eco = tiny_park()
    empty = eco.subset([])
    assert empty.flows == []
    assert empty.companies == {}
    assert empty.workforce == []
    assert eco.subset(["demo-park"]).counts() == eco.counts()
