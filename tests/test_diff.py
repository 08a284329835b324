"""The pure diff between two ecosystems: matching keys, readable lines and counts."""

from __future__ import annotations

from sinergi.examples import tiny_park
from sinergi.model import (
    CommunityProgramme,
    Company,
    DataQuality,
    Ecosystem,
    Flow,
    Period,
    Pillar,
    Workforce,
)
from sinergi.model.diff import ChangeKind, diff, format_quantity

Y2024 = Period(2024)


def test_identical_ecosystems_have_an_empty_diff() -> None:
    d = diff(tiny_park(), tiny_park())
    assert d.is_empty
    assert not d
    assert d.lines() == []
    assert d.summary() == "0 added, 0 removed, 0 changed"


def test_changed_flow_quantity_reads_with_units_and_separators() -> None:
    old, new = tiny_park(), tiny_park()
    old.flows[5].quantity = 1200.0
    new.flows[5].quantity = 1250.0
    (change,) = diff(old, new).changes
    assert change.kind is ChangeKind.CHANGED
    assert change.fields == ("quantity",)
    assert change.line() == (
        "flows 2024: changed demo-metal.furnace → env.air co2: 1,200 t → 1,250 t"
    )


def test_flows_match_on_their_natural_key_not_on_position() -> None:
    old, new = tiny_park(), tiny_park()
    new.flows.reverse()
    assert diff(old, new).is_empty


def test_added_and_removed_flows_and_nodes() -> None:
    old, new = tiny_park(), tiny_park()
    new.add(Company("demo-glass", "demo-park", "Demo Glass"))
    new.flows.append(Flow(Period(2024, 3), "demo-metal.furnace", "market", "co2", 0.5))
    del new.flows[1]  # electricity 500 MWh
    d = diff(old, new)
    assert d.lines() == [
        "companies: added demo-glass",
        "flows 2024: removed grid.jamali → demo-metal.furnace electricity: 500 MWh",
        "flows 2024-03: added demo-metal.furnace → market co2: 0.5 t",
    ]
    assert d.summary() == "2 added, 1 removed, 0 changed"
    assert [c.key for c in d.added] == [("demo-glass",), ("demo-metal.furnace", "market", "co2")]
    assert d.removed[0].old == old.flows[1]
    assert d.removed[0].new is None


def test_changes_to_several_fields_are_listed_together() -> None:
    old, new = tiny_park(), tiny_park()
    new.flows[0].quality = DataQuality.ESTIMATED
    new.flows[0].evidence = "invoice"
    new.companies["demo-metal"].kbli = ("24103", "24201")
    lines = diff(old, new).lines()
    assert lines == [
        "companies: changed demo-metal: kbli [24103] → [24103, 24201]",
        "flows 2024: changed supplier → demo-metal.furnace laterite_ore_saprolite: "
        "quality synthetic → estimated; evidence not reported → 'invoice'",
    ]


def test_unknown_becomes_known_is_a_change() -> None:
    old, new = tiny_park(), tiny_park()
    new.flows[8].quantity = 12.0
    (line,) = diff(old, new).lines()
    assert line.endswith("water_municipal: not reported → 12 m3")


def test_records_match_on_owner_period_and_name() -> None:
    old, new = Ecosystem(), Ecosystem()
    old.workforce = [Workforce("c1", Y2024, female=3)]
    new.workforce = [Workforce("c1", Y2024, female=4), Workforce("c1", Period(2025))]
    old.community_programmes = [CommunityProgramme("p", Y2024, "Clean river", Pillar.COMMUNITY)]
    new.community_programmes = [CommunityProgramme("p", Y2024, "Skills lab", Pillar.SKILLS)]
    assert diff(old, new).lines() == [
        "workforce 2024: changed c1: female 3 → 4",
        "workforce 2025: added c1",
        "community_programmes 2024: removed p 'Clean river'",
        "community_programmes 2024: added p 'Skills lab'",
    ]


def test_lines_are_ordered_by_table_then_period() -> None:
    old, new = Ecosystem(), Ecosystem()
    new.flows = [
        Flow(p, "a", "b", "co2", 1.0) for p in (Period(2025), Period(2024, 2), Period(2024))
    ]
    periods = [c.period for c in diff(old, new).changes]
    assert periods == [Period(2024), Period(2024, 2), Period(2025)]


def test_format_quantity() -> None:
    assert format_quantity(1_234_567.0, "t") == "1,234,567 t"
    assert format_quantity(0.125) == "0.125"
    assert format_quantity(1234.5678) == "1,234.5678"
    assert format_quantity(1e-9, "t") == "1e-09 t"
    assert format_quantity(None) == "not reported"
