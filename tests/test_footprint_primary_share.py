"""The primary-data share counts the plant's own amounts one supplier tier deep (issue 19).

A tiny synthetic network, every number made up so the hand calculation is easy to follow:

- ``deep`` makes salt and emits 2 t CO2 per t (the supplier's upstream);
- ``supplier`` makes a reagent from 3 t salt per t and emits 0.5 t CO2 per t itself;
- ``coal`` power emits 1.2 t CO2 per MWh; ``solar`` 0.05 t CO2e per MWh as an already
  aggregated life-cycle amount (``co2e_lifecycle``), none of it a direct emission;
- ``plant`` makes one widget from ``reagent_t`` t reagent and ``power_mwh`` MWh of electricity
  (75 % coal, 25 % solar) and emits ``process_co2`` t CO2 plus a generic 0.3 t.

Generic values: reagent 5 t, power 8 MWh, process 1.0 t. The plant's own: 4 t, 10 MWh, 0.7 t.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from footprint_routes import inventory_of, tiny_doc
from i18n_checks import english_left_on
from sinergi.cli import app
from sinergi.footprint.battery import declare
from sinergi.footprint.inventory import Parameter
from sinergi.footprint.network import Settings
from sinergi.footprint.plant import parse_plant_data
from sinergi.footprint.results import FootprintResult
from sinergi.footprint.scenarios import FootprintModel
from sinergi.intake import initialise
from sinergi.model import (
    Company,
    CompanySize,
    Ecosystem,
    Facility,
    Ownership,
    Park,
    Process,
    Region,
)
from sinergi.model.accounts import Role
from sinergi.model.audit import Actor
from sinergi.model.externals import default_externals
from sinergi.model.submissions import SubmissionStatus
from sinergi.store import submissions as subs
from sinergi.store.audited import AuditedStore
from test_footprint_plant_kinds import CELL_ROWS, GAS_T_CO2_PER_GJ, JAMALI_T_PER_MWH, _read

SALT_CO2 = 2.0
SALT_PER_REAGENT = 3.0
SUPPLIER_CO2 = 0.5
COAL_EF = 1.2
SOLAR_LIFE_CYCLE = 0.05
COAL_SHARE = 0.75
GENERIC_CO2 = 0.3
GENERIC = {"reagent_t": 5.0, "power_mwh": 8.0, "process_co2": 1.0}
OWN = {"reagent_t": 4.0, "power_mwh": 10.0, "process_co2": 0.7}
#: t CO2e per t reagent, cradle to gate (its own 0.5 and 3 t salt at 2 each)
REAGENT_CRADLE = SUPPLIER_CO2 + SALT_PER_REAGENT * SALT_CO2
#: t CO2e per MWh of the plant's mix
MIX = COAL_SHARE * COAL_EF + (1 - COAL_SHARE) * SOLAR_LIFE_CYCLE


def _process(pid: str, product: str, unit: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": pid,
        "name": {"en": pid, "id": pid},
        "stage": extra.pop("stage", "refining"),
        "products": [{"id": product, "unit": unit, "amount": "1"}],
        **extra,
    }


def _doc() -> dict[str, Any]:
    doc = tiny_doc()
    given = {"source": "synthetic test data", "year": 2026}
    doc["parameters"] = {name: {"value": v, **given} for name, v in GENERIC.items()}
    doc["processes"] = [
        _process("deep", "salt", "t", emissions=[{"flow": "co2", "unit": "t", "amount": "2"}]),
        _process(
            "supplier",
            "reagent",
            "t",
            inputs=[{"product": "salt", "unit": "t", "amount": "3"}],
            emissions=[{"flow": "co2", "unit": "t", "amount": "0.5"}],
        ),
        _process(
            "coal",
            "coal",
            "MWh",
            stage="power",
            emissions=[{"flow": "co2", "unit": "t", "amount": "1.2"}],
        ),
        _process(
            "solar",
            "solar",
            "MWh",
            stage="power",
            emissions=[{"flow": "co2e_lifecycle", "unit": "t", "amount": "0.05"}],
        ),
        _process(
            "plant",
            "widget",
            "t",
            stage="cell",
            power_mix={"coal": COAL_SHARE, "solar": 1 - COAL_SHARE},
            inputs=[
                {"product": "reagent", "unit": "t", "amount": "reagent_t"},
                {"product": "electricity", "unit": "MWh", "amount": "power_mwh"},
            ],
            emissions=[
                {"flow": "co2", "unit": "t", "amount": "process_co2"},
                {"flow": "co2", "unit": "t", "amount": "0.3"},
            ],
        ),
    ]
    doc["products"] = {
        "widget": {
            "column": "widget",
            "label": {"en": "widget", "id": "widget"},
            "functional_unit": {"en": "t widget", "id": "t widget"},
        }
    }
    return doc


@pytest.fixture(scope="module")
def tiny() -> FootprintModel:
    return FootprintModel(inventory_of(_doc()))


def _plant(model: FootprintModel, *names: str) -> Settings:
    rows = "".join(f"{n},{OWN[n]},,synthetic plant meter,2025\n" for n in names)
    values: dict[str, Parameter] = parse_plant_data(
        "parameter,value,unit,source,year\n" + rows, model.inventory, where="plant.csv"
    )
    return Settings(plant=values)


def _widget(model: FootprintModel, *names: str) -> FootprintResult:
    return model.footprint("widget", overrides=_plant(model, *names) if names else None)


def _total(values: dict[str, float]) -> float:
    return (
        values["reagent_t"] * REAGENT_CRADLE
        + values["power_mwh"] * MIX
        + values["process_co2"]
        + GENERIC_CO2
    )


def test_a_plant_input_counts_only_its_suppliers_direct_emissions(tiny: FootprintModel) -> None:
    result = _widget(tiny, "reagent_t")
    total = _total({**GENERIC, "reagent_t": 4.0})  # 26 + 7.3 + 1.0 + 0.3 = 34.6
    assert result.score == pytest.approx(total, rel=1e-12)
    # the plant's 4 t at the supplier's own 0.5 t/t; its 3 t salt per t are secondary
    assert result.primary_share == pytest.approx(4.0 * SUPPLIER_CO2 / total, rel=1e-12)
    # the old measure counts the whole reagent chain the plant's amount carries
    assert result.plant_decided_share == pytest.approx(4.0 * REAGENT_CRADLE / total, rel=1e-9)


def test_a_plant_emission_counts_fully(tiny: FootprintModel) -> None:
    result = _widget(tiny, "process_co2")
    total = _total({**GENERIC, "process_co2": 0.7})
    assert result.primary_share == pytest.approx(0.7 / total, rel=1e-12)
    assert result.plant_decided_share == pytest.approx(0.7 / total, rel=1e-9)


def test_plant_electricity_counts_each_power_stations_direct_emissions(
    tiny: FootprintModel,
) -> None:
    result = _widget(tiny, "power_mwh")
    total = _total({**GENERIC, "power_mwh": 10.0})
    # through the plant's mix to coal (direct CO2); solar's life-cycle amount is upstream
    assert result.primary_share == pytest.approx(10.0 * COAL_SHARE * COAL_EF / total, rel=1e-12)
    assert result.plant_decided_share == pytest.approx(10.0 * MIX / total, rel=1e-9)


def test_all_plant_values_together_add_up_by_hand(tiny: FootprintModel) -> None:
    result = _widget(tiny, "reagent_t", "power_mwh", "process_co2")
    total = _total(OWN)  # 26 + 9.125 + 0.7 + 0.3 = 36.125
    assert result.score == pytest.approx(36.125, rel=1e-12)
    primary = 4.0 * SUPPLIER_CO2 + 10.0 * COAL_SHARE * COAL_EF + 0.7  # 2 + 9 + 0.7
    assert result.primary_share == pytest.approx(primary / total, rel=1e-12)
    data = result.to_dict("en")["plant_data"]
    assert data["secondary_share"] == pytest.approx(1 - primary / total, rel=1e-12)
    assert data["decided_by_plant_values_share"] == pytest.approx(35.825 / 36.125, rel=1e-9)
    assert "immediate suppliers" in data["primary_share_means"]


def test_no_plant_data_means_no_primary_share(tiny: FootprintModel) -> None:
    result = _widget(tiny)
    assert result.score == pytest.approx(_total(GENERIC), rel=1e-12)
    assert result.primary_share == 0.0
    assert result.plant_decided_share == 0.0
    assert result.to_dict()["plant_data"]["secondary_share"] == 1.0


def test_the_shares_scale_with_the_amount_asked(tiny: FootprintModel) -> None:
    plant = _plant(tiny, "reagent_t", "power_mwh")
    one = tiny.footprint("widget", overrides=plant)
    three = tiny.footprint("widget", amount=3.0, overrides=plant)
    assert three.score == pytest.approx(3 * one.score, rel=1e-12)
    assert three.primary_share == pytest.approx(one.primary_share, rel=1e-12)


# --- the shipped cell plant -------------------------------------------------------------


@pytest.fixture(scope="module")
def model() -> FootprintModel:
    return FootprintModel()


def _direct_per_unit(model: FootprintModel, settings: Settings, column: str) -> float:
    """Return a column's characterised B column, read from the network's matrices."""
    net = model.network(settings)
    j = int(net.columns.index([column])[0])
    b = np.asarray(net.biosphere[:, [j]].toarray()).ravel()
    return float(net.characterization @ b) / float(net.technosphere[j, j])


def test_a_cell_plant_no_longer_declares_zero_secondary_data(model: FootprintModel) -> None:
    reading = _read(model, CELL_ROWS)
    settings = model.settings(overrides=reading.settings())
    grid = _direct_per_unit(model, settings, "power.jamali_average")
    gas = _direct_per_unit(model, settings, "heat.natural_gas")
    assert grid == pytest.approx(JAMALI_T_PER_MWH)  # the matrices hold the data's factors
    assert gas == pytest.approx(GAS_T_CO2_PER_GJ)
    cam = model.footprint("cam-nmc811").score  # t CO2e per t CAM, all generic
    # per kWh: the plant's 0.01 MWh grid power and 0.126 GJ gas are primary; its 1.4 kg CAM
    # per kWh is its own amount, but cam.nmc811 emits nothing directly (its power and heat
    # are its own suppliers'), so the cathode chain is secondary
    primary = 0.01 * grid + 0.126 * gas
    total = 1.4 / 1000 * cam + primary
    d = declare("NMC811", nickel_route="hpal", model=model, plant=reading.settings())
    assert d.footprint.score == pytest.approx(total, rel=1e-9)
    assert d.footprint.primary_share == pytest.approx(primary / total, rel=1e-9)
    passport = d.to_passport()
    assert passport["secondaryDataShare"] == pytest.approx(1 - primary / total, rel=1e-9)
    assert passport["secondaryDataShare"] > 0.5  # was 0 when the cathode chain counted
    # the old measure stays, named for what it is: the plant's values decide all of it
    assert passport["sinergi"]["shareDecidedByPlantValues"] == pytest.approx(1.0)
    assert passport["sinergi"]["primaryDataShare"] == pytest.approx(primary / total, rel=1e-9)


@pytest.mark.parametrize("product", ["cell-nmc811", "cam-nmc811", "pack-nmc811"])
def test_the_primary_share_never_exceeds_what_plant_values_decide(
    model: FootprintModel, product: str
) -> None:
    reading = _read(model, CELL_ROWS)
    result = model.footprint(product, route="hpal", overrides=reading.settings())
    assert 0.0 <= result.primary_share <= result.plant_decided_share + 1e-12


# --- what the declaration shows -----------------------------------------------------------

CELL_CSV = (
    "parameter,value,unit,source,year\n"
    "cell_electricity_mwh_per_kwh,0.01,MWh/kWh,synthetic cell plant,2025\n"
    "cell_natural_gas_gj_per_kwh,0.126,GJ/kWh,synthetic cell plant,2025\n"
    "nmc811_cam_kg_per_kwh,1.4,kg/kWh,synthetic cell plant,2025\n"
)
BATTERY = ["footprint", "battery", "--chemistry", "NMC811", "--nickel-route", "hpal"]


@pytest.fixture
def cell_csv(tmp_path: Path) -> Path:
    path = tmp_path / "cell.csv"
    path.write_text(CELL_CSV, "utf-8")
    return path


def test_the_battery_command_declares_the_one_tier_secondary_share(
    cell_csv: Path, model: FootprintModel
) -> None:
    done = CliRunner().invoke(app, [*BATTERY, "--plant-data", str(cell_csv), "--format", "json"])
    assert done.exit_code == 0, done.output
    passport = json.loads(done.stdout)
    reading = _read(model, CELL_ROWS)  # the same per-kWh values, read from intake rows
    d = declare("NMC811", nickel_route="hpal", model=model, plant=reading.settings())
    assert passport["secondaryDataShare"] == pytest.approx(d.secondary_share, rel=1e-9)
    assert passport["secondaryDataShare"] > 0.5
    assert passport["sinergi"]["shareDecidedByPlantValues"] == pytest.approx(1.0)
    assert "immediate suppliers" in passport["sinergi"]["primaryDataRule"]


@pytest.mark.parametrize(
    ("lang", "primary", "decided"),
    [("en", "primary data", "decided by plant values"), ("id", "data primer", "ditentukan")],
)
def test_text_and_html_name_both_plant_figures_in_words(
    cell_csv: Path, lang: str, primary: str, decided: str
) -> None:
    args = [*BATTERY, "--plant-data", str(cell_csv), "--lang", lang]
    text = CliRunner().invoke(app, args)
    assert text.exit_code == 0, text.output
    flat = " ".join(text.stdout.split()).lower()
    assert primary in flat
    assert decided in flat
    page = CliRunner().invoke(app, [*args, "--format", "html"]).stdout
    assert primary in page.lower()
    assert decided in page.lower()
    if lang == "id":
        assert english_left_on(page) == []


# --- the command of issue 19, reading a cell plant from the store -----------------------

CELL_COMPANY = "syn-cell"
CELL_LINE = "syn-cell.line"


def _cell_ecosystem() -> Ecosystem:
    """Return a synthetic park with one cell maker reporting CELL_ROWS' amounts."""
    eco = Ecosystem()
    eco.add(Region("syn-region", "Synthetic province"), *default_externals())
    eco.add(
        Park("syn-park", "Synthetic battery park", region_id="syn-region", synthetic=True),
        Company(
            CELL_COMPANY, "syn-park", "Synthetic cell maker", ("27201",), CompanySize.LARGE,
            Ownership.FOREIGN, synthetic=True,
        ),
        Facility("syn-cell.site", CELL_COMPANY, "Cell site"),
        Process(CELL_LINE, "syn-cell.site", "Cell line"),
    )  # fmt: skip
    return eco


def _cell_rows() -> list[dict[str, object]]:
    """Return CELL_ROWS with the store's external nodes at the other end."""
    ends = {"grid": "grid.jamali", "mkt": "supplier", "cam-maker": "supplier"}
    out = []
    for row in CELL_ROWS:
        source, target = str(row["source"]), str(row["target"])
        out.append(
            {
                **row,
                "source": CELL_LINE if source == "syn-plant" else ends[source],
                "target": CELL_LINE if target == "syn-plant" else "market",
            }
        )
    return out


@pytest.fixture
def cell_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cell.db'}"
    tenant, manager = Actor("tina"), Actor("pak")
    store = AuditedStore(url, actor=tenant)
    initialise(store)
    store.save(_cell_ecosystem())
    with store.transaction() as conn:
        made = subs.create(conn, tenant, CELL_COMPANY, "2024", _cell_rows())
        made = subs.move(conn, tenant, Role.TENANT, made.id, SubmissionStatus.SUBMITTED, None, 1)
        subs.move(conn, manager, Role.PARK_MANAGER, made.id, SubmissionStatus.APPROVED, None, 2)
    store.close()
    return url


def test_the_cell_plant_from_the_store_declares_its_secondary_share_by_hand(
    cell_db: str, model: FootprintModel
) -> None:
    args = ["--chemistry", "NMC811", "--plant", CELL_COMPANY, "--period", "2024"]
    done = CliRunner().invoke(
        app, ["footprint", "battery", *args, "--db", cell_db, "--format", "json"]
    )
    assert done.exit_code == 0, done.output
    passport = json.loads(done.stdout)
    assert passport["sinergi"]["plant_reading"]["kind"] == "cell-nmc811"
    cam = model.footprint("cam-nmc811").score
    primary = 0.01 * JAMALI_T_PER_MWH + 0.126 * GAS_T_CO2_PER_GJ  # per kWh, as above
    total = 1.4 / 1000 * cam + primary
    assert passport["secondaryDataShare"] == pytest.approx(1 - primary / total, rel=1e-9)
