"""Battery carbon-footprint declaration in the frame of Regulation (EU) 2023/1542, Art. 7.

The functional unit is 1 kWh of total energy provided over the expected service life
(Battery Pass Carbon Footprint Rules 2023; DIN DKE SPEC 99100): the pack's cradle-to-gate
footprint per kWh of capacity divided by the full equivalent cycles of its life. Results are
reported by the regulation's four life-cycle stages, keyed like the Battery Pass data model
v1.2.0's ``carbonFootprintPerLifecycleStage``. Stages sinergi does not model (distribution, end
of life and recycling) are ``None``, never 0, and the declaration says it is incomplete; when
exchanges of the modelled stages are missing too, the top-level figure is a lower bound and is
flagged as one (:attr:`BatteryDeclaration.lower_bound`).

Examples
--------
>>> d = declare("NMC811", nickel_route="hpal")
>>> d.per_kwh_lifetime is not None and d.per_kwh_lifetime > 0
True
>>> d.stages["Distribution"] is None, d.stages["MainProduction"] is None
(True, False)
>>> d.to_passport()["lowerBound"], d.to_passport()["secondaryDataShare"]
(True, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sinergi.errors import UnknownName
from sinergi.footprint.network import Settings
from sinergi.footprint.results import DECIDED_SHARE_MEANS, PRIMARY_SHARE_MEANS, FootprintResult
from sinergi.footprint.scenarios import FootprintModel
from sinergi.footprint.schema import Text
from sinergi.i18n import N_, gettext
from sinergi.reference import Provenance, describe

#: The regulation's stages, as Battery Pass ``lifecycleStage`` values, in order.
LIFECYCLE_STAGES = ("RawMaterialExtraction", "MainProduction", "Distribution", "Recycling")
#: The declaration's unit (the regulation's functional unit).
DECLARATION_UNIT = N_("kg CO2e per kWh of total energy over the service life")
#: kg per t.
_KG_PER_T = 1000.0


@dataclass(frozen=True)
class BatteryDeclaration:
    """A battery carbon-footprint declaration and the footprint it came from.

    Attributes
    ----------
    per_kwh_lifetime
        kg CO2e per kWh of energy over the service life, summed over the stages that have
        modelled emissions; ``None`` when no stage has any.
    per_kwh_capacity
        kg CO2e per kWh of rated capacity, cradle to gate (``None`` likewise).
    stages
        kg CO2e per kWh of lifetime energy by regulation stage; ``None`` = no modelled
        emission in that stage (not modelled, or every exchange of it is missing).
    cycles_provenance
        Where the cycle count comes from; ``None`` when the user gave it.
    """

    @property
    def lower_bound(self) -> bool:
        """Return whether exchanges are missing, so the per-kWh figures are lower bounds."""
        return not self.footprint.complete

    @property
    def complete(self) -> bool:
        """Return whether every stage is modelled and no exchange is missing."""
        return self.footprint.complete and all(v is not None for v in self.stages.values())

    @property
    def secondary_share(self) -> float:
        """Return the share of the figure resting on generic (secondary) data, not the plant's.

        It is one minus the primary share (:attr:`FootprintResult.primary_share`): the
        plant's own amounts count with their immediate suppliers' direct emissions only, so a
        cell plant's own kg of cathode per kWh does not turn the generic cathode chain behind
        it into primary data.
        """
        return 1.0 - self.footprint.primary_share

    def cycles_source(self, lang: str = "en") -> str:
        """Return where the cycle count comes from, in ``lang``."""
        if self.cycles_provenance is None:
            return gettext(lang, "given by the user (--cycles)")
        return describe(self.cycles_provenance, lang)

    chemistry: str
    nickel_route: str | None
    scenario: str | None
    cycles: float
    cycles_provenance: Provenance | None
    capacity_kwh: float | None
    per_kwh_capacity: float | None
    per_kwh_lifetime: float | None
    stages: dict[str, float | None]
    footprint: FootprintResult
    assumptions: tuple[Text, ...] = ()

    def to_passport(self, lang: str = "en") -> dict[str, Any]:
        """Return JSON whose top-level names follow Battery Pass v1.2.0 carbon-footprint fields.

        ``batteryCarbonFootprint``, ``carbonFootprintPerLifecycleStage`` (``lifecycleStage``,
        ``carbonFootprint``), ``absoluteCarbonFootprint``, ``carbonFootprintPerformanceClass``
        and ``carbonFootprintStudy`` are the data model's names (Battery Pass data model
        v1.2.0); everything under ``sinergi`` is ours (the data model has no names for it),
        among them ``batteryCarbonFootprintIsLowerBound``.
        """
        absolute = (
            None
            if self.capacity_kwh is None or self.per_kwh_capacity is None
            else self.per_kwh_capacity * self.capacity_kwh
        )
        f = self.footprint
        return {
            "batteryCarbonFootprint": self.per_kwh_lifetime,
            # not Battery Pass names: what a reader of the top figure must see next to it
            "complete": self.complete,
            "lowerBound": self.lower_bound,
            "secondaryDataShare": self.secondary_share,
            "assumptions": [a.in_(lang) for a in self.assumptions],
            "carbonFootprintPerLifecycleStage": [
                {"lifecycleStage": s, "carbonFootprint": self.stages[s]} for s in LIFECYCLE_STAGES
            ],
            "absoluteCarbonFootprint": absolute,
            "carbonFootprintPerformanceClass": None,
            "carbonFootprintStudy": None,
            "sinergi": {
                "unit": gettext(lang, DECLARATION_UNIT),
                "batteryCarbonFootprintIsLowerBound": self.lower_bound,
                "regulation": "Regulation (EU) 2023/1542, Article 7 and Annex II",
                "chemistry": self.chemistry,
                "nickelRoute": self.nickel_route,
                "scenario": self.scenario,
                "method": f.method,
                "cycles": self.cycles,
                "cyclesSource": self.cycles_source(lang),
                "capacityKwh": self.capacity_kwh,
                "perKwhCapacity": self.per_kwh_capacity,
                "complete": self.complete,
                "notModelledStages": [s for s in LIFECYCLE_STAGES if self.stages[s] is None],
                "missingExchanges": {
                    p: [m.in_(lang) for m in items] for p, items in f.missing.items()
                },
                "primaryDataShare": f.primary_share,
                "primaryDataRule": gettext(lang, PRIMARY_SHARE_MEANS),
                "shareDecidedByPlantValues": f.plant_decided_share,
                "shareDecidedByPlantValuesRule": gettext(lang, DECIDED_SHARE_MEANS),
                "illustrativeShare": f.illustrative_share,
                "illustrativeInputs": f.illustrative_inputs,
                "illustrativeValues": f.illustrative_names(),
                "contributionsByStage": f.by_stage,
                "contributionsByProcess": f.by_process,
                "monteCarlo": f.monte_carlo,
                "performanceClassNote": "classes await the EU delegated act",
            },
        }


def _stage_totals(
    model: FootprintModel, result: FootprintResult, cycles: float
) -> dict[str, float | None]:
    mapping = model.inventory.doc.battery.stages
    out: dict[str, float | None] = dict.fromkeys(LIFECYCLE_STAGES)
    for stage, value in result.by_stage.items():
        if stage not in mapping:
            raise UnknownName(
                f"process stage {stage!r} has no EU life-cycle stage; add it "
                "under battery.stages in routes.yaml"
            )
        key = mapping[stage]
        out[key] = (out[key] or 0.0) + value * _KG_PER_T / cycles
    return out


def declare(
    chemistry: str,
    *,
    nickel_route: str | None = None,
    scenario: str | None = None,
    cycles: float | None = None,
    capacity_kwh: float | None = None,
    power_mix: dict[str, float] | None = None,
    model: FootprintModel | None = None,
    plant: Settings | None = None,
) -> BatteryDeclaration:
    """Compute a pack's carbon-footprint declaration per kWh of lifetime energy.

    Parameters
    ----------
    chemistry
        ``NMC811``, ``NMC622`` or ``LFP``.
    nickel_route
        A nickel route of the inventory (``hpal``, ``rkef-matte``); ignored for LFP.
    scenario
        A named scenario (e.g. ``captive-coal-to-solar``).
    cycles
        Full equivalent cycles over the service life; the data file's default otherwise.
    capacity_kwh
        Rated energy of one pack, for ``absoluteCarbonFootprint``.
    power_mix
        ``{power product: share}`` for every electricity-using process.
    model
        A model to reuse (its kept factorisations); a new one on the shipped data otherwise.
    plant
        The plant's own data (:func:`sinergi.footprint.plant.read_plant_data` as
        ``Settings(plant=...)``); it lowers the declaration's share of secondary data.
    """
    model = model or FootprintModel()
    spec = model.inventory.doc.battery
    key = chemistry.upper()
    if key not in spec.chemistries:
        raise UnknownName(
            f"unknown chemistry {chemistry!r}; choose one of {', '.join(sorted(spec.chemistries))}"
        )
    n_cycles = float(spec.cycles.value or 0.0) if cycles is None else float(cycles)
    if n_cycles <= 0:
        raise UnknownName(f"cycles must be positive, got {n_cycles:g}")
    overrides = Settings(mixes={"*": power_mix}) if power_mix else None
    if plant is not None:
        overrides = plant if overrides is None else plant.merged(overrides)
    result = model.footprint(
        spec.chemistries[key]["pack"], route=nickel_route, scenario=scenario, overrides=overrides
    )
    stages = _stage_totals(model, result, n_cycles)
    known = [v for v in stages.values() if v is not None]
    lifetime = sum(known) if known else None
    return BatteryDeclaration(
        chemistry=key,
        nickel_route=nickel_route,
        scenario=scenario,
        cycles=n_cycles,
        cycles_provenance=None if cycles is not None else spec.cycles.provenance(),
        capacity_kwh=capacity_kwh,
        per_kwh_capacity=None if lifetime is None else lifetime * n_cycles,
        per_kwh_lifetime=lifetime,
        stages=stages,
        footprint=result,
        assumptions=tuple(spec.assumptions),
    )
