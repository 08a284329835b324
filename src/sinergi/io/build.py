"""Typed rows to the model: build the ecosystem a file holds, row by row.

:class:`EcosystemBuilder` consumes the raw tables of one input (one file, a directory or
several files read together) in dependency order, types and checks each row as it comes
(:mod:`~sinergi.io.cells`, :mod:`~sinergi.io.references`) and adds it to the ecosystem. The
first issue drops the ecosystem (the input will be rejected whole) but reading goes on, so
that every problem is found; from then on only keys and ids are kept, and the issue log lists
at most a thousand problems per file and counts the rest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from sinergi.io.cells import RawRow, RawTable, TypedRow, flow_quantity, missing, type_row
from sinergi.io.columns import schema
from sinergi.io.issues import Issue, IssueLog, Words
from sinergi.io.references import FileIndex, Outside
from sinergi.model import Catalogue, Company, Ecosystem, Flow, LandUse, Period, Smelter
from sinergi.model.kinds import (
    FLOWS,
    LAND_USE,
    NODE_KINDS,
    PERIODIC_TABLES,
    RECORD_KINDS,
    NodeKind,
    node_kind,
)

#: Flat company column -> :class:`~sinergi.model.Smelter` attribute.
SMELTER_COLUMNS: dict[str, str] = {
    "smelter_route": "route",
    "smelter_capacity_t": "design_capacity_t",
    "smelter_capacity_basis": "capacity_basis",
    "smelter_power_source": "power_source",
    "smelter_grid_region": "grid_region",
}

#: Model class of each table built into the ecosystem (``land_use`` fills parks' land use).
MODEL_CLASSES: dict[str, type] = {
    **{str(spec.kind): spec.cls for spec in NODE_KINDS},
    FLOWS: Flow,
    **{kind.name: kind.cls for kind in RECORD_KINDS},
}

_NODE_TABLES = frozenset(str(kind) for kind in NodeKind)

#: Called as rows are read: ``(rows read, rows expected or None)``.
RowProgress = Callable[[int, int | None], None]


@cache
def _defaults(cls: type) -> frozenset[str]:
    """Return the fields of a model class that have a default."""
    return frozenset(
        f.name
        for f in dataclasses.fields(cls)
        if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
    )


def _model(cls: type, values: Mapping[str, object]) -> object:
    """Build ``cls``; a blank cell leaves a field with a model default at that default."""
    defaults = _defaults(cls)
    kwargs = {k: v for k, v in values.items() if v is not None or k not in defaults}
    return cls(**kwargs)


def _company(values: dict[str, object]) -> Company:
    smelter_values = {SMELTER_COLUMNS[f]: values.pop(f) for f in SMELTER_COLUMNS}
    company = _model(Company, values)
    assert isinstance(company, Company)
    if smelter_values["route"] is not None:
        smelter = _model(Smelter, smelter_values)
        assert isinstance(smelter, Smelter)
        company.smelter = smelter
    return company


def _smelter_issues(typed: TypedRow) -> list[Issue]:
    values, table = typed.values, typed.raw.table
    filled = [f for f in SMELTER_COLUMNS if f != "smelter_route" and values.get(f) is not None]
    if values.get("smelter_route") is None and filled and "smelter_route" not in typed.failed:
        return [
            missing(
                typed,
                table.column("smelter_route"),
                Words(" when other smelter columns are filled", " jika kolom smelter lain diisi"),
            )
        ]
    if values.get("smelter_route") is not None and values.get("smelter_power_source") is None:
        if "smelter_power_source" in typed.failed:
            return []
        return [
            missing(
                typed,
                table.column("smelter_power_source"),
                Words(
                    " for a smelter (it decides its carbon footprint)",
                    " untuk smelter (menentukan jejak karbonnya)",
                ),
            )
        ]
    return []


@dataclass
class Built:
    """What the input holds, once every row is read without an issue.

    ``land_use`` holds the land-use rows by park (parks of the file and stored parks);
    ``tables`` the tables with at least one row; ``periods`` the periods per periodic table.
    """

    ecosystem: Ecosystem
    land_use: dict[str, dict[LandUse, float]]
    tables: frozenset[str]
    periods: dict[str, frozenset[Period]]


@dataclass
class EcosystemBuilder:
    """Type, check and add rows one at a time; see the module docstring."""

    catalogue: Catalogue
    outside: Outside
    log: IssueLog
    progress: RowProgress | None = None
    expected_rows: int | None = None
    ecosystem: Ecosystem | None = None
    index: FileIndex = field(init=False)
    land_use: dict[str, dict[LandUse, float]] = field(default_factory=dict)
    areas: dict[str, float | None] = field(default_factory=dict)
    tables: set[str] = field(default_factory=set)
    periods: dict[str, set[Period]] = field(default_factory=dict)
    rows_read: int = 0

    def __post_init__(self) -> None:
        self.index = FileIndex(self.outside)
        self.ecosystem = Ecosystem(catalogue=self.catalogue)

    def consume(self, tables: Sequence[RawTable]) -> None:
        """Read every row of ``tables``, in dependency order (file order kept within a table)."""
        order = {t.name: i for i, t in enumerate(schema().tables)}
        for raw in sorted(tables, key=lambda t: order[t.table.name]):
            for row in raw.rows:
                self._row(raw, row)

    def _row(self, raw: RawTable, row: RawRow) -> None:
        typed, issues = type_row(raw, row, self.catalogue)
        name = raw.table.name
        if name == FLOWS:
            issues += flow_quantity(typed, self.catalogue)
        elif name == "companies":
            issues += _smelter_issues(typed)
        issues += self.index.check(typed)
        self.tables.add(name)
        self.log.extend(issues)
        if self.log:
            self.ecosystem = None  # the input is rejected; keep only keys from now on
        elif self.ecosystem is not None:
            self._add(self.ecosystem, typed)
        self.rows_read += 1
        if self.progress is not None and self.rows_read % 1000 == 0:
            self.progress(self.rows_read, self.expected_rows)

    def _add(self, eco: Ecosystem, typed: TypedRow) -> None:
        name, values = typed.raw.table.name, dict(typed.values)
        period = values.get("period")
        if name in PERIODIC_TABLES and isinstance(period, Period):
            self.periods.setdefault(name, set()).add(period)
        if name == LAND_USE:
            park_id, area = str(values["park_id"]), values["area_ha"]
            category = LandUse(str(values["category"]))
            assert isinstance(area, float)
            self.land_use.setdefault(park_id, {})[category] = area
            if park_id in eco.parks:
                eco.parks[park_id].land_use_ha[category] = area
        elif name == "companies":
            eco.add(_company(values))
        elif name == FLOWS:
            values.pop("unit")
            eco.flows.append(_model(Flow, values))  # type: ignore[arg-type]
        elif name in _NODE_TABLES:
            eco.add(_model(node_kind(name).cls, values))  # type: ignore[arg-type]
            area = values.get("area_ha")
            if name == NodeKind.PARKS and (area is None or isinstance(area, float)):
                self.areas[str(values["id"])] = area
        else:
            getattr(eco, name).append(_model(MODEL_CLASSES[name], values))

    def finish(self) -> Built | None:
        """Check land use against park areas; return what was built, or ``None`` on issues."""
        if self.progress is not None:
            self.progress(self.rows_read, self.rows_read)
        if self.ecosystem is None:
            return None
        self.log.extend(self.index.land_use_issues(self.areas, self.land_use))
        if self.log:
            return None
        return Built(
            self.ecosystem,
            self.land_use,
            frozenset(self.tables),
            {name: frozenset(p) for name, p in self.periods.items()},
        )
