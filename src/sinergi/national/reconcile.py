"""Reconcile national accounts with published national totals, showing every difference.

Published figures (data/national/published.yaml) each measure one thing: nickel output of some
routes (``ni_t``), the number of smelters in a status (``smelters``), captive coal capacity
(``captive_coal_mw``) or residue generated (``residue_t``). Each is set beside the registry's
own figure for the accounts' year, with the difference and whether the years match; nothing is
adjusted to fit. Where sources disagree, each figure is kept and compared on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from sinergi.errors import ReferenceDataError
from sinergi.i18n import N_
from sinergi.i18n.messages import msg
from sinergi.national.accounts import NationalAccounts
from sinergi.national.registry import PRIMARY_ROUTES, Fuel, Registry, Route, Status
from sinergi.reference import Provenance

__all__ = ["PublishedFigure", "Reconciled", "published_figures", "reconcile"]


class PublishedFigure(BaseModel):
    """A published national figure with its provenance."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label_en: str
    label_id: str
    measure: str
    value: float
    unit: str
    year: int
    routes: tuple[Route, ...] = ()
    status: Status | None = None
    provenance: Provenance


@dataclass(frozen=True)
class Reconciled:
    """A published figure beside the registry's own, and their difference."""

    figure: PublishedFigure
    registry: float | None
    year: int

    @property
    def difference(self) -> float | None:
        """Return registry minus published (same unit), or ``None`` when not computed."""
        return None if self.registry is None else self.registry - self.figure.value

    @property
    def ratio(self) -> float | None:
        """Return registry / published, or ``None``."""
        if self.registry is None or self.figure.value == 0:
            return None
        return self.registry / self.figure.value

    @property
    def same_year(self) -> bool:
        """Return whether the published figure describes the accounts' year."""
        return self.figure.year == self.year


@cache
def published_figures() -> tuple[PublishedFigure, ...]:
    """Return the shipped published figures, validated.

    Raises
    ------
    ReferenceDataError
        When the shipped file is malformed (a packaging bug).
    """
    text = resources.files("sinergi.data.national").joinpath("published.yaml").read_text("utf-8")
    out = []
    for i, row in enumerate(yaml.safe_load(text)["figures"]):
        data: dict[str, Any] = dict(row)
        provenance: dict[str, Any] = {
            k: data.pop(k) for k in ("refs", "basis", "note") if k in data
        }
        provenance["year"] = data["year"]
        try:
            out.append(PublishedFigure.model_validate({**data, "provenance": provenance}))
        except ValidationError as exc:
            text = f"data/national/published.yaml, figures[{i}]: {exc.errors()[0]['msg']}"
            raise ReferenceDataError(text) from None
    return tuple(out)


def _measure(
    figure: PublishedFigure, accounts: NationalAccounts, registry: Registry
) -> float | None:
    if figure.measure == "context":
        return None  # shown beside the accounts, not compared
    by_route = accounts.by["route"]
    routes = [by_route[r.value] for r in figure.routes if r.value in by_route]
    if figure.measure == "ni_t":  # unknown, not zero, when no smelter of the routes reports
        known = [t.ni_t for t in routes if t.ni_smelters]
        return sum(known) if known else None
    if figure.measure == "residue_t":
        residues = [t.residue_t for t in routes if t.residue_smelters]
        return sum(residues) if residues else None
    if figure.measure == "smelters":
        return float(
            sum(
                1
                for s in registry.smelters
                if s.status is figure.status and s.route in (figure.routes or PRIMARY_ROUTES)
            )
        )
    if figure.measure == "captive_coal_mw":
        return sum(
            u.capacity_mw
            for u in registry.units
            if u.fuel is Fuel.COAL and u.running(accounts.year)
        )
    raise ReferenceDataError(
        msg(
            N_("{file}, {id}: unknown measure {measure}"),
            file="data/national/published.yaml",
            id=figure.id,
            measure=f"'{figure.measure}'",
        )
    )


def reconcile(accounts: NationalAccounts, registry: Registry) -> list[Reconciled]:
    """Return every published figure beside the registry's figure for the accounts' year.

    Smelter counts are of primary smelters (RKEF, matte, HPAL), or of the figure's routes, by
    their current status;
    captive coal counts the registry's coal units running in the year (nickel only, whereas
    the published totals cover all industries: the note of each figure says so).
    """
    return [
        Reconciled(figure, _measure(figure, accounts, registry), accounts.year)
        for figure in published_figures()
    ]
