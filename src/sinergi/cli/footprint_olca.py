"""``sinergi footprint export-olca`` and ``import-olca``: openLCA 2 JSON-LD packages (zip).

The conversion is :mod:`sinergi.footprint.olca` (pure); this module packs and unpacks the
zip, one JSON file per entity under the folder openLCA expects (``processes/``, ``flows/``,
``unit_groups/``, ``flow_properties/``, ``lcia_categories/``, ``lcia_methods/``,
``product_systems/``, ``results/``). A file that is not a zip, or an entity that is not JSON,
is a data error (exit 3) naming the file and the entry.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from sinergi.cli.common import LangOption, TextFormat, write_file
from sinergi.cli.footprint import (
    MethodOption,
    PlantOption,
    RouteOption,
    ScenarioOption,
    TextJsonOption,
    _emit,
    _plant,
    footprint_app,
)
from sinergi.errors import FileProblem
from sinergi.footprint.olca import from_olca, to_olca
from sinergi.footprint.scenarios import FootprintModel
from sinergi.i18n import N_, Language, gettext
from sinergi.reports.footprint import number


@footprint_app.command("export-olca")
def export_olca_command(
    product: Annotated[str, typer.Argument(help="Product name, e.g. pack-nmc811 (see 'list').")],
    out: Annotated[Path, typer.Option(help="The zip to write (openLCA 2 JSON-LD).")],
    route: RouteOption = None,
    scenario: ScenarioOption = None,
    method: MethodOption = "ar6",
    plant_data: PlantOption = None,
) -> None:
    """Export the product system, its unit processes and the result for openLCA 2."""
    model = FootprintModel(method=method)
    overrides = _plant(plant_data, model)
    result = model.footprint(product, route=route, scenario=scenario, overrides=overrides)
    net = model.network(model.settings(route, scenario, overrides))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, entity in sorted(to_olca(net, result).items()):
            zf.writestr(path, json.dumps(entity, indent=2, ensure_ascii=False))
    write_file(out, buffer.getvalue())


def read_package(path: Path) -> dict[str, dict[str, Any]]:
    """Return the JSON entities of a JSON-LD zip by their path in it."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.endswith(".json")]
            raw = {name: zf.read(name) for name in names}
    except (OSError, zipfile.BadZipFile) as exc:
        raise FileProblem(f"{path}: not a readable JSON-LD zip ({exc}); export it again") from None
    entities: dict[str, dict[str, Any]] = {}
    for name, content in raw.items():
        try:
            value = json.loads(content)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FileProblem(f"{path}: entry {name}: not JSON ({exc})") from None
        if isinstance(value, dict):
            entities[name] = value
    return entities


@footprint_app.command("import-olca")
def import_olca_command(
    package: Annotated[Path, typer.Argument(help="An openLCA JSON-LD zip.")],
    fmt: TextJsonOption = TextFormat.text,
    lang: LangOption = Language.en,
) -> None:
    """Read unit processes from an openLCA JSON-LD zip and solve its product systems."""
    entities = read_package(package)
    system = from_olca(entities)
    exported = {
        str(e.get("productSystem", {}).get("@id")): float(e["impactResults"][0]["amount"])
        for e in entities.values()
        if e.get("@type") == "Result" and e.get("impactResults")
    }
    rows: list[dict[str, Any]] = []
    for e in entities.values():
        if e.get("@type") != "ProductSystem":
            continue
        ref = str(e.get("refProcess", {}).get("@id"))
        process = entities.get(f"processes/{ref}.json", {})
        described = str(process.get("description", ""))
        column = described.split()[2] if described.startswith("sinergi column ") else None
        if column is None or column not in system.columns:
            continue
        rows.append(
            {
                "name": e.get("name"),
                "column": column,
                "score": system.score(column, float(e.get("targetAmount", 1.0))),
                "exported_score": exported.get(str(e.get("@id"))),
            }
        )
    payload = {
        "processes": len(system.columns),
        "elementary_flows": list(system.flows),
        "product_systems": rows,
    }

    def text() -> list[Any]:
        table = Table(
            title=gettext(lang, "{count} unit processes read from {file}").format(
                count=len(system.columns), file=package.name
            )
        )
        for heading in (N_("Product system"), N_("t CO2e"), N_("Exported result")):
            table.add_column(gettext(lang, heading))
        for row in rows:
            exported_score = row["exported_score"]
            table.add_row(
                str(row["name"]),
                number(row["score"], lang),
                "–" if exported_score is None else number(exported_score, lang),
            )
        return [table]

    _emit(fmt, None, payload=lambda: payload, text=text)
