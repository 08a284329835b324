"""Rubric packs: band edges, located errors in user packs, and honest (in)completeness."""

from __future__ import annotations

import contextlib
import html

import pytest

from assess_cases import CRITERION, PACK_HEAD, pack_file, park_with
from sinergi.assess.engine import Status, assess
from sinergi.assess.gaps import data_gaps, gaps
from sinergi.assess.packs import available_packs, load_pack, load_profile
from sinergi.errors import FileProblem, InputError, UsageError
from sinergi.examples import tiny_park
from sinergi.model import LandUse, ParkServices, Period
from sinergi.reports.assessment import assessment_dict, assessment_html, verdict

P = Period(2024)


def _result(criterion: str, land: LandUse, share: float):
    eco = park_with(land, share, 100.0)
    pack = load_pack("permenperin-26-2025")
    return next(c for c in assess(eco, "demo-park", P, pack).criteria if c.id == criterion)


@pytest.mark.parametrize(
    ("share", "score"),
    [(0.0, 3), (69.99, 3), (70.0, 3), (70.01, 2), (75.0, 2), (75.01, 1), (100.0, 1)],
)
def test_industrial_plots_band_edges(share, score):
    assert _result("1.1.a", LandUse.INDUSTRIAL_PLOTS, share).score == score


@pytest.mark.parametrize(
    ("share", "score", "review", "boundary"),
    [
        (9.99, 1, True, False),
        (10.0, 2, False, True),
        (12.5, 2, False, False),
        (15.0, 2, False, False),
        (15.01, 3, False, False),
    ],
)
def test_green_open_space_band_edges(share, score, review, boundary):
    got = _result("1.1.b", LandUse.GREEN_OPEN_SPACE, share)
    assert got.score == score
    assert (got.review is not None) is review
    assert (got.boundary is not None) is boundary


@pytest.mark.parametrize(
    ("share", "score", "review", "boundary"),
    [
        (7.99, 1, True, False),
        (8.0, 2, False, True),
        (12.0, 2, False, False),
        (12.01, 3, False, False),
    ],
)
def test_roads_and_drains_band_edges(share, score, review, boundary):
    got = _result("1.1.c", LandUse.ROADS_AND_DRAINS, share)
    assert got.score == score
    assert (got.review is not None) is review
    assert (got.boundary is not None) is boundary


def test_permenperin_is_never_complete_and_names_what_is_missing():
    pack = load_pack("permenperin-26-2025")
    result = assess(tiny_park(), "demo-park", P, pack)
    assert all(c.status is not Status.NOT_ASSESSED for c in result.criteria)
    assert result.coverage == 1.0
    assert result.complete is False
    assert {n.part for n in result.not_encoded} == {"1.2+", "environment", "management"}
    assert "cannot be determined" in verdict(result, pack)["en"]
    assert "tidak dapat ditentukan" in verdict(result, pack)["id"]


def test_missing_land_use_is_not_assessed():
    eco = tiny_park()
    eco.parks["demo-park"].land_use_ha.clear()
    result = assess(eco, "demo-park", P, load_pack("permenperin-26-2025"))
    assert {c.status for c in result.criteria} == {Status.NOT_ASSESSED}


def test_gap_is_stated_in_indicator_units_and_hectares():
    eco = park_with(LandUse.GREEN_OPEN_SPACE, 123.0, 1500.0)  # 8.2 %
    pack = load_pack("permenperin-26-2025")
    found = gaps(assess(eco, "demo-park", P, pack), pack, eco)
    assert [g.criterion for g in found] == ["1.1.b"]
    assert found[0].current.render("en").startswith("8.2 %")
    assert found[0].needed.render("en") == (
        "at least 10 %: 1.8 points short (27.0 ha of the 1,500 ha park)"
    )
    assert found[0].needed.render("id") == (
        "minimal 10%: kurang 1,8 poin (27,0 ha dari kawasan seluas 1.500 ha)"
    )
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
    assert "meets the benchmark >= 10.00 %" in ne2.evidence.render("en")


def test_a_benchmark_without_a_source_is_refused(tmp_path):
    profile_file = tmp_path / "p.yaml"
    profile_file.write_text(
        "pack: eip-framework-2.0\nprofile: test\nversion: t\nbenchmarks:\n"
        "  - {criterion: ENV-NE-2, comparator: '>=', value: 10, unit: '%'}\n",
        "utf-8",
    )
    with pytest.raises(InputError, match="illustrative"):
        load_profile(load_pack("eip-framework-2.0"), profile_file)


BAD_CRITERIA = [
    ("unknown_indicator", ("green_open_space_share", "nope"), "unknown indicator 'nope'"),
    ("missing_bands", ("      bands:\n", "      bands: []\n      x_bands:\n"), "Extra inputs"),
    ("score_off_scale", ("score: 1, min", "score: 7, min"), "outside the scale"),
    (
        "extra_key",
        ("      type:", "      colour: red\n      type:"),
        "Extra inputs are not permitted",
    ),
    ("no_indonesian_name", ("      name_id: K1\n", ""), "name_id"),
    ("no_indonesian_band_text", (", text_id: kurang", ""), "text_id"),
    (
        "review_in_english_only",
        ("text_id: kurang}", "text_id: kurang, review_en: check}"),
        "review_id is missing",
    ),
    ("no_source", ("      source: {source: My checklist, year: 2026}\n", ""), "source"),
    (
        "unsourced_year",
        ("source: {source: My checklist, year: 2026}", "source: {source: x}"),
        "year",
    ),
    (
        "edge_not_a_band_edge",
        (
            "      bands:",
            "      contested_edges: [{value: 11, note_en: a, note_id: b}]\n      bands:",
        ),
        "not an edge",
    ),
]


@pytest.mark.parametrize(
    ("name", "change", "message"), BAD_CRITERIA, ids=[b[0] for b in BAD_CRITERIA]
)
def test_user_pack_errors_are_located(tmp_path, name, change, message):
    old, new = change
    assert old in CRITERION
    path = pack_file(tmp_path, CRITERION.replace(old, new, 1))
    with pytest.raises(InputError) as info:
        load_pack(path)
    assert any(str(path) in str(i) and message in str(i) for i in info.value.issues), info.value
    where = "criterion c1" if name == "score_off_scale" else "categories[0].elements[0].criteria[0]"
    assert any(where in str(i) for i in info.value.issues), info.value


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (
                "verification: {status: verified, note_en: Checked against our own text, "
                "note_id: Dicek}\n",
                "",
            ),
            "verification",
        ),
        (("status: verified", "status: checked"), "verification.status"),
        (("title_id: Milik saya\n", ""), "title_id"),
    ],
    ids=["no_verification", "unknown_verification", "no_indonesian_title"],
)
def test_a_pack_declares_its_verification_and_both_languages(tmp_path, change, message):
    old, new = change
    path = pack_file(tmp_path, head=PACK_HEAD.replace(old, new))
    with pytest.raises(InputError) as info:
        load_pack(path)
    assert any(message in str(i) for i in info.value.issues), info.value


def test_weights_must_add_to_100(tmp_path):
    head = PACK_HEAD.split("categories:")[0] + (
        "categories:\n- {id: a, name_en: A, name_id: A, weight: 60, weight_source: "
        "{source: s, year: 2026}}\n- {id: b, name_en: B, name_id: B, weight: 30, weight_source: "
        "{source: s, year: 2026}}\n"
    )
    with pytest.raises(InputError, match="add up to 90"):
        load_pack(pack_file(tmp_path, "", head=head))


def test_a_weight_needs_its_source(tmp_path):
    head = PACK_HEAD.replace("  name_en: Cat\n", "  name_en: Cat\n  weight: 100\n")
    with pytest.raises(InputError, match="a weight needs weight_source"):
        load_pack(pack_file(tmp_path, head=head))


def test_a_verified_fully_encoded_and_assessed_pack_can_be_complete(tmp_path):
    pack = load_pack(pack_file(tmp_path))
    result = assess(tiny_park(), "demo-park", P, pack)
    assert result.complete is True
    assert verdict(result, pack)["en"].startswith("Complete")
    assert verdict(result, pack)["id"].startswith("Lengkap")


def test_an_unverified_pack_is_never_complete_and_says_why(tmp_path):
    head = PACK_HEAD.replace(
        "status: verified, note_en: Checked against our own text, note_id: Dicek",
        "status: unverified, note_en: Paraphrased from notes, note_id: Parafrase dari catatan",
    )
    pack = load_pack(pack_file(tmp_path, head=head))
    result = assess(tiny_park(), "demo-park", P, pack)
    assert result.assessed == len(result.criteria)
    assert result.complete is False
    assert verdict(result, pack)["en"].startswith("Not final: 1 of 1 requirements assessed")
    assert "Paraphrased from notes" in verdict(result, pack)["en"]
    assert "Parafrase dari catatan" in verdict(result, pack)["id"]


def test_an_unknown_pack_is_a_usage_error_naming_the_shipped_ones():
    with pytest.raises(UsageError, match=r"shipped packs: eip-framework-2\.0, permenperin-26-2025"):
        load_pack("iso-14001")


def test_a_missing_pack_file_is_a_file_problem(tmp_path):
    with pytest.raises(FileProblem, match="no such file"):
        load_pack(tmp_path / "nope.yaml")


def test_an_unknown_profile_asked_for_by_name_is_a_usage_error():
    pack = load_pack("permenperin-26-2025")
    assert load_profile(pack) is None  # no shipped profile: none by default
    with pytest.raises(UsageError, match="no profile 'id'"):
        load_profile(pack, "id", required=True)


def test_shipped_packs_load_and_render_in_both_languages():
    eco = tiny_park()
    assert available_packs() == ["eip-framework-2.0", "permenperin-26-2025"]
    for pack_id in available_packs():
        pack = load_pack(pack_id)
        assert all(c.name_id for c in pack.criteria()), pack_id  # bilingual criterion names
        result = assess(eco, "demo-park", P, pack, profile=load_profile(pack))
        for lang, title in (("en", "Park assessment"), ("id", "Penilaian kawasan")):
            data = assessment_dict(result, pack, gaps(result, pack, eco), eco, lang=lang)
            page = assessment_html(data)
            assert "Demo Eco Park" in page
            assert title in page
            assert data["verdict"] in html.unescape(page)


def test_unassessed_criteria_are_data_gaps_not_ranked_gaps():
    eco = park_with(LandUse.GREEN_OPEN_SPACE, 8.2, 100.0)
    pack = load_pack("permenperin-26-2025")
    result = assess(eco, "demo-park", P, pack)
    assert [g.criterion for g in gaps(result, pack, eco)] == ["1.1.b"]
    found = data_gaps(result, pack)
    missing = {g.criterion: [m.render("en") for m in g.missing] for g in found}
    # scored from data: no judgement can stand in, so the data to supply is named
    assert {(g.judgement, tuple(s.table for s in g.supply)) for g in found} == {
        (False, ("parks", "land_use"))
    }
    assert missing == {
        "1.1.a": [
            "the area of industrial plots (kavling industri) is not reported (LandUse sheet)"
        ],
        "1.1.c": ["the area of roads and drains is not reported (LandUse sheet)"],
    }


def test_pdf_report_renders_and_never_fetches(caplog):
    from sinergi.reports.assessment import assessment_pdf

    eco = tiny_park()
    pack = load_pack("permenperin-26-2025")
    result = assess(eco, "demo-park", P, pack)
    html = assessment_html(assessment_dict(result, pack, gaps(result, pack, eco), eco, lang="id"))
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
