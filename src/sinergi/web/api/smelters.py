"""``/smelters``: the smelter registry's plant-level public facts.

A smelter's route, status, capacity, location, owner and captive power units are plant facts
that companies disclose and trackers publish (company reports, the Global Energy Monitor
coal plant tracker), not tenant data reported to the platform: everyone may read them, the
public included. Production by year is left out (it is the registry's input to the national
accounts, not a plant fact shown on the map). Synthetic rows say so.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from sinergi.national.build import registry_from_rows
from sinergi.national.registry import Registry, Smelter, Status
from sinergi.store.national import load_registry_rows
from sinergi.web.deps import OPTIONAL_AUTH, Caller, ServicesDep

router = APIRouter(tags=["smelters"])


class SmelterOut(BaseModel):
    """One smelter (or smelter line) of the registry, its public plant facts."""

    id: str
    name: str
    route: str
    status: str
    province: str | None
    company: str | None
    group: str | None
    park: str | None
    latitude: float | None
    longitude: float | None
    commissioning_year: int | None
    capacity_ni_t: float | None
    capacity_output_t: float | None
    grid_mw: float | None
    captive_mw: dict[str, float]
    source: str | None
    year: int | None
    synthetic: bool


def _captive_mw(registry: Registry, smelter: Smelter) -> dict[str, float]:
    """Sum the operating captive units named for ``smelter``, by fuel (park-shared ones apart)."""
    found: dict[str, float] = {}
    for unit in registry.units:
        if unit.smelter == smelter.id and unit.status is Status.OPERATING:
            found[str(unit.fuel)] = found.get(str(unit.fuel), 0.0) + unit.capacity_mw
    return dict(sorted(found.items()))


@router.get("/smelters", operation_id="list_smelters", openapi_extra=OPTIONAL_AUTH)
def list_smelters(svc: ServicesDep, principal: Caller) -> list[SmelterOut]:
    """List the registry's smelters with their public plant facts, by id (public).

    An empty registry gives an empty list.
    """
    registry = registry_from_rows(load_registry_rows(svc.store))
    return [
        SmelterOut(
            id=s.id,
            name=s.name,
            route=str(s.route),
            status=str(s.status),
            province=s.province,
            company=s.company,
            group=s.group,
            park=s.park,
            latitude=s.latitude,
            longitude=s.longitude,
            commissioning_year=s.commissioning_year,
            capacity_ni_t=s.capacity_ni_t,
            capacity_output_t=s.capacity_output_t,
            grid_mw=s.grid_mw,
            captive_mw=_captive_mw(registry, s),
            source=s.source,
            year=s.year,
            synthetic=s.synthetic,
        )
        for s in sorted(registry.smelters, key=lambda s: s.id)
    ]
