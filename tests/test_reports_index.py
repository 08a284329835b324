from __future__ import annotations

import re
from pathlib import Path

from i18n_checks import english_left_on
from sinergi.reports.index import index_entries, write_index


def _tree(root: Path) -> None:
    for rel in (
        "summary.md",
        "summary.json",
        "sinergi.db",
        "sinergi.db-wal",
        "assessments/kiic.permenperin-26-2025.id.html",
        "assessments/kiic.permenperin-26-2025.en.html",
        "assessments/kiic.pernyataan-mandiri.draft.html",
        "symbiosis/national.en.html",
        "battery/swap-station.json",
        "unknown/thing.bin",
    ):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", "utf-8")


def test_the_index_links_every_output_file_once(tmp_path: Path) -> None:
    _tree(tmp_path)
    pages = write_index(tmp_path)
    files = {
        p.relative_to(tmp_path).as_posix()
        for p in tmp_path.rglob("*")
        if p.is_file() and p not in pages and not p.name.endswith("-wal")
    }
    for page in pages:
        links = re.findall(r'href="([^"]+)"', page.read_text("utf-8"))
        assert set(links) - {"index.html", "index.id.html"} == files
        assert sorted(set(links)) == sorted(links)


def test_each_file_is_described_in_the_readers_language(tmp_path: Path) -> None:
    _tree(tmp_path)
    en = {e.stem: e for e in index_entries(tmp_path, "en")}
    idn = {e.stem: e for e in index_entries(tmp_path, "id")}
    key = "assessments/kiic.permenperin-26-2025"
    assert en[key].description == "Assessment of park kiic against permenperin-26-2025"
    assert idn[key].description == "Penilaian kawasan kiic terhadap permenperin-26-2025"
    assert [link.label for link in idn[key].links] == [
        "HTML · Bahasa Inggris",
        "HTML · Bahasa Indonesia",
    ]
    assert en["unknown/thing.bin"].description == "unknown/thing.bin"


def test_a_standard_id_with_dots_is_still_recognised(tmp_path: Path) -> None:
    path = tmp_path / "assessments" / "kim.eip-framework-2.0.id.pdf"
    path.parent.mkdir()
    path.write_text("x", "utf-8")
    (entry,) = index_entries(tmp_path, "en")
    assert entry.description == "Assessment of park kim against eip-framework-2.0"
    assert entry.links[0].label == "PDF · Indonesian"


def test_the_indonesian_index_has_no_english_sentences(tmp_path: Path) -> None:
    _tree(tmp_path)
    write_index(tmp_path)
    page = (tmp_path / "index.id.html").read_text("utf-8")
    assert english_left_on(page) == []
    assert 'lang="id"' in page


def test_a_verdict_in_the_summary_ends_with_one_full_stop() -> None:
    from sinergi.reports.summary import _assessments

    one = {"park": "p", "pack": "x", "period": "2024", "coverage": 0.0}
    lines = _assessments({"assessments": [{**one, "verdict": "Incomplete: nothing here."}]})
    row = next(line for line in lines if line.startswith("| p |"))
    assert row.endswith("| Incomplete: nothing here. |")
    assert ".." not in row
