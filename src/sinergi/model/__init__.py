"""The domain core: the flow network and its consistency checks.

Build a model in a few lines::

    >>> from sinergi.model import Ecosystem, Park, Region
    >>> eco = Ecosystem()
    >>> eco.add(Region("jabar", "West Java"), Park("p1", "Demo park", region_id="jabar"))
    >>> eco.park_of("p1")
    'p1'
"""

from __future__ import annotations

from sinergi.model.commodities import (
    Catalogue,
    Commodity,
    CommodityKind,
    WasteHazard,
    default_catalogue,
    load_catalogue,
)
from sinergi.model.flows import DataQuality, Flow, FlowKey
from sinergi.model.kinds import (
    FLOW_KEY,
    NODE_KINDS,
    PERIODIC_TABLES,
    RECORD_KINDS,
    RECORD_LISTS,
    NodeKind,
    RecordKind,
)
from sinergi.model.network import Ecosystem, record_park
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
from sinergi.model.period import Granularity, Period
from sinergi.model.records import (
    CommunityProgramme,
    Grievances,
    Investment,
    ParkServices,
    Pillar,
    Procurement,
    Safety,
    Training,
    Workforce,
)

__all__ = [
    "FLOW_KEY",
    "NODE_KINDS",
    "PERIODIC_TABLES",
    "RECORD_KINDS",
    "RECORD_LISTS",
    "Catalogue",
    "Commodity",
    "CommodityKind",
    "CommunityProgramme",
    "Company",
    "CompanySize",
    "DataQuality",
    "Ecosystem",
    "ExternalKind",
    "ExternalNode",
    "Facility",
    "Flow",
    "FlowKey",
    "Granularity",
    "Grievances",
    "Investment",
    "LandUse",
    "NodeKind",
    "Ownership",
    "Park",
    "ParkServices",
    "Period",
    "Pillar",
    "PowerSource",
    "Process",
    "Procurement",
    "RecordKind",
    "Region",
    "Safety",
    "Smelter",
    "SmelterRoute",
    "Training",
    "WasteHazard",
    "Workforce",
    "default_catalogue",
    "load_catalogue",
    "record_park",
]
