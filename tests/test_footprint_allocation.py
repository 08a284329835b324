"""Allocation of a two-output process, checked against hand calculations.

Synthetic system (tests/footprint_routes.py): per run the plant makes 1 t Ni and 0.5 t Co from
10 t ore (0.2 t CO2/t), 2 MWh coal power (1.5 t CO2/MWh) and 3 t direct CO2: 8 t CO2 in all.
"""

from __future__ import annotations

import pytest

from footprint_routes import inventory_of, tiny_doc
from sinergi.errors import AllocationError
from sinergi.footprint.network import Settings
from sinergi.footprint.scenarios import FootprintModel

TOTAL = 10 * 0.2 + 2 * 1.5 + 3.0


def _model(method: str) -> FootprintModel:
    return FootprintModel(inventory_of(tiny_doc()), allocation={"plant": method})  # type: ignore[dict-item]


def test_mass_allocation_splits_by_tonnes():
    model = _model("mass")
    ni = model.footprint("ni")
    co = model.footprint("co")
    assert ni.score == pytest.approx(TOTAL * (1 / 1.5))
    assert co.score == pytest.approx(TOTAL * (0.5 / 1.5) / 0.5)
    assert ni.allocations["plant"]["method"] == "mass"
    assert ni.allocations["plant"]["factors"]["ni"] == pytest.approx(2 / 3)


def test_economic_allocation_splits_by_revenue():
    model = _model("economic")
    ni = model.footprint("ni")
    co = model.footprint("co")
    assert ni.score == pytest.approx(TOTAL * 4 / 14)
    assert co.score == pytest.approx(TOTAL * (10 / 14) / 0.5)
    assert ni.allocations["plant"]["method"] == "economic"


def test_system_expansion_credits_the_substituted_product():
    ni = _model("system_expansion").footprint("ni")
    assert ni.score == pytest.approx(TOTAL - 0.5 * 4.0)
    assert ni.allocations["plant"]["method"] == "system_expansion"
    avoided = [link for link in ni.sankey["links"] if link["avoided"]]
    assert [(link["source"], link["amount"]) for link in avoided] == [("co_alt", -0.5)]


def test_allocations_sum_back_to_the_process_burden():
    for method in ("mass", "economic"):
        model = _model(method)
        total = model.footprint("ni").score + 0.5 * model.footprint("co").score
        assert total == pytest.approx(TOTAL)


def test_economic_allocation_without_a_price_names_the_product():
    doc = tiny_doc()
    del doc["processes"][1]["products"][1]["price"]
    model = FootprintModel(inventory_of(doc))
    with pytest.raises(AllocationError, match=r"process 'plant'.*price.*\['co'\]"):
        model.footprint("ni", overrides=Settings(allocation={"plant": "economic"}))


def test_system_expansion_without_a_substitute_is_refused():
    doc = tiny_doc()
    del doc["processes"][1]["products"][1]["substitutes"]
    model = FootprintModel(inventory_of(doc), allocation={"plant": "system_expansion"})
    with pytest.raises(AllocationError, match=r"co-product 'co' has no `substitutes`"):
        model.footprint("ni")


def test_shipped_mhp_uses_mass_allocation_of_ni_and_co_by_default():
    mhp = FootprintModel().footprint("mhp")
    factors = mhp.allocations["hpal.mhp"]["factors"]
    assert factors["mhp.ni"] == pytest.approx(40000 / (40000 + 4100))  # Ceria design case
