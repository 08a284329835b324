"""Plant kinds beyond HPAL: ferronickel, the matte converter, LFP cathode and cell plants.

Each synthetic plant's numbers are made up and chosen so the values per unit of output can
be followed by hand; the footprints are recomputed from the route's formulas (routes.yaml)
and the factors the inventory reads, independently of the network the engine builds.
"""

from __future__ import annotations

import pytest

from sinergi.errors import PlantFlowsMissing
from sinergi.footprint.plant_flows import PlantReading, read_plant_flows
from sinergi.footprint.scenarios import FootprintModel

PLANT = "syn-plant"
COAL_CO2_T_PER_T = 17.5 * 107.2 / 1000  # illustrative 17.5 GJ/t x 107.2 t CO2/TJ (Erfian 2025)
GAS_T_CO2_PER_GJ = 0.0561  # heat.natural_gas (illustrative, routes.yaml)
SOLAR_T_PER_MWH = 0.045  # power.solar life cycle (illustrative, routes.yaml)
JAMALI_T_PER_MWH = 0.814  # Java-Madura-Bali grid (BUR2, routes.yaml)


@pytest.fixture(scope="module")
def model() -> FootprintModel:
    return FootprintModel()


@pytest.fixture(scope="module")
def captive(model: FootprintModel) -> float:
    """Return the captive-coal factor the routes read (data/factors/emission_factors.yaml)."""
    return model.inventory.parameters["captive_coal_co2_t_per_mwh"].value


def _row(source: str, target: str, commodity: str, quantity: float) -> dict[str, object]:
    return {"source": source, "target": target, "commodity": commodity, "quantity": quantity}


def _read(model: FootprintModel, rows: list[dict[str, object]], **kw: object) -> PlantReading:
    return read_plant_flows(
        rows, {PLANT}, model.inventory, node=PLANT, source="reported by syn", year=2024, **kw
    )  # type: ignore[arg-type]


# --- LFP cathode plant ---------------------------------------------------------------------
# 1,000 t LFP CAM; 10,000 MWh natural gas (36 MJ/kg); 5,000 MWh coal-fired and 5,000 MWh solar
# electricity (36 MJ/kg, half of it solar)
LFP_ROWS = [
    _row("mkt", PLANT, "natural_gas", 10_000.0),
    _row("mkt", PLANT, "electricity_coal", 5_000.0),
    _row("mkt", PLANT, "electricity_solar", 5_000.0),
    _row(PLANT, "mkt", "cam_lfp", 1_000.0),
]


def test_lfp_cathode_plant_values_per_kg_by_hand(model: FootprintModel) -> None:
    reading = _read(model, LFP_ROWS)
    assert reading.kind == "cam-lfp"
    # 10,000 MWh x 3,600 MJ/MWh / 1,000,000 kg
    assert reading.values["lfp_natural_gas_mj_per_kg_cam"].value == pytest.approx(36.0, rel=1e-15)
    assert reading.values["lfp_electricity_mj_per_kg_cam"].value == pytest.approx(36.0, rel=1e-15)
    assert reading.mixes == {"cam.lfp": {"power.captive_coal": 0.5, "power.solar": 0.5}}
    assert reading.unused == ()


def test_lfp_cathode_footprint_and_difference_to_generic_by_hand(
    model: FootprintModel, captive: float
) -> None:
    reading = _read(model, LFP_ROWS)
    result = reading.applied(model.footprint("cam-lfp", overrides=reading.settings()))
    generic = model.footprint("cam-lfp")
    lioh = 0.268 * 41.96 / 23.95 * 17.24  # t LiOH·H2O per t CAM x spodumene route (Istrate)
    generic_by_hand = lioh + 36.5 * GAS_T_CO2_PER_GJ  # EverBatt 2023: no electricity read
    plant_by_hand = (
        lioh
        + 36.0 * GAS_T_CO2_PER_GJ  # 36 MJ/kg = 36 GJ/t
        + 36.0 / 3.6 * (0.5 * captive + 0.5 * SOLAR_T_PER_MWH)  # 10 MWh/t, half solar
    )
    assert generic.score == pytest.approx(generic_by_hand, rel=1e-9)
    assert result.score == pytest.approx(plant_by_hand, rel=1e-9)
    assert result.generic_score == pytest.approx(generic_by_hand, rel=1e-9)
    assert result.score - generic.score == pytest.approx(
        -0.5 * GAS_T_CO2_PER_GJ + 10.0 * (0.5 * captive + 0.5 * SOLAR_T_PER_MWH), rel=1e-9
    )
    # the electricity the plant reported is no longer a missing exchange
    assert not any("electricity" in m.en for m in result.missing["cam.lfp"])
    assert any("electricity" in m.en for m in generic.missing["cam.lfp"])


def test_renewable_share_lowers_the_footprint_against_all_coal(
    model: FootprintModel, captive: float
) -> None:
    coal_only = [
        r if r["commodity"] != "electricity_solar" else {**r, "commodity": "electricity_coal"}
        for r in LFP_ROWS
    ]
    all_coal = _read(model, coal_only)
    assert all_coal.mixes == {}  # the route's own mix for cam.lfp is captive coal already
    with_solar = model.footprint("cam-lfp", overrides=_read(model, LFP_ROWS).settings())
    without = model.footprint("cam-lfp", overrides=all_coal.settings())
    assert without.score - with_solar.score == pytest.approx(
        5.0 * (captive - SOLAR_T_PER_MWH), rel=1e-9
    )


def test_wind_electricity_is_not_read_and_says_why(model: FootprintModel) -> None:
    reading = _read(model, [*LFP_ROWS, _row("mkt", PLANT, "electricity_wind", 1_000.0)])
    assert "input electricity_wind" in reading.unused
    assert "wind" in reading.reasons["electricity_wind"].en
    assert "angin" in reading.reasons["electricity_wind"].id
    # the wind MWh are not counted in the electricity per kg either
    assert reading.values["lfp_electricity_mj_per_kg_cam"].value == pytest.approx(36.0)


# --- NMC811 cell plant ---------------------------------------------------------------------
# 1,000 t of cells = 336,000 kWh at EverBatt's 0.336 kWh/kg; 3,360 MWh grid electricity
# (0.01 MWh/kWh), 11,760 MWh natural gas (42,336 GJ: 0.126 GJ/kWh), 470.4 t NMC811 CAM
# bought (1.4 kg/kWh)
CELL_ROWS = [
    _row("grid", PLANT, "electricity", 3_360.0),
    _row("mkt", PLANT, "natural_gas", 11_760.0),
    _row("cam-maker", PLANT, "cam_nmc811", 470.4),
    _row(PLANT, "mkt", "cell_nmc811", 1_000.0),
]


def test_nmc811_cell_plant_values_per_kwh_by_hand(model: FootprintModel) -> None:
    reading = _read(model, CELL_ROWS)
    assert reading.kind == "cell-nmc811"
    v = {name: p.value for name, p in reading.values.items()}
    assert v["cell_electricity_mwh_per_kwh"] == pytest.approx(0.01, rel=1e-12)
    assert v["cell_natural_gas_gj_per_kwh"] == pytest.approx(0.126, rel=1e-12)
    assert v["nmc811_cam_kg_per_kwh"] == pytest.approx(1.4, rel=1e-12)
    assert reading.mixes == {}  # grid electricity: the route's Java-Madura-Bali mix
    assert "nmc811_cell_kwh_per_kg" in reading.conversions


def test_nmc811_cell_footprint_and_difference_to_generic_by_hand(model: FootprintModel) -> None:
    reading = _read(model, CELL_ROWS)
    result = reading.applied(model.footprint("cell-nmc811", overrides=reading.settings()))
    cam = model.footprint("cam-nmc811").score  # t CO2e per t CAM, generic upstream
    plant_by_hand = 1.4 / 1000 * cam + 0.01 * JAMALI_T_PER_MWH + 0.126 * GAS_T_CO2_PER_GJ
    generic_by_hand = 1.45 / 1000 * cam + 0.00833 * JAMALI_T_PER_MWH + 0.140 * GAS_T_CO2_PER_GJ
    assert result.score == pytest.approx(plant_by_hand, rel=1e-9)
    assert result.generic_score == pytest.approx(generic_by_hand, rel=1e-9)
    # the illustrative kg CAM per kWh is replaced by the plant's own, so less is illustrative
    generic = model.footprint("cell-nmc811")
    assert result.illustrative_share < generic.illustrative_share
    assert "nmc811_cam_kg_per_kwh" not in result.illustrative_names()
    # the specific energy the plant's t of cells were converted with is listed, with source
    content = result.parameters["nmc811_cell_kwh_per_kg"]
    assert content.value == pytest.approx(0.336)
    assert content.provenance is not None
    assert "everbatt-2023" in content.provenance.refs


def test_lfp_cell_plant_reads_its_own_cathode_per_kwh(model: FootprintModel) -> None:
    rows = [
        _row("grid", PLANT, "electricity", 2_360.0),
        _row("mkt", PLANT, "cam_lfp", 472.0),
        _row(PLANT, "mkt", "cell_lfp", 1_000.0),
    ]
    reading = _read(model, rows)
    assert reading.kind == "cell-lfp"
    kwh = 1_000_000 * 0.236
    assert reading.values["lfp_cam_kg_per_kwh"].value == pytest.approx(472_000 / kwh, rel=1e-12)
    assert reading.values["cell_electricity_mwh_per_kwh"].value == pytest.approx(
        2_360 / kwh, rel=1e-12
    )
    assert set(reading.generic) == {"cell_natural_gas_gj_per_kwh"}


# --- RKEF ferronickel ------------------------------------------------------------------------
# 10,000 t ferronickel = 3,560 t Ni at Wei et al.'s 35.6 %; 146,000 MWh electricity from the
# park's coal plant, 30,000 t coal (kiln fuel and reductant)
FENI_ROWS = [
    _row("power", PLANT, "electricity_coal", 146_000.0),
    _row("mkt", PLANT, "coal", 30_000.0),
    _row("mine", PLANT, "laterite_ore_saprolite", 250_000.0),
    _row(PLANT, "mkt", "ferronickel", 10_000.0),
    _row(PLANT, "dump", "nickel_slag", 80_000.0),
]


def test_ferronickel_plant_coal_replaces_the_generic_coal_model_by_hand(
    model: FootprintModel, captive: float
) -> None:
    reading = _read(model, FENI_ROWS)
    assert reading.kind == "rkef-ferronickel"
    t_ni = 10_000 * 0.356
    assert reading.values["rkef_electricity_mwh_per_t_ni"].value == pytest.approx(146_000 / t_ni)
    assert reading.values["feni_coal_t_per_t_ni"].value == pytest.approx(30_000 / t_ni)
    result = model.footprint("ferronickel", overrides=reading.settings())
    generic = model.footprint("ferronickel")
    generic_coal = (0.4 + 0.75) / 0.10 * 309 / 598 * COAL_CO2_T_PER_T
    plant_coal = 30_000 / t_ni * COAL_CO2_T_PER_T
    electricity = (146_000 / t_ni - 41.0) * captive
    assert result.score - generic.score == pytest.approx(
        plant_coal - generic_coal + electricity, rel=1e-9
    )
    assert reading.unused == ("input laterite_ore_saprolite", "output nickel_slag")


# --- matte converter -----------------------------------------------------------------------
# 1,000 t matte at the plant's own assay of 75 % Ni = 750 t Ni; 750 MWh coal-fired
# electricity (1 MWh/t Ni) and 75 t coal (0.1 t/t Ni)
MATTE_ROWS = [
    _row("rkef", PLANT, "nickel_pig_iron", 7_500.0),
    _row("power", PLANT, "electricity_coal", 750.0),
    _row("mkt", PLANT, "coal", 75.0),
    _row("mkt", PLANT, "sulfur", 30.0),
    _row(PLANT, "mkt", "nickel_matte", 1_000.0),
]


def test_matte_converter_needs_the_plants_assay(model: FootprintModel) -> None:
    with pytest.raises(PlantFlowsMissing, match="matte_ni_content") as caught:
        _read(model, MATTE_ROWS)
    assert "--set matte_ni_content=" in str(caught.value)


def test_matte_converter_adds_its_own_exchanges_by_hand(
    model: FootprintModel, captive: float
) -> None:
    reading = _read(model, MATTE_ROWS, values={"matte_ni_content": 0.75})
    assert reading.values["converter_electricity_mwh_per_t_ni"].value == pytest.approx(1.0)
    assert reading.values["converter_coal_t_per_t_ni"].value == pytest.approx(0.1)
    assert reading.conversions["matte_ni_content"].user
    result = model.footprint("matte", overrides=reading.settings())
    npi = model.footprint("npi").score
    assert result.score == pytest.approx(npi + 1.0 * captive + 0.1 * COAL_CO2_T_PER_T, rel=1e-9)
    # the converter adds something now: it is no longer a pass-through, and what the plant
    # gave is no longer listed as missing (sulfur and losses still are)
    assert "matte.from_npi" not in result.pass_through
    missing = [m.en for m in result.missing["matte.from_npi"]]
    assert len(missing) == 1
    assert "sulfur" in missing[0]
    assert "sulfur" in reading.reasons
    assert "input nickel_pig_iron" in reading.unused


def test_a_converter_reporting_no_coal_leaves_its_fuel_missing(model: FootprintModel) -> None:
    rows = [r for r in MATTE_ROWS if r["commodity"] != "coal"]
    reading = _read(model, rows, values={"matte_ni_content": 0.75})
    assert reading.absent == {"converter_coal_t_per_t_ni": ("coal",)}
    result = model.footprint("matte", overrides=reading.settings())
    assert any("fuel" in m.en for m in result.missing["matte.from_npi"])


# --- nickel sulfate: the hydrate basis is said, not guessed ---------------------------------


def test_nickel_sulfate_reading_says_it_takes_the_hexahydrate(model: FootprintModel) -> None:
    rows = [
        _row("mkt", PLANT, "natural_gas", 1.0),
        _row(PLANT, "mkt", "nickel_sulfate", 1.0),
    ]
    reading = _read(model, rows)
    assert reading.note is not None
    assert "NiSO4·6H2O" in reading.note.en
    assert "1.70" in reading.note.en
    assert "1,70" in reading.note.id
    assert "NiSO4·6H2O" in reading.to_dict("en")["note"]
