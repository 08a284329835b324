"""Cells to typed values to model objects, driven by the table schema (``columns.py``).

Every format reader (YAML/JSON, CSV, XLSX) turns its file into :class:`RawTable` objects:
rows of raw cell values keyed by model field, each row knowing where it sits in the file.
:func:`build_ecosystem` types every cell, checks units, duplicate keys, node ids and
references across all tables of the file, and either returns the
:class:`~sinergi.model.Ecosystem` the file holds or every located :class:`Issue` at once.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources

import yaml

from sinergi.errors import UnitError
from sinergi.io.columns import Column, Table, schema
from sinergi.io.issues import CellError, Issue, IssueCode, Place, describe
from sinergi.io.numbers import parse_bool, parse_float, parse_int, parse_period
from sinergi.model import (
    Catalogue,
    CommunityProgramme,
    Company,
    CompanySize,
    DataQuality,
    Ecosystem,
    ExternalKind,
    ExternalNode,
    Facility,
    Flow,
    Grievances,
    Investment,
    LandUse,
    Ownership,
    Park,
    ParkServices,
    Pillar,
    PowerSource,
    Process,
    Procurement,
    Region,
    Safety,
    Smelter,
    SmelterRoute,
    Training,
    Workforce,
)
from sinergi.model.externals import default_externals
from sinergi.units import CANONICAL_UNIT, Dimension, conversion_factor

#: Enum types that ``enum:<Name>`` columns may name.
ENUMS: dict[str, type[StrEnum]] = {
    cls.__name__: cls
    for cls in (
        LandUse,
        CompanySize,
        Ownership,
        SmelterRoute,
        PowerSource,
        ExternalKind,
        DataQuality,
        Pillar,
    )
}

#: Node tables, whose ``id`` must be unique across all of them.
NODE_TABLES: tuple[str, ...] = (
    "regions",
    "parks",
    "companies",
    "facilities",
    "processes",
    "externals",
)

#: Model class built from each table's rows (``land_use`` fills ``Park.land_use_ha``).
MODEL_CLASSES: dict[str, type] = {
    "regions": Region,
    "parks": Park,
    "companies": Company,
    "facilities": Facility,
    "processes": Process,
    "externals": ExternalNode,
    "flows": Flow,
    "workforce": Workforce,
    "safety": Safety,
    "training": Training,
    "procurement": Procurement,
    "investment": Investment,
    "community_programmes": CommunityProgramme,
    "grievances": Grievances,
    "park_services": ParkServices,
}

#: Flat company column -> :class:`~sinergi.model.Smelter` attribute.
SMELTER_COLUMNS: dict[str, str] = {
    "smelter_route": "route",
    "smelter_capacity_t": "design_capacity_t",
    "smelter_capacity_basis": "capacity_basis",
    "smelter_power_source": "power_source",
    "smelter_grid_region": "grid_region",
}


class _FormulaWithoutValue:
    """Marks a formula cell that has no saved value (set by the XLSX reader)."""

    def __repr__(self) -> str:
        return "FORMULA_WITHOUT_VALUE"


#: Placeholder a reader puts in a formula cell whose cached value is missing.
FORMULA_WITHOUT_VALUE = _FormulaWithoutValue()


@dataclass(slots=True)
class RawRow:
    """One row (or list item) of raw cell values, keyed by model field.

    ``columns`` maps a field to the column as the file shows it (for issues); ``paths``
    maps a field to the name reported as the issue's field when it differs (YAML key paths
    such as ``smelter.route``).
    """

    number: int | None
    values: dict[str, object]
    columns: dict[str, str] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class RawTable:
    """The rows of one table as read from one sheet, CSV file or YAML list.

    ``absent`` lists required fields whose column is missing; that was reported once for
    the sheet, so rows are not also reported as blank there.
    """

    table: Table
    file: str
    sheet: str | None
    rows: list[RawRow]
    absent: frozenset[str] = frozenset()


@dataclass(slots=True)
class _Typed:
    raw: RawTable
    row: RawRow
    values: dict[str, object]
    failed: set[str]

    def place(self, field_name: str | None) -> Place:
        if field_name is None:
            return Place(self.raw.file, self.raw.sheet, self.row.number)
        return Place(
            self.raw.file,
            self.raw.sheet,
            self.row.number,
            self.row.columns.get(field_name),
            self.row.paths.get(field_name, field_name),
        )


# -- cells ------------------------------------------------------------------------------
def _not_text(value: object) -> CellError:
    return CellError(
        IssueCode.NOT_TEXT,
        f"{describe(value)} is not text; write the value as plain text (in YAML, in quotes)",
        f"{describe(value)} bukan teks; tulis nilainya sebagai teks biasa (di YAML, dalam "
        "tanda kutip)",
    )


def to_text(value: object) -> str:
    """Return a text cell stripped, or a whole number cell as digits (ids typed as numbers)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        raise _not_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    raise _not_text(value)


def _normal_name(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


@cache
def _aliases() -> dict[str, dict[str, str]]:
    """Return, per enum name, accepted spellings → value (``data/templates/choices.yaml``)."""
    text = resources.files("sinergi.data.templates").joinpath("choices.yaml").read_text("utf-8")
    doc = yaml.safe_load(text)
    return {
        enum: {_normal_name(alias): value for value, aliases in values.items() for alias in aliases}
        for enum, values in doc.items()
    }


def _choice(enum: type[StrEnum], value: object, column: Column) -> StrEnum:
    wanted = _normal_name(to_text(value))
    wanted = _aliases().get(enum.__name__, {}).get(wanted, wanted)
    for member in enum:
        if wanted in {member.value, member.name.lower()}:
            return member
    options = ", ".join(m.value for m in enum)
    raise CellError(
        IssueCode.BAD_CHOICE,
        f"{describe(value)} is not a choice for '{column.label_en}'; choose one of: {options}",
        f"{describe(value)} bukan pilihan untuk '{column.label_id}'; pilih salah satu: {options}",
    )


def _commodity(value: object, catalogue: Catalogue) -> str:
    wanted = _normal_name(to_text(value))
    if wanted in catalogue:
        return wanted
    close = difflib.get_close_matches(wanted, catalogue.ids(), n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    hint_id = f" (maksudnya {', '.join(close)}?)" if close else ""
    raise CellError(
        IssueCode.UNKNOWN_COMMODITY,
        f"{describe(value)} is not in commodity catalogue {catalogue.version}{hint}; use an id "
        "from the sheet 'Commodities' of the template",
        f"{describe(value)} tidak ada di katalog komoditas {catalogue.version}{hint_id}; "
        "gunakan ID dari sheet 'Commodities' pada template",
    )


def _list(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list | tuple) else to_text(value).split(";")
    return tuple(t for t in (to_text(item) for item in items) if t)


def _check_pattern(items: tuple[str, ...], column: Column) -> None:
    if column.pattern is None:
        return
    for item in items:
        if not re.match(column.pattern, item):
            raise CellError(
                IssueCode.BAD_FORMAT,
                f"{item!r} does not have the form of '{column.label_en}' ({column.pattern}); "
                "KBLI codes have exactly 5 digits: type them as text to keep a leading 0",
                f"{item!r} tidak sesuai format '{column.label_id}' ({column.pattern}); kode "
                "KBLI tepat 5 angka: ketik sebagai teks agar angka 0 di depan tidak hilang",
            )


def _check_bounds(number: float, column: Column) -> None:
    low, high = column.minimum, column.maximum
    if low == 0 and number < 0:
        raise CellError(
            IssueCode.NEGATIVE_VALUE,
            f"{number:g} is negative; '{column.label_en}' is never negative (for a flow, "
            "swap From and To instead of using a minus sign)",
            f"{number:g} negatif; '{column.label_id}' tidak pernah negatif (untuk aliran, "
            "tukar Dari dan Ke, jangan pakai tanda minus)",
        )
    if (low is not None and number < low) or (high is not None and number > high):
        raise CellError(
            IssueCode.OUT_OF_RANGE,
            f"{number:g} is outside {low:g} to {high:g} for '{column.label_en}'; check the "
            "value (latitude and longitude are decimal degrees)",
            f"{number:g} di luar rentang {low:g} sampai {high:g} untuk '{column.label_id}'; "
            "periksa nilainya (lintang dan bujur dalam derajat desimal)",
        )


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, list | tuple) and not value


_PARSERS: dict[str, Callable[[object], object]] = {
    "int": parse_int,
    "float": parse_float,
    "bool": parse_bool,
    "period": parse_period,
}


def convert(column: Column, value: object, catalogue: Catalogue) -> object:
    """Return the typed value of one cell, ``None`` when blank (unknown).

    Raises
    ------
    CellError
        If the cell cannot be read as the column's type.
    """
    if value is FORMULA_WITHOUT_VALUE:
        raise CellError(
            IssueCode.FORMULA_WITHOUT_VALUE,
            "formula without a saved value: open the file in Excel and save it, or type the "
            "value instead of the formula",
            "rumus tanpa nilai tersimpan: buka berkas di Excel lalu simpan, atau ketik nilainya "
            "sebagai ganti rumus",
        )
    if _blank(value):
        return None
    kind, _, arg = column.type.partition(":")
    if kind in _PARSERS:
        typed = _PARSERS[kind](value)
        if isinstance(typed, int | float) and not isinstance(typed, bool):
            _check_bounds(float(typed), column)
        return typed
    if kind == "enum":
        return _choice(ENUMS[arg], value, column)
    if kind == "commodity":
        return _commodity(value, catalogue)
    if kind == "list":
        items = _list(value)
        _check_pattern(items, column)
        return items or None
    text = to_text(value)  # str, unit, ref:<table>, node
    _check_pattern((text,), column)
    return text


# -- rows -------------------------------------------------------------------------------
def _type_row(raw: RawTable, row: RawRow, catalogue: Catalogue) -> tuple[_Typed, list[Issue]]:
    typed = _Typed(raw, row, {}, set())
    issues = []
    for column in raw.table.columns:
        try:
            value = convert(column, row.values.get(column.field), catalogue)
        except CellError as problem:
            issues.append(
                typed.place(column.field).issue(
                    problem.code, problem.message_en, problem.message_id
                )
            )
            typed.failed.add(column.field)
            continue
        typed.values[column.field] = value
        if value is None and column.required and column.field not in raw.absent:
            issues.append(_missing(typed, column))
            typed.failed.add(column.field)
    return typed, issues


def _missing(typed: _Typed, column: Column, why_en: str = "", why_id: str = "") -> Issue:
    return typed.place(column.field).issue(
        IssueCode.MISSING_VALUE,
        f"'{column.label_en}' is required{why_en}; fill it in",
        f"'{column.label_id}' wajib diisi{why_id}; isi nilainya",
    )


_DIMENSION_ID = {
    Dimension.MASS: "massa",
    Dimension.ENERGY: "energi",
    Dimension.VOLUME: "volume",
    Dimension.AREA: "luas",
    Dimension.COUNT: "jumlah satuan",
}


def _unit_problem(unit: str, dimension: Dimension) -> CellError:
    others = [d for d in Dimension if d is not dimension and _converts(unit, d)]
    wanted, wanted_id = dimension.value, _DIMENSION_ID[dimension]
    if others:
        return CellError(
            IssueCode.WRONG_UNIT_DIMENSION,
            f"unit {unit!r} measures {others[0].value}, but this commodity is measured in "
            f"{wanted} ({CANONICAL_UNIT[dimension]}); use a {wanted} unit or check the "
            "commodity",
            f"satuan {unit!r} mengukur {_DIMENSION_ID[others[0]]}, padahal komoditas ini "
            f"diukur dalam {wanted_id} ({CANONICAL_UNIT[dimension]}); gunakan satuan "
            f"{wanted_id} atau periksa komoditasnya",
        )
    return CellError(
        IssueCode.UNKNOWN_UNIT,
        f"unit {unit!r} is unknown; use a unit from the drop-down list such as t, kg, MWh, m3",
        f"satuan {unit!r} tidak dikenal; gunakan satuan dari daftar pilihan seperti t, kg, MWh, m3",
    )


def _converts(unit: str, dimension: Dimension) -> bool:
    try:
        conversion_factor(unit, dimension)
    except UnitError:
        return False
    return True


def _flow_units(typed: _Typed, catalogue: Catalogue) -> list[Issue]:
    commodity, unit = typed.values.get("commodity"), typed.values.get("unit")
    if not isinstance(commodity, str) or not isinstance(unit, str):
        return []
    dimension = catalogue.get(commodity).dimension
    try:
        factor = conversion_factor(unit, dimension)
    except UnitError:
        problem = _unit_problem(unit, dimension)
        typed.failed.add("unit")
        return [typed.place("unit").issue(problem.code, problem.message_en, problem.message_id)]
    quantity = typed.values.get("quantity")
    if isinstance(quantity, float) and factor != 1.0:
        typed.values["quantity"] = quantity * factor
    return []


def _smelter_fields(typed: _Typed) -> list[Issue]:
    values, table = typed.values, typed.raw.table
    filled = [f for f in SMELTER_COLUMNS if f != "smelter_route" and values.get(f) is not None]
    if values.get("smelter_route") is None and filled and "smelter_route" not in typed.failed:
        return [
            _missing(
                typed,
                table.column("smelter_route"),
                " when other smelter columns are filled",
                " jika kolom smelter lain diisi",
            )
        ]
    if values.get("smelter_route") is not None and values.get("smelter_power_source") is None:
        if "smelter_power_source" in typed.failed:
            return []
        return [
            _missing(
                typed,
                table.column("smelter_power_source"),
                " for a smelter (it decides its carbon footprint)",
                " untuk smelter (menentukan jejak karbonnya)",
            )
        ]
    return []


# -- across rows ------------------------------------------------------------------------
def _where(first: _Typed, second: _Typed) -> tuple[str, str]:
    row = f"row {first.row.number}" if first.row.number is not None else "another row"
    baris = f"baris {first.row.number}" if first.row.number is not None else "baris lain"
    if first.raw.sheet != second.raw.sheet or first.raw.file != second.raw.file:
        sheet = first.raw.sheet or first.raw.file
        return f"{row} of '{sheet}'", f"{baris} pada '{sheet}'"
    return row, baris


def _duplicate_keys(rows: Sequence[_Typed]) -> list[Issue]:
    seen: dict[tuple[object, ...], _Typed] = {}
    issues = []
    for typed in rows:
        table = typed.raw.table
        key = tuple(typed.values.get(f) for f in table.key)
        if any(part is None for part in key):
            continue
        if (first := seen.setdefault(key, typed)) is not typed:
            where_en, where_id = _where(first, typed)
            names = ", ".join(table.column(f).label_en for f in table.key)
            nama = ", ".join(table.column(f).label_id for f in table.key)
            issues.append(
                typed.place(None).issue(
                    IssueCode.DUPLICATE_ROW,
                    f"same {names} as {where_en}; report each once (add the two rows up or "
                    "delete one)",
                    f"{nama} sama dengan {where_id}; laporkan sekali saja (jumlahkan kedua baris "
                    "atau hapus salah satunya)",
                )
            )
    return issues


def _duplicate_node_ids(rows: Sequence[_Typed]) -> list[Issue]:
    seen: dict[str, _Typed] = {}
    issues = []
    for typed in rows:
        node_id = typed.values.get("id")
        if typed.raw.table.name not in NODE_TABLES or not isinstance(node_id, str):
            continue
        first = seen.setdefault(node_id, typed)
        if first.raw.table.name != typed.raw.table.name:
            where_en, where_id = _where(first, typed)
            issues.append(
                typed.place("id").issue(
                    IssueCode.DUPLICATE_ID,
                    f"id {node_id!r} is already used by a {first.raw.table.label_en} row "
                    f"({where_en}); every park, company, facility, process and node needs its "
                    "own id",
                    f"ID {node_id!r} sudah dipakai pada {first.raw.table.label_id} ({where_id}); "
                    "setiap kawasan, perusahaan, fasilitas, proses dan simpul perlu ID sendiri",
                )
            )
    return issues


@dataclass(frozen=True, slots=True)
class _Known:
    """Ids a reference may name: rows of this file, then the caller's and default nodes."""

    in_file: Mapping[str, str]
    outside: Mapping[str, str]

    def table_of(self, node_id: str) -> str | None:
        return self.in_file.get(node_id) or self.outside.get(node_id)


def _known(rows: Sequence[_Typed], known_nodes: Mapping[str, str] | None) -> _Known:
    in_file: dict[str, str] = {}
    for typed in rows:
        node_id = typed.values.get("id")
        if typed.raw.table.name in NODE_TABLES and isinstance(node_id, str):
            in_file.setdefault(node_id, typed.raw.table.name)
    outside = {node.id: "externals" for node in default_externals()}
    outside.update(known_nodes or {})
    return _Known(in_file, outside)


def _reference_issue(typed: _Typed, column: Column, value: str, known: _Known) -> Issue | None:
    kind, _, target = column.type.partition(":")
    found = known.table_of(value)
    if found is not None and (kind == "node" or found == target):
        if (
            column.field == "park_id"
            and typed.raw.table.name == "land_use"
            and value not in known.in_file
        ):
            return typed.place(column.field).issue(
                IssueCode.LAND_USE_WITHOUT_PARK,
                f"land use of park {value!r} must be in the same file as the park's row; "
                "add the park row to this file",
                f"penggunaan lahan kawasan {value!r} harus dalam berkas yang sama dengan "
                "baris kawasannya; tambahkan baris kawasan ke berkas ini",
            )
        return None
    wanted = schema().table(target) if kind != "node" else None
    what_en = wanted.label_en.lower() if wanted else "nodes"
    what_id = wanted.label_id.lower() if wanted else "simpul"
    also_en = f" (it is in '{schema().table(found).label_en}')" if found else ""
    also_id = f" (ID itu ada di '{schema().table(found).label_id}')" if found else ""
    return typed.place(column.field).issue(
        IssueCode.UNKNOWN_REFERENCE,
        f"{value!r} is not among the {what_en} of this file or of the database{also_en}; "
        "add it or correct the id",
        f"{value!r} tidak ada di antara {what_id} dalam berkas ini maupun basis data"
        f"{also_id}; tambahkan atau perbaiki ID-nya",
    )


def _references(rows: Sequence[_Typed], known: _Known) -> list[Issue]:
    issues = []
    for typed in rows:
        for column in typed.raw.table.columns:
            value = typed.values.get(column.field)
            if not (column.type.startswith("ref:") or column.type == "node"):
                continue
            if isinstance(value, str) and column.field not in typed.failed:
                issue = _reference_issue(typed, column, value, known)
                if issue is not None:
                    issues.append(issue)
    return issues


# -- model objects ----------------------------------------------------------------------
def _model(cls: type, values: Mapping[str, object]) -> object:
    """Build ``cls``; a blank cell leaves a field with a model default at that default."""
    defaults = {
        f.name
        for f in dataclasses.fields(cls)
        if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
    }
    kwargs = {k: v for k, v in values.items() if v is not None or k not in defaults}
    return cls(**kwargs)


def _company(values: dict[str, object]) -> Company:
    smelter_values = {SMELTER_COLUMNS[f]: values.pop(f) for f in SMELTER_COLUMNS}
    company = _model(Company, values)
    assert isinstance(company, Company)
    if smelter_values["route"] is not None:
        company.smelter = _model(Smelter, smelter_values)  # type: ignore[assignment]
    return company


def _add_object(eco: Ecosystem, typed: _Typed) -> None:
    name, values = typed.raw.table.name, dict(typed.values)
    if name == "land_use":
        park = eco.parks[str(values["park_id"])]
        park.land_use_ha[LandUse(str(values["category"]))] = float(values["area_ha"])  # type: ignore[arg-type]
    elif name == "companies":
        eco.add(_company(values))
    elif name == "flows":
        values.pop("unit")
        eco.flows.append(_model(Flow, values))  # type: ignore[arg-type]
    elif name in NODE_TABLES:
        eco.add(_model(MODEL_CLASSES[name], values))  # type: ignore[arg-type]
    else:
        getattr(eco, name).append(_model(MODEL_CLASSES[name], values))


def build_ecosystem(
    tables: Sequence[RawTable],
    catalogue: Catalogue,
    known_nodes: Mapping[str, str] | None = None,
) -> tuple[Ecosystem, list[Issue]]:
    """Type every row of ``tables`` and build the ecosystem they describe.

    Parameters
    ----------
    tables
        Raw tables of one file (several may share a table name, e.g. nested and flat land
        use in YAML).
    catalogue
        Commodity catalogue that ``commodity`` cells must name.
    known_nodes
        Node id -> table name of nodes outside the file (database, defaults) that
        references may name; default external nodes are always known.

    Returns
    -------
    tuple
        The ecosystem (empty when there are issues) and every issue found.
    """
    typed_rows: list[_Typed] = []
    issues: list[Issue] = []
    for raw in tables:
        for row in raw.rows:
            typed, row_issues = _type_row(raw, row, catalogue)
            if raw.table.name == "flows":
                row_issues += _flow_units(typed, catalogue)
            elif raw.table.name == "companies":
                row_issues += _smelter_fields(typed)
            typed_rows.append(typed)
            issues += row_issues
    order = {t.name: i for i, t in enumerate(schema().tables)}
    typed_rows.sort(key=lambda t: order[t.raw.table.name])  # stable: file order kept
    for name in order:
        issues += _duplicate_keys([t for t in typed_rows if t.raw.table.name == name])
    issues += _duplicate_node_ids(typed_rows)
    issues += _references(typed_rows, _known(typed_rows, known_nodes))
    eco = Ecosystem(catalogue=catalogue)
    if not issues:
        for typed in typed_rows:
            _add_object(eco, typed)
    return eco, _sorted(issues)


def _sorted(issues: list[Issue]) -> list[Issue]:
    """Order issues as a reader scans the file: by file, sheet, row."""
    return sorted(issues, key=lambda i: (i.file, i.sheet or "", i.row or 0))
