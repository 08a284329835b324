"""Allocation of a two-output process, checked against hand calculations.

Synthetic system (tests/footprint_routes.py): per run the plant makes 1 t Ni and 0.5 t Co from
10 t ore (0.2 t CO2/t), 2 MWh coal power (1.5 t CO2/MWh) and 3 t direct CO2: 8 t CO2 in all.
"""

from __future__ import annotations

import pytest

from footprint_routes import inventory_of, synthetic_hpal_plant, tiny_doc
from sinergi.errors import AllocationError, InvalidReferenceOutput
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
    with pytest.raises(AllocationError, match=r"process 'plant'.*price.*missing for co$"):
        model.footprint("ni", overrides=Settings(allocation={"plant": "economic"}))


def test_system_expansion_without_a_substitute_is_refused():
    doc = tiny_doc()
    del doc["processes"][1]["products"][1]["substitutes"]
    model = FootprintModel(inventory_of(doc), allocation={"plant": "system_expansion"})
    with pytest.raises(AllocationError, match=r"co-product 'co' has no `substitutes`"):
        model.footprint("ni")


def test_shipped_bottom_up_mhp_uses_mass_allocation_of_ni_and_co_by_default():
    plant = Settings(plant=synthetic_hpal_plant())
    mhp = FootprintModel().footprint("mhp-plant", overrides=plant)
    factors = mhp.allocations["hpal.mhp"]["factors"]
    assert factors["mhp_plant.ni"] == pytest.approx(40000 / (40000 + 4100))  # Ceria design


def _with_slag_treatment(slag_per_run: str = "-2") -> FootprintModel:
    """The plant sends 2 t slag per run to a treatment activity written as Brightway does.

    Treatment's reference product is the slag it takes in (amount −1); per t treated it uses
    0.1 MWh of coal power and emits 0.5 t CO2. The plant lists the slag as an input of −2 t.
    """
    doc = tiny_doc()
    doc["processes"].append(
        {
            "id": "slag_treatment",
            "name": {"en": "slag treatment", "id": "pengolahan terak"},
            "stage": "waste",
            "products": [{"id": "slag", "unit": "t", "amount": "-1"}],
            "inputs": [{"product": "coal", "unit": "MWh", "amount": "0.1"}],
            "emissions": [{"flow": "co2", "unit": "t", "amount": "0.5"}],
        }
    )
    plant = next(p for p in doc["processes"] if p["id"] == "plant")
    plant["inputs"].append({"product": "slag", "unit": "t", "amount": slag_per_run})
    return FootprintModel(inventory_of(doc))


def test_waste_treatment_with_negative_reference_output_adds_its_burden():
    per_t_treated = 0.5 + 0.1 * 1.5
    model = _with_slag_treatment()
    treated = model.footprint("slag")
    assert treated.score == pytest.approx(per_t_treated)
    ni = model.footprint("ni")
    assert ni.score == pytest.approx((TOTAL + 2 * per_t_treated) * (1 / 1.5))
    net = model.network(model.settings())
    j = int(net.columns.index(["slag"])[0])
    assert net.technosphere[j, j] == -1.0
    link = next(x for x in ni.sankey["links"] if x["source"] == "slag")
    assert link["avoided"] is False
    assert link["amount"] == pytest.approx(2 * (1 / 1.5))
    assert link["co2e_t"] == pytest.approx(2 * (1 / 1.5) * per_t_treated)


def test_negative_output_of_a_co_product_is_refused():
    doc = tiny_doc()
    plant = next(p for p in doc["processes"] if p["id"] == "plant")
    plant["products"][1]["amount"] = "-0.5"
    with pytest.raises(InvalidReferenceOutput, match=r"'plant'.*'co'"):
        FootprintModel(inventory_of(doc)).footprint("ni")
