"""The Standar Industri Hijau as a pack format: the structure ships, limits are the user's."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from sinergi.assess.engine import assess
from sinergi.assess.packs import load_pack
from sinergi.examples import tiny_park
from sinergi.model.summary import periods

STRUCTURE = Path(str(resources.files("sinergi.data.standards").joinpath("sih/structure.yaml")))


def test_structure_has_nine_technical_and_six_management_requirements() -> None:
    pack = load_pack(STRUCTURE)
    technical, management = pack.categories
    assert [len(technical.elements), len(management.elements)] == [9, 6]
    assert technical.elements[-1].name_en == "Greenhouse gas emissions"
    assert management.elements[0].name_id == "Kebijakan dan organisasi"


def test_no_limit_is_shipped_and_the_pack_says_why() -> None:
    pack = load_pack(STRUCTURE)
    assert pack.criteria() == []
    assert len(pack.not_encoded()) == 15
    assert all("nickel" in part.reason.en for part in pack.not_encoded())
    assert not pack.verified


def test_a_user_encoded_sih_assesses_a_plant(tmp_path: Path) -> None:
    doc = yaml.safe_load(STRUCTURE.read_text("utf-8"))
    doc["id"] = "sih-example"
    energy = doc["categories"][0]["elements"][2]
    del energy["not_encoded_en"], energy["not_encoded_id"]
    energy["criteria"] = [
        {
            "id": "T3-1",
            "name_en": "Energy management system in place (example criterion)",
            "name_id": "Sistem manajemen energi diterapkan (kriteria contoh)",
            "type": "qualitative",
            "source": {"illustrative": True, "note": "an example written in a test"},
        }
    ]
    path = tmp_path / "sih-example.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    pack = load_pack(path)
    eco = tiny_park()
    park = next(iter(eco.parks))
    result = assess(eco, park, periods(eco)[-1], pack)
    assert [(c.id, c.element) for c in result.criteria] == [("T3-1", "T3")]


def test_cli_writes_the_structure_to_encode(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sinergi.cli import app

    out = tmp_path / "sih.yaml"
    result = CliRunner().invoke(app, ["national", "sih-template", str(out)])
    assert result.exit_code == 0, result.output
    assert load_pack(out).kind == "sih"
    bad = CliRunner().invoke(app, ["national", "sih-template", str(tmp_path / "sih.txt")])
    assert bad.exit_code == 2
