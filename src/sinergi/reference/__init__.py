"""Reference data shared by every engine: provenance, the bibliography, emission factors.

This layer sits beside :mod:`sinergi.model`: it imports only :mod:`sinergi.errors`,
:mod:`sinergi.units` and :mod:`sinergi.i18n`, and every engine may read it.
"""

from __future__ import annotations

from sinergi.reference.bibliography import Reference, bibliography, cite
from sinergi.reference.provenance import (
    Basis,
    Confidence,
    Provenance,
    Sourced,
    SourcedShare,
    describe,
    illustrative_notes,
)

__all__ = [
    "Basis",
    "Confidence",
    "Provenance",
    "Reference",
    "Sourced",
    "SourcedShare",
    "bibliography",
    "cite",
    "describe",
    "illustrative_notes",
]
