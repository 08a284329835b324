"""A plant's footprint from its flows in the intake store: mapping, review status, CLI.

The synthetic HPAL plant of ``footprint_plant_world`` is computed by hand: its values per t Ni
and its MHP footprint from the route's formulas (tests/footprint_plant_world.py says where each
number comes from).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from footprint_plant_world import COMPANY, LINE, PERIOD, POWER, hpal_ecosystem, hpal_rows
from sinergi.cli import app
from sinergi.errors import PlantDataNotApproved, PlantFlowsMissing
from sinergi.footprint.network import Settings
from sinergi.footprint.plant_flows import load_mapping, read_plant_flows
from sinergi.footprint.scenarios import FootprintModel
from sinergi.intake import initialise
from sinergi.model.accounts import Role
from sinergi.model.audit import Actor
from sinergi.model.commodities import default_catalogue
from sinergi.model.submissions import SubmissionStatus
from sinergi.store import Store
from sinergi.store import submissions as subs
from sinergi.store.audited import AuditedStore

NODES = {COMPANY, "syn-hpal.site", LINE, POWER}
T_NI = 10_000 * 0.388  # t MHP x generic t Ni / t MHP (Ceria design, routes.yaml)


@pytest.fixture(scope="module")
def model() -> FootprintModel:
    return FootprintModel()


def _read(model: FootprintModel, rows: list[dict[str, object]], **kw: object):  # type: ignore[no-untyped-def]
    return read_plant_flows(
        rows, NODES, model.inventory, node=COMPANY, source="reported by syn-hpal", year=2024, **kw
    )  # type: ignore[arg-type]


def test_hpal_values_are_the_reported_flows_per_t_ni_by_hand(model: FootprintModel) -> None:
    reading = _read(model, hpal_rows())
    v = {name: p.value for name, p in reading.values.items()}
    # bought electricity, grid and coal-fired, 38,800 + 3,880 MWh; the company's own power
    # station's 9,999 MWh to the line is internal and not counted again
    assert v["hpal_electricity_mwh_per_t_ni"] == pytest.approx(42_680 / T_NI, rel=1e-12)
    assert v["hpal_electricity_mwh_per_t_ni"] == pytest.approx(11.0, rel=1e-12)
    assert v["hpal_onsite_coal_gj_per_t_ni"] == pytest.approx(2_000 * 17.5 / T_NI, rel=1e-12)
    assert v["hpal_limestone_t_per_t_ore"] == pytest.approx(0.1, rel=1e-12)
    assert v["hpal_ore_t_per_t_ni"] == pytest.approx(400_000 / T_NI, rel=1e-12)
    assert v["hpal_acid_t_per_t_ni"] == pytest.approx(66_000 / T_NI, rel=1e-12)
    assert reading.kind == "hpal"
    assert reading.route == "hpal-plant"
    assert reading.unused == ("input water_seawater",)
    for p in reading.values.values():
        assert p.plant
        assert p.provenance is not None
        assert p.provenance.source == "reported by syn-hpal"
    # the coal's calorific value is illustrative, so the coal figure is flagged too
    assert reading.values["hpal_onsite_coal_gj_per_t_ni"].illustrative
    assert not reading.values["hpal_electricity_mwh_per_t_ni"].illustrative
    derivation = reading.derivations["hpal_electricity_mwh_per_t_ni"]
    assert "42,680 MWh electricity+electricity_coal" in derivation


def test_mhp_footprint_from_plant_flows_matches_the_hand_calculation(
    model: FootprintModel,
) -> None:
    reading = _read(model, hpal_rows())
    result = model.footprint("mhp-plant", overrides=Settings(plant=reading.values))
    ore = 400_000 / T_NI
    by_hand = (
        ore * 2.0 * 2.68 / 1000  # mining diesel (illustrative 2 L/t ore, 2.68 kg CO2/L)
        + 11.0 * 1.15  # electricity on captive coal, 1.15 t CO2/MWh
        + 0.1 * ore * 0.44  # limestone calcination
        + 2_000 * 17.5 / T_NI * 107.2 / 1000  # coal burnt on site, 107.2 t CO2/TJ
    ) / (1 + 4_100 / 40_000)  # mass allocation between Ni and Co (Ceria design)
    assert result.score == pytest.approx(by_hand, rel=1e-9)
    # every exchange is the plant's own amount, and every emission sits one tier deep: at the
    # plant (limestone, coal), at the mine it buys ore from (diesel) and at the power station
    # (captive coal); the acid supply emits nothing here. So all of it is primary data.
    assert result.primary_share == pytest.approx(1.0)
    assert result.plant_decided_share == pytest.approx(1.0)
    assert result.generic_score == pytest.approx(20.0)  # the published aggregate it replaces
    assert any("hpal_electricity_mwh_per_t_ni" in e for e in result.plant_inputs)


def test_a_process_as_the_plant_counts_the_companys_own_power_as_bought(
    model: FootprintModel,
) -> None:
    reading = read_plant_flows(
        hpal_rows(), {LINE}, model.inventory, node=LINE, source="s", year=2024
    )
    electricity = reading.values["hpal_electricity_mwh_per_t_ni"].value
    assert electricity == pytest.approx((38_800 + 3_880 + 9_999) / T_NI, rel=1e-12)


def test_the_plants_own_ni_content_replaces_the_generic_one(model: FootprintModel) -> None:
    reading = _read(model, hpal_rows(), values={"mhp_ni_content": 0.42})
    assert reading.values["hpal_acid_t_per_t_ni"].value == pytest.approx(66_000 / 4_200)
    assert "set by the user" in reading.derivations["hpal_acid_t_per_t_ni"]


@pytest.mark.parametrize(
    ("dropped", "parameter"),
    [
        ("limestone", "hpal_limestone_t_per_t_ore"),
        ("coal", "hpal_onsite_coal_gj_per_t_ni"),
    ],
)
def test_a_required_flow_not_reported_names_parameter_and_code(
    model: FootprintModel, dropped: str, parameter: str
) -> None:
    rows = [r for r in hpal_rows() if r["commodity"] != dropped]
    with pytest.raises(PlantFlowsMissing, match=parameter) as caught:
        _read(model, rows)
    assert repr(dropped) in str(caught.value)
    assert "syn-hpal" in str(caught.value)


def test_an_unknown_quantity_is_not_read_as_zero(model: FootprintModel) -> None:
    rows = [{**r, "quantity": None} if r["commodity"] == "limestone" else r for r in hpal_rows()]
    with pytest.raises(PlantFlowsMissing, match="unknown quantity"):
        _read(model, rows)


def test_a_generic_parameter_not_reported_keeps_its_value_and_says_so(
    model: FootprintModel,
) -> None:
    rows = [r for r in hpal_rows() if r["commodity"] != "sulfuric_acid"]
    reading = _read(model, rows)
    assert "hpal_acid_t_per_t_ni" not in reading.values
    assert reading.generic == {"hpal_acid_t_per_t_ni": ("sulfuric_acid",)}


def test_outputs_of_two_kinds_ask_for_the_process(model: FootprintModel) -> None:
    rows = [
        *hpal_rows(),
        {"source": LINE, "target": "market", "commodity": "nickel_sulfate", "quantity": 1.0},
    ]
    with pytest.raises(PlantFlowsMissing, match="name the process"):
        _read(model, rows)


def test_no_known_output_is_refused(model: FootprintModel) -> None:
    rows = [r for r in hpal_rows() if r["commodity"] != "mhp"]
    with pytest.raises(PlantFlowsMissing, match="no output of"):
        _read(model, rows)


def test_refinery_values_convert_units_exactly(model: FootprintModel) -> None:
    rows = [
        {"source": "supplier", "target": "r", "commodity": "natural_gas", "quantity": 1.0},
        {"source": "grid.jamali", "target": "r", "commodity": "electricity", "quantity": 2.04},
        {"source": "r", "target": "market", "commodity": "nickel_sulfate", "quantity": 2.0},
    ]
    reading = read_plant_flows(rows, {"r"}, model.inventory, node="r", source="s", year=2024)
    # 1 MWh = 3,600 MJ over 2,000 kg; 2.04 MWh = 2,040 kWh over 2,000 kg
    assert reading.values["nsh_natural_gas_mj_per_kg"].value == pytest.approx(1.8, rel=1e-15)
    assert reading.values["nsh_electricity_kwh_per_kg"].value == pytest.approx(1.02, rel=1e-15)


def test_the_mapping_names_catalogue_codes_and_route_parameters(model: FootprintModel) -> None:
    doc = load_mapping()
    catalogue = default_catalogue()
    known = set(model.inventory.parameters) | set(model.inventory.plant_data)
    for spec in doc.plants.values():
        assert spec.output.commodity in catalogue
        for name, how in spec.parameters.items():
            assert name in known
            assert set(how.replaces) <= known
            assert all(code in catalogue for code in how.inputs)
        assert spec.process in model.inventory.processes
        assert spec.content is None or spec.content in known
    # every parameter only a plant can give is read from some flow, or is the content (an
    # assay, set by the user) that turns a kind's output into t Ni
    mapped = {n for s in doc.plants.values() for n in s.parameters}
    mapped |= {s.content for s in doc.plants.values() if s.content}
    assert set(model.inventory.plant_data) <= mapped
    # every electricity code names a power supply process of the routes (or the default)
    columns = {p.id for proc in model.inventory.processes.values() for p in proc.products}
    for code, provider in doc.electricity.items():
        assert code in catalogue
        assert provider == "default" or provider in columns
    assert all(code in catalogue for code in doc.not_read)


# --- the store: which data counts --------------------------------------------------------

TENANT, MANAGER, MINISTRY = Actor("tina"), Actor("pak"), Actor("ana")


@pytest.fixture
def audited(store_factory: Callable[..., Store]) -> Iterator[AuditedStore]:
    plain = store_factory()
    store = AuditedStore(plain._url, actor=TENANT)
    initialise(store)
    store.save(hpal_ecosystem())
    yield store
    store.close()


def _approve(store: AuditedStore, rows: list[dict[str, object]]) -> subs.Submission:
    with store.transaction() as conn:
        made = subs.create(conn, TENANT, COMPANY, PERIOD, rows)
        made = subs.move(conn, TENANT, Role.TENANT, made.id, SubmissionStatus.SUBMITTED, None, 1)
        return subs.move(
            conn, MANAGER, Role.PARK_MANAGER, made.id, SubmissionStatus.APPROVED, None, 2
        )


def test_imported_flows_count_only_when_unapproved_data_is_asked_for(
    audited: AuditedStore,
) -> None:
    with audited.reading() as conn:
        with pytest.raises(PlantDataNotApproved, match="--unapproved"):
            subs.plant_data(conn, COMPANY, PERIOD)
        data = subs.plant_data(conn, COMPANY, PERIOD, include_unapproved=True)
    assert data.submission is None
    assert data.status is None
    assert not data.approved
    assert len(data.rows) == len(hpal_rows())
    assert data.nodes == frozenset(NODES)


def test_a_draft_is_refused_by_default_and_named(audited: AuditedStore) -> None:
    with audited.transaction() as conn:
        draft = subs.create(conn, TENANT, COMPANY, PERIOD, hpal_rows())
    with audited.reading() as conn:
        with pytest.raises(PlantDataNotApproved, match=f"submission {draft.id} v1, draft"):
            subs.plant_data(conn, COMPANY, PERIOD)
        data = subs.plant_data(conn, COMPANY, PERIOD, include_unapproved=True)
    assert data.submission is not None
    assert data.status is SubmissionStatus.DRAFT


def test_the_locked_version_counts_until_its_correction_is_approved(
    audited: AuditedStore, model: FootprintModel
) -> None:
    approved = _approve(audited, hpal_rows())
    with audited.transaction() as conn:
        locked = subs.move(
            conn, MINISTRY, Role.MINISTRY, approved.id, SubmissionStatus.LOCKED, None, 3
        )
        more = [
            {**r, "quantity": 2 * float(r["quantity"])} if r["commodity"] == "coal" else r  # type: ignore[arg-type]
            for r in hpal_rows()
        ]  # fmt: skip
        subs.correct(conn, TENANT, locked.id, "coal was half counted")
        newest = subs.find(conn, company_ids=[COMPANY], period=PERIOD)[-1]
        subs.replace_data(conn, TENANT, newest.id, more, newest.row_version)
    with audited.reading() as conn:
        kept = subs.plant_data(conn, COMPANY, PERIOD)
        draft = subs.plant_data(conn, COMPANY, PERIOD, include_unapproved=True)
    assert kept.submission is not None
    assert kept.submission.version == 1
    assert kept.approved
    assert draft.submission is not None
    assert draft.submission.version == 2
    coal = {
        d.submission.version: read_plant_flows(  # type: ignore[union-attr]
            d.rows, d.nodes, model.inventory, node=COMPANY, source="s", year=2024
        )
        .values["hpal_onsite_coal_gj_per_t_ni"]
        .value
        for d in (kept, draft)
    }
    assert coal[2] == pytest.approx(2 * coal[1])


def test_an_unknown_node_is_not_found(audited: AuditedStore) -> None:
    from sinergi.errors import NotFound

    with audited.reading() as conn, pytest.raises(NotFound, match="no-such-plant"):
        subs.plant_data(conn, "no-such-plant", PERIOD)


# --- the command -------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'plant.db'}"
    store = AuditedStore(url, actor=TENANT)
    initialise(store)
    store.save(hpal_ecosystem())
    _approve(store, hpal_rows())
    store.close()
    return url


def _run(*args: str) -> Result:
    return CliRunner().invoke(app, ["footprint", *args])


def test_cli_product_from_the_store_marks_plant_data_and_its_source(
    db: str, model: FootprintModel
) -> None:
    base = ("product", "mhp-plant", "--plant", COMPANY, "--period", PERIOD, "--db", db)
    done = _run(*base, "--format", "json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    expected = model.footprint(
        "mhp-plant", overrides=Settings(plant=_read(model, hpal_rows()).values)
    )
    assert data["score_t_co2e"] == pytest.approx(expected.score, rel=1e-12)
    assert data["plant_data"]["generic_score_t_co2e"] == pytest.approx(20.0)
    assert data["plant_data"]["primary_share"] == pytest.approx(1.0)  # one tier: see above
    assert data["plant_data"]["secondary_share"] == pytest.approx(0.0, abs=1e-12)
    assert data["plant_reading"]["source"].endswith("v1, approved")
    sources = {k: p["source"] for k, p in data["parameters"].items() if p["plant_data"]}
    assert "submission" in sources["hpal_electricity_mwh_per_t_ni"]
    # the Ni content every value was divided by is in the parameter table, with its source
    content = data["parameters"]["mhp_ni_content"]
    assert content["value"] == pytest.approx(0.388)
    assert not content["user"]
    assert "Ceria" in content["source"]
    assert data["plant_reading"]["conversions"]["mhp_ni_content"]["value"] == pytest.approx(0.388)
    assayed = json.loads(_run(*base, "--set", "mhp_ni_content=0.42", "--format", "json").stdout)
    assert assayed["parameters"]["mhp_ni_content"]["user"]
    assert assayed["parameters"]["mhp_ni_content"]["value"] == pytest.approx(0.42)
    html = _run(*base, "--set", "mhp_ni_content=0.42", "--format", "html")
    assert "mhp_ni_content" in html.stdout
    text = _run(*base)
    assert text.exit_code == 0
    assert "Plant data read from the database" in text.stdout
    assert "mhp_ni_content = 0.388" in text.stdout
    assert "water_seawater" in text.stdout
    indonesian = _run(*base, "--lang", "id")
    assert "disetujui" in indonesian.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--plant", COMPANY), "--period"),
        (("--period", PERIOD), "--plant"),
        (("--plant", "nobody", "--period", PERIOD), "nobody"),
    ],
)
def test_cli_wrong_plant_arguments_are_usage_errors(
    db: str, args: tuple[str, ...], words: str
) -> None:
    done = _run("product", "mhp-plant", *args, "--db", db)
    assert done.exit_code == 2
    assert words in done.output
    assert "Traceback" not in done.output


def test_cli_draft_data_needs_the_unapproved_flag(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'draft.db'}"
    store = AuditedStore(url, actor=TENANT)
    initialise(store)
    store.save(hpal_ecosystem())
    with store.transaction() as conn:
        subs.create(conn, TENANT, COMPANY, PERIOD, hpal_rows())
    store.close()
    base = ("product", "mhp-plant", "--plant", COMPANY, "--period", PERIOD, "--db", url)
    refused = _run(*base)
    assert refused.exit_code == 2
    assert "draft" in refused.output
    used = _run(*base, "--unapproved", "--format", "json")
    assert used.exit_code == 0
    assert json.loads(used.stdout)["plant_reading"]["source"].endswith("v1, draft")
