"""A draft of the Permenperin 26/2025 self-declaration (pernyataan mandiri), prefilled from data.

The annex names a *Formulir Survei Pernyataan Mandiri Pemenuhan Standar Kawasan Industri*, but
its fields are not in sinergi's reference data. The draft therefore holds what sinergi can
stand behind: the estate's identity, the encoded variables with their values, scores and data
rows, and the list of parts to fill in by hand. It is marked as a draft everywhere it appears.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from jinja2 import Environment, StrictUndefined

from sinergi.assess.engine import Assessment
from sinergi.assess.packs import Pack
from sinergi.model import Ecosystem

NOTE_EN = (
    "DRAFT prepared by sinergi. The fields of the official self-declaration form (Permenperin "
    "26/2025, Lampiran) are not in sinergi's reference data; this draft lists the data sinergi "
    "holds for the variables it encodes. Complete and sign the official form."
)
NOTE_ID = (
    "DRAF disiapkan oleh sinergi. Isian formulir resmi pernyataan mandiri (Lampiran Permenperin "
    "26/2025) tidak ada dalam data referensi sinergi; draf ini memuat data yang dimiliki sinergi "
    "untuk variabel yang telah dikodekan. Lengkapi dan tandatangani formulir resmi."
)


def self_declaration(eco: Ecosystem, assessment: Assessment, pack: Pack) -> dict[str, Any]:
    """Return the draft self-declaration of one park as plain data."""
    park = eco.parks[assessment.park_id]
    region = eco.regions.get(park.region_id)
    return {
        "status": "draft",
        "note_en": NOTE_EN,
        "note_id": NOTE_ID,
        "pack": {"id": pack.id, "version": pack.version, "source": pack.source},
        "period": str(assessment.period),
        "estate": {
            "id": park.id,
            "name": park.name,
            "operator": park.operator,
            "regency": park.regency,
            "province": region.name if region else None,
            "area_ha": park.area_ha,
            "established": park.established,
            "coordinates": [park.latitude, park.longitude],
            "coordinates_approximate": park.coordinates_approximate,
            "land_use_ha": {str(k): v for k, v in park.land_use_ha.items()},
        },
        "variables": [
            {
                "id": c.id,
                "name_id": c.name_id,
                "name_en": c.name_en,
                "value": c.indicator.value if c.indicator else None,
                "unit": c.indicator.unit if c.indicator else None,
                "score": c.score,
                "band": c.band,
                "status": str(c.status),
                "data_rows": c.indicator.rows if c.indicator else 0,
                "missing": list(c.indicator.missing) if c.indicator else [],
                "source": c.source,
            }
            for c in assessment.criteria
        ],
        "to_fill_by_hand": list(assessment.not_encoded),
    }


def declaration_html(data: dict[str, Any]) -> str:
    """Render the draft declaration (Indonesian first, English notes) as HTML."""
    text = (
        resources.files("sinergi.reports").joinpath("templates/declaration.html").read_text("utf-8")
    )
    env = Environment(autoescape=True, undefined=StrictUndefined)
    return env.from_string(text).render(d=data)
