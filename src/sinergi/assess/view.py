"""A park seen for one period: its member nodes and the flows that touch them.

Built for all parks in one pass over the flows (:func:`park_views`), so assessing every
park of a national ecosystem stays linear in the number of flows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sinergi.model import Company, Ecosystem, Flow, Period


@dataclass
class ParkView:
    """The members of a park and the flows of one period that start or end in them."""

    eco: Ecosystem
    park_id: str
    period: Period
    members: set[str] = field(default_factory=set)
    company_of: dict[str, str] = field(default_factory=dict)
    flows: list[Flow] = field(default_factory=list)
    records: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def companies(self) -> list[Company]:
        """Return the park's tenant companies."""
        return [self.eco.companies[c] for c in sorted(set(self.company_of.values()))]

    def received(self) -> Iterator[Flow]:
        """Yield flows whose target is in the park (from outside or from another member)."""
        return (f for f in self.flows if f.target in self.members)

    def inbound(self) -> Iterator[Flow]:
        """Yield flows that cross the park boundary inwards."""
        return (f for f in self.flows if f.target in self.members and f.source not in self.members)

    def sent(self) -> Iterator[Flow]:
        """Yield flows whose source is in the park."""
        return (f for f in self.flows if f.source in self.members)

    def outbound(self) -> Iterator[Flow]:
        """Yield flows that cross the park boundary outwards."""
        return (f for f in self.flows if f.source in self.members and f.target not in self.members)


def _members(eco: Ecosystem) -> tuple[dict[str, str], dict[str, str]]:
    """Return node → park and node → company maps for every park member."""
    park_of: dict[str, str] = {p: p for p in eco.parks}
    company_of: dict[str, str] = {}
    for c in eco.companies.values():
        park_of[c.id] = c.park_id
        company_of[c.id] = c.id
    for f in eco.facilities.values():
        if f.company_id in eco.companies:
            park_of[f.id] = eco.companies[f.company_id].park_id
            company_of[f.id] = f.company_id
    for p in eco.processes.values():
        if p.facility_id in company_of:
            park_of[p.id] = park_of[p.facility_id]
            company_of[p.id] = company_of[p.facility_id]
    return park_of, company_of


def park_views(eco: Ecosystem, period: Period) -> dict[str, ParkView]:
    """Return a view per park for ``period``; a cross-park flow appears in both parks."""
    park_of, company_of = _members(eco)
    views = {pid: ParkView(eco, pid, period) for pid in eco.parks}
    for node, pid in park_of.items():
        views[pid].members.add(node)
        if node in company_of:
            views[pid].company_of[node] = company_of[node]
    by_park: dict[str, list[Flow]] = defaultdict(list)
    for flow in eco.flows:
        if flow.period != period:
            continue
        for owner in {park_of.get(flow.source), park_of.get(flow.target)}:
            if owner is not None:
                by_park[owner].append(flow)
    for pid, flows in by_park.items():
        views[pid].flows = flows
    for name, items in eco.records():
        for record in items:
            if getattr(record, "period", None) != period:
                continue
            owner = _record_owner(record, park_of)
            if owner in views:
                views[owner].records.setdefault(name, []).append(record)
    return views


def _record_owner(record: object, park_of: dict[str, str]) -> str | None:
    park_id = getattr(record, "park_id", None)
    if isinstance(park_id, str):
        return park_id
    company_id = getattr(record, "company_id", None)
    return park_of.get(company_id) if isinstance(company_id, str) else None


def park_view(eco: Ecosystem, park_id: str, period: Period) -> ParkView:
    """Return the view of one park (convenience for tests and single-park reports)."""
    return park_views(eco, period)[park_id]
