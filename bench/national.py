"""National benchmark: accounts and a 2060 scenario with 1,000 Monte Carlo draws, via the CLI.

Measures, on ``sinergi smelters synth --plants 500 --units 300`` (seed 20231; every row
synthetic):

* **the commands a user runs**, each as a child process (wall time, peak resident memory via
  ``os.wait4``): ``sinergi national accounts --year 2023 --registry R --mc 1000 --format json``
  and ``sinergi national scenario captive-coal-phaseout --to 2060 --registry R --mc 1000
  --format json``, against the target of issue 17 (10 s on 2 cores);
* in this process, the scenario engine with 1,000 draws (the smelters aggregated once per
  year, every aggregation serving all draws) against the **peer**: a naive per-draw loop that
  recomputes every smelter's emissions for every year and draw from the same year states
  (timed on ``--peer-draws`` draws and scaled linearly to 1,000, said so in the output); the
  two must agree on the draws they share (checked and printed). Ratio = sinergi / peer;
* the route draws: one network built, every draw's exchanges evaluated over arrays and all
  draws solved in one stacked call (one dense LU per draw: each draw changes A), against the
  previous path in the same run (one network built and factorised per draw, every route solved
  from it; the numbers must agree to 1e-9, checked) and against the per-route Monte Carlo of
  the footprint engine (one network per route and draw), timed on 100 draws of each; the
  networks built and factorisations each does are reported.

Usage: ``python bench/national.py [--plants 500] [--units 300] [--draws 1000] [--to 2060]
[--peer-draws 50] [--skip-cli]``
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from sinergi.footprint.route_uncertainty import route_monte_carlo
from sinergi.footprint.scenarios import FootprintModel
from sinergi.io.national.readers import read_scenario_document
from sinergi.national.accounts import YearState, account_year, base_state, draw_totals
from sinergi.national.inputs import PowerFactor, RouteIntensity, national_factors
from sinergi.national.scenarios import (
    ScenarioSpec,
    _year_factors,
    run_scenario,
    scenario_state,
    scenario_utilisation,
)
from sinergi.national.synthetic import synthetic_registry
from sinergi.reports.national_routes import (
    ROUTE_PRODUCTS,
    RouteInputs,
    _draws_per_network,
    route_inputs,
)

TARGET_SECONDS = 10.0
SCENARIO = Path(__file__).resolve().parent.parent / "src/sinergi/data/national/scenarios"


def cli(*args: str) -> tuple[float, float]:
    """Run ``sinergi ARGS`` as a child; return (wall seconds, peak RSS GiB)."""
    code = "from sinergi.cli import main; main()"
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"sinergi {' '.join(args)} failed")
    return wall, usage.ru_maxrss / 2**20


def naive_draws(
    states: list[YearState],
    intensities: dict[str, RouteIntensity],
    factors: list[dict[str, PowerFactor]],
    draws: int,
) -> np.ndarray:
    """The peer: every smelter's CO2e recomputed for every year and draw, one by one."""
    national = national_factors()
    out = np.zeros((len(states), draws))
    for y, (state, year_factors) in enumerate(zip(states, factors, strict=True)):
        accounts, _ = account_year(state, intensities, year_factors, national)
        for d in range(draws):
            total = 0.0
            for a in accounts:
                if a.co2e is None:
                    continue
                route = intensities[a.smelter.route.value]
                ni = a.ni_t or 0.0
                total += ni * float(route.process_draws[d])  # type: ignore[index]
                if not route.electricity_known:
                    continue
                mwh = ni * float(route.electricity_draws[d])  # type: ignore[index]
                for part in a.supply:
                    f = year_factors[part.factor]
                    ef = f.value if f.draws is None else float(f.draws[d])
                    total += mwh * part.share * ef
            out[y, d] = total
    return out


def _work(inputs: RouteInputs) -> str:
    """Return what the route draws took: networks built and factorisations, honestly."""
    how = "stacked dense solve" if inputs.stacked else "one network per draw"
    return (
        f"{inputs.networks} network(s) built, {inputs.factorisations} factorisations "
        f"({how}; each draw changes A, so each has its own LU)"
    )


def route_peer(inputs: RouteInputs, draws: int) -> None:
    """Time the previous path (a network built and factorised per draw) and compare numbers."""
    model = FootprintModel()
    settings = model.settings()
    net = model.network(settings)
    start = time.perf_counter()
    peer = _draws_per_network(model, settings, net, draws, inputs.seed)
    t_peer = time.perf_counter() - start
    order = list(ROUTE_PRODUCTS)
    routes = list(inputs.intensities.values())
    ours = np.array([[r.process_draws, r.electricity_draws] for r in routes])
    theirs = np.array(
        [[peer.process[order.index(r.route)], peer.mwh[order.index(r.route)]] for r in routes]
    )
    agree = np.allclose(ours, theirs, rtol=1e-9, atol=1e-12)
    print(
        f"peer route draws, one network per draw ({draws}): {t_peer:.2f} s, {peer.networks} "
        f"networks built and {model.factorisations} sparse factorisations; same numbers "
        f"(1e-9 relative): {agree}"
    )


def run_cli(folder: Path, registry_file: Path, draws: int, to: int) -> None:
    """Time the accounts and scenario commands as a user runs them, cold and warm cache.

    Cold: the route draws are computed (a fresh ``SINERGI_CACHE_DIR``); warm: a later command
    on the same draws reuses them.
    """
    common = ["--registry", str(registry_file), "--mc", str(draws), "--format", "json"]
    accounts = ["national", "accounts", "--year", "2023", *common, "--out", str(folder / "a.json")]
    scenario = [
        "national", "scenario", "captive-coal-phaseout", "--to", str(to), *common,
        "--out", str(folder / "s.json"),
    ]  # fmt: skip
    os.environ["SINERGI_CACHE_DIR"] = "off"
    for name, args in (("accounts 2023", accounts), (f"scenario to {to}", scenario)):
        wall, rss = cli(*args)
        met = "met" if wall <= TARGET_SECONDS else "NOT met"
        print(f"CLI {name}, {draws} draws, no cache: {wall:.2f} s, {rss:.2f} GiB ({met})")
    os.environ["SINERGI_CACHE_DIR"] = str(folder / "cache")
    for name, args in (("accounts 2023 (cold)", accounts), (f"scenario to {to} (warm)", scenario)):
        wall, rss = cli(*args)
        met = "met" if wall <= TARGET_SECONDS else "NOT met"
        print(f"CLI {name}, {draws} draws, cache: {wall:.2f} s, {rss:.2f} GiB ({met})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plants", type=int, default=500)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--to", type=int, default=2060)
    parser.add_argument("--peer-draws", type=int, default=50)
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="sinergi-national-bench-"))
    registry_file = folder / "registry.xlsx"
    wall, _ = cli(
        "smelters",
        "synth",
        "--plants",
        str(args.plants),
        "--units",
        str(args.units),
        "--out",
        str(registry_file),
    )
    print(f"registry: {args.plants} plants, {args.units} units, written in {wall:.2f} s")
    if not args.skip_cli:
        run_cli(folder, registry_file, args.draws, args.to)

    registry = synthetic_registry(args.plants, args.units, 20231)
    start = time.perf_counter()
    inputs = route_inputs(draws=args.draws, seed=20231)
    t_routes = time.perf_counter() - start
    spec = ScenarioSpec.model_validate(
        read_scenario_document(SCENARIO / "captive-coal-phaseout.yaml")
    )
    national = national_factors()
    start = time.perf_counter()
    trajectory = run_scenario(
        spec, registry, inputs.intensities, inputs.factors, national, to=args.to
    )
    t_engine = time.perf_counter() - start
    print(f"route draws ({args.draws}): {t_routes:.2f} s, {_work(inputs)}")
    route_peer(inputs, args.draws)
    print(
        f"scenario engine, {len(trajectory.years)} years x {args.draws} draws: {t_engine:.2f} s;"
        f" {trajectory.aggregations} yearly aggregations, each reused by {trajectory.draws} draws"
    )

    base = base_state(registry, spec.base_year, inputs.intensities)
    utilisation = scenario_utilisation(spec, base)
    years = range(spec.base_year, args.to + 1)
    states = [scenario_state(spec, base, y, inputs.intensities, utilisation) for y in years]
    year_factors = [_year_factors(spec, inputs.factors, y) for y in years]
    start = time.perf_counter()
    peer = naive_draws(states, inputs.intensities, year_factors, args.peer_draws)
    t_peer = (time.perf_counter() - start) * args.draws / args.peer_draws
    check = []
    for state, factors in zip(states[:3], year_factors[:3], strict=True):
        accounts, _ = account_year(state, inputs.intensities, factors, national)
        check.append(draw_totals(accounts, inputs.intensities, factors, args.draws)["national"])
    agree = np.allclose(np.array(check)[:, : args.peer_draws], peer[:3], rtol=1e-9)
    print(
        f"peer naive per-draw loop: {t_peer:.1f} s for {args.draws} draws (timed on "
        f"{args.peer_draws}, scaled linearly); agrees on shared draws: {agree}"
    )
    print(f"ratio scenario engine / peer: {t_engine / t_peer:.3f}")

    model = FootprintModel()
    start = time.perf_counter()
    for product, _feed in ROUTE_PRODUCTS.values():
        route_monte_carlo(model, product, iterations=100, seed=1)
    t_per_route = time.perf_counter() - start
    start = time.perf_counter()
    joint = route_inputs(draws=100, seed=1)
    t_joint = time.perf_counter() - start
    print(
        f"route draws, 100 each: joint {t_joint:.2f} s ({_work(joint)}) "
        f"vs per-route footprint Monte Carlo {t_per_route:.2f} s "
        f"({len(ROUTE_PRODUCTS)} routes x 100 networks); ratio {t_joint / t_per_route:.3f}"
    )


if __name__ == "__main__":
    main()
