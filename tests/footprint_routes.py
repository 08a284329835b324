"""Small synthetic route inventories for the footprint inventory tests (all numbers synthetic)."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from sinergi.footprint.inventory import Inventory, Parameter, load_inventory, read_inventory
from sinergi.footprint.plant import parse_plant_data


def characterisation_text() -> str:
    return (
        resources.files("sinergi.data.footprint")
        .joinpath("characterisation.yaml")
        .read_text("utf-8")
    )


def shipped_doc() -> dict[str, Any]:
    text = resources.files("sinergi.data.footprint").joinpath("routes.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def tiny_doc() -> dict[str, Any]:
    """A mine -> two-output plant (Ni 1 t, Co 0.5 t) chain with synthetic numbers."""
    return {
        "version": "test",
        "parameters": {
            "ore": {"value": 10.0, "source": "synthetic test data", "year": 2026},
            "co_out": {"value": 0.5, "source": "synthetic test data", "year": 2026},
            "plant_co2": {"value": 3.0, "illustrative": True},
            "mine_co2": {"value": 0.2, "source": "synthetic test data", "year": 2026},
            "power": {"value": 2.0, "source": "synthetic test data", "year": 2026},
            "coal_ef": {"value": 1.5, "source": "synthetic test data", "year": 2026},
        },
        "choices": {},
        "routes": {},
        "processes": [
            {
                "id": "mine",
                "name": {"en": "mine", "id": "mine"},
                "stage": "mining",
                "products": [{"id": "ore", "unit": "t", "amount": "1"}],
                "emissions": [{"flow": "co2", "unit": "t", "amount": "mine_co2"}],
            },
            {
                "id": "plant",
                "name": {"en": "plant", "id": "plant"},
                "stage": "leaching",
                "power_mix": {"coal": 1.0},
                "products": [
                    {"id": "ni", "unit": "t", "amount": "1", "price": 4.0},
                    {
                        "id": "co",
                        "unit": "t",
                        "amount": "co_out",
                        "price": 20.0,
                        "substitutes": "co_alt",
                    },
                ],
                "allocation": "mass",
                "inputs": [
                    {"product": "ore", "unit": "t", "amount": "ore"},
                    {"product": "electricity", "unit": "MWh", "amount": "power"},
                ],
                "emissions": [{"flow": "co2", "unit": "t", "amount": "plant_co2"}],
            },
            {
                "id": "co_alt",
                "name": {"en": "cobalt elsewhere", "id": "cobalt elsewhere"},
                "stage": "refining",
                "products": [{"id": "co_alt", "unit": "t", "amount": "1"}],
                "emissions": [{"flow": "co2", "unit": "t", "amount": "4"}],
            },
            {
                "id": "coal",
                "name": {"en": "coal power", "id": "coal power"},
                "stage": "power",
                "products": [{"id": "coal", "unit": "MWh", "amount": "1"}],
                "emissions": [{"flow": "co2", "unit": "t", "amount": "coal_ef"}],
            },
        ],
        "products": {
            "ni": {
                "column": "ni",
                "label": {"en": "Ni", "id": "Ni"},
                "functional_unit": {"en": "t Ni", "id": "t Ni"},
            }
        },
        "scenarios": {},
        "benchmarks": [],
        "battery": {
            "cycles": {"value": 1000, "source": "synthetic test data", "year": 2026},
            "chemistries": {},
            "stages": {},
        },
    }


def inventory_of(doc: dict[str, Any]) -> Inventory:
    return read_inventory(yaml.safe_dump(doc), characterisation_text(), where="test.yaml")


def synthetic_hpal_plant() -> dict[str, Parameter]:
    """Synthetic plant data for the bottom-up HPAL model (numbers made up for tests)."""
    inv = load_inventory()
    text = (
        "parameter,value,unit,source,year\n"
        "hpal_electricity_mwh_per_t_ni,10,MWh/t Ni,synthetic test plant,2025\n"
        "hpal_onsite_coal_gj_per_t_ni,50,GJ/t Ni,synthetic test plant,2025\n"
        "hpal_limestone_t_per_t_ore,0.1,t/t ore,synthetic test plant,2025\n"
    )
    return parse_plant_data(text, inv, where="synthetic.csv")
