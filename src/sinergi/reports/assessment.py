"""Assessment results as data in one language (JSON), and as an HTML page or PDF.

Every number on the page comes from the assessment: the criterion's indicator value, its
unit, the data rows it was computed from and the reference source of the criterion. Every
sentence comes from the message catalogues or from the pack's own bilingual texts, so an
Indonesian page is wholly Indonesian; codes (``not_met``) stay in the JSON beside the words.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from importlib import resources
from typing import Any

from sinergi.assess.compare import CHANGE_TEXT, ComparisonRow, against_target
from sinergi.assess.engine import STATUS_TEXT, Assessment, CategoryResult, CriterionResult, Status
from sinergi.assess.gaps import EFFORT_TEXT, DataGap, Gap, data_gaps, gaps
from sinergi.assess.indicator import IndicatorResult
from sinergi.assess.indicators import INDICATORS
from sinergi.assess.messages import Msg, Text, render_all
from sinergi.assess.packs import Pack
from sinergi.assess.supply import Supply
from sinergi.errors import ReportError
from sinergi.i18n import _, format_number, parse_language
from sinergi.io.columns import schema
from sinergi.model import Ecosystem
from sinergi.reference import Provenance, bibliography, describe
from sinergi.reports.assessment_charts import category_bars, trend_chart
from sinergi.reports.html import render


def _verdict(a: Assessment, pack: Pack, lang: str) -> str:
    assessed, total = a.assessed, len(a.criteria)
    if pack.pass_mark is not None and not pack.aggregation.known:
        return _(
            lang,
            "Incomplete: {total} criteria of this standard are encoded in sinergi ({assessed} "
            "assessed); {parts} part(s) are not encoded, and how the scores add up to the "
            "{mark}-point mark is not in the parts of the standard sinergi could read, so "
            "accreditation cannot be determined here.",
        ).format(
            total=total,
            assessed=assessed,
            parts=len(a.not_encoded),
            mark=format_number(pack.pass_mark.value, lang),
        )
    gate = {
        True: _(lang, "all prerequisites met"),
        False: _(lang, "a prerequisite is not met"),
        None: _(lang, "prerequisites not all assessed"),
    }[a.prerequisites_met]
    if not pack.verified:
        return _(
            lang,
            "Not final: {assessed} of {total} requirements assessed; {gate}. The pack's "
            "requirement list has not been checked against the standard's official text: {why}",
        ).format(
            assessed=assessed,
            total=total,
            gate=gate,
            why=pack.verification.note_id if _is_id(lang) else pack.verification.note_en,
        )
    state = _(lang, "Complete") if a.complete else _(lang, "Incomplete")
    return _(lang, "{state}: {assessed} of {total} requirements assessed; {gate}.").format(
        state=state, assessed=assessed, total=total, gate=gate
    )


def verdict(a: Assessment, pack: Pack) -> dict[str, str]:
    """Return the one-line verdict in English and Indonesian; never complete when it is not."""
    return {lang: _verdict(a, pack, lang) for lang in ("en", "id")}


def _is_id(lang: str) -> bool:
    return parse_language(lang).value == "id"


def _source(p: Provenance, clause: Text | None, lang: str) -> str:
    text = describe(p, lang)
    return f"{text} · {clause.render(lang)}" if clause is not None else text


def _indicator(ind: IndicatorResult, lang: str) -> dict[str, Any]:
    spec = INDICATORS.get(ind.id)
    digits = spec.digits if spec else 1
    return {
        "id": ind.id,
        "name": (spec.name_id if _is_id(lang) else spec.name_en) if spec else ind.id,
        "value": ind.value,
        "value_text": format_number(ind.value, lang, digits) if ind.value is not None else None,
        "unit": ind.unit,
        "unit_text": _(lang, ind.unit),
        "status": str(ind.status),
        "detail": ind.detail,
        "rows": ind.rows,
        "missing": render_all(ind.missing, lang),
        "notes": render_all(ind.notes, lang),
        "sources": list(ind.sources),
    }


def _score(value: float | None, lang: str) -> str | None:
    return None if value is None else format_number(value, lang)


def _criterion(c: CriterionResult, lang: str) -> dict[str, Any]:
    evidence = c.evidence.render(lang) if isinstance(c.evidence, Msg) else c.evidence
    return {
        "id": c.id,
        "name": c.name.render(lang),
        "category": c.category,
        "element": c.element,
        "kind": c.kind,
        "prerequisite": c.prerequisite,
        "status": str(c.status),
        "status_text": _(lang, STATUS_TEXT[c.status]),
        "score": c.score,
        "score_text": _score(c.score, lang),
        "max_score": c.max_score,
        "max_score_text": _score(c.max_score, lang),
        "band": c.band.render(lang) if c.band else None,
        "review": c.review.render(lang) if c.review else None,
        "boundary": c.boundary.render(lang) if c.boundary else None,
        "evidence": evidence,
        "assessor": c.assessor,
        "basis": str(c.basis),
        "source": _source(c.source, c.clause, lang),
        "indicator": _indicator(c.indicator, lang) if c.indicator is not None else None,
    }


def _category(c: CategoryResult, pack: Pack, lang: str) -> dict[str, Any]:
    spec = next(cat for cat in pack.categories if cat.id == c.id)
    return {
        "id": c.id,
        "name": c.name.render(lang),
        "weight": c.weight,
        "weight_source": describe(spec.weight_source, lang) if spec.weight_source else None,
        "mean_score": c.mean_score,
        "mean_score_text": format_number(c.mean_score, lang, 2)
        if c.mean_score is not None
        else None,
        "share_met": c.share_met,
        "assessed": c.assessed,
        "encoded": c.encoded,
        "counts": {str(s): n for s, n in c.counts.items()},
        "not_encoded": [n.reason.render(lang) for n in c.not_encoded],
    }


def _gap(g: Gap, lang: str) -> dict[str, Any]:
    return {
        "criterion": g.criterion,
        "name": g.name.render(lang),
        "status": str(g.status),
        "status_text": _(lang, STATUS_TEXT[g.status]),
        "current": g.current.render(lang),
        "needed": g.needed.render(lang),
        "score_gain": g.score_gain,
        "effort": g.effort,
        "effort_text": _(lang, EFFORT_TEXT[g.effort]),
        "priority": g.priority,
        "actions": [a.text.render(lang) for a in g.actions],
    }


def _supply(s: Supply, lang: str) -> dict[str, Any]:
    table = schema().table(s.table)
    labels = [
        table.column(f).label_id if _is_id(lang) else table.column(f).label_en for f in s.columns
    ]
    return {
        "sheet": table.sheet,
        "sheet_name": table.label_id if _is_id(lang) else table.label_en,
        "columns": labels,
        "what": s.what.render(lang),
    }


def _data_gap(g: DataGap, lang: str) -> dict[str, Any]:
    return {
        "criterion": g.criterion,
        "name": g.name.render(lang),
        "missing": render_all(g.missing, lang),
        "supply": [_supply(s, lang) for s in g.supply],
        "judgement": g.judgement,
    }


def _references(pack: Pack) -> list[str]:
    keys: list[str] = list(pack.source.refs)
    if pack.pass_mark is not None:
        keys += pack.pass_mark.source.refs
    for cat in pack.categories:
        keys += cat.weight_source.refs if cat.weight_source else ()
    for c in pack.criteria():
        keys += c.source.refs
    entries = bibliography()
    return [entries[k].full() for k in dict.fromkeys(keys) if k in entries]


def _pack(pack: Pack, lang: str) -> dict[str, Any]:
    return {
        "id": pack.id,
        "version": pack.version,
        "title": pack.title.render(lang),
        "source": describe(pack.source, lang),
        "verification": str(pack.verification.status),
        "verification_note": pack.verification.note_id
        if _is_id(lang)
        else pack.verification.note_en,
        "aggregation": pack.aggregation.note_id if _is_id(lang) else pack.aggregation.note_en,
        "references": _references(pack),
    }


def _summary(a: Assessment, pack: Pack, lang: str) -> dict[str, Any]:
    """Return what is common to the current and the target assessment."""
    return {
        "period": str(a.period),
        "verdict": _verdict(a, pack, lang),
        "complete": a.complete,
        "coverage": a.coverage,
        "assessed": a.assessed,
        "encoded": len(a.criteria),
        "prerequisites_met": a.prerequisites_met,
        "categories": [_category(c, pack, lang) for c in a.categories],
    }


def _target(
    current: Assessment, target: Assessment, pack: Pack, eco: Ecosystem, lang: str
) -> dict[str, Any]:
    rows = against_target(current, target)
    return {
        **_summary(target, pack, lang),
        "criteria": [_criterion(c, lang) for c in target.criteria],
        "comparison": [
            {
                "criterion": r.criterion,
                "name": r.name.render(lang),
                "current": str(r.current),
                "current_text": _(lang, STATUS_TEXT[r.current]),
                "current_score": r.current_score,
                "target": str(r.target),
                "target_text": _(lang, STATUS_TEXT[r.target]),
                "target_score": r.target_score,
                "change": str(r.change),
                "change_text": _(lang, CHANGE_TEXT[r.change]),
            }
            for r in rows
        ],
        "gaps": [_gap(g, lang) for g in gaps(target, pack, eco)],
        "assessed_neither": sum(
            r.current is Status.NOT_ASSESSED and r.target is Status.NOT_ASSESSED for r in rows
        ),
    }


def assessment_dict(
    a: Assessment,
    pack: Pack,
    gap_list: list[Gap],
    eco: Ecosystem,
    history: Sequence[ComparisonRow] = (),
    *,
    lang: str = "en",
    target: Assessment | None = None,
) -> dict[str, Any]:
    """Return the assessment, its verdict, gaps, trend and target as JSON-ready data in ``lang``.

    ``history`` is the park's assessment in earlier periods (see
    :func:`sinergi.assess.compare.trend`); with two or more periods the report draws a trend.
    ``target`` is the park assessed for its target period (the data and judgements of its
    intended performance); the report then shows target against current, with the gaps left.
    """
    park = eco.parks[a.park_id]
    lang = parse_language(lang).value
    return {
        "lang": lang,
        "park": {
            "id": park.id,
            "name": park.name,
            "synthetic": park.synthetic,
            "synthetic_tenants": all(
                c.synthetic for c in eco.companies.values() if c.park_id == park.id
            ),
        },
        "pack": _pack(pack, lang),
        **_summary(a, pack, lang),
        "prerequisites": [
            {
                "id": c.id,
                "name": c.name.render(lang),
                "status": str(c.status),
                "status_text": _(lang, STATUS_TEXT[c.status]),
            }
            for c in a.criteria
            if c.prerequisite
        ],
        "not_encoded": [
            {"part": n.part, "name": n.name.render(lang), "reason": n.reason.render(lang)}
            for n in a.not_encoded
        ],
        "criteria": [_criterion(c, lang) for c in a.criteria],
        "gaps": [_gap(g, lang) for g in gap_list],
        "data_gaps": [_data_gap(g, lang) for g in data_gaps(a, pack)],
        "charts": {"categories": category_bars(a.categories, lang)},
        "trend": trend_chart(history, a.categories, lang),
        "target": _target(a, target, pack, eco, lang) if target is not None else None,
    }


def assessment_html(data: dict[str, Any], lang: str | None = None) -> str:
    """Render assessment data as a self-contained HTML page (no scripts, no network).

    Raises
    ------
    ReportError
        When ``lang`` is given and is not the language the data was prepared in.
    """
    if lang is not None and parse_language(lang).value != data["lang"]:
        raise ReportError(
            f"the assessment data is in {data['lang']!r}, not {lang!r}: "
            f"build it with assessment_dict(..., lang={lang!r})"
        )
    return render("assessment.html", data["lang"], d=data)


#: Fonts shipped inside the package (DejaVu Sans, Bitstream Vera licence, see
#: ``fonts/LICENSE-DejaVu.txt``), so PDFs look the same on a machine with no fonts installed.
FONTS = {"DejaVuSans.ttf": "normal", "DejaVuSans-Bold.ttf": "bold"}
_FONT_SCHEME = "sinergi-font:"


def _font_faces() -> str:
    return "".join(
        f'@font-face {{ font-family: "sinergi-sans"; font-weight: {weight}; '
        f'src: url("{_FONT_SCHEME}{name}"); }}'
        for name, weight in FONTS.items()
    )


def assessment_pdf(html: str) -> bytes:
    """Render an assessment page to PDF with WeasyPrint.

    The page is self-contained: the URL fetcher serves only the fonts shipped in the package
    and refuses every other fetch, so a report never reaches the network or the file system
    while rendering.

    Raises
    ------
    ReportError
        If WeasyPrint or its Pango system library cannot be loaded.
    """
    try:
        with warnings.catch_warnings():
            # WeasyPrint warns when the optional HarfBuzz-Subset library is absent (Debian
            # bookworm ships it separately); PDFs still render, only font subsetting is off.
            warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
            import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the Pango system library is missing
        raise ReportError(
            f"PDF output needs WeasyPrint and the Pango library ({exc}); install Pango "
            "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0) or use --format html"
        ) from exc

    fonts = resources.files("sinergi.reports") / "fonts"

    class _Refuse(weasyprint.urls.URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> object:
            name = url.removeprefix(_FONT_SCHEME)
            if url.startswith(_FONT_SCHEME) and name in FONTS:
                body = (fonts / name).read_bytes()
                return weasyprint.urls.URLFetcherResponse(
                    url, body=body, headers={"Content-Type": "font/ttf"}
                )
            raise ReportError(f"the report tried to fetch {url}; reports must be self-contained")

    document = weasyprint.HTML(string=html, url_fetcher=_Refuse())
    style = weasyprint.CSS(string=_font_faces(), url_fetcher=_Refuse())
    return bytes(document.write_pdf(stylesheets=[style]))
