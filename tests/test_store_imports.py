"""Applying imports: new data, repeated files, changed content, new periods, failures."""

from __future__ import annotations

import hashlib

import pytest

from sinergi.errors import StoreIntegrityError
from sinergi.examples import tiny_park
from sinergi.model import Ecosystem, Flow, Period, Workforce
from sinergi.store import ImportState, ImportStatus, Store
from sinergi.store.imports import ImportResult

ALL_TABLES = frozenset(
    {
        "regions",
        "parks",
        "land_use",
        "companies",
        "facilities",
        "processes",
        "externals",
        "flows",
        "workforce",
        "safety",
        "park_services",
    }
)


def _import(
    store: Store,
    eco: Ecosystem,
    tag: str,
    tables: frozenset[str] = ALL_TABLES,
    periods: dict[str, frozenset[Period]] | None = None,
) -> ImportResult:
    if periods is None:
        found = {str(f.period) for f in eco.flows}
        periods = {
            name: frozenset(Period.parse(p) for p in found)
            for name in tables & {"flows", "workforce", "safety", "park_services"}
        }
    return store.apply_import(
        eco,
        sha256=hashlib.sha256(tag.encode()).hexdigest(),
        source_name=f"{tag}.xlsx",
        fmt="xlsx",
        tables=tables,
        periods=periods,
    )


def _flows_only(eco: Ecosystem) -> Ecosystem:
    out = Ecosystem()
    out.flows = list(eco.flows)
    return out


def test_first_import_is_new_and_logged(store: Store) -> None:
    result = _import(store, tiny_park(), "a")
    assert result.status is ImportStatus.NEW
    assert result.import_id is not None
    assert result.park_ids == ("demo-park",)
    assert "flows 2024: added demo-metal.furnace → env.air co2: 400 t" in result.diff.lines()
    assert store.load(["demo-park"]) == tiny_park()
    (record,) = store.imports()
    assert record.id == result.import_id
    assert record.status is ImportState.ACTIVE
    assert record.source_name == "a.xlsx"
    assert record.periods["flows"] == frozenset({Period(2024)})
    assert record.diff_summary == result.diff.summary()
    assert store.imports("demo-park") == [record]
    assert store.imports("elsewhere") == []


def test_same_file_again_is_unchanged_and_writes_nothing(store: Store) -> None:
    first = _import(store, tiny_park(), "a")
    before = store.fingerprint()
    again = _import(store, tiny_park("2030"), "a")  # same sha256: content is not even read
    assert again.status is ImportStatus.UNCHANGED
    assert again.import_id == first.import_id
    assert again.diff.is_empty
    assert store.fingerprint() == before


def test_identical_content_under_another_hash_is_unchanged(store: Store) -> None:
    _import(store, tiny_park(), "a")
    before = store.fingerprint()
    result = _import(store, tiny_park(), "b")
    assert result.status is ImportStatus.UNCHANGED
    assert result.import_id is None
    assert store.fingerprint() == before
    assert len(store.imports()) == 1


def test_changed_content_supersedes_with_diff_lines(store: Store) -> None:
    first = _import(store, tiny_park(), "a")
    changed = tiny_park()
    changed.flows[5].quantity = 450.0  # co2 400 → 450 t
    del changed.flows[8]  # the unmetered municipal water
    changed.companies["demo-bricks"].name = "Demo Bricks Ltd"
    result = _import(store, changed, "b")
    assert result.status is ImportStatus.SUPERSEDED
    assert result.superseded == (first.import_id,)
    assert result.diff.lines() == [
        "companies: changed demo-bricks: name 'Demo Bricks' → 'Demo Bricks Ltd'",
        "flows 2024: changed demo-metal.furnace → env.air co2: 400 t → 450 t",
        "flows 2024: removed supplier → demo-bricks.press water_municipal: not reported",
    ]
    assert result.diff.summary() == "0 added, 1 removed, 2 changed"
    old, new = store.imports()
    assert (old.status, old.superseded_by) == (ImportState.SUPERSEDED, result.import_id)
    assert new.status is ImportState.ACTIVE
    assert store.load() == changed


def test_new_period_keeps_old_periods(store: Store) -> None:
    _import(store, tiny_park("2024"), "a")
    result = _import(store, tiny_park("2025"), "b")
    assert result.status is ImportStatus.NEW
    assert result.superseded == ()
    stored = store.load()
    assert {str(f.period) for f in stored.flows} == {"2024", "2025"}
    assert len(stored.flows) == 18
    assert [r.status for r in store.imports()] == [ImportState.ACTIVE, ImportState.ACTIVE]


def test_flows_file_replaces_only_its_periods(store: Store) -> None:
    store.save(tiny_park("2024"))
    _import(store, tiny_park("2025"), "y2025")
    update = _flows_only(tiny_park("2025"))
    update.flows = update.flows[:2]  # the 2025 file now holds two flows only
    result = _import(store, update, "y2025-fix", tables=frozenset({"flows"}))
    assert result.status is ImportStatus.SUPERSEDED
    assert len(result.diff.removed) == 7
    stored = store.load()
    assert sum(f.period == Period(2025) for f in stored.flows) == 2
    assert sum(f.period == Period(2024) for f in stored.flows) == 9
    assert len(stored.workforce) == 4  # the records of 2024 and 2025 are untouched


def test_records_follow_their_company_to_the_park(store: Store) -> None:
    store.save(tiny_park())
    fragment = Ecosystem()
    fragment.workforce = [Workforce("demo-metal", Period(2024), female=41)]
    result = _import(store, fragment, "wf", tables=frozenset({"workforce"}))
    assert result.park_ids == ("demo-park",)
    assert result.diff.lines() == [
        "workforce 2024: removed demo-bricks",
        "workforce 2024: changed demo-metal: female 40 → 41; male 260 → not reported; "
        "local 210 → not reported; non_local 90 → not reported",
    ]
    assert [w.company_id for w in store.load().workforce] == ["demo-metal"]


def test_failing_import_leaves_the_database_unchanged(store: Store) -> None:
    _import(store, tiny_park(), "a")
    before = store.fingerprint()
    broken = _flows_only(tiny_park())
    broken.flows.append(Flow(Period(2024), "demo-metal.furnace", "nowhere", "co2", 1.0))
    with pytest.raises(StoreIntegrityError, match="nothing was written"):
        _import(store, broken, "broken", tables=frozenset({"flows"}))
    assert store.fingerprint() == before
    assert len(store.imports()) == 1


def test_duplicate_rows_in_a_file_are_rejected_whole(store: Store) -> None:
    before = store.fingerprint()
    eco = tiny_park()
    eco.flows.append(eco.flows[0])
    with pytest.raises(StoreIntegrityError):
        _import(store, eco, "dup")
    assert store.fingerprint() == before
