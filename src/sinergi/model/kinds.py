"""The kinds of things the flow network holds, declared once.

Every node kind (region, park, company, facility, process, external node), the flows and
every social/economic record kind is declared here with its model class, its natural key and
how it belongs to a park. The file layer (:mod:`sinergi.io`: sheets, CSV files, YAML lists),
the database (:mod:`sinergi.store`: tables, unique keys, import scopes) and the model itself
(:class:`~sinergi.model.Ecosystem`, :mod:`~sinergi.model.diff`) derive their lists from this
registry, so adding a record kind is one declaration here (plus its class in ``records.py``,
its attribute on ``Ecosystem`` and its columns in ``data/templates/columns.yaml``, which are
checked against it).

    >>> from sinergi.model.kinds import record_kind
    >>> record_kind("community_programmes").key
    ('park_id', 'period', 'name')
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from sinergi.model.nodes import Company, ExternalNode, Facility, Park, Process, Region
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

Node = Region | Park | Company | Facility | Process | ExternalNode


class NodeKind(StrEnum):
    """A kind of node; the value is its ``Ecosystem`` attribute, file table and stored kind."""

    REGIONS = "regions"
    PARKS = "parks"
    COMPANIES = "companies"
    FACILITIES = "facilities"
    PROCESSES = "processes"
    EXTERNALS = "externals"


@dataclass(frozen=True, slots=True)
class NodeKindSpec:
    """How one node kind is built and where it hangs in the tree.

    ``parent`` names the field that holds the parent's id (``None`` for regions);
    ``in_park`` says whether nodes of this kind belong to a park (external nodes and
    regions do not).
    """

    kind: NodeKind
    cls: type[Node]
    parent: str | None
    parent_kind: NodeKind | None
    in_park: bool


#: Every node kind, parents before children.
NODE_KINDS: tuple[NodeKindSpec, ...] = (
    NodeKindSpec(NodeKind.REGIONS, Region, None, None, in_park=False),
    NodeKindSpec(NodeKind.PARKS, Park, "region_id", NodeKind.REGIONS, in_park=True),
    NodeKindSpec(NodeKind.COMPANIES, Company, "park_id", NodeKind.PARKS, in_park=True),
    NodeKindSpec(NodeKind.FACILITIES, Facility, "company_id", NodeKind.COMPANIES, in_park=True),
    NodeKindSpec(NodeKind.PROCESSES, Process, "facility_id", NodeKind.FACILITIES, in_park=True),
    NodeKindSpec(NodeKind.EXTERNALS, ExternalNode, "region_id", NodeKind.REGIONS, in_park=False),
)

#: Name of the flows table and list.
FLOWS = "flows"
#: Natural key of a flow: one row per period, source, target and commodity.
FLOW_KEY: tuple[str, ...] = ("period", "source", "target", "commodity")

#: Name of the land-use table: the ``land_use_ha`` of each park, one row per category.
LAND_USE = "land_use"
#: Natural key of a land-use row.
LAND_USE_KEY: tuple[str, ...] = ("park_id", "category")

Owner = Literal["park_id", "company_id"]


@dataclass(frozen=True, slots=True)
class RecordKind:
    """A social, economic or management record kind reported per owner and period.

    ``name`` is the ``Ecosystem`` attribute, the file table and the database table;
    ``owner`` the field naming the company or park it belongs to; ``key`` its natural key
    (owner, period and, for programmes, the name).
    """

    name: str
    cls: type
    owner: Owner
    key: tuple[str, ...]


#: Every record kind, in the order files and tables present them.
RECORD_KINDS: tuple[RecordKind, ...] = (
    RecordKind("workforce", Workforce, "company_id", ("company_id", "period")),
    RecordKind("safety", Safety, "company_id", ("company_id", "period")),
    RecordKind("training", Training, "company_id", ("company_id", "period")),
    RecordKind("procurement", Procurement, "company_id", ("company_id", "period")),
    RecordKind("investment", Investment, "company_id", ("company_id", "period")),
    RecordKind(
        "community_programmes", CommunityProgramme, "park_id", ("park_id", "period", "name")
    ),
    RecordKind("grievances", Grievances, "park_id", ("park_id", "period")),
    RecordKind("park_services", ParkServices, "park_id", ("park_id", "period")),
)

#: Names of the record lists of :class:`~sinergi.model.Ecosystem`, in registry order.
RECORD_LISTS: tuple[str, ...] = tuple(kind.name for kind in RECORD_KINDS)

#: Tables whose rows carry a period: flows and every record kind.
PERIODIC_TABLES: tuple[str, ...] = (FLOWS, *RECORD_LISTS)

#: Every table a file may hold, in dependency order (a table refers only to earlier ones).
FILE_TABLES: tuple[str, ...] = (
    NodeKind.REGIONS,
    NodeKind.PARKS,
    LAND_USE,
    NodeKind.COMPANIES,
    NodeKind.FACILITIES,
    NodeKind.PROCESSES,
    NodeKind.EXTERNALS,
    FLOWS,
    *RECORD_LISTS,
)


def node_kind(kind: str) -> NodeKindSpec:
    """Return the declaration of a node kind by name (``"companies"``)."""
    for spec in NODE_KINDS:
        if spec.kind == kind:
            return spec
    raise KeyError(kind)


def node_kind_of(node: Node) -> NodeKind:
    """Return the kind of a node object."""
    for spec in NODE_KINDS:
        if type(node) is spec.cls:
            return spec.kind
    raise TypeError(f"{type(node).__name__} is not a node class")


def record_kind(name: str) -> RecordKind:
    """Return the declaration of a record kind by name (``"workforce"``)."""
    for kind in RECORD_KINDS:
        if kind.name == name:
            return kind
    raise KeyError(name)


def table_key(name: str) -> tuple[str, ...]:
    """Return the natural key of any table: ``("id",)`` for nodes, else the declared key."""
    if name in set(NodeKind):
        return ("id",)
    if name == FLOWS:
        return FLOW_KEY
    if name == LAND_USE:
        return LAND_USE_KEY
    return record_kind(name).key
