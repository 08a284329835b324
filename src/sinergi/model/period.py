"""Reporting periods: a calendar month (``2024-03``) or a calendar year (``2024``).

A flow's quantity is the total over its period. Months and years are never mixed
silently: aggregating months into a year is an explicit step for the engines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from sinergi.errors import PeriodError
from sinergi.i18n import N_
from sinergi.i18n.messages import msg

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


class Granularity(StrEnum):
    """How long a period lasts."""

    YEAR = "year"
    MONTH = "month"


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A calendar year or month; ``month`` is ``None`` for a year."""

    year: int
    month: int | None = None

    def __post_init__(self) -> None:
        if not 1900 <= self.year <= 2200:
            raise PeriodError(
                msg(N_("year {year} is out of range; write a year like 2024"), year=str(self.year))
            )
        if self.month is not None and not 1 <= self.month <= 12:
            raise PeriodError(
                msg(
                    N_("month {month} is out of range; write 2024-01 to 2024-12"),
                    month=str(self.month),
                )
            )

    @property
    def granularity(self) -> Granularity:
        """Return whether this is a year or a month."""
        return Granularity.YEAR if self.month is None else Granularity.MONTH

    @classmethod
    def parse(cls, text: object) -> Period:
        """Read ``2024``, ``2024-03``, ``2024-3`` or ``03/2024`` into a period.

        Raises
        ------
        PeriodError
            If the text is neither a year nor a month.
        """
        if isinstance(text, Period):
            return text
        if isinstance(text, int) and not isinstance(text, bool):
            return cls(text)
        raw = str(text).strip()
        if raw.endswith(".0") and _YEAR.match(raw[:-2]):
            raw = raw[:-2]  # a year cell that a spreadsheet stored as a float
        if match := _YEAR.match(raw):
            return cls(int(match.group(1)))
        if match := _MONTH.match(raw):
            return cls(int(match.group(1)), int(match.group(2)))
        if match := re.match(r"^(\d{1,2})/(\d{4})$", raw):
            return cls(int(match.group(2)), int(match.group(1)))
        raise PeriodError(
            msg(N_("period {raw!r} is not a year or a month; write 2024 or 2024-03"), raw=raw)
        )

    def __str__(self) -> str:
        return f"{self.year}" if self.month is None else f"{self.year}-{self.month:02d}"
