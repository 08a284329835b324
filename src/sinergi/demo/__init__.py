"""Demonstration data: seven real parks with synthetic tenants, and a national synthesiser.

:func:`demo_ecosystem` builds the GEIPP Indonesia pilots (KIIC, MM2100, Batamindo, GIIC
Deltamas, KIM) and the nickel parks IWIP and IMIP with their sourced facts, and fills them with
seeded synthetic tenants and flows. :func:`synthesise` builds a large, fully synthetic national
ecosystem for scale tests. Sourced values live in ``parks.yaml`` and ``intensities.yaml``;
illustrative archetypes in ``sectors.yaml``. Every company made here is ``synthetic=True``.
"""

from __future__ import annotations

from sinergi.demo.ecosystem import demo_ecosystem
from sinergi.demo.reference import load_intensities, load_parks, load_sectors
from sinergi.demo.synth import SynthesisError, synthesise

__all__ = [
    "SynthesisError",
    "demo_ecosystem",
    "load_intensities",
    "load_parks",
    "load_sectors",
    "synthesise",
]
