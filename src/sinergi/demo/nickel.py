"""Synthetic smelter tenants of the nickel parks (IWIP, IMIP) and their yearly flows.

Each nickel park gets synthetic RKEF smelters, HPAL and matte plants as its plan in
``parks.yaml`` says, a captive coal power station and a slag-block maker. Flows follow the
sourced per-route intensities of ``intensities.yaml`` (ore, electricity, slag, tailings, coal,
CO2, FABA); what the reference could not find (reductant coal, HPAL electricity, sulfur and
limestone use) is reported with ``quantity=None``. The production volume of every synthetic
smelter is illustrative: IMIP's RKEF output is its sourced design capacity times national
utilisation, IWIP's is its sourced number of RKEF lines times national output per line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sinergi.demo.reference import IntensitiesDoc, NickelPlan, ParkEntry, SectorsDoc, TenantKind
from sinergi.demo.tenants import SYNTHETIC, NewCompany, Roster, add_company, size_class
from sinergi.model import Ecosystem, Flow, Period, PowerSource, Smelter, SmelterRoute

#: Gigajoules per megawatt-hour (definition).
_GJ_PER_MWH = 3.6
#: Output placeholder for tenants whose size is not a tonnage drawn up front: no procurement.
_NO_TONNAGE = float("nan")


@dataclass
class _Park:
    """What the tenants of one nickel park share while their flows are built."""

    eco: Ecosystem
    entry: ParkEntry
    plan: NickelPlan
    values: IntensitiesDoc
    sectors: SectorsDoc
    rng: np.random.Generator
    period: Period
    roster: Roster
    power: str = ""
    bricks: str = ""
    deliveries: dict[str, float | None] = field(default_factory=dict)
    slag_to_bricks: float = 0.0

    def flow(
        self, source: str, target: str, commodity: str, quantity: float | None, *keys: str
    ) -> None:
        """Append one synthetic flow whose evidence names the intensities it came from."""
        evidence = self.values.evidence(*keys) if keys else "demo: not found in reference (U)"
        self.eco.flows.append(
            Flow(self.period, source, target, commodity, quantity, SYNTHETIC, evidence)
        )

    def company(
        self, kind_id: str, number: int, smelter: Smelter | None, output_t: float, route: str
    ) -> str:
        """Add a synthetic tenant of ``kind_id`` and return its process id."""
        kind: TenantKind = self.sectors.nickel_tenants[kind_id]
        spread = self.values.value("production.spread")
        workers = max(1, round(kind.workers * float(self.rng.lognormal(0.0, spread))))
        company_id = f"{self.entry.id}.{kind_id.replace('_', '-')}-{number:02d}"
        name = f"PT Contoh {kind.word_id} {self.entry.id.upper()} {number:02d} (synthetic)"
        process = add_company(
            self.eco,
            NewCompany(
                company_id,
                self.entry.id,
                name,
                kind.kbli,
                kind.name_en,
                kind.name_en,
                route,
                size_class(workers, self.sectors.records),
                smelter=smelter,
            ),
        )
        self.roster.append(company_id, workers, kind.female_share, output_t)
        return process


def add_nickel_tenants(
    eco: Ecosystem,
    entry: ParkEntry,
    values: IntensitiesDoc,
    sectors: SectorsDoc,
    *,
    rng: np.random.Generator,
    period: Period,
) -> Roster:
    """Add a nickel park's synthetic tenants and flows; return them for social records."""
    if entry.nickel is None:
        return Roster.empty()
    park = _Park(eco, entry, entry.nickel, values, sectors, rng, period, Roster.empty())
    park.power = park.company("captive_coal", 1, None, _NO_TONNAGE, "captive_coal_power")
    park.bricks = park.company("slag_blocks", 1, None, _NO_TONNAGE, "slag_blocks")
    npi = _rkef_outputs(park)
    matte = SmelterRoute.MATTE_CONVERTER
    mattes = [
        park.company("matte_converter", k, _smelter(matte), _NO_TONNAGE, str(matte))
        for k in range(1, park.plan.matte_tenants + 1)
    ]
    to_matte = [0.0] * len(mattes)
    for k, npi_t in enumerate(npi, 1):
        for j, share in enumerate(_add_rkef(park, k, npi_t, mattes)):
            to_matte[j] += share
    for process, npi_in in zip(mattes, to_matte, strict=True):
        _add_matte(park, process, npi_in)
    for k in range(1, park.plan.hpal_tenants + 1):
        _add_hpal(park, k)
    _add_power(park)
    return park.roster


def _smelter(route: SmelterRoute, capacity_t: float | None = None) -> Smelter:
    basis = "t Ni" if route is SmelterRoute.HPAL else "t product"
    return Smelter(route, capacity_t, basis, PowerSource.CAPTIVE_COAL)


def _rkef_outputs(park: _Park) -> list[float]:
    """Return each synthetic RKEF tenant's NPI output (t), summing to the park's total."""
    plan, v = park.plan, park.values
    if plan.rkef_design_capacity_t is not None:
        total = plan.rkef_design_capacity_t * v.value("rkef.utilisation")
    else:
        total = float(plan.rkef_lines or 0) * v.value("rkef.alloy_per_line_t")
    weights = park.rng.lognormal(0.0, v.value("production.spread"), plan.rkef_tenants)
    return [float(total * w / weights.sum()) for w in weights]


def _add_rkef(park: _Park, number: int, npi_t: float, mattes: list[str]) -> list[float]:
    """Add one RKEF smelter with its flows; return the NPI it sends to each matte converter."""
    v = park.values
    capacity = park.plan.rkef_design_capacity_t if park.plan.rkef_tenants == 1 else None
    p = park.company(
        "rkef_npi",
        number,
        _smelter(SmelterRoute.RKEF_NPI, capacity),
        npi_t,
        str(SmelterRoute.RKEF_NPI),
    )
    ni_t = npi_t * v.value("rkef.ni_grade_npi")
    power = ni_t * v.value("rkef.electricity_per_t_ni")
    park.deliveries[p] = power
    park.flow(
        "supplier",
        p,
        "laterite_ore_saprolite",
        npi_t * v.value("rkef.ore_per_t_alloy"),
        "rkef.ore_per_t_alloy",
    )
    park.flow("supplier", p, "coal", None)  # reductant coal per t NPI: not found (U)
    park.flow(
        park.power, p, "electricity_coal", power, "rkef.ni_grade_npi", "rkef.electricity_per_t_ni"
    )
    matte_share = v.value("matte.npi_share") if mattes else 0.0
    park.flow(p, "market", "nickel_pig_iron", npi_t * (1.0 - matte_share), "matte.npi_share")
    sent = [npi_t * matte_share / len(mattes) for _ in mattes]
    for matte, q in zip(mattes, sent, strict=True):
        park.flow(p, matte, "nickel_pig_iron", q, "matte.npi_share")
    slag = npi_t * v.value("rkef.slag_per_t_npi")
    reused = slag * v.value("bricks.slag_to_bricks_share")
    park.slag_to_bricks += reused
    park.flow(
        p, park.bricks, "nickel_slag", reused, "rkef.slag_per_t_npi", "bricks.slag_to_bricks_share"
    )
    park.flow(p, "landfill", "nickel_slag", slag - reused, "rkef.slag_per_t_npi")
    return sent


def _add_matte(park: _Park, process: str, npi_in: float) -> None:
    """Report a matte converter's unknown inputs and its matte output from the Ni balance."""
    v = park.values
    park.deliveries[process] = None  # electricity of NPI-to-matte converting: not found (U)
    park.flow(park.power, process, "electricity_coal", None)
    park.flow("supplier", process, "sulfur", None)
    matte = npi_in * v.value("rkef.ni_grade_npi") / v.value("matte.ni_grade")
    park.flow(process, "market", "nickel_matte", matte, "rkef.ni_grade_npi", "matte.ni_grade")


def _add_hpal(park: _Park, number: int) -> None:
    """Add one HPAL plant; its output volume is illustrative, its intensities sourced."""
    v = park.values
    ni_t = v.value("hpal.ni_output_t") * float(
        park.rng.lognormal(0.0, v.value("production.spread"))
    )
    p = park.company("hpal", number, _smelter(SmelterRoute.HPAL), ni_t, str(SmelterRoute.HPAL))
    park.deliveries[p] = None  # HPAL electricity per t Ni: not found (U)
    park.flow(
        "supplier",
        p,
        "laterite_ore_limonite",
        ni_t * v.value("hpal.ore_per_t_ni"),
        "hpal.ni_output_t",
        "hpal.ore_per_t_ni",
    )
    park.flow(
        "supplier",
        p,
        "sulfuric_acid",
        ni_t * v.value("hpal.acid_per_t_ni"),
        "hpal.ni_output_t",
        "hpal.acid_per_t_ni",
    )
    park.flow("supplier", p, "limestone", None)
    park.flow(park.power, p, "electricity_coal", None)
    park.flow(
        p,
        "market",
        "mhp",
        ni_t / v.value("hpal.ni_grade_mhp"),
        "hpal.ni_output_t",
        "hpal.ni_grade_mhp",
    )
    park.flow(
        p,
        "landfill",
        "hpal_tailings",
        ni_t * v.value("hpal.tailings_per_t_ni"),
        "hpal.ni_output_t",
        "hpal.tailings_per_t_ni",
    )


def _add_power(park: _Park) -> None:
    """Add the captive coal plant's fuel, CO2 and FABA, and the block maker's mix.

    Generation counts only the deliveries whose quantity is known, so coal, CO2 and FABA are
    lower bounds whenever a tenant's electricity is unknown.
    """
    v = park.values
    generation = sum(q for q in park.deliveries.values() if q is not None)
    coal = (
        generation
        * _GJ_PER_MWH
        / v.value("coal_power.net_efficiency")
        / v.value("coal.ncv_gj_per_t")
    )
    fuel_keys = ("coal_power.net_efficiency", "coal.ncv_gj_per_t")
    park.flow("supplier", park.power, "coal", coal, *fuel_keys)
    park.flow(
        park.power,
        "env.air",
        "co2",
        generation * v.value("coal_power.co2_per_mwh"),
        "coal_power.co2_per_mwh",
    )
    faba = coal * v.value("coal_power.faba_per_t_coal")
    fly = faba * v.value("coal_power.fly_ash_share")
    ash_keys = (*fuel_keys, "coal_power.faba_per_t_coal", "coal_power.fly_ash_share")
    slag = park.slag_to_bricks
    fly_used = min(fly, slag * v.value("bricks.fly_ash_share") / v.value("bricks.slag_share"))
    cement = slag * v.value("bricks.cement_share") / v.value("bricks.slag_share")
    mix_keys = ("bricks.slag_share", "bricks.fly_ash_share", "bricks.cement_share")
    park.flow(park.power, park.bricks, "fly_ash", fly_used, *ash_keys, *mix_keys)
    park.flow(park.power, "landfill", "fly_ash", fly - fly_used, *ash_keys)
    park.flow(park.power, "landfill", "bottom_ash", faba - fly, *ash_keys)
    park.flow("supplier", park.bricks, "cement", cement, *mix_keys)
    park.flow(park.bricks, "market", "slag_bricks", slag + fly_used + cement, *mix_keys)
