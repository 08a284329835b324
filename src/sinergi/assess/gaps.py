"""Gap analysis: how far each unmet criterion is from its next band, and what to do.

Gaps are stated in the indicator's own units (and hectares for land-use shares), computed
exactly from the entered values, and ranked by score gained per unit of effort. A value that
sits on the open edge of the next band is "on the edge": any change in the right direction
reaches it, and the report says so instead of "0.0 points short". Criteria that could not be
assessed are data gaps: each says what to supply and where.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sinergi.assess.engine import STATUS_TEXT, Assessment, CriterionResult, Status, exact_value
from sinergi.assess.exact import entered
from sinergi.assess.indicators import INDICATORS
from sinergi.assess.messages import Msg, Num, Text, msg
from sinergi.assess.packs import Band, Criterion, Pack
from sinergi.assess.supply import SUPPLY, Supply, services_supply
from sinergi.i18n import N_
from sinergi.model import Ecosystem

#: How each effort class is written for people.
EFFORT_TEXT: dict[str, str] = {"low": N_("low"), "medium": N_("medium"), "high": N_("high")}


@dataclass(frozen=True, slots=True)
class Action:
    """A suggested action with its (illustrative) effort class."""

    text: Text
    effort: str


@dataclass(frozen=True, slots=True)
class DataGap:
    """A criterion that could not be assessed, what is missing, and what to supply where.

    ``judgement`` says whether an assessor's judgement (the judgements form) would assess it.
    """

    criterion: str
    name: Text
    missing: tuple[Msg, ...]
    supply: tuple[Supply, ...]
    judgement: bool


@dataclass(frozen=True, slots=True)
class Gap:
    """One unmet criterion: where it stands, what the next band needs, and what to do."""

    criterion: str
    name: Text
    status: Status
    current: Msg
    needed: Msg
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
    actions = tuple(Action(Text(a["en"], a["id"]), a["effort"]) for a in hits)
    effort = max((a.effort for a in actions), key=lambda e: doc["effort_weights"][e])
    return actions, effort


def _next_band(c: Criterion, score: float) -> Band | None:
    better = [b for b in c.bands if b.score > score]
    return min(better, key=lambda b: b.score) if better else None


def _points(gap: Fraction) -> Num:
    """Return a positive gap with one decimal, or two significant digits when smaller.

    A gap is never shown as zero: 0.00005 points reads "0.000050", not "0.0".
    """
    value = float(gap)
    digits = 1 if value >= 0.1 else min(1 - math.floor(math.log10(value)), 15)
    return Num(value, digits)


def _needed(c: Criterion, band: Band, value: Fraction, area_ha: float | None) -> Msg:
    """Return what the next band needs, from the exact value, in words."""
    if c.direction == "higher_is_better" and band.min is not None:
        bound, gap, inclusive = Fraction(band.min), Fraction(band.min) - value, band.min_inclusive
        verb = N_("at least {bound} %") if inclusive else N_("more than {bound} %")
        short = N_("{gap} points short")
        edge = N_("the value is on this edge: any increase reaches score {score}")
    elif band.max is not None:
        bound, gap, inclusive = Fraction(band.max), value - Fraction(band.max), band.max_inclusive
        verb = N_("at most {bound} %") if inclusive else N_("less than {bound} %")
        short = N_("{gap} points over")
        edge = N_("the value is on this edge: any decrease reaches score {score}")
    else:
        return msg(N_("{band}"), band=band.text)
    target = msg(verb, bound=Num(float(bound), 2 if bound.denominator > 1 else 0))
    if gap == 0:
        return msg(N_("{target}: {edge}"), target=target, edge=msg(edge, score=Num(band.score)))
    text = msg(N_("{target}: {gap}"), target=target, gap=msg(short, gap=_points(gap)))
    if area_ha and c.indicator and c.indicator.endswith("_share"):
        hectares = gap * entered(area_ha) / 100
        return msg(
            N_("{needed} ({hectares} ha of the {area} ha park)"),
            needed=text,
            hectares=_points(hectares),
            area=Num(area_ha, 0 if float(area_ha).is_integer() else 1),
        )
    return text


def data_gaps(assessment: Assessment, pack: Pack) -> list[DataGap]:
    """Return the criteria that could not be assessed, with what to supply for each, and where."""
    by_id = {c.id: c for c in pack.criteria()}
    out = []
    for r in assessment.criteria:
        if r.status is not Status.NOT_ASSESSED:
            continue
        c = by_id[r.id]
        missing = r.indicator.missing if r.indicator is not None else ()
        supply: tuple[Supply, ...] = ()
        if r.indicator is not None and r.indicator.value is None:
            supply = SUPPLY.get(r.indicator.id, ())
        if c.evidence_from is not None and c.rule is None:
            supply += (services_supply(c.evidence_from.split(".", 1)[1]),)
        out.append(DataGap(r.id, r.name, missing, supply, judgement=c.type == "qualitative"))
    return out


def _current(r: CriterionResult) -> Msg:
    ind = r.indicator
    if ind is None or ind.value is None or r.score is None:
        return msg(STATUS_TEXT[r.status])
    digits = INDICATORS[ind.id].digits if ind.id in INDICATORS else 1
    return msg(
        N_("{value} {unit} (score {score})"),
        value=Num(ind.value, digits),
        unit=msg(ind.unit),
        score=Num(r.score),
    )


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
        value = exact_value(r.indicator) if r.indicator else None
        if c.type == "quantitative" and r.score is not None and value is not None:
            band = _next_band(c, r.score)
            if band is None:
                continue
            gain = band.score - r.score
            needed = _needed(c, band, value, area)
        else:
            gain = 1.0 - (0.5 if r.status is Status.PARTLY_MET else 0.0)
            needed = msg(N_("meet the requirement"))
        out.append(
            Gap(
                r.id,
                r.name,
                r.status,
                _current(r),
                needed,
                gain,
                effort,
                gain / weights[effort],
                actions,
            )
        )
    return sorted(out, key=lambda g: (-g.priority, g.criterion))
