"""Footprint engine benchmark: sinergi.footprint against bw2calc 3.1 in the same run.

Usage: ``python bench/footprint.py [--sizes 2000 20000] [--demands 1000] [--mc 100]
[--uniform 2000]``

Generated systems (``generate``; synthetic, every number illustrative) are shaped like an LCI
database rather than a random matrix:

* activities are numbered in supply-chain order: activity ``j`` takes its inputs mostly from
  *upstream* activities ``i > j`` (any of them, uniformly), so without back edges A would be
  triangular;
* the most upstream ``core`` share (15 %: energy, transport, basic chemicals) also takes
  inputs back from *nearby downstream* activities (``j - window <= i < j``) with probability
  ``core_back``; these local loops chain the core into one strongly connected block of a
  few thousand activities at n = 20,000 (the size is printed);
* outside the core, a share ``cluster_back`` of inputs comes from the activity's own cluster
  of ``cluster`` consecutive activities, forming small local loops, like co-product or
  recycling loops inside one industry;
* production 1.0 on the diagonal; ``k - 1 = 9`` inputs per column drawn U(0, 0.9 / 9) and
  stored negative, so A is column diagonally dominant (as in the reference note §5);
* biosphere: n / 10 flows, 5 per activity, lognormal(0, 1) amounts; one factor U(0, 10) per
  flow; Monte Carlo: lognormal σ = 0.2 on every input and biosphere entry.

Workloads: one solve (factorise + solve one demand, each engine from matrices already
built), 1,000 demands (sinergi: one block right-hand side; bw2calc: ``MultiLCA`` and
``FastScoresOnlyMultiLCA``, best kept), and Monte Carlo iterations (sinergi ``MonteCarlo``
serial; bw2calc ``LCA`` with distributions and ``JacobiGMRESLCA``, best kept). Both
engines use SciPy SuperLU unless pypardiso/scikit-umfpack are installed.
Ratio = sinergi time / bw2calc time (below 1 = sinergi faster).
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components


def generate(
    n: int,
    *,
    seed: int = 42,
    k: int = 10,
    core: float = 0.15,
    window: int = 30,
    core_back: float = 0.15,
    cluster: int = 40,
    cluster_back: float = 0.03,
) -> dict[str, Any]:
    """Return a synthetic LCI-like system as plain arrays (see the module docstring)."""
    rng = np.random.default_rng(seed)
    m = k - 1
    cols = np.repeat(np.arange(n), m)
    core_start = int(n * (1 - core))
    in_core = cols >= core_start
    back = rng.random(n * m) < np.where(in_core, core_back, cluster_back)
    rows = np.empty(n * m, dtype=np.int64)
    # upstream inputs: any activity above j (the most upstream one loops back into the core)
    up = ~back
    span = n - 1 - cols[up]
    rows[up] = np.where(
        span > 0,
        cols[up] + 1 + (rng.random(up.sum()) * np.maximum(span, 1)).astype(np.int64),
        core_start,
    )
    # core back edges: a nearby downstream activity, chaining the core into one block
    cb = back & in_core
    rows[cb] = np.maximum(cols[cb] - 1 - rng.integers(0, window, cb.sum()), core_start)
    # cluster back edges: any activity of the same cluster
    lb = back & ~in_core
    start = (cols[lb] // cluster) * cluster
    rows[lb] = np.minimum(start + rng.integers(0, cluster, lb.sum()), core_start - 1)
    rows = np.where(rows == cols, np.minimum(rows + 1, n - 1), rows)
    keep = rows != cols
    rows, cols = rows[keep], cols[keep]
    vals = rng.uniform(0, 0.9 / m, size=len(rows))
    tech_rows = np.concatenate([np.arange(n), rows])
    tech_cols = np.concatenate([np.arange(n), cols])
    tech_vals = np.concatenate([np.ones(n), -vals])
    nb, kb = max(n // 10, 1), 5
    bio_cols = np.repeat(np.arange(n), kb)
    bio_rows = rng.integers(0, nb, size=n * kb)
    bio_vals = rng.lognormal(0, 1, size=n * kb)
    return {
        "tech": (tech_rows, tech_cols, tech_vals),
        "bio": (bio_rows, bio_cols, bio_vals),
        "n": n,
        "nb": nb,
        "factors": rng.uniform(0, 10, size=nb),
        "n_inputs": len(rows),
    }


def generate_uniform(n: int, *, seed: int = 42, k: int = 10) -> dict[str, Any]:
    """Return the worst case: each activity takes ``k - 1`` inputs from uniformly random others.

    No supply-chain order, so almost the whole matrix is one strongly connected block and a
    direct LU fills in badly; the same amounts, biosphere and factors as :func:`generate`.
    """
    rng = np.random.default_rng(seed)
    m = k - 1
    cols = np.repeat(np.arange(n), m)
    rows = rng.integers(0, n - 1, size=n * m)
    rows = np.where(rows >= cols, rows + 1, rows)  # never the diagonal
    system = generate(n, seed=seed, k=k)
    vals = rng.uniform(0, 0.9 / m, size=len(rows))
    system["tech"] = (
        np.concatenate([np.arange(n), rows]),
        np.concatenate([np.arange(n), cols]),
        np.concatenate([np.ones(n), -vals]),
    )
    system["n_inputs"] = len(rows)
    return system


def matrices(system: dict[str, Any]) -> tuple[sp.csc_array, sp.csc_array]:
    """Build A and B (duplicates summed) from the generated triplets."""
    n, nb = system["n"], system["nb"]
    r, c, v = system["tech"]
    a = sp.csc_array((v, (r, c)), shape=(n, n))
    r, c, v = system["bio"]
    b = sp.csc_array((v, (r, c)), shape=(nb, n))
    a.sum_duplicates()
    b.sum_duplicates()
    return a, b


def largest_block(a: sp.csc_array) -> int:
    """Return the size of the largest strongly connected component of A."""
    _, labels = connected_components(a, directed=True, connection="strong")
    return int(np.bincount(labels).max())


def timed(fn: Any, repeat: int = 1) -> tuple[float, Any]:
    """Return the best wall time of ``repeat`` calls and the last result."""
    best, out = np.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def uncertainty_specs(a: sp.csc_array, b: sp.csc_array) -> list[Any]:
    """Return lognormal σ = 0.2 specifications on every input and every biosphere entry."""
    from sinergi.footprint.lca import Uncertainty

    ta, tb = a.tocoo(), b.tocoo()
    off = ta.row != ta.col
    return [
        Uncertainty.of(
            "technosphere",
            ta.row[off],
            ta.col[off],
            np.full(off.sum(), 2),
            np.log(np.abs(ta.data[off])),
            np.full(off.sum(), 0.2),
        ),
        Uncertainty.of(
            "biosphere", tb.row, tb.col, np.full(tb.nnz, 2), np.log(tb.data), np.full(tb.nnz, 0.2)
        ),
    ]


def datapackage(system: dict[str, Any], *, distributions: bool = False) -> Any:
    """Return the same system as a bw_processing datapackage (ids: processes 1..n)."""
    import bw_processing as bwp

    a, b = matrices(system)
    dp = bwp.create_datapackage(seed=7)
    for name, mat, offset in (("technosphere_matrix", a, 1), ("biosphere_matrix", b, 10**7)):
        coo = mat.tocoo()
        idx = np.empty(coo.nnz, dtype=bwp.INDICES_DTYPE)
        idx["row"], idx["col"] = coo.row + offset, coo.col + 1
        kwargs: dict[str, Any] = {}
        if distributions:
            dist = np.zeros(coo.nnz, dtype=bwp.UNCERTAINTY_DTYPE)
            vary = coo.row != coo.col if name == "technosphere_matrix" else np.ones(coo.nnz, bool)
            dist["uncertainty_type"] = np.where(vary, 2, 0)
            dist["loc"] = np.where(vary, np.log(np.abs(coo.data)), coo.data)
            dist["scale"] = np.where(vary, 0.2, np.nan)
            dist["negative"] = coo.data < 0
            for f in ("shape", "minimum", "maximum"):
                dist[f] = np.nan
            kwargs["distributions_array"] = dist
        dp.add_persistent_vector(
            matrix=name, indices_array=idx, data_array=coo.data, name=name, **kwargs
        )
    flows = np.arange(system["nb"]) + 10**7
    idx = np.empty(len(flows), dtype=bwp.INDICES_DTYPE)
    idx["row"] = idx["col"] = flows
    dp.add_persistent_vector(
        matrix="characterization_matrix",
        indices_array=idx,
        data_array=system["factors"],
        name="cf",
        identifier=["gwp"],
    )
    return dp


def bw_one_solve(bc: Any, system: dict[str, Any], cls: str) -> float:
    """Time bw2calc ``lci() + lcia()`` for one demand, matrices already built."""
    model = getattr(bc, cls)({1: 1.0}, data_objs=[datapackage(system)])
    model.load_lci_data()
    model.load_lcia_data()
    t = time.perf_counter()
    model.lci()
    model.lcia()
    return time.perf_counter() - t


def bw_many(bc: Any, system: dict[str, Any], k: int, cls: str, **kw: Any) -> float:
    """Time bw2calc multi-demand ``lci() + lcia()`` for ``k`` single-product demands."""
    demands = {f"fu{i}": {i + 1: 1.0} for i in range(k)}
    config = {"impact_categories": [("gwp",)]}
    model = getattr(bc, cls)(
        demands=demands, method_config=config, data_objs=[datapackage(system)], **kw
    )
    t = time.perf_counter()
    if cls == "FastScoresOnlyMultiLCA":
        next(model)  # its lci/lcia are one step
    else:
        model.lci()
        model.lcia()
    return time.perf_counter() - t


def bw_monte_carlo(bc: Any, system: dict[str, Any], cls: str, iterations: int) -> float:
    """Return bw2calc's median ``next()`` time with distributions (after the first sample)."""
    model = getattr(bc, cls)(
        {1: 1.0},
        data_objs=[datapackage(system, distributions=True)],
        use_distributions=True,
        seed_override=7,
    )
    model.lci()
    model.lcia()
    times = []
    for _ in range(iterations):
        t = time.perf_counter()
        next(model)
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def row(workload: str, ours: float, theirs: float, peer: str) -> None:
    print(
        f"  {workload:<34} sinergi {ours:9.4f} s   bw2calc {theirs:9.4f} s ({peer})   "
        f"ratio {ours / theirs:7.3f}",
        flush=True,
    )


def one_solve(
    bc: Any,
    system: dict[str, Any],
    a: sp.csc_array,
    b: sp.csc_array,
    f: np.ndarray,
    direct_limit: int,
    whole_limit: int,
) -> None:
    """Time one solve: sinergi block LU, whole-matrix LU and iterative vs bw2calc's classes."""
    from sinergi.footprint.lca import available_backends, lca

    n = a.shape[0]
    t_one, result = timed(lambda: lca(a, b, system["factors"], f), 3)
    t_nocheck, _ = timed(lambda: lca(a, b, system["factors"], f, check_condition=False), 3)
    t_iter, iterative = timed(lambda: lca(a, b, system["factors"], f, strategy="iterative"), 3)
    t_bare, _ = timed(
        lambda: lca(a, b, system["factors"], f, strategy="iterative", check_condition=False), 5
    )
    agree = abs(iterative.scores[0] / result.scores[0] - 1)
    print(
        f"  sinergi one solve, iterative (Jacobi-GMRES): {t_iter:.4f} s with the condition "
        f"check, {t_bare:.4f} s without (as bw2calc); relative difference to the block LU "
        f"{agree:.1e}",
        flush=True,
    )
    whole = []
    for backend in available_backends() if n <= whole_limit else ():
        t_whole, _ = timed(
            lambda backend=backend: lca(
                a, b, system["factors"], f, strategy="whole", backend=backend, check_condition=False
            )
        )
        whole.append(f"{backend.value} {t_whole:.4f} s")
    print(
        f"  sinergi one solve: block {t_one:.4f} s (with condition check), "
        f"{t_nocheck:.4f} s without; whole-matrix LU: {', '.join(whole) or 'skipped'}; "
        f"score {result.scores[0]:.6g}",
        flush=True,
    )
    peers = {"JacobiGMRESLCA": bw_one_solve(bc, system, "JacobiGMRESLCA")}
    if n <= direct_limit:
        peers["LCA"] = bw_one_solve(bc, system, "LCA")
    best = min(peers, key=peers.__getitem__)
    print("  bw2calc one solve: " + ", ".join(f"{k} {v:.4f} s" for k, v in peers.items()))
    row("one solve (lca, block LU)", t_one, peers[best], best)
    row("one solve (iterative, condition checked)", t_iter, peers[best], best)
    row("one solve (iterative, like for like)", t_bare, peers[best], best)


WORKLOADS = ("one-solve", "demands", "monte-carlo")


def run_size(bc: Any, n: int, args: argparse.Namespace, *, uniform: bool = False) -> None:
    """Run the chosen workloads on one generated system and print the comparison."""
    system = generate_uniform(n) if uniform else generate(n)
    if uniform:
        print("uniformly random technosphere (worst case, no supply-chain order):", flush=True)
    a, b = matrices(system)
    f = np.zeros(n)
    f[0] = 1.0
    print(
        f"n = {n}: nnz(A) = {a.nnz}, largest strongly connected block = {largest_block(a)}",
        flush=True,
    )
    if "one-solve" in args.only:
        one_solve(bc, system, a, b, f, args.direct_limit, args.whole_limit)
    if "demands" in args.only:
        many_demands(bc, system, a, b, args.demands, args.direct_limit)
    if "monte-carlo" in args.only:
        monte_carlo(bc, system, a, b, f, args.mc, args.bw_mc)


def many_demands(
    bc: Any,
    system: dict[str, Any],
    a: sp.csc_array,
    b: sp.csc_array,
    demands: int,
    direct_limit: int,
) -> None:
    """Time ``demands`` single-product demands in sinergi and bw2calc's multi-demand classes."""
    from sinergi.footprint.lca import LcaSystem, lca

    n = a.shape[0]
    eye = np.zeros((n, demands))
    eye[np.arange(demands), np.arange(demands)] = 1.0
    t_full, _ = timed(lambda: lca(a, b, system["factors"], eye, check_condition=False))
    t_scores, _ = timed(
        lambda: LcaSystem(a, b, system["factors"], check_condition=False).scores(eye)
    )
    many: dict[str, float] = {}
    if n <= direct_limit:
        many["FastScoresOnlyMultiLCA forward"] = bw_many(
            bc, system, demands, "FastScoresOnlyMultiLCA", direction="forward"
        )
        many["FastScoresOnlyMultiLCA adjoint"] = bw_many(
            bc, system, demands, "FastScoresOnlyMultiLCA", direction="adjoint"
        )
        if n <= 5000:
            many["MultiLCA"] = bw_many(bc, system, demands, "MultiLCA")
    print(
        f"  sinergi {demands} demands: supply+inventory+scores {t_full:.4f} s, "
        f"adjoint scores {t_scores:.4f} s; bw2calc: "
        + ", ".join(f"{k} {v:.4f} s" for k, v in many.items()),
        flush=True,
    )
    if many:
        fwd = {k: v for k, v in many.items() if "adjoint" not in k}
        best = min(fwd, key=fwd.__getitem__)
        row(f"{demands} demands, forward", t_full, fwd[best], best)
        row(
            f"{demands} demands, scores (adjoint)",
            t_scores,
            many["FastScoresOnlyMultiLCA adjoint"],
            "FastScoresOnlyMultiLCA adjoint",
        )


def monte_carlo(
    bc: Any,
    system: dict[str, Any],
    a: sp.csc_array,
    b: sp.csc_array,
    f: np.ndarray,
    draws: int,
    bw_draws: int,
) -> None:
    """Time sinergi's Monte Carlo per draw against bw2calc's Monte Carlo-capable classes."""
    from sinergi.footprint.lca import MonteCarlo

    specs = uncertainty_specs(a, b)
    sampler = MonteCarlo(a, b, system["factors"], f, uncertainty=specs, seed=7)
    t_mc, res = timed(lambda: sampler.run(draws))
    per_draw = t_mc / draws
    print(
        f"  sinergi Monte Carlo: {draws} draws {t_mc:.3f} s = {per_draw:.4f} s/draw "
        f"({'iterative' if sampler.model.iterative else 'direct'}), mean {res.mean:.6g}, "
        f"RSE {res.relative_standard_error:.2e}",
        flush=True,
    )
    mcs = {
        cls: bw_monte_carlo(bc, system, cls, bw_draws) for cls in ("JacobiGMRESLCA", "IterativeLCA")
    }
    if a.shape[0] <= 5000:
        mcs["LCA"] = bw_monte_carlo(bc, system, "LCA", bw_draws)
    best = min(mcs, key=mcs.__getitem__)
    print("  bw2calc Monte Carlo next(): " + ", ".join(f"{k} {v:.4f} s" for k, v in mcs.items()))
    row("Monte Carlo, per iteration", per_draw, mcs[best], best)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[2000, 20000])
    parser.add_argument("--demands", type=int, default=1000)
    parser.add_argument("--mc", type=int, default=100)
    parser.add_argument("--bw-mc", type=int, default=10, help="bw2calc MC iterations timed")
    parser.add_argument(
        "--direct-limit",
        type=int,
        default=20000,
        help="largest n for bw2calc's direct (whole-matrix LU) classes",
    )
    parser.add_argument(
        "--whole-limit",
        type=int,
        default=5000,
        help="largest n for sinergi's whole-matrix LU comparison (SuperLU on "
        "Aᵀ took 142 s and PARDISO 95 s at n = 20,000)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=WORKLOADS,
        default=list(WORKLOADS),
        help="time only these workloads (default: all three)",
    )
    parser.add_argument(
        "--uniform",
        type=int,
        default=2000,
        help="size of the uniformly random worst case (0: skip)",
    )
    parser.add_argument(
        "--probe",
        type=int,
        default=0,
        help="only time sinergi's factorisation variants at this size",
    )
    args = parser.parse_args()
    if args.probe:
        probe(args.probe)
        return
    import bw2calc as bc
    import scipy

    solver = "pypardiso" if bc.PYPARDISO else ("umfpack" if bc.UMFPACK else "scipy SuperLU")
    print(f"bw2calc {bc.__version__} ({solver}), scipy {scipy.__version__}", flush=True)
    if bc.PYPARDISO:
        # each new pypardiso solver searches sys.prefix for MKL (~0.4 s) unless this names it;
        # set once for both tools, so neither pays the search inside a timed factorisation
        import pypardiso

        os.environ.setdefault("PYPARDISO_MKL_RT", str(pypardiso.ps.libmkl._name))
        print(f"PYPARDISO_MKL_RT={os.environ['PYPARDISO_MKL_RT']}", flush=True)
    for n in args.sizes:
        run_size(bc, n, args)
    if args.uniform:
        run_size(bc, args.uniform, args, uniform=True)


def probe(n: int) -> None:
    """Print sinergi block vs whole-matrix factorisation times (development aid)."""
    from sinergi.footprint.lca import BlockPlan, WholeLU

    system = generate(n)
    a, _ = matrices(system)
    print(f"n={n} nnz={a.nnz} largest SCC={largest_block(a)}")
    labels = [str(i) for i in range(n)]
    t, plan = timed(lambda: BlockPlan(a))
    print(f"  plan {t:.3f} s")
    values = plan.canonical(a)
    rhs = np.zeros(n)
    rhs[0] = 1
    for tr in (None, True, False):
        t, f = timed(lambda tr=tr: plan.factorize(values, labels, transpose=tr), 3)
        t_solve, _ = timed(lambda f=f: f.solve(rhs), 3)
        print(
            f"  block factorize ordering={tr}: {t:.4f} s, nnz={f.factor_nnz}, solve {t_solve:.4f} s"
        )
    for tr in (True, False):
        t, _ = timed(lambda tr=tr: WholeLU(a, labels, backend="scipy", transpose=tr))
        print(f"  whole SuperLU factorize transpose={tr}: {t:.4f} s")


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    main()
