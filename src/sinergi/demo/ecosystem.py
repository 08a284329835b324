"""The demonstration ecosystem: sourced facts of seven real parks, synthetic tenants and flows.

The parks (the five GEIPP Indonesia pilots and the nickel parks IWIP and IMIP) carry sourced
facts from ``parks.yaml`` and are ``synthetic=False``. Every company in them is synthetic: a
seeded sample of tenant archetypes (``sectors.yaml``, illustrative magnitudes) for the GEIPP
parks, and synthetic smelters, a captive coal plant and a slag-block maker for the nickel
parks (``intensities.yaml``, sourced per-route intensities). Where a park's shared WTP or
central WWTP is sourced, a synthetic utility company stands for it.

    >>> from sinergi.demo import demo_ecosystem
    >>> eco = demo_ecosystem(seed=2026)
    >>> sorted(eco.parks)
    ['batamindo', 'giic', 'imip', 'iwip', 'kiic', 'kim', 'mm2100']
    >>> all(c.synthetic for c in eco.companies.values())
    True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sinergi.demo.nickel import add_nickel_tenants
from sinergi.demo.reference import (
    ParkEntry,
    ParksDoc,
    SectorsDoc,
    load_intensities,
    load_parks,
    load_sectors,
)
from sinergi.demo.tenants import (
    SYNTHETIC,
    NewCompany,
    ParkLinks,
    PlannedFlow,
    Roster,
    add_company,
    archetype_evidence,
    other_records,
    plan_flows,
    size_class,
    tenant_flows,
    workforce_records,
)
from sinergi.model import (
    Company,
    Ecosystem,
    Facility,
    Flow,
    Ownership,
    Park,
    ParkServices,
    Period,
    Process,
    Region,
)
from sinergi.model.externals import default_externals

_UTILITY_EVIDENCE = "demo sectors.yaml: utility (illustrative)"


def demo_ecosystem(seed: int = 2026, period: str = "2024") -> Ecosystem:
    """Build the demonstration ecosystem for one year; the same seed gives the same model.

    Parameters
    ----------
    seed
        Seed of the synthetic tenants, their flows and records. Each park draws from its
        own stream spawned from this seed.
    period
        The reporting period of every flow and record (a year, e.g. ``"2024"``).
    """
    when = Period.parse(period)
    parks, sectors = load_parks(), load_sectors()
    eco = Ecosystem()
    eco.add(*default_externals())
    used = {entry.region for entry in parks.parks}
    eco.add(*(Region(r.id, r.name, r.wpi) for r in parks.regions if r.id in used))
    streams = np.random.SeedSequence(seed).spawn(len(parks.parks))
    for entry, stream in zip(parks.parks, streams, strict=True):
        rng = np.random.default_rng(stream)
        eco.add(_park_node(entry, parks))
        eco.park_services.append(
            ParkServices(entry.id, when, shared_wwtp=entry.services.shared_wwtp)
        )
        if entry.nickel is not None:
            roster = add_nickel_tenants(
                eco, entry, load_intensities(), sectors, rng=rng, period=when
            )
        else:
            roster = _add_manufacturers(eco, entry, sectors, rng, when)
        local = entry.local_workforce_share
        _add_records(
            eco,
            roster,
            sectors,
            rng,
            period=when,
            local_share=None if local is None else local.value,
        )
    return eco


def _park_node(entry: ParkEntry, doc: ParksDoc) -> Park:
    notes = (
        f"{entry.notes} Main sectors: {entry.main_sectors}. Source keys in brackets follow the "
        f"order of the sources list: {', '.join(entry.sources)}. The tenants in the demo are a "
        "small synthetic sample, not the park's reported tenants."
    )
    return Park(
        entry.id,
        entry.name,
        entry.region,
        entry.regency,
        entry.latitude,
        entry.longitude,
        coordinates_approximate=True,
        area_ha=entry.area_ha,
        operator=entry.operator,
        established=entry.established,
        programmes=entry.programmes,
        sources=doc.source_urls(entry),
        synthetic=False,
        notes=notes,
    )


@dataclass(frozen=True, slots=True)
class _Utility:
    """The synthetic utility of a park with a sourced WTP or central WWTP."""

    company_id: str
    wtp: str | None
    wwtp: str | None


def _add_manufacturers(
    eco: Ecosystem,
    entry: ParkEntry,
    sectors: SectorsDoc,
    rng: np.random.Generator,
    period: Period,
) -> Roster:
    """Add a seeded sample of archetype tenants to a GEIPP park, with their flows."""
    roster = Roster.empty()
    links, utility = _links(eco, entry, sectors, roster)
    low, high = entry.synthetic_tenants or (0, 0)
    count = int(rng.integers(low, high + 1))
    names = list(entry.sector_mix)
    weights = np.array([entry.sector_mix[s] for s in names], dtype=float)
    picks = rng.choice(len(names), size=count, p=weights / weights.sum())
    foreign = entry.foreign_share
    numbers: dict[str, int] = {}
    plans: dict[str, list[PlannedFlow]] = {}
    for pick in picks.tolist():
        sector = sectors.sector(names[pick])
        number = numbers[sector.id] = numbers.get(sector.id, 0) + 1
        output = sector.output_t.median * float(rng.lognormal(0.0, sector.output_t.sigma))
        workers = max(1, round(output / 1000.0 * sector.workers_per_kt))
        ownership = None
        if foreign is not None:
            ownership = Ownership.FOREIGN if rng.random() < foreign else Ownership.DOMESTIC
        company_id = f"{entry.id}.{sector.id.replace('_', '-')}-{number:02d}"
        process = add_company(
            eco,
            NewCompany(
                company_id,
                entry.id,
                f"PT Contoh {sector.word_id} {entry.id.upper()} {number:02d} (synthetic)",
                sector.kbli,
                f"{sector.name_en} plant",
                f"{sector.name_en} production",
                size=size_class(workers, sectors.records),
                ownership=ownership,
            ),
        )
        plan = plans.setdefault(sector.id, plan_flows(sector, links))
        noise = rng.lognormal(0.0, sectors.flow_noise_sigma, len(plan)).tolist()
        eco.flows += tenant_flows(
            process,
            sector.product,
            plan,
            output,
            noise,
            period=period,
            evidence=archetype_evidence(sector),
        )
        roster.append(company_id, workers, sector.female_share, output)
    if utility is not None:
        _add_utility_flows(eco, utility, links, sectors, period)
    return roster


def _links(
    eco: Ecosystem, entry: ParkEntry, sectors: SectorsDoc, roster: Roster
) -> tuple[ParkLinks, _Utility | None]:
    """Return where tenants draw water and send wastewater, adding the park utility if any."""
    services = entry.services
    if not (services.on_site_wtp or services.shared_wwtp):
        return ParkLinks(entry.grid, coal_banned=entry.coal_banned), None
    kind = sectors.utility
    company_id, facility_id = f"{entry.id}.utility", f"{entry.id}.utility.site"
    eco.add(
        Company(
            company_id,
            entry.id,
            f"PT Contoh {kind.word_id} {entry.id.upper()} (synthetic)",
            kind.kbli,
            size_class(kind.workers, sectors.records),
            synthetic=True,
        ),
        Facility(facility_id, company_id, "Park water and wastewater plants"),
    )
    wtp = f"{company_id}.wtp" if services.on_site_wtp else None
    wwtp = f"{company_id}.wwtp" if services.shared_wwtp else None
    if wtp:
        eco.add(Process(wtp, facility_id, "Water treatment plant (WTP)", "water_treatment"))
    if wwtp:
        eco.add(
            Process(
                wwtp,
                facility_id,
                "Central wastewater treatment plant (WWTP)",
                "wastewater_treatment",
            )
        )
    roster.append(company_id, kind.workers, kind.female_share, float("nan"))
    links = ParkLinks(entry.grid, wtp or "supplier", wwtp, entry.coal_banned)
    return links, _Utility(company_id, wtp, wwtp)


def _add_utility_flows(
    eco: Ecosystem, utility: _Utility, links: ParkLinks, sectors: SectorsDoc, period: Period
) -> None:
    """Balance the utility's plants on what the tenants drew and discharged (illustrative)."""
    params, grid = sectors.utility, links.grid or "supplier"

    def add(source: str, target: str, commodity: str, quantity: float) -> None:
        eco.flows.append(
            Flow(period, source, target, commodity, quantity, SYNTHETIC, _UTILITY_EVIDENCE)
        )

    if utility.wtp:
        # tenant flows always carry a quantity; ``or 0.0`` only satisfies the type
        delivered = sum(f.quantity or 0.0 for f in eco.flows if f.source == utility.wtp)
        add("env.water", utility.wtp, "water_surface", delivered)
        add(grid, utility.wtp, "electricity", delivered * params.wtp_electricity_mwh_per_m3)
    if utility.wwtp:
        received = sum(f.quantity or 0.0 for f in eco.flows if f.target == utility.wwtp)
        add(grid, utility.wwtp, "electricity", received * params.wwtp_electricity_mwh_per_m3)
        add(utility.wwtp, "env.water", "wastewater_treated", received)
        add(utility.wwtp, "b3_handler", "wwtp_sludge", received * params.wwtp_sludge_t_per_m3)


def _add_records(
    eco: Ecosystem,
    roster: Roster,
    sectors: SectorsDoc,
    rng: np.random.Generator,
    *,
    period: Period,
    local_share: float | None,
) -> None:
    """Draw workforce, safety, training and procurement records for a park's tenants."""
    workers = np.array(roster.workers, dtype=np.int64)
    female = np.array(roster.female_share, dtype=float)
    output = np.array(roster.output_t, dtype=float)
    params = sectors.records
    eco.workforce += workforce_records(
        rng, roster.ids, workers, female, params=params, period=period, local_share=local_share
    )
    safety, training, procurement = other_records(
        rng, roster.ids, workers, output, params=params, period=period
    )
    eco.safety += safety
    eco.training += training
    eco.procurement += procurement
