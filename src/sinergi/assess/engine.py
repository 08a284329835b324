"""Assess a park against a pack for one period: criterion results, category scores, gates.

Pure: reads the model, the pack, an optional national profile and the assessor's
judgements; never the store. Statuses are explicit: a criterion without data is
``not_assessed`` and a part of the standard sinergi does not hold is ``not_encoded``; the
assessment is ``complete`` only when neither occurs and the pack itself was checked against
the standard's official text. Values are compared with band edges exactly
(:mod:`sinergi.assess.exact`), and a value on an edge the standard's text leaves open carries
the pack's boundary flag.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from sinergi.assess.indicator import IndicatorResult, IndicatorStatus
from sinergi.assess.indicators import INDICATORS, compute_view
from sinergi.assess.messages import Msg, Num, Text, msg
from sinergi.assess.packs import (
    Band,
    Category,
    Criterion,
    NotEncoded,
    Pack,
    PackVerification,
    Profile,
)
from sinergi.assess.view import ParkView, park_views
from sinergi.i18n import N_
from sinergi.model import Ecosystem, Period
from sinergi.reference import Provenance, describe
from sinergi.reference.factors import Factors


class Status(StrEnum):
    """Outcome of one criterion."""

    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    NOT_ASSESSED = "not_assessed"


#: How each status is written for people.
STATUS_TEXT: dict[Status, str] = {
    Status.MET: N_("met"),
    Status.PARTLY_MET: N_("partly met"),
    Status.NOT_MET: N_("not met"),
    Status.NOT_APPLICABLE: N_("not applicable"),
    Status.NOT_ASSESSED: N_("not assessed"),
}


class Basis(StrEnum):
    """What decided a criterion's status."""

    BANDS = "bands"
    JUDGEMENT = "judgement"
    BENCHMARK = "benchmark"
    DATA_RULE = "data_rule"
    SERVICES_RECORD = "services_record"
    NONE = "none"


#: How each park-services answer is named in a sentence (the ParkServices sheet's columns).
SERVICE_TEXT: dict[str, str] = {
    "management_entity": N_("a park management entity exists"),
    "environmental_management_system": N_(
        "environmental management system (ISO 14001 or equivalent)"
    ),
    "environmental_monitoring": N_("park-wide environmental monitoring"),
    "shared_wwtp": N_("shared wastewater treatment plant (WWTP)"),
    "emergency_plan": N_("emergency response plan"),
    "waste_collection_service": N_("waste collection service"),
}

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
    """Value, status, score and evidence of one criterion.

    ``evidence`` is a sentence sinergi wrote (a :class:`Msg`) or the assessor's own words;
    ``boundary`` is the pack's flag when the value sits on an edge the standard leaves open.
    """

    id: str
    name: Text
    category: str
    element: str
    kind: str
    prerequisite: bool
    status: Status
    score: float | None
    max_score: float | None
    indicator: IndicatorResult | None
    band: Text | None
    evidence: Msg | str | None
    review: Text | None
    source: Provenance
    clause: Text | None = None
    boundary: Text | None = None
    basis: Basis = Basis.NONE
    assessor: str | None = None


@dataclass(frozen=True, slots=True)
class CategoryResult:
    """A category's criteria summed up: mean band score and share met, over assessed ones.

    ``counts`` holds how many of the category's encoded criteria have each status, so that
    a share over the assessed few is never shown without how many were assessed.
    """

    id: str
    name: Text
    weight: float | None
    mean_score: float | None
    share_met: float | None
    assessed: int
    encoded: int
    not_encoded: tuple[NotEncoded, ...]
    counts: dict[Status, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Assessment:
    """The assessment of one park and period against one pack."""

    pack_id: str
    pack_version: str
    park_id: str
    period: Period
    criteria: tuple[CriterionResult, ...]
    categories: tuple[CategoryResult, ...]
    not_encoded: tuple[NotEncoded, ...]
    prerequisites: dict[str, Status] = field(default_factory=dict)
    pack_verification: PackVerification = PackVerification.VERIFIED

    @property
    def assessed(self) -> int:
        """Return how many encoded criteria could be assessed."""
        return sum(c.status is not Status.NOT_ASSESSED for c in self.criteria)

    @property
    def coverage(self) -> float:
        """Return the share of encoded criteria that could be assessed (0-1)."""
        return self.assessed / max(len(self.criteria), 1)

    @property
    def complete(self) -> bool:
        """Return whether the verified pack was wholly encoded and every criterion assessed."""
        return (
            self.pack_verification is PackVerification.VERIFIED
            and not self.not_encoded
            and self.assessed == len(self.criteria)
        )

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


def exact_value(ind: IndicatorResult) -> Fraction | None:
    """Return an indicator's value as an exact fraction of the entered numbers."""
    return ind.exact()


def band_of(c: Criterion, value: Fraction) -> Band:
    """Return the first band of ``c`` that holds an exact ``value``."""
    for band in c.bands:
        if band.contains(value):
            return band
    raise ValueError(
        f"criterion {c.id}: no band contains {float(value)}; the bands must cover every value"
    )


def _status_of(c: Criterion, score: float) -> Status:
    scores = [b.score for b in c.bands]
    if score == max(scores):
        return Status.MET
    return Status.NOT_MET if score == min(scores) else Status.PARTLY_MET


def _provenance_text(p: Provenance) -> Text:
    return Text(describe(p, "en"), describe(p, "id"))


def _quantity(ind: IndicatorResult) -> Num:
    return Num(ind.value or 0.0, INDICATORS[ind.id].digits if ind.id in INDICATORS else 1)


def _unit(ind: IndicatorResult) -> Msg:
    return msg(ind.unit)  # units are never empty; worded ones ("workers") are in the catalogue


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What decided a criterion: status, evidence, basis, and band details if scored."""

    status: Status
    evidence: Msg | str | None = None
    basis: Basis = Basis.NONE
    score: float | None = None
    band: Band | None = None
    boundary: Text | None = None
    assessor: str | None = None


def _quantitative(c: Criterion, ind: IndicatorResult) -> _Outcome:
    value = exact_value(ind)
    if ind.status is IndicatorStatus.INSUFFICIENT or value is None:
        return _Outcome(Status.NOT_ASSESSED)
    band = band_of(c, value)
    edge = c.contested(value)
    return _Outcome(
        _status_of(c, band.score),
        None,  # the value and its data rows are the evidence; reports show them
        Basis.BANDS,
        band.score,
        band,
        edge.note if edge else None,
    )


def _share_rule(ind: IndicatorResult, value: Fraction) -> _Outcome:
    """Decide a requirement from a share: all met, some partly met, none not met."""
    status = Status.MET if value == 100 else Status.NOT_MET if value == 0 else Status.PARTLY_MET
    evidence = msg(
        N_("{share} % of the reported quantity ({part} of {total} {unit}) from {rows} data row(s)"),
        share=Num(float(value), 1),
        part=Num(ind.detail.get("part", 0.0)),
        total=Num(ind.detail.get("total", 0.0)),
        unit=ind.quantity_unit or "",
        rows=Num(ind.rows),
    )
    return _Outcome(status, evidence, Basis.DATA_RULE)


def _services_record(c: Criterion, view: ParkView) -> bool | None:
    if c.evidence_from is None:
        return None
    name = c.evidence_from.split(".", 1)[1]
    record = next(iter(view.records.get("park_services", ())), None)
    value = getattr(record, name) if record is not None else None
    return None if value is None else bool(value)


def _benchmarked(
    c: Criterion, ind: IndicatorResult | None, profile: Profile | None
) -> _Outcome | None:
    bench = profile.for_criterion(c.id) if profile else None
    if bench is None or ind is None:
        return None
    value = exact_value(ind)  # exact arithmetic only where a benchmark compares
    if value is None:
        return None
    met = bench.met_by(value)
    words = (
        N_("{value} {unit} meets the benchmark {comparator} {bound} {unit} ({source})")
        if met
        else N_("{value} {unit} misses the benchmark {comparator} {bound} {unit} ({source})")
    )
    evidence = msg(
        words,
        value=_quantity(ind),
        unit=_unit(ind),
        comparator=bench.comparator,
        bound=Num(float(bench.value), 2),
        source=_provenance_text(bench),
    )
    return _Outcome(Status.MET if met else Status.NOT_MET, evidence, Basis.BENCHMARK)


def _by_rule(c: Criterion, ind: IndicatorResult, record: bool | None, view: ParkView) -> _Outcome:
    """Decide a ``share_all`` requirement from its data; a services record alone never does."""
    value = exact_value(ind)
    if value is not None and ind.status is IndicatorStatus.OK:
        return _share_rule(ind, value)
    if record is not None:
        return _Outcome(Status.NOT_ASSESSED, _record_only(c, record, view))
    return _Outcome(Status.NOT_ASSESSED)


def _qualitative(
    c: Criterion,
    ind: IndicatorResult | None,
    view: ParkView,
    profile: Profile | None,
    judgement: Judgement | None,
) -> _Outcome:
    """Decide a requirement: judgement, then benchmark, then data rule, then services record."""
    if judgement is not None:
        return _Outcome(
            judgement.status, judgement.evidence, Basis.JUDGEMENT, assessor=judgement.assessor
        )
    if (benchmarked := _benchmarked(c, ind, profile)) is not None:
        return benchmarked
    record = _services_record(c, view)
    if c.rule == "share_all" and ind is not None:
        return _by_rule(c, ind, record, view)
    if record is not None:
        return _Outcome(
            Status.MET if record else Status.NOT_MET,
            _record_evidence(c, record, view),
            Basis.SERVICES_RECORD,
        )
    if ind is not None and ind.value is not None:
        evidence = msg(
            N_("indicator value {value} {unit} (no benchmark set)"),
            value=_quantity(ind),
            unit=_unit(ind),
        )
        return _Outcome(Status.NOT_ASSESSED, evidence)
    return _Outcome(Status.NOT_ASSESSED)


def _record_evidence(c: Criterion, record: bool, view: ParkView) -> Msg:
    name = (c.evidence_from or "").split(".", 1)[1]
    return msg(
        N_("park services record {period}: {field}: {answer}"),
        period=str(view.period),
        field=msg(SERVICE_TEXT[name]) if name in SERVICE_TEXT else name,
        answer=msg(N_("yes") if record else N_("no")),
    )


def _record_only(c: Criterion, record: bool, view: ParkView) -> Msg:
    return msg(
        N_(
            "{record}; that alone does not decide this requirement: the reported quantities "
            "do, and none are reported"
        ),
        record=_record_evidence(c, record, view),
    )


def _criterion(
    c: Criterion,
    cat: Category,
    element: str,
    view: ParkView,
    indicators: Mapping[str, IndicatorResult],
    profile: Profile | None,
    judgements: Mapping[str, Judgement],
) -> CriterionResult:
    ind = indicators.get(c.indicator) if c.indicator else None
    if c.type == "quantitative" and ind is not None:
        outcome = _quantitative(c, ind)
    else:
        outcome = _qualitative(c, ind, view, profile, judgements.get(c.id))
    band = outcome.band
    return CriterionResult(
        id=c.id,
        name=c.name,
        category=cat.id,
        element=element,
        kind=c.type,
        prerequisite=c.prerequisite,
        status=outcome.status,
        score=outcome.score,
        max_score=max(b.score for b in c.bands) if c.bands else None,
        indicator=ind,
        band=band.text if band else None,
        evidence=outcome.evidence,
        review=band.review if band else None,
        source=c.source,
        clause=c.clause,
        boundary=outcome.boundary,
        basis=outcome.basis,
        assessor=outcome.assessor,
    )


def _category(cat: Category, results: list[CriterionResult], pack: Pack) -> CategoryResult:
    mine = [r for r in results if r.category == cat.id]
    assessed = [r for r in mine if r.status in CREDIT]
    scores = [r.score for r in assessed if r.score is not None]
    own = {cat.id} | {e.id for e in cat.elements}
    return CategoryResult(
        cat.id,
        Text(cat.name_en, cat.name_id),
        cat.weight,
        sum(scores) / len(scores) if scores else None,
        sum(CREDIT[r.status] for r in assessed) / len(assessed) if assessed else None,
        len(assessed),
        len(mine),
        tuple(n for n in pack.not_encoded() if n.part in own),
        {s: sum(r.status is s for r in mine) for s in Status},
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
        _criterion(c, cat, el.id, view, indicators, profile, judgements or {})
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
        categories=tuple(_category(cat, results, pack) for cat in pack.categories),
        not_encoded=tuple(pack.not_encoded()),
        prerequisites={r.id: r.status for r in results if r.prerequisite},
        pack_verification=pack.verification.status,
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
