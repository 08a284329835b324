"""Cells to typed values, driven by the table schema (``columns.py``).

Every format reader (YAML/JSON, CSV, XLSX) turns its file into :class:`RawTable` objects:
rows of raw cell values keyed by model field, each row knowing where it sits in the file.
:func:`type_row` types every cell of one row (numbers, periods, choices, commodities, lists,
text within the model's limits) and reports each unreadable cell as a located issue;
:func:`flow_quantity` converts a flow's quantity to its commodity's canonical unit exactly.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from functools import cache, lru_cache
from importlib import resources

import yaml

from sinergi.errors import UnitError
from sinergi.i18n import N_
from sinergi.io.columns import Column, Table
from sinergi.io.issues import CellError, Issue, IssueCode, Place, Words, describe
from sinergi.io.numbers import parse_bool, parse_exact, parse_float, parse_int, parse_period
from sinergi.model import (
    Catalogue,
    CompanySize,
    DataQuality,
    ExternalKind,
    LandUse,
    Ownership,
    Pillar,
    PowerSource,
    SmelterRoute,
)
from sinergi.model.text import MAX_LENGTH, TextKind, field_text_kind, text_problem
from sinergi.units import (
    CANONICAL_UNIT,
    EXAMPLES,
    Dimension,
    conversion_factor,
    to_canonical,
)

#: Enum types that ``enum:<Name>`` columns may name.
ENUMS: dict[str, type[StrEnum]] = {
    cls.__name__: cls
    for cls in (
        LandUse,
        CompanySize,
        Ownership,
        SmelterRoute,
        PowerSource,
        ExternalKind,
        DataQuality,
        Pillar,
    )
}


class _FormulaWithoutValue:
    """Marks a formula cell that has no saved value (set by the XLSX reader)."""

    def __repr__(self) -> str:
        return "FORMULA_WITHOUT_VALUE"


#: Placeholder a reader puts in a formula cell whose cached value is missing.
FORMULA_WITHOUT_VALUE = _FormulaWithoutValue()


@dataclass(slots=True)
class RawRow:
    """One row (or list item) of raw cell values, keyed by model field.

    ``columns`` maps a field to the column as the file shows it (for issues); ``paths``
    maps a field to the name reported as the issue's field when it differs (YAML key paths
    such as ``smelter.route``).
    """

    number: int | None
    values: dict[str, object]
    columns: dict[str, str] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class RawTable:
    """The rows of one table as read from one sheet, CSV file or YAML list.

    ``rows`` may be a generator that reads the file as it is consumed (read it once);
    ``absent`` lists required fields whose column is missing: that was reported once for the
    sheet, so rows are not also reported as blank there.
    """

    table: Table
    file: str
    sheet: str | None
    rows: Iterable[RawRow]
    absent: frozenset[str] = frozenset()


@dataclass(slots=True)
class TypedRow:
    """One row with typed values; ``failed`` names the fields whose cell had an issue."""

    raw: RawTable
    row: RawRow
    values: dict[str, object]
    failed: set[str]

    def place(self, field_name: str | None) -> Place:
        """Return the place of a cell of this row (of the whole row for ``None``)."""
        if field_name is None:
            return Place(self.raw.file, self.raw.sheet, self.row.number)
        return Place(
            self.raw.file,
            self.raw.sheet,
            self.row.number,
            self.row.columns.get(field_name),
            self.row.paths.get(field_name, field_name),
        )


def label(thing: Column | Table) -> Words:
    """Return the bilingual label of a column or table, for messages."""
    return Words(thing.label_en, thing.label_id)


# -- text -------------------------------------------------------------------------------
def _not_text(value: object) -> CellError:
    return CellError(
        IssueCode.NOT_TEXT,
        N_("{value} is not text; write the value as plain text (in YAML, in quotes)"),
        value=describe(value),
    )


def to_text(value: object) -> str:
    """Return a text cell stripped, or a whole number cell as digits (ids typed as numbers)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        raise _not_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    raise _not_text(value)


def checked_text(text: str, column_field: str) -> str:
    """Return ``text`` if it fits the model's limits for the field, else raise a cell error."""
    kind = field_text_kind(column_field)
    problem = text_problem(text, kind)
    if problem == "too_long":
        raise CellError(
            IssueCode.TEXT_TOO_LONG,
            N_("the text is {length} characters long; at most {limit} are accepted here"),
            length=f"{len(text):,}",
            limit=f"{MAX_LENGTH[kind]:,}",
        )
    if problem == "control":
        position = next(i for i, ch in enumerate(text) if ch < " " or ch == "\x7f")
        allowed = Words(
            "" if kind is TextKind.NOTE else " (line breaks and tabs are not allowed here)",
            "" if kind is TextKind.NOTE else " (ganti baris dan tab tidak diizinkan di sini)",
        )
        raise CellError(
            IssueCode.BAD_TEXT,
            N_(
                "the text holds the control character U+{char} at position {position}{allowed}; "
                "retype the value as plain text"
            ),
            char=f"{ord(text[position]):04X}",
            position=position + 1,
            allowed=allowed,
        )
    return text


# -- choices, commodities, lists ----------------------------------------------------------
def normal_name(text: str) -> str:
    """Return a choice or id as compared: lower case, spaces and hyphens as ``_``."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


@cache
def choice_aliases() -> dict[str, dict[str, str]]:
    """Return, per enum name, accepted spellings → value (``data/templates/choices.yaml``)."""
    text = resources.files("sinergi.data.templates").joinpath("choices.yaml").read_text("utf-8")
    doc = yaml.safe_load(text)
    return {
        enum: {normal_name(alias): value for value, aliases in values.items() for alias in aliases}
        for enum, values in doc.items()
    }


@lru_cache(maxsize=4096)
def _choice_member(enum_name: str, text: str) -> StrEnum | None:
    """Return the member a choice cell names (cached: a column repeats a few spellings)."""
    enum = ENUMS[enum_name]
    wanted = normal_name(text)
    wanted = choice_aliases().get(enum_name, {}).get(wanted, wanted)
    for member in enum:
        if wanted in {member.value, member.name.lower()}:
            return member
    return None


def _choice(enum: type[StrEnum], value: object, column: Column) -> StrEnum:
    member = _choice_member(enum.__name__, to_text(value))
    if member is not None:
        return member
    raise CellError(
        IssueCode.BAD_CHOICE,
        N_("{value} is not a choice for '{column}'; choose one of: {options}"),
        value=describe(value),
        column=label(column),
        options=", ".join(m.value for m in enum),
    )


def _commodity(value: object, catalogue: Catalogue) -> str:
    wanted = normal_name(to_text(value))
    if wanted in catalogue:
        return wanted

    def hint() -> Words | str:
        close = difflib.get_close_matches(wanted[:100], catalogue.ids(), n=3)
        if not close:
            return ""
        names = ", ".join(close)
        return Words(f" (did you mean {names}?)", f" (maksudnya {names}?)")

    raise CellError(
        IssueCode.UNKNOWN_COMMODITY,
        N_(
            "{value} is not in commodity catalogue {version}{hint}; use an id from the sheet "
            "'Commodities' of the template"
        ),
        value=describe(value),
        version=catalogue.version,
        hint=hint,
    )


def _list(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list | tuple) else to_text(value).split(";")
    return tuple(t for t in (to_text(item) for item in items) if t)


def _check_pattern(items: tuple[str, ...], column: Column) -> None:
    if column.pattern is None:
        return
    for item in items:
        if not re.match(column.pattern, item):
            raise CellError(
                IssueCode.BAD_FORMAT,
                N_(
                    "{item} does not have the form of '{column}' ({pattern}); KBLI codes have "
                    "exactly 5 digits: type them as text to keep a leading 0"
                ),
                item=describe(item),
                column=label(column),
                pattern=column.pattern,
            )


def _check_bounds(number: float, column: Column) -> None:
    low, high = column.minimum, column.maximum
    if low == 0 and number < 0:
        raise CellError(
            IssueCode.NEGATIVE_VALUE,
            N_(
                "{number} is negative; '{column}' is never negative (for a flow, swap From and "
                "To instead of using a minus sign)"
            ),
            number=f"{number:g}",
            column=label(column),
        )
    if (low is not None and number < low) or (high is not None and number > high):
        raise CellError(
            IssueCode.OUT_OF_RANGE,
            N_(
                "{number} is outside {low} to {high} for '{column}'; check the value (latitude "
                "and longitude are decimal degrees)"
            ),
            number=f"{number:g}",
            low=f"{low:g}" if low is not None else "-",
            high=f"{high:g}" if high is not None else "-",
            column=label(column),
        )
    if number != 0 and abs(number) < 2.2250738585072014e-308:
        raise CellError(
            IssueCode.OUT_OF_RANGE,
            N_("{number} is too close to zero to be stored; write 0 or a larger value"),
            number=f"{number:g}",
        )


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, list | tuple) and not value


_PARSERS: dict[str, Callable[[object], object]] = {
    "int": parse_int,
    "float": parse_float,
    "bool": parse_bool,
    "period": parse_period,
}


def convert(column: Column, value: object, catalogue: Catalogue) -> object:
    """Return the typed value of one cell, ``None`` when blank (unknown).

    Raises
    ------
    CellError
        If the cell cannot be read as the column's type.
    """
    if value is FORMULA_WITHOUT_VALUE:
        raise CellError(
            IssueCode.FORMULA_WITHOUT_VALUE,
            N_(
                "formula without a saved value: open the file in Excel and save it, or type the "
                "value instead of the formula"
            ),
        )
    if _blank(value):
        return None
    kind, arg = column.kind, column.arg
    if kind in _PARSERS:
        typed = _PARSERS[kind](value)
        if isinstance(typed, int | float) and not isinstance(typed, bool):
            _check_bounds(float(typed), column)
        return typed
    if kind == "enum":
        return _choice(ENUMS[arg], value, column)
    if kind == "commodity":
        return _commodity(value, catalogue)
    if kind == "list":
        items = tuple(checked_text(item, column.field) for item in _list(value))
        _check_pattern(items, column)
        return items or None
    text = checked_text(to_text(value), column.field)  # str, unit, ref:<table>, node
    _check_pattern((text,), column)
    return text


def missing(typed: TypedRow, column: Column, why: Words | str = "") -> Issue:
    """Return the issue for a required cell left blank (``why`` says when it is required)."""
    return typed.place(column.field).issue(
        IssueCode.MISSING_VALUE,
        N_("'{column}' is required{why}; fill it in"),
        column=label(column),
        why=why,
    )


def type_row(raw: RawTable, row: RawRow, catalogue: Catalogue) -> tuple[TypedRow, list[Issue]]:
    """Type every cell of ``row``; return the typed row and an issue per unreadable cell."""
    typed = TypedRow(raw, row, {}, set())
    issues = []
    for column in raw.table.columns:
        try:
            value = convert(column, row.values.get(column.field), catalogue)
        except CellError as problem:
            issues.append(problem.at(typed.place(column.field)))
            typed.failed.add(column.field)
            continue
        typed.values[column.field] = value
        if value is None and column.required and column.field not in raw.absent:
            issues.append(missing(typed, column))
            typed.failed.add(column.field)
    return typed, issues


# -- units -------------------------------------------------------------------------------
_DIMENSION = {
    Dimension.MASS: Words("mass", "massa"),
    Dimension.ENERGY: Words("energy", "energi"),
    Dimension.VOLUME: Words("volume", "volume"),
    Dimension.AREA: Words("area", "luas"),
    Dimension.COUNT: Words("count", "jumlah satuan"),
}


def _unit_problem(unit: str, dimension: Dimension, problem: UnitError) -> CellError:
    examples = ", ".join(EXAMPLES[dimension])
    canonical = CANONICAL_UNIT[dimension]
    if problem.reason == "dimension" and isinstance(problem.measures, Dimension):
        return CellError(
            IssueCode.WRONG_UNIT_DIMENSION,
            N_(
                "unit {unit} measures {measures}, but this commodity is measured in {wanted} "
                "({canonical}); use a unit of {wanted} such as {examples}, or check the commodity"
            ),
            unit=describe(unit),
            measures=_DIMENSION[problem.measures],
            wanted=_DIMENSION[dimension],
            canonical=canonical,
            examples=examples,
        )
    if problem.reason == "ambiguous":
        return CellError(
            IssueCode.AMBIGUOUS_UNIT,
            N_("unit {unit} is ambiguous; write a unit of {wanted} such as {examples}"),
            unit=describe(unit),
            examples=examples,
            wanted=_DIMENSION[dimension],
        )
    if problem.reason == "range":
        return CellError(
            IssueCode.OUT_OF_RANGE,
            N_(
                "the quantity in {unit} is too large (or too close to zero) to be stored in "
                "{canonical}; check the number and the unit"
            ),
            unit=describe(unit),
            canonical=canonical,
        )
    return CellError(
        IssueCode.UNKNOWN_UNIT,
        N_(
            "unit {unit} is not accepted for a commodity measured in {wanted}; write a unit such "
            "as {examples} (see the drop-down list of the template)"
        ),
        unit=describe(unit),
        wanted=_DIMENSION[dimension],
        examples=examples,
    )


def flow_quantity(typed: TypedRow, catalogue: Catalogue) -> list[Issue]:
    """Convert a flow row's quantity to its commodity's canonical unit, exactly, in place.

    The cell is re-read as an exact fraction (``0.1`` is one tenth) and multiplied by the
    unit's exact factor; the result is rounded once. An unknown, ambiguous or wrong-kind unit,
    or a result that cannot be stored (overflow to infinity), is an issue at the unit cell.
    """
    commodity, unit = typed.values.get("commodity"), typed.values.get("unit")
    if not isinstance(commodity, str) or not isinstance(unit, str):
        return []
    dimension = catalogue.get(commodity).dimension
    quantity = typed.values.get("quantity")
    try:
        if conversion_factor(unit, dimension) == 1:
            converted = quantity if isinstance(quantity, float) else 0.0  # already exact
        else:
            raw = typed.row.values.get("quantity")
            exact = parse_exact(raw) if isinstance(quantity, float) else Fraction(0)
            converted = to_canonical(exact, unit, dimension)
    except UnitError as problem:
        failed_field = "quantity" if problem.reason == "range" else "unit"
        typed.failed.add(failed_field)
        return [_unit_problem(unit, dimension, problem).at(typed.place(failed_field))]
    if isinstance(quantity, float):
        typed.values["quantity"] = converted
    return []
