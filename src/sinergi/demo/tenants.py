"""Synthetic tenants from archetypes: their nodes, yearly flows and social records.

Shared by the demonstration ecosystem and the national synthesiser. Every company made here
is ``synthetic=True`` and every flow ``DataQuality.SYNTHETIC``; magnitudes come from the
illustrative archetypes of ``sectors.yaml``. Random draws are vectorised with numpy and done by
the caller's seeded generator, so the same seed always gives the same tenants.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sinergi.demo.reference import RecordParams, Sector
from sinergi.errors import ReferenceDataError
from sinergi.model import (
    Company,
    CompanySize,
    DataQuality,
    Ecosystem,
    Facility,
    Flow,
    Ownership,
    Period,
    Process,
    Procurement,
    Safety,
    Smelter,
    Training,
    Workforce,
)

SYNTHETIC = DataQuality.SYNTHETIC

#: Fuels a park may ban as factory fuel (GIIC bans coal).
_COAL = frozenset({"coal", "coke"})


@dataclass(frozen=True, slots=True)
class ParkLinks:
    """Where a park's tenants take electricity and water from and send wastewater to.

    ``wwtp`` is the process of a central WWTP receiving untreated wastewater; without one,
    tenants treat on site and discharge ``wastewater_treated`` to surface water.
    """

    grid: str | None
    water_source: str = "supplier"
    wwtp: str | None = None
    coal_banned: bool = False


@dataclass(frozen=True, slots=True)
class PlannedFlow:
    """An archetype row resolved for one park: direction, partner node, commodity, per t."""

    is_input: bool
    node: str
    commodity: str
    per_t: float


@dataclass(frozen=True, slots=True)
class NewCompany:
    """What it takes to add one synthetic company with one facility and one process."""

    id: str
    park_id: str
    name: str
    kbli: tuple[str, ...]
    facility: str
    process: str
    route: str | None = None
    size: CompanySize | None = None
    ownership: Ownership | None = None
    smelter: Smelter | None = None


def add_company(eco: Ecosystem, new: NewCompany) -> str:
    """Add a synthetic company, its facility and its process; return the process id."""
    facility_id, process_id = f"{new.id}.plant", f"{new.id}.main"
    eco.add(
        Company(
            new.id,
            new.park_id,
            new.name,
            new.kbli,
            new.size,
            new.ownership,
            new.smelter,
            synthetic=True,
        ),
        Facility(facility_id, new.id, new.facility),
        Process(process_id, facility_id, new.process, new.route),
    )
    return process_id


@dataclass
class Roster:
    """The synthetic companies of a park awaiting social records, in creation order."""

    ids: list[str]
    workers: list[int]
    female_share: list[float]
    output_t: list[float]

    @classmethod
    def empty(cls) -> Roster:
        """Return a roster with no companies."""
        return cls([], [], [], [])

    def append(self, company_id: str, workers: int, female_share: float, output_t: float) -> None:
        """Add one company's headcount, female share and output (t)."""
        self.ids.append(company_id)
        self.workers.append(workers)
        self.female_share.append(female_share)
        self.output_t.append(output_t)


def plan_flows(sector: Sector, links: ParkLinks) -> list[PlannedFlow]:
    """Resolve an archetype's rows against a park's links (grid, water, wastewater, bans)."""
    out = []
    for row in sector.flows:
        if links.coal_banned and row.commodity in _COAL:
            continue
        node: str = row.partner
        commodity = row.commodity
        if node == "grid":
            if links.grid is None:
                raise ReferenceDataError(
                    f"sector {sector.id} needs grid electricity but the park has no grid node; "
                    "set `grid` for the park in sinergi/demo/parks.yaml"
                )
            node = links.grid
        elif node == "water":
            node = links.water_source
        elif node == "wastewater":
            node, commodity = (
                (links.wwtp, commodity) if links.wwtp else ("env.water", "wastewater_treated")
            )
        out.append(PlannedFlow(row.is_input, node, commodity, row.per_t))
    return out


def tenant_flows(
    process_id: str,
    product: str,
    plan: Sequence[PlannedFlow],
    output_t: float,
    noise: Sequence[float],
    *,
    period: Period,
    evidence: str | None = None,
) -> list[Flow]:
    """Return one tenant's flows: its product to market and each planned row x output x noise."""
    flows = [Flow(period, process_id, "market", product, output_t, SYNTHETIC, evidence)]
    for row, factor in zip(plan, noise, strict=False):
        quantity = row.per_t * output_t * factor
        source, target = (row.node, process_id) if row.is_input else (process_id, row.node)
        flows.append(Flow(period, source, target, row.commodity, quantity, SYNTHETIC, evidence))
    return flows


def archetype_evidence(sector: Sector) -> str:
    """Return the provenance note of flows drawn from an archetype."""
    return f"demo sectors.yaml: {sector.id} (illustrative)"


def size_class(workers: int, params: RecordParams) -> CompanySize:
    """Return the enterprise size class for a headcount (illustrative thresholds)."""
    bounds = params.size_by_workers
    if workers >= bounds["large"]:
        return CompanySize.LARGE
    if workers >= bounds["medium"]:
        return CompanySize.MEDIUM
    if workers >= bounds["small"]:
        return CompanySize.SMALL
    return CompanySize.MICRO


def workforce_records(
    rng: np.random.Generator,
    company_ids: Sequence[str],
    workers: NDArray[np.int64],
    female_share: NDArray[np.float64],
    *,
    params: RecordParams,
    period: Period,
    local_share: float | None = None,
) -> list[Workforce]:
    """Draw headcounts by sex and origin; ``local_share`` overrides the illustrative range."""
    n = len(company_ids)
    female = rng.binomial(workers, female_share)
    share = (
        np.full(n, local_share)
        if local_share is not None
        else rng.uniform(params.local_share.low, params.local_share.high, n)
    )
    local = rng.binomial(workers, share)
    return [
        Workforce(cid, period, female=f, male=w - f, local=lo, non_local=w - lo)
        for cid, w, f, lo in zip(
            company_ids, workers.tolist(), female.tolist(), local.tolist(), strict=True
        )
    ]


def other_records(
    rng: np.random.Generator,
    company_ids: Sequence[str],
    workers: NDArray[np.int64],
    output_t: NDArray[np.float64],
    *,
    params: RecordParams,
    period: Period,
) -> tuple[list[Safety], list[Training], list[Procurement]]:
    """Draw safety, training and procurement records for synthetic tenants."""
    n = len(company_ids)
    hours = workers * params.hours_per_worker
    lti = rng.poisson(hours * params.lost_time_injuries_per_million_hours / 1e6)
    deaths = rng.poisson(hours * params.fatalities_per_million_hours / 1e6)
    part = params.training_participation
    participants = rng.binomial(workers, rng.uniform(part.low, part.high, n))
    # a NaN output (tenants without a tonnage product) leaves procurement unreported
    total = output_t * params.procurement_idr_per_t_output
    local = total * rng.uniform(
        params.procurement_local_share.low, params.procurement_local_share.high, n
    )
    sme = local * rng.uniform(
        params.procurement_sme_share_of_local.low, params.procurement_sme_share_of_local.high, n
    )
    safety, training, procurement = [], [], []
    for i, cid in enumerate(company_ids):
        safety.append(Safety(cid, period, int(lti[i]), int(deaths[i]), float(hours[i])))
        p = int(participants[i])
        training.append(Training(cid, period, p * params.training_hours_per_participant, p))
        procurement.append(
            Procurement(cid, period, _known(total[i]), _known(local[i]), _known(sme[i]))
        )
    return safety, training, procurement


def _known(value: np.float64) -> float | None:
    return float(value) if np.isfinite(value) else None
