"""Social, economic and management records per company or park and period.

These feed the assessment engine (EIP framework social/economic categories, Permenperin
26/2025 management aspect). Every count or amount is optional: ``None`` means "not
reported", which indicators must treat as insufficient data, never as zero.
Amounts of money are in Indonesian rupiah (IDR).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sinergi.model.period import Period


class Pillar(StrEnum):
    """Programme pillars (Tsingshan–UNIDO 2025 declaration) a community programme serves."""

    CIRCULAR_ECONOMY = "circular_economy"
    SKILLS = "skills"
    COMMUNITY = "community"
    GREEN_SUPPLY_CHAIN = "green_supply_chain"


@dataclass(slots=True)
class Workforce:
    """Headcount of a company in a period, by sex and by origin (local / non-local)."""

    company_id: str
    period: Period
    female: int | None = None
    male: int | None = None
    local: int | None = None
    non_local: int | None = None


@dataclass(slots=True)
class Safety:
    """Occupational health and safety: lost-time injuries, fatalities, hours worked."""

    company_id: str
    period: Period
    lost_time_injuries: int | None = None
    fatalities: int | None = None
    hours_worked: float | None = None


@dataclass(slots=True)
class Training:
    """Training delivered to a company's workforce in a period."""

    company_id: str
    period: Period
    training_hours: float | None = None
    participants: int | None = None


@dataclass(slots=True)
class Procurement:
    """Spending in a period: total, from local suppliers, from SMEs (IDR)."""

    company_id: str
    period: Period
    total_idr: float | None = None
    local_idr: float | None = None
    sme_idr: float | None = None


@dataclass(slots=True)
class Investment:
    """Investment realised by a company in a period (IDR)."""

    company_id: str
    period: Period
    amount_idr: float | None = None


@dataclass(slots=True)
class CommunityProgramme:
    """A community programme run by a park (or one of its tenants) in a period."""

    park_id: str
    period: Period
    name: str
    pillar: Pillar
    company_id: str | None = None
    spend_idr: float | None = None
    beneficiaries: int | None = None


@dataclass(slots=True)
class Grievances:
    """Grievances received and resolved by a park's mechanism in a period."""

    park_id: str
    period: Period
    received: int | None = None
    resolved: int | None = None


@dataclass(slots=True)
class ParkServices:
    """Management and service facts of a park in a period; ``None`` means not reported."""

    park_id: str
    period: Period
    management_entity: bool | None = None
    environmental_management_system: bool | None = None
    environmental_monitoring: bool | None = None
    shared_wwtp: bool | None = None
    emergency_plan: bool | None = None
    waste_collection_service: bool | None = None
