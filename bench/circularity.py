"""Stock-model benchmark: sinergi.circularity against flodym 1.1 in the same run.

Usage: ``python bench/circularity.py [--repeats 7] [--scenarios 1000] [--flodym-scenarios 50]``

Case (a): 60 years x 3 vehicle types x 3 chemistries x 34 provinces (306 cells), seeded
synthetic inflows (illustrative numbers) and lifetime parameters that differ in every cell;
inflow-driven and stock-driven, for each lifetime distribution. Each repeat builds a fresh
lifetime model in both tools (a new parameter set), so neither reuses a cached survival table.
sinergi is timed twice: totals only (what ``inflow_driven``/``stock_driven`` compute; the
cohort arrays are lazy) and with both cohort arrays (stock and outflow by cohort)
materialised, which flodym always computes; a ratio is printed for each. Peak memory is
measured with the cohort arrays materialised.

Case (b): a sweep of lifetime-parameter scenarios on case (a) (Weibull; every scenario draws
new scale and shape in every cell), inflow-driven and stock-driven, totals per scenario kept.
sinergi runs all ``--scenarios`` through its public API in a loop, keeping totals (and, in
the ``inflow+c`` row, also materialising both cohort arrays as flodym does); flodym runs
``--flodym-scenarios`` of them the same way and its time is scaled linearly to the full
count (printed as such).

Case (c): case (a) with Weibull scales that change by cohort (a time axis: each year's packs
last 0.8-1.3 times the base), flodym's cohort-varying form; inflow-driven (totals, and with
both cohort arrays) and stock-driven, against flodym.

Times are medians of ``--repeats``; peak memory is tracemalloc's peak over one run (numpy
allocations are traced). Ratio = flodym time / sinergi time (above 1 = sinergi faster).
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import flodym as fd
import numpy as np

from sinergi.circularity import Fixed, LogNormal, Normal, Weibull, inflow_driven, stock_driven

T, V, C, R = 60, 3, 3, 34
KINDS = ("fixed", "normal", "lognormal", "weibull")


def make_inputs(seed: int = 2026) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    growth = np.linspace(1.0, 50.0, T)[:, None, None, None]
    inflow = growth * rng.uniform(0.5, 1.5, (T, V, C, R)) * 1000.0
    mean = rng.uniform(3.0, 15.0, (V, C, R))
    return {
        "inflow": inflow,
        "mean": mean,
        "std": mean * rng.uniform(0.2, 0.4, (V, C, R)),
        "shape": rng.uniform(1.5, 5.0, (V, C, R)),
        "fixed": np.round(mean),
    }


def dims() -> fd.DimensionSet:
    return fd.DimensionSet(
        dim_list=[
            fd.Dimension(name="time", letter="t", items=list(range(1990, 1990 + T))),
            fd.Dimension(name="vehicle", letter="v", items=[f"v{i}" for i in range(V)]),
            fd.Dimension(name="chemistry", letter="c", items=[f"c{i}" for i in range(C)]),
            fd.Dimension(name="province", letter="r", items=[f"p{i}" for i in range(R)]),
        ]
    )


def ours_lifetime(kind: str, p: dict[str, Any]) -> Any:
    if kind == "fixed":
        return Fixed(p["fixed"])
    if kind == "normal":
        return Normal(p["mean"], p["std"])
    if kind == "lognormal":
        return LogNormal(p["mean"], p["std"])
    return Weibull(p["mean"], p["shape"])


def flodym_lifetime(kind: str, p: dict[str, Any], d: fd.DimensionSet) -> Any:
    cells = d[("v", "c", "r")]

    def arr(x: np.ndarray) -> fd.FlodymArray:
        return fd.FlodymArray(dims=cells, values=x)

    if kind == "fixed":
        return fd.FixedLifetime(dims=d, mean=arr(p["fixed"]))
    if kind == "normal":
        return fd.NormalLifetime(dims=d, mean=arr(p["mean"]), std=arr(p["std"]))
    if kind == "lognormal":
        return fd.LogNormalLifetime(dims=d, mean=arr(p["mean"]), std=arr(p["std"]))
    return fd.WeibullLifetime(dims=d, weibull_scale=arr(p["mean"]), weibull_shape=arr(p["shape"]))


def flodym_inflow(kind: str, p: dict[str, Any], d: fd.DimensionSet) -> Any:
    model = fd.InflowDrivenDSM(dims=d, lifetime_model=flodym_lifetime(kind, p, d))
    model.inflow[...] = p["inflow"]
    model.compute()
    return model


def flodym_stock(kind: str, p: dict[str, Any], d: fd.DimensionSet, stock: np.ndarray) -> Any:
    model = fd.StockDrivenDSM(dims=d, lifetime_model=flodym_lifetime(kind, p, d))
    model.stock[...] = stock
    model.compute()
    return model


def ours_full(result: Any) -> Any:
    _ = result.stock_by_cohort, result.outflow_by_cohort
    return result


def timed(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def peak_mib(fn: Callable[[], Any]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def rel_diff(a: np.ndarray, b: np.ndarray) -> float:
    floor = 1e-9 * float(np.abs(b).max())
    return float((np.abs(a - b) / np.maximum(np.abs(b), floor)).max())


def row(
    model: str, kind: str, t_f: float, t_tot: float, t_o: float, m_f: float, m_o: float, diff: float
) -> None:
    print(
        f"{model:<8}{kind:<11}{t_f * 1e3:>10.2f}{t_tot * 1e3:>10.2f}{t_f / t_tot:>7.1f}"
        f"{t_o * 1e3:>12.2f}{t_f / t_o:>7.1f}{m_f:>11.1f}{m_o:>9.1f}{diff:>13.1e}"
    )


def case_a(p: dict[str, Any], repeats: int) -> None:
    d = dims()
    print(f"(a) {T} years x {V} types x {C} chemistries x {R} provinces; median of {repeats}")
    header = (
        f"{'model':<8}{'lifetime':<11}{'flodym ms':>10}{'totals ms':>10}{'ratio':>7}"
        f"{'+cohorts ms':>12}{'ratio':>7}{'flodym MiB':>11}{'ours MiB':>9}{'max rel diff':>13}"
    )
    print(header)
    for kind in KINDS:
        lt = ours_lifetime(kind, p)
        t_f, peer = timed(lambda kind=kind: flodym_inflow(kind, p, d), repeats)
        t_o, ours = timed(lambda lt=lt: ours_full(inflow_driven(p["inflow"], lt)), repeats)
        t_tot, _ = timed(lambda lt=lt: inflow_driven(p["inflow"], lt), repeats)
        m_f = peak_mib(lambda kind=kind: flodym_inflow(kind, p, d))
        m_o = peak_mib(lambda lt=lt: ours_full(inflow_driven(p["inflow"], lt)))
        diff = max(
            rel_diff(ours.stock, peer.stock.values),
            rel_diff(ours.outflow, peer.outflow.values),
            rel_diff(ours.stock_by_cohort, peer.get_stock_by_cohort()),
        )
        row("inflow", kind, t_f, t_tot, t_o, m_f, m_o, diff)
        s = ours.stock
        t_f, peer = timed(lambda kind=kind, s=s: flodym_stock(kind, p, d, s), repeats)
        t_o, ours_s = timed(lambda lt=lt, s=s: ours_full(stock_driven(s, lt)), repeats)
        t_tot, _ = timed(lambda lt=lt, s=s: stock_driven(s, lt), repeats)
        m_f = peak_mib(lambda kind=kind, s=s: flodym_stock(kind, p, d, s))
        m_o = peak_mib(lambda lt=lt, s=s: ours_full(stock_driven(s, lt)))
        diff = max(
            rel_diff(ours_s.inflow, peer.inflow.values),
            rel_diff(ours_s.outflow, peer.outflow.values),
        )
        row("stock", kind, t_f, t_tot, t_o, m_f, m_o, diff)


def scenario_parameters(p: dict[str, Any], n: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    return [
        {
            **p,
            "mean": p["mean"] * rng.uniform(0.7, 1.3, p["mean"].shape),
            "shape": rng.uniform(1.5, 5.0, p["shape"].shape),
        }
        for _ in range(n)
    ]


def case_b(p: dict[str, Any], n: int, n_flodym: int, repeats: int) -> None:
    d = dims()
    params = scenario_parameters(p, n)
    stock = inflow_driven(p["inflow"], ours_lifetime("weibull", p)).stock
    print(
        f"\n(b) sweep of {n} Weibull lifetime scenarios on case (a); median of {repeats}; "
        f"flodym runs {n_flodym} scenarios, scaled x{n / n_flodym:g}"
    )
    print(f"{'model':<8}{'flodym s':>10}{'ours s':>9}{'ratio':>7}{'flodym MiB':>11}{'ours MiB':>9}")

    def ours_in() -> list[float]:
        return [
            float(inflow_driven(q["inflow"], ours_lifetime("weibull", q)).outflow.sum())
            for q in params
        ]

    def ours_in_cohorts() -> list[float]:
        return [
            float(ours_full(inflow_driven(q["inflow"], ours_lifetime("weibull", q))).outflow.sum())
            for q in params
        ]

    def ours_st() -> list[float]:
        return [
            float(stock_driven(stock, ours_lifetime("weibull", q)).inflow.sum()) for q in params
        ]

    def peer_in() -> list[float]:
        return [
            float(flodym_inflow("weibull", q, d).outflow.values.sum()) for q in params[:n_flodym]
        ]

    def peer_st() -> list[float]:
        return [
            float(flodym_stock("weibull", q, d, stock).inflow.values.sum())
            for q in params[:n_flodym]
        ]

    q = params[0]
    one = {
        "inflow": (
            lambda: inflow_driven(q["inflow"], ours_lifetime("weibull", q)),
            lambda: flodym_inflow("weibull", q, d),
        ),
        "inflow+c": (
            lambda: ours_full(inflow_driven(q["inflow"], ours_lifetime("weibull", q))),
            lambda: flodym_inflow("weibull", q, d),
        ),
        "stock": (
            lambda: stock_driven(stock, ours_lifetime("weibull", q)),
            lambda: flodym_stock("weibull", q, d, stock),
        ),
    }
    runs = (
        ("inflow", ours_in, peer_in),
        ("inflow+c", ours_in_cohorts, peer_in),
        ("stock", ours_st, peer_st),
    )
    for label, ours, peer in runs:
        t_o, got = timed(ours, repeats)
        t_f, want = timed(peer, repeats)
        t_f *= n / n_flodym
        np.testing.assert_allclose(got[:n_flodym], want, rtol=1e-9)
        m_o, m_f = (peak_mib(fn) for fn in one[label])
        print(f"{label:<8}{t_f:>10.2f}{t_o:>9.2f}{t_f / t_o:>7.1f}{m_f:>11.1f}{m_o:>9.1f}")
    print(
        "(inflow+c: sinergi also materialises both cohort arrays of every scenario, as flodym does)"
    )
    print("(sweep memory: peak of one scenario; each scenario's arrays are freed before the next)")


def case_c(p: dict[str, Any], repeats: int) -> None:
    d = dims()
    scale = p["mean"][np.newaxis] * np.linspace(0.8, 1.3, T)[:, None, None, None]
    print(f"\n(c) case (a) with Weibull scales varying by cohort (T x cells); median of {repeats}")
    print(
        f"{'model':<8}{'flodym ms':>10}{'totals ms':>10}{'ratio':>7}{'+cohorts ms':>12}{'ratio':>7}"
    )

    def peer_lifetime() -> Any:
        return fd.WeibullLifetime(
            dims=d,
            weibull_scale=fd.FlodymArray(dims=d, values=scale.copy()),
            weibull_shape=fd.FlodymArray(dims=d[("v", "c", "r")], values=p["shape"]),
        )

    def peer_inflow() -> Any:
        model = fd.InflowDrivenDSM(dims=d, lifetime_model=peer_lifetime())
        model.inflow[...] = p["inflow"]
        model.compute()
        return model

    lifetime = Weibull(scale, p["shape"])
    t_f, peer = timed(peer_inflow, repeats)
    t_tot, ours = timed(lambda: inflow_driven(p["inflow"], lifetime), repeats)
    t_o, _ = timed(lambda: ours_full(inflow_driven(p["inflow"], lifetime)), repeats)
    assert rel_diff(ours.stock, peer.stock.values) < 1e-9
    print(
        f"{'inflow':<8}{t_f * 1e3:>10.2f}{t_tot * 1e3:>10.2f}{t_f / t_tot:>7.1f}"
        f"{t_o * 1e3:>12.2f}{t_f / t_o:>7.1f}"
    )
    stock = ours.stock

    def peer_stock() -> Any:
        model = fd.StockDrivenDSM(dims=d, lifetime_model=peer_lifetime())
        model.stock[...] = stock
        model.compute()
        return model

    t_f, peer = timed(peer_stock, repeats)
    t_tot, ours_s = timed(lambda: stock_driven(stock, lifetime), repeats)
    assert rel_diff(ours_s.inflow, peer.inflow.values) < 1e-9
    print(f"{'stock':<8}{t_f * 1e3:>10.2f}{t_tot * 1e3:>10.2f}{t_f / t_tot:>7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--scenarios", type=int, default=1000)
    parser.add_argument("--flodym-scenarios", type=int, default=50)
    parser.add_argument("--sweep-repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"flodym 1.1 (installed dev dependency), numpy {np.__version__}")
    p = make_inputs()
    case_a(p, args.repeats)
    case_b(p, args.scenarios, args.flodym_scenarios, args.sweep_repeats)
    case_c(p, args.repeats)


if __name__ == "__main__":
    main()
