"""A seeded synthetic national registry, for scale tests, benchmarks and the demo.

Nothing here is a fact about a real smelter: names, sizes, places, units and production are
drawn from a seeded generator and every row carries ``synthetic: true``. Two things tie it to
published figures so that its totals are of the right order: plant sizes are scaled so that the
2023 nickel output of the RKEF routes and of the matte route equals the ESDM totals
(data/national/published.yaml), and the nickel shares of the products are the footprint
inventory's (NPI 10 %, ferronickel 36 %, MHP 39 %, nickel sulfate hexahydrate 22.3 %).

Examples
--------
>>> registry = synthetic_registry(plants=50, units=30, seed=1)
>>> len(registry.smelters), len(registry.units), registry.synthetic
(50, 30, True)
"""

from __future__ import annotations

import numpy as np

from sinergi.national.registry import (
    Certifications,
    Fuel,
    Licence,
    PowerUnit,
    Production,
    Registry,
    Route,
    Smelter,
    Status,
)

__all__ = ["NI_SHARE", "synthetic_registry"]

#: t Ni per t product: NPI and ferronickel from Wei et al. 2020 (60/598 and 110/309 GJ ratios),
#: MHP from the Ceria design case (40 kt Ni in 103 kt MHP), NiSO4·6H2O by stoichiometry.
NI_SHARE: dict[Route, float] = {
    Route.RKEF_NPI: 0.10,
    Route.RKEF_FENI: 0.36,
    Route.HPAL_MHP: 0.39,
    Route.REFINERY_NISO4: 58.6934 / 262.85,
}

_ROUTES = list(Route)
_ROUTE_WEIGHTS = np.array([45, 10, 8, 12, 8, 6, 5, 3, 3], dtype=float)
_STATUSES = [Status.OPERATING, Status.CONSTRUCTION, Status.PLANNED, Status.FEASIBILITY]
_STATUS_WEIGHTS = np.array([60, 20, 12, 8], dtype=float)
_PROVINCES = {
    "Sulawesi Tengah": (-2.8, 122.2),
    "Maluku Utara": (0.5, 127.9),
    "Sulawesi Tenggara": (-4.0, 122.4),
    "Sulawesi Selatan": (-2.6, 121.4),
}
#: published 2023 t Ni the synthetic RKEF and matte output is scaled to
_SCALE_TO: dict[str, float] = {"rkef": 535_200.0, Route.CONVERTER_MATTE.value: 71_400.0}
_YEARS = (2022, 2023, 2024)


def _commissioning(rng: np.random.Generator, status: Status) -> int:
    spans = {
        Status.OPERATING: (2015, 2024),
        Status.CONSTRUCTION: (2025, 2027),
        Status.PLANNED: (2027, 2030),
        Status.FEASIBILITY: (2029, 2033),
    }
    low, high = spans[status]
    return int(rng.integers(low, high + 1))


def _smelter(rng: np.random.Generator, i: int, parks: int) -> Smelter:
    route = _ROUTES[int(rng.choice(len(_ROUTES), p=_ROUTE_WEIGHTS / _ROUTE_WEIGHTS.sum()))]
    status = _STATUSES[int(rng.choice(4, p=_STATUS_WEIGHTS / _STATUS_WEIGHTS.sum()))]
    province = list(_PROVINCES)[int(rng.integers(len(_PROVINCES)))]
    lat, lon = _PROVINCES[province]
    park = int(rng.integers(parks))
    return Smelter(
        id=f"syn-{i:04d}",
        # proper names as an Indonesian registry writes them (like the company, "PT Sintetis"),
        # so that no English name reaches an Indonesian page
        name=f"Smelter Sintetis {i:04d}",
        route=route,
        status=status,
        province=province,
        company=f"PT Sintetis {i:04d}",
        group=f"Grup Sintetis {int(rng.integers(12)) + 1:02d}",
        park=f"syn-park-{park:02d}",
        latitude=round(lat + float(rng.normal(0, 0.3)), 4),
        longitude=round(lon + float(rng.normal(0, 0.3)), 4),
        licence=Licence.IUP if rng.random() < 0.15 else Licence.IUI,
        commissioning_year=_commissioning(rng, status),
        capacity_ni_t=round(float(rng.lognormal(np.log(15_000), 0.6)), 0),
        ni_share=None if route not in NI_SHARE else round(NI_SHARE[route], 4),
        grid_mw=round(float(rng.uniform(20, 120)), 0) if rng.random() < 0.15 else None,
        grid_region="grid.sulselbar" if province == "Sulawesi Selatan" else None,
        slag_utilised=round(float(rng.uniform(0, 0.6)), 2) if rng.random() < 0.5 else None,
        certifications=Certifications(
            sih=None if rng.random() < 0.7 else False,
            irma=None,
            iso14001=None if rng.random() < 0.5 else bool(rng.random() < 0.5),
        ),
        synthetic=True,
    )


def _unit(rng: np.random.Generator, i: int, smelters: list[Smelter]) -> PowerUnit:
    operating = [s for s in smelters if s.status is Status.OPERATING] or smelters
    pool = operating if rng.random() < 0.8 else smelters
    host = pool[int(rng.integers(len(pool)))]
    park_wide = rng.random() < 0.3
    fuel = Fuel.COAL if rng.random() < 0.93 else Fuel.HYDRO
    status = host.status
    return PowerUnit(
        id=f"syn-unit-{i:04d}",
        fuel=fuel,
        capacity_mw=float(rng.choice([30, 50, 65, 100, 135, 150])),
        status=status,
        smelter=None if park_wide else host.id,
        park=host.park if park_wide else None,
        plant_name=f"Pembangkit Captive Sintetis {i // 3:03d}",
        unit_name=f"Unit {i % 3 + 1}",
        owner=host.company,
        parent=host.group,
        province=host.province,
        start_year=host.commissioning_year,
        gem_unit_id=None,
        synthetic=True,
    )


def _production(rng: np.random.Generator, smelters: list[Smelter]) -> list[Production]:
    records: list[Production] = []
    for smelter in smelters:
        if smelter.status is not Status.OPERATING or rng.random() < 0.03:
            continue
        for year in _YEARS:
            if smelter.commissioning_year and smelter.commissioning_year > year:
                continue
            ni = float(smelter.capacity_ni_t or 0.0) * float(rng.uniform(0.6, 0.95))
            records.append(Production(smelter.id, year, ni_t=ni, synthetic=True))
    return records


def _scale(smelters: list[Smelter], records: list[Production]) -> list[Production]:
    """Scale each route family's output so 2023 equals the published total."""
    route_of = {s.id: s.route for s in smelters}

    def family(route: Route) -> str:
        return "rkef" if route in (Route.RKEF_NPI, Route.RKEF_FENI) else route.value

    sums: dict[str, float] = {}
    for r in records:
        if r.year == 2023:
            key = family(route_of[r.smelter])
            sums[key] = sums.get(key, 0.0) + (r.ni_t or 0.0)
    factor = {k: _SCALE_TO[k] / v for k, v in sums.items() if k in _SCALE_TO and v > 0}
    out = []
    for r in records:
        f = factor.get(family(route_of[r.smelter]), 1.0)
        ni = round((r.ni_t or 0.0) * f, 1)
        share = NI_SHARE.get(route_of[r.smelter])
        product = None if share is None else round(ni / share, 1)
        out.append(Production(r.smelter, r.year, product_t=product, ni_t=ni, synthetic=True))
    return out


def synthetic_registry(plants: int = 120, units: int = 80, seed: int = 20231) -> Registry:
    """Return a synthetic registry of ``plants`` smelters and ``units`` captive units.

    Deterministic for a seed; every row is labelled synthetic.
    """
    rng = np.random.default_rng(seed)
    parks = max(1, plants // 12)
    smelters = [_smelter(rng, i, parks) for i in range(plants)]
    power = [_unit(rng, i, smelters) for i in range(units)]
    records = _scale(smelters, _production(rng, smelters))
    return Registry(tuple(smelters), tuple(power), tuple(records))
