"""Footprints from an ecosystem's own process flows, on the route inventory's background."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sinergi.cli import app
from sinergi.errors import InvalidReferenceOutput, InventoryError, UnitMismatch
from sinergi.examples import tiny_park
from sinergi.footprint.ecosystem import ecosystem_network, process_footprints
from sinergi.footprint.inventory import load_inventory
from sinergi.footprint.scenarios import FootprintModel
from sinergi.io import write_file
from sinergi.model import Flow, Period


def test_furnace_footprint_matches_a_hand_calculation():
    # tiny_park (synthetic): 1000 t ore, 500 MWh Jamali grid, 400 t CO2 -> 80 t ferronickel
    p = {k: v.value for k, v in load_inventory().parameters.items()}
    mining = 1000 * p["diesel_l_per_t_ore"] * p["diesel_co2_kg_per_l"] / 1000
    grid = 500 * p["grid_jamali_co2_t_per_mwh"]
    expected = (mining + grid + 400.0) / 80.0
    results = process_footprints(FootprintModel(), tiny_park(), "2024")
    furnace = results["demo-metal.furnace"]
    assert furnace.score == pytest.approx(expected, rel=1e-12)
    assert furnace.unit == "t"
    assert furnace.functional_unit.en == "t Ferronickel"
    assert furnace.score_unit("en") == "t CO2e per t Ferronickel"
    assert sum(furnace.by_stage.values()) == pytest.approx(furnace.score)


def test_unknown_quantities_are_listed_never_read_as_zero():
    bricks = process_footprints(FootprintModel(), tiny_park(), "2024")["demo-bricks.press"]
    notes = " ".join(m.en for m in bricks.missing["demo-bricks.press"])
    assert "Municipal water" in notes or "water" in notes.lower()
    assert "quantity not reported" in notes
    assert "None" not in notes
    assert "cut-off" in notes  # slag from the furnace arrives burden-free
    indonesian = " ".join(m.id for m in bricks.missing["demo-bricks.press"])
    assert "jumlah tidak dilaporkan" in indonesian


def test_unknown_reference_output_names_the_process():
    eco = tiny_park()
    eco.flows = [
        Flow(f.period, f.source, f.target, f.commodity, None) if f.commodity == "ferronickel" else f
        for f in eco.flows
    ]
    with pytest.raises(InvalidReferenceOutput, match=r"'demo-metal.furnace'.*'ferronickel'"):
        ecosystem_network(eco, "2024")


def test_two_candidate_outputs_ask_for_a_reference():
    eco = tiny_park()
    period = Period.parse("2024")
    eco.flows.append(Flow(period, "demo-metal.furnace", "market", "nickel_pig_iron", 5.0))
    with pytest.raises(InventoryError, match=r"'demo-metal.furnace' has 2 candidate"):
        ecosystem_network(eco, "2024")
    net = ecosystem_network(eco, "2024", reference={"demo-metal.furnace": "ferronickel"})
    assert "demo-metal.furnace" in net.labels


def test_input_in_another_unit_than_the_provider_output_is_a_unit_mismatch():
    eco = tiny_park()
    period = Period.parse("2024")
    # the furnace's reference output is ferronickel (t); electricity is in MWh
    eco.flows.append(Flow(period, "demo-metal.furnace", "demo-bricks.press", "electricity", 1.0))
    with pytest.raises(UnitMismatch, match=r"process 'demo-bricks.press' input 'electricity'"):
        ecosystem_network(eco, "2024", reference={"demo-metal.furnace": "ferronickel"})


def test_park_command_reads_the_database(tmp_path):
    db = f"sqlite:///{tmp_path / 'x.db'}"
    path = tmp_path / "park.yaml"
    write_file(tiny_park(), path)
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(path), "--db", db]).exit_code == 0
    result = runner.invoke(app, ["footprint", "park", "demo-park", "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert set(rows) == {"demo-metal.furnace", "demo-bricks.press"}
    missing = runner.invoke(app, ["footprint", "park", "nowhere", "--db", db])
    assert missing.exit_code == 2
