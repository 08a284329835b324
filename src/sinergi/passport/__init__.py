"""The battery passport: Battery Pass v1.2 content, access tiers and completeness.

A pure engine over plain data: custody results (recycled content) and footprint results
(carbon footprint per life-cycle stage) come in as mappings, composed by the CLI and reports.
"""

from __future__ import annotations

from sinergi.passport.attributes import Access, Attribute, Audience, attributes, visible_paths
from sinergi.passport.content import (
    ASPECTS,
    Address,
    PackFacts,
    Party,
    build,
    for_audience,
    missing,
)

__all__ = [
    "ASPECTS",
    "Access",
    "Address",
    "Attribute",
    "Audience",
    "PackFacts",
    "Party",
    "attributes",
    "build",
    "for_audience",
    "missing",
    "visible_paths",
]
