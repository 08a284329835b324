"""The ecosystem: one in-memory flow network that every engine reads.

:class:`Ecosystem` holds the nodes, the flows and the social/economic records, plus the
commodity catalogue they refer to. It is a plain container with lookups; consistency is
checked by :mod:`sinergi.model.checks`, not on every insert, so that large models load fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from functools import partial

from sinergi.errors import DuplicateId, UnknownNode
from sinergi.i18n import N_
from sinergi.i18n.messages import msg
from sinergi.model.commodities import Catalogue, default_catalogue
from sinergi.model.flows import Flow
from sinergi.model.kinds import (
    NODE_KINDS,
    RECORD_KINDS,
    RECORD_LISTS,
    Node,
    RecordKind,
    node_kind_of,
)
from sinergi.model.nodes import Company, ExternalNode, Facility, Park, Process, Region
from sinergi.model.period import Period
from sinergi.model.records import (
    CommunityProgramme,
    Grievances,
    Investment,
    ParkServices,
    Procurement,
    Safety,
    Training,
    Workforce,
)

__all__ = ["RECORD_LISTS", "Ecosystem", "Node", "record_park"]


@dataclass
class Ecosystem:
    """Parks, their tenants and processes, external nodes, flows and records."""

    catalogue: Catalogue = field(default_factory=default_catalogue)
    regions: dict[str, Region] = field(default_factory=dict)
    parks: dict[str, Park] = field(default_factory=dict)
    companies: dict[str, Company] = field(default_factory=dict)
    facilities: dict[str, Facility] = field(default_factory=dict)
    processes: dict[str, Process] = field(default_factory=dict)
    externals: dict[str, ExternalNode] = field(default_factory=dict)
    flows: list[Flow] = field(default_factory=list)
    workforce: list[Workforce] = field(default_factory=list)
    safety: list[Safety] = field(default_factory=list)
    training: list[Training] = field(default_factory=list)
    procurement: list[Procurement] = field(default_factory=list)
    investment: list[Investment] = field(default_factory=list)
    community_programmes: list[CommunityProgramme] = field(default_factory=list)
    grievances: list[Grievances] = field(default_factory=list)
    park_services: list[ParkServices] = field(default_factory=list)

    # -- building -----------------------------------------------------------------------
    def _node_tables(self) -> tuple[dict[str, Node], ...]:
        return tuple(getattr(self, spec.kind) for spec in NODE_KINDS)

    def add(self, *nodes: Node) -> None:
        """Add nodes; an id may be used once across all node kinds.

        Raises
        ------
        DuplicateId
            If a node with the same id already exists.
        """
        for node in nodes:
            if self.has_node(node.id):
                raise DuplicateId(
                    msg(
                        N_("node id {id} is used twice; give each node its own id"),
                        id=repr(node.id),
                    )
                )
            table: dict[str, Node] = getattr(self, node_kind_of(node))
            table[node.id] = node

    # -- lookups ------------------------------------------------------------------------
    def has_node(self, node_id: str) -> bool:
        """Return whether any node kind holds ``node_id``."""
        return any(node_id in table for table in self._node_tables())

    def node(self, node_id: str) -> Node:
        """Return the node with ``node_id``, whatever its kind."""
        for table in self._node_tables():
            if node_id in table:
                return table[node_id]
        raise UnknownNode(
            msg(N_("node {id} does not exist; add it before flows refer to it"), id=repr(node_id))
        )

    def park_of(self, node_id: str) -> str | None:
        """Return the park a node belongs to, or ``None`` for regions and external nodes."""
        if node_id in self.processes:
            node_id = self.processes[node_id].facility_id
        if node_id in self.facilities:
            node_id = self.facilities[node_id].company_id
        if node_id in self.companies:
            return self.companies[node_id].park_id
        if node_id in self.parks:
            return node_id
        return None

    def flow_park(self, flow: Flow) -> str | None:
        """Return the park that owns a flow: the source's park, else the target's."""
        return self.park_of(flow.source) or self.park_of(flow.target)

    def records(self) -> Iterator[tuple[str, list[object]]]:
        """Yield ``(name, list)`` for every social/economic record list."""
        for name in RECORD_LISTS:
            yield name, getattr(self, name)

    # -- slicing ------------------------------------------------------------------------
    def subset(self, park_ids: Iterable[str]) -> Ecosystem:
        """Return a new ecosystem with only the given parks (and all regions/externals)."""
        keep = set(park_ids)
        out = Ecosystem(
            catalogue=self.catalogue,
            regions=dict(self.regions),
            externals=dict(self.externals),
        )
        out.parks = {k: v for k, v in self.parks.items() if k in keep}
        out.companies = {k: v for k, v in self.companies.items() if v.park_id in keep}
        out.facilities = {k: v for k, v in self.facilities.items() if v.company_id in out.companies}
        out.processes = {k: v for k, v in self.processes.items() if v.facility_id in out.facilities}
        out.flows = [f for f in self.flows if self.flow_park(f) in keep]
        for name, items in self.records():
            setattr(out, name, [r for r in items if _record_park(self, r) in keep])
        return out

    def split(self) -> dict[str, Ecosystem]:
        """Return one ecosystem per park, each equal to ``subset([park])``, in one pass.

        Reading many parks at once and splitting them is much cheaper than reading each
        alone, and each part still holds only what its park owns (a flow goes to the park of
        its source, else of its target), so an engine run on a part gives what it gives on
        that park alone. Regions, externals and the catalogue are shared, not copied.
        """
        parts = {
            pid: Ecosystem(
                catalogue=self.catalogue,
                regions=dict(self.regions),
                externals=dict(self.externals),
                parks={pid: park},
            )
            for pid, park in self.parks.items()
        }
        for company in self.companies.values():
            if company.park_id in parts:
                parts[company.park_id].companies[company.id] = company
        for node_kind in ("facilities", "processes"):
            for node_id, node in getattr(self, node_kind).items():
                owner = self.park_of(node_id)
                if owner in parts:
                    getattr(parts[owner], node_kind)[node_id] = node
        for flow in self.flows:
            owner = self.flow_park(flow)
            if owner in parts:
                parts[owner].flows.append(flow)
        for name, items in self.records():
            for record in items:
                owner = _record_park(self, record)
                if owner in parts:
                    getattr(parts[owner], name).append(record)
        return parts

    def merge(self, other: Ecosystem) -> None:
        """Add every node, flow and record of ``other``.

        Ids must not clash, except regions and external nodes, which are shared.
        """
        for region in other.regions.values():
            if region.id not in self.regions:
                self.add(region)
        for external in other.externals.values():
            if external.id not in self.externals:
                self.add(external)
        for table in ("parks", "companies", "facilities", "processes"):
            self.add(*getattr(other, table).values())
        self.flows.extend(other.flows)
        for name, items in other.records():
            getattr(self, name).extend(items)

    def in_key_order(self) -> Ecosystem:
        """Return a copy with nodes, land use, flows and records sorted by their natural keys.

        Exports write this order, so that the same content gives the same bytes whatever the
        order the data was stored in (SQLite and PostgreSQL return rows in different orders).
        """
        out = Ecosystem(catalogue=self.catalogue)
        for spec in NODE_KINDS:
            table: dict[str, Node] = getattr(self, spec.kind)
            setattr(out, spec.kind, {k: table[k] for k in sorted(table)})
        out.parks = {
            k: replace(p, land_use_ha=dict(sorted(p.land_use_ha.items())))
            for k, p in out.parks.items()
        }
        out.flows = sorted(
            self.flows, key=lambda f: (_period_order(f.period), f.source, f.target, f.commodity)
        )
        for kind in RECORD_KINDS:
            items: list[object] = getattr(self, kind.name)
            setattr(out, kind.name, sorted(items, key=partial(_record_order, kind=kind)))
        return out

    def counts(self) -> dict[str, int]:
        """Return how many of each thing the ecosystem holds (for summaries)."""
        return {f.name: len(getattr(self, f.name)) for f in fields(self) if f.name != "catalogue"}


def _record_park(eco: Ecosystem, record: object) -> str | None:
    park_id = getattr(record, "park_id", None)
    if isinstance(park_id, str):
        return park_id
    company_id = getattr(record, "company_id", None)
    return eco.park_of(company_id) if isinstance(company_id, str) else None


def record_park(eco: Ecosystem, record: object) -> str | None:
    """Return the park a social/economic record belongs to."""
    return _record_park(eco, record)


def _period_order(period: Period) -> tuple[int, int]:
    return (period.year, period.month or 0)


def _record_order(record: object, kind: RecordKind) -> tuple[object, ...]:
    """Return a record's natural key as a sortable tuple (periods by year and month)."""
    parts: list[object] = []
    for name in kind.key:
        value = getattr(record, name)
        parts.append(_period_order(value) if isinstance(value, Period) else str(value))
    return tuple(parts)
