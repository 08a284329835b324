"""Symbiosis knowledge files: shipped data is sourced or flagged, bad files give located errors."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from sinergi.errors import SymbiosisRuleError
from sinergi.reference import Sourced, bibliography, describe
from sinergi.symbiosis.rules import Fate, load_rules, load_sector_profiles
from sinergi.symbiosis.transport import load_transport
from sinergi.units import Dimension

MODES = {"truck", "ship", "pipeline"}


def _shipped(name: str) -> dict[str, Any]:
    text = resources.files("sinergi.data.symbiosis").joinpath(name).read_text("utf-8")
    doc: dict[str, Any] = yaml.safe_load(text)
    return doc


def _write(tmp_path: Path, name: str, doc: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def _rules_with(tmp_path: Path, rule_id: str, change: Callable[[dict[str, Any]], None]) -> Path:
    doc = copy.deepcopy(_shipped("rules.yaml"))
    rule = next(r for r in doc["rules"] if r["id"] == rule_id)
    change(rule)
    return _write(tmp_path, "rules.yaml", doc)


# -- the shipped data ------------------------------------------------------------------------


def test_every_shipped_rule_number_has_source_and_year_or_is_illustrative() -> None:
    book = load_rules(mode_ids=MODES)
    assert len(book.rules) >= 20
    for rule in book.rules:
        assert rule.illustrative or rule.provenance.refs or rule.provenance.source, rule.id
        for number in rule.numbers():
            sourced = (number.source or number.refs) and number.year
            assert isinstance(number, Sourced)
            assert number.illustrative or sourced, rule.id


def test_shipped_knowledge_cites_only_the_bibliography_never_project_notes() -> None:
    keys = set(bibliography())
    for name in ("rules.yaml", "transport.yaml", "sectors.yaml"):
        text = resources.files("sinergi.data.symbiosis").joinpath(name).read_text("utf-8")
        assert ".md" not in text, name
        assert "shared/" not in text, name
        assert "the reference" not in text, name
        cited = set(re.findall(r"refs: \[([^\]]*)\]", text))
        for group in cited:
            assert {k.strip() for k in group.split(",")} <= keys, (name, group)


def test_shipped_rules_cover_the_indonesian_bulk_streams() -> None:
    pairs = {(r.supply, r.replaces) for r in load_rules(mode_ids=MODES).rules}
    expected = {
        ("nickel_slag", "cement_raw_materials"),
        ("nickel_slag", "cement"),
        ("nickel_slag", "aggregate"),
        ("fly_ash", "cement"),
        ("fly_ash", "aggregate"),
        ("bottom_ash", "aggregate"),
        ("hpal_tailings", "aggregate"),
        ("chemical_gypsum", "gypsum"),
        ("waste_heat", "electricity_coal"),
        ("steam", "electricity_coal"),
        ("wastewater_treated", "water_municipal"),
        ("metal_scrap_waste", "steel_scrap"),
        ("plastic_waste", "plastic_resin"),
        ("paper_waste", "wood_pulp"),
        ("organic_waste", "fertiliser"),
        ("palm_residues", "coal"),
    }
    assert expected <= pairs


def test_sourced_price_is_carried_with_its_citation() -> None:
    rule = load_rules(mode_ids=MODES).get("ni-slag-scm-concrete")
    assert rule.avoided_price.value == 1_300_000
    assert not rule.avoided_price.illustrative
    assert rule.avoided_price.refs == ("wifitalents-indonesia-cement",)
    assert "wifitalents.com" in (bibliography()["wifitalents-indonesia-cement"].url or "")
    assert describe(rule.avoided_price).startswith("WifiTalents n.d. (2023")
    assert rule.uses_illustrative  # its ratio and blend limit are not sourced


def test_every_fate_has_a_disposal_cost() -> None:
    book = load_rules(mode_ids=MODES)
    assert set(book.disposal_cost) == set(Fate)


def test_receiver_prefix_decides_who_may_take_a_supply() -> None:
    rule = load_rules(mode_ids=MODES).get("ni-slag-road-base")
    assert rule.accepts(["42101"])
    assert not rule.accepts(["23941", "10790"])
    heat = load_rules(mode_ids=MODES).get("waste-heat-captive-power")
    assert heat.accepts(["10790"])  # no receiver restriction


def test_profile_match_prefers_the_longest_prefix(tmp_path: Path) -> None:
    doc = _shipped("sectors.yaml")
    doc["profiles"].append(
        {"kbli": "24", "name": "Basic metals", "illustrative": True, "outputs": [], "inputs": []}
    )
    profiles = load_sector_profiles(_write(tmp_path, "sectors.yaml", doc))
    assert profiles.match(["24101"]).kbli == "2410"  # type: ignore[union-attr]
    assert profiles.match(["24999"]).kbli == "24"  # type: ignore[union-attr]
    assert profiles.match(["99999"]) is None


# -- located errors --------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["supply", "replaces"])
def test_rule_naming_an_unknown_commodity_names_file_rule_and_field(
    tmp_path: Path, field: str
) -> None:
    path = _rules_with(tmp_path, "fly-ash-cement", lambda r: r.update({field: "unobtainium"}))
    with pytest.raises(SymbiosisRuleError) as err:
        load_rules(path, mode_ids=MODES)
    message = str(err.value)
    assert str(path) in message
    assert "'fly-ash-cement'" in message
    assert f"field {field}" in message
    assert "unobtainium" in message


@pytest.mark.parametrize("value", [-1.0, 0.0])
def test_ratio_must_be_above_zero(tmp_path: Path, value: float) -> None:
    path = _rules_with(
        tmp_path,
        "ni-slag-road-base",
        lambda r: r.update({"ratio": {"value": value, "illustrative": True}}),
    )
    with pytest.raises(SymbiosisRuleError, match=r"'ni-slag-road-base', field ratio"):
        load_rules(path, mode_ids=MODES)


def test_negative_pretreatment_cost_is_refused_with_its_field(tmp_path: Path) -> None:
    def change(rule: dict[str, Any]) -> None:
        rule["pretreatment"]["cost_idr_per_unit"] = {"value": -5.0, "illustrative": True}

    path = _rules_with(tmp_path, "ni-slag-aggregate", change)
    with pytest.raises(SymbiosisRuleError, match=r"field pretreatment\.cost_idr_per_unit: is -5"):
        load_rules(path, mode_ids=MODES)


def test_negative_shared_value_is_refused_where_it_is_used(tmp_path: Path) -> None:
    doc = copy.deepcopy(_shipped("rules.yaml"))
    doc["values"]["bulk_distance"]["value"] = -300
    with pytest.raises(SymbiosisRuleError, match=r"field max_distance_km: is -300"):
        load_rules(_write(tmp_path, "rules.yaml", doc), mode_ids=MODES)


def test_max_share_above_one_is_refused(tmp_path: Path) -> None:
    path = _rules_with(
        tmp_path,
        "fly-ash-concrete",
        lambda r: r.update({"max_share": {"value": 1.5, "illustrative": True}}),
    )
    with pytest.raises(
        SymbiosisRuleError, match=r"field max_share: is 1.5; use a value of at most 1"
    ):
        load_rules(path, mode_ids=MODES)


def test_unknown_mode_is_refused_and_the_known_ones_listed(tmp_path: Path) -> None:
    path = _rules_with(
        tmp_path, "fly-ash-cement", lambda r: r.update({"modes": ["truck", "camel"]})
    )
    with pytest.raises(SymbiosisRuleError, match=r"field modes: mode 'camel' is unknown.*pipeline"):
        load_rules(path, mode_ids=MODES)


def test_number_without_source_or_illustrative_flag_is_refused(tmp_path: Path) -> None:
    path = _rules_with(tmp_path, "fly-ash-cement", lambda r: r.update({"ratio": {"value": 1.0}}))
    with pytest.raises(SymbiosisRuleError, match=r"field ratio: has no source and year"):
        load_rules(path, mode_ids=MODES)


def test_undefined_source_key_is_refused(tmp_path: Path) -> None:
    path = _rules_with(tmp_path, "fly-ash-cement", lambda r: r.update({"refs": ["my_memory"]}))
    with pytest.raises(SymbiosisRuleError, match=r"source 'my_memory' is not in the bibliography"):
        load_rules(path, mode_ids=MODES)


def test_a_users_own_citation_with_its_year_is_accepted(tmp_path: Path) -> None:
    own = {"value": 0.9, "source": "Trial report, PT Contoh, 2025", "year": 2025}
    path = _rules_with(tmp_path, "fly-ash-cement", lambda r: r.update({"ratio": own}))
    ratio = load_rules(path, mode_ids=MODES).get("fly-ash-cement").ratio
    assert ratio.sourced
    assert describe(ratio) == "Trial report, PT Contoh, 2025 (2025)"


def test_an_old_file_level_sources_table_is_refused_with_the_fix(tmp_path: Path) -> None:
    doc = copy.deepcopy(_shipped("rules.yaml"))
    doc["sources"] = {"s1": {"citation": "x", "url": "https://example.org"}}
    with pytest.raises(SymbiosisRuleError, match=r"sources: .*no longer read; cite"):
        load_rules(_write(tmp_path, "rules.yaml", doc), mode_ids=MODES)


def test_misspelt_field_is_refused_with_its_name(tmp_path: Path) -> None:
    path = _rules_with(tmp_path, "fly-ash-cement", lambda r: r.update({"ration": 2}))
    with pytest.raises(SymbiosisRuleError, match=r"'fly-ash-cement', field ration: Extra inputs"):
        load_rules(path, mode_ids=MODES)


def test_repeated_rule_id_is_refused(tmp_path: Path) -> None:
    doc = copy.deepcopy(_shipped("rules.yaml"))
    doc["rules"].append(copy.deepcopy(doc["rules"][0]))
    with pytest.raises(SymbiosisRuleError, match="appears twice"):
        load_rules(_write(tmp_path, "rules.yaml", doc), mode_ids=MODES)


def test_overlapping_rules_for_one_substitution_are_refused(tmp_path: Path) -> None:
    doc = copy.deepcopy(_shipped("rules.yaml"))
    twin = copy.deepcopy(next(r for r in doc["rules"] if r["id"] == "ni-slag-aggregate"))
    twin.update({"id": "ni-slag-bricks", "receiver_kbli": ["23953"]})
    doc["rules"].append(twin)
    with pytest.raises(
        SymbiosisRuleError, match=r"'ni-slag-bricks', field receiver_kbli: overlaps"
    ):
        load_rules(_write(tmp_path, "rules.yaml", doc), mode_ids=MODES)


def test_missing_fate_in_disposal_costs_is_refused(tmp_path: Path) -> None:
    doc = copy.deepcopy(_shipped("rules.yaml"))
    del doc["disposal_cost_idr_per_unit"]["landfill"]
    with pytest.raises(SymbiosisRuleError, match=r"has no entry for \['landfill'\]"):
        load_rules(_write(tmp_path, "rules.yaml", doc), mode_ids=MODES)


def test_negative_transport_cost_names_the_mode_and_field(tmp_path: Path) -> None:
    doc = copy.deepcopy(_shipped("transport.yaml"))
    doc["modes"]["ship"]["cost_idr_per_unit_km"]["value"] = -250
    path = _write(tmp_path, "transport.yaml", doc)
    with pytest.raises(SymbiosisRuleError, match=r"mode 'ship', field cost_idr_per_unit_km"):
        load_transport(path)


def test_inverted_bounding_box_is_refused(tmp_path: Path) -> None:
    doc = copy.deepcopy(_shipped("transport.yaml"))
    doc["geography"]["bbox"]["lat_min"]["value"] = 10.0
    with pytest.raises(SymbiosisRuleError, match=r"geography\.bbox: is empty or inverted"):
        load_transport(_write(tmp_path, "transport.yaml", doc))


def test_profile_with_unknown_commodity_is_refused(tmp_path: Path) -> None:
    doc = copy.deepcopy(_shipped("sectors.yaml"))
    doc["profiles"][0]["inputs"].append("moon_dust")
    with pytest.raises(SymbiosisRuleError, match=r"profile '2410'.*'moon_dust'"):
        load_sector_profiles(_write(tmp_path, "sectors.yaml", doc))


# -- transport modes ---------------------------------------------------------------------------


def test_mode_choice_weighs_fixed_cost_against_amount() -> None:
    transport = load_transport()
    pipe, truck = transport.modes["pipeline"], transport.modes["truck"]
    km = 2.0
    # Break-even amount where the pipeline's fixed cost is paid back by its lower unit cost.
    break_even = pipe.fixed_cost.value / (truck.unit_cost(km) - pipe.unit_cost(km))
    amounts = np.array([break_even / 10, break_even * 10, np.nan])
    best = transport.best_modes(["truck", "pipeline"], km, amounts, dimension=Dimension.MASS)
    # Solids cannot go by pipe here: the truck whatever the amount.
    assert best.tolist() == [0, 0, 0]
    water = transport.best_modes(["truck", "pipeline"], km, amounts, dimension=Dimension.VOLUME)
    assert water.tolist() == [0, 1, 1]  # NaN amount: unit cost only, the pipeline is cheaper


def test_mode_beyond_its_longest_distance_is_not_chosen() -> None:
    transport = load_transport()
    far = transport.modes["pipeline"].max_distance_km.value + 1.0
    water = {"dimension": Dimension.VOLUME}
    assert transport.best_modes(["pipeline"], far, np.array([1.0]), **water).tolist() == [-1]
    assert transport.best_modes(["pipeline", "truck"], far, np.array([1.0]), **water).tolist() == [
        1
    ]


def test_electricity_factors_come_from_the_project_factor_table() -> None:
    from sinergi.reference.factors import default_factors

    book = load_rules(mode_ids=MODES)
    factors = default_factors()
    grid = book.get("waste-heat-grid-power").avoided_co2e
    assert grid.value == factors.grid["grid.jamali"].value
    assert grid.source == factors.grid["grid.jamali"].source
    captive = book.get("waste-heat-captive-power").avoided_co2e
    assert captive.value == factors.captive_coal.value


def test_unknown_project_factor_is_refused_with_the_known_ones_listed(tmp_path: Path) -> None:
    def change(rule: dict[str, Any]) -> None:
        rule["avoided"]["co2e_t_per_unit"] = {"use": "factors:grid.mars"}

    path = _rules_with(tmp_path, "waste-heat-grid-power", change)
    refused = r"unknown emission factor 'grid.mars'.*grid.jamali"
    with pytest.raises(SymbiosisRuleError, match=refused):
        load_rules(path, mode_ids=MODES)
