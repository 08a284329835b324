"""Located, bilingual problems found in an input file, and the bounded log that collects them.

Every problem the file layer finds becomes an :class:`Issue` that names the file, the sheet
(or YAML list), the spreadsheet row (or 1-based list item), the column and the model field,
with a stable machine ``code`` and a plain-words message in English and Bahasa Indonesia that
says how to fix it. The messages come from the message catalogues (:mod:`sinergi.i18n`): code
writes the English text marked with ``N_`` and its values; :func:`say` renders both languages.

An :class:`IssueLog` keeps at most :data:`MAX_LISTED` issues per file and only counts the
rest by code, so that a file with a million bad rows costs as little memory and output as one
with a thousand. Readers raise :class:`~sinergi.errors.InputError` with the log's issues and
counts once the whole input has been read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from sinergi.errors import InputError, SinergiError
from sinergi.i18n import N_, Language, _, parse_language
from sinergi.i18n.messages import Msg

#: Issues listed per file; further ones are only counted by code.
MAX_LISTED = 1000


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
    DUPLICATE_KEY = "duplicate_key"
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
    BAD_TEXT = "bad_text"
    TEXT_TOO_LONG = "text_too_long"
    BAD_FORMAT = "bad_format"
    UNKNOWN_COMMODITY = "unknown_commodity"
    UNKNOWN_UNIT = "unknown_unit"
    AMBIGUOUS_UNIT = "ambiguous_unit"
    WRONG_UNIT_DIMENSION = "wrong_unit_dimension"
    FORMULA_WITHOUT_VALUE = "formula_without_value"
    # rows and references
    DUPLICATE_ROW = "duplicate_row"
    DUPLICATE_ID = "duplicate_id"
    UNKNOWN_REFERENCE = "unknown_reference"
    # against the database
    NODE_KIND_CONFLICT = "node_kind_conflict"
    NODE_MOVED = "node_moved"
    LAND_USE_OVER_AREA = "land_use_over_area"
    # chain of custody
    CUSTODY_REFUSED = "custody_refused"


#: What each kind of problem is called where problems are counted (English, marked for the
#: catalogues; show with ``_(lang, CODE_LABELS[code])``).
CODE_LABELS: dict[IssueCode, str] = {
    IssueCode.UNSUPPORTED_FORMAT: N_("file type not read"),
    IssueCode.UNREADABLE_FILE: N_("file cannot be opened"),
    IssueCode.NOT_UTF8: N_("not saved as UTF-8"),
    IssueCode.EMPTY_FILE: N_("empty file"),
    IssueCode.NO_DATA_ROWS: N_("no data rows"),
    IssueCode.SYNTAX_ERROR: N_("syntax error"),
    IssueCode.YAML_TAG_REFUSED: N_("refused YAML tag"),
    IssueCode.NOT_A_MAPPING: N_("not a key: value mapping"),
    IssueCode.NOT_A_LIST: N_("not a list"),
    IssueCode.MISSING_VERSION: N_("schema version missing"),
    IssueCode.UNSUPPORTED_VERSION: N_("schema version not supported"),
    IssueCode.UNKNOWN_KEY: N_("unknown key"),
    IssueCode.DUPLICATE_KEY: N_("key given twice"),
    IssueCode.UNKNOWN_TABLE: N_("unknown table"),
    IssueCode.UNKNOWN_SHEET: N_("unknown sheet"),
    IssueCode.UNKNOWN_COLUMN: N_("unknown column"),
    IssueCode.MISSING_COLUMN: N_("required column missing"),
    IssueCode.DUPLICATE_COLUMN: N_("column given twice"),
    IssueCode.MISSING_VALUE: N_("required value missing"),
    IssueCode.NOT_A_NUMBER: N_("not a number"),
    IssueCode.AMBIGUOUS_NUMBER: N_("ambiguous number"),
    IssueCode.NOT_AN_INTEGER: N_("not a whole number"),
    IssueCode.NEGATIVE_VALUE: N_("negative value"),
    IssueCode.OUT_OF_RANGE: N_("value out of range"),
    IssueCode.BAD_PERIOD: N_("not a period"),
    IssueCode.BAD_CHOICE: N_("not one of the choices"),
    IssueCode.BAD_BOOLEAN: N_("not a yes/no answer"),
    IssueCode.NOT_TEXT: N_("not text"),
    IssueCode.BAD_TEXT: N_("control character in text"),
    IssueCode.TEXT_TOO_LONG: N_("text too long"),
    IssueCode.BAD_FORMAT: N_("wrong format"),
    IssueCode.UNKNOWN_COMMODITY: N_("unknown commodity"),
    IssueCode.UNKNOWN_UNIT: N_("unit not accepted"),
    IssueCode.AMBIGUOUS_UNIT: N_("ambiguous unit"),
    IssueCode.WRONG_UNIT_DIMENSION: N_("unit of another kind"),
    IssueCode.FORMULA_WITHOUT_VALUE: N_("formula without a value"),
    IssueCode.DUPLICATE_ROW: N_("row given twice"),
    IssueCode.DUPLICATE_ID: N_("id used twice"),
    IssueCode.UNKNOWN_REFERENCE: N_("unknown id"),
    IssueCode.NODE_KIND_CONFLICT: N_("id stored as another kind"),
    IssueCode.NODE_MOVED: N_("node moved to another park"),
    IssueCode.LAND_USE_OVER_AREA: N_("land use over the park's area"),
    IssueCode.CUSTODY_REFUSED: N_("refused by the custody checks"),
}


@dataclass(frozen=True, slots=True)
class Words:
    """A value of a message that is itself worded per language (a table label, a unit kind)."""

    en: str
    id: str


def say(message: str, values: Mapping[str, object]) -> tuple[str, str]:
    """Return ``message`` (English msgid marked with ``N_``) in English and Indonesian.

    ``values`` fill the ``{name}`` placeholders; a :class:`Words` value is taken in the
    language of each rendering (a :class:`~sinergi.i18n.messages.Msg` rendered in it), and a
    callable value is called first (so that a costly hint, such as the nearest commodity ids,
    is only worked out for problems that are shown).
    """
    resolved = {name: value() if callable(value) else value for name, value in values.items()}
    rendered = []
    for lang in ("en", "id"):
        filled = {
            name: (
                getattr(value, lang)
                if isinstance(value, Words)
                else value.render(lang)
                if isinstance(value, Msg)
                else value
            )
            for name, value in resolved.items()
        }
        rendered.append(_(lang, message).format(**filled))
    return rendered[0], rendered[1]


def bilingual(message: str, **values: object) -> str:
    """Return ``message`` as ``English | Indonesian`` from the catalogues.

    For errors raised before a language is known (a refused or unreadable file), which the
    CLI prints as they are.
    """
    english, indonesian = say(message, values)
    return f"{english} | {indonesian}"


class Issue:
    """One problem in an input file, located as precisely as the format allows.

    Parameters
    ----------
    file
        File name (not the full path, which may hold private directory names).
    sheet
        XLSX sheet name or YAML/JSON list name; ``None`` for CSV and whole-file problems.
    row
        Row number a spreadsheet shows (header = 1) or the 1-based list item (or, for a
        YAML/JSON syntax or key problem, the line); ``None`` when not in one row.
    column
        Column as the file shows it: the header text, prefixed by the column letter in XLSX.
    field
        Model field (``quantity``) or YAML key path (``smelter.route``).
    code
        Stable machine code, one of :class:`IssueCode`.
    message, values
        The English message (a catalogue msgid) and its values; :attr:`message_en` and
        :attr:`message_id` render it in English and Bahasa Indonesia when first read, so a
        problem that is only counted costs no rendering.
    """

    __slots__ = (
        "_rendered",
        "code",
        "column",
        "field",
        "file",
        "message",
        "row",
        "sheet",
        "values",
    )

    def __init__(
        self,
        file: str,
        sheet: str | None,
        row: int | None,
        column: str | None,
        field: str | None,
        code: str,
        message: str,
        values: Mapping[str, object] | None = None,
    ) -> None:
        self.file, self.sheet, self.row, self.column, self.field = file, sheet, row, column, field
        self.code, self.message, self.values = code, message, dict(values or {})
        self._rendered: tuple[str, str] | None = None

    def _text(self) -> tuple[str, str]:
        if self._rendered is None:
            self._rendered = say(self.message, self.values)
        return self._rendered

    @property
    def message_en(self) -> str:
        """Return what is wrong and how to fix it, in English."""
        return self._text()[0]

    @property
    def message_id(self) -> str:
        """Return what is wrong and how to fix it, in Bahasa Indonesia."""
        return self._text()[1]

    def key(self) -> tuple[object, ...]:
        """Return the issue's place, code and messages (what makes two issues equal)."""
        return (self.file, self.sheet, self.row, self.column, self.field, self.code)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Issue):
            return NotImplemented
        return self.key() == other.key() and self._text() == other._text()

    def __hash__(self) -> int:
        return hash(self.key())

    def __repr__(self) -> str:
        return f"Issue({self.place()!r}, {self.code!r}, {self.message_en!r})"

    def place(self, lang: str = "en") -> str:
        """Return where the issue sits, e.g. ``flows.csv, row 3, column 'Unit' (unit)``."""
        parts = [self.file]
        if self.sheet is not None:
            parts.append(_(lang, N_("sheet '{sheet}'")).format(sheet=self.sheet))
        if self.row is not None:
            parts.append(_(lang, N_("row {row}")).format(row=self.row))
        place = ", ".join(parts)
        if self.column is not None:
            place += ", " + _(lang, N_("column '{column}'")).format(column=self.column)
        if self.field is not None:
            if self.column is not None:
                place += f" ({self.field})"
            else:
                place += ", " + _(lang, N_("field '{field}'")).format(field=self.field)
        return place

    def localised(self, lang: str) -> str:
        """Return the place and the message in ``lang`` (one line of an error's text)."""
        indonesian = parse_language(lang) is Language.id
        message = self.message_id if indonesian else self.message_en
        return f"{self.place(lang)}: {message}"

    def __str__(self) -> str:
        return f"{self.place()}: {self.message_en} | {self.message_id}"


@dataclass(frozen=True, slots=True)
class Place:
    """Where a problem sits; turned into an :class:`Issue` by :meth:`issue`."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    field: str | None = None

    def issue(self, code: IssueCode, message: str, **values: object) -> Issue:
        """Return the issue ``code`` at this place (its message is rendered when read)."""
        return Issue(
            self.file, self.sheet, self.row, self.column, self.field, str(code), message, values
        )


class CellError(SinergiError):
    """A cell value cannot be read; carries the issue code, message and its values.

    Raised by the cell parsers and turned into an :class:`Issue` by the row layer, which
    knows the place. It never leaves :mod:`sinergi.io`.
    """

    def __init__(self, code: IssueCode, message: str, **values: object) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.values = values

    def at(self, place: Place) -> Issue:
        """Return this problem as an issue at ``place``."""
        return place.issue(self.code, self.message, **self.values)


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


@dataclass
class IssueLog:
    """Collect issues, listing at most ``limit`` per file and counting every one by code.

    ``counts`` holds, per file, how many issues of each code were found in all, listed or
    not; :attr:`unlisted` says how many were left out of :attr:`issues`.
    """

    limit: int = MAX_LISTED
    issues: list[Issue] = field(default_factory=list)
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    _listed: Counter[str] = field(default_factory=Counter)

    def add(self, issue: Issue) -> None:
        """Record one issue (listed while its file is under the limit)."""
        self.counts.setdefault(issue.file, Counter())[issue.code] += 1
        if self._listed[issue.file] < self.limit:
            self._listed[issue.file] += 1
            self.issues.append(issue)

    def extend(self, issues: list[Issue]) -> None:
        """Record several issues."""
        for issue in issues:
            self.add(issue)

    def full(self, file: str) -> bool:
        """Return whether ``file`` has reached the listing limit (later issues are counted)."""
        return self._listed[file] >= self.limit

    def __bool__(self) -> bool:
        return bool(self.counts)

    @property
    def total(self) -> int:
        """Return how many issues were found, listed or not."""
        return sum(sum(c.values()) for c in self.counts.values())

    @property
    def unlisted(self) -> int:
        """Return how many issues were found but not listed."""
        return self.total - len(self.issues)

    def error(self) -> InputError:
        """Return the :class:`~sinergi.errors.InputError` reporting everything collected."""
        ordered = sorted(self.issues, key=lambda i: (i.file, i.sheet or "", i.row or 0))
        return InputError(
            ordered, counts={file: dict(c) for file, c in self.counts.items()}, limit=self.limit
        )
