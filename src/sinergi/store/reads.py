"""Narrow reads for the service: one park's companies and flows, filtered and paginated.

The service answers most requests from these queries instead of loading an ecosystem, so a
park's page never loads the national network.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Integer, case, func, or_, select

from sinergi.model.kinds import NodeKind
from sinergi.store import schema as s
from sinergi.store.rows import chunks
from sinergi.units import CANONICAL_UNIT, Dimension


@dataclass(frozen=True, slots=True)
class Page:
    """One page of rows and the total count of rows matching the filter."""

    total: int
    items: list[dict[str, Any]]


def park_ids(conn: Connection) -> list[str]:
    """Return every stored park's id, in order."""
    return sorted(conn.execute(select(s.parks.c.id)).scalars())


def park_exists(conn: Connection, park_id: str) -> bool:
    """Return whether a park is stored."""
    return conn.execute(select(s.parks.c.id).where(s.parks.c.id == park_id)).first() is not None


def company_row(conn: Connection, company_id: str) -> dict[str, Any] | None:
    """Return one company with its park, or ``None``."""
    n, c = s.nodes.c, s.companies.c
    row = conn.execute(
        select(n.id, n.name, n.park_id, c.kbli, c.size, c.ownership, c.synthetic)
        .join(s.companies, c.id == n.id)
        .where(n.id == company_id)
    ).first()
    return None if row is None else dict(row._mapping)


def companies(
    conn: Connection, park_id: str, only: Collection[str] | None, limit: int, offset: int
) -> Page:
    """Return the companies of a park (only the given ids when ``only`` is set), by id."""
    n, c = s.nodes.c, s.companies.c
    query = (
        select(n.id, n.name, n.park_id, c.kbli, c.size, c.ownership, c.synthetic)
        .join(s.companies, c.id == n.id)
        .where(n.park_id == park_id)
    )
    if only is not None:
        query = query.where(n.id.in_(sorted(only)))
    total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = conn.execute(query.order_by(n.id).limit(limit).offset(offset))
    return Page(int(total), [dict(r._mapping) for r in rows])


def facilities(
    conn: Connection, park_id: str, only: Collection[str] | None
) -> list[dict[str, Any]]:
    """Return the facilities and processes of a park with their parents."""
    n = s.nodes.c
    query = (
        select(n.id, n.kind, n.parent_id, n.name)
        .where(n.park_id == park_id)
        .where(n.kind.in_([str(NodeKind.FACILITIES), str(NodeKind.PROCESSES)]))
        .order_by(n.id)
    )
    rows = [dict(r._mapping) for r in conn.execute(query)]
    if only is None:
        return rows
    owned = node_owners(conn, [r["id"] for r in rows])
    return [r for r in rows if owned.get(r["id"]) in only]


def node_owners(conn: Connection, ids: list[str]) -> dict[str, str]:
    """Return the company owning each node id (a company owns itself and all below it)."""
    n = s.nodes.c
    parent: dict[str, tuple[str, str | None]] = {}
    pending = set(ids)
    while pending:
        found: dict[str, tuple[str, str | None]] = {}
        for part in chunks(sorted(pending)):
            found.update(
                {
                    r.id: (r.kind, r.parent_id)
                    for r in conn.execute(select(n.id, n.kind, n.parent_id).where(n.id.in_(part)))
                }
            )
        parent.update(found)
        pending = {p for _k, p in found.values() if p and p not in parent}
    owners: dict[str, str] = {}
    for node in ids:
        current: str | None = node
        while current is not None and current in parent:
            kind, up = parent[current]
            if kind == str(NodeKind.COMPANIES):
                owners[node] = current
                break
            current = up
    return owners


def company_nodes(conn: Connection, company_ids: Collection[str]) -> set[str]:
    """Return the given companies and every facility and process below them."""
    n = s.nodes.c
    found, frontier = set(company_ids), sorted(company_ids)
    while frontier:
        children: set[str] = set()
        for part in chunks(frontier):
            children |= set(conn.execute(select(n.id).where(n.parent_id.in_(part))).scalars())
        frontier = sorted(children - found)
        found |= children
    return found


def flows(
    conn: Connection,
    park_id: str,
    *,
    period: str | None,
    commodity: str | None,
    nodes: Collection[str] | None,
    limit: int,
    offset: int,
) -> Page:
    """Return a park's flows, filtered by period, commodity and touching ``nodes``, by id."""
    f = s.flows.c
    query = select(
        f.id, f.period, f.source, f.target, f.commodity, f.quantity, f.quality, f.evidence
    ).where(f.park_id == park_id)
    if period is not None:
        query = query.where(f.period == period)
    if commodity is not None:
        query = query.where(f.commodity == commodity)
    if nodes is not None:
        wanted = sorted(nodes)
        query = query.where(or_(f.source.in_(wanted), f.target.in_(wanted)))
    total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = conn.execute(query.order_by(f.id).limit(limit).offset(offset))
    return Page(int(total), [dict(r._mapping) for r in rows])


def park_services(conn: Connection, park_id: str, period: str | None) -> list[dict[str, Any]]:
    """Return the park-services records of a park (one per period)."""
    table = s.record_tables["park_services"]
    query = select(table).where(table.c.park_id == park_id).order_by(table.c.period)
    if period is not None:
        query = query.where(table.c.period == period)
    return [
        {k: v for k, v in r._mapping.items() if k not in {"id", "import_id"}}
        for r in conn.execute(query)
    ]


def land_use(conn: Connection, park_id: str) -> dict[str, float]:
    """Return the reported land use of a park in hectares, by category."""
    u = s.park_land_use.c
    rows = conn.execute(select(u.category, u.area_ha).where(u.park_id == park_id))
    return {r.category: float(r.area_ha) for r in rows}


def exchange_park(conn: Connection, exchange_id: str) -> str | None:
    """Return the park of a stored exchange (its supplier's), or ``None`` if there is none."""
    row = conn.execute(select(s.exchanges.c.park_id).where(s.exchanges.c.id == exchange_id)).first()
    return None if row is None else row.park_id


def park_facts(conn: Connection, park_id: str) -> dict[str, Any] | None:
    """Return a park's sourced facts and tenant counts without loading its flows."""
    n, p = s.nodes.c, s.parks.c
    region = s.nodes.alias("region")
    row = conn.execute(
        select(
            n.id, n.name, region.c.name.label("region"), *[c for c in s.parks.c if c.name != "id"]
        )
        .join(s.parks, p.id == n.id)
        .outerjoin(region, region.c.id == n.parent_id)
        .where(n.id == park_id)
    ).first()
    if row is None:
        return None
    c = s.companies.c
    counts = conn.execute(
        select(func.count(), func.coalesce(func.sum(func.cast(c.synthetic, Integer)), 0))
        .select_from(s.companies.join(s.nodes, n.id == c.id))
        .where(n.park_id == park_id)
    ).one()
    facts = dict(row._mapping)
    return {
        **{k: facts[k] for k in ("id", "name", "region", "regency", "operator", "area_ha")},
        "coordinates": [facts["latitude"], facts["longitude"]],
        "coordinates_approximate": bool(facts["coordinates_approximate"]),
        "programmes": list(facts["programmes"] or []),
        "land_use_ha": land_use(conn, park_id),
        "synthetic_park": bool(facts["synthetic"]),
        "sources": list(facts["sources"] or []),
        "notes": facts["notes"],
        "tenants": int(counts[0]),
        "synthetic_tenants": int(counts[1]),
    }


def assessment_inputs(conn: Connection, park_id: str, period: str) -> dict[str, Any]:
    """Summarise what an assessment of one park and period reads, in the database.

    The same numbers as :func:`sinergi.assess.view.park_view` gives (members, companies, the
    period's flows that start or end in the park, records, totals by commodity), without
    loading the park into memory.
    """
    n, f = s.nodes.c, s.flows.c
    members = list(
        conn.execute(select(n.id).where((n.park_id == park_id) | (n.id == park_id))).scalars()
    )
    companies = conn.execute(
        select(func.count())
        .select_from(s.nodes)
        .where((n.park_id == park_id) & (n.kind == str(NodeKind.COMPANIES)))
    ).scalar_one()
    # a flow is in the view when it starts or ends in the park: its park is this one (the
    # park of its source, else of its target), or it arrives from another park; indexed
    # lookups by park and by target instead of one OR that would scan every flow
    parts = [(f.period == period) & (f.park_id == park_id)]
    not_own = (f.park_id != park_id) | f.park_id.is_(None)
    # on SQLite, period || '' keeps the planner on the target index (its period index would
    # scan a whole year); PostgreSQL picks the target index by itself
    sqlite = conn.dialect.name == "sqlite"
    arriving = (f.period.concat("") if sqlite else f.period) == period
    parts += [arriving & f.target.in_(chunk) & not_own for chunk in chunks(members)]
    flow_count = 0
    totals: dict[str, float] = {}
    for where in parts:
        for r in conn.execute(
            select(f.commodity, func.count().label("n"), func.sum(f.quantity).label("total"))
            .where(where)
            .group_by(f.commodity)
        ):
            flow_count += int(r.n)
            if r.total is not None:
                totals[r.commodity] = totals.get(r.commodity, 0.0) + float(r.total)
    records = {}
    for name, table in s.record_tables.items():
        count = conn.execute(
            select(func.count()).where((table.c.park_id == park_id) & (table.c.period == period))
        ).scalar_one()
        if count:
            records[name] = int(count)
    return {
        "park_id": park_id,
        "period": period,
        "companies": int(companies),
        "members": len(members),
        "flows": int(flow_count),
        "records": records,
        "by_commodity": totals,
    }


def node_names(conn: Connection, ids: Collection[str]) -> dict[str, str]:
    """Return the names of the given nodes (ids not stored are left out)."""
    n = s.nodes.c
    found: dict[str, str] = {}
    for chunk in chunks(sorted(set(ids))):
        for node_id, name in conn.execute(select(n.id, n.name).where(n.id.in_(chunk))):
            found[node_id] = name
    return found


@dataclass
class ParkAggregates:
    """A park's commodity totals for a period and how many of its companies report each."""

    period: str | None
    tenants: int
    totals: dict[str, float]
    units: dict[str, str]
    contributors: dict[str, int]


def park_aggregates(conn: Connection, park_id: str, period: str | None) -> ParkAggregates:
    """Sum a park's flows of a period by commodity, in the database, without loading the park.

    The same numbers as :func:`sinergi.model.summary.park_totals` (flows the park owns, known
    quantities only) and, per commodity, the number of the park's companies owning an end of
    one of those flows (unknown quantities included): the count that decides suppression.
    ``period=None`` means the park's latest period with flows.
    """
    f, n = s.flows.c, s.nodes.c
    if period is None:
        found = conn.execute(select(f.period).where(f.park_id == park_id).distinct()).scalars()
        ordered = sorted(found, key=lambda p: (int(p[:4]), int(p[5:7] or 0)))
        period = ordered[-1] if ordered else None
    tenants = conn.execute(
        select(func.count())
        .select_from(s.nodes)
        .where((n.park_id == park_id) & (n.kind == str(NodeKind.COMPANIES)))
    ).scalar_one()
    if period is None:
        return ParkAggregates(None, int(tenants), {}, {}, {})
    own = (f.park_id == park_id) & (f.period == period)
    totals = {
        str(r.commodity): float(r.total)
        for r in conn.execute(
            select(f.commodity, func.sum(f.quantity).label("total"))
            .where(own & f.quantity.is_not(None))
            .group_by(f.commodity)
        )
    }
    ends = list(conn.execute(select(f.source, f.target, f.commodity).where(own)))
    members = set(conn.execute(select(n.id).where(n.park_id == park_id)).scalars())
    owners = node_owners(conn, sorted({e for r in ends for e in r[:2]} & members))
    seen: dict[str, set[str]] = {}
    for source, target, commodity in ends:
        for node in (source, target):
            if node in owners:
                seen.setdefault(commodity, set()).add(owners[node])
    c = s.commodities.c
    units = {
        str(r.id): CANONICAL_UNIT[Dimension(r.dimension)]
        for r in conn.execute(select(c.id, c.dimension).where(c.id.in_(sorted(totals))))
    }
    counts = {commodity: len(companies) for commodity, companies in seen.items()}
    return ParkAggregates(period, int(tenants), totals, units, counts)


def latest_aggregates(conn: Connection) -> dict[str, ParkAggregates]:
    """Return :func:`park_aggregates` of every park for its latest period, in a few queries.

    The national page needs every park's totals at once; asking park by park cost about
    20 ms a park. Companies are found by walking up at most two levels (a process's
    facility, a facility's company), the model's whole hierarchy below a company.
    """
    f, n = s.flows.c, s.nodes.c
    latest: dict[str, str] = {}
    for park_id, period in conn.execute(select(f.park_id, f.period).distinct()):
        if park_id is not None and (
            park_id not in latest or _period_key(period) > _period_key(latest[park_id])
        ):
            latest[park_id] = period
    tenants: dict[str, int] = {
        park_id: int(count)
        for park_id, count in conn.execute(
            select(n.park_id, func.count())
            .where(n.kind == str(NodeKind.COMPANIES))
            .group_by(n.park_id)
        )
    }
    periods = sorted(set(latest.values()))
    totals: dict[str, dict[str, float]] = {}
    for park_id, period, commodity, total in conn.execute(
        select(f.park_id, f.period, f.commodity, func.sum(f.quantity))
        .where(f.period.in_(periods) & f.quantity.is_not(None))
        .group_by(f.park_id, f.period, f.commodity)
    ):
        if latest.get(park_id) == period:
            totals.setdefault(park_id, {})[str(commodity)] = float(total)
    counts: dict[str, dict[str, int]] = {}
    for park_id, period, commodity, companies in conn.execute(_contributors(periods)):
        if latest.get(park_id) == period and companies:
            counts.setdefault(park_id, {})[str(commodity)] = int(companies)
    c = s.commodities.c
    dimensions = {
        str(r.id): Dimension(r.dimension) for r in conn.execute(select(c.id, c.dimension))
    }
    parks = conn.execute(select(s.parks.c.id)).scalars()
    found = {}
    for park_id in parks:
        own = totals.get(park_id, {})
        units = {commodity: CANONICAL_UNIT[dimensions[commodity]] for commodity in own}
        found[park_id] = ParkAggregates(
            latest.get(park_id),
            int(tenants.get(park_id, 0)),
            own,
            units,
            counts.get(park_id, {}) if park_id in latest else {},
        )
    return found


def yearly_aggregates(
    conn: Connection, park_ids: Collection[str] | None = None
) -> dict[str, dict[str, ParkAggregates]]:
    """Return :func:`park_aggregates` of each park for every calendar year it reports, at once.

    The national page's trends need every year, not only the latest period. Only periods
    that *are* years (``2024``) count: months are never rolled into a year here
    (``docs/architecture.md``, Periods), so a park that reports by month has no yearly
    figure. ``park_ids=None`` reads every park; parks without a yearly period map to ``{}``.
    """
    f, n = s.flows.c, s.nodes.c
    scope: ColumnElement[bool] = func.length(f.period) == 4
    if park_ids is not None:
        scope = scope & f.park_id.in_(sorted(park_ids))
    years: dict[str, set[str]] = {}
    for park_id, period in conn.execute(select(f.park_id, f.period).where(scope).distinct()):
        if park_id is not None:
            years.setdefault(str(park_id), set()).add(str(period))
    periods = sorted({p for found in years.values() for p in found})
    totals: dict[tuple[str, str], dict[str, float]] = {}
    for park_id, period, commodity, total in conn.execute(
        select(f.park_id, f.period, f.commodity, func.sum(f.quantity))
        .where(scope & f.quantity.is_not(None))
        .group_by(f.park_id, f.period, f.commodity)
    ):
        totals.setdefault((str(park_id), str(period)), {})[str(commodity)] = float(total)
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for park_id, period, commodity, companies in conn.execute(_contributors(periods, park_ids)):
        if companies:
            counts.setdefault((str(park_id), str(period)), {})[str(commodity)] = int(companies)
    tenants = {
        str(park_id): int(count)
        for park_id, count in conn.execute(
            select(n.park_id, func.count())
            .where(n.kind == str(NodeKind.COMPANIES))
            .group_by(n.park_id)
        )
    }
    c = s.commodities.c
    dimensions = {
        str(r.id): Dimension(r.dimension) for r in conn.execute(select(c.id, c.dimension))
    }
    wanted = park_ids if park_ids is not None else conn.execute(select(s.parks.c.id)).scalars()
    found: dict[str, dict[str, ParkAggregates]] = {}
    for park_id in sorted(wanted):
        found[park_id] = {}
        for period in sorted(years.get(park_id, ())):
            own = totals.get((park_id, period), {})
            found[park_id][period] = ParkAggregates(
                period,
                tenants.get(park_id, 0),
                own,
                {commodity: CANONICAL_UNIT[dimensions[commodity]] for commodity in own},
                counts.get((park_id, period), {}),
            )
    return found


def _period_key(period: str) -> tuple[int, int]:
    return int(period[:4]), int(period[5:7] or 0)


def _contributors(periods: list[str], park_ids: Collection[str] | None = None) -> Any:
    """Count, per park, period and commodity, the park's companies owning an end of a flow."""
    f = s.flows.c
    scope: ColumnElement[bool] = f.period.in_(periods)
    if park_ids is not None:
        scope = scope & f.park_id.in_(sorted(park_ids))
    ends = (
        select(f.park_id, f.period, f.commodity, f.source.label("node"))
        .where(scope)
        .union(select(f.park_id, f.period, f.commodity, f.target.label("node")).where(scope))
        .subquery()
    )
    end, up, top = s.nodes.alias("end"), s.nodes.alias("up"), s.nodes.alias("top")
    company = str(NodeKind.COMPANIES)
    owner = case(
        (end.c.kind == company, end.c.id),
        (up.c.kind == company, up.c.id),
        (top.c.kind == company, top.c.id),
    )
    return (
        select(ends.c.park_id, ends.c.period, ends.c.commodity, func.count(owner.distinct()))
        .select_from(ends)
        .join(end, (end.c.id == ends.c.node) & (end.c.park_id == ends.c.park_id))
        .outerjoin(up, up.c.id == end.c.parent_id)
        .outerjoin(top, top.c.id == up.c.parent_id)
        .group_by(ends.c.park_id, ends.c.period, ends.c.commodity)
    )
