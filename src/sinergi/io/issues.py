"""Located, bilingual problems found in an input file.

Every problem the file layer finds becomes an :class:`Issue` that names the file, the sheet
(or YAML list), the spreadsheet row (or 1-based list item), the column and the model field,
with a stable machine ``code`` and a plain-words message in English and Bahasa Indonesia that
says how to fix it. Readers collect every issue of a file and raise them together in one
:class:`~sinergi.errors.InputError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sinergi.errors import SinergiError


class IssueCode(StrEnum):
    """Stable machine codes of input problems; user interfaces and tests key on these."""

    # whole file
    UNSUPPORTED_FORMAT = "unsupported_format"
    UNREADABLE_FILE = "unreadable_file"
    NOT_UTF8 = "not_utf8"
    EMPTY_FILE = "empty_file"
    NO_DATA_ROWS = "no_data_rows"
    # document structure (YAML/JSON)
    SYNTAX_ERROR = "syntax_error"
    YAML_TAG_REFUSED = "yaml_tag_refused"
    NOT_A_MAPPING = "not_a_mapping"
    NOT_A_LIST = "not_a_list"
    MISSING_VERSION = "missing_version"
    UNSUPPORTED_VERSION = "unsupported_version"
    UNKNOWN_KEY = "unknown_key"
    # tables, sheets and columns
    UNKNOWN_TABLE = "unknown_table"
    UNKNOWN_SHEET = "unknown_sheet"
    UNKNOWN_COLUMN = "unknown_column"
    MISSING_COLUMN = "missing_column"
    DUPLICATE_COLUMN = "duplicate_column"
    # cells
    MISSING_VALUE = "missing_value"
    NOT_A_NUMBER = "not_a_number"
    AMBIGUOUS_NUMBER = "ambiguous_number"
    NOT_AN_INTEGER = "not_an_integer"
    NEGATIVE_VALUE = "negative_value"
    OUT_OF_RANGE = "out_of_range"
    BAD_PERIOD = "bad_period"
    BAD_CHOICE = "bad_choice"
    BAD_BOOLEAN = "bad_boolean"
    NOT_TEXT = "not_text"
    BAD_FORMAT = "bad_format"
    UNKNOWN_COMMODITY = "unknown_commodity"
    UNKNOWN_UNIT = "unknown_unit"
    WRONG_UNIT_DIMENSION = "wrong_unit_dimension"
    FORMULA_WITHOUT_VALUE = "formula_without_value"
    # rows and references
    DUPLICATE_ROW = "duplicate_row"
    DUPLICATE_ID = "duplicate_id"
    UNKNOWN_REFERENCE = "unknown_reference"
    LAND_USE_WITHOUT_PARK = "land_use_without_park"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in an input file, located as precisely as the format allows.

    Parameters
    ----------
    file
        File name (not the full path, which may hold private directory names).
    sheet
        XLSX sheet name or YAML/JSON list name; ``None`` for CSV and whole-file problems.
    row
        Row number a spreadsheet shows (header = 1) or the 1-based list item; ``None`` when
        the problem is not in one row.
    column
        Column as the file shows it: the header text, prefixed by the column letter in XLSX.
    field
        Model field (``quantity``) or YAML key path (``smelter.route``).
    code
        Stable machine code, one of :class:`IssueCode`.
    message_en, message_id
        What is wrong and how to fix it, in English and Bahasa Indonesia.
    """

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    field: str | None
    code: str
    message_en: str
    message_id: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        place = ", ".join(parts)
        if self.column is not None:
            place += f", column '{self.column}'"
        if self.field is not None:
            place += f" ({self.field})" if self.column is not None else f", field '{self.field}'"
        return f"{place}: {self.message_en} | {self.message_id}"


@dataclass(frozen=True, slots=True)
class Place:
    """Where a problem sits; turned into an :class:`Issue` by :meth:`issue`."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    field: str | None = None

    def issue(self, code: IssueCode, message_en: str, message_id: str) -> Issue:
        """Return the issue ``code`` at this place with its two messages."""
        return Issue(
            self.file,
            self.sheet,
            self.row,
            self.column,
            self.field,
            str(code),
            message_en,
            message_id,
        )


class CellError(SinergiError):
    """A cell value cannot be read; carries the issue code and both messages.

    Raised by the cell parsers and turned into an :class:`Issue` by the row layer, which
    knows the place. It never leaves :mod:`sinergi.io`.
    """

    def __init__(self, code: IssueCode, message_en: str, message_id: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_en = message_en
        self.message_id = message_id


def describe(value: object) -> str:
    """Return a short, safe rendering of a cell value for messages.

    Containers are described by type only: a YAML document may nest aliases whose full
    rendering would be enormous.
    """
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return repr(text)
    if isinstance(value, bool | int | float):
        return repr(value)
    return f"a {type(value).__name__}"
