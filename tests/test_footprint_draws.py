"""Batched parameter draws of one network, checked against a network built per draw.

The reference is :func:`build_network` at each draw's values (the deterministic model); the
batched path must give the same matrices, and the national route draws the same numbers as
the per-network path (seeded, to 1e-9 relative).
"""

from __future__ import annotations

import numpy as np
import pytest

from footprint_routes import inventory_of, tiny_doc
from sinergi.errors import InventoryError, UnknownName
from sinergi.footprint.draws import network_draws
from sinergi.footprint.inventory import evaluate, evaluate_draws
from sinergi.footprint.network import Settings, build_network
from sinergi.footprint.route_uncertainty import draw_parameters, ranged_parameters
from sinergi.footprint.scenarios import FootprintModel
from sinergi.reports import national_routes
from sinergi.reports.national_routes import route_inputs


def test_formula_over_draws_equals_the_formula_at_each_draw() -> None:
    rng = np.random.default_rng(4)
    a, b = rng.uniform(0.1, 2.0, 7), rng.uniform(0.1, 2.0, 7)
    formula = "-(a - 2 * b) / (a * b) + 3"
    batched = evaluate_draws(formula, {"a": a, "b": b, "c": 9.0})
    expected = [evaluate(formula, {"a": x, "b": y}) for x, y in zip(a, b, strict=True)]
    assert batched.tolist() == pytest.approx(expected, rel=1e-15)


def test_formula_over_draws_refuses_what_the_scalar_formula_refuses() -> None:
    with pytest.raises(InventoryError, match="divides by zero"):
        evaluate_draws("1 / a", {"a": np.array([1.0, 0.0])})
    with pytest.raises(UnknownName, match="'b'"):
        evaluate_draws("a * b", {"a": np.array([1.0])})
    with pytest.raises(InventoryError, match="only use numbers"):
        evaluate_draws("a ** 2", {"a": np.array([1.0])})


@pytest.mark.parametrize("method", ["mass", "economic", "system_expansion"])
def test_batched_matrices_equal_the_network_built_at_each_draw(method: str) -> None:
    inventory = inventory_of(tiny_doc())
    settings = Settings(allocation={"plant": method})  # type: ignore[dict-item]
    net = build_network(inventory, settings)
    rng = np.random.default_rng(8)
    drawn = {  # co_out is a product amount: the allocation shares move with it
        "co_out": rng.uniform(0.2, 0.9, 5),
        "ore": rng.uniform(8.0, 12.0, 5),
        "coal_ef": rng.uniform(1.0, 2.0, 5),
    }
    stacked = network_draws(inventory, net, drawn)
    assert stacked is not None
    for i in range(5):
        values = {name: float(column[i]) for name, column in drawn.items()}
        built = build_network(inventory, settings.merged(Settings(values=values)))
        assert np.allclose(stacked.technosphere[i], built.technosphere.toarray(), rtol=1e-12)
        assert np.allclose(stacked.biosphere[i], built.biosphere.toarray(), rtol=1e-12)


def test_batched_solve_equals_the_footprint_of_each_draw() -> None:
    model = FootprintModel()
    net = model.network(model.settings())
    params = ranged_parameters(net)
    table = np.array([list(draw_parameters(params, 3, i).values()) for i in range(4)])
    drawn = {p.name: table[:, j] for j, p in enumerate(params)}
    stacked = network_draws(model.inventory, net, drawn)
    assert stacked is not None
    demand = net.demand(model.inventory.product_column("npi"))[:, None]
    _, scores = stacked.solve(demand)
    for i in range(4):
        at = Settings(values=draw_parameters(params, 3, i))
        assert scores[i, 0] == pytest.approx(model.footprint("npi", overrides=at).score, rel=1e-9)


def test_a_draw_that_zeroes_an_output_is_left_to_the_per_network_build() -> None:
    inventory = inventory_of(tiny_doc())
    net = build_network(inventory, Settings())
    assert network_draws(inventory, net, {"co_out": np.array([0.5, 0.0])}) is None
    with pytest.raises(InventoryError, match="output of product 'co'"):
        build_network(inventory, Settings(values={"co_out": 0.0}))


def test_drawing_an_unknown_parameter_is_refused_by_name() -> None:
    inventory = inventory_of(tiny_doc())
    net = build_network(inventory, Settings())
    with pytest.raises(UnknownName, match="'ore_grade'"):
        network_draws(inventory, net, {"ore_grade": np.array([0.5])})


def test_stacked_route_draws_equal_one_network_per_draw() -> None:
    model = FootprintModel()
    settings = model.settings()
    net = model.network(settings)
    stacked = national_routes._draws_stacked(model, net, 40, 20231)
    per_network = national_routes._draws_per_network(model, settings, net, 40, 20231)
    assert stacked is not None
    assert stacked.dense_factorisations == 40
    assert per_network.networks == 40
    for ours, reference in (
        (stacked.process, per_network.process),
        (stacked.mwh, per_network.mwh),
        (stacked.coal, per_network.coal),
    ):
        assert ours.shape == reference.shape
        assert np.allclose(ours, reference, rtol=1e-9, atol=1e-12)
        assert not np.array_equal(ours[..., 0], ours[..., 1])  # the draws do differ


def test_route_inputs_count_one_network_and_one_factorisation_per_draw() -> None:
    inputs = route_inputs(draws=25, seed=2)
    assert inputs.stacked
    assert inputs.networks == 1
    assert inputs.factorisations == 1 + 25  # the nominal sparse LU, a dense LU per draw


def test_route_inputs_fall_back_to_a_network_per_draw(monkeypatch: pytest.MonkeyPatch) -> None:
    stacked = route_inputs(draws=6, seed=9)
    monkeypatch.setattr(national_routes, "network_draws", lambda *_args: None)
    rebuilt = route_inputs(draws=6, seed=9)
    assert not rebuilt.stacked
    assert rebuilt.networks == 1 + 6
    for key, route in stacked.intensities.items():
        other = rebuilt.intensities[key].process_draws
        assert route.process_draws is not None
        assert other is not None
        assert np.allclose(route.process_draws, other, rtol=1e-9)
