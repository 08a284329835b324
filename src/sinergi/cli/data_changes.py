"""What an import changed, as lines a person reads in their language.

:class:`~sinergi.model.diff.Change` describes a change with model names (``companies``,
``land_use_ha``); these lines use the tables' and columns' labels from the input schema
(``Perusahaan tenant``, ``Luas total (ha)``) and the language's number format, so that an
Indonesian import report holds no English and no Python values. ``--json`` keeps the model's
own lines (``Diff.lines``) for programs.
"""

from __future__ import annotations

from enum import Enum
from typing import cast

from sinergi.i18n import N_, Language, _, format_number
from sinergi.io.columns import Table, schema
from sinergi.model.diff import Change, ChangeKind
from sinergi.model.flows import Flow
from sinergi.model.kinds import FLOWS, LAND_USE

__all__ = ["change_line"]

_KINDS = {
    ChangeKind.ADDED: N_("added"),
    ChangeKind.REMOVED: N_("removed"),
    ChangeKind.CHANGED: N_("changed"),
}
_NOT_REPORTED = N_("not reported")

#: Words for the choices a change may show (file codes such as ``industrial_plots``).
_CHOICES: dict[str, str] = {
    "industrial_plots": N_("industrial plots"),
    "green_open_space": N_("green open space"),
    "roads_and_drains": N_("roads and drains"),
    "utilities": N_("utilities"),
    "other": N_("other"),
    "measured": N_("measured"),
    "calculated": N_("calculated"),
    "estimated": N_("estimated"),
    "default": N_("default value"),
    "synthetic": N_("synthetic"),
    "micro": N_("micro"),
    "small": N_("small"),
    "medium": N_("medium"),
    "large": N_("large"),
    "domestic": N_("domestic (PMDN)"),
    "foreign": N_("foreign (PMA)"),
    "state": N_("state-owned"),
    "joint_venture": N_("joint venture"),
    "grid": N_("grid"),
    "captive_coal": N_("captive coal"),
    "hydro": N_("hydro"),
    "solar": N_("solar"),
    "mixed": N_("mixed"),
}
_YES, _NO = N_("yes"), N_("no")


def _label(table: Table, lang: str) -> str:
    return table.label_id if lang == Language.id else table.label_en


def _field_label(table: Table, name: str, lang: str) -> str:
    if name == "land_use_ha":
        return _label(schema().table(LAND_USE), lang)
    if name == "smelter":
        return "smelter"
    for column in table.columns:
        if column.field == name:
            return column.label_id if lang == Language.id else column.label_en
    return name


def _value(value: object, lang: str) -> str:
    """Return a model value as a person reads it: no ``None``, enum codes or Python lists."""
    if value is None or isinstance(value, bool):
        word = _NOT_REPORTED if value is None else (_YES if value else _NO)
        text = _(lang, word)
    elif isinstance(value, int | float):
        text = _number(float(value), lang)
    elif isinstance(value, Enum):
        code = str(value.value)
        text = _(lang, _CHOICES[code]) if code in _CHOICES else code
    elif isinstance(value, tuple | dict):
        text = _collection(value, lang)
    elif hasattr(value, "__dataclass_fields__"):  # a company's smelter
        names = getattr(value, "__dataclass_fields__", {})
        text = ", ".join(_value(getattr(value, name), lang) for name in names)
    else:
        text = repr(value) if isinstance(value, str) else str(value)
    return text


def _collection(value: tuple[object, ...] | dict[object, object], lang: str) -> str:
    if isinstance(value, tuple):
        return "; ".join(_value(v, lang) for v in value) or "–"
    items = sorted((_value(k, lang), _value(v, lang)) for k, v in value.items())
    return ", ".join(f"{k} {v}" for k, v in items) or "–"


def _number(value: float, lang: str) -> str:
    if value == int(value) and abs(value) < 1e15:
        return format_number(value, lang)
    digits = next((d for d in range(1, 7) if round(value, d) == value), 6)
    return format_number(value, lang, digits)


def _quantity(value: float | None, unit: str, lang: str) -> str:
    return _(lang, _NOT_REPORTED) if value is None else f"{_number(value, lang)} {unit}".strip()


def change_line(change: Change, lang: str) -> str:
    """Return one change as a line in ``lang``, e.g. ``Aliran … 2024: diubah a → b co2: …``."""
    table = schema().table(change.table)
    where = _label(table, lang) + ("" if change.period is None else f" {change.period}")
    if change.table == FLOWS:
        source, target, commodity = change.key
        subject = f"{source} → {target} {commodity}"
    else:
        subject = " ".join(repr(p) if any(c.isspace() for c in p) else p for p in change.key)
    line = f"{where}: {_(lang, _KINDS[change.kind])} {subject}"
    if change.kind is ChangeKind.CHANGED:
        parts = []
        for name in change.fields:
            old, new = getattr(change.old, name), getattr(change.new, name)
            if change.table == FLOWS and name == "quantity":
                before = _quantity(cast(float | None, old), change.unit, lang)
                after = _quantity(cast(float | None, new), change.unit, lang)
            else:
                before, after = _value(old, lang), _value(new, lang)
            parts.append(f"{_field_label(table, name, lang)} {before} → {after}")
        return line + ": " + "; ".join(parts)
    if change.table == FLOWS:
        flow = cast(Flow, change.new if change.new is not None else change.old)
        return f"{line}: {_quantity(flow.quantity, change.unit, lang)}"
    return line
