"""SQLite and PostgreSQL behave alike: the same text is refused, the same exports come out.

Issue 12 §2 quotes: a NUL byte in a name was stored by SQLite and crashed PostgreSQL with a
traceback; a 3,000-character id was stored by SQLite and gave a misleading "database failed …
run sinergi init" on PostgreSQL. Both are now refused before any database sees them (a located
issue for a file, :class:`~sinergi.errors.InvalidText` for data built in code), and exports are
written in key order so that the two backends give the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from conftest import StoreFactory
from sinergi.demo.ecosystem import demo_ecosystem
from sinergi.errors import InputError, InvalidText
from sinergi.examples import tiny_park
from sinergi.intake import export, import_file, initialise
from sinergi.store import Store

LONG_ID = "x" * 3000


@pytest.mark.parametrize(
    ("row", "code"),
    [
        ("new-co,demo-park,PT \x00 Nul", "bad_text"),
        (f"{LONG_ID},demo-park,PT Panjang", "text_too_long"),
    ],
    ids=["nul-in-name", "3000-char-id"],
)
def test_text_a_database_cannot_store_alike_is_a_located_issue(
    store: Store, tmp_path: Path, row: str, code: str
) -> None:
    initialise(store)
    store.save(tiny_park())
    path = tmp_path / "companies.csv"
    path.write_text(f"id,park_id,name\n{row}\n", "utf-8")
    before = store.fingerprint()
    with pytest.raises(InputError) as caught:
        import_file(store, path)
    (issue,) = caught.value.issues
    assert (issue.code, issue.row) == (code, 2)  # type: ignore[attr-defined]
    assert store.fingerprint() == before


@pytest.mark.parametrize(
    "change",
    [
        lambda eco: setattr(eco.companies["demo-metal"], "name", "Metal\x00Works"),
        lambda eco: setattr(eco.flows[0], "evidence", "e" * 5000),
        lambda eco: setattr(eco.parks["demo-park"], "notes", "tab\tand\nnewline are fine\x07"),
    ],
    ids=["nul-in-name", "long-evidence", "bell-in-notes"],
)
def test_text_built_in_code_is_refused_by_the_store_on_every_backend(
    store: Store, change: Callable[[object], None]
) -> None:
    initialise(store)
    before = store.fingerprint()
    eco = tiny_park()
    change(eco)
    with pytest.raises(InvalidText):
        store.save(eco)
    assert store.fingerprint() == before


def test_notes_may_hold_tabs_and_line_breaks(store: Store) -> None:
    initialise(store)
    eco = tiny_park()
    eco.parks["demo-park"].notes = "line one\nline\ttwo"
    store.save(eco)
    assert store.load().parks["demo-park"].notes == "line one\nline\ttwo"


def _sheets(path: Path) -> dict[str, list[tuple[object, ...]]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}
    finally:
        workbook.close()


@pytest.mark.postgres
def test_exports_from_sqlite_and_postgresql_are_identical(
    tmp_path: Path, request: pytest.FixtureRequest, pg_url: str
) -> None:
    exports = {}
    for backend in ("sqlite", "postgres"):
        factory = StoreFactory(backend, tmp_path, request)
        try:
            store = factory()
            initialise(store)
            eco = demo_ecosystem()
            eco.flows.reverse()  # stored in another order on one backend: same export
            store.save(eco if backend == "postgres" else demo_ecosystem())
            folder = tmp_path / backend
            for name in ("demo.yaml", "demo.json", "demo.xlsx", "csv"):
                export(store, folder / name)
            exports[backend] = folder
        finally:
            factory.cleanup()
    sqlite, postgres = exports["sqlite"], exports["postgres"]
    for name in ("demo.yaml", "demo.json"):
        assert (sqlite / name).read_bytes() == (postgres / name).read_bytes(), name
    csv_files = sorted(p.name for p in (sqlite / "csv").iterdir())
    assert csv_files == sorted(p.name for p in (postgres / "csv").iterdir())
    for name in csv_files:
        assert (sqlite / "csv" / name).read_bytes() == (postgres / "csv" / name).read_bytes()
    # a workbook also stamps its creation time, so compare every cell
    assert _sheets(sqlite / "demo.xlsx") == _sheets(postgres / "demo.xlsx")
