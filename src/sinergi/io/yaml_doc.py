"""The YAML/JSON park document: one list per table under a ``sinergi`` schema version.

::

    sinergi: "2026.1"
    regions:
      - {id: malut, name: North Maluku}
    parks:
      - id: demo-park
        name: Demo Eco Park
        region_id: malut
        land_use: {industrial_plots: 68.0, green_open_space: 12.0}   # category -> ha
    companies:
      - id: demo-metal
        park_id: demo-park
        name: Demo Metal Works
        smelter: {route: rkef_feni, design_capacity_t: 10000, power_source: captive_coal}
    flows:
      - {period: "2024", source: supplier, target: demo-metal, commodity: coal,
         quantity: 1200.5, unit: t}

``parks[*].land_use`` may be a mapping (as above) or a flat ``land_use`` list of
``{park_id, category, area_ha}``; ``companies[*].smelter`` may be a mapping or the flat
``smelter_*`` keys. Unknown keys are errors located by list name, item number and key.
YAML is read with a safe loader that also refuses anchors and aliases (``&a``/``*a``),
which can blow a small file up into a huge document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

import yaml

from sinergi.io.columns import Table, schema
from sinergi.io.issues import Issue, IssueCode, Place, describe
from sinergi.io.rows import RawRow, RawTable
from sinergi.model import Period

#: Keys of a nested ``smelter`` mapping -> flat company column.
SMELTER_KEYS: dict[str, str] = {
    "route": "smelter_route",
    "design_capacity_t": "smelter_capacity_t",
    "capacity_basis": "smelter_capacity_basis",
    "power_source": "smelter_power_source",
    "grid_region": "smelter_grid_region",
}


_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FAST_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
#: Text that may hold an anchor or alias; such documents go through the strict loader.
_MAYBE_ALIAS = re.compile(r"(?:^|[\s\[{,:-])[&*]\S")


class _StrictLoader(yaml.SafeLoader):
    """Safe loader that refuses aliases (no "billion laughs" expansion)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (*name) are not accepted", event.start_mark
            )
        return super().compose_node(parent, index)


def _parse(text: str, fmt: str, place: Place) -> tuple[object, list[Issue]]:
    line: int | None
    try:
        if fmt == "json":
            return json.loads(text), []
        # libyaml's safe loader is ~10x faster; the strict (pure Python) one refuses aliases
        loader = _StrictLoader if _MAYBE_ALIAS.search(text) else _FAST_LOADER
        return yaml.load(text, Loader=loader), []  # both are safe loaders
    except json.JSONDecodeError as exc:
        line, detail = exc.lineno, exc.msg
    except yaml.constructor.ConstructorError as exc:
        row = exc.problem_mark.line + 1 if exc.problem_mark else None
        return None, [
            Place(place.file, row=row).issue(
                IssueCode.YAML_TAG_REFUSED,
                f"the tag in this document is refused ({exc.problem}); remove tags such as "
                "!!python/object and write plain values",
                "tag dalam dokumen ini ditolak; hapus tag seperti !!python/object dan tulis "
                "nilai biasa",
            )
        ]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, detail = (mark.line + 1 if mark else None), str(getattr(exc, "problem", exc))
    except RecursionError:
        line, detail = None, "nested too deeply"
    return None, [
        Place(place.file, row=line).issue(
            IssueCode.SYNTAX_ERROR,
            f"the {fmt.upper()} cannot be read ({detail}); fix the syntax near this line",
            f"{fmt.upper()} tidak dapat dibaca ({detail}); perbaiki penulisan di sekitar baris ini",
        )
    ]


def _unknown_key(place: Place, key: object, accepted: list[str]) -> Issue:
    listed = ", ".join(accepted)
    return place.issue(
        IssueCode.UNKNOWN_KEY,
        f"unknown key {describe(key)}; accepted keys are: {listed}",
        f"kunci {describe(key)} tidak dikenal; kunci yang diterima: {listed}",
    )


def _not_mapping(place: Place, what_en: str, what_id: str) -> Issue:
    return place.issue(
        IssueCode.NOT_A_MAPPING,
        f"{what_en} must be a mapping of keys to values (key: value)",
        f"{what_id} harus berupa pasangan kunci dan nilai (kunci: nilai)",
    )


def _land_use_rows(item: Mapping[Any, Any], place: Place) -> list[RawRow]:
    rows = []
    for key, area in item["land_use"].items():
        rows.append(
            RawRow(
                place.row,
                {"park_id": item.get("id"), "category": key, "area_ha": area},
                paths={"park_id": "id", "category": "land_use", "area_ha": f"land_use.{key}"},
            )
        )
    return rows


def _nested(item: dict[Any, Any], row: RawRow, place: Place) -> list[Issue]:
    """Move a nested ``smelter`` mapping into the flat company columns."""
    smelter = item.get("smelter")
    if smelter is None:
        return []
    if not isinstance(smelter, dict):
        return [
            _not_mapping(
                Place(place.file, place.sheet, place.row, field="smelter"), "smelter", "smelter"
            )
        ]
    issues = []
    for key, value in smelter.items():
        flat = SMELTER_KEYS.get(key) if isinstance(key, str) else None
        key_place = Place(place.file, place.sheet, place.row, field=f"smelter.{key}")
        if flat is None:
            issues.append(_unknown_key(key_place, key, list(SMELTER_KEYS)))
        elif flat in row.values:
            issues.append(
                key_place.issue(
                    IssueCode.DUPLICATE_COLUMN,
                    f"{flat} is given twice (flat and under smelter); keep one",
                    f"{flat} diisi dua kali (langsung dan di bawah smelter); pakai salah satu",
                )
            )
        else:
            row.values[flat] = value
            row.paths[flat] = f"smelter.{key}"
    return issues


def _item(
    item: object, place: Place, table: Table, out: dict[tuple[str, str], list[RawRow]]
) -> list[Issue]:
    if not isinstance(item, dict):
        return [_not_mapping(place, "each item of the list", "setiap butir daftar")]
    fields = [c.field for c in table.columns]
    extra = {"parks": "land_use", "companies": "smelter"}.get(table.name)
    accepted = fields + ([extra] if extra else [])
    issues = []
    row = RawRow(place.row, {})
    for key, value in item.items():
        if key not in accepted:
            key_place = Place(place.file, place.sheet, place.row, field=str(key)[:40])
            issues.append(_unknown_key(key_place, key, accepted))
        elif key in fields:
            row.values[key] = value
    if table.name == "companies":
        issues += _nested(item, row, place)
    if table.name == "parks" and item.get("land_use") is not None:
        if isinstance(item["land_use"], dict):
            # nested land use is reported under the parks list it came from
            out.setdefault(("land_use", "parks"), []).extend(_land_use_rows(item, place))
        else:
            issues.append(
                _not_mapping(
                    Place(place.file, place.sheet, place.row, field="land_use"),
                    "land_use (category: hectares)",
                    "land_use (kategori: hektare)",
                )
            )
    out.setdefault((table.name, table.name), []).append(row)
    return issues


def _version_issues(doc: Mapping[Any, Any], place: Place) -> list[Issue]:
    version = schema().version
    if "sinergi" not in doc:
        return [
            Place(place.file, field="sinergi").issue(
                IssueCode.MISSING_VERSION,
                f"the document needs a first line 'sinergi: \"{version}\"' "
                "naming its schema version",
                f"dokumen perlu baris pertama 'sinergi: \"{version}\"' yang menyebut versi skema",
            )
        ]
    if str(doc["sinergi"]) != version:
        return [
            Place(place.file, field="sinergi").issue(
                IssueCode.UNSUPPORTED_VERSION,
                f"schema version {describe(doc['sinergi'])} is not supported; this sinergi reads "
                f"version {version}: export a fresh template and copy the data over",
                f"versi skema {describe(doc['sinergi'])} tidak didukung; sinergi ini membaca versi "
                f"{version}: unduh template baru lalu salin datanya",
            )
        ]
    return []


def read_document(
    text: str, file: str, fmt: str, only: str | None = None
) -> tuple[list[RawTable], list[Issue]]:
    """Read a YAML or JSON park document into raw tables, with every structural issue.

    Parameters
    ----------
    text
        The decoded document.
    file
        File name used in issues.
    fmt
        ``"yaml"`` or ``"json"``.
    only
        Read only this table (other lists are skipped).
    """
    place = Place(file)
    doc, issues = _parse(text, fmt, place)
    if issues:
        return [], issues
    if not isinstance(doc, dict):
        return [], [_not_mapping(place, "the document", "dokumen")]
    issues = _version_issues(doc, place)
    names = [t.name for t in schema().tables]
    rows: dict[tuple[str, str], list[RawRow]] = {}
    for key, items in doc.items():
        if key == "sinergi":
            continue
        if key not in names:
            issues.append(_unknown_key(Place(file, field=str(key)[:40]), key, names))
            continue
        if items is None or (only is not None and key != only):
            continue
        if not isinstance(items, list):
            issues.append(
                Place(file, sheet=key).issue(
                    IssueCode.NOT_A_LIST,
                    f"'{key}' must be a list of items (each starting with '- ')",
                    f"'{key}' harus berupa daftar butir (masing-masing diawali '- ')",
                )
            )
            continue
        table = schema().table(key)
        for number, item in enumerate(items, start=1):
            issues += _item(item, Place(file, key, number), table, rows)
    tables = [
        RawTable(schema().table(name), file, sheet, items) for (name, sheet), items in rows.items()
    ]
    return tables, issues


# -- writing ----------------------------------------------------------------------------
def _native(value: object) -> object:
    if isinstance(value, Period):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_native(v) for v in value]
    return value


def _document_item(table: Table, row: Mapping[str, object]) -> dict[str, object]:
    item = {k: _native(v) for k, v in row.items() if v is not None and v != ()}
    if table.name == "companies":
        smelter = {key: item.pop(flat) for key, flat in SMELTER_KEYS.items() if flat in item}
        if smelter:
            item["smelter"] = smelter
    return item


def document(rows: Mapping[str, Sequence[Mapping[str, object]]]) -> dict[str, object]:
    """Return typed table rows as a park document (nested land use and smelters, no blanks)."""
    doc: dict[str, object] = {"sinergi": schema().version}
    land_use: dict[str, dict[str, object]] = {}
    for row in rows.get("land_use", ()):
        land_use.setdefault(str(row["park_id"]), {})[str(_native(row["category"]))] = row["area_ha"]
    for table in schema().tables:
        if table.name == "land_use" or not rows.get(table.name):
            continue
        items = [_document_item(table, row) for row in rows[table.name]]
        if table.name == "parks":
            for item in items:
                if land_use.get(str(item["id"])):
                    item["land_use"] = land_use[str(item["id"])]
        doc[table.name] = items
    return doc


def dump_document(rows: Mapping[str, Sequence[Mapping[str, object]]], fmt: str) -> str:
    """Return typed table rows as YAML or JSON text (floats exact, UTF-8 names kept)."""
    doc = document(rows)
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return yaml.dump(doc, Dumper=_FAST_DUMPER, allow_unicode=True, sort_keys=False, width=100)
