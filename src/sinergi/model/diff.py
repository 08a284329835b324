"""What changed between two ecosystems: added, removed and changed nodes, flows and records.

The comparison is pure (no database). Nodes are matched by id, flows by their natural key
(period, source, target, commodity) and records by their key (company or park, period,
and the programme name for community programmes). The catalogue is not compared.

    >>> from sinergi.examples import tiny_park
    >>> old, new = tiny_park(), tiny_park()
    >>> new.flows[5].quantity = 450.0
    >>> d = diff(old, new)
    >>> d.lines()
    ['flows 2024: changed demo-metal.furnace → env.air co2: 400 t → 450 t']
    >>> d.summary()
    '0 added, 0 removed, 1 changed'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any, cast

from sinergi.model.flows import Flow
from sinergi.model.kinds import NODE_KINDS, RECORD_KINDS, RecordKind
from sinergi.model.network import Ecosystem
from sinergi.model.period import Period

#: Node tables in the order changes are listed.
NODE_TABLES: tuple[str, ...] = tuple(spec.kind.value for spec in NODE_KINDS)


class ChangeKind(StrEnum):
    """Whether an entry appeared, disappeared or changed."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Change:
    """One added, removed or changed node, flow or record.

    ``key`` holds the matching key as text (a node id; a flow's source, target and
    commodity; a record's owner and, for programmes, name); ``period`` is set for flows
    and records. ``old``/``new`` are the compared objects (``None`` when absent) and
    ``fields`` names the fields that differ for a change.
    """

    table: str
    kind: ChangeKind
    key: tuple[str, ...]
    period: Period | None
    old: object | None
    new: object | None
    fields: tuple[str, ...] = ()
    unit: str = ""

    def line(self) -> str:
        """Return one readable line, e.g. ``flows 2024: added a → b co2: 12 t``."""
        where = self.table if self.period is None else f"{self.table} {self.period}"
        return f"{where}: {self.kind} {self._label()}{self._detail()}"

    def _label(self) -> str:
        if self.table == "flows":
            source, target, commodity = self.key
            return f"{source} → {target} {commodity}"
        return " ".join(_quote_if_spaced(part) for part in self.key)

    def _detail(self) -> str:
        if self.kind is ChangeKind.CHANGED:
            parts = [
                self._field_change(name, getattr(self.old, name), getattr(self.new, name))
                for name in self.fields
            ]
            return ": " + "; ".join(parts)
        if self.table == "flows":
            flow = cast(Flow, self.new if self.new is not None else self.old)
            return f": {format_quantity(flow.quantity, self.unit)}"
        return ""

    def _field_change(self, name: str, old: object, new: object) -> str:
        if self.table == "flows" and name == "quantity":
            before, after = cast(float | None, old), cast(float | None, new)
            return f"{format_quantity(before, self.unit)} → {format_quantity(after, self.unit)}"
        return f"{name} {_show(old)} → {_show(new)}"


@dataclass(frozen=True, slots=True)
class Diff:
    """All changes from one ecosystem to another, in a stable order."""

    changes: tuple[Change, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Return whether nothing changed."""
        return not self.changes

    @property
    def added(self) -> tuple[Change, ...]:
        """Return the added entries."""
        return self._of(ChangeKind.ADDED)

    @property
    def removed(self) -> tuple[Change, ...]:
        """Return the removed entries."""
        return self._of(ChangeKind.REMOVED)

    @property
    def changed(self) -> tuple[Change, ...]:
        """Return the changed entries."""
        return self._of(ChangeKind.CHANGED)

    def _of(self, kind: ChangeKind) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind is kind)

    def lines(self) -> list[str]:
        """Return one readable line per change."""
        return [change.line() for change in self.changes]

    def summary(self) -> str:
        """Return counts, e.g. ``3 added, 1 removed, 2 changed``."""
        return f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed"

    def __bool__(self) -> bool:
        return bool(self.changes)


def diff(old: Ecosystem, new: Ecosystem) -> Diff:
    """Compare two ecosystems entry by entry; units are taken from ``new``'s catalogue."""
    changes: list[Change] = []
    for table in NODE_TABLES:
        changes += _compare(
            table, _nodes_by_key(getattr(old, table)), _nodes_by_key(getattr(new, table))
        )
    units = {
        c.id: c.unit
        for c in (*old.catalogue.commodities.values(), *new.catalogue.commodities.values())
    }
    changes += _compare("flows", _flows_by_key(old.flows), _flows_by_key(new.flows), units)
    for kind in RECORD_KINDS:
        changes += _compare(
            kind.name,
            _records_by_key(kind, getattr(old, kind.name)),
            _records_by_key(kind, getattr(new, kind.name)),
        )
    return Diff(tuple(changes))


_Key = tuple[Period | None, tuple[str, ...]]


def _compare(
    table: str,
    old: Mapping[_Key, object],
    new: Mapping[_Key, object],
    units: Mapping[str, str] | None = None,
) -> list[Change]:
    out: list[Change] = []
    for key in sorted(old.keys() | new.keys(), key=_sort_key):
        before, after = old.get(key), new.get(key)
        if before is not None and after is not None:
            differing = _differing_fields(before, after)
            if not differing:
                continue
            kind = ChangeKind.CHANGED
        else:
            differing = ()
            kind = ChangeKind.ADDED if before is None else ChangeKind.REMOVED
        unit = units.get(key[1][2], "") if units else ""
        out.append(Change(table, kind, key[1], key[0], before, after, differing, unit))
    return out


def _sort_key(key: _Key) -> tuple[int, int, tuple[str, ...]]:
    period, rest = key
    if period is None:
        return (0, 0, rest)
    return (period.year, period.month or 0, rest)


def _differing_fields(old: object, new: object) -> tuple[str, ...]:
    if type(old) is not type(new):
        return tuple(f.name for f in fields(new))  # type: ignore[arg-type]
    return tuple(
        f.name
        for f in fields(new)  # type: ignore[arg-type]
        if not _same(getattr(old, f.name), getattr(new, f.name))
    )


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def _nodes_by_key(table: Mapping[str, object]) -> dict[_Key, object]:
    return {(None, (node_id,)): node for node_id, node in table.items()}


def _flows_by_key(flows: Iterable[Flow]) -> dict[_Key, object]:
    return {(f.period, (f.source, f.target, f.commodity)): f for f in flows}


def _records_by_key(kind: RecordKind, records: Iterable[Any]) -> dict[_Key, object]:
    """Key records by period and the rest of their natural key (owner, programme name)."""
    rest = [name for name in kind.key if name != "period"]
    return {
        (record.period, tuple(str(getattr(record, name)) for name in rest)): record
        for record in records
    }


def format_quantity(value: float | None, unit: str = "") -> str:
    """Format a quantity for people: thousands separators, no float noise.

    >>> format_quantity(1250.0, "t")
    '1,250 t'
    >>> format_quantity(None, "t")
    'not reported'
    """
    if value is None:
        return "not reported"
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        text = f"{int(value):,}"
    elif math.isfinite(value) and abs(value) >= 1e-4:
        text = f"{value:,.6f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.6g}"
    return f"{text} {unit}" if unit else text


def _show(value: object) -> str:
    if value is None:
        return "not reported"
    if isinstance(value, float):
        return format_quantity(value)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple):
        return "[" + ", ".join(v if isinstance(v, str) else _show(v) for v in value) + "]"
    if isinstance(value, dict):
        items = sorted((str(k), _show(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    return repr(value) if isinstance(value, str) else str(value)


def _quote_if_spaced(text: str) -> str:
    return repr(text) if any(ch.isspace() for ch in text) else text
