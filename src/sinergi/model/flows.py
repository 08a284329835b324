"""Flows: a quantity of one commodity moving from one node to another in one period.

Sign convention: quantities are never negative; direction is carried by
``source → target``. A process's inputs are flows whose target is the process; its
outputs are flows whose source is the process. Quantities are stored in the commodity's
canonical unit. An unknown quantity is ``None`` (reported but not measured), never zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sinergi.model.period import Period


class DataQuality(StrEnum):
    """How a number was obtained, from best to weakest."""

    MEASURED = "measured"
    CALCULATED = "calculated"
    ESTIMATED = "estimated"
    DEFAULT = "default"
    SYNTHETIC = "synthetic"


@dataclass(frozen=True, slots=True)
class FlowKey:
    """The natural key of a flow: one row per period, source, target and commodity."""

    period: Period
    source: str
    target: str
    commodity: str


@dataclass(slots=True)
class Flow:
    """One reported flow; ``quantity`` is in the commodity's canonical unit."""

    period: Period
    source: str
    target: str
    commodity: str
    quantity: float | None
    quality: DataQuality = DataQuality.MEASURED
    evidence: str | None = None

    @property
    def key(self) -> FlowKey:
        """Return the natural key used for de-duplication and diffs."""
        return FlowKey(self.period, self.source, self.target, self.commodity)
