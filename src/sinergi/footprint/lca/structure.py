"""Strongly connected blocks of a technosphere and a solve order, suppliers first."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from sinergi.footprint.lca.arrays import IndexArray


@dataclass(frozen=True, slots=True)
class BlockStructure:
    """Strongly connected blocks of a technosphere, in solve order (suppliers first).

    Attributes
    ----------
    order
        Process indices grouped by block, blocks in solve order.
    starts
        Block ``b`` is ``order[starts[b]:starts[b + 1]]``.
    block_of
        Block number of each process index.
    """

    order: IndexArray
    starts: IndexArray
    block_of: IndexArray

    @property
    def sizes(self) -> IndexArray:
        """Return the number of processes in each block."""
        return np.diff(self.starts)

    @property
    def largest(self) -> int:
        """Return the size of the largest strongly connected block."""
        return int(self.sizes.max()) if len(self.starts) > 1 else 0

    @property
    def n_blocks(self) -> int:
        """Return the number of blocks."""
        return len(self.starts) - 1


def block_structure(technosphere: sp.sparray | sp.spmatrix) -> BlockStructure:
    """Find the strongly connected blocks of A and a solve order, suppliers first.

    Row ``i``'s equation reads ``x_j`` for every ``A[i, j] != 0``, so the block holding
    ``j`` is solved before the block holding ``i``. SciPy numbers components so that this
    holds already; the order is checked and repaired by a topological sort if it does not.
    """
    graph = sp.csr_array(technosphere)
    n_comp, labels = connected_components(graph, directed=True, connection="strong")
    labels = labels.astype(np.int64)
    coo = graph.tocoo()
    src, dst = labels[coo.row], labels[coo.col]
    cross = src != dst
    if not np.all(src[cross] > dst[cross]):
        labels = _topological_labels(n_comp, labels, src[cross], dst[cross])
    order = np.argsort(labels, kind="stable").astype(np.int64)
    starts = np.searchsorted(labels[order], np.arange(n_comp + 1)).astype(np.int64)
    return BlockStructure(order=order, starts=starts, block_of=labels)


def _topological_labels(
    n_comp: int, labels: IndexArray, src: IndexArray, dst: IndexArray
) -> IndexArray:
    """Relabel components so that each one comes after every component it reads (Kahn)."""
    # needed_by[d] lists the components whose equations read component d
    needed_by = sp.csr_array((np.ones(len(src)), (dst, src)), shape=(n_comp, n_comp))
    waiting = np.bincount(needed_by.indices, minlength=n_comp)
    ready = list(np.flatnonzero(waiting == 0))
    rank = np.empty(n_comp, dtype=np.int64)
    for nxt in range(n_comp):
        c = ready.pop()
        rank[c] = nxt
        for d in needed_by.indices[needed_by.indptr[c] : needed_by.indptr[c + 1]]:
            waiting[d] -= 1
            if waiting[d] == 0:
                ready.append(d)
    return rank[labels]
