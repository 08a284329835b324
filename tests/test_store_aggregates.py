"""Park aggregates counted in the database equal the sums over the loaded park."""

from __future__ import annotations

import pytest

from sinergi.demo.ecosystem import demo_ecosystem
from sinergi.model.summary import park_totals
from sinergi.store import Store, reads


def _contributors(eco, park_id, period):
    """Count, per commodity, the park's companies owning an end of its flows in the period."""
    owner = {c.id: c.id for c in eco.companies.values() if c.park_id == park_id}
    for facility in eco.facilities.values():
        if facility.company_id in owner:
            owner[facility.id] = facility.company_id
    for process in eco.processes.values():
        if process.facility_id in owner:
            owner[process.id] = owner[process.facility_id]
    seen: dict[str, set[str]] = {}
    for f in eco.flows:
        if f.period != period or eco.flow_park(f) != park_id:
            continue
        for node in (f.source, f.target):
            if node in owner:
                seen.setdefault(f.commodity, set()).add(owner[node])
    return {c: len(v) for c, v in seen.items()}


def test_database_aggregates_equal_the_loaded_park(store: Store) -> None:
    eco = demo_ecosystem()
    store.save(eco)
    checked = 0
    for park_id in eco.parks:
        periods = sorted({f.period for f in eco.flows if eco.flow_park(f) == park_id})
        for period in periods:
            with store.engine.connect() as conn:
                found = reads.park_aggregates(conn, park_id, str(period))
            expected = park_totals(eco, park_id, period)
            assert found.totals == pytest.approx(expected.by_commodity, rel=1e-12)
            assert found.tenants == expected.tenants
            assert found.contributors == _contributors(eco, park_id, period)
            assert set(found.units) == set(found.totals)
            checked += 1
    assert checked >= len(eco.parks) - 1  # every park with flows, each period


def test_latest_period_is_taken_when_none_is_named(store: Store) -> None:
    eco = demo_ecosystem()
    store.save(eco)
    latest = max(f.period for f in eco.flows if eco.flow_park(f) == "kiic")
    with store.engine.connect() as conn:
        assert reads.park_aggregates(conn, "kiic", None).period == str(latest)
