"""Seeded synthetic LCA systems for the footprint tests (shapes like a small LCI database).

Processes are listed upstream-last: process ``j`` mostly takes inputs from ``i > j``; a share
``back`` of inputs comes from a nearby downstream process (``j - 5 <= i < j``), which makes
small loops (strongly connected blocks). Inputs are U(0, 0.9 / inputs) and negative, so A is
column diagonally dominant and well conditioned. Every number is synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from sinergi.footprint.lca import Distribution, Uncertainty


@dataclass(frozen=True)
class System:
    """A, B, c and a demand, all synthetic."""

    technosphere: sp.csc_array
    biosphere: sp.csc_array
    factors: np.ndarray
    demand: np.ndarray


def make_system(n: int, seed: int, *, inputs: int = 4, flows: int = 7, back: float = 0.2) -> System:
    """Return a seeded system of ``n`` processes and ``flows`` elementary flows."""
    rng = np.random.default_rng(seed)
    cols = np.repeat(np.arange(n), inputs)
    loop = rng.random(len(cols)) < back
    span = np.maximum(n - 1 - cols, 1)
    up = cols + 1 + (rng.random(len(cols)) * span).astype(np.int64)
    down = cols - 1 - rng.integers(0, 5, len(cols))
    rows = np.where(loop, down, up)
    keep = (rows >= 0) & (rows < n) & (rows != cols)
    rows, cols = rows[keep], cols[keep]
    vals = -rng.uniform(0, 0.9 / inputs, len(rows))
    a = sp.csc_array(
        (
            np.concatenate([np.ones(n), vals]),
            (np.concatenate([np.arange(n), rows]), np.concatenate([np.arange(n), cols])),
        ),
        shape=(n, n),
    )
    a.sum_duplicates()
    b_rows = np.concatenate([np.arange(flows), rng.integers(0, flows, 2 * n)])
    b_cols = np.concatenate([rng.integers(0, n, flows), np.repeat(np.arange(n), 2)])
    b = sp.csc_array((rng.lognormal(0, 1, len(b_rows)), (b_rows, b_cols)), shape=(flows, n))
    b.sum_duplicates()
    demand = np.zeros(n)
    demand[rng.integers(0, n, 3)] = rng.uniform(0.5, 2, 3)
    return System(a, b, rng.uniform(0, 10, flows), demand)


def lognormal_inputs(system: System, sigma: float) -> Uncertainty:
    """Return a lognormal uncertainty (geometric σ = ``sigma``) on every input of A."""
    a = system.technosphere.tocoo()
    off = a.row != a.col
    return Uncertainty.of(
        "technosphere",
        a.row[off],
        a.col[off],
        np.full(off.sum(), int(Distribution.LOGNORMAL)),
        np.log(np.abs(a.data[off])),
        np.full(off.sum(), sigma),
    )
