"""Locale-tolerant reading of numbers, yes/no answers and periods from cells.

Spreadsheets filled in Indonesia write ``1.234,5`` (thousands ``.``, decimal ``,``); others
write ``1,234.5``. Text cells are parsed explicitly, never with bare ``float()``:

* Spaces, no-break spaces and thin spaces are ignored (``1 234,5``).
* When both ``.`` and ``,`` occur, the last one is the decimal mark and the other one groups
  thousands, in groups of three digits (``1.234.567,89``, ``1,234,567.89``).
* A mark that occurs several times groups thousands (``1.234.567`` = 1234567).
* A single mark is the decimal mark (``1234,5``, ``0.125``, ``12.5``) **except** the
  ambiguous case: one mark followed by exactly three digits after a 1–3 digit integer part
  that is not ``0`` (``1.234``, ``12,500``). It could be a thousands group or a decimal
  fraction, so it is refused with an issue asking to write ``1234`` or ``1,234`` (or
  ``1234.0`` / ``1,2340`` for a fraction). Writers of sinergi never produce this form.
* Scientific notation (``1.5e-7``, ``1,5E-7``) is accepted.

Number cells (``int``/``float`` values) are taken as they are; only finite values pass.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from fractions import Fraction

from sinergi.errors import PeriodError
from sinergi.i18n import N_
from sinergi.io.issues import CellError, IssueCode, describe
from sinergi.model.period import Period

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_PLAIN_INT = re.compile(r"^[+-]?\d+$")
_SCIENTIFIC = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)[eE][+-]?\d+$")
_GROUPED = {sep: re.compile(r"^[+-]?\d{1,3}(?:" + re.escape(sep) + r"\d{3})+$") for sep in ".,"}
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$")
_DECIMAL = re.compile(r"^[+-]?(\d+[.,]\d*|[.,]\d+)$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_DMY_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")

_TRUE = frozenset({"yes", "ya", "y", "true", "benar", "1"})
_FALSE = frozenset({"no", "tidak", "t", "n", "false", "salah", "0"})


def _not_a_number(value: object) -> CellError:
    return CellError(
        IssueCode.NOT_A_NUMBER,
        N_(
            "{value} is not a number; write a number such as 1234,5 or 1234.5, "
            "or leave the cell blank if unknown"
        ),
        value=describe(value),
    )


def _ambiguous(text: str) -> CellError:
    whole = text.replace(".", "").replace(",", "")
    return CellError(
        IssueCode.AMBIGUOUS_NUMBER,
        N_(
            "{text} is ambiguous (thousands or decimals?); write {whole} or {grouped} for "
            "thousands, or add a digit such as {fraction} for a fraction"
        ),
        text=repr(text),
        whole=whole,
        grouped=f"{int(whole):,}",
        fraction=text + "0",
    )


def _grouped(text: str, sep: str) -> bool:
    return _GROUPED[sep].match(text) is not None


def _number_text(raw: str) -> str:
    """Return a text number in Python's notation (``1234.5``), or raise a cell error."""
    text = _SPACES.sub("", raw)
    if _PLAIN_INT.match(text):
        return text
    if _SCIENTIFIC.match(text):
        return text.replace(",", ".")
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
        group = "," if decimal == "." else "."
        whole, _, fraction = text.rpartition(decimal)
        if group in fraction or not fraction.isdigit() or not _grouped(whole, group):
            raise _not_a_number(raw)
        return whole.replace(group, "") + "." + fraction
    if dots > 1 or commas > 1:
        sep = "." if dots else ","
        if not _grouped(text, sep):
            raise _not_a_number(raw)
        return text.replace(sep, "")
    if _AMBIGUOUS.match(text):
        raise _ambiguous(text)
    if _DECIMAL.match(text):
        return text.replace(",", ".")
    raise _not_a_number(raw)


def _parse_text_number(raw: str) -> float:
    return float(_number_text(raw))


def parse_float(value: object) -> float:
    """Read a number cell or a text number (see the module rules) as a finite float.

    Raises
    ------
    CellError
        ``not_a_number`` or ``ambiguous_number``.
    """
    if isinstance(value, bool):
        raise _not_a_number(value)
    if isinstance(value, int):
        return float(value)
    if isinstance(value, float):
        number = value
    elif isinstance(value, str):
        number = _parse_text_number(value)
    else:
        raise _not_a_number(value)
    if not math.isfinite(number):
        raise _not_a_number(value)
    return number


def parse_exact(value: object) -> Fraction:
    """Read a cell like :func:`parse_float`, but exactly: ``"0.1"`` is one tenth, not a float.

    Unit conversion multiplies this by an exact factor and rounds once.

    Raises
    ------
    CellError
        ``not_a_number`` or ``ambiguous_number``.
    """
    if isinstance(value, str):
        return Fraction(_number_text(value))
    return Fraction(parse_float(value))


def parse_int(value: object) -> int:
    """Read a whole number; fractions are refused rather than rounded.

    Raises
    ------
    CellError
        ``not_a_number``, ``ambiguous_number`` or ``not_an_integer``.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _PLAIN_INT.match(_SPACES.sub("", value)):
        return int(_SPACES.sub("", value))  # exact for integers beyond 2**53
    number = parse_float(value)
    if not number.is_integer():
        raise CellError(
            IssueCode.NOT_AN_INTEGER,
            N_("{value} is not a whole number; write a count without decimals"),
            value=describe(value),
        )
    return int(number)


def parse_bool(value: object) -> bool:
    """Read yes/no, ya/tidak, true/false, benar/salah, 1/0, y/t (ya/tidak) or y/n.

    Note that ``t`` means *tidak* (no), following Indonesian forms.

    Raises
    ------
    CellError
        ``bad_boolean``.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise CellError(
        IssueCode.BAD_BOOLEAN,
        N_("{value} is not a yes/no answer; write yes or no (ya or tidak)"),
        value=describe(value),
    )


def _bad_period(value: object) -> CellError:
    return CellError(
        IssueCode.BAD_PERIOD,
        N_("{value} is not a period; write a year (2024) or a month (2024-03)"),
        value=describe(value),
    )


def _period_from_text(text: str) -> Period:
    if match := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY_DATE.match(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        return Period.parse(text)
    date(year, month, day)  # refuses 2024-02-30 with ValueError
    return Period(year, month)


def parse_period(value: object) -> Period:
    """Read a period: ``2024``, ``2024-03``, ``03/2024``, a date cell or a date text.

    A date (cell, ISO ``2024-03-01`` text or Indonesian-order ``01/03/2024`` text) stands for
    its month. US order ``03/01/2024`` is not accepted: it would silently read as January.

    Raises
    ------
    CellError
        ``bad_period``.
    """
    if isinstance(value, Period):
        return value
    if isinstance(value, datetime | date):
        return Period(value.year, value.month)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        if isinstance(value, int) and not isinstance(value, bool):
            return Period(value)
        if isinstance(value, str):
            return _period_from_text(value.strip())
    except (PeriodError, ValueError):
        raise _bad_period(value) from None
    raise _bad_period(value)


def format_float(value: float) -> str:
    """Write a float as text that :func:`parse_float` reads back to the same float.

    Uses the shortest round-tripping form (``repr``), with a trailing ``0`` where that form
    would be the ambiguous ``1.234`` pattern (``1.2340``).

    >>> format_float(1.234), format_float(0.1), format_float(1e-300)
    ('1.2340', '0.1', '1e-300')
    """
    text = repr(value)
    return text + "0" if _AMBIGUOUS.match(text) else text
