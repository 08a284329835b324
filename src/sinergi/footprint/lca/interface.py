"""What every factorisation strategy offers, and which sparse backends are installed.

A factorisation solves ``A x = b`` and ``Aᵀ y = g`` for one or many right-hand sides
(:class:`Factorization`). Four strategies implement it (:class:`Strategy`): ``block``
(:mod:`.block_lu`), ``whole`` (:mod:`.whole_lu`), ``iterative`` (:mod:`.iterative`), and
``auto``, which :func:`~sinergi.footprint.lca.factorize.factorize` resolves to ``block`` or
``whole``. Whole-matrix LUs run on SciPy SuperLU, PARDISO or UMFPACK (:class:`SolverBackend`).
"""

from __future__ import annotations

import importlib.util
from enum import StrEnum
from typing import Protocol

from sinergi.errors import SolverUnavailable
from sinergi.footprint.lca.arrays import FloatArray


class SolverBackend(StrEnum):
    """Sparse direct solver used for whole-matrix factorisations."""

    AUTO = "auto"
    SCIPY = "scipy"
    PARDISO = "pardiso"
    UMFPACK = "umfpack"


class Strategy(StrEnum):
    """How the technosphere is factorised."""

    AUTO = "auto"
    BLOCK = "block"
    WHOLE = "whole"
    ITERATIVE = "iterative"


_MODULE_OF = {SolverBackend.PARDISO: "pypardiso", SolverBackend.UMFPACK: "scikits.umfpack"}
_EXTRA_OF = {SolverBackend.PARDISO: "fast", SolverBackend.UMFPACK: "umfpack"}


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def available_backends() -> tuple[SolverBackend, ...]:
    """Return the installed backends, fastest first; SciPy is always there."""
    found = [b for b, mod in _MODULE_OF.items() if _installed(mod)]
    return (*found, SolverBackend.SCIPY)


def resolve_backend(backend: SolverBackend | str) -> SolverBackend:
    """Turn ``auto`` into the fastest installed backend; refuse a named one that is missing."""
    choice = SolverBackend(backend)
    if choice is SolverBackend.AUTO:
        return available_backends()[0]
    if choice is not SolverBackend.SCIPY and not _installed(_MODULE_OF[choice]):
        raise SolverUnavailable(
            f"solver backend {choice.value!r} is not installed; "
            f"run `pip install 'sinergi[{_EXTRA_OF[choice]}]'` or use backend='scipy'"
        )
    return choice


class Factorization(Protocol):
    """A factorised technosphere that solves ``A x = b`` and ``Aᵀ y = g``."""

    n: int
    backend: SolverBackend
    strategy: Strategy

    def solve(self, rhs: FloatArray) -> FloatArray:
        """Return x with ``A x = rhs`` for an ``(n,)`` or ``(n, k)`` right-hand side."""
        ...

    def solve_transposed(self, rhs: FloatArray) -> FloatArray:
        """Return y with ``Aᵀ y = rhs`` for an ``(n,)`` or ``(n, k)`` right-hand side."""
        ...
