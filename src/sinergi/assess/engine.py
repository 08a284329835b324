"""Assess a park against a pack for one period: criterion results, category scores, gates.

Pure: reads the model, the pack, an optional national profile and the assessor's
judgements; never the store. Statuses are explicit: a criterion without data is
``not_assessed`` and a part of the standard sinergi does not hold is ``not_encoded``; the
assessment is ``complete`` only when neither occurs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from sinergi.assess.indicator import IndicatorResult, IndicatorStatus
from sinergi.assess.indicators import compute_view
from sinergi.assess.packs import Category, Criterion, Pack, Profile
from sinergi.assess.view import ParkView, park_views
from sinergi.model import Ecosystem, Period
from sinergi.reference.factors import Factors


class Status(StrEnum):
    """Outcome of one criterion."""

    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    NOT_ASSESSED = "not_assessed"


#: Credit of each status when sinergi scores the share of requirements met.
CREDIT: dict[Status, float] = {Status.MET: 1.0, Status.PARTLY_MET: 0.5, Status.NOT_MET: 0.0}


@dataclass(frozen=True, slots=True)
class Judgement:
    """An assessor's judgement of a qualitative criterion, with evidence."""

    status: Status
    evidence: str
    assessor: str | None = None


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """Value, status, score and evidence of one criterion."""

    id: str
    name_en: str
    name_id: str | None
    category: str
    element: str
    kind: str
    prerequisite: bool
    status: Status
    score: float | None
    max_score: float | None
    indicator: IndicatorResult | None
    band: str | None
    evidence: str | None
    review: str | None
    source: str


@dataclass(frozen=True, slots=True)
class CategoryResult:
    """A category's criteria summed up: mean band score and share met, over assessed ones."""

    id: str
    name_en: str
    name_id: str | None
    weight: float | None
    mean_score: float | None
    share_met: float | None
    assessed: int
    encoded: int
    not_encoded: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    """The assessment of one park and period against one pack."""

    pack_id: str
    pack_version: str
    park_id: str
    period: Period
    criteria: tuple[CriterionResult, ...]
    categories: tuple[CategoryResult, ...]
    not_encoded: tuple[str, ...]
    prerequisites: dict[str, Status] = field(default_factory=dict)

    @property
    def coverage(self) -> float:
        """Return the share of encoded criteria that could be assessed (0-1)."""
        return sum(c.status is not Status.NOT_ASSESSED for c in self.criteria) / max(
            len(self.criteria), 1
        )

    @property
    def complete(self) -> bool:
        """Return whether every part of the standard was encoded and assessed."""
        return not self.not_encoded and self.coverage == 1.0

    @property
    def prerequisites_met(self) -> bool | None:
        """Return whether every gate is met; ``None`` while one is unjudged or with no gates."""
        statuses = list(self.prerequisites.values())
        if not statuses:
            return None  # the pack has no gates
        if any(s is Status.NOT_MET or s is Status.PARTLY_MET for s in statuses):
            return False
        if any(s is Status.NOT_ASSESSED for s in statuses):
            return None
        return True


def _band_result(c: Criterion, value: float) -> tuple[float, str, str | None]:
    for band in c.bands:
        if band.contains(value):
            return band.score, band.text, band.review
    raise ValueError(
        f"criterion {c.id}: no band contains {value}; the bands must cover every value"
    )


def _quantitative(
    c: Criterion, ind: IndicatorResult
) -> tuple[Status, float | None, str | None, str | None]:
    if ind.status is IndicatorStatus.INSUFFICIENT or ind.value is None:
        return Status.NOT_ASSESSED, None, None, None
    score, text, review = _band_result(c, ind.value)
    scores = [b.score for b in c.bands]
    status = (
        Status.MET
        if score == max(scores)
        else Status.NOT_MET
        if score == min(scores)
        else Status.PARTLY_MET
    )
    return status, score, text, review


def _qualitative(
    c: Criterion,
    ind: IndicatorResult | None,
    view: ParkView,
    profile: Profile | None,
    judgement: Judgement | None,
) -> tuple[Status, str | None]:
    if judgement is not None:
        return judgement.status, judgement.evidence
    bench = profile.for_criterion(c.id) if profile else None
    if bench is not None and ind is not None and ind.value is not None:
        met = bench.met_by(ind.value)
        return (
            Status.MET if met else Status.NOT_MET,
            f"{ind.value:,.2f} {ind.unit} {'meets' if met else 'misses'} benchmark "
            f"{bench.comparator} {bench.value:g} {bench.unit} ({bench.source}, {bench.year})",
        )
    if c.evidence_from is not None:
        name = c.evidence_from.split(".", 1)[1]
        record = next(iter(view.records.get("park_services", ())), None)
        value = getattr(record, name) if record is not None else None
        if value is not None:
            return (
                Status.MET if value else Status.NOT_MET,
                f"park services record {view.period}: {name} = {'yes' if value else 'no'}",
            )
    return Status.NOT_ASSESSED, None


def _criterion(
    c: Criterion,
    cat: Category,
    element: str,
    view: ParkView,
    indicators: Mapping[str, IndicatorResult],
    pack: Pack,
    profile: Profile | None,
    judgements: Mapping[str, Judgement],
) -> CriterionResult:
    ind = indicators.get(c.indicator) if c.indicator else None
    band = review = None
    score: float | None = None
    if c.type == "quantitative" and ind is not None:
        status, score, band, review = _quantitative(c, ind)
        evidence = None if ind.value is None else f"{ind.value:,.2f} {ind.unit}"
    else:
        status, evidence = _qualitative(c, ind, view, profile, judgements.get(c.id))
        if evidence is None and ind is not None and ind.value is not None:
            evidence = f"indicator {ind.id} = {ind.value:,.2f} {ind.unit} (no benchmark set)"
    max_score = max(b.score for b in c.bands) if c.bands else None
    return CriterionResult(
        c.id,
        c.name_en,
        c.name_id,
        cat.id,
        element,
        c.type,
        c.prerequisite,
        status,
        score,
        max_score,
        ind,
        band,
        evidence,
        review,
        c.source,
    )


def _category(cat: Category, results: list[CriterionResult]) -> CategoryResult:
    mine = [r for r in results if r.category == cat.id]
    assessed = [r for r in mine if r.status in CREDIT]
    scores = [r.score for r in assessed if r.score is not None]
    notes = ((cat.not_encoded,) if cat.not_encoded else ()) + tuple(
        e.not_encoded for e in cat.elements if e.not_encoded
    )
    return CategoryResult(
        cat.id,
        cat.name_en,
        cat.name_id,
        cat.weight,
        sum(scores) / len(scores) if scores else None,
        sum(CREDIT[r.status] for r in assessed) / len(assessed) if assessed else None,
        len(assessed),
        len(mine),
        notes,
    )


def assess_view(
    view: ParkView,
    pack: Pack,
    *,
    profile: Profile | None = None,
    judgements: Mapping[str, Judgement] | None = None,
    factors: Factors | None = None,
) -> Assessment:
    """Assess one park view against ``pack``."""
    needed = {c.indicator for c in pack.criteria() if c.indicator}
    indicators = compute_view(view, needed, factors)
    results = [
        _criterion(c, cat, el.id, view, indicators, pack, profile, judgements or {})
        for cat in pack.categories
        for el in cat.elements
        for c in el.criteria
    ]
    return Assessment(
        pack_id=pack.id,
        pack_version=pack.version,
        park_id=view.park_id,
        period=view.period,
        criteria=tuple(results),
        categories=tuple(_category(cat, results) for cat in pack.categories),
        not_encoded=tuple(pack.not_encoded()),
        prerequisites={r.id: r.status for r in results if r.prerequisite},
    )


def assess(
    eco: Ecosystem,
    park_id: str,
    period: Period,
    pack: Pack,
    *,
    profile: Profile | None = None,
    judgements: Mapping[str, Judgement] | None = None,
    factors: Factors | None = None,
) -> Assessment:
    """Assess one park for one period against ``pack``."""
    return assess_view(
        park_views(eco, period)[park_id],
        pack,
        profile=profile,
        judgements=judgements,
        factors=factors,
    )


def assess_all(
    eco: Ecosystem,
    period: Period,
    pack: Pack,
    *,
    profile: Profile | None = None,
    factors: Factors | None = None,
) -> dict[str, Assessment]:
    """Assess every park for one period (one pass over the flows)."""
    return {
        pid: assess_view(view, pack, profile=profile, factors=factors)
        for pid, view in park_views(eco, period).items()
    }
