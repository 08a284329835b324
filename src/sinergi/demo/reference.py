"""Load and validate the demo's data files: park facts, nickel intensities, tenant archetypes.

The three YAML files ship inside this package (``parks.yaml``, ``intensities.yaml``,
``sectors.yaml``). They are validated here, at the boundary, with pydantic models that forbid
unknown keys; every intensity must carry ``source`` and ``year`` or be ``illustrative``, and
every value the reference tags ``U`` (not found) must be illustrative.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sinergi.errors import ReferenceDataError
from sinergi.model.commodities import default_catalogue

_STATUS_TAGS = frozenset({"S", "D", "W", "U"})

#: Where an archetype flow row may go: external nodes, or a park link resolved per park.
Partner = Literal[
    "supplier",
    "market",
    "landfill",
    "recycler",
    "recovery",
    "b3_handler",
    "env.air",
    "grid",
    "water",
    "wastewater",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- parks.yaml ---------------------------------------------------------------------------
class RegionEntry(_Strict):
    """A province with its PP 20/2024 WPI (when plainly named) and its PLN grid node."""

    id: str
    name: str
    wpi: str | None = None
    grid: str | None = None


class Reported(_Strict):
    """A sourced count (e.g. tenants) with its year."""

    count: int = Field(ge=0)
    year: int
    source: str


class SourcedShare(_Strict):
    """A sourced share between 0 and 1 with its year."""

    value: float = Field(ge=0, le=1)
    year: int
    source: str


class Services(_Strict):
    """Sourced shared water services of a park; ``None`` means not reported."""

    shared_wwtp: bool | None = None
    on_site_wtp: bool | None = None


class NickelPlan(_Strict):
    """Which synthetic nickel tenants a park gets, and the sourced facts that size them."""

    rkef_tenants: int = Field(ge=1)
    rkef_lines: int | None = None
    rkef_lines_source: str | None = None
    rkef_design_capacity_t: float | None = None
    rkef_capacity_source: str | None = None
    hpal_tenants: int = Field(default=0, ge=0)
    matte_tenants: int = Field(default=0, ge=0)
    captive_coal_mw: float | None = None
    captive_coal_source: str | None = None

    @model_validator(mode="after")
    def _sized(self) -> NickelPlan:
        if self.rkef_lines is None and self.rkef_design_capacity_t is None:
            raise ValueError("give rkef_lines or rkef_design_capacity_t to size the RKEF tenants")
        return self


class ParkEntry(_Strict):
    """The sourced facts of one real park, plus how its synthetic tenants are drawn."""

    id: str
    name: str
    region: str
    regency: str | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    area_ha: float | None = Field(default=None, gt=0)
    operator: str | None = None
    established: int | None = None
    programmes: tuple[str, ...] = ()
    sources: tuple[str, ...]
    grid: str | None = None
    tenants_reported: Reported | None = None
    domestic_tenants_reported: Reported | None = None
    foreign_tenants_reported: Reported | None = None
    local_workforce_share: SourcedShare | None = None
    main_sectors: str
    sector_mix: dict[str, float] = Field(default_factory=dict)
    synthetic_tenants: tuple[int, int] | None = None
    coal_banned: bool = False
    services: Services = Services()
    nickel: NickelPlan | None = None
    notes: str

    @property
    def foreign_share(self) -> float | None:
        """Return the share of foreign-investment tenants derived from sourced counts."""
        domestic, foreign = self.domestic_tenants_reported, self.foreign_tenants_reported
        if domestic is not None and foreign is not None:
            return foreign.count / (domestic.count + foreign.count)
        if domestic is not None and self.tenants_reported is not None:
            return 1.0 - domestic.count / self.tenants_reported.count
        return None

    @model_validator(mode="after")
    def _tenants_defined(self) -> ParkEntry:
        if self.nickel is None and (self.synthetic_tenants is None or not self.sector_mix):
            raise ValueError(f"park {self.id}: give synthetic_tenants and sector_mix, or nickel")
        return self


class ParksDoc(_Strict):
    """The whole ``parks.yaml`` document."""

    version: str
    sources: dict[str, str]
    regions: tuple[RegionEntry, ...]
    parks: tuple[ParkEntry, ...]

    @model_validator(mode="after")
    def _references_resolve(self) -> ParksDoc:
        regions = {r.id for r in self.regions}
        for park in self.parks:
            if park.region not in regions:
                raise ValueError(f"park {park.id}: region {park.region!r} is not in regions")
            keys = [*park.sources, *_plan_sources(park.nickel)]
            missing = [k for k in keys if k not in self.sources]
            if missing:
                raise ValueError(f"park {park.id}: source keys {missing} are not in sources")
        return self

    def source_urls(self, park: ParkEntry) -> tuple[str, ...]:
        """Return the URLs behind a park's source keys, in order."""
        return tuple(self.sources[key] for key in park.sources)


def _plan_sources(plan: NickelPlan | None) -> list[str]:
    if plan is None:
        return []
    keys = (plan.rkef_lines_source, plan.rkef_capacity_source, plan.captive_coal_source)
    return [k for k in keys if k is not None]


# -- intensities.yaml ---------------------------------------------------------------------
class Intensity(_Strict):
    """One value with its unit, reference status (S/D/W/U) and provenance."""

    value: float = Field(ge=0)
    unit: str
    status: str
    year: int | None = None
    source: str | None = None
    low: float | None = None
    high: float | None = None
    illustrative: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _provenance(self) -> Intensity:
        tags = set(re.split(r"[/, ]+", self.status.strip()))
        if not tags <= _STATUS_TAGS:
            raise ValueError(f"status {self.status!r} must combine S, D, W and U")
        if "U" in tags and not self.illustrative:
            raise ValueError("a value tagged U (not found) must be illustrative: true")
        if not self.illustrative and (self.source is None or self.year is None):
            raise ValueError("give source and year, or mark the value illustrative: true")
        if self.low is not None and self.value < self.low:
            raise ValueError(f"value {self.value} is below low {self.low}")
        if self.high is not None and self.value > self.high:
            raise ValueError(f"value {self.value} is above high {self.high}")
        return self


class IntensitiesDoc(_Strict):
    """The whole ``intensities.yaml`` document."""

    version: str
    sources: dict[str, str]
    intensities: dict[str, Intensity]
    demo: dict[str, Intensity]

    @model_validator(mode="after")
    def _sources_resolve(self) -> IntensitiesDoc:
        for key, item in {**self.intensities, **self.demo}.items():
            if item.source is not None and item.source not in self.sources:
                raise ValueError(f"{key}: source {item.source!r} is not in sources")
        return self

    def value(self, key: str) -> float:
        """Return the value of an intensity or demo choice by its key."""
        item = self.intensities.get(key) or self.demo.get(key)
        if item is None:
            raise ReferenceDataError(
                f"sinergi/demo/intensities.yaml has no entry {key!r}; add it with its source"
            )
        return item.value

    def evidence(self, *keys: str) -> str:
        """Return a short provenance note naming the entries a flow was computed from."""
        return "demo intensities.yaml: " + ", ".join(keys)


# -- sectors.yaml -------------------------------------------------------------------------
class FlowRow(_Strict):
    """One input (``from``) or output (``to``) of an archetype, per tonne of its product."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    commodity: str
    per_t: float = Field(ge=0)
    source: Partner | None = Field(default=None, alias="from")
    to: Partner | None = None

    @model_validator(mode="after")
    def _one_direction(self) -> FlowRow:
        if (self.source is None) == (self.to is None):
            raise ValueError(f"flow row {self.commodity}: give exactly one of from / to")
        return self

    @property
    def is_input(self) -> bool:
        """Return whether the row is an input to the tenant's process."""
        return self.source is not None

    @property
    def partner(self) -> Partner:
        """Return the node (or park link) at the other end of the flow."""
        partner = self.source or self.to
        if partner is None:
            raise ReferenceDataError(f"flow row {self.commodity}: give one of from / to")
        return partner


class LogNormal(_Strict):
    """A lognormal spread given by its median and sigma (of the log)."""

    median: float = Field(gt=0)
    sigma: float = Field(ge=0)


class ShareRange(_Strict):
    """A uniform range of shares."""

    low: float = Field(ge=0, le=1)
    high: float = Field(ge=0, le=1)


class Sector(_Strict):
    """A synthetic tenant archetype: KBLI codes, product, size and flows per tonne."""

    id: str
    name_en: str
    word_id: str
    isic: str
    kbli: tuple[str, ...]
    product: str
    output_t: LogNormal
    workers_per_kt: float = Field(gt=0)
    female_share: float = Field(ge=0, le=1)
    flows: tuple[FlowRow, ...]


class TenantKind(_Strict):
    """KBLI codes and headcount of a synthetic nickel-park tenant or park utility."""

    name_en: str
    word_id: str
    isic: str
    kbli: tuple[str, ...]
    workers: int = Field(gt=0)
    female_share: float = Field(ge=0, le=1)


class Utility(TenantKind):
    """The park utility standing for a sourced WTP or central WWTP."""

    wtp_electricity_mwh_per_m3: float = Field(ge=0)
    wwtp_electricity_mwh_per_m3: float = Field(ge=0)
    wwtp_sludge_t_per_m3: float = Field(ge=0)


class RecordParams(_Strict):
    """Illustrative parameters of synthetic workforce, safety, training and procurement."""

    size_by_workers: dict[Literal["small", "medium", "large"], int]
    hours_per_worker: float = Field(gt=0)
    lost_time_injuries_per_million_hours: float = Field(ge=0)
    fatalities_per_million_hours: float = Field(ge=0)
    local_share: ShareRange
    training_participation: ShareRange
    training_hours_per_participant: float = Field(ge=0)
    procurement_idr_per_t_output: float = Field(ge=0)
    procurement_local_share: ShareRange
    procurement_sme_share_of_local: ShareRange


class SyntheticParks(_Strict):
    """Illustrative parameters of the national synthesiser's parks."""

    area_ha: LogNormal
    sectors_per_park: int = Field(ge=1)
    company_size_sigma: float = Field(ge=0)


class SectorsDoc(_Strict):
    """The whole ``sectors.yaml`` document (all magnitudes illustrative)."""

    version: str
    illustrative: Literal[True]
    kbli_verified: bool
    flow_noise_sigma: float = Field(ge=0)
    sectors: tuple[Sector, ...]
    nickel_tenants: dict[str, TenantKind]
    utility: Utility
    records: RecordParams
    synthetic_parks: SyntheticParks

    def sector(self, sector_id: str) -> Sector:
        """Return the archetype with ``sector_id``."""
        for sector in self.sectors:
            if sector.id == sector_id:
                return sector
        raise ReferenceDataError(
            f"sinergi/demo/sectors.yaml has no sector {sector_id!r}; "
            f"use one of {[s.id for s in self.sectors]}"
        )


# -- loading ------------------------------------------------------------------------------
_Doc = TypeVar("_Doc", bound=BaseModel)


def _load(name: str, model: type[_Doc]) -> _Doc:
    text = resources.files("sinergi.demo").joinpath(name).read_text("utf-8")
    raw: Any = yaml.safe_load(text)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ReferenceDataError(f"sinergi/demo/{name} is malformed; fix it:\n{exc}") from exc


@cache
def load_parks() -> ParksDoc:
    """Return the validated park facts of ``parks.yaml`` (loaded once)."""
    doc = _load("parks.yaml", ParksDoc)
    sectors = {s.id for s in load_sectors().sectors}
    for park in doc.parks:
        unknown = set(park.sector_mix) - sectors
        if unknown:
            raise ReferenceDataError(
                f"sinergi/demo/parks.yaml: park {park.id} names unknown sectors {sorted(unknown)}"
            )
    return doc


@cache
def load_intensities() -> IntensitiesDoc:
    """Return the validated nickel-route intensities of ``intensities.yaml`` (loaded once)."""
    return _load("intensities.yaml", IntensitiesDoc)


@cache
def load_sectors() -> SectorsDoc:
    """Return the validated tenant archetypes of ``sectors.yaml`` (loaded once).

    Raises
    ------
    ReferenceDataError
        If a file is malformed or an archetype names a commodity missing from the catalogue.
    """
    doc = _load("sectors.yaml", SectorsDoc)
    catalogue = default_catalogue()
    for sector in doc.sectors:
        names = [sector.product, *(row.commodity for row in sector.flows)]
        unknown = [c for c in names if c not in catalogue]
        if unknown:
            raise ReferenceDataError(
                f"sinergi/demo/sectors.yaml: sector {sector.id} uses commodities {unknown} "
                f"that are not in catalogue {catalogue.version}"
            )
    return doc
