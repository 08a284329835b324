"""Plain totals of a park's flows, for summaries: no indicator logic, just sums.

Unknown quantities are counted separately (``unknown``) and never added as zero, so a
summary can say "3 flows not quantified" instead of under-reporting silently.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sinergi.model.commodities import CommodityKind
from sinergi.model.network import Ecosystem
from sinergi.model.period import Period


@dataclass
class ParkTotals:
    """Totals per commodity for one park and period, in canonical units."""

    park_id: str
    period: Period
    tenants: int
    synthetic_tenants: int
    by_commodity: dict[str, float] = field(default_factory=dict)
    unknown: dict[str, int] = field(default_factory=dict)

    def kind_total(self, eco: Ecosystem, kind: CommodityKind) -> float:
        """Return the sum over commodities of one kind (same dimension assumed by caller)."""
        return sum(q for cid, q in self.by_commodity.items() if eco.catalogue.get(cid).kind is kind)


def park_totals(eco: Ecosystem, park_id: str, period: Period) -> ParkTotals:
    """Sum the flows that leave or enter a park's nodes in ``period``, by commodity.

    Flows between two nodes of the same park count once (they are internal exchanges and
    appear under their commodity like any other flow).
    """
    companies = [c for c in eco.companies.values() if c.park_id == park_id]
    totals: dict[str, float] = defaultdict(float)
    unknown: dict[str, int] = defaultdict(int)
    for flow in eco.flows:
        if flow.period != period or eco.flow_park(flow) != park_id:
            continue
        if flow.quantity is None:
            unknown[flow.commodity] += 1
        else:
            totals[flow.commodity] += flow.quantity
    return ParkTotals(
        park_id=park_id,
        period=period,
        tenants=len(companies),
        synthetic_tenants=sum(c.synthetic for c in companies),
        by_commodity=dict(totals),
        unknown=dict(unknown),
    )


def periods(eco: Ecosystem) -> list[Period]:
    """Return every period that has flows, sorted."""
    return sorted({f.period for f in eco.flows})
