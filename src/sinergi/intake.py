"""The import service: read a file, check it against the store, apply it in one transaction.

This is the one place where :mod:`sinergi.io` (files) meets :mod:`sinergi.store` (database);
the CLI (and later the API) call it, never the two layers separately.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sinergi.io import read_file
from sinergi.model import Ecosystem
from sinergi.model.externals import default_externals
from sinergi.store import ImportResult, Store


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What importing one file did."""

    path: Path
    result: ImportResult


def initialise(store: Store) -> None:
    """Create or upgrade the schema and seed the shipped external nodes and catalogue."""
    store.migrate()
    known = store.node_ids()
    missing = [node for node in default_externals() if node.id not in known]
    if missing or not known:
        seed = Ecosystem()
        seed.add(*missing)
        store.save(seed)


def import_file(store: Store, path: Path, *, table: str | None = None) -> ImportOutcome:
    """Validate ``path`` completely, then apply it to the store in one transaction.

    Raises
    ------
    sinergi.errors.InputError
        Listing every located problem; nothing was written.
    sinergi.errors.UnsafeInput
        If the file was refused before parsing (size, macros, zip bomb).
    """
    parsed = read_file(path, known_nodes=store.node_ids(), table=table)
    result = store.apply_import(
        parsed.ecosystem,
        sha256=parsed.sha256,
        source_name=path.name,
        fmt=parsed.format,
        tables=parsed.tables,
        periods=parsed.periods,
    )
    return ImportOutcome(path=path, result=result)
