"""Governance indicators per smelter: reporting, intensity, captive coal, residues, certificates.

For a ministry following smelters one by one: how complete is what the smelter reports, how
its CO2e intensity compares with the median of its route, how much of its electricity comes
from captive coal, how much of its slag (or tailings) and FABA it puts to use, and which
certificates it holds (Standar Industri Hijau, IRMA level, ISO 14001). A value that cannot be
computed is ``None`` with the reason in the completeness list, never a zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from sinergi.national.accounts import NationalAccounts, SmelterAccount
from sinergi.national.registry import Certifications, Smelter

__all__ = ["REPORTED_FIELDS", "Indicators", "governance"]

#: What a smelter is expected to report, checked for presence.
REPORTED_FIELDS: tuple[str, ...] = (
    "production",
    "power",
    "coordinates",
    "licence",
    "capacity",
    "commissioning_year",
    "group",
    "slag_utilised",
    "certifications",
)


@dataclass(frozen=True)
class Indicators:
    """The governance indicators of one smelter for a year."""

    smelter: Smelter
    completeness: float
    not_reported: tuple[str, ...]
    intensity: float | None
    route_median: float | None
    captive_coal_share: float | None
    slag_utilised: float | None
    faba_utilised: float | None
    certifications: Certifications

    @property
    def intensity_vs_median(self) -> float | None:
        """Return intensity / route median (1.0 = at the median), or ``None``."""
        if self.intensity is None or not self.route_median:
            return None
        return self.intensity / self.route_median


def _reported(account: SmelterAccount) -> dict[str, bool]:
    s = account.smelter
    certs = s.certifications
    return {
        "production": account.ni_t is not None,
        "power": bool(account.supply),
        "coordinates": s.latitude is not None and s.longitude is not None,
        "licence": s.licence is not None,
        "capacity": s.capacity_ni_t is not None or s.capacity_output_t is not None,
        "commissioning_year": s.commissioning_year is not None,
        "group": s.group is not None or s.company is not None,
        "slag_utilised": s.slag_utilised is not None,
        "certifications": any(v is not None for v in (certs.sih, certs.irma, certs.iso14001)),
    }


def governance(accounts: NationalAccounts) -> list[Indicators]:
    """Return the indicators of every smelter in the accounts, in registry order."""
    by_route: dict[str, list[float]] = {}
    for account in accounts.smelters:
        if account.intensity is not None:
            by_route.setdefault(account.smelter.route.value, []).append(account.intensity)
    medians = {route: median(values) for route, values in by_route.items()}
    rows = []
    for account in accounts.smelters:
        reported = _reported(account)
        coal = (
            sum(p.share for p in account.supply if p.factor == "coal") if account.supply else None
        )
        rows.append(
            Indicators(
                smelter=account.smelter,
                completeness=sum(reported.values()) / len(reported),
                not_reported=tuple(k for k, ok in reported.items() if not ok),
                intensity=account.intensity,
                route_median=medians.get(account.smelter.route.value),
                captive_coal_share=coal,
                slag_utilised=account.smelter.slag_utilised,
                faba_utilised=account.smelter.faba_utilised,
                certifications=account.smelter.certifications,
            )
        )
    return rows
