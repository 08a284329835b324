"""Every malformed file is rejected whole: exact located issues, and the database unchanged.

Reuses the malformed-input corpus of ``tests/io_cases.py`` and runs it through the import
service against a store that already holds the tiny park (on SQLite and PostgreSQL).
"""

from __future__ import annotations

import pytest

from io_cases import CASES
from sinergi.errors import InputError, UnsafeInput
from sinergi.examples import tiny_park
from sinergi.intake import import_file, initialise
from sinergi.io import write_file


@pytest.fixture
def seeded(store):
    initialise(store)
    store.save(tiny_park())
    return store


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_malformed_file_writes_nothing(seeded, case, tmp_path):
    before = seeded.fingerprint()
    path = case.write(tmp_path)
    with pytest.raises((InputError, UnsafeInput)) as info:
        import_file(seeded, path)
    if isinstance(info.value, InputError):
        found = {(i.code, i.sheet, i.row) for i in info.value.issues}
        for code, sheet, row, _where in case.expected:
            assert (code, sheet, row) in found
    assert seeded.fingerprint() == before


def test_reimporting_the_same_file_changes_nothing(seeded, tmp_path):
    path = tmp_path / "park.yaml"
    write_file(tiny_park("2025"), path)
    first = import_file(seeded, path)
    after_first = seeded.fingerprint()
    second = import_file(seeded, path)
    assert str(second.result.status) == "unchanged"
    assert second.result.import_id == first.result.import_id
    assert seeded.fingerprint() == after_first


def test_changed_file_supersedes_with_a_readable_diff(seeded, tmp_path):
    path = tmp_path / "park.yaml"
    eco = tiny_park("2024")
    eco.flows[1].quantity = 550.0  # electricity 500 → 550 MWh
    write_file(eco, path)
    outcome = import_file(seeded, path)
    lines = outcome.result.diff.lines()
    assert any("electricity" in line and "500" in line and "550" in line for line in lines)
    assert [
        f.quantity for f in seeded.load(["demo-park"]).flows if f.commodity == "electricity"
    ] == [550.0]


def test_new_period_keeps_earlier_periods(seeded, tmp_path):
    path = tmp_path / "park-2025.yaml"
    write_file(tiny_park("2025"), path)
    import_file(seeded, path)
    stored = seeded.load(["demo-park"])
    assert {str(f.period) for f in stored.flows} == {"2024", "2025"}
