"""Where the tests find GS1's EPCIS 2.0 and the Battery Pass v1.2 JSON schemas.

The schemas are not copied into this repository (their licences ask for a legal read before
redistribution); they live in the project's shared reference folder
(``shared/reference/schemas``, see its README for sources and licences), found by walking up
from this file, or in the folder named by ``SINERGI_SCHEMAS``. Tests that need them skip with
that reason when neither exists.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest


def schema_dir() -> Path | None:
    """Return the schema folder, or ``None`` when it is not on this machine."""
    explicit = os.environ.get("SINERGI_SCHEMAS")
    if explicit:
        return Path(explicit)
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "reference" / "schemas"
        if candidate.is_dir():
            return candidate
    return None


def _load(path: Path) -> Any:
    raw = path.read_bytes()
    text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode()
    return json.loads(text)


@cache
def load_schema(relative: str) -> Any:
    """Return one schema (JSON), or skip the test naming what is missing."""
    folder = schema_dir()
    if folder is None or not (folder / relative).is_file():
        pytest.skip(
            f"schema {relative} not found: set SINERGI_SCHEMAS to the folder holding "
            "epcis-2.0/ and batterypass-1.2/ (sources in shared/reference/schemas/README.md)"
        )
    return _load(folder / relative)


def relaxed(schema: Any) -> Any:
    """Return a schema without its ``required`` lists: only the shape of what is given counts."""
    if isinstance(schema, dict):
        return {k: relaxed(v) for k, v in schema.items() if k != "required"}
    if isinstance(schema, list):
        return [relaxed(v) for v in schema]
    return schema


#: The schema file of each Battery Pass aspect.
BATTERY_PASS = {
    "GeneralProductInformation": "GeneralProductInformation-schema.json",
    "CarbonFootprintForBatteries": "CarbonFootprintForBatteries-schema.json",
    "Circularity": "Circularity-schema.json",
    "MaterialComposition": "MaterialComposition-schema.json",
    "PerformanceAndDurability": "PerformanceAndDurability-schema.json",
    "Labeling": "Labeling-schema.json",
    "SupplyChainDueDiligence": "SupplyChainDueDiligence-schema.json",
}
