"""Scenarios reuse the factorisation when only B/c change; contributions add up."""

from __future__ import annotations

import pytest

from sinergi.errors import InvalidMatrix, UnknownName
from sinergi.footprint.lca import system as engine
from sinergi.footprint.network import Settings
from sinergi.footprint.route_uncertainty import route_monte_carlo
from sinergi.footprint.scenarios import FootprintModel


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = engine.factorize

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "factorize", counting)
    return calls


def test_biosphere_only_scenario_does_not_refactorise(counted):
    model = FootprintModel()
    base = model.footprint("npi")
    assert len(counted) == 1
    efficient = model.footprint("npi", scenario="captive-coal-efficient")
    assert len(counted) == 1  # only the captive-coal factor (B) changed
    assert model.factorisations == 1
    # 41 MWh/t Ni x (1.15 - 1.0) t CO2/MWh less
    assert base.score - efficient.score == pytest.approx(41.0 * 0.15)


def test_gwp_method_change_reuses_the_factorisation(counted):
    model = FootprintModel()
    model.footprint("npi")
    ar5 = FootprintModel(method="ar5")
    ar5._systems = model._systems  # share the kept systems, as one session would
    ar5.footprint("npi")
    assert len(counted) == 1


def test_power_mix_scenario_refactorises_once_and_then_reuses(counted):
    model = FootprintModel()
    base = model.footprint("npi")
    solar = model.footprint("npi", scenario="captive-coal-to-solar")
    assert len(counted) == 2  # the mix column of A changed
    model.footprint("mhp", scenario="captive-coal-to-solar")
    assert len(counted) == 2  # same A, another product: no new factorisation
    # electricity 41 MWh/t Ni moves from 1.15 to 0.045 t CO2e/MWh
    assert base.score - solar.score == pytest.approx(41.0 * (1.15 - 0.045))
    assert solar.illustrative_share == pytest.approx(1.0)


def test_lower_ore_grade_raises_the_footprint():
    model = FootprintModel()
    assert model.footprint("npi", scenario="low-ore-grade").score > model.footprint("npi").score


def test_user_override_is_marked_and_applied():
    model = FootprintModel()
    result = model.footprint("npi", overrides=Settings(values={"npi_ni_grade": 0.12}))
    assert result.parameters["npi_ni_grade"].user is True
    assert result.parameters["npi_ni_grade"].provenance is None
    assert result.to_dict()["parameters"]["npi_ni_grade"]["source"] == (
        "set by the scenario or by the user"
    )
    assert result.score < model.footprint("npi").score


@pytest.mark.parametrize(
    ("product", "route"),
    [("npi", None), ("niso4", "rkef-matte"), ("pack-nmc811", "hpal"), ("mhp", None)],
)
def test_every_breakdown_sums_to_the_score(product, route):
    r = FootprintModel().footprint(product, route=route)
    for group in (r.by_process, r.by_stage, r.by_gas, r.by_scope):
        assert sum(group.values()) == pytest.approx(r.score, rel=1e-12)


def test_power_is_attributed_to_the_stage_that_draws_it():
    r = FootprintModel().footprint("npi")
    assert "power" not in r.by_stage
    assert r.by_process["power.captive_coal"] == pytest.approx(41.0 * 1.15)
    assert r.by_scope["scope2"] == pytest.approx(41.0 * 1.15)


def test_sankey_links_carry_the_upstream_score_into_the_product():
    r = FootprintModel().footprint("npi")
    into = [link for link in r.sankey["links"] if link["target"] == "npi.ni"]
    direct = r.by_process["rkef.npi"]
    assert sum(link["co2e_t"] for link in into) + direct == pytest.approx(r.score)
    assert {n["id"] for n in r.sankey["nodes"]} >= {"npi.ni", "ore.saprolite"}


def test_route_monte_carlo_is_reproducible_with_a_seed():
    model = FootprintModel()
    a = route_monte_carlo(model, "npi", iterations=30, seed=7)
    b = route_monte_carlo(model, "npi", iterations=30, seed=7)
    c = route_monte_carlo(model, "npi", iterations=30, seed=8)
    assert a["mean"] == b["mean"]
    assert a["mean"] != c["mean"]
    assert a["percentiles"]["2.5"] < a["percentiles"]["97.5"]


def test_ar5_and_ar6_give_the_same_co2_only_score_and_unknown_method_is_located():
    # every shipped route emission is CO2 or life-cycle CO2e, whose factor is 1 in both sets
    assert FootprintModel(method="ar5").footprint("npi").score == pytest.approx(
        FootprintModel().footprint("npi").score
    )
    with pytest.raises(UnknownName, match="'ar4'"):
        FootprintModel(method="ar4").footprint("npi")


def test_with_biosphere_shares_the_factorisation_and_validates_shapes():
    model = FootprintModel()
    net = model.network(model.settings())
    system = model.system(net)
    other = system.with_biosphere(
        net.biosphere * 2.0, net.characterization, flow_labels=net.flow_labels
    )
    assert other.factorization is system.factorization
    demand = system.demand_array({"npi.ni": 1.0})
    assert other.scores(demand)[0] == pytest.approx(2.0 * system.scores(demand)[0])
    with pytest.raises(InvalidMatrix, match="one factor per biosphere row"):
        system.with_biosphere(net.biosphere, net.characterization[:-1])
