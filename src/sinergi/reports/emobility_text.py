"""The e-mobility records as short plain-text summaries for the terminal, in either language.

Every number carries its unit and every sign its direction ("lost", "gained", "avoided");
illustrative inputs are counted and named at the end, so nobody mistakes them for data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sinergi.emobility.method import ASPECT_TEXT, Aspect
from sinergi.i18n import _, format_idr, format_number, format_percent_value

__all__ = ["text_summary"]


def text_summary(record: Mapping[str, Any], lang: str) -> str:
    """Return the terminal summary of an e-mobility record."""
    lines = {"tkdn": _tkdn, "transition": _transition, "packs": _packs}[record["kind"]](
        record, lang
    )
    flagged = [r for r in record["inputs"] if r.get("illustrative")]
    if flagged:
        names = ", ".join(f"{_(lang, r['label'])} {r['detail']}".strip() for r in flagged)
        lines.append(
            _(lang, "Illustrative inputs ({count}, no published value found): {names}").format(
                count=len(flagged), names=names
            )
        )
    return "\n".join(lines)


def _pct(value: float | None, lang: str, digits: int = 2) -> str:
    return format_percent_value(None if value is None else value / 100, lang, digits)


def _tkdn(r: Mapping[str, Any], lang: str) -> list[str]:
    lines = [
        _(lang, "TKDN of {model}: {tkdn} in {year} ({method})").format(
            model=r["model"],
            tkdn=_pct(r["tkdn_percent"], lang),
            year=r["year"],
            method=r["method"]["title_id" if lang == "id" else "title_en"],
        )
    ]
    if r["synthetic"]:
        lines.append(
            _(lang, "This bill of materials is synthetic: a demonstration, not a real vehicle.")
        )
    for a in r["aspects"]:
        lines.append(
            "  "
            + _(lang, "{aspect}: {points} of {weight} points").format(
                aspect=_(lang, ASPECT_TEXT[Aspect(a["aspect"])]),
                points=format_number(a["points"], lang, 2),
                weight=format_number(a["weight"], lang, 0),
            )
        )
    for y in r["years"]:
        status = _(lang, "meets") if y["meets_threshold"] else _(lang, "misses")
        subsidy = _(lang, "subsidy: eligible") if y["subsidy_eligible"] else ""
        lines.append(
            "  "
            + _(lang, "{year}: TKDN {tkdn}, minimum {minimum}: {status}").format(
                year=y["year"],
                tkdn=_pct(y["tkdn_percent"], lang),
                minimum=_pct(y["threshold_percent"], lang, 0),
                status=status,
            )
            + (f"; {subsidy}" if subsidy else "")
        )
    lines += _localisation_lines(r, lang)
    return lines


def _localisation_lines(r: Mapping[str, Any], lang: str) -> list[str]:
    loc = r["localisation"]
    if loc is None:
        return [
            _(lang, "Every minimum is met up to {year}; no localisation is needed.").format(
                year=r["years"][-1]["year"]
            )
        ]
    target = _pct(r["target"]["percent"], lang, 1)
    if loc["status"] == "already_met":
        return [_(lang, "Target {target} already met.").format(target=target)]
    if loc["status"] == "infeasible":
        return [
            _(
                lang,
                "Target {target} in {year} cannot be reached with the options given: "
                "the best is {best}, {gap} points short.",
            ).format(
                target=target,
                year=r["target"]["year"],
                best=_pct(loc["best_reachable_percent"], lang),
                gap=format_number(loc["gap_points"], lang, 2),
            )
        ]
    lines = [
        _(
            lang,
            "Cheapest way to {target} in {year}: {cost} more per vehicle, "
            "TKDN {before} to {after}:",
        ).format(
            target=target,
            year=r["target"]["year"],
            cost=format_idr(loc["cost_idr"], lang),
            before=_pct(loc["before_percent"], lang),
            after=_pct(loc["after_percent"], lang),
        )
    ]
    for o in loc["chosen"]:
        lines.append(
            "  "
            + _(lang, "{option} ({target}): +{points} points for {cost}").format(
                option=o["option"],
                target=o["target"],
                points=format_number(o["points"], lang, 2),
                cost=format_idr(o["cost_idr"], lang),
            )
        )
    return lines


def _transition(r: Mapping[str, Any], lang: str) -> list[str]:
    years, last = r["years"], len(r["years"]) - 1
    v = r["vehicles"]
    lines = [
        _(lang, "Scenario {label}, {first}-{last}").format(
            label=r["label_id" if lang == "id" else "label_en"], first=years[0], last=years[-1]
        ),
        _(
            lang,
            "{year}: {electric} electric and {conventional} conventional motorcycles "
            "({share} of domestic sales electric)",
        ).format(
            year=years[-1],
            electric=format_number(v["electric"][last], lang),
            conventional=format_number(v["conventional"][last], lang),
            share=format_percent_value(v["electric_share"][last], lang, 1),
        ),
    ]
    for s in sorted(r["suppliers"], key=lambda s: -s["lost_sets"][last]):
        jobs = (
            format_number(s["jobs_at_risk"][last], lang)
            if s["jobs_at_risk"] is not None
            else _(lang, "unknown")
        )
        lines.append(
            "  "
            + _(
                lang,
                "{name}: lost {lost} vehicle sets ({share}), gained {gained}, jobs at risk {jobs}",
            ).format(
                name=s["name"],
                lost=format_number(s["lost_sets"][last], lang),
                share=format_percent_value(s["lost_share"][last], lang, 1),
                gained=format_number(s["gained_sets"][last], lang),
                jobs=jobs,
            )
        )
    if not r["suppliers"]:
        lines.append(
            _(lang, "No supplier table given: pass --suppliers to see which firms lose demand.")
        )
    return lines


def _packs(r: Mapping[str, Any], lang: str) -> list[str]:
    avoided = r["avoided"]
    lines = [
        _(
            lang,
            "Swap packs in {year}: {shared} with one standard pack, "
            "{proprietary} with one pack per brand",
        ).format(
            year=r["year"],
            shared=format_number(r["shared"]["packs"], lang),
            proprietary=format_number(r["proprietary"]["packs"], lang),
        ),
        _(lang, "Avoided by the standard: {packs} packs, {cells} cells, {mwh} MWh").format(
            packs=format_number(avoided["packs"], lang),
            cells=format_number(avoided["cells"], lang),
            mwh=format_number(avoided["kwh"] / 1e3, lang, 1),
        ),
    ]
    metals = ", ".join(
        f"{element} {format_number(kg / 1e3, lang, 1)} t"
        for element, kg in avoided["metals_kg"].items()
    )
    lines.append(_(lang, "Metals avoided by the standard: {metals}").format(metals=metals))
    return lines
