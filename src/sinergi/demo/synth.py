"""A reproducible, fully synthetic national ecosystem for scale tests and demonstrations.

:func:`synthesise` spreads synthetic parks over the provinces of ``parks.yaml`` that have a
grid node, gives them skewed sizes (seeded lognormal weights) and synthetic coordinates (see
:func:`synthetic_coordinates`), and fills them with companies
drawn from the archetypes of ``sectors.yaml``: each company has one facility, one process,
about 8-12 flows for the year and a workforce record. Everything is ``synthetic=True`` and every
magnitude illustrative. Quantities are produced directly in canonical units, so no unit
conversion runs per flow; 30,000 companies take a few seconds.

    >>> from sinergi.demo import synthesise
    >>> eco = synthesise(companies=50, parks=3, seed=1)
    >>> len(eco.companies), len(eco.parks)
    (50, 3)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sinergi.demo.reference import RegionEntry, SectorsDoc, load_parks, load_sectors
from sinergi.demo.tenants import (
    ParkLinks,
    PlannedFlow,
    archetype_evidence,
    plan_flows,
    size_class,
    tenant_flows,
    workforce_records,
)
from sinergi.errors import SinergiError
from sinergi.model import Company, Ecosystem, Facility, Park, Period, Process, Region
from sinergi.model.externals import default_externals


class SynthesisError(SinergiError):
    """The synthesiser was asked for an ecosystem it cannot build."""


def synthesise(companies: int, parks: int, seed: int, period: str = "2024") -> Ecosystem:
    """Build a synthetic national ecosystem; the same arguments give an identical model.

    Parameters
    ----------
    companies
        Number of synthetic companies (each with one facility and one process).
    parks
        Number of synthetic parks, ids ``synth-park-001`` and up.
    seed
        Seed of every random draw.
    period
        The reporting period of every flow and record.

    Raises
    ------
    SynthesisError
        If ``parks`` is below 1 or ``companies`` is negative.
    """
    if parks < 1 or companies < 0:
        raise SynthesisError(
            f"cannot synthesise {companies} companies in {parks} parks; "
            "ask for at least one park and zero or more companies"
        )
    when = Period.parse(period)
    sectors = load_sectors()
    rng = np.random.default_rng(seed)
    eco = Ecosystem()
    eco.add(*default_externals())
    regions = [r for r in load_parks().regions if r.grid is not None]
    eco.add(*(Region(r.id, r.name, r.wpi) for r in regions))
    grids = _add_parks(eco, rng, parks, regions, sectors)
    _place_parks(eco, seed)
    counts = _park_sizes(rng, companies, parks, sectors.synthetic_parks.company_size_sigma)
    park_of = np.repeat(np.arange(parks), counts)
    sector_of = _draw_sectors(
        rng, counts, len(sectors.sectors), sectors.synthetic_parks.sectors_per_park
    )
    _add_companies(
        eco,
        rng,
        sectors,
        park_ids=list(eco.parks),
        grids=grids,
        park_of=park_of,
        sector_of=sector_of,
        period=when,
    )
    return eco


def _add_parks(
    eco: Ecosystem,
    rng: np.random.Generator,
    parks: int,
    regions: list[RegionEntry],
    sectors: SectorsDoc,
) -> list[str]:
    """Add the synthetic parks and return each park's grid node, in park order."""
    width = max(3, len(str(parks)))
    where = rng.integers(0, len(regions), parks)
    area = sectors.synthetic_parks.area_ha
    areas = area.median * rng.lognormal(0.0, area.sigma, parks)
    grids = []
    for i in range(parks):
        region = regions[int(where[i])]
        number = f"{i + 1:0{width}d}"
        eco.parks[f"synth-park-{number}"] = Park(
            f"synth-park-{number}",
            f"Kawasan Industri Sintetis {number} (synthetic)",
            region.id,
            area_ha=round(float(areas[i]), 1),
            synthetic=True,
            notes="Synthetic park made by sinergi.demo.synthesise; every value, its coordinates "
            "included, is synthetic or illustrative.",
        )
        grids.append(region.grid or "supplier")
    return grids


#: Synthetic parks lie around a demonstration park: a normal offset of this many degrees in
#: latitude and longitude, clipped to :data:`COORDINATE_REACH` degrees from it.
COORDINATE_SPREAD = 1.0
#: The farthest (degrees) a synthetic park lies from its anchor. Every anchor is at least this
#: far inside Indonesia's extremes, so synthetic parks stay in the country's bounding box.
COORDINATE_REACH = 2.0


def synthetic_coordinates(region_ids: list[str], seed: int) -> list[tuple[float, float]]:
    """Return seeded, synthetic (latitude, longitude) pairs for parks in these provinces.

    Each park is placed around a demonstration park with (approximate) coordinates in
    ``parks.yaml``, one in its own province when there is one, else any: an offset drawn from a
    normal distribution (:data:`COORDINATE_SPREAD` degrees) and clipped to
    :data:`COORDINATE_REACH` degrees, so parks spread over the country's industrial regions
    rather than piling on one point. The points are synthetic, not places: they make distances,
    and so symbiosis candidates, behave as in a real national registry. A separate random
    stream is used, so the rest of the synthetic ecosystem is what it was without coordinates.

    >>> synthetic_coordinates(["id-jb", "id-mu"], seed=1) == synthetic_coordinates(
    ...     ["id-jb", "id-mu"], seed=1)
    True
    """
    anchors = [
        (p.region, p.latitude, p.longitude)
        for p in load_parks().parks
        if p.latitude is not None and p.longitude is not None
    ]
    rng = np.random.default_rng((seed, 0x6E0))
    offsets = np.clip(
        rng.normal(0.0, COORDINATE_SPREAD, (len(region_ids), 2)),
        -COORDINATE_REACH,
        COORDINATE_REACH,
    )
    picks = rng.random(len(region_ids))
    out = []
    for i, region in enumerate(region_ids):
        near = [a for a in anchors if a[0] == region] or anchors
        _, lat, lon = near[int(picks[i] * len(near))]
        out.append((round(lat + float(offsets[i, 0]), 4), round(lon + float(offsets[i, 1]), 4)))
    return out


def _place_parks(eco: Ecosystem, seed: int) -> None:
    """Give every synthetic park its synthetic coordinates (flagged approximate)."""
    parks = [p for p in eco.parks.values() if p.synthetic]
    for park, (lat, lon) in zip(
        parks, synthetic_coordinates([p.region_id for p in parks], seed), strict=True
    ):
        park.latitude, park.longitude = lat, lon
        park.coordinates_approximate = True


def _park_sizes(
    rng: np.random.Generator, companies: int, parks: int, sigma: float
) -> NDArray[np.int64]:
    """Split the companies over parks with skewed (lognormal) weights, one each first."""
    weights = rng.lognormal(0.0, sigma, parks)
    base = min(1, companies // parks)
    rest = companies - base * parks
    return base + rng.multinomial(rest, weights / weights.sum())


def _draw_sectors(
    rng: np.random.Generator, counts: NDArray[np.int64], n_sectors: int, per_park: int
) -> NDArray[np.int64]:
    """Give each park a few main sectors with random weights; draw each company's sector."""
    k = min(per_park, n_sectors)
    out = []
    for count in counts.tolist():
        main = rng.choice(n_sectors, size=k, replace=False)
        weights = rng.dirichlet(np.ones(k))
        out.append(main[rng.choice(k, size=count, p=weights)])
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def _add_companies(
    eco: Ecosystem,
    rng: np.random.Generator,
    sectors: SectorsDoc,
    *,
    park_ids: list[str],
    grids: list[str],
    park_of: NDArray[np.int64],
    sector_of: NDArray[np.int64],
    period: Period,
) -> None:
    """Add companies, facilities, processes, flows and workforce records in bulk."""
    table = sectors.sectors
    n = len(park_of)
    median = np.array([s.output_t.median for s in table])[sector_of]
    sigma = np.array([s.output_t.sigma for s in table])[sector_of]
    output = median * np.exp(sigma * rng.standard_normal(n))
    per_kt = np.array([s.workers_per_kt for s in table])[sector_of]
    workers = np.maximum(1, np.rint(output / 1000.0 * per_kt)).astype(np.int64)
    widest = max((len(s.flows) for s in table), default=0)
    noise = rng.lognormal(0.0, sectors.flow_noise_sigma, (n, widest)).tolist()
    plans: dict[tuple[int, str], list[PlannedFlow]] = {}
    evidence = [archetype_evidence(s) for s in table]
    width = max(5, len(str(n)))
    ids = []
    params = sectors.records
    for i, (p, s, out, w) in enumerate(
        zip(park_of.tolist(), sector_of.tolist(), output.tolist(), workers.tolist(), strict=True)
    ):
        sector, grid = table[s], grids[p]
        cid = f"synth-co-{i + 1:0{width}d}"
        ids.append(cid)
        eco.companies[cid] = Company(
            cid,
            park_ids[p],
            f"PT Contoh {sector.word_id} {i + 1:0{width}d} (synthetic)",
            sector.kbli,
            size_class(w, params),
            synthetic=True,
        )
        eco.facilities[f"{cid}.plant"] = Facility(f"{cid}.plant", cid, f"{sector.name_en} plant")
        eco.processes[f"{cid}.main"] = Process(
            f"{cid}.main", f"{cid}.plant", f"{sector.name_en} production"
        )
        plan = plans.get((s, grid))
        if plan is None:
            plan = plans[(s, grid)] = plan_flows(sector, ParkLinks(grid))
        eco.flows += tenant_flows(
            f"{cid}.main", sector.product, plan, out, noise[i], period=period, evidence=evidence[s]
        )
    female = np.array([s.female_share for s in table])[sector_of]
    eco.workforce += workforce_records(rng, ids, workers, female, params=params, period=period)
