"""Regulation (EU) 2023/1542 targets, and how a recycling result stands against them.

Three kinds of targets, all data (``data/circularity/recycling.yaml``) with their sources:

* **recycling efficiency** (Annex XII Part B): share of the average weight of waste batteries
  that a recycler turns into recycled materials, by battery type (lithium-based 65 % by the
  end of 2025 and 70 % by the end of 2030; lead-acid, nickel-cadmium and other batteries as
  quoted by our sources; nothing else is encoded);
* **material recovery** (Annex XII Part C): share of each element recovered;
* **recycled content** (Article 8): minimum share of recycled Co, Li and Ni in new batteries.

A comparison never says more than its numbers allow. Each compared value is ``central``, an
``upper`` bound or a ``lower`` bound, and the :class:`Verdict` follows: an upper bound at or
above the target says only that the target is ``possible``; a lower bound below it says
nothing (``not_assessed``). Recycling efficiency is never assessed: the model holds five
metals of a pack, not its whole mass (see :func:`efficiency_rows`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from sinergi.circularity.data_files import Strict
from sinergi.i18n import N_
from sinergi.reference import Provenance, Sourced

Bound = Literal["central", "upper", "lower"]


class Verdict(StrEnum):
    """How a value stands against a target."""

    MEETS = "meets"
    FAILS = "does_not_meet"
    POSSIBLE = "possible"
    NOT_ASSESSED = "not_assessed"
    NOT_APPLICABLE = "not_applicable"
    OUTSIDE_FORECAST = "outside_forecast"


#: What each verdict says, for renderers (catalogue messages).
VERDICT_TEXT: dict[Verdict, str] = {
    Verdict.MEETS: N_("meets"),
    Verdict.FAILS: N_("does not meet"),
    Verdict.POSSIBLE: N_("possible (upper bound reaches the target)"),
    Verdict.NOT_ASSESSED: N_("not assessed (the model cannot show it)"),
    Verdict.NOT_APPLICABLE: N_("not applicable"),
    Verdict.OUTSIDE_FORECAST: N_("outside the forecast years"),
}


def judge(value: float, target: float, bound: Bound) -> Verdict:
    """Return the verdict that ``value`` (central, or an upper or lower bound) supports.

    >>> judge(0.99, 0.95, "upper").value
    'possible'
    >>> judge(0.70, 0.80, "lower").value, judge(0.70, 0.50, "lower").value
    ('not_assessed', 'meets')
    """
    reached = value >= target
    if bound == "upper":
        return Verdict.POSSIBLE if reached else Verdict.FAILS
    if bound == "lower":
        return Verdict.MEETS if reached else Verdict.NOT_ASSESSED
    return Verdict.MEETS if reached else Verdict.FAILS


class RecoveryRate(Sourced):
    """A route's recovery of one element, and whether the value is a bound."""

    bound: Bound = "central"


class ElementTargets(Provenance):
    """Targets by year and element (material recovery, recycled content)."""

    by_year: dict[int, dict[str, float]]


class EfficiencyTarget(Strict):
    """Recycling-efficiency targets of one battery type, by year."""

    label: str
    label_id: str
    by_year: dict[int, float]


class EfficiencyTargets(Provenance):
    """Annex XII Part B targets by battery type."""

    by_type: dict[str, EfficiencyTarget]


#: The battery type of Annex XII Part B that every chemistry the forecast holds belongs to.
FORECAST_BATTERY_TYPE = "lithium"


def efficiency_rows(
    targets: EfficiencyTargets,
    years: list[int],
    metal_share: list[float | None],
    recovered_share: list[float | None],
) -> list[dict[str, Any]]:
    """Set the recycling-efficiency targets beside what the forecast can say about them.

    The forecast holds lithium-based packs only (NMC and LFP), so only that type's targets
    apply, and it cannot assess them: it models the Ni, Co, Li, Mn and Cu of a pack only
    (``metal_share`` of its mass, of which the route recovers ``recovered_share``), not the
    casing, aluminium, graphite, electrolyte and plastics that a recycler also recovers. Both
    shares are reported for the target year so that a reader sees how much of the pack the
    model covers; the verdict is ``not_assessed``.
    """
    rows = []
    for kind, target in targets.by_type.items():
        for year, share in sorted(target.by_year.items()):
            row: dict[str, Any] = {
                "battery_type": kind,
                "label": {"en": target.label, "id": target.label_id},
                "by_end_of": year,
                "target": share,
                "metals_share_of_mass": None,
                "recovered_share_of_mass": None,
            }
            if kind != FORECAST_BATTERY_TYPE:
                row["verdict"] = Verdict.NOT_APPLICABLE.value
            elif year not in years:
                row["verdict"] = Verdict.OUTSIDE_FORECAST.value
            else:
                i = years.index(year)
                row |= {
                    "metals_share_of_mass": metal_share[i],
                    "recovered_share_of_mass": recovered_share[i],
                    "verdict": Verdict.NOT_ASSESSED.value,
                }
            rows.append(row | {"provenance": targets.record()})
    return rows


def recovery_rows(targets: ElementTargets, rates: dict[str, RecoveryRate]) -> list[dict[str, Any]]:
    """Compare a route's recovery rates with the material-recovery targets."""
    rows = []
    for year, by_element in sorted(targets.by_year.items()):
        for element, target in by_element.items():
            rate = rates[element]
            rows.append(
                {
                    "by_end_of": year,
                    "element": element,
                    "target": target,
                    "route_rate": rate.value,
                    "bound": rate.bound,
                    "illustrative": rate.illustrative,
                    "verdict": judge(rate.value, target, rate.bound).value,
                    "provenance": targets.record(),
                }
            )
    return rows


def content_rows(
    targets: ElementTargets,
    years: list[int],
    recovered: dict[str, list[float]],
    in_new_packs: dict[str, list[float]],
) -> list[dict[str, Any]]:
    """Compare the most recycled content domestic recycling could supply with Article 8.

    The share is recovered metal over the metal in packs placed on the Indonesian market that
    year: an upper bound (all of it would have to go into new Indonesian packs), so a share at
    or above the target is ``possible``, one below it ``does_not_meet``.
    """
    rows = []
    for year, by_element in sorted(targets.by_year.items()):
        for element, target in by_element.items():
            row: dict[str, Any] = {"from": year, "element": element, "target": target}
            if year not in years:
                row |= {"max_recycled_share": None, "verdict": Verdict.OUTSIDE_FORECAST.value}
            else:
                i = years.index(year)
                need, got = in_new_packs[element][i], recovered[element][i]
                share = got / need if need > 0 else None
                row |= {
                    "recovered_t": got,
                    "in_new_packs_t": need,
                    "max_recycled_share": share,
                    "verdict": (
                        Verdict.NOT_ASSESSED.value
                        if share is None
                        else judge(share, target, "upper").value
                    ),
                }
            rows.append(row | {"provenance": targets.record()})
    return rows
