"""Numbers with provenance: the one type every engine's reference data uses.

Every default number sinergi ships says where it comes from: a source and the year the number
describes, or an explicit ``illustrative: true`` with a note saying why no source was found.
:class:`Provenance` holds that record and refuses anything else, so an unsourced default
cannot slip into a data file; :class:`Sourced` adds the value. Engines carry these objects into
their results, and :func:`describe` renders one the same way everywhere (reports, CLI, API).

The ``basis`` says how the number relates to its source (``direct``: stated by it;
``second-hand``: quoted from a secondary source; ``derived``: computed by us from sourced
numbers, with the derivation in ``note``), and ``confidence`` how far to trust it. Older data
files write ``status: S|D|W|U`` (stated, derived, weak, unsourced); those are read as the
matching basis, and ``U`` is accepted only on an illustrative value.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sinergi.i18n import N_

__all__ = [
    "Basis",
    "Confidence",
    "Provenance",
    "Sourced",
    "describe",
    "illustrative_notes",
    "year_text",
]


class Basis(StrEnum):
    """How a number relates to its source."""

    DIRECT = "direct"
    SECOND_HAND = "second-hand"
    DERIVED = "derived"


class Confidence(StrEnum):
    """How far a number can be trusted for the use it is put to."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


#: The status letters of older data files, read as a basis (``U`` means no source: illustrative).
_STATUS_BASIS: dict[str, Basis | None] = {
    "S": Basis.DIRECT,
    "D": Basis.DERIVED,
    "S/D": Basis.DERIVED,
    "W": Basis.SECOND_HAND,
    "U": None,
}


class Provenance(BaseModel):
    """Where a number comes from: a source and year, or an explicit illustrative flag.

    Parameters
    ----------
    source
        The citation as a person reads it (authors, title, year, URL), or a short pointer
        into the bibliography when ``refs`` holds the full entries.
    refs
        Keys of :mod:`sinergi.reference.bibliography` entries this number rests on.
    year
        The year (or period, e.g. ``"2017-2020"``) the number describes, not when it was
        published.
    basis, confidence
        See the module docstring.
    illustrative
        No source was found: the number is a placeholder to be replaced by data. Results
        that use it say so.
    definition
        A definition or unit conversion (1,000 kg per t), which needs no source.
    note, assumption
        Why the value is illustrative or how it was derived; what was assumed to apply it.
    note_id
        ``note`` in Indonesian, shown on Indonesian pages (data files write ``note`` in
        English; the citation itself stays as published).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str | None = None
    refs: tuple[str, ...] = ()
    year: int | str | None = None
    basis: Basis | None = None
    confidence: Confidence | None = None
    illustrative: bool = False
    definition: bool = False
    note: str | None = None
    note_id: str | None = None
    assumption: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _read_status(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "status" not in data:
            return data
        data = dict(data)
        status = str(data.pop("status")).strip().upper()
        if status not in _STATUS_BASIS:
            msg = f"status {status!r} is not one of S, D, W, U (or give basis: direct|derived|…)"
            raise ValueError(msg)
        if status == "U" and not data.get("illustrative"):
            msg = "status U (no source found) needs `illustrative: true` with a `note`"
            raise ValueError(msg)
        data.setdefault("basis", _STATUS_BASIS[status])
        return data

    @model_validator(mode="after")
    def _sourced_or_illustrative(self) -> Provenance:
        if self.definition or self.illustrative:
            return self
        if (self.source is None and not self.refs) or self.year is None:
            msg = "needs `source` (or `refs`) and `year`, or `illustrative: true` with a `note`"
            raise ValueError(msg)
        return self

    @property
    def sourced(self) -> bool:
        """Return whether the number rests on a source (not illustrative, not a definition)."""
        return not (self.illustrative or self.definition)

    def note_in(self, lang: str) -> str | None:
        """Return the note in ``lang``: ``note_id`` on Indonesian output where given."""
        return self.note_id if lang == "id" and self.note_id else self.note

    def caveat(self, label: str) -> str | None:
        """Return a one-line flag for results if this value is illustrative, else ``None``."""
        if not self.illustrative:
            return None
        return f"{label}: illustrative ({self.note})" if self.note else f"{label}: illustrative"

    def record(self) -> dict[str, Any]:
        """Return the provenance as plain JSON-ready data (no ``None`` fields)."""
        data = self.model_dump(mode="json", exclude_defaults=True)
        data.pop("value", None)
        return data


class Sourced(Provenance):
    """A number with its provenance and, where it has one, its unit and range."""

    value: float
    unit: str | None = None
    low: float | None = None
    high: float | None = None

    @model_validator(mode="after")
    def _range_holds_value(self) -> Sourced:
        low = self.value if self.low is None else self.low
        high = self.value if self.high is None else self.high
        if not low <= self.value <= high:
            msg = f"range [{self.low}, {self.high}] does not contain the value {self.value}"
            raise ValueError(msg)
        return self

    def record(self) -> dict[str, Any]:
        """Return value, unit, range and provenance as plain JSON-ready data."""
        data = {"value": self.value}
        data.update(self.model_dump(mode="json", exclude_defaults=True, exclude={"value"}))
        return data


class SourcedShare(Sourced):
    """A sourced share between 0 and 1."""

    value: float = Field(ge=0.0, le=1.0)


_CONFIDENCE_TEXT = {
    Confidence.HIGH: N_("high confidence"),
    Confidence.MEDIUM: N_("medium confidence"),
    Confidence.LOW: N_("low confidence"),
}


def describe(provenance: Provenance, lang: str = "en", *, with_note: bool = False) -> str:
    """Return a one-line human description of where a number comes from.

    The citation stays as published; status words, the note (``note_id`` in Indonesian) and
    the bibliography's "no date" and "circa" are in ``lang``. ``with_note`` adds the note of
    a sourced number too (how it was derived), not only of an illustrative one.

    >>> describe(Provenance(source="IEA 2024", year=2023))
    'IEA 2024 (2023)'
    >>> describe(Provenance(illustrative=True, note="none found", note_id="tidak ada"), "id")
    'ilustratif: tidak ada'
    >>> describe(Provenance(source="JCM", year="c. 2017-2020", basis="derived"), "id")
    'JCM (sekitar 2017-2020, turunan)'
    """
    from sinergi.i18n import gettext

    note = provenance.note_in(lang)
    if provenance.definition:
        return gettext(lang, "definition")
    if provenance.illustrative:
        label = gettext(lang, "illustrative")
        return f"{label}: {note}" if note else label
    parts = [provenance.source or _refs_text(provenance.refs, lang)]
    details = [year_text(provenance.year, lang)] if provenance.year is not None else []
    if provenance.basis is Basis.DERIVED:
        details.append(gettext(lang, "derived"))
    elif provenance.basis is Basis.SECOND_HAND:
        details.append(gettext(lang, "second-hand"))
    if provenance.confidence is not None:
        details.append(gettext(lang, _CONFIDENCE_TEXT[provenance.confidence]))
    text = f"{parts[0]} ({', '.join(details)})" if details else str(parts[0])
    return f"{text}: {note}" if with_note and note else text


#: a reference list's "no date" and "circa", as an Indonesian reference list writes them
_YEAR_WORDS = {"n.d.": N_("n.d."), "c.": N_("c.")}


def year_text(year: int | str, lang: str = "en") -> str:
    """Return a year or period as ``lang`` writes it in a citation (``n.d.``: ``t.t.``)."""
    from sinergi.i18n import gettext

    text = str(year)
    if text == "n.d.":
        return gettext(lang, _YEAR_WORDS["n.d."])
    if text.startswith("c. "):
        return f"{gettext(lang, _YEAR_WORDS['c.'])} {text.removeprefix('c. ')}"
    return text


def _refs_text(refs: tuple[str, ...], lang: str = "en") -> str:
    from sinergi.reference.bibliography import bibliography

    entries = bibliography()
    return "; ".join(entries[key].short(lang) if key in entries else key for key in refs)


def illustrative_notes(items: dict[str, Provenance]) -> list[str]:
    """Return the caveats of the illustrative items, labelled by their keys, in key order."""
    return [note for key, item in sorted(items.items()) if (note := item.caveat(key)) is not None]
