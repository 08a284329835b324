"""One national standard swap pack vs brand-proprietary packs: packs, cells and metals avoided.

With one standard pack every station holds one pooled stock of charged packs; with
proprietary packs each brand keeps its own cabinet at every station, sized for its own
riders, and small pools need more spare packs for the same waiting time. The station sizing
itself is the swap-station engine's (:mod:`sinergi.circularity.swapping`); the CLI and report
layer run it for both cases and pass the packs per station here, with the fleet from the
pack-forecast engine and the metal content per kWh from the recycling data, so this engine
imports neither.

Packs in circulation = swap vehicles × packs per vehicle + stations × station packs. Sharing
changes only the station packs; what it avoids is the difference, in packs, cells, kWh and
kg of each metal.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any, Literal

from pydantic import Field, model_validator

from sinergi.emobility.data_files import InputKey, Strict, load_model, read_yaml
from sinergi.errors import PackSharingError
from sinergi.i18n import N_
from sinergi.reference import Provenance, Sourced, SourcedShare

__all__ = [
    "PackCount",
    "PackReference",
    "PackSharing",
    "PackStandard",
    "VoltageClass",
    "compare_pack_standards",
    "pack_reference",
]


class PackStandard(StrEnum):
    """The scenario toggle: one national standard pack, or one pack per brand."""

    SHARED = "shared"
    PROPRIETARY = "proprietary"


class SniStandard(Provenance):
    """An Indonesian battery standard: its id, title and whether its content was read."""

    id: str
    title_en: str
    title_id: str
    mandatory: bool | None = None
    content_read: bool

    def title(self, lang: str) -> str:
        """Return the title in ``lang``."""
        return self.title_id if lang == "id" else self.title_en


class VoltageClass(Provenance):
    """A swap-pack class of SNI 8928:2020 as reported (the standard was not read)."""

    id: str
    label_en: str
    label_id: str
    stage: Literal["reported", "draft"]
    nominal_voltage_v: float = Field(gt=0)
    capacity_ah: float = Field(gt=0)
    energy_kwh: float = Field(gt=0)

    @model_validator(mode="after")
    def _energy_is_volts_times_amp_hours(self) -> VoltageClass:
        if abs(self.nominal_voltage_v * self.capacity_ah / 1000 - self.energy_kwh) > 1e-9:
            msg = f"{self.id}: energy_kwh must equal volts × amp-hours / 1000"
            raise ValueError(msg)
        return self

    def label(self, lang: str) -> str:
        """Return the class's label in ``lang``."""
        return self.label_id if lang == "id" else self.label_en


class PackReference(Strict):
    """The whole ``packs.yaml``."""

    version: int
    standards: list[SniStandard]
    voltage_classes: list[VoltageClass] = Field(min_length=1)
    default_class: str
    swap_share: SourcedShare
    vehicles_per_station: Sourced
    packs_per_vehicle: Sourced
    cell_wh: Sourced

    @model_validator(mode="after")
    def _default_exists(self) -> PackReference:
        self.voltage_class(self.default_class)
        return self

    def voltage_class(self, class_id: str | None = None) -> VoltageClass:
        """Return the class ``class_id`` (the default class when ``None``).

        Raises
        ------
        PackSharingError
            Naming the classes there are.
        """
        wanted = class_id or self.default_class
        for voltage_class in self.voltage_classes:
            if voltage_class.id == wanted:
                return voltage_class
        known = ", ".join(c.id for c in self.voltage_classes)
        msg = f"unknown pack class {wanted!r}; choose one of {known}"
        raise PackSharingError(msg)


@cache
def pack_reference() -> PackReference:
    """Return the shipped standards and pack data, validated once."""
    doc: Any = read_yaml("packs.yaml")
    return load_model(PackReference, doc, "data/emobility/packs.yaml")


@dataclass(frozen=True, slots=True)
class PackCount:
    """Packs in circulation under one standard, and the cells, energy and metals in them."""

    vehicle_packs: float
    station_packs: float
    cells_per_pack: int
    pack_kwh: float
    metal_kg_per_kwh: Mapping[str, float]

    @property
    def packs(self) -> float:
        """Return all packs: on vehicles and in stations."""
        return self.vehicle_packs + self.station_packs

    @property
    def cells(self) -> float:
        """Return the cells in all packs."""
        return self.packs * self.cells_per_pack

    @property
    def kwh(self) -> float:
        """Return the energy capacity of all packs (kWh)."""
        return self.packs * self.pack_kwh

    @property
    def metals_kg(self) -> dict[str, float]:
        """Return kg of each metal in all packs."""
        return {element: self.kwh * kg for element, kg in self.metal_kg_per_kwh.items()}


@dataclass(frozen=True, slots=True)
class PackSharing:
    """Both standards side by side, the chosen one, and what sharing avoids."""

    year: int
    standard: PackStandard
    voltage_class: VoltageClass
    swap_vehicles: float
    stations: int
    shared: PackCount
    proprietary: PackCount
    inputs: dict[InputKey, Provenance] = field(repr=False)

    @property
    def chosen(self) -> PackCount:
        """Return the counts of the chosen standard."""
        return self.shared if self.standard is PackStandard.SHARED else self.proprietary

    @property
    def packs_avoided(self) -> float:
        """Return the packs one standard pack avoids (proprietary minus shared)."""
        return self.proprietary.packs - self.shared.packs

    @property
    def cells_avoided(self) -> float:
        """Return the cells avoided by sharing."""
        return self.proprietary.cells - self.shared.cells

    @property
    def kwh_avoided(self) -> float:
        """Return the kWh of packs avoided by sharing."""
        return self.proprietary.kwh - self.shared.kwh

    @property
    def metals_avoided_kg(self) -> dict[str, float]:
        """Return kg of each metal avoided by sharing."""
        shared = self.shared.metals_kg
        return {el: kg - shared[el] for el, kg in self.proprietary.metals_kg.items()}


def _check_counts(vehicles: float, stations: int, shared: int, proprietary: int) -> None:
    if not vehicles >= 0 or stations < 1:
        msg = f"need swap vehicles >= 0 and at least one station, got {vehicles}, {stations}"
        raise PackSharingError(msg)
    if not 0 <= shared <= proprietary:
        msg = (
            f"station packs: shared {shared} must be >= 0 and no more than proprietary "
            f"{proprietary} (pooling never needs more packs)"
        )
        raise PackSharingError(msg)


def compare_pack_standards(
    *,
    year: int,
    standard: PackStandard,
    swap_vehicles: float,
    stations: int,
    station_packs_shared: int,
    station_packs_proprietary: int,
    metal_kg_per_kwh: Mapping[str, float],
    voltage_class: VoltageClass | None = None,
    reference: PackReference | None = None,
    inputs: Mapping[InputKey, Provenance] | None = None,
) -> PackSharing:
    """Count packs, cells, kWh and metals under both standards for one year's swap fleet.

    ``station_packs_*`` are packs per station from the swap-station sizing; ``inputs`` are the
    caller's numbers (fleet, sizing parameters) to list with this engine's own.

    Raises
    ------
    PackSharingError
        When a count is negative, there are no stations, or sharing would need more packs
        than proprietary cabinets (the sizing inputs are swapped).
    """
    ref = reference or pack_reference()
    pack = voltage_class or ref.voltage_class()
    _check_counts(swap_vehicles, stations, station_packs_shared, station_packs_proprietary)
    bad = {k: v for k, v in metal_kg_per_kwh.items() if not 0 <= v < math.inf}
    if bad:
        raise PackSharingError(f"metal content per kWh must be finite and >= 0, got {bad}")
    cells = math.ceil(pack.energy_kwh * 1000 / ref.cell_wh.value)
    vehicle_packs = swap_vehicles * ref.packs_per_vehicle.value

    def count(per_station: int) -> PackCount:
        return PackCount(
            vehicle_packs, stations * per_station, cells, pack.energy_kwh, dict(metal_kg_per_kwh)
        )

    own: dict[InputKey, Provenance] = {
        (N_("swap pack class"), pack.id): pack,
        (N_("packs per swap vehicle"), ""): ref.packs_per_vehicle,
        (N_("energy per cell"), ""): ref.cell_wh,
    }
    return PackSharing(
        year,
        standard,
        pack,
        swap_vehicles,
        stations,
        count(station_packs_shared),
        count(station_packs_proprietary),
        {**own, **(inputs or {})},
    )
