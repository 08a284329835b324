"""The import service: read files, check them against the store, apply them in one transaction.

This is the one place where :mod:`sinergi.io` (files) meets :mod:`sinergi.store` (database);
the CLI (and later the API) call it, never the two layers separately.

Several files given together (``sinergi import parks.csv companies.csv``) are read as one
document and applied in one transaction: all of them or none. An input that was the last
import, with nothing written since, is known unchanged from its SHA-256 without being parsed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sinergi.errors import NotFound
from sinergi.i18n import N_
from sinergi.io import MAX_FILE_BYTES, ParsedFile, input_digest, read_files, write_file
from sinergi.io.issues import bilingual
from sinergi.model import Ecosystem
from sinergi.model.diff import Diff
from sinergi.model.externals import default_externals
from sinergi.store import ImportResult, ImportStatus, Store


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What importing one input (a file, a directory or several files together) did.

    ``parsed`` is ``False`` when the input was known unchanged from its SHA-256 alone.
    """

    path: Path
    result: ImportResult
    paths: tuple[Path, ...] = ()
    parsed: bool = True


class ImportProgress:
    """Receives the progress of an import; the CLI draws it as a bar.

    ``rows(read, expected)`` is called while the files are read (every thousand rows and at
    the end; ``expected`` is ``None`` when unknown); ``stage(name)`` when a step starts:
    ``"checking"``, ``"reading the stored data"``, ``"writing"``, ``"comparing"``.
    """

    def rows(self, read: int, expected: int | None) -> None:
        """Report rows read so far."""

    def stage(self, name: str) -> None:
        """Report that a step starts."""


def initialise(store: Store) -> None:
    """Create or upgrade the schema and seed the shipped external nodes and catalogue."""
    store.migrate()
    externals = default_externals()
    known = store.existing_nodes(node.id for node in externals)
    missing = [node for node in externals if node.id not in known]
    if missing:
        seed = Ecosystem()
        seed.add(*missing)
        store.save(seed)


def _source_name(paths: Sequence[Path]) -> str:
    names = ", ".join(p.name for p in paths[:5])
    return names + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")


def read_for_import(
    store: Store,
    paths: Iterable[Path],
    *,
    table: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    progress: ImportProgress | None = None,
) -> ParsedFile:
    """Read files together and check them against the store, without writing anything.

    References may name stored nodes; a stored node moved to another park or made another
    kind, and land use over a park's area (file and stored data together), are located
    problems. A caller that must authorise the parks first (the web service) calls this, then
    :func:`parks_touched`, then :func:`apply_parsed`.

    Raises
    ------
    sinergi.errors.InputError
        With the located problems of every file; nothing was written.
    sinergi.errors.UnsafeInput
        If a file was refused before parsing (size, macros, zip bomb).
    sinergi.errors.FileProblem
        If a file does not exist or cannot be read.
    """
    report = progress or ImportProgress()
    index = store.node_index()
    return read_files(
        paths,
        known_nodes={node_id: kind for node_id, (kind, _park) in index.items()},
        node_parks={node_id: park for node_id, (_kind, park) in index.items()},
        stored_parks=store.parks(p for p, (kind, _park) in index.items() if kind == "parks"),
        table=table,
        max_bytes=max_bytes,
        progress=report.rows,
    )


def parks_touched(store: Store, parsed: ParsedFile) -> list[str]:
    """Return every park an import of ``parsed`` would change (for authorisation).

    The parks it lists, the parks of its companies, facilities and processes (also when
    their parent is stored), of its land use, flows and records.
    """
    park_of = {node_id: park for node_id, (_kind, park) in store.node_index().items()}
    eco = parsed.ecosystem
    park_of.update({p: p for p in eco.parks})
    park_of.update({c.id: c.park_id for c in eco.companies.values()})
    park_of.update({f.id: park_of.get(f.company_id) for f in eco.facilities.values()})
    park_of.update({p.id: park_of.get(p.facility_id) for p in eco.processes.values()})
    touched: set[str | None] = {*eco.parks, *parsed.land_use}
    for kind in ("companies", "facilities", "processes"):
        touched |= {park_of.get(node_id) for node_id in getattr(eco, kind)}
    touched |= {park_of.get(f.source) or park_of.get(f.target) for f in eco.flows}
    for _name, items in eco.records():
        for record in items:
            owner = getattr(record, "park_id", None) or getattr(record, "company_id", None)
            touched.add(park_of.get(str(owner)))
    return sorted(p for p in touched if p is not None)


def apply_parsed(
    store: Store,
    parsed: ParsedFile,
    *,
    source_name: str | None = None,
    progress: ImportProgress | None = None,
) -> ImportResult:
    """Apply what :func:`read_for_import` read, in one transaction (nothing on error)."""
    report = progress or ImportProgress()
    return store.apply_import(
        parsed.ecosystem,
        sha256=parsed.sha256,
        source_name=source_name or _source_name(parsed.paths or (parsed.path,)),
        fmt=parsed.format,
        tables=parsed.tables,
        periods=parsed.periods,
        land_use=parsed.land_use,
        progress=report.stage,
    )


def import_files(
    store: Store,
    paths: Iterable[Path],
    *,
    table: str | None = None,
    progress: ImportProgress | None = None,
) -> ImportOutcome:
    """Validate the files completely, together, then apply them in one transaction.

    An input that was the last import, with nothing written since, is known unchanged from
    its SHA-256 and not parsed.

    Raises
    ------
    sinergi.errors.InputError
        With the located problems of every file; nothing was written.
    sinergi.errors.UnsafeInput
        If a file was refused before parsing (size, macros, zip bomb).
    sinergi.errors.FileProblem
        If a file does not exist or cannot be read.
    """
    paths = tuple(Path(p) for p in paths)
    report = progress or ImportProgress()
    report.stage(N_("checking"))
    earlier = store.current_import(input_digest(paths))
    if earlier is not None:
        result = ImportResult(ImportStatus.UNCHANGED, earlier, Diff())
        return ImportOutcome(paths[0], result, paths, parsed=False)
    parsed = read_for_import(store, paths, table=table, progress=report)
    return ImportOutcome(paths[0], apply_parsed(store, parsed, progress=report), paths)


def import_file(
    store: Store,
    path: Path,
    *,
    table: str | None = None,
    progress: ImportProgress | None = None,
) -> ImportOutcome:
    """Import one file or directory; see :func:`import_files`."""
    return import_files(store, [path], table=table, progress=progress)


def export(store: Store, path: Path, *, park_ids: Iterable[str] | None = None) -> list[Path]:
    """Write the stored parks (all, or ``park_ids``) to ``path`` in the format it names.

    Nodes, land use, flows and records are written in the order of their keys, so the same
    content gives the same bytes from SQLite and from PostgreSQL.

    Raises
    ------
    sinergi.errors.NotFound
        If a park id is not stored.
    sinergi.errors.FileProblem
        If the path cannot be written.
    """
    wanted = None if park_ids is None else sorted(set(park_ids))
    eco = store.load(wanted)
    if wanted is not None:
        missing = [p for p in wanted if p not in eco.parks]
        if missing:
            raise NotFound(
                bilingual(
                    N_("no park {parks} in the database; see 'sinergi parks list'"),
                    parks=", ".join(map(repr, missing)),
                )
            )
    return write_file(eco.in_key_order(), path, park_ids=wanted)
