"""The demo's ``out/emobility/``: a synthetic bill, labelled, checked against real certificates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from i18n_checks import english_left_on
from sinergi.reports.demo_emobility import certified_range, write_emobility_demo
from sinergi.reports.index import index_entries


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    out = tmp_path_factory.mktemp("out")
    return out, write_emobility_demo(out)


def test_the_demo_writes_every_report_in_both_languages(
    demo: tuple[Path, dict[str, object]],
) -> None:
    out, _ = demo
    names = {p.name for p in (out / "emobility").iterdir()}
    for report in ("tkdn", "transition", "packs"):
        assert {
            f"{report}.json",
            f"{report}.en.html",
            f"{report}.id.html",
            f"{report}.xlsx",
        } <= names
    assert {"bom.synthetic.yaml", "suppliers.synthetic.csv"} <= names


def test_the_bill_is_labelled_synthetic_in_the_file_and_on_the_pages(
    demo: tuple[Path, dict[str, object]],
) -> None:
    out, _ = demo
    folder = out / "emobility"
    assert (folder / "bom.synthetic.yaml").read_text("utf-8").startswith("# SYNTHETIC")
    assert json.loads((folder / "tkdn.json").read_text("utf-8"))["synthetic"] is True
    assert "synthetic: a demonstration" in (folder / "tkdn.en.html").read_text("utf-8")
    assert "sintetis: sebuah peragaan" in (folder / "tkdn.id.html").read_text("utf-8")


def test_the_synthetic_tkdn_lies_within_the_certified_values_of_real_models(
    demo: tuple[Path, dict[str, object]],
) -> None:
    _, summary = demo
    low, high = certified_range()
    assert (low, high) == (32.33, 64.30)
    check = summary["certified_range_check"]
    assert check == {"low_percent": low, "high_percent": high, "within": True}
    assert low <= summary["synthetic_bom_tkdn_percent"] <= high  # type: ignore[operator]


def test_the_demo_suppliers_are_parts_makers_of_the_demo_ecosystem(
    demo: tuple[Path, dict[str, object]],
) -> None:
    out, summary = demo
    record = json.loads((out / "emobility" / "transition.json").read_text("utf-8"))
    assert record["suppliers"]
    assert all(s["company_id"] and s["park"] and s["synthetic"] for s in record["suppliers"])
    assert summary["suppliers_losing_demand"] > 0
    assert any(m["related"] for m in record["parts_makers"])


def test_indonesian_demo_pages_have_no_english_sentences(
    demo: tuple[Path, dict[str, object]],
) -> None:
    out, _ = demo
    for name in ("tkdn", "transition", "packs"):
        page = (out / "emobility" / f"{name}.id.html").read_text("utf-8")
        assert english_left_on(page) == [], name


def test_the_index_describes_every_emobility_file(demo: tuple[Path, dict[str, object]]) -> None:
    out, _ = demo
    entries = [e for e in index_entries(out, "id") if e.folder == "emobility"]
    assert len(entries) == 5
    assert all(not e.description.startswith("emobility/") for e in entries)


def test_every_illustrative_note_of_the_data_has_an_indonesian_wording() -> None:
    import yaml

    from sinergi.reports.emobility_pages import missing_wordings

    notes: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("illustrative") and node.get("note"):
                notes.append(str(node["note"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    folder = Path(__file__).resolve().parent.parent / "src" / "sinergi" / "data" / "emobility"
    for path in sorted(folder.glob("*.yaml")):
        if path.name != "text_id.yaml":
            walk(yaml.safe_load(path.read_text("utf-8")))
    assert len(notes) >= 5
    assert missing_wordings(notes) == []
