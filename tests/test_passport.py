"""Battery passport: Battery Pass v1.2 schema validity, access tiers attribute by attribute."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest

from schemas import BATTERY_PASS, load_schema, relaxed
from sinergi.errors import PassportError
from sinergi.passport import (
    Address,
    Audience,
    PackFacts,
    Party,
    attributes,
    build,
    for_audience,
    missing,
)

SCHEMAS = BATTERY_PASS


def _facts() -> PackFacts:
    address = Address(addressCountry="ID", postalCode="97853", streetAddress="Lelilef, Weda")
    return PackFacts(
        pack_id="PACK-NMC-1",
        passport_id="urn:sinergi:packnmc1",
        category="ev",
        chemistry_short="NMC811",
        chemistry_clear="lithium nickel manganese cobalt oxide 8:1:1",
        manufacturer=Party(
            contactName="Synthetic Pack Co", postalAddress=address, identifier="synthetic-pack-co"
        ),
        manufacturing_place=address,
        manufacturing_date="2026-01-20T08:00:00+08:00",
        mass_kg=450.0,
        performance={"nominalVoltage": 400.0},
        illustrative=True,
    )


def _carbon() -> dict[str, Any]:
    return {
        "batteryCarbonFootprint": 12.5,
        "carbonFootprintPerLifecycleStage": [
            {"lifecycleStage": "RawMaterialExtraction", "carbonFootprint": 10.0},
            {"lifecycleStage": "MainProduction", "carbonFootprint": 2.5},
            {"lifecycleStage": "Distribution", "carbonFootprint": None},
        ],
        "carbonFootprintPerformanceClass": None,
    }


def _passport() -> dict[str, dict[str, Any]]:
    return build(_facts(), carbon=_carbon(), recycled={"Nickel": {"pre": 0.0, "post": 0.25}})


@pytest.mark.parametrize("aspect", sorted(SCHEMAS))
def test_every_aspect_has_the_shape_of_its_battery_pass_schema(aspect: str) -> None:
    schema = load_schema(f"batterypass-1.2/{SCHEMAS[aspect]}")
    validator = jsonschema.Draft4Validator(relaxed(schema))
    assert list(validator.iter_errors(_passport()[aspect])) == []


def test_the_shape_check_has_teeth() -> None:
    schema = load_schema("batterypass-1.2/Circularity-schema.json")
    bad = copy.deepcopy(_passport()["Circularity"])
    bad["recycledContent"][0]["postConsumerShare"] = 125.0
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(relaxed(schema)).validate(bad)


def test_the_general_information_is_valid_against_the_unrelaxed_schema_when_complete() -> None:
    schema = load_schema("batterypass-1.2/GeneralProductInformation-schema.json")
    general = _passport()["GeneralProductInformation"]
    general["operatorInformation"] = general["manufacturerInformation"]
    general["puttingIntoService"] = "2026-02-01T00:00:00Z"
    general["warrentyPeriod"] = "--12"
    jsonschema.Draft4Validator(schema).validate(general)


def test_a_missing_value_is_left_out_not_written_as_zero() -> None:
    carbon = _passport()["CarbonFootprintForBatteries"]
    stages = {s["lifecycleStage"] for s in carbon["carbonFootprintPerLifecycleStage"]}
    assert stages == {"RawMaterialExtraction", "MainProduction"}
    assert "carbonFootprintPerformanceClass" not in carbon
    numbers = {a.number for a in missing(_passport(), "ev")}
    assert 24 in numbers  # carbon footprint performance class: awaits the delegated act
    assert 1 not in numbers  # passport identifier is there


def _tree_with_every_path() -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for attribute in attributes():
        if attribute.path is None:
            continue
        node = tree
        *parents, leaf = attribute.path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = f"value of {attribute.path}"
    return tree


def _paths(tree: Any, prefix: str = "") -> set[str]:
    if not isinstance(tree, dict):
        return {prefix.rstrip(".")}
    return {p for k, v in tree.items() for p in _paths(v, f"{prefix}{k}.")}


@pytest.mark.parametrize("audience", list(Audience))
def test_each_attribute_is_shown_exactly_to_the_audiences_the_longlist_allows(
    audience: Audience,
) -> None:
    reads = {
        Audience.public: {"public"},
        Audience.legitimate: {
            "public",
            "legitimate_interest",
            "legitimate_interest_and_commission",
        },
        Audience.authority: {
            "public",
            "legitimate_interest",
            "legitimate_interest_and_commission",
            "authorities",
        },
    }[audience]
    shown = _paths(for_audience(_tree_with_every_path(), audience))
    for attribute in attributes():
        if attribute.path is None:
            continue
        sharing = [a for a in attributes() if a.path == attribute.path]
        allowed = all(a.access.value in reads for a in sharing)
        assert (attribute.path in shown) == allowed, (attribute.number, attribute.attribute)


def test_the_public_view_hides_battery_status_and_test_reports() -> None:
    tree = _tree_with_every_path()
    public = _paths(for_audience(tree, "public"))
    assert "GeneralProductInformation.batteryStatus" not in public  # #11, legitimate interest
    assert "Labeling.resultOfTestReport" not in public  # #18, authorities only
    assert "Circularity.recycledContent" in public  # #40-47, public
    assert "Labeling.resultOfTestReport" not in _paths(for_audience(tree, "legitimate"))
    assert "Labeling.resultOfTestReport" in _paths(for_audience(tree, "authority"))


def test_an_unknown_audience_is_named() -> None:
    with pytest.raises(PassportError, match="choose public, legitimate or authority"):
        for_audience({}, "press")


def test_the_longlist_counts_match_the_battery_pass_file() -> None:
    found = attributes()
    assert len(found) == 93
    access = [a.access.value for a in found]
    assert access.count("public") == 60
    assert access.count("legitimate_interest") == 27
    assert access.count("legitimate_interest_and_commission") == 5
    assert access.count("authorities") == 1
    assert sum(a.ev == "mandatory" for a in found) == 70
    assert sum(a.lmt == "mandatory" for a in found) == 79
