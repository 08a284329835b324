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
from json.decoder import JSONObject, scanstring  # type: ignore[attr-defined]
from json.scanner import py_make_scanner  # type: ignore[attr-defined]
from typing import Any

import yaml

from sinergi.i18n import N_
from sinergi.io.cells import RawRow, RawTable
from sinergi.io.columns import Table, schema
from sinergi.io.issues import Issue, IssueCode, IssueLog, Place, Words, describe
from sinergi.model import Period

#: Keys of a nested ``smelter`` mapping -> flat company column.
SMELTER_KEYS: dict[str, str] = {
    "route": "smelter_route",
    "design_capacity_t": "smelter_capacity_t",
    "capacity_basis": "smelter_capacity_basis",
    "power_source": "smelter_power_source",
    "grid_region": "smelter_grid_region",
}


_FAST_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
#: Text that may hold an anchor or alias; such documents go through the strict loader.
_MAYBE_ALIAS = re.compile(r"(?:^|[\s\[{,:-])[&*]\S")


class DuplicateKey(Exception):
    """A mapping repeats a key: the later value would silently replace the earlier one."""

    def __init__(self, key: str, line: int | None) -> None:
        super().__init__(key)
        self.key = key
        self.line = line


class _UniqueKeys:
    """Constructor mix-in: refuse a mapping that repeats a key (YAML keeps the last value)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: set[tuple[str, str]] = set()
            for key_node, _value in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = (key_node.tag, key_node.value)
                if key in seen:
                    raise DuplicateKey(str(key_node.value), key_node.start_mark.line + 1)
                seen.add(key)
        return super().construct_mapping(node, deep)  # type: ignore[misc]


_BASE_FAST: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FastLoader(_UniqueKeys, _BASE_FAST):  # type: ignore[misc]
    """libyaml's safe loader (about ten times faster), refusing repeated keys."""


class _StrictLoader(_UniqueKeys, yaml.SafeLoader):
    """Safe loader that refuses aliases (no "billion laughs" expansion) and repeated keys."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (*name) are not accepted", event.start_mark
            )
        return super().compose_node(parent, index)


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DuplicateKey(key, None)
        out[key] = value
    return out


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n\r":
        pos += 1
    return pos


def _json_duplicate_line(text: str) -> DuplicateKey:
    """Find the first repeated key of a JSON document and its line (only run on failure)."""
    decoder: Any = json.JSONDecoder()
    found: list[DuplicateKey] = []

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> Any:
        s, start = s_and_end
        value, end = JSONObject(s_and_end, *args)
        if not found:
            seen: set[str] = set()
            pos = _skip_space(s, start)
            while pos < end and s[pos] == '"':
                key, after = scanstring(s, pos + 1)
                if key in seen:
                    found.append(DuplicateKey(key, s.count("\n", 0, pos) + 1))
                    break
                seen.add(key)
                pos = _skip_space(s, _skip_space(s, after) + 1)
                _item, pos = decoder.scan_once(s, pos)
                pos = _skip_space(s, pos)
                pos = _skip_space(s, pos + 1) if pos < end and s[pos] == "," else end
        return value, end

    decoder.parse_object = parse_object
    decoder.scan_once = py_make_scanner(decoder)
    decoder.decode(text)
    return found[0] if found else DuplicateKey("?", None)


def _duplicate_issue(place: Place, problem: DuplicateKey) -> Issue:
    return Place(place.file, row=problem.line, field=problem.key[:40]).issue(
        IssueCode.DUPLICATE_KEY,
        N_(
            "key {key} appears twice in the same item (line {line}); the second value would "
            "silently replace the first: keep one"
        ),
        key=describe(problem.key),
        line=problem.line if problem.line is not None else "?",
    )


def _parse(text: str, fmt: str, place: Place) -> tuple[object, list[Issue]]:
    line: int | None
    try:
        if fmt == "json":
            try:
                return json.loads(text, object_pairs_hook=_unique_pairs), []
            except DuplicateKey:
                return None, [_duplicate_issue(place, _json_duplicate_line(text))]
        # libyaml's safe loader is ~10x faster; the strict (pure Python) one refuses aliases
        loader = _StrictLoader if _MAYBE_ALIAS.search(text) else _FastLoader
        return yaml.load(text, Loader=loader), []  # both are safe loaders
    except DuplicateKey as problem:
        return None, [_duplicate_issue(place, problem)]
    except json.JSONDecodeError as exc:
        line, detail = exc.lineno, exc.msg
    except yaml.constructor.ConstructorError as exc:
        row = exc.problem_mark.line + 1 if exc.problem_mark else None
        return None, [
            Place(place.file, row=row).issue(
                IssueCode.YAML_TAG_REFUSED,
                N_(
                    "the tag in this document is refused ({detail}); remove tags such as "
                    "!!python/object and write plain values"
                ),
                detail=str(exc.problem)[:200],
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
            N_("the {format} cannot be read ({detail}); fix the syntax near this line"),
            format=fmt.upper(),
            detail=detail[:200],
        )
    ]


def _unknown_key(place: Place, key: object, accepted: list[str]) -> Issue:
    return place.issue(
        IssueCode.UNKNOWN_KEY,
        N_("unknown key {key}; accepted keys are: {accepted}"),
        key=describe(key),
        accepted=", ".join(accepted),
    )


def _not_mapping(place: Place, what: Words) -> Issue:
    return place.issue(
        IssueCode.NOT_A_MAPPING,
        N_("{what} must be a mapping of keys to values (key: value)"),
        what=what,
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
                Place(place.file, place.sheet, place.row, field="smelter"),
                Words("smelter", "smelter"),
            )
        ]
    issues = []
    for key, value in smelter.items():
        flat = SMELTER_KEYS.get(key) if isinstance(key, str) else None
        key_place = Place(place.file, place.sheet, place.row, field=f"smelter.{str(key)[:40]}")
        if flat is None:
            issues.append(_unknown_key(key_place, key, list(SMELTER_KEYS)))
        elif flat in row.values:
            issues.append(
                key_place.issue(
                    IssueCode.DUPLICATE_COLUMN,
                    N_("{flat} is given twice (flat and under smelter); keep one"),
                    flat=flat,
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
        return [_not_mapping(place, Words("each item of the list", "setiap butir daftar"))]
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
                    Words("land_use (category: hectares)", "land_use (kategori: hektare)"),
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
                N_(
                    "the document needs a first line 'sinergi: \"{version}\"' naming its "
                    "schema version"
                ),
                version=version,
            )
        ]
    if str(doc["sinergi"]) != version:
        return [
            Place(place.file, field="sinergi").issue(
                IssueCode.UNSUPPORTED_VERSION,
                N_(
                    "schema version {given} is not supported; this sinergi reads version "
                    "{version}: export a fresh template and copy the data over"
                ),
                given=describe(doc["sinergi"]),
                version=version,
            )
        ]
    return []


def read_document(
    text: str, file: str, fmt: str, only: str | None, log: IssueLog
) -> list[RawTable]:
    """Read a YAML or JSON park document into raw tables; log every structural issue.

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
    log
        Where issues go.
    """
    place = Place(file)
    doc, issues = _parse(text, fmt, place)
    if issues:
        log.extend(issues)
        return []
    if not isinstance(doc, dict):
        log.add(_not_mapping(place, Words("the document", "dokumen")))
        return []
    log.extend(_version_issues(doc, place))
    names = [t.name for t in schema().tables]
    rows: dict[tuple[str, str], list[RawRow]] = {}
    for key, items in doc.items():
        if key == "sinergi":
            continue
        if key not in names:
            log.add(_unknown_key(Place(file, field=str(key)[:40]), key, names))
            continue
        if items is None or (only is not None and key != only):
            continue
        if not isinstance(items, list):
            log.add(
                Place(file, sheet=key).issue(
                    IssueCode.NOT_A_LIST,
                    N_("'{key}' must be a list of items (each starting with '- ')"),
                    key=key,
                )
            )
            continue
        table = schema().table(key)
        for number, item in enumerate(items, start=1):
            log.extend(_item(item, Place(file, key, number), table, rows))
    return [
        RawTable(schema().table(name), file, sheet, items) for (name, sheet), items in rows.items()
    ]


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
