"""Translate between the domain dataclasses and table rows, in bulk, both ways.

Rows are plain dicts for Core ``insert()`` executemany. Reading builds the dataclasses
directly from result rows; periods and enum values are parsed once per distinct value,
which keeps loading hundreds of thousands of flows fast.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import fields
from enum import Enum
from typing import Any, TypeVar, get_args, get_type_hints

from sqlalchemy import Connection, Select, Table, select

from sinergi.model.commodities import Catalogue, Commodity, CommodityKind, WasteHazard
from sinergi.model.flows import DataQuality, Flow
from sinergi.model.kinds import RECORD_KINDS, NodeKind, node_kind, node_kind_of
from sinergi.model.network import Ecosystem, Node
from sinergi.model.nodes import (
    Company,
    CompanySize,
    ExternalKind,
    ExternalNode,
    Facility,
    LandUse,
    Ownership,
    Park,
    PowerSource,
    Process,
    Region,
    Smelter,
    SmelterRoute,
)
from sinergi.model.period import Period
from sinergi.store import schema as s
from sinergi.units import Dimension

#: Most ids bound in one ``IN (...)`` (SQLite allows 32,766 parameters per statement).
CHUNK = 5000

#: Node tables whose nodes belong to a park.
PARK_NODE_TABLES: tuple[NodeKind, ...] = (
    NodeKind.PARKS,
    NodeKind.COMPANIES,
    NodeKind.FACILITIES,
    NodeKind.PROCESSES,
)

E = TypeVar("E")


def chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[list[str]]:
    """Yield ``items`` in lists of at most ``size``, so ``IN`` lists stay within limits."""
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


# -- which park a node belongs to -------------------------------------------------------
#: ``node id -> (kind, park id)`` of the stored nodes.
NodeIndex = dict[str, tuple[str, str | None]]


def node_index(conn: Connection) -> NodeIndex:
    """Return ``id -> (kind, park_id)`` for every stored node."""
    rows = conn.execute(select(s.nodes.c.id, s.nodes.c.kind, s.nodes.c.park_id))
    return {row.id: (row.kind, row.park_id) for row in rows}


def node_parks(eco: Ecosystem, stored: NodeIndex) -> dict[str, str | None]:
    """Return ``node id -> park id`` for stored nodes, overridden by the nodes of ``eco``.

    A facility or process whose parent is only in the database still finds its park.
    """
    out = {node_id: park for node_id, (_kind, park) in stored.items()}
    out.update(dict.fromkeys(eco.regions))
    out.update(dict.fromkeys(eco.externals))
    out.update({park_id: park_id for park_id in eco.parks})
    out.update({c.id: c.park_id for c in eco.companies.values()})
    out.update({f.id: out.get(f.company_id) for f in eco.facilities.values()})
    out.update({p.id: out.get(p.facility_id) for p in eco.processes.values()})
    return out


def record_owner_park(record: object, parks: Mapping[str, str | None]) -> str | None:
    """Return the park of a record: its ``park_id``, else its company's park."""
    park_id = getattr(record, "park_id", None)
    if isinstance(park_id, str):
        return park_id
    company_id = getattr(record, "company_id", None)
    return parks.get(company_id) if isinstance(company_id, str) else None


# -- dataclasses to rows ----------------------------------------------------------------
def _enum_value(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


def node_row(node: Node, parks: Mapping[str, str | None]) -> dict[str, Any]:
    """Return the ``nodes`` row of one node."""
    kind, parent = _kind_and_parent(node)
    return {
        "id": node.id,
        "kind": kind,
        "parent_id": parent,
        "park_id": parks.get(node.id),
        "name": node.name,
    }


def _kind_and_parent(node: Node) -> tuple[str, str | None]:
    spec = node_kind(node_kind_of(node))
    parent = getattr(node, spec.parent) if spec.parent is not None else None
    return spec.kind, parent


def detail_rows(eco: Ecosystem, tables: Iterable[NodeKind]) -> dict[Table, list[dict[str, Any]]]:
    """Return the detail-table rows (plus land use and smelters) of the given node kinds."""
    kinds = set(tables)
    out: dict[Table, list[dict[str, Any]]] = {}
    for kind in kinds:
        items: Iterable[Any] = getattr(eco, kind).values()
        out[s.NODE_DETAIL[kind]] = [_DETAIL[kind](item) for item in items]
    if NodeKind.PARKS in kinds:
        out[s.park_land_use] = [
            {"park_id": p.id, "category": str(cat), "area_ha": area}
            for p in eco.parks.values()
            for cat, area in p.land_use_ha.items()
        ]
    if NodeKind.COMPANIES in kinds:
        out[s.smelters] = [
            _smelter_row(c.id, c.smelter) for c in eco.companies.values() if c.smelter
        ]
    return out


def _park_row(p: Park) -> dict[str, Any]:
    return {
        "id": p.id,
        "regency": p.regency,
        "latitude": p.latitude,
        "longitude": p.longitude,
        "coordinates_approximate": p.coordinates_approximate,
        "area_ha": p.area_ha,
        "operator": p.operator,
        "established": p.established,
        "programmes": list(p.programmes),
        "sources": list(p.sources),
        "synthetic": p.synthetic,
        "notes": p.notes,
    }


def _company_row(c: Company) -> dict[str, Any]:
    return {
        "id": c.id,
        "kbli": list(c.kbli),
        "size": _enum_value(c.size),
        "ownership": _enum_value(c.ownership),
        "synthetic": c.synthetic,
    }


def _smelter_row(company_id: str, sm: Smelter) -> dict[str, Any]:
    return {
        "company_id": company_id,
        "route": str(sm.route),
        "design_capacity_t": sm.design_capacity_t,
        "capacity_basis": sm.capacity_basis,
        "power_source": str(sm.power_source),
        "grid_region": sm.grid_region,
    }


_DETAIL: dict[NodeKind, Callable[[Any], dict[str, Any]]] = {
    NodeKind.REGIONS: lambda r: {"id": r.id, "wpi": r.wpi},
    NodeKind.PARKS: _park_row,
    NodeKind.COMPANIES: _company_row,
    NodeKind.FACILITIES: lambda f: {"id": f.id},
    NodeKind.PROCESSES: lambda p: {"id": p.id, "route": p.route},
    NodeKind.EXTERNALS: lambda e: {"id": e.id, "kind": str(e.kind)},
}


def commodity_rows(catalogue: Catalogue) -> list[dict[str, Any]]:
    """Return one ``commodities`` row per catalogue entry, stamped with the version."""
    return [
        {
            "id": c.id,
            "name_en": c.name_en,
            "name_id": c.name_id,
            "kind": str(c.kind),
            "dimension": str(c.dimension),
            "waste_code": c.waste_code,
            "hazard": _enum_value(c.hazard),
            "renewable": c.renewable,
            "source": c.source,
            "catalogue_version": catalogue.version,
        }
        for c in catalogue.commodities.values()
    ]


def flow_row(f: Flow, park_id: str | None, import_id: int | None) -> dict[str, Any]:
    """Return the ``flows`` row of one flow."""
    return {
        "park_id": park_id,
        "period": str(f.period),
        "source": f.source,
        "target": f.target,
        "commodity": f.commodity,
        "quantity": f.quantity,
        "quality": str(f.quality),
        "evidence": f.evidence,
        "import_id": import_id,
    }


def record_row(record: object, park_id: str | None, import_id: int | None) -> dict[str, Any]:
    """Return the row of one social/economic record (period as text, enums as values)."""
    row: dict[str, Any] = {"park_id": park_id, "import_id": import_id}
    for f in fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        row[f.name] = str(value) if isinstance(value, Period) else _enum_value(value)
    return row


# -- rows to dataclasses ----------------------------------------------------------------
class _Parsed:
    """Parse each distinct stored text once (periods, enum values)."""

    def __init__(self) -> None:
        self._periods: dict[str, Period] = {}
        #: an enum call costs about 3 µs, a dictionary look-up a tenth of it (300,000 flows)
        self.quality: dict[str, DataQuality] = {q.value: q for q in DataQuality}

    def period(self, text: str) -> Period:
        found = self._periods.get(text)
        if found is None:
            found = self._periods[text] = Period.parse(text)
        return found


def _opt(enum: Callable[[Any], E], value: str | None) -> E | None:
    return None if value is None else enum(value)


def read_ecosystem(
    conn: Connection,
    park_ids: Iterable[str] | None = None,
    periods: Mapping[str, Collection[str]] | None = None,
    *,
    parkless: bool = False,
) -> Ecosystem:
    """Load regions, external nodes, the catalogue and the given parks (all when ``None``).

    With ``periods`` (table name → period texts), periodic tables are read only for those
    periods and tables not named are left empty: an import diffs just what it replaces.
    With ``parkless``, flows of no park (supplier → market) are read too.
    """
    if isinstance(park_ids, str):
        park_ids = [park_ids]  # one id passed bare would otherwise be read letter by letter
    wanted = None if park_ids is None else sorted(set(park_ids))
    eco = Ecosystem(catalogue=read_catalogue(conn))
    _read_shared_nodes(conn, eco)
    _read_park_nodes(conn, eco, wanted)
    parsed = _Parsed()
    eco.flows = [
        Flow(
            parsed.period(r.period),
            r.source,
            r.target,
            r.commodity,
            r.quantity,
            parsed.quality[r.quality],
            r.evidence,
        )
        for r in _select_scoped(conn, s.flows, wanted, _only(periods, "flows"), parkless)
    ]
    for kind in RECORD_KINDS:
        chosen = _only(periods, kind.name)
        setattr(eco, kind.name, _read_records(conn, kind.name, kind.cls, wanted, parsed, chosen))
    return eco


def _only(periods: Mapping[str, Collection[str]] | None, name: str) -> list[str] | None:
    """Return the periods to read of a table: None for all, [] for none."""
    if periods is None:
        return None
    return sorted(periods.get(name, ()))


def read_catalogue(conn: Connection) -> Catalogue:
    """Return the stored catalogue; the newest stored version names it.

    An empty table (a database that never saved) gives the shipped catalogue.
    """
    rows = conn.execute(select(s.commodities).order_by(s.commodities.c.id)).all()
    if not rows:
        return Ecosystem().catalogue
    items = {
        r.id: Commodity(
            r.id,
            r.name_en,
            r.name_id,
            CommodityKind(r.kind),
            Dimension(r.dimension),
            r.waste_code,
            _opt(WasteHazard, r.hazard),
            r.renewable,
            r.source,
        )
        for r in rows
    }
    return Catalogue(version=max(r.catalogue_version for r in rows), commodities=items)


def _read_shared_nodes(conn: Connection, eco: Ecosystem) -> None:
    n = s.nodes.c
    regions = select(n.id, n.name, s.regions.c.wpi).join(s.regions, s.regions.c.id == n.id)
    for r in conn.execute(regions):
        eco.regions[r.id] = Region(r.id, r.name, r.wpi)
    externals = select(n.id, n.name, n.parent_id, s.externals.c.kind).join(
        s.externals, s.externals.c.id == n.id
    )
    for e in conn.execute(externals):
        eco.externals[e.id] = ExternalNode(e.id, ExternalKind(e.kind), e.name, e.parent_id)


def _park_scoped(conn: Connection, stmt: Select[Any], wanted: list[str] | None) -> list[Any]:
    if wanted is None:
        return list(conn.execute(stmt))
    out: list[Any] = []
    for part in chunks(wanted):
        out.extend(conn.execute(stmt.where(s.nodes.c.park_id.in_(part))))
    return out


def read_parks(conn: Connection, wanted: list[str] | None) -> dict[str, Park]:
    """Return the stored parks (all when ``None``) with their land use, nothing else."""
    n = s.nodes.c
    land: dict[str, dict[LandUse, float]] = {}
    lu = s.park_land_use
    stmt = select(lu).join(s.nodes, n.id == lu.c.park_id).order_by(lu.c.park_id, lu.c.category)
    for r in _park_scoped(conn, stmt, wanted):
        land.setdefault(r.park_id, {})[LandUse(r.category)] = r.area_ha
    parks = {}
    stmt = select(n.name, n.parent_id, s.parks).join(s.parks, s.parks.c.id == n.id)
    for r in _park_scoped(conn, stmt.order_by(n.id), wanted):
        parks[r.id] = Park(
            r.id,
            r.name,
            r.parent_id,
            r.regency,
            r.latitude,
            r.longitude,
            r.coordinates_approximate,
            r.area_ha,
            r.operator,
            r.established,
            tuple(r.programmes),
            land.get(r.id, {}),
            tuple(r.sources),
            r.synthetic,
            r.notes,
        )
    return parks


def _read_park_nodes(conn: Connection, eco: Ecosystem, wanted: list[str] | None) -> None:
    n = s.nodes.c
    eco.parks.update(read_parks(conn, wanted))
    sm = s.smelters
    smelters = {
        r.company_id: Smelter(
            SmelterRoute(r.route),
            r.design_capacity_t,
            r.capacity_basis,
            PowerSource(r.power_source),
            r.grid_region,
        )
        for r in _park_scoped(conn, select(sm).join(s.nodes, n.id == sm.c.company_id), wanted)
    }
    stmt = select(n.name, n.parent_id, s.companies).join(s.companies, s.companies.c.id == n.id)
    for r in _park_scoped(conn, stmt, wanted):
        eco.companies[r.id] = Company(
            r.id,
            r.parent_id,
            r.name,
            tuple(r.kbli),
            _opt(CompanySize, r.size),
            _opt(Ownership, r.ownership),
            smelters.get(r.id),
            r.synthetic,
        )
    stmt = select(n.id, n.name, n.parent_id).where(n.kind == NodeKind.FACILITIES)
    for r in _park_scoped(conn, stmt, wanted):
        eco.facilities[r.id] = Facility(r.id, r.parent_id, r.name)
    stmt = select(n.id, n.name, n.parent_id, s.processes.c.route).join(
        s.processes, s.processes.c.id == n.id
    )
    for r in _park_scoped(conn, stmt, wanted):
        eco.processes[r.id] = Process(r.id, r.parent_id, r.name, r.route)


def _select_scoped(
    conn: Connection,
    table: Table,
    wanted: list[str] | None,
    periods: list[str] | None = None,
    parkless: bool = False,
) -> list[Any]:
    """Return the rows of a park-scoped table in insertion (``id``) order.

    ``parkless`` adds the rows of no park when only some parks are wanted.
    """
    if periods is not None and not periods:
        return []
    stmt = select(table).order_by(table.c.id)
    if periods is not None:
        stmt = stmt.where(table.c.period.in_(periods))
    if wanted is None:
        return list(conn.execute(stmt))
    rows: list[Any] = []
    for part in chunks(wanted):
        rows.extend(conn.execute(stmt.where(table.c.park_id.in_(part))))
    if parkless:
        rows.extend(conn.execute(stmt.where(table.c.park_id.is_(None))))
    if len(wanted) > CHUNK or parkless:
        rows.sort(key=lambda r: r.id)
    return rows


def _read_records(
    conn: Connection,
    name: str,
    cls: type[Any],
    wanted: list[str] | None,
    parsed: _Parsed,
    periods: list[str] | None = None,
) -> list[Any]:
    converters = _field_converters(cls, parsed)
    return [
        cls(**{key: convert(getattr(row, key)) for key, convert in converters.items()})
        for row in _select_scoped(conn, s.record_tables[name], wanted, periods)
    ]


def _field_converters(cls: type[Any], parsed: _Parsed) -> dict[str, Callable[[Any], Any]]:
    """Return, per field of a record class, how to turn the stored value back."""
    hints = get_type_hints(cls)
    out: dict[str, Callable[[Any], Any]] = {}
    for f in fields(cls):
        enums = [
            t
            for t in (hints[f.name], *get_args(hints[f.name]))
            if isinstance(t, type) and issubclass(t, Enum)
        ]
        if f.name == "period":
            out[f.name] = parsed.period
        elif enums:
            out[f.name] = _optional(enums[0])
        else:
            out[f.name] = _identity
    return out


def _optional(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else convert(value)


def _identity(value: Any) -> Any:
    return value
