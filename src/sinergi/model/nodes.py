"""Nodes of the flow network: region ⊃ park ⊃ company ⊃ facility ⊃ process, and external nodes.

Ids are short stable strings chosen by the data owner (e.g. ``iwip``,
``iwip.weda-nickel``). Every node knows its parent id; the network checks that parents
exist. Quantities that are not known are ``None``, never zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class LandUse(StrEnum):
    """Land-use categories of an industrial estate (Permenperin 26/2025 element 1.1)."""

    INDUSTRIAL_PLOTS = "industrial_plots"
    GREEN_OPEN_SPACE = "green_open_space"
    ROADS_AND_DRAINS = "roads_and_drains"
    UTILITIES = "utilities"
    OTHER = "other"


class CompanySize(StrEnum):
    """Enterprise size class (UMKM law categories plus large)."""

    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class Ownership(StrEnum):
    """Investment status of a company (PMDN domestic, PMA foreign, state-owned)."""

    DOMESTIC = "domestic"
    FOREIGN = "foreign"
    STATE = "state"
    JOINT_VENTURE = "joint_venture"


class SmelterRoute(StrEnum):
    """Nickel processing route of a smelter."""

    RKEF_NPI = "rkef_npi"
    RKEF_FENI = "rkef_feni"
    HPAL = "hpal"
    MATTE_CONVERTER = "matte_converter"
    NICKEL_SULFATE = "nickel_sulfate"
    PRECURSOR = "precursor"
    CATHODE = "cathode"


class PowerSource(StrEnum):
    """Where a facility's electricity comes from."""

    GRID = "grid"
    CAPTIVE_COAL = "captive_coal"
    HYDRO = "hydro"
    SOLAR = "solar"
    MIXED = "mixed"


class ExternalKind(StrEnum):
    """Nodes outside the parks: markets, suppliers, grids, the environment and waste fates.

    A solid-waste flow's fate is read from its target: ``landfill``, ``open_dump``,
    ``recycler``, ``recovery`` (energy recovery, co-processing) or ``waste_handler``
    (a licensed B3 collector or treater); a flow to another company is reuse.
    """

    MARKET = "market"
    SUPPLIER = "supplier"
    GRID = "grid"
    AIR = "air"
    WATER = "water"
    LAND = "land"
    LANDFILL = "landfill"
    OPEN_DUMP = "open_dump"
    RECYCLER = "recycler"
    RECOVERY = "recovery"
    WASTE_HANDLER = "waste_handler"


@dataclass(slots=True)
class Region:
    """A province-level region; ``wpi`` is the PP 20/2024 industrial development area."""

    id: str
    name: str
    wpi: str | None = None


@dataclass(slots=True)
class Park:
    """An industrial estate (kawasan industri).

    ``land_use_ha`` holds only the categories that were reported; a missing key means
    unknown, not zero. ``sources`` lists the references behind the sourced facts;
    ``synthetic`` marks a park invented for demonstrations.
    """

    id: str
    name: str
    region_id: str
    regency: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    coordinates_approximate: bool = True
    area_ha: float | None = None
    operator: str | None = None
    established: int | None = None
    programmes: tuple[str, ...] = ()
    land_use_ha: dict[LandUse, float] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    synthetic: bool = False
    notes: str | None = None


@dataclass(slots=True)
class Smelter:
    """Smelter facts of a company: route, design capacity and power source.

    ``design_capacity_t`` is tonnes of product per year on ``capacity_basis``
    (``"t Ni"`` contained nickel, or ``"t product"``).
    """

    route: SmelterRoute
    design_capacity_t: float | None = None
    capacity_basis: str = "t Ni"
    power_source: PowerSource = PowerSource.GRID
    grid_region: str | None = None


@dataclass(slots=True)
class Company:
    """A tenant company of a park; ``kbli`` holds KBLI 2020 five-digit codes."""

    id: str
    park_id: str
    name: str
    kbli: tuple[str, ...] = ()
    size: CompanySize | None = None
    ownership: Ownership | None = None
    smelter: Smelter | None = None
    synthetic: bool = False


@dataclass(slots=True)
class Facility:
    """A site or plant of a company."""

    id: str
    company_id: str
    name: str


@dataclass(slots=True)
class Process:
    """A unit process inside a facility; ``route`` names a reference inventory, if any."""

    id: str
    facility_id: str
    name: str
    route: str | None = None


@dataclass(slots=True)
class ExternalNode:
    """A node outside the parks; ``region_id`` scopes grids and markets when known."""

    id: str
    kind: ExternalKind
    name: str
    region_id: str | None = None
