"""Gap analysis: how far each unmet criterion is from its next band, and what to do.

Gaps are stated in the indicator's own units (and hectares for land-use shares) and ranked
by score gained per unit of effort.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sinergi.assess.engine import Assessment, CriterionResult, Status
from sinergi.assess.packs import Band, Criterion, Pack
from sinergi.model import Ecosystem


@dataclass(frozen=True, slots=True)
class Action:
    """A suggested action with its (illustrative) effort class."""

    en: str
    id: str
    effort: str


@dataclass(frozen=True, slots=True)
class DataGap:
    """A criterion that could not be assessed, and what would let it be."""

    criterion: str
    name_en: str
    missing: str


@dataclass(frozen=True, slots=True)
class Gap:
    """One unmet criterion: where it stands, what the next band needs, and what to do."""

    criterion: str
    name_en: str
    status: Status
    current: str
    needed: str
    needed_id: str
    score_gain: float
    effort: str
    priority: float
    actions: tuple[Action, ...]


@cache
def _catalogue() -> dict[str, Any]:
    text = resources.files("sinergi.data").joinpath("actions.yaml").read_text("utf-8")
    return yaml.safe_load(text)  # type: ignore[no-any-return]


def _actions(result: CriterionResult) -> tuple[tuple[Action, ...], str]:
    doc = _catalogue()
    key = result.indicator.id if result.indicator else None
    hits = [
        a
        for a in doc["actions"]
        if a.get("criterion") == result.id or (key and a.get("indicator") == key)
    ]
    hits = hits or [a for a in doc["actions"] if a.get("default")]
    actions = tuple(Action(a["en"], a["id"], a["effort"]) for a in hits)
    effort = max((a.effort for a in actions), key=lambda e: doc["effort_weights"][e])
    return actions, effort


def _next_band(c: Criterion, score: float) -> Band | None:
    better = [b for b in c.bands if b.score > score]
    return min(better, key=lambda b: b.score) if better else None


_WORDS = {
    "at least": "minimal",
    "more than": "lebih dari",
    "at most": "paling banyak",
    "less than": "kurang dari",
    "short": "kurang",
    "over": "lebih",
}


def _needed(c: Criterion, band: Band, value: float, area_ha: float | None) -> tuple[str, str]:
    """Return what the next band needs, in English and Indonesian."""
    if c.direction == "higher_is_better" and band.min is not None:
        bound, gap, side = band.min, band.min - value, "short"
        verb = "more than" if not band.min_inclusive else "at least"
    elif band.max is not None:
        bound, gap, side = band.max, value - band.max, "over"
        verb = "at most" if band.max_inclusive else "less than"
    else:
        return band.text, band.text
    en = f"{verb} {bound:g} %: {gap:.1f} points {side}"
    id_ = f"{_WORDS[verb]} {bound:g} %: {gap:.1f} poin {_WORDS[side]}"
    if area_ha and c.indicator and c.indicator.endswith("_share"):
        hectares = gap * area_ha / 100
        en += f" ({hectares:,.1f} ha of the {area_ha:,.0f} ha park)"
        id_ += f" ({hectares:,.1f} ha dari kawasan {area_ha:,.0f} ha)"
    return en, id_


def data_gaps(assessment: Assessment) -> list[DataGap]:
    """Return the criteria that could not be assessed, with what is missing for each."""
    out = []
    for r in assessment.criteria:
        if r.status is not Status.NOT_ASSESSED:
            continue
        if r.indicator is not None and r.indicator.missing:
            missing = "; ".join(r.indicator.missing)
        elif r.kind == "quantitative":
            missing = "indicator data"
        else:
            missing = "an assessor's judgement with evidence"
        out.append(DataGap(r.id, r.name_en, missing))
    return out


def gaps(assessment: Assessment, pack: Pack, eco: Ecosystem) -> list[Gap]:
    """Return assessed criteria below their best band, highest priority first.

    Priority is score gained ÷ effort; criteria not assessed are in :func:`data_gaps`.
    """
    weights = _catalogue()["effort_weights"]
    by_id = {c.id: c for c in pack.criteria()}
    area = eco.parks[assessment.park_id].area_ha
    out = []
    for r in assessment.criteria:
        if r.status in {Status.MET, Status.NOT_APPLICABLE, Status.NOT_ASSESSED}:
            continue
        c = by_id[r.id]
        actions, effort = _actions(r)
        value = r.indicator.value if r.indicator else None
        if c.type == "quantitative" and r.score is not None and value is not None:
            band = _next_band(c, r.score)
            if band is None:
                continue
            gain = band.score - r.score
            needed, needed_id = _needed(c, band, value, area)
            current = f"{value:,.1f} {r.indicator.unit if r.indicator else ''} (score {r.score:g})"
        else:
            gain = 1.0 - (0.5 if r.status is Status.PARTLY_MET else 0.0)
            needed, needed_id = "meet the requirement", "penuhi persyaratan"
            current = str(r.status)
        out.append(
            Gap(
                r.id,
                r.name_en,
                r.status,
                current,
                needed,
                needed_id,
                gain,
                effort,
                gain / weights[effort],
                actions,
            )
        )
    return sorted(out, key=lambda g: (-g.priority, g.criterion))
