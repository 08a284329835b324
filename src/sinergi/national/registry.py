"""The smelter registry: smelters, their captive power units and their production by year.

A :class:`Registry` is plain, validated data: what each smelter is (company and group, park,
province, coordinates, route, capacity, status, licence, certifications), the power units that
serve it (columns compatible with the GEM Global Coal Plant Tracker, so a user can join its
units by ``gem_unit_id``) and what it produced in a year. Every row says where it comes from:
a ``source`` (and ``year``), or ``synthetic: true`` for the generated national set.

Missing data is ``None``, never zero: a smelter with no power unit and no grid connection has
*no power data*, and the accounts report it as such instead of counting its power as zero.

Units: capacities in tonnes of product a year (``t/yr``); nickel content as a share of the
product mass; power in MW; production in tonnes of product and tonnes of contained nickel.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from sinergi.errors import RegistryError
from sinergi.i18n import N_
from sinergi.i18n.messages import msg

__all__ = [
    "CARRIERS",
    "FUEL_LABELS",
    "INTERMEDIATE_ROUTES",
    "PRIMARY_ROUTES",
    "ROUTE_LABELS",
    "STATUS_LABELS",
    "Certifications",
    "Fuel",
    "Licence",
    "PowerUnit",
    "Production",
    "Registry",
    "Route",
    "Smelter",
    "Status",
]


class Route(StrEnum):
    """The process route of a smelter line (what it makes and how)."""

    RKEF_NPI = "rkef_npi"
    RKEF_FENI = "rkef_feni"
    CONVERTER_MATTE = "converter_matte"
    HPAL_MHP = "hpal_mhp"
    REFINERY_NISO4 = "refinery_niso4"
    PCAM = "pcam"
    CAM = "cam"
    CELLS = "cells"
    RECYCLING = "recycling"


#: Routes whose product is only an intermediate (PP 28/2025 Lampiran I.F.3534 bars new
#: smelters that make only NPI, ferronickel or matte).
INTERMEDIATE_ROUTES = frozenset({Route.RKEF_NPI, Route.RKEF_FENI, Route.CONVERTER_MATTE})

#: Routes that make primary nickel from ore; the others refine or use it (their nickel is
#: counted apart, so national primary nickel is not counted twice).
PRIMARY_ROUTES = frozenset({Route.RKEF_NPI, Route.RKEF_FENI, Route.CONVERTER_MATTE, Route.HPAL_MHP})

ROUTE_LABELS: dict[Route, str] = {
    Route.RKEF_NPI: N_("RKEF to nickel pig iron"),
    Route.RKEF_FENI: N_("RKEF to ferronickel"),
    Route.CONVERTER_MATTE: N_("converter to nickel matte"),
    Route.HPAL_MHP: N_("HPAL to MHP"),
    Route.REFINERY_NISO4: N_("refinery to nickel sulfate"),
    Route.PCAM: N_("precursor (pCAM)"),
    Route.CAM: N_("cathode active material (CAM)"),
    Route.CELLS: N_("battery cells"),
    Route.RECYCLING: N_("battery recycling"),
}


class Status(StrEnum):
    """Where a smelter or power unit stands."""

    OPERATING = "operating"
    CONSTRUCTION = "construction"
    PLANNED = "planned"
    FEASIBILITY = "feasibility"
    RETIRED = "retired"
    CANCELLED = "cancelled"


STATUS_LABELS: dict[Status, str] = {
    Status.OPERATING: N_("operating"),
    Status.CONSTRUCTION: N_("under construction"),
    Status.PLANNED: N_("planned"),
    Status.FEASIBILITY: N_("feasibility study"),
    Status.RETIRED: N_("retired"),
    Status.CANCELLED: N_("cancelled"),
}


class Licence(StrEnum):
    """Who licenses the smelter: IUI (Kemenperin, stand-alone) or IUP (ESDM, mine-integrated)."""

    IUI = "iui"
    IUP = "iup"


class Fuel(StrEnum):
    """What a power source burns or harvests; ``grid`` is a PLN connection."""

    COAL = "coal"
    GAS = "gas"
    OIL = "oil"
    HYDRO = "hydro"
    SOLAR = "solar"
    WIND = "wind"
    GEOTHERMAL = "geothermal"
    BIOMASS = "biomass"
    GRID = "grid"


FUEL_LABELS: dict[Fuel, str] = {
    Fuel.COAL: N_("coal"),
    Fuel.GAS: N_("gas"),
    Fuel.OIL: N_("oil"),
    Fuel.HYDRO: N_("hydropower"),
    Fuel.SOLAR: N_("solar"),
    Fuel.WIND: N_("wind"),
    Fuel.GEOTHERMAL: N_("geothermal"),
    Fuel.BIOMASS: N_("biomass"),
    Fuel.GRID: N_("PLN grid"),
}


@dataclass(frozen=True, slots=True)
class Certifications:
    """Certificates a smelter holds; ``None`` = not reported (not the same as "no")."""

    sih: bool | None = None
    irma: str | None = None
    iso14001: bool | None = None


@dataclass(frozen=True, slots=True)
class Smelter:
    """One smelter (or smelter line) with what the registry knows about it.

    ``capacity_ni_t`` is the capacity in t Ni a year where a source states it so;
    ``ni_share`` is the nickel content of the product (t Ni per t product); ``grid_mw`` the
    contracted PLN capacity and ``grid_region`` the grid it draws from (an emission-factor key
    such as ``grid.sulselbar``). ``slag_utilised`` and ``faba_utilised`` are the shares of the
    smelter's slag (or tailings) and fly/bottom ash put to use, when reported.
    """

    id: str
    name: str
    route: Route
    status: Status
    province: str | None = None
    company: str | None = None
    group: str | None = None
    park: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    licence: Licence | None = None
    commissioning_year: int | None = None
    capacity_input_t: float | None = None
    capacity_output_t: float | None = None
    capacity_ni_t: float | None = None
    ni_share: float | None = None
    grid_mw: float | None = None
    grid_region: str | None = None
    slag_utilised: float | None = None
    faba_utilised: float | None = None
    certifications: Certifications = field(default_factory=Certifications)
    source: str | None = None
    year: int | None = None
    synthetic: bool = False


@dataclass(frozen=True, slots=True)
class PowerUnit:
    """A captive power unit, in the GEM Global Coal Plant Tracker's terms.

    ``smelter`` is the smelter it serves; ``park`` a park whose smelters share it (in
    proportion to their electricity demand) when no single smelter is named.
    """

    id: str
    fuel: Fuel
    capacity_mw: float
    status: Status
    smelter: str | None = None
    park: str | None = None
    plant_name: str | None = None
    unit_name: str | None = None
    owner: str | None = None
    parent: str | None = None
    province: str | None = None
    start_year: int | None = None
    retired_year: int | None = None
    gem_unit_id: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    source: str | None = None
    year: int | None = None
    synthetic: bool = False

    def running(self, year: int) -> bool:
        """Return whether the unit runs in ``year`` (operating, started and not retired)."""
        if self.status is Status.CANCELLED:
            return False
        if self.status is Status.RETIRED and self.retired_year is None:
            return False
        started = self.start_year is None or self.start_year <= year
        if self.status is not Status.OPERATING and self.start_year is None:
            return False
        return started and (self.retired_year is None or year < self.retired_year)


#: Energy carriers and water a smelter may report for a year, beside its electricity: fuels
#: burnt in its own process (kilns, dryers, reductant, boilers; not in the power units listed
#: as its captive units, whose electricity is counted by source), steam received, water
#: withdrawn. Keys are the ``Production`` fields; energy in GJ (net calorific value).
CARRIERS: dict[str, str] = {
    "coal_gj": N_("coal and coke burnt in the process (GJ)"),
    "gas_gj": N_("natural gas burnt in the process (GJ)"),
    "oil_gj": N_("diesel and heavy fuel oil burnt in the process (GJ)"),
    "steam_gj": N_("steam received (GJ)"),
    "water_m3": N_("water withdrawn (m³)"),
}


@dataclass(frozen=True, slots=True)
class Production:
    """A smelter's record for a year: what it produced, its capacity, its fuels and water.

    ``product_t`` and ``ni_t`` are what it produced (tonnes of product, tonnes of contained
    nickel); ``capacity_output_t`` and ``capacity_ni_t`` its capacity that year (t product a
    year, t Ni a year), which the accounts use when no production is given. The carrier
    fields (:data:`CARRIERS`) are reported quantities; ``None`` = not reported, never zero.
    """

    smelter: str
    year: int
    product_t: float | None = None
    ni_t: float | None = None
    capacity_output_t: float | None = None
    capacity_ni_t: float | None = None
    coal_gj: float | None = None
    gas_gj: float | None = None
    oil_gj: float | None = None
    steam_gj: float | None = None
    water_m3: float | None = None
    source: str | None = None
    synthetic: bool = False

    @property
    def produced(self) -> bool:
        """Return whether the record gives production (product tonnes or t Ni)."""
        return self.product_t is not None or self.ni_t is not None


@dataclass(frozen=True)
class Registry:
    """Smelters, power units and production records, checked for consistency on creation.

    Raises
    ------
    RegistryError
        When ids repeat, a unit or production record names an unknown smelter or park, or a
        production record repeats a (smelter, year) pair.
    """

    smelters: tuple[Smelter, ...]
    units: tuple[PowerUnit, ...] = ()
    production: tuple[Production, ...] = ()

    def __post_init__(self) -> None:
        _unique((s.id for s in self.smelters), N_("smelter"))
        _unique((u.id for u in self.units), N_("power unit"))
        ids = {s.id for s in self.smelters}
        parks = {s.park for s in self.smelters if s.park}
        for unit in self.units:
            if unit.smelter is not None and unit.smelter not in ids:
                raise RegistryError(
                    msg(
                        N_("power unit {unit} serves smelter {smelter}, which is not listed"),
                        unit=f"'{unit.id}'",
                        smelter=f"'{unit.smelter}'",
                    )
                )
            if unit.smelter is None and unit.park not in parks:
                raise RegistryError(
                    msg(
                        N_(
                            "power unit {unit} names neither a listed smelter nor a park with "
                            "smelters; give its smelter or park"
                        ),
                        unit=f"'{unit.id}'",
                    )
                )
        _unique((f"{p.smelter}@{p.year}" for p in self.production), N_("production record"))
        for record in self.production:
            if record.smelter not in ids:
                raise RegistryError(
                    msg(
                        N_("production of {smelter} ({year}) names no listed smelter"),
                        smelter=f"'{record.smelter}'",
                        year=str(record.year),
                    )
                )

    def smelter(self, smelter_id: str) -> Smelter:
        """Return the smelter ``smelter_id``.

        Raises
        ------
        RegistryError
            When no smelter has that id.
        """
        for smelter in self.smelters:
            if smelter.id == smelter_id:
                return smelter
        raise RegistryError(
            msg(
                N_("no smelter {id} in the registry; 'sinergi smelters list' shows the ids"),
                id=f"'{smelter_id}'",
            )
        )

    def years(self) -> list[int]:
        """Return the years that hold production records, in order."""
        return sorted({p.year for p in self.production if p.produced})

    def capacity_ni(self, smelter_id: str, year: int) -> float | None:
        """Return the smelter's capacity in t Ni a year as recorded for ``year``.

        The record of ``year`` or, failing it, of the latest earlier year that states a
        capacity (capacity holds until a record changes it); in t Ni directly or as product
        tonnes x the smelter's nickel share. ``None`` when no record states one.
        """
        for record_year, capacity in self._capacities.get(smelter_id, ()):
            if record_year <= year:
                return capacity
        return None

    @cached_property
    def _capacities(self) -> dict[str, tuple[tuple[int, float], ...]]:
        """Return per smelter its (year, t Ni capacity) records, latest first (built once)."""
        shares = {s.id: s.ni_share for s in self.smelters}
        out: dict[str, list[tuple[int, float]]] = {}
        for record in self.production:
            capacity = record.capacity_ni_t
            share = shares.get(record.smelter)
            if capacity is None and record.capacity_output_t is not None and share is not None:
                capacity = record.capacity_output_t * share
            if capacity is not None:
                out.setdefault(record.smelter, []).append((record.year, capacity))
        return {k: tuple(sorted(v, reverse=True)) for k, v in out.items()}

    @property
    def synthetic(self) -> bool:
        """Return whether any row is synthetic (results must say so)."""
        return any(s.synthetic for s in self.smelters) or any(u.synthetic for u in self.units)


def _unique(ids: Iterable[str], what: str) -> None:
    """Refuse an id given twice; ``what`` is an ``N_``-marked name of the kind of row."""
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise RegistryError(
                msg(
                    N_("{what} id {id} appears twice; ids must be unique"),
                    what=msg(what),
                    id=f"'{item}'",
                )
            )
        seen.add(item)
