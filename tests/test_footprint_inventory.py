"""Route inventories as data: provenance, matrices, located errors."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pytest
import yaml

from footprint_routes import inventory_of, shipped_doc, tiny_doc
from sinergi.errors import (
    InvalidReferenceOutput,
    InventoryError,
    MissingFactor,
    MissingProvider,
    UnitMismatch,
    UnknownName,
)
from sinergi.footprint import LcaSystem
from sinergi.footprint import inventory as inventory_module
from sinergi.footprint.inventory import evaluate, load_inventory
from sinergi.footprint.network import Settings, build_network
from sinergi.reference import Provenance, bibliography, cite, describe
from sinergi.reference.factors import default_factors


def test_every_shipped_parameter_is_sourced_or_illustrative():
    inv = load_inventory()
    for name, spec in inv.doc.parameters.items():
        if spec.from_factors is not None or spec.definition:
            continue
        if spec.plant_data:  # ships no value at all: the plant supplies it
            assert spec.value is None, name
            assert spec.note, name
            continue
        sourced = bool(spec.refs) and spec.year is not None
        assert sourced or spec.illustrative, name
        assert all(key in bibliography() for key in spec.refs), name


#: Pointers into notes users do not have (the team's shared reference files).
SHARED_NOTES = ("nickel-battery.md", "lca-mfa.md", "lci-sources.md", "shared/reference", "§")


def test_no_shipped_text_cites_files_users_do_not_have():
    # issue 12: "nickel-battery.md §8" and "shared/reference" citations reached users
    for name in ("routes.yaml", "characterisation.yaml"):
        text = resources.files("sinergi.data.footprint").joinpath(name).read_text("utf-8")
        for pointer in SHARED_NOTES:
            assert pointer not in text, (name, pointer)
    package = Path(inventory_module.__file__).parent
    for path in package.rglob("*.py"):
        code = path.read_text("utf-8")
        for pointer in SHARED_NOTES:
            assert pointer not in code, (path, pointer)


def test_every_citation_of_the_footprint_data_resolves_to_a_full_reference():
    inv = load_inventory()
    keys = inv.doc.cited() | {k for m in inv.characterisation.methods.values() for k in m.refs}
    assert keys
    for key in keys:
        entry = cite(key)
        assert entry.authors
        assert entry.title
        assert entry.year


def test_a_citation_missing_from_the_bibliography_is_refused():
    doc = tiny_doc()
    doc["parameters"]["ore"] = {"value": 10.0, "refs": ["no-such-source"], "year": 2026}
    with pytest.raises(InventoryError, match="'no-such-source' is not in the bibliography"):
        inventory_of(doc)


def test_parameters_carry_the_one_provenance_type():
    inv = load_inventory()
    grade = inv.parameters["npi_ni_grade"]
    assert isinstance(grade.provenance, Provenance)
    assert describe(grade.provenance).startswith("Wei, W., Samuelsson")
    diesel = inv.parameters["diesel_l_per_t_ore"]
    assert diesel.illustrative
    assert describe(diesel.provenance, "id").startswith("ilustratif")  # type: ignore[arg-type]
    assert isinstance(inv.doc.parameters["npi_ni_grade"], Provenance)


def test_ar6_factors_agree_with_the_assessment_factor_file():
    inv = load_inventory()
    ar6 = inv.characterisation.methods["ar6"].factors
    gwp = default_factors().gwp100
    assert ar6["co2"].value == gwp["co2"]
    assert ar6["ch4_fossil"].value == gwp["ch4"]
    assert ar6["n2o"].value == gwp["n2o"]


def test_grid_and_captive_coal_factors_come_from_the_emission_factor_file():
    inv = load_inventory()
    factors = default_factors()
    assert inv.parameters["captive_coal_co2_t_per_mwh"].value == factors.captive_coal.value
    assert inv.parameters["grid_sulselbar_co2_t_per_mwh"].value == (
        factors.grid["grid.sulselbar"].value
    )


def test_technosphere_has_positive_diagonal_and_negative_inputs():
    net = build_network(load_inventory())
    a = net.technosphere
    assert np.all(a.diagonal() == 1.0)
    off = a.tocoo()
    mask = off.row != off.col
    assert np.all(off.data[mask] < 0)  # no system expansion in the shipped defaults


def test_npi_score_matches_a_hand_calculation_from_the_parameters():
    p = {k: v.value for k, v in load_inventory().parameters.items()}
    ore = 1 / (p["saprolite_ni_grade"] * p["rkef_ni_recovery"] * (1 - p["ore_moisture"]))
    mining = ore * p["diesel_l_per_t_ore"] * p["diesel_co2_kg_per_l"] / 1000
    power = p["rkef_electricity_mwh_per_t_ni"] * p["captive_coal_co2_t_per_mwh"]
    coal = (
        (p["rkef_reductant_coal_t_per_t_alloy"] + p["rkef_kiln_coal_t_per_t_alloy"])
        / p["npi_ni_grade"]
        * p["coal_ncv_gj_per_t"]
        * p["coal_co2_t_per_tj"]
        / 1000
    )
    net = build_network(load_inventory())
    system = LcaSystem(
        net.technosphere,
        net.biosphere,
        net.characterization,
        labels=net.labels,
        flow_labels=net.flow_labels,
    )
    score = system.scores(system.demand_array({"npi.ni": 1.0}))[0]
    assert score == pytest.approx(mining + power + coal, rel=1e-12)


def test_formulas_refuse_code_and_unknown_names():
    with pytest.raises(InventoryError, match="may only use"):
        evaluate("__import__('os').getcwd()", {})
    with pytest.raises(UnknownName, match="'nope'"):
        evaluate("2 * nope", {})


def test_unit_mismatch_names_the_process_and_the_exchange():
    doc = tiny_doc()
    doc["processes"][1]["inputs"][0]["unit"] = "kg"
    with pytest.raises(UnitMismatch, match=r"process 'plant' input 0 \(ore\).*'kg'.*'t'"):
        build_network(inventory_of(doc))


def test_missing_provider_names_the_process_and_the_product():
    doc = tiny_doc()
    doc["processes"][1]["inputs"][0]["product"] = "saprolite"
    with pytest.raises(MissingProvider, match=r"process 'plant' input 0.*'saprolite'"):
        build_network(inventory_of(doc))


def test_missing_characterisation_factor_names_the_process_and_the_flow():
    doc = tiny_doc()
    doc["processes"][0]["emissions"][0]["flow"] = "hfc134a"
    with pytest.raises(MissingFactor, match=r"process 'mine' emission 0.*'hfc134a'"):
        build_network(inventory_of(doc))


def test_zero_reference_output_is_rejected_with_its_process():
    doc = tiny_doc()
    doc["processes"][0]["products"][0]["amount"] = "0"
    with pytest.raises(InvalidReferenceOutput, match=r"process 'mine'.*'ore'"):
        build_network(inventory_of(doc))


def test_parameter_without_source_or_illustrative_flag_is_rejected():
    doc = tiny_doc()
    doc["parameters"]["ore"] = {"value": 10.0}
    with pytest.raises(InventoryError, match=r"parameters\.ore.*illustrative"):
        inventory_of(doc)


def test_overriding_an_unknown_parameter_is_an_error():
    with pytest.raises(UnknownName, match="'ore_grade'"):
        build_network(load_inventory(), Settings(values={"ore_grade": 0.02}))


def test_power_mix_shares_must_sum_to_one():
    bad = Settings(mixes={"*": {"power.solar": 0.5}})
    with pytest.raises(InventoryError, match=r"power mix of process 'rkef.npi'.*sum"):
        build_network(load_inventory(), bad)


def test_shipped_yaml_round_trips_through_the_loader():
    inv = inventory_of(yaml.safe_load(yaml.safe_dump(shipped_doc())))
    assert set(inv.processes) == set(load_inventory().processes)
