"""The chain from nickel sulfate to the pack, hand-computed from the sources' own numbers.

Every expected value below is written out from the published figures (EverBatt/GREET per kg
cathode, Istrate et al. 2024 upstream factors, the Nickel Institute refining step, GREET's
170 MJ/kWh cell energy) and molar masses, not read back from the model.
"""

from __future__ import annotations

import pytest

from footprint_routes import synthetic_hpal_plant
from sinergi.errors import FileProblem
from sinergi.footprint.inventory import load_inventory
from sinergi.footprint.network import Settings
from sinergi.footprint.plant import parse_plant_data, template_text
from sinergi.footprint.scenarios import FootprintModel

# molar masses, g/mol
NI, NISO4, COSO4, COSO4_7H2O = 58.693, 154.76, 155.0, 281.1
MNSO4, MNSO4_H2O, LIOH, LIOH_H2O, LI2CO3, CO2 = 151.0, 169.02, 23.95, 41.96, 73.89, 44.01
NG = 0.0561  # t CO2 per GJ natural gas (illustrative IPCC default)
HPAL = 20.0  # t CO2e per t Ni, published Indonesian HPAL total (aggregated dataset)


@pytest.fixture(scope="module")
def model() -> FootprintModel:
    return FootprintModel()


@pytest.fixture(scope="module")
def coal() -> float:
    return load_inventory().parameters["captive_coal_co2_t_per_mwh"].value


def test_one_kg_nmc811_cathode_is_inputs_times_factors_summed_by_hand(model, coal):
    # EverBatt 2019 Table 18, per kg NMC811: NiSO4 1.273, CoSO4 0.159, MnSO4 0.155, LiOH
    # 0.246 (anhydrous); electricity 28.8 MJ, natural gas 42.62 MJ
    nickel = 1.273 * NI / NISO4 * HPAL  # kg Ni x kg CO2e/kg Ni
    cobalt = 0.159 * COSO4_7H2O / COSO4 * 14.99
    manganese = 0.155 * MNSO4_H2O / MNSO4 * 5.2
    lithium = 0.246 * LIOH_H2O / LIOH * 17.24  # spodumene LiOH·H2O
    energy = 28.8 / 3.6 / 1000 * coal * 1000 + 42.62 / 1000 * NG * 1000  # kg CO2 per kg
    by_hand = nickel + cobalt + manganese + lithium + energy  # kg CO2e per kg CAM
    result = model.footprint("cam-nmc811", route="hpal", amount=0.001)  # 1 kg, in t
    assert result.score * 1000 == pytest.approx(by_hand, rel=1e-9)
    assert by_hand == pytest.approx(33.90, abs=0.01)


def test_one_kg_nmc622_cathode_counts_the_carbonate_co2_once(model, coal):
    # EverBatt: NiSO4 0.958, CoSO4 0.320, MnSO4 0.312, Li2CO3 0.381; 25.2 MJ, 42.63 MJ
    process_co2 = 0.381 * CO2 / LI2CO3  # Li2CO3 -> Li2O + CO2; EverBatt lists about 0.227
    assert process_co2 == pytest.approx(0.227, abs=0.001)
    by_hand = (
        0.958 * NI / NISO4 * HPAL
        + 0.320 * COSO4_7H2O / COSO4 * 14.99
        + 0.312 * MNSO4_H2O / MNSO4 * 5.2
        + 0.381 * 24.11  # spodumene Li2CO3
        + process_co2
        + 25.2 / 3.6 * coal
        + 42.63 * NG
    )
    result = model.footprint("cam-nmc622", route="hpal", amount=0.001)
    assert result.score * 1000 == pytest.approx(by_hand, rel=1e-9)


def test_one_kg_lfp_cathode_and_its_missing_electricity(model):
    # EverBatt 2023 sheet: LiOH 0.268, natural gas 36.5 MJ; electricity not read (missing)
    by_hand = 0.268 * LIOH_H2O / LIOH * 17.24 + 36.5 * NG
    result = model.footprint("cam-lfp", amount=0.001)
    assert result.score * 1000 == pytest.approx(by_hand, rel=1e-9)
    assert any("electricity" in m.en for m in result.missing["cam.lfp"])


def test_lithium_from_brine_swaps_the_upstream_factor(model):
    base = model.footprint("cam-nmc811", route="hpal")
    brine = model.footprint("cam-nmc811", route="hpal", scenario="lithium-from-brine")
    lioh = 0.246 * LIOH_H2O / LIOH  # t LiOH·H2O per t CAM
    assert base.score - brine.score == pytest.approx(lioh * (17.24 - 7.70), rel=1e-9)


def test_whole_nmc811_pack_per_kwh_by_hand(model, coal):
    p = load_inventory().parameters
    cam_kg = p["nmc811_cam_kg_per_kwh"].value  # illustrative 1.45 kg CAM per kWh
    cam = 33.9016 / 1000  # kg CO2e per kg CAM, as hand-computed above (rounded)
    cell = 0.140 * NG + 0.00833 * 0.814  # GREET: 140 MJ gas + 8.33 kWh on the Jamali grid
    by_hand = cam_kg * cam + cell  # t CO2e per kWh
    pack = model.footprint("pack-nmc811", route="hpal")
    assert pack.score == pytest.approx(by_hand, rel=1e-5)
    assert pack.by_stage["cell"] == pytest.approx(cell, rel=1e-9)
    # the kg of cathode per kWh is a placeholder; the share it decides is reported
    assert pack.illustrative_share >= cam_kg * cam / by_hand


@pytest.mark.parametrize(
    ("scenario", "gas", "electricity"),
    [("cell-energy-kurland-2020", 0.0, 0.0575), ("cell-energy-degen-2023", 0.0, 0.0203)],
)
def test_cell_energy_scenarios_replace_greet_never_add_to_it(model, scenario, gas, electricity):
    cell = model.footprint("cell-nmc811", route="hpal", scenario=scenario)
    assert cell.by_stage["cell"] == pytest.approx(gas * NG + electricity * 0.814, rel=1e-9)


@pytest.mark.parametrize(
    ("product", "route"),
    [
        ("npi", None),
        ("ferronickel", None),
        ("mhp", None),
        ("niso4", "hpal"),
        ("niso4", "rkef-matte"),
        ("cam-nmc811", "rkef-matte"),
        ("cam-lfp", None),
        ("pack-nmc811", "hpal"),
        ("pack-nmc622", "rkef-matte"),
        ("pack-lfp", None),
    ],
)
def test_no_placeholder_input_decides_more_than_the_share_reported(model, product, route):
    result = model.footprint(product, route=route)
    net = model.network(model.settings(route))
    flagged = {(e.row, e.column) for e in net.entries if e.illustrative}
    for link in result.sankey["links"]:
        if (link["source"], link["target"]) in flagged:
            carried = abs(link["co2e_t"]) / result.score
            assert carried <= result.illustrative_share + 1e-9, link


def test_every_shipped_parameter_a_default_reads_has_a_source_year_or_a_flag(model):
    for product in ("pack-nmc811", "pack-nmc622", "pack-lfp", "cam-nmc111", "cam-nca"):
        for name, p in model.footprint(product, route="rkef-matte").parameters.items():
            prov = p.provenance
            assert prov is not None, name
            assert (
                prov.illustrative or prov.definition or (prov.year and (prov.refs or prov.source))
            ), name


def test_plant_data_replaces_generic_values_and_shows_its_share(model):
    plant = Settings(plant=synthetic_hpal_plant())
    mhp = model.footprint("mhp-plant", overrides=plant)
    # synthetic plant: 10 MWh, 50 GJ coal, 0.1 t limestone per t ore; Ceria 105 t ore/t Ni
    share_ni = 40000 / 44100  # mass allocation of Ni and Co in MHP
    own = 10 * mhp.parameters["captive_coal_co2_t_per_mwh"].value + 50 * 107.2 / 1000
    own += 0.1 * 105 * 0.44
    mining = 105 * 2.0 * 2.68 / 1000  # illustrative diesel
    assert mhp.score == pytest.approx((own + mining) * share_ni, rel=1e-9)
    # electricity (at the power station), coal and limestone (at the plant) are one tier deep;
    # the ore amount is generic, so the mine's diesel is secondary under either measure
    assert mhp.primary_share == pytest.approx(own / (own + mining), rel=1e-9)
    assert mhp.plant_decided_share == pytest.approx(own / (own + mining), rel=1e-9)
    # compared with the published aggregate it replaces (the product's `generic` in the data)
    assert mhp.generic_score == pytest.approx(HPAL)
    assert mhp.to_dict()["plant_data"]["difference_t_co2e"] == pytest.approx(mhp.score - HPAL)
    record = mhp.to_dict()["parameters"]["hpal_electricity_mwh_per_t_ni"]
    assert record["plant_data"] is True
    assert record["provenance"]["source"] == "synthetic test plant"


def test_plant_data_file_errors_name_row_and_column():
    inv = load_inventory()
    text = (
        "parameter,value,unit,source,year\n"
        "hpal_electricity_mwh_per_t_ni,ten,MWh,meter,2025\n"
        "nope,1,t,x,2025\n"
    )
    with pytest.raises(
        FileProblem,
        match=r"plant.csv, row 2, column value: 'ten'.*row 3, column parameter: unknown",
    ):
        parse_plant_data(text, inv, where="plant.csv")
    assert "hpal_limestone_t_per_t_ore" in template_text()


def test_nmc811_pack_declaration_against_published_cell_footprints(model):
    """The reference holds no published cradle-to-gate range for NMC cells made on coal-heavy
    grids, so this test records the difference instead of checking a range: the only per-kWh
    figure it has is GREET 2024's cell and pack assembly, 12.9 kg CO2e/kWh in a US context
    (Busch's USA-EV-Lithium-GHG, LIB_Assembly.csv). Our cell stage (GREET energy on the Java
    grid, natural gas at an illustrative factor) must land near it, and the pack total must
    exceed it, since it adds the cathode chain.
    """
    pack = model.footprint("pack-nmc811", route="hpal")
    cell_kg = pack.by_stage["cell"] * 1000
    assert 10.0 < cell_kg < 16.0  # 14.6: 140 MJ gas x 0.0561 + 8.33 kWh x 0.814
    assert pack.score * 1000 > 12.9
    rkef = model.footprint("pack-nmc811", route="rkef-matte")
    # Benchmark 2023 (via Green Car Congress): RKEF nickel raises cell CO2 by 58 %; ours:
    assert 0.3 < rkef.score / pack.score - 1.0 < 0.9
