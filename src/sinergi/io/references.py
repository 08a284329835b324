"""Checks across rows: repeated keys and ids, references, and the file against the database.

A file is read table by table in dependency order (regions, parks, land use, companies, …,
flows, records), so when a row is checked every node it may name has been seen: the
:class:`FileIndex` holds the ids of the file so far, the nodes outside it (stored in the
database, and the default external nodes) and the first place of every key, and checks one
typed row at a time. What it keeps per row is its key, never its cells, so memory stays small
even for a file with a million bad rows.

Against the database it refuses, at the row: a node id stored as another kind, a node moved
to another park (imports never move nodes), and land use that adds up to more than the
park's area, whichever of the two the file gives and whichever is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from sys import intern

from sinergi.i18n import N_, format_number
from sinergi.io.cells import TypedRow, label
from sinergi.io.columns import Column, schema
from sinergi.io.issues import Issue, IssueCode, Place, Words
from sinergi.model import LandUse, Park
from sinergi.model.checks import land_use_excess_ha
from sinergi.model.externals import default_externals
from sinergi.model.kinds import LAND_USE, NodeKind, node_kind

_NODE_TABLES = frozenset(NodeKind)

#: Key of the place of a park's area cell in :attr:`FileIndex.places`.
_AREA = "parks.area_ha"

#: Where a row sits: file, sheet, row number.
_Where = tuple[str, str | None, int | None]


@dataclass(frozen=True, slots=True)
class Outside:
    """What lies outside the file: stored nodes and parks, and the default external nodes.

    ``nodes`` maps a node id to its table (``parks``, ``companies``, …); ``parks`` maps a
    stored node id to the park it belongs to (for the "moved to another park" check);
    ``stored_parks`` holds stored parks whose area and land use a file may complete.
    """

    nodes: Mapping[str, str] = field(default_factory=dict)
    parks: Mapping[str, str | None] = field(default_factory=dict)
    stored_parks: Mapping[str, Park] = field(default_factory=dict)


def outside_nodes(known_nodes: Mapping[str, str] | None) -> dict[str, str]:
    """Return the default external nodes, overridden by the caller's known nodes."""
    out = {node.id: str(NodeKind.EXTERNALS) for node in default_externals()}
    out.update(known_nodes or {})
    return out


def _row_words(where: _Where, other: TypedRow) -> Words:
    file, sheet, number = where
    row = Words(f"row {number}", f"baris {number}") if number is not None else None
    row = row or Words("another row", "baris lain")
    if sheet != other.raw.sheet or file != other.raw.file:
        name = sheet or file
        return Words(f"{row.en} of '{name}'", f"{row.id} pada '{name}'")
    return row


@dataclass
class FileIndex:
    """The ids and keys seen so far in the file, and the nodes outside it."""

    outside: Outside
    nodes: dict[str, str] = field(default_factory=dict)
    node_places: dict[str, _Where] = field(default_factory=dict)
    node_parks: dict[str, str | None] = field(default_factory=dict)
    keys: dict[str, dict[tuple[object, ...], _Where]] = field(default_factory=dict)
    places: dict[tuple[str, str], Place] = field(default_factory=dict)

    def check(self, typed: TypedRow) -> list[Issue]:
        """Return the issues of one typed row against the rows before it and the database."""
        issues = self._duplicate_key(typed)
        name = typed.raw.table.name
        node_id = typed.values.get("id")
        if name in _NODE_TABLES and isinstance(node_id, str):
            issues += self._node(typed, name, node_id)
        issues += self._references(typed)
        if name == LAND_USE and isinstance(typed.values.get("park_id"), str):
            self.places.setdefault((LAND_USE, str(typed.values["park_id"])), typed.place("area_ha"))
        return issues

    # -- keys and ids ---------------------------------------------------------------------
    def _duplicate_key(self, typed: TypedRow) -> list[Issue]:
        table = typed.raw.table
        # ids repeat from row to row: interned, a million keys share their strings
        key = tuple(intern(v) if type(v := typed.values.get(f)) is str else v for f in table.key)
        if any(part is None for part in key):
            return []
        seen = self.keys.setdefault(table.name, {})
        where = (typed.raw.file, typed.raw.sheet, typed.row.number)
        first = seen.setdefault(key, where)
        if first is where:
            return []
        return [
            typed.place(None).issue(
                IssueCode.DUPLICATE_ROW,
                N_("same {names} as {where}; report each once (add the two rows up or delete one)"),
                names=Words(
                    ", ".join(table.column(f).label_en for f in table.key),
                    ", ".join(table.column(f).label_id for f in table.key),
                ),
                where=_row_words(first, typed),
            )
        ]

    def _node(self, typed: TypedRow, name: str, node_id: str) -> list[Issue]:
        where = (typed.raw.file, typed.raw.sheet, typed.row.number)
        first_table = self.nodes.setdefault(node_id, name)
        if first_table != name:
            first = self.node_places[node_id]
            return [
                typed.place("id").issue(
                    IssueCode.DUPLICATE_ID,
                    N_(
                        "id {id} is already used by a {table} row ({where}); every park, "
                        "company, facility, process and node needs its own id"
                    ),
                    id=repr(node_id),
                    table=label(schema().table(first_table)),
                    where=_row_words(first, typed),
                )
            ]
        self.node_places.setdefault(node_id, where)
        self.places.setdefault((name, node_id), typed.place(None))
        if name == NodeKind.PARKS:
            self.places.setdefault((_AREA, node_id), typed.place("area_ha"))
        self.node_parks[node_id] = self._park_in_file(typed, name, node_id)
        return self._against_database(typed, name, node_id)

    def _park_in_file(self, typed: TypedRow, name: str, node_id: str) -> str | None:
        """Return the park a node of the file belongs to (its parent may be stored)."""
        spec = node_kind(name)
        if not spec.in_park:
            return None
        if spec.kind is NodeKind.PARKS:
            return node_id
        parent = typed.values.get(spec.parent or "")
        if not isinstance(parent, str):
            return None
        if parent in self.node_parks:
            return self.node_parks[parent]
        return parent if spec.kind is NodeKind.COMPANIES else self.outside.parks.get(parent)

    def _against_database(self, typed: TypedRow, name: str, node_id: str) -> list[Issue]:
        stored_kind = self.outside.nodes.get(node_id)
        if stored_kind is None or node_id not in self.outside.parks:
            return []
        if stored_kind != name:
            return [
                typed.place("id").issue(
                    IssueCode.NODE_KIND_CONFLICT,
                    N_(
                        "id {id} is already a {stored} node in the database; give this {table} "
                        "row its own id"
                    ),
                    id=repr(node_id),
                    stored=label(schema().table(stored_kind)),
                    table=label(typed.raw.table),
                )
            ]
        stored_park, new_park = self.outside.parks[node_id], self.node_parks.get(node_id)
        if stored_park == new_park or stored_park is None or new_park is None:
            return []
        spec = node_kind(name)
        column = spec.parent if spec.kind is NodeKind.COMPANIES else None
        return [
            typed.place(column).issue(
                IssueCode.NODE_MOVED,
                N_(
                    "{id} belongs to park {stored} in the database, but this row puts it in park "
                    "{new}; an import never moves a node to another park: correct the park id, "
                    "or give the node a new id if it really moved"
                ),
                id=repr(node_id),
                stored=repr(stored_park),
                new=repr(new_park),
            )
        ]

    # -- references -----------------------------------------------------------------------
    def table_of(self, node_id: str) -> str | None:
        """Return the table of a node named in the file or outside it."""
        return self.nodes.get(node_id) or self.outside.nodes.get(node_id)

    def _references(self, typed: TypedRow) -> list[Issue]:
        issues = []
        for column in typed.raw.table.columns:
            value = typed.values.get(column.field)
            if column.kind not in {"ref", "node"}:
                continue
            if isinstance(value, str) and column.field not in typed.failed:
                issue = self._reference_issue(typed, column, value)
                if issue is not None:
                    issues.append(issue)
        return issues

    def _reference_issue(self, typed: TypedRow, column: Column, value: str) -> Issue | None:
        kind, target = column.kind, column.arg
        found = self.table_of(value)
        if found is not None and (kind == "node" or found == target):
            return None
        wanted = schema().table(target) if kind != "node" else None
        also = (
            Words(
                f" (it is in '{schema().table(found).label_en}')",
                f" (ID itu ada di '{schema().table(found).label_id}')",
            )
            if found
            else ""
        )
        return typed.place(column.field).issue(
            IssueCode.UNKNOWN_REFERENCE,
            N_(
                "{value} is not among the {what} of this file or of the database{also}; "
                "add it or correct the id"
            ),
            value=repr(value),
            what=(
                Words(wanted.label_en.lower(), wanted.label_id.lower())
                if wanted
                else Words("nodes", "simpul")
            ),
            also=also,
        )

    # -- land use -------------------------------------------------------------------------
    def land_use_issues(
        self,
        areas: Mapping[str, float | None],
        land_use: Mapping[str, Mapping[LandUse, float]],
    ) -> list[Issue]:
        """Refuse land use over the park's area, for the parks and land use of the file.

        ``areas`` holds the area of every park row of the file, ``land_use`` the land use
        rows by park; what the file leaves out is taken from the stored park.
        """
        issues = []
        for park_id in sorted(set(areas) | set(land_use)):
            stored = self.outside.stored_parks.get(park_id)
            area = areas.get(park_id, stored.area_ha if stored else None)
            land = land_use.get(park_id) or (stored.land_use_ha if stored else {})
            excess = land_use_excess_ha(area, land)
            if excess is None or area is None:
                continue
            if park_id in land_use:
                place = self.places[(LAND_USE, park_id)]
            else:
                place = self.places[(_AREA, park_id)]
            issues.append(
                place.issue(
                    IssueCode.LAND_USE_OVER_AREA,
                    N_(
                        "the land use of park {park} adds up to {total} ha, more than its total "
                        "area of {area} ha{stored}; correct the areas"
                    ),
                    park=repr(park_id),
                    total=_hectares(sum(land.values())),
                    area=_hectares(area),
                    stored=_stored_words(park_id in areas, park_id in land_use),
                )
            )
        return issues


def _hectares(value: float) -> Words:
    return Words(format_number(value, "en", 2), format_number(value, "id", 2))


def _stored_words(area_in_file: bool, land_use_in_file: bool) -> Words | str:
    if not area_in_file:
        return Words(" (the area stored in the database)", " (luas yang tersimpan di basis data)")
    if not land_use_in_file:
        return Words(
            " (with the land use stored in the database)",
            " (dengan penggunaan lahan yang tersimpan di basis data)",
        )
    return ""
