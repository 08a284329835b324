"""Benchmarking across parks, trends across periods, and current against target performance."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sinergi.assess.engine import (
    CREDIT,
    Assessment,
    CategoryResult,
    CriterionResult,
    Status,
    assess,
)
from sinergi.assess.messages import Text
from sinergi.assess.packs import Pack, Profile
from sinergi.i18n import N_
from sinergi.model.network import Ecosystem
from sinergi.model.period import Period
from sinergi.model.summary import periods


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One park in one period: coverage and each category's share met and mean score.

    ``share_met`` is over the assessed criteria of a category; ``credit`` over all its encoded
    criteria (met 1, partly met 0.5, anything else 0), ``None`` when none was assessed.
    """

    park_id: str
    period: str
    coverage: float
    share_met: dict[str, float | None]
    mean_score: dict[str, float | None]
    prerequisites_met: bool | None
    credit: dict[str, float | None] = field(default_factory=dict)
    assessed: dict[str, int] = field(default_factory=dict)
    encoded: dict[str, int] = field(default_factory=dict)


def _credit(cat: CategoryResult) -> float | None:
    if not cat.assessed:
        return None  # nothing to credit: not a zero
    return sum(CREDIT[s] * n for s, n in cat.counts.items() if s in CREDIT) / cat.encoded


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
            {c.id: _credit(c) for c in a.categories},
            {c.id: c.assessed for c in a.categories},
            {c.id: c.encoded for c in a.categories},
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
    current: Assessment | None = None,
) -> list[ComparisonRow]:
    """Assess a park in every period of its data up to ``upto`` (same granularity), oldest first.

    Judgements are not carried from one period to another: they are made for one period, and
    carrying them would claim evidence that was not examined. Earlier periods therefore show
    what the data says; ``current`` (the assessment of ``upto``, with its judgements) stands for
    its own period, so the trend ends where the rest of the report stands.
    """
    same = [p for p in periods(eco.subset([park_id])) if p.granularity is upto.granularity]
    own = [p for p in same if p <= upto]
    if upto not in own:
        own.append(upto)
    return compare(
        [
            current
            if current is not None and p == current.period
            else assess(eco, park_id, p, pack, profile=profile)
            for p in sorted(own)
        ]
    )


class Change(StrEnum):
    """How a criterion moves from the current period to the target."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"
    UNKNOWN = "unknown"


#: How each change is written for people.
CHANGE_TEXT: dict[Change, str] = {
    Change.BETTER: N_("improves"),
    Change.SAME: N_("no change"),
    Change.WORSE: N_("falls back"),
    Change.UNKNOWN: N_("cannot be compared"),
}

_RANK = {Status.NOT_MET: 0, Status.PARTLY_MET: 1, Status.MET: 2}


@dataclass(frozen=True, slots=True)
class TargetRow:
    """One criterion now and at the target period (the park's intended performance)."""

    criterion: str
    name: Text
    current: Status
    current_score: float | None
    target: Status
    target_score: float | None
    change: Change


def _change(now: CriterionResult, then: CriterionResult) -> Change:
    if now.score is not None and then.score is not None:
        diff = then.score - now.score
    elif now.status in _RANK and then.status in _RANK:
        diff = _RANK[then.status] - _RANK[now.status]
    elif now.status is then.status:
        return Change.SAME
    else:
        return Change.UNKNOWN
    return Change.BETTER if diff > 0 else Change.WORSE if diff < 0 else Change.SAME


def against_target(current: Assessment, target: Assessment) -> list[TargetRow]:
    """Return each criterion now and at the target, with the direction of the change.

    Raises
    ------
    ValueError
        When the two assessments are of different parks or packs.
    """
    if (current.park_id, current.pack_id) != (target.park_id, target.pack_id):
        msg = "current and target must assess the same park against the same pack"
        raise ValueError(msg)
    then = {c.id: c for c in target.criteria}
    return [
        TargetRow(
            c.id,
            c.name,
            c.status,
            c.score,
            then[c.id].status,
            then[c.id].score,
            _change(c, then[c.id]),
        )
        for c in current.criteria
    ]
