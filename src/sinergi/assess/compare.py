"""Benchmarking across parks and trends across periods, from assessments already computed."""

from __future__ import annotations

from dataclasses import dataclass

from sinergi.assess.engine import Assessment, assess
from sinergi.assess.packs import Pack, Profile
from sinergi.model.network import Ecosystem
from sinergi.model.period import Period
from sinergi.model.summary import periods


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


def trend(
    eco: Ecosystem,
    park_id: str,
    pack: Pack,
    upto: Period,
    *,
    profile: Profile | None = None,
) -> list[ComparisonRow]:
    """Assess a park in every period of its data up to ``upto`` (same granularity), oldest first.

    Judgements are not applied: they are made for one period, and carrying them into another
    would claim evidence that was not examined. A trend therefore shows what the data says.
    """
    same = [p for p in periods(eco.subset([park_id])) if p.granularity is upto.granularity]
    own = [p for p in same if p <= upto]
    if upto not in own:
        own.append(upto)
    return compare([assess(eco, park_id, p, pack, profile=profile) for p in sorted(own)])
