"""The openLCA export read by GreenDelta's own olca-schema package, as an independent check.

``sinergi footprint export-olca`` writes the zip a user imports into openLCA 2. No openLCA runs
here, so the package is read with ``olca_schema`` (the schema's Python binding, GreenDelta,
MPL-2.0): every entity must parse, no field we write may be unknown to the schema (a misspelt
field would be dropped silently by openLCA), and every reference — flows, units, providers,
process links, impact factors — must resolve inside the package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import olca_schema as o
import pytest
from olca_schema import zipio
from typer.testing import CliRunner

from sinergi.cli import app

TYPES: list[Any] = [
    o.UnitGroup,
    o.FlowProperty,
    o.Flow,
    o.Process,
    o.ImpactCategory,
    o.ImpactMethod,
    o.ProductSystem,
    o.Result,
]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("olca") / "pack.zip"
    done = CliRunner().invoke(
        app, ["footprint", "export-olca", "pack-nmc811", "--route", "rkef-matte", "--out", str(out)]
    )
    assert done.exit_code == 0, done.output
    return out


def _read(path: Path) -> dict[Any, dict[str, Any]]:
    with zipio.ZipReader(path) as reader:
        return {t: {e.id: e for e in reader.read_each(t)} for t in TYPES}


def _unknown_fields(ours: Any, parsed: Any, where: str) -> list[str]:
    """Return the keys of our JSON that the schema's classes do not carry back out."""
    if isinstance(ours, dict):
        back = parsed if isinstance(parsed, dict) else {}
        # "@type" on a nested object is informative only; the schema leaves it out there
        nested = "." in where.removesuffix(".json") or not where.endswith(".json")
        out = [f"{where}.{k}" for k in ours if k not in back and not (k == "@type" and nested)]
        for k in ours:
            if k in back:
                out += _unknown_fields(ours[k], back[k], f"{where}.{k}")
        return out
    if isinstance(ours, list) and isinstance(parsed, list):
        return [m for a, b in zip(ours, parsed, strict=False) for m in _unknown_fields(a, b, where)]
    return []


def test_every_entity_parses_and_no_field_is_unknown_to_the_schema(package: Path) -> None:
    import json
    import zipfile

    with zipfile.ZipFile(package) as z:
        names = [n for n in z.namelist() if n.endswith(".json")]
        unknown = []
        for name in names:
            ours = json.loads(z.read(name))
            kind = next(t for t in TYPES if t.__name__ == ours["@type"])
            parsed = kind.from_dict(ours).to_dict()
            unknown += _unknown_fields(ours, parsed, name)
    assert names
    assert unknown == []


def test_every_reference_resolves_inside_the_package(package: Path) -> None:
    found = _read(package)
    flows, processes = found[o.Flow], found[o.Process]
    groups, properties = found[o.UnitGroup], found[o.FlowProperty]
    assert processes
    assert len(found[o.ProductSystem]) == 1
    for prop in properties.values():
        assert prop.unit_group.id in groups
    for flow in flows.values():
        for factor in flow.flow_properties:
            assert factor.flow_property.id in properties
    for process in processes.values():
        refs = [e for e in process.exchanges if e.is_quantitative_reference]
        assert len(refs) == 1, process.name
        for exchange in process.exchanges:
            flow = flows[exchange.flow.id]
            units = {
                u.id
                for f in flow.flow_properties
                for u in groups[properties[f.flow_property.id].unit_group.id].units
            }
            assert exchange.unit.id in units, (process.name, flow.name)
            if exchange.default_provider is not None:
                assert exchange.default_provider.id in processes
    (system,) = found[o.ProductSystem].values()
    assert system.ref_process.id in processes
    for link in system.process_links:
        assert link.provider.id in processes
        assert link.flow.id in flows
        taker = processes[link.process.id]
        assert link.exchange is not None  # openLCA links this exchange, not any of the flow
        (linked,) = [e for e in taker.exchanges if e.internal_id == link.exchange.internal_id]
        assert linked.flow.id == link.flow.id
        assert linked.default_provider is not None
        assert linked.default_provider.id == link.provider.id
    for category in found[o.ImpactCategory].values():
        for factor in category.impact_factors:
            assert factor.flow.id in flows
