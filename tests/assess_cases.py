"""Small pack files and parks for the assessment tests."""

from __future__ import annotations

from pathlib import Path

from sinergi.examples import tiny_park
from sinergi.model import Ecosystem, LandUse

#: A valid one-criterion user pack; tests replace one line to break it.
PACK_HEAD = """\
id: mine
version: '1'
title_en: Mine
title_id: Milik saya
source: {source: My checklist, year: 2026}
verification: {status: verified, note_en: Checked against our own text, note_id: Dicek}
scale: {min: 0, max: 3}
aggregation: {known: true, note_en: Mean of scores, note_id: Rata-rata skor}
categories:
- id: cat
  name_en: Cat
  name_id: Kat
  elements:
  - id: el
    name_en: El
    name_id: El
    criteria:
"""
CRITERION = """\
    - id: c1
      name_en: C1
      name_id: K1
      type: quantitative
      indicator: green_open_space_share
      direction: higher_is_better
      source: {source: My checklist, year: 2026}
      bands:
      - {score: 1, min: 10, text_en: at least 10 %, text_id: minimal 10%}
      - {score: 0, text_en: less, text_id: kurang}
"""


def pack_file(tmp_path: Path, criterion: str = CRITERION, head: str = PACK_HEAD) -> Path:
    """Write a user pack and return its path."""
    path = tmp_path / "pack.yaml"
    path.write_text(head + criterion, "utf-8")
    return path


def park_with(category: LandUse, area: float, park_area: float) -> Ecosystem:
    """Return the tiny park with one land-use category entered as ``area`` of ``park_area`` ha."""
    eco = tiny_park()
    park = eco.parks["demo-park"]
    park.area_ha = park_area
    park.land_use_ha = {category: area}
    return eco
