"""Map domain ids (process, flow) to matrix indices and back, vectorised.

One small layer owns the correspondence between ids and matrix rows/columns, as matrix_utils'
``ArrayMapper`` does: ids are kept sorted once, and whole arrays of ids are mapped with
:func:`numpy.searchsorted`, so no Python loop runs per id.

Examples
--------
>>> m = IdMapping(["smelter", "mine", "grid"])
>>> m.index(["grid", "smelter"]).tolist()
[2, 0]
>>> m.id([1]).tolist()
['mine']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from sinergi.errors import DuplicateId, UnknownMatrixId

IndexArray = npt.NDArray[np.int64]


class IdMapping:
    """Map ids to matrix indices ``0..n-1`` (their position in ``ids``) and back.

    Parameters
    ----------
    ids
        One id per matrix row or column, in matrix order; ids must be unique and all of one
        kind (all strings or all integers).
    what
        What the ids name (``"process"``, ``"flow"``), used in error messages.
    """

    __slots__ = ("_sorted", "_sorter", "ids", "what")

    def __init__(
        self, ids: Sequence[str] | Sequence[int] | npt.NDArray[np.generic], *, what: str = "id"
    ) -> None:
        self.what = what
        self.ids: npt.NDArray[np.generic] = _as_keys(ids)
        if self.ids.ndim != 1:
            raise UnknownMatrixId(f"{what} ids must be a flat sequence, got shape {self.ids.shape}")
        self._sorter: IndexArray = np.argsort(self.ids, kind="stable").astype(np.int64)
        self._sorted = self.ids[self._sorter]
        if len(self._sorted) > 1:
            same = self._sorted[1:] == self._sorted[:-1]
            if same.any():
                dup = self._sorted[1:][same][:5].tolist()
                raise DuplicateId(f"{what} ids must be unique; repeated: {dup}; rename them")

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, key: object) -> bool:
        pos = int(np.searchsorted(self._sorted, np.asarray([key], dtype=self._sorted.dtype))[0])
        return pos < len(self._sorted) and bool(self._sorted[pos] == key)

    def index(self, ids: Iterable[object] | npt.NDArray[np.generic]) -> IndexArray:
        """Return the matrix index of every id, raising on ids that are not mapped.

        Parameters
        ----------
        ids
            Ids to look up, any iterable or array.

        Returns
        -------
        numpy.ndarray
            Integer indices, same length and order as ``ids``.
        """
        keys = _as_keys(list(ids) if not isinstance(ids, np.ndarray) else ids)
        if keys.size == 0:
            return np.empty(0, dtype=np.int64)
        pos = np.searchsorted(self._sorted, keys)
        found = pos < len(self._sorted)
        found[found] = self._sorted[pos[found]] == keys[found]
        if not found.all():
            missing = keys[~found][:5].tolist()
            raise UnknownMatrixId(
                f"unknown {self.what} id(s) {missing}; known ids are the labels the matrices "
                "were built with — check spelling or add the missing rows/columns"
            )
        return self._sorter[pos]

    def id(self, indices: Iterable[int] | IndexArray) -> npt.NDArray[np.generic]:
        """Return the id of every matrix index.

        Parameters
        ----------
        indices
            Indices in ``0..n-1``.

        Returns
        -------
        numpy.ndarray
            The ids, same length and order as ``indices``.
        """
        idx = np.asarray(
            list(indices) if not isinstance(indices, np.ndarray) else indices, dtype=np.int64
        )
        bad = (idx < 0) | (idx >= len(self.ids))
        if bad.any():
            raise UnknownMatrixId(
                f"{self.what} index {idx[bad][:5].tolist()} is outside 0..{len(self.ids) - 1}"
            )
        return self.ids[idx]

    def label(self, index: int) -> str:
        """Return the id of one index as text, for error messages."""
        return str(self.ids[index])


def _as_keys(ids: object) -> npt.NDArray[np.generic]:
    """Return ids as an array; text as Python strings, since NumPy text drops trailing NULs."""
    if isinstance(ids, np.ndarray):
        return ids.astype(object) if ids.dtype.kind == "U" else ids
    items = list(ids)  # type: ignore[call-overload]
    if items and all(isinstance(x, str) for x in items):
        out = np.empty(len(items), dtype=object)
        out[:] = items
        return out
    return np.asarray(items)


def default_labels(n: int, kind: str) -> list[str]:
    """Return ``"<kind> i"`` labels for matrices given without ids, so errors stay located."""
    return [f"{kind} {i}" for i in range(n)]
