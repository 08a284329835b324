"""Write an ecosystem to YAML, JSON, XLSX or CSV, and write the blank XLSX template.

Every format reads back to the same ecosystem with :func:`~sinergi.io.reader.read_file`
(flow quantities are written in canonical units, floats exactly). In CSV and XLSX a list
cell joins its items with ``;``, so list items (KBLI codes, programmes, sources) must not
contain ``;`` themselves; YAML and JSON keep lists as lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sinergi.errors import FileProblem, SinergiError
from sinergi.i18n import N_
from sinergi.io.build import SMELTER_COLUMNS
from sinergi.io.columns import Table, schema
from sinergi.io.csv_io import write_csv
from sinergi.io.issues import bilingual
from sinergi.io.xlsx_io import write_workbook
from sinergi.io.yaml_doc import dump_document
from sinergi.model import Catalogue, Company, Ecosystem, Flow, default_catalogue


# -- model to rows ---------------------------------------------------------------------
def _node_row(table: Table, node: object) -> dict[str, object]:
    return {c.field: getattr(node, c.field) for c in table.columns}


def _company_row(table: Table, company: Company) -> dict[str, object]:
    row = {c.field: getattr(company, c.field, None) for c in table.columns}
    if company.smelter is not None:
        for column_field, attr in SMELTER_COLUMNS.items():
            row[column_field] = getattr(company.smelter, attr)
    return row


def _flow_row(flow: Flow, catalogue: Catalogue) -> dict[str, object]:
    return {
        "period": flow.period,
        "source": flow.source,
        "target": flow.target,
        "commodity": flow.commodity,
        "quantity": flow.quantity,
        "unit": catalogue.get(flow.commodity).unit,
        "quality": flow.quality,
        "evidence": flow.evidence,
    }


def table_rows(eco: Ecosystem, table: Table) -> list[dict[str, object]]:
    """Return the typed rows of one table of ``eco`` (flows in canonical units).

    Values are model values: periods, enums, tuples, floats, ``None`` for unknown.
    """
    name = table.name
    if name == "land_use":
        return [
            {"park_id": park.id, "category": category, "area_ha": area}
            for park in eco.parks.values()
            for category, area in park.land_use_ha.items()
        ]
    if name == "companies":
        return [_company_row(table, c) for c in eco.companies.values()]
    if name == "flows":
        return [_flow_row(f, eco.catalogue) for f in eco.flows]
    items = getattr(eco, name)
    objects = items.values() if isinstance(items, dict) else items
    return [_node_row(table, obj) for obj in objects]


def ecosystem_rows(eco: Ecosystem) -> dict[str, list[dict[str, object]]]:
    """Return the typed rows of every table of ``eco``, in schema order, empty ones too."""
    return {table.name: table_rows(eco, table) for table in schema().tables}


def _write_csv_tables(eco: Ecosystem, path: Path) -> list[Path]:
    """Write one CSV per non-empty table: ``dir/<table>.csv`` or ``<stem>_<table>.csv``.

    A ``.csv`` path whose stem is a table name, for an ecosystem holding only that table,
    is written as that one file.
    """
    rows = {name: items for name, items in ecosystem_rows(eco).items() if items}
    if path.suffix.lower() == ".csv" and set(rows) == {path.stem}:
        return [write_csv(schema().table(path.stem), rows[path.stem], path)]
    if path.suffix.lower() == ".csv":
        folder, prefix = path.parent, f"{path.stem}_"
    else:
        folder, prefix = path, ""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_csv(schema().table(name), items, folder / f"{prefix}{name}.csv")
        for name, items in rows.items()
    ]


def write_file(eco: Ecosystem, path: Path, *, park_ids: Iterable[str] | None = None) -> list[Path]:
    """Write ``eco`` (or only the given parks) in the format the path names.

    Parameters
    ----------
    eco
        The ecosystem to write; all of it, external nodes included.
    path
        ``.yaml``/``.yml`` or ``.json`` (park document), ``.xlsx`` (template layout), or a
        directory or ``.csv`` path (one CSV per non-empty table).
    park_ids
        Write only these parks, their tenants, flows and records (regions and external
        nodes are kept).

    Returns
    -------
    list of Path
        The files written.
    """
    path = Path(path)
    if park_ids is not None:
        eco = eco.subset(park_ids)
    try:
        return _write(eco, path)
    except OSError as exc:
        raise FileProblem(
            bilingual(
                N_("cannot write {path} ({reason}); choose a folder you may write to"),
                path=path,
                reason=exc.strerror or exc,
            )
        ) from exc


def _write(eco: Ecosystem, path: Path) -> list[Path]:
    suffix = path.suffix.lower()
    if suffix in {".yaml", ".yml", ".json", ".xlsx"}:
        path.parent.mkdir(parents=True, exist_ok=True)
    if suffix in {".yaml", ".yml", ".json"}:
        text = dump_document(ecosystem_rows(eco), "json" if suffix == ".json" else "yaml")
        path.write_text(text, encoding="utf-8")
        return [path]
    if suffix == ".xlsx":
        return [write_workbook(path, ecosystem_rows(eco), eco.catalogue)]
    if suffix in {"", ".csv"} or path.is_dir():
        return _write_csv_tables(eco, path)
    raise SinergiError(
        f"cannot write {path.name}: use a .yaml, .yml, .json, .xlsx or .csv path or a directory"
    )


def write_template(path: Path, *, catalogue: Catalogue | None = None) -> Path:
    """Write the blank bilingual XLSX input template (instructions, sheets, drop-downs).

    Raises
    ------
    FileProblem
        If the file cannot be written.
    """
    try:
        return write_workbook(Path(path), {}, catalogue or default_catalogue())
    except OSError as exc:
        raise FileProblem(
            bilingual(
                N_("cannot write {path} ({reason}); choose a folder you may write to"),
                path=path,
                reason=exc.strerror or exc,
            )
        ) from exc
