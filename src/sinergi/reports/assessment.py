"""Assessment results as plain data (JSON) and as a bilingual HTML page with inline SVG charts.

Every number on the page comes from the assessment: the criterion's indicator value, its
unit, the data rows it was computed from and the reference source of the criterion.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import asdict
from importlib import resources
from typing import Any

from jinja2 import Environment, StrictUndefined

from sinergi.assess.compare import ComparisonRow
from sinergi.assess.engine import Assessment, Status
from sinergi.assess.gaps import Gap, data_gaps
from sinergi.assess.packs import Pack
from sinergi.errors import ReportError
from sinergi.model import Ecosystem

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Park assessment",
        "period": "Period",
        "pack": "Standard",
        "verdict": "Verdict",
        "coverage": "Coverage (criteria assessed)",
        "trend": "Trend: share of criteria met per category, by period",
        "trend_one": "Only one period of data: no trend yet.",
        "categories": "Categories",
        "criteria": "Criteria",
        "gaps": "Gaps and actions (highest priority first)",
        "data_gaps": "Not assessed: data or judgement needed",
        "not_encoded": "Not encoded in sinergi: assess manually",
        "status": "Status",
        "value": "Value",
        "score": "Score",
        "evidence": "Evidence",
        "source": "Source",
        "needed": "Needed",
        "action": "Suggested action",
        "effort": "Effort",
        "mean": "Mean score",
        "share_met": "Share met",
        "weight": "Weight",
        "prerequisites": "Prerequisites (gates)",
        "illustrative": "Effort classes are sinergi's illustrative judgement.",
        "synthetic": "Demonstration data: tenants and flows are synthetic.",
        "met": "met",
        "partly_met": "partly met",
        "not_met": "not met",
        "not_applicable": "not applicable",
        "not_assessed": "not assessed",
    },
    "id": {
        "title": "Penilaian kawasan",
        "period": "Periode",
        "pack": "Standar",
        "verdict": "Hasil",
        "coverage": "Cakupan (kriteria yang dinilai)",
        "trend": "Tren: persentase kriteria terpenuhi per kategori, per periode",
        "trend_one": "Data hanya untuk satu periode: belum ada tren.",
        "categories": "Kategori",
        "criteria": "Kriteria",
        "gaps": "Kesenjangan dan tindakan (prioritas tertinggi dahulu)",
        "data_gaps": "Belum dinilai: perlu data atau penilaian",
        "not_encoded": "Belum dikodekan di sinergi: nilai secara manual",
        "status": "Status",
        "value": "Nilai",
        "score": "Skor",
        "evidence": "Bukti",
        "source": "Sumber",
        "needed": "Yang diperlukan",
        "action": "Tindakan yang disarankan",
        "effort": "Upaya",
        "mean": "Skor rata-rata",
        "share_met": "Porsi terpenuhi",
        "weight": "Bobot",
        "prerequisites": "Prasyarat",
        "illustrative": "Kelas upaya adalah penilaian ilustratif sinergi.",
        "synthetic": "Data demonstrasi: tenant dan aliran bersifat sintetis.",
        "met": "terpenuhi",
        "partly_met": "sebagian terpenuhi",
        "not_met": "tidak terpenuhi",
        "not_applicable": "tidak berlaku",
        "not_assessed": "belum dinilai",
    },
}


def verdict(a: Assessment, pack: Pack) -> dict[str, str]:
    """Return the one-line verdict in English and Indonesian; never 'complete' when it is not."""
    assessed = sum(c.status is not Status.NOT_ASSESSED for c in a.criteria)
    total = len(a.criteria)
    if pack.pass_mark is not None and not pack.aggregation.known:
        return {
            "en": f"Incomplete: {total} criteria of this standard are encoded in sinergi "
            f"({assessed} assessed); {len(a.not_encoded)} part(s) are not encoded, and the "
            f"roll-up to the {pack.pass_mark.value:g}-point mark is not published in our "
            "data, so accreditation cannot be determined here.",
            "id": f"Belum lengkap: {total} kriteria standar ini dikodekan di sinergi ({assessed} "
            f"dinilai); {len(a.not_encoded)} bagian belum dikodekan dan cara penjumlahan ke "
            f"batas {pack.pass_mark.value:g} poin tidak ada dalam data kami, sehingga "
            "status akreditasi tidak dapat ditentukan di sini.",
        }
    gates = a.prerequisites_met
    gate_en = {
        True: "all prerequisites met",
        False: "a prerequisite is not met",
        None: "prerequisites not all assessed",
    }[gates]
    gate_id = {
        True: "semua prasyarat terpenuhi",
        False: "ada prasyarat yang tidak terpenuhi",
        None: "prasyarat belum semua dinilai",
    }[gates]
    state_en = "complete" if a.complete else "incomplete"
    state_id = "lengkap" if a.complete else "belum lengkap"
    return {
        "en": f"{state_en.capitalize()}: {assessed} of {total} requirements assessed; {gate_en}.",
        "id": f"{state_id.capitalize()}: {assessed} dari {total} persyaratan dinilai; {gate_id}.",
    }


def assessment_dict(
    a: Assessment,
    pack: Pack,
    gap_list: list[Gap],
    eco: Ecosystem,
    history: Sequence[ComparisonRow] = (),
) -> dict[str, Any]:
    """Return the assessment, its verdict, its gaps and its trend as JSON-ready data.

    ``history`` is the park's assessment in earlier periods (see
    :func:`sinergi.assess.compare.trend`); with two or more periods the report draws a trend.
    """
    park = eco.parks[a.park_id]
    return {
        "park": {
            "id": park.id,
            "name": park.name,
            "synthetic": park.synthetic,
            "synthetic_tenants": all(
                c.synthetic for c in eco.companies.values() if c.park_id == park.id
            ),
        },
        "pack": {
            "id": pack.id,
            "version": pack.version,
            "title_en": pack.title_en,
            "title_id": pack.title_id,
            "source": pack.source,
            "aggregation": pack.aggregation.note,
        },
        "period": str(a.period),
        "verdict": verdict(a, pack),
        "complete": a.complete,
        "coverage": a.coverage,
        "prerequisites": {k: str(v) for k, v in a.prerequisites.items()},
        "prerequisites_met": a.prerequisites_met,
        "not_encoded": list(a.not_encoded),
        "categories": [asdict(c) for c in a.categories],
        "criteria": [_criterion(c) for c in a.criteria],
        "gaps": [asdict(g) for g in gap_list],
        "data_gaps": [asdict(g) for g in data_gaps(a)],
        "trend": trend_data(history, a),
    }


#: Size of the trend chart's plot area (SVG user units).
_CHART_W, _CHART_H, _CHART_X0, _CHART_Y0 = 420.0, 150.0, 40.0, 10.0


def trend_data(history: Sequence[ComparisonRow], a: Assessment) -> dict[str, Any]:
    """Return the share of criteria met per category and the coverage, per period.

    Each series also carries SVG polyline points (x by period, y by share 0-100 %) so
    that the template only draws; periods where a category could not be assessed
    (``None``) are skipped by the line and shown as '–' in the table.
    """
    rows = list(history)
    labels = [("coverage", "Coverage", "Cakupan")] + [
        (c.id, c.name_en, c.name_id) for c in a.categories
    ]
    step = _CHART_W / max(len(rows) - 1, 1)
    series: list[dict[str, Any]] = []
    for sid, en, ind in labels:
        values = [r.coverage if sid == "coverage" else r.share_met.get(sid) for r in rows]
        dots = [
            (round(_CHART_X0 + i * step, 1), round(_CHART_Y0 + _CHART_H * (1 - v), 1))
            for i, v in enumerate(values)
            if v is not None
        ]
        series.append(
            {
                "id": sid,
                "name_en": en,
                "name_id": ind,
                "values": values,
                "points": " ".join(f"{x},{y}" for x, y in dots),
                "dots": dots,
            }
        )
    ticks = [{"label": r.period, "x": round(_CHART_X0 + i * step, 1)} for i, r in enumerate(rows)]
    return {"periods": [r.period for r in rows], "series": series, "ticks": ticks}


def _criterion(c: Any) -> dict[str, Any]:
    out = {k: v for k, v in asdict(c).items() if k != "indicator"}
    out["status"] = str(c.status)
    ind = c.indicator
    out["indicator"] = (
        None
        if ind is None
        else {
            "id": ind.id,
            "value": ind.value,
            "unit": ind.unit,
            "status": str(ind.status),
            "detail": ind.detail,
            "rows": ind.rows,
            "missing": list(ind.missing),
            "notes": list(ind.notes),
            "sources": list(ind.sources),
        }
    )
    return out


def assessment_html(data: dict[str, Any], lang: str = "en") -> str:
    """Render assessment data as a self-contained HTML page (no scripts, no network)."""
    text = (
        resources.files("sinergi.reports").joinpath("templates/assessment.html").read_text("utf-8")
    )
    env = Environment(
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    return env.from_string(text).render(d=data, t=LABELS[lang], lang=lang)


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
