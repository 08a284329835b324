"""A draft of the Permenperin 26/2025 self-declaration (pernyataan mandiri), prefilled from data.

The annex names a *Formulir Survei Pernyataan Mandiri Pemenuhan Standar Kawasan Industri*, but
its fields are not in sinergi's reference data. The draft therefore holds what sinergi can
stand behind: the estate's identity, the encoded variables with their values, scores and data
rows, and the list of parts to fill in by hand. It is marked as a draft everywhere it appears,
and written in Indonesian by default (the form is Indonesian) or in English.
"""

from __future__ import annotations

from typing import Any

from sinergi.assess.engine import STATUS_TEXT, Assessment
from sinergi.assess.indicators import INDICATORS
from sinergi.assess.messages import Msg, render_all
from sinergi.assess.packs import Pack
from sinergi.i18n import N_, _, format_number, parse_language
from sinergi.model import Ecosystem
from sinergi.reference import describe
from sinergi.reports.html import render

#: The warning at the top of every draft.
NOTE = N_(
    "DRAFT prepared by sinergi. The fields of the official self-declaration form (Permenperin "
    "26/2025, Lampiran) are not in sinergi's reference data; this draft lists the data sinergi "
    "holds for the variables it encodes. Complete and sign the official form."
)


def self_declaration(
    eco: Ecosystem, assessment: Assessment, pack: Pack, lang: str = "id"
) -> dict[str, Any]:
    """Return the draft self-declaration of one park as plain data in ``lang``."""
    lang = parse_language(lang).value
    park = eco.parks[assessment.park_id]
    region = eco.regions.get(park.region_id)
    variables = []
    for c in assessment.criteria:
        ind = c.indicator
        digits = INDICATORS[ind.id].digits if ind is not None and ind.id in INDICATORS else 1
        variables.append(
            {
                "id": c.id,
                "name": c.name.render(lang),
                "value": ind.value if ind else None,
                "value_text": format_number(ind.value, lang, digits)
                if ind is not None and ind.value is not None
                else None,
                "unit": _(lang, ind.unit) if ind else None,
                "score": c.score,
                "band": c.band.render(lang) if c.band else None,
                "boundary": c.boundary.render(lang) if c.boundary else None,
                "status": str(c.status),
                "status_text": _(lang, STATUS_TEXT[c.status]),
                "data_rows": ind.rows if ind else 0,
                "missing": render_all(ind.missing, lang) if ind else [],
                "evidence": c.evidence.render(lang) if isinstance(c.evidence, Msg) else c.evidence,
                "source": " · ".join(
                    [describe(c.source, lang)] + ([c.clause.render(lang)] if c.clause else [])
                ),
            }
        )
    return {
        "lang": lang,
        "status": "draft",
        "note": _(lang, NOTE),
        "pack": {
            "id": pack.id,
            "version": pack.version,
            "title": pack.title.render(lang),
            "source": describe(pack.source, lang),
        },
        "period": str(assessment.period),
        "estate": {
            "id": park.id,
            "name": park.name,
            "operator": park.operator,
            "regency": park.regency,
            "province": region.name if region else None,
            "area_ha": park.area_ha,
            "established": park.established,
            "latitude": park.latitude,
            "longitude": park.longitude,
            "coordinates_approximate": park.coordinates_approximate,
            "land_use_ha": {str(k): v for k, v in park.land_use_ha.items()},
        },
        "variables": variables,
        "to_fill_by_hand": [
            {"part": n.part, "name": n.name.render(lang), "reason": n.reason.render(lang)}
            for n in assessment.not_encoded
        ],
    }


def declaration_html(data: dict[str, Any]) -> str:
    """Render the draft declaration as HTML in the language the data was prepared in."""
    return render("declaration.html", data["lang"], d=data)
