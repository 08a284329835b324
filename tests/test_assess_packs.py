"""Rubric packs: band edges, located errors in user packs, and honest (in)completeness."""

from __future__ import annotations

import contextlib

import pytest

from sinergi.assess.engine import Status, assess
from sinergi.assess.gaps import gaps
from sinergi.assess.packs import available_packs, load_pack, load_profile
from sinergi.errors import InputError
from sinergi.examples import tiny_park
from sinergi.model import LandUse, ParkServices, Period
from sinergi.reports.assessment import assessment_dict, assessment_html, verdict

P = Period(2024)


def _score(criterion: str, indicator_land: LandUse, share: float):
    eco = tiny_park()
    eco.parks["demo-park"].land_use_ha = {indicator_land: share}  # area is 100 ha
    pack = load_pack("permenperin-26-2025")
    result = next(c for c in assess(eco, "demo-park", P, pack).criteria if c.id == criterion)
    return result.score, result.review


@pytest.mark.parametrize(
    ("share", "score"),
    [(0.0, 3), (69.99, 3), (70.0, 3), (70.01, 2), (75.0, 2), (75.01, 1), (100.0, 1)],
)
def test_industrial_plots_band_edges(share, score):
    assert _score("1.1.a", LandUse.INDUSTRIAL_PLOTS, share)[0] == score


@pytest.mark.parametrize(
    ("share", "score", "review"),
    [(9.99, 1, True), (10.0, 2, False), (12.5, 2, False), (15.0, 2, False), (15.01, 3, False)],
)
def test_green_open_space_band_edges(share, score, review):
    got, note = _score("1.1.b", LandUse.GREEN_OPEN_SPACE, share)
    assert got == score
    assert (note is not None) is review


@pytest.mark.parametrize(
    ("share", "score", "review"),
    [(7.99, 1, True), (8.0, 2, False), (12.0, 2, False), (12.01, 3, False)],
)
def test_roads_and_drains_band_edges(share, score, review):
    got, note = _score("1.1.c", LandUse.ROADS_AND_DRAINS, share)
    assert got == score
    assert (note is not None) is review


def test_permenperin_is_never_complete_and_names_what_is_missing():
    pack = load_pack("permenperin-26-2025")
    result = assess(tiny_park(), "demo-park", P, pack)
    assert all(c.status is not Status.NOT_ASSESSED for c in result.criteria)
    assert result.coverage == 1.0
    assert result.complete is False
    assert any("environment" in n for n in result.not_encoded)
    assert "cannot be determined" in verdict(result, pack)["en"]


def test_missing_land_use_is_not_assessed():
    eco = tiny_park()
    eco.parks["demo-park"].land_use_ha.clear()
    result = assess(eco, "demo-park", P, load_pack("permenperin-26-2025"))
    assert {c.status for c in result.criteria} == {Status.NOT_ASSESSED}


def test_gap_is_stated_in_indicator_units_and_hectares():
    eco = tiny_park()
    park = eco.parks["demo-park"]
    park.area_ha = 1500.0
    park.land_use_ha = {LandUse.GREEN_OPEN_SPACE: 123.0}  # 8.2 %
    pack = load_pack("permenperin-26-2025")
    found = gaps(assess(eco, "demo-park", P, pack), pack, eco)
    assert [g.criterion for g in found] == ["1.1.b"]
    assert found[0].current.startswith("8.2 %")
    assert "1.8 points short (27.0 ha of the 1,500 ha park)" in found[0].needed
    assert found[0].actions


def test_eip_prerequisites_gate_from_park_services():
    pack = load_pack("eip-framework-2.0")
    eco = tiny_park()
    result = assess(eco, "demo-park", P, pack, profile=load_profile(pack))
    assert result.prerequisites["PM-SV-1"] is Status.MET
    assert result.prerequisites_met is None  # PM-GEN-1 and PM-PZ-1 not judged
    eco.park_services[0] = ParkServices("demo-park", P, management_entity=False)
    assert assess(eco, "demo-park", P, pack).prerequisites_met is False


def test_profile_benchmark_turns_a_requirement_quantitative(tmp_path):
    pack = load_pack("eip-framework-2.0")
    profile_file = tmp_path / "p.yaml"
    profile_file.write_text(
        "pack: eip-framework-2.0\nprofile: test\nversion: t\nbenchmarks:\n"
        "  - {criterion: ENV-NE-2, comparator: '>=', value: 10, unit: '%', "
        "source: test benchmark, year: 2026}\n",
        "utf-8",
    )
    profile = load_profile(pack, profile_file)
    result = assess(tiny_park(), "demo-park", P, pack, profile=profile)
    ne2 = next(c for c in result.criteria if c.id == "ENV-NE-2")
    assert ne2.status is Status.MET
    assert "meets benchmark >= 10" in ne2.evidence


BAD_PACKS = [
    ("unknown_indicator", "indicator: nope", "unknown indicator 'nope'"),
    ("missing_bands", "bands: []", "needs indicator, direction and bands"),
    ("score_off_scale", "bands: [{score: 7, text: x}]", "outside the scale"),
    ("extra_key", "colour: red", "Extra inputs are not permitted"),
]


@pytest.mark.parametrize(("name", "line", "message"), BAD_PACKS, ids=[b[0] for b in BAD_PACKS])
def test_user_pack_errors_are_located(tmp_path, name, line, message):
    body = {
        "indicator": "      indicator: green_open_space_share\n",
        "bands": "      bands: [{score: 3, min: 10, text: ok}, {score: 1, text: low}]\n",
    }
    key = line.split(":")[0]
    crit = (
        "    - id: c1\n      name_en: C1\n      type: quantitative\n"
        "      direction: higher_is_better\n      source: s\n"
    )
    crit += body.get("indicator") if key != "indicator" else f"      {line}\n"
    crit += body.get("bands") if key != "bands" else f"      {line}\n"
    if key == "colour":
        crit += f"      {line}\n"
    text = (
        "id: mine\nversion: '1'\ntitle_en: Mine\nsource: s\nscale: {min: 1, max: 3}\n"
        "aggregation: {known: true, note: n}\ncategories:\n- id: cat\n  name_en: Cat\n"
        "  elements:\n  - id: el\n    name_en: El\n    criteria:\n" + crit
    )
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError) as info:
        load_pack(path)
    assert any(str(path) in str(i) and message in str(i) for i in info.value.issues)
    where = "criterion c1" if name == "score_off_scale" else "categories[0].elements[0].criteria[0]"
    assert any(where in str(i) for i in info.value.issues)


def test_weights_must_add_to_100(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text(
        "id: w\nversion: '1'\ntitle_en: W\nsource: s\naggregation: {known: true, "
        "note: n}\ncategories:\n- {id: a, name_en: A, weight: 60}\n"
        "- {id: b, name_en: B, weight: 30}\n",
        "utf-8",
    )
    with pytest.raises(InputError, match="add up to 90"):
        load_pack(path)


def test_a_fully_encoded_and_assessed_pack_can_be_complete(tmp_path):
    path = tmp_path / "full.yaml"
    path.write_text(
        "id: full\nversion: '1'\ntitle_en: Full\nsource: s\naggregation: {known: true, note: n}\n"
        "categories:\n- id: c\n  name_en: C\n  elements:\n  - id: e\n    name_en: E\n"
        "    criteria:\n    - id: rth\n      name_en: RTH\n      type: quantitative\n"
        "      indicator: green_open_space_share\n      direction: higher_is_better\n"
        "      source: s\n      bands: [{score: 1, min: 10, text: ok}, {score: 0, text: low}]\n",
        "utf-8",
    )
    pack = load_pack(path)
    result = assess(tiny_park(), "demo-park", P, pack)
    assert result.complete is True
    assert verdict(result, pack)["en"].startswith("Complete")


def test_shipped_packs_load_and_render_in_both_languages():
    eco = tiny_park()
    assert available_packs() == ["eip-framework-2.0", "permenperin-26-2025"]
    for pack_id in available_packs():
        pack = load_pack(pack_id)
        assert all(c.name_id for c in pack.criteria()), pack_id  # bilingual criterion names
        result = assess(eco, "demo-park", P, pack, profile=load_profile(pack))
        data = assessment_dict(result, pack, gaps(result, pack, eco), eco)
        english, bahasa = assessment_html(data, "en"), assessment_html(data, "id")
        assert "Demo Eco Park" in english
        assert "<svg" in english
        assert "Penilaian kawasan" in bahasa
        assert data["verdict"]["id"] in bahasa


def test_unassessed_criteria_are_data_gaps_not_ranked_gaps():
    from sinergi.assess.gaps import data_gaps

    eco = tiny_park()
    eco.parks["demo-park"].land_use_ha = {LandUse.GREEN_OPEN_SPACE: 8.2}
    pack = load_pack("permenperin-26-2025")
    result = assess(eco, "demo-park", P, pack)
    assert [g.criterion for g in gaps(result, pack, eco)] == ["1.1.b"]
    missing = {g.criterion: g.missing for g in data_gaps(result)}
    assert missing == {
        "1.1.a": "industrial_plots area not reported",
        "1.1.c": "roads_and_drains area not reported",
    }


def test_report_labels_exist_in_both_languages():
    from sinergi.reports.assessment import LABELS

    assert set(LABELS["en"]) == set(LABELS["id"])
    assert all(LABELS["id"][k] for k in LABELS["id"])


def test_pdf_report_renders_and_never_fetches(caplog):
    from sinergi.reports.assessment import assessment_pdf

    eco = tiny_park()
    pack = load_pack("permenperin-26-2025")
    result = assess(eco, "demo-park", P, pack)
    html = assessment_html(assessment_dict(result, pack, gaps(result, pack, eco), eco), "id")
    assert assessment_pdf(html).startswith(b"%PDF")
    with caplog.at_level("ERROR", logger="weasyprint"):
        pdf = assessment_pdf(html.replace("</body>", '<img src="http://example.org/x.png"></body>'))
    assert pdf.startswith(b"%PDF")
    assert "reports must be self-contained" in caplog.text


def _pdf_fonts(pdf: bytes) -> set[bytes]:
    """Return the base-font names embedded in a PDF (its object streams are deflated)."""
    import re
    import zlib

    text = pdf
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            text += zlib.decompress(match.group(1))
    return {name.split(b"+")[-1] for name in re.findall(rb"/BaseFont\s*/([A-Za-z+\-]+)", text)}


def test_pdf_uses_the_fonts_shipped_in_the_package():
    from sinergi.reports.assessment import assessment_pdf

    # a family only the package's @font-face rules define: without them fontconfig would fall
    # back to its default (serif) face
    page = '<p style="font-family: sinergi-sans">Kawasan <b>industri</b></p>'
    assert _pdf_fonts(assessment_pdf(page)) == {b"DejaVu-Sans", b"DejaVu-Sans-Bold"}
