"""What a person reads: whole pages in one language, no Python values, no contradictions,
charts that read from zero, target against current in JSON, HTML and PDF (issue 12 §1, §3).
"""

from __future__ import annotations

import contextlib
import html
import re
import zlib

import pytest

from i18n_checks import english_left_on
from sinergi.assess.compare import trend
from sinergi.assess.engine import Judgement, Status, assess
from sinergi.assess.gaps import gaps
from sinergi.assess.packs import load_pack, load_profile
from sinergi.examples import tiny_park
from sinergi.model import Ecosystem, LandUse, Period
from sinergi.reports.assessment import assessment_dict, assessment_html, assessment_pdf
from sinergi.reports.declaration import declaration_html, self_declaration
from sinergi.reports.park import park_report, render_park_text

NOW, THEN = Period(2024), Period(2027)
EIP = load_pack("eip-framework-2.0")
PERMENPERIN = load_pack("permenperin-26-2025")
JUDGED = {
    "PM-GEN-1": Judgement(Status.MET, "Register izin 2024", "Penilai demo"),
    "PM-PZ-1": Judgement(Status.PARTLY_MET, "KKPR perluasan masih diproses"),
}
AIMED = {
    **JUDGED,
    "PM-PZ-1": Judgement(Status.MET, "KKPR terbit 2026 (rencana)"),
    "SOC-SM-5": Judgement(Status.NOT_MET, "Belum ada rencana mekanisme pengaduan"),
}


def _eco() -> Ecosystem:
    eco = tiny_park("2024")
    for year in ("2023", "2027"):
        other = tiny_park(year)
        eco.flows += other.flows
        eco.workforce += other.workforce
        eco.park_services += other.park_services
    return eco


def _data(pack, lang: str, *, target: bool = True, judged=JUDGED, eco=None):
    eco = eco or _eco()
    profile = load_profile(pack)
    current = assess(eco, "demo-park", NOW, pack, profile=profile, judgements=judged)
    planned = (
        assess(eco, "demo-park", THEN, pack, profile=profile, judgements=AIMED) if target else None
    )
    history = trend(eco, "demo-park", pack, NOW, profile=profile, current=current)
    return assessment_dict(
        current, pack, gaps(current, pack, eco), eco, history, lang=lang, target=planned
    )


def _visible(page: str) -> str:
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.mark.parametrize("pack", [EIP, PERMENPERIN], ids=lambda p: p.id)
def test_an_indonesian_page_has_no_english_sentence_from_the_catalogue(pack):
    page = assessment_html(_data(pack, "id"))
    assert english_left_on(page) == []
    assert "an assessor's judgement with evidence" not in page
    for english in ("Park assessment", "Criteria", "Verdict", "not assessed", "Sources"):
        assert english not in _visible(page), english


PYTHON_VALUES = re.compile(
    r"\bNone\b|\['|\bnot_met\b|\bpartly_met\b|\bnot_assessed\b|\b[a-z]+_share\b|"
    r"area not reported|\bTrue\b|\bFalse\b|[{}]|\d\.\d\d workers"
)


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("pack", [EIP, PERMENPERIN], ids=lambda p: p.id)
def test_pages_show_no_python_values(pack, lang):
    text = _visible(assessment_html(_data(pack, lang)))
    assert PYTHON_VALUES.findall(text) == []


def test_counts_are_whole_numbers_in_the_readers_style():
    english = _visible(assessment_html(_data(EIP, "en")))
    bahasa = _visible(assessment_html(_data(EIP, "id")))
    assert "330 workers" in english  # not "330.00 workers"
    assert "330 pekerja" in bahasa


def test_each_score_is_shown_with_its_band_text():
    text = _visible(assessment_html(_data(PERMENPERIN, "en")))
    assert "2 / 3 10 % to 15 % of the estate's area" in text
    bahasa = _visible(assessment_html(_data(PERMENPERIN, "id")))
    assert "2 / 3 10% – 15% dari luas Kawasan Industri" in bahasa


def test_coverage_never_reads_100_percent_beside_incomplete():
    data = _data(PERMENPERIN, "en", target=False)
    text = _visible(assessment_html(data))
    assert data["verdict"].startswith("Incomplete")
    assert "Coverage" not in text
    assert "Criteria assessed: 3 of the 3 encoded in sinergi." in text
    assert "3 part(s) of the standard are not encoded and are not counted" in text


def test_a_category_bar_is_as_long_as_its_share_of_all_encoded_criteria():
    data = _data(EIP, "en", target=False, judged={})
    bars = {row["name"]: row for row in data["charts"]["categories"]["rows"]}
    management = bars["Park management performance"]
    assert management["label"] == "1 met of 7"
    met = next(s for s in management["segments"] if s["colour"] == "#2da44e")
    width = data["charts"]["categories"]["bar_w"]
    assert met["width"] == pytest.approx(width / 7, abs=0.1)  # not a full bar


def test_the_charts_read_from_zero_with_five_labelled_ticks():
    data = _data(EIP, "en")
    ticks = data["charts"]["categories"]["ticks"]
    assert [t["label"] for t in ticks] == ["0%", "25%", "50%", "75%", "100%"]
    y_ticks = data["trend"]["y_ticks"]
    assert [t["label"] for t in y_ticks] == ["0%", "25%", "50%", "75%", "100%"]
    plot = data["trend"]["plot"]
    assert y_ticks[0]["y"] == plot["y"] + plot["h"]  # zero at the bottom of the plot


def test_a_series_without_data_is_not_drawn():
    data = _data(EIP, "en", judged={})
    drawn = {s["id"] for s in data["trend"]["series"]}
    assert "social" not in drawn  # no social requirement was assessed in any period
    assert "park_management" in drawn
    page = assessment_html(data)
    assert page.count("<polyline") == sum(len(s["dots"]) > 1 for s in data["trend"]["series"])


def test_the_trend_ends_where_the_report_stands():
    data = _data(EIP, "en", target=False)
    management = next(s for s in data["trend"]["series"] if s["id"] == "park_management")
    # 2024: PM-SV-1 (services record) and PM-GEN-1 met, PM-PZ-1 partly met: 2.5 of 7
    assert management["values"][-1] == pytest.approx(2.5 / 7)
    assert data["categories"][0]["assessed"] == 3


def test_synthetic_data_is_marked_on_the_trend():
    page = _visible(assessment_html(_data(EIP, "en")))
    assert "Demonstration data: the tenants and their flows are synthetic." in page


def test_empty_sections_are_not_drawn():
    eco = tiny_park()
    park = eco.parks["demo-park"]
    park.land_use_ha = {
        LandUse.INDUSTRIAL_PLOTS: 60.0,
        LandUse.GREEN_OPEN_SPACE: 20.0,
        LandUse.ROADS_AND_DRAINS: 15.0,
    }
    result = assess(eco, "demo-park", NOW, PERMENPERIN)
    assert {c.status for c in result.criteria} == {Status.MET}
    page = assessment_html(
        assessment_dict(result, PERMENPERIN, gaps(result, PERMENPERIN, eco), eco, lang="en")
    )
    for heading in ("Gaps and actions", "Not assessed:", "Prerequisites", "Trend by period"):
        assert heading not in page, heading


def test_every_criterion_not_assessed_says_what_to_supply_and_where():
    data = _data(EIP, "en", target=False)
    assert data["data_gaps"]
    for gap in data["data_gaps"]:
        assert gap["supply"] or gap["judgement"], gap["criterion"]
    water = next(g for g in data["data_gaps"] if g["criterion"] == "ENV-WA-1")
    assert water["supply"][0]["sheet"] == "Flows"
    assert "Quantity (blank if unknown)" in water["supply"][0]["columns"]
    bahasa = _data(EIP, "id", target=False)
    page = _visible(assessment_html(bahasa))
    assert "Lembar Flows (Aliran bahan, energi, air, limbah dan emisi), kolom" in page
    assert "These need a judgement with evidence" not in page  # the Indonesian words are used
    assert "perlu penilaian dengan bukti" in page
    assert "PM-SV-2: Badan pengelola menyediakan" in page


def test_the_target_is_shown_against_the_current_period_with_gaps():
    data = _data(EIP, "en")
    target = data["target"]
    assert target["period"] == "2027"
    row = next(r for r in target["comparison"] if r["criterion"] == "PM-PZ-1")
    assert (row["current"], row["target"], row["change"]) == ("partly_met", "met", "better")
    assert [g["criterion"] for g in target["gaps"]] == ["SOC-SM-5"]
    text = _visible(assessment_html(data))
    assert "Current (2024) and target (2027)" in text
    assert (
        "PM-PZ-1 The master plan and zoning follow the spatial plan (RTRW) and applicable rules "
        "partly met met improves" in text
    )


def test_without_a_target_the_page_has_no_target_section():
    with_target = assessment_html(_data(EIP, "en"))
    without = assessment_html(_data(EIP, "en", target=False))
    assert with_target != without
    assert "and target (" not in without


def _pdf_bookmarks(pdf: bytes) -> list[str]:
    """Return the outline (bookmark) titles of a PDF: WeasyPrint makes one per heading."""
    text = pdf
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            text += zlib.decompress(match.group(1))
    titles = []
    for raw in re.findall(rb"/Title\s*(\((?:[^\\)]|\\.)*\)|<[0-9A-Fa-f]+>)", text):
        if raw.startswith(b"<"):
            titles.append(bytes.fromhex(raw[1:-1].decode()).decode("utf-16"))
        else:
            titles.append(re.sub(rb"\\(.)", rb"\1", raw[1:-1]).decode("latin-1"))
    return titles


def test_the_pdf_carries_the_target_section():
    with_target = _pdf_bookmarks(assessment_pdf(assessment_html(_data(EIP, "en"))))
    assert "Current (2024) and target (2027)" in with_target
    without = _pdf_bookmarks(assessment_pdf(assessment_html(_data(EIP, "en", target=False))))
    assert "Current (2024) and target (2027)" not in without
    bahasa = _pdf_bookmarks(assessment_pdf(assessment_html(_data(EIP, "id"))))
    assert "Saat ini (2024) dan target (2027)" in bahasa


def test_the_html_refuses_data_prepared_in_another_language():
    from sinergi.errors import ReportError

    with pytest.raises(ReportError, match="build it with assessment_dict"):
        assessment_html(_data(EIP, "en", target=False), "id")


def test_the_eip_pack_says_why_it_is_not_final_when_every_requirement_is_met():
    everything = {c.id: Judgement(Status.MET, "seen") for c in EIP.criteria()}
    for lang, start, word in (("en", "Not final", "Complete"), ("id", "Belum final", "Lengkap")):
        data = _data(EIP, lang, target=False, judged=everything)
        assert data["assessed"] == 39
        assert data["complete"] is False
        assert data["verdict"].startswith(start)
        assert word not in data["verdict"]
        page = _visible(assessment_html(data))
        assert "Chapter 3" in page or "Bab 3" in page  # the reason is on the page


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_declaration_is_in_one_language_and_flags_boundary_values(lang):
    eco = tiny_park()
    eco.parks["demo-park"].land_use_ha[LandUse.GREEN_OPEN_SPACE] = 10.0
    data = self_declaration(eco, assess(eco, "demo-park", NOW, PERMENPERIN), PERMENPERIN, lang)
    page = declaration_html(data)
    text = _visible(page)
    if lang == "id":
        assert english_left_on(page) == []
        assert "Nilai batas — konfirmasikan dengan pedoman Kemenperin" in text
        assert "12,0 %" in text or "10,0 %" in text
    else:
        assert "Boundary value — confirm with Kemenperin guidance" in text
    assert PYTHON_VALUES.findall(text) == []


def test_the_park_text_has_no_python_values_in_either_language():
    eco = tiny_park()
    report = park_report(eco, "demo-park")
    for lang in ("en", "id"):
        text = render_park_text(report, lang)
        assert "None" not in text
        assert "{" not in text
    bahasa = render_park_text(report, "id")
    assert "wilayah: Demo province; kabupaten/kota: tidak dilaporkan" in bahasa
    assert "aliran tanpa jumlah (tidak diketahui, bukan nol): water_municipal 1" in bahasa
