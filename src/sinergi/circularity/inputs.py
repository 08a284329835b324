"""The inputs a circularity result rests on, each with its provenance.

Results list every input they used (a pack size, a lifetime, a fleet count, a recovery rate, a
rule) as :class:`InputUsed`: what it is, what it is about, and its
:class:`sinergi.reference.Provenance`. Renderers translate ``quantity`` (an English catalogue
message with a ``{subject}`` placeholder) and show the provenance with
:func:`sinergi.reference.describe`, so the same list serves the CLI, the report and the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sinergi.reference import Provenance, Sourced


def provenance_of(item: Provenance) -> Provenance:
    """Return the bare provenance of a sourced value or reference entry (no value, no fields)."""
    if type(item) is Provenance:
        return item
    return Provenance.model_validate(
        item.model_dump(include=set(Provenance.model_fields), exclude_defaults=True)
    )


@dataclass(frozen=True)
class InputUsed:
    """One input of a result.

    Parameters
    ----------
    quantity
        A catalogue message (marked with ``N_``) naming the input, with ``{subject}`` and
        optionally ``{year}`` placeholders, e.g. ``"battery lifetime of {subject}"``.
    subject
        What the input is about: a vehicle type, element, route or chemistry id ("" if none).
    provenance
        Where the value comes from, or why it is illustrative.
    year
        The year of a dated input (a fleet count), else ``None``.
    """

    quantity: str
    subject: str
    provenance: Provenance
    year: int | None = None

    def label(self, subject: str | None = None) -> str:
        """Return the English label, with ``subject`` (default: the id) filled in."""
        return self.quantity.format(subject=subject or self.subject, year=self.year)

    def caveat(self) -> str:
        """Return an English one-line flag: the label and why the value is illustrative."""
        note = self.provenance.note
        return f"{self.label()}: illustrative" + (f" ({note})" if note else "")

    def record(self) -> dict[str, Any]:
        """Return the input as JSON-ready data: label, subject, value (if any), provenance."""
        data: dict[str, Any] = {
            "input": self.label(),
            "quantity": self.quantity,
            "subject": self.subject,
        }
        if self.year is not None:
            data["year"] = self.year
        if isinstance(self.provenance, Sourced):
            data |= {
                k: v
                for k, v in self.provenance.model_dump(
                    mode="json", include={"value", "unit", "low", "high"}
                ).items()
                if v is not None
            }
        return data | {"provenance": provenance_of(self.provenance).record()}
