"""Progress of a long symbiosis run, reported stage by stage to whoever shows it.

The engine never prints: it calls a :class:`Progress` callback with the stage, the steps done
and the steps in the stage, and the CLI turns that into a progress bar (a library user may log
it or ignore it). Stages: ``candidates`` (one step per substitution rule), ``solve`` (0 of 1
when HiGHS starts, 1 of 1 when it returns) and ``sharing`` (one step per cluster of partners).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class Stage(StrEnum):
    """The stages of a recommendation run, in order."""

    CANDIDATES = "candidates"
    SOLVE = "solve"
    SHARING = "sharing"


class Progress(Protocol):
    """A callback told how far a stage has come."""

    def __call__(self, stage: Stage, done: int, total: int) -> None:
        """Report that ``done`` of ``total`` steps of ``stage`` are finished."""


def silent(stage: Stage, done: int, total: int) -> None:
    """Ignore progress (the default)."""
