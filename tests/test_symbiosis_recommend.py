"""Recommendations end to end: explanations, totals, benefit split, the CLI and the workflow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sinergi.assess.indicators import compute
from sinergi.cli import app
from sinergi.demo import demo_ecosystem
from sinergi.examples import tiny_park
from sinergi.model import Ecosystem, Period
from sinergi.store import Store
from sinergi.symbiosis.recommend import recommend

runner = CliRunner()
P = Period(2024)


@pytest.fixture(scope="module")
def nickel_parks() -> Ecosystem:
    return demo_ecosystem(seed=1).subset(["iwip", "imip"])


def test_totals_equal_the_sums_over_the_recommended_exchanges(nickel_parks: Ecosystem) -> None:
    d = recommend(nickel_parks, P).to_dict()
    rows, totals = d["recommendations"], d["totals"]
    assert rows, "the nickel parks send slag and fly ash to landfill: something to recommend"
    for key, column in (
        ("net_benefit", "net_benefit_idr"),
        ("co2e_avoided", "co2e_avoided_t"),
        ("landfill_diverted", "landfill_diverted_t"),
    ):
        assert totals[key] == pytest.approx(sum(r[column] for r in rows), rel=1e-12)
    for unit, amount in totals["amount_by_unit"].items():
        assert amount == pytest.approx(sum(r["amount"] for r in rows if r["unit"] == unit))


def test_every_recommendation_names_its_rule_source_and_numbers(nickel_parks: Ecosystem) -> None:
    for r in recommend(nickel_parks, P).to_dict()["recommendations"]:
        assert r["rule_id"] in r["explanation"]
        assert r["supplier"] in r["explanation"]
        assert r["receiver"] in r["explanation"]
        assert r["rule_sources"]
        per_unit = r["per_unit"]["net_benefit_idr"] * r["amount"] - r["per_unit"]["fixed_cost_idr"]
        assert r["net_benefit_idr"] == pytest.approx(per_unit, rel=1e-9)
        assert r["co2e_avoided_t"] == pytest.approx(r["per_unit"]["co2e_avoided_t"] * r["amount"])


def test_recommendations_are_ranked_by_the_objective(nickel_parks: Ecosystem) -> None:
    for objective, column in (
        ("net_benefit", "net_benefit_idr"),
        ("co2e_avoided", "co2e_avoided_t"),
    ):
        rows = recommend(nickel_parks, P, objective=objective).to_dict()["recommendations"]
        values = [r[column] for r in rows]
        assert values == sorted(values, reverse=True)
        assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))


def test_each_cluster_split_adds_up_to_its_exchanges_benefit(nickel_parks: Ecosystem) -> None:
    d = recommend(nickel_parks, P).to_dict()
    by_partner: dict[str, float] = {}
    for r in d["recommendations"]:
        for side in ("supplier", "receiver"):
            by_partner.setdefault(r[side], 0.0)
    clusters = d["sharing"]["clusters"]
    assert sorted(p for c in clusters for p in c["partners"]) == sorted(by_partner)
    for c in clusters:
        rows = [r for r in d["recommendations"] if r["supplier"] in c["partners"]]
        shares = sum(s["share"] for s in c["shapley"]["shares"].values())
        assert shares == pytest.approx(sum(r["net_benefit_idr"] for r in rows), rel=1e-9)
        assert c["core"]["stable"] in (True, False)


def test_sankey_and_map_carry_every_exchange(nickel_parks: Ecosystem) -> None:
    d = recommend(nickel_parks, P).to_dict()
    for unit, amount in d["totals"]["amount_by_unit"].items():
        sankey = [link["value"] for link in d["sankey"]["links"] if link["unit"] == unit]
        on_map = [link["amount"] for link in d["map"]["links"] if link["unit"] == unit]
        assert sum(sankey) == pytest.approx(amount)
        assert sum(on_map) == pytest.approx(amount)
    assert {p["park"] for p in d["map"]["points"]} <= {"iwip", "imip"}


def test_pareto_front_runs_between_the_cost_and_co2_optima(nickel_parks: Ecosystem) -> None:
    front = recommend(nickel_parks, P, pareto=3).to_dict()["pareto"]
    cost_best = front["cost_optimal"]["totals"]["net_benefit"]
    for point in front["points"]:
        if point["net_benefit"] is not None:
            assert point["net_benefit"] <= cost_best * (1 + 1e-9)


def _db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 's.db'}"
    store = Store(url)
    store.migrate()
    store.save(tiny_park())
    return url


def test_cli_needs_a_park_or_national(tmp_path: Path) -> None:
    result = runner.invoke(app, ["symbiosis", "--db", _db(tmp_path)])
    assert result.exit_code == 2
    assert "give a park id or --national" in result.output


def test_cli_names_an_unknown_park(tmp_path: Path) -> None:
    result = runner.invoke(app, ["symbiosis", "nowhere", "--db", _db(tmp_path)])
    assert result.exit_code == 2
    assert "sinergi parks list" in result.output


def test_cli_rule_file_errors_are_located(tmp_path: Path) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text("rules:\n  - id: x\n    supply: no_such_commodity\n", "utf-8")
    result = runner.invoke(
        app, ["symbiosis", "demo-park", "--rules", str(bad), "--db", _db(tmp_path)]
    )
    assert result.exit_code == 1  # an invalid input file
    assert "rules.yaml" in result.output


def test_proposals_flow_through_the_workflow_into_the_assessment(tmp_path: Path) -> None:
    db = _db(tmp_path)
    result = runner.invoke(
        app, ["symbiosis", "demo-park", "--propose", "--format", "json", "--db", db]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (row,) = data["recommendations"]
    listed = json.loads(runner.invoke(app, ["exchanges", "list", "--json", "--db", db]).stdout)
    assert [x["id"] for x in listed] == [row["id"]]
    assert listed[0]["status"] == "proposed"
    again = runner.invoke(app, ["symbiosis", "demo-park", "--propose", "--db", db])
    assert "0 new proposal(s); 1 already stored" in again.output
    for status in ("accepted", "implemented"):
        moved = runner.invoke(app, ["exchanges", "set", row["id"], status, "--db", db])
        assert moved.exit_code == 0, moved.output
    eco = Store(db).load()
    tonnes = compute(eco, "demo-park", P, ["symbiosis_exchanges"])["symbiosis_exchanges"]
    assert tonnes.detail == {"t": pytest.approx(300.0 + row["amount"])}
    history = runner.invoke(app, ["exchanges", "history", row["id"], "--db", db])
    assert "accepted → implemented" in history.output


def test_rejecting_without_a_reason_is_refused_by_the_cli(tmp_path: Path) -> None:
    db = _db(tmp_path)
    runner.invoke(app, ["symbiosis", "demo-park", "--propose", "--db", db])
    (x,) = Store(db).exchanges()
    result = runner.invoke(app, ["exchanges", "set", x.id, "rejected", "--db", db])
    assert result.exit_code == 1  # refused, nothing written
    assert "needs a reason" in result.output
