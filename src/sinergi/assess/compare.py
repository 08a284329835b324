"""Benchmarking across parks and trends across periods, from assessments already computed."""

from __future__ import annotations

from dataclasses import dataclass

from sinergi.assess.engine import Assessment


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One park in one period: coverage and each category's share met and mean score."""

    park_id: str
    period: str
    coverage: float
    share_met: dict[str, float | None]
    mean_score: dict[str, float | None]
    prerequisites_met: bool | None


def compare(assessments: list[Assessment]) -> list[ComparisonRow]:
    """Return one row per assessment, sorted by park then period (a trend reads down a park)."""
    rows = [
        ComparisonRow(
            a.park_id,
            str(a.period),
            a.coverage,
            {c.id: c.share_met for c in a.categories},
            {c.id: c.mean_score for c in a.categories},
            a.prerequisites_met,
        )
        for a in assessments
    ]
    return sorted(rows, key=lambda r: (r.park_id, r.period))
