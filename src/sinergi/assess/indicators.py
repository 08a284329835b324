"""The indicator registry: every indicator with its names, unit, definition and data needs.

>>> from sinergi.examples import tiny_park
>>> from sinergi.model import Period
>>> results = compute(tiny_park(), "demo-park", Period(2024))
>>> results["green_open_space_share"].value
12.0
>>> results["renewable_share"].value
0.0
>>> str(results["water_withdrawal"].status)
'insufficient_data'
"""

from __future__ import annotations

from collections.abc import Iterable

from sinergi.assess import environment as env
from sinergi.assess import social as soc
from sinergi.assess.indicator import Indicator, IndicatorResult
from sinergi.assess.view import ParkView, park_views
from sinergi.model import Ecosystem, Period
from sinergi.reference.factors import Factors, default_factors

_DEFS: tuple[tuple[str, str, str, str, str, str, object], ...] = (
    (
        "energy_use",
        "Energy use by carrier",
        "Penggunaan energi per jenis",
        "MWh",
        "Energy carriers received by the park's tenants from outside the park; total over "
        "carriers measured in energy units",
        "energy flows into the park",
        env.energy_use,
    ),
    (
        "renewable_share",
        "Renewable share of electricity",
        "Porsi listrik terbarukan",
        "%",
        "Renewable electricity received by tenants ÷ all electricity received",
        "electricity flows by source",
        env.renewable_share,
    ),
    (
        "scope1_ghg",
        "Scope 1 GHG emissions",
        "Emisi GRK cakupan 1",
        "t CO2e",
        "CO2, CH4 and N2O emitted to air by tenants × GWP-100 (IPCC AR6)",
        "emission flows to air",
        env.scope1_ghg,
    ),
    (
        "scope2_ghg",
        "Scope 2 GHG emissions",
        "Emisi GRK cakupan 2",
        "t CO2e",
        "Grid electricity bought × the grid region's emission factor",
        "grid electricity flows; a sourced factor for the grid",
        env.scope2_ghg,
    ),
    (
        "ghg_intensity",
        "GHG intensity",
        "Intensitas emisi GRK",
        "t CO2e/t product",
        "(Scope 1 + scope 2) ÷ tonnes of products shipped out of the park",
        "emissions, grid electricity and product flows",
        env.ghg_intensity,
    ),
    (
        "water_withdrawal",
        "Water withdrawal by source",
        "Pengambilan air per sumber",
        "m3",
        "Surface, ground, piped, sea and rain water received from outside the park",
        "water intake flows",
        env.water_withdrawal,
    ),
    (
        "water_reuse_share",
        "Water reuse share",
        "Porsi air daur ulang",
        "%",
        "Recycled water ÷ all water received by tenants",
        "water flows incl. recycled water",
        env.water_reuse_share,
    ),
    (
        "wastewater_generated",
        "Industrial wastewater generated",
        "Air limbah industri",
        "m3",
        "Industrial wastewater leaving the park, treated or not",
        "wastewater flows",
        env.wastewater_generated,
    ),
    (
        "wastewater_treated_share",
        "Wastewater treated to standard",
        "Porsi air limbah terolah",
        "%",
        "Wastewater treated to discharge standard ÷ all industrial wastewater leaving the park",
        "wastewater flows",
        env.wastewater_treated_share,
    ),
    (
        "solid_waste_by_fate",
        "Solid waste by fate",
        "Limbah padat menurut penanganan",
        "t",
        "Solid waste sent by tenants, by fate (reused, recycled, recovered, landfilled, "
        "open-dumped, licensed handler)",
        "waste flows to their fates",
        env.solid_waste_by_fate,
    ),
    (
        "waste_diversion_share",
        "Waste diverted from disposal",
        "Porsi limbah dimanfaatkan",
        "%",
        "(Reused + recycled + recovered) ÷ all solid waste",
        "waste flows",
        env.waste_diversion_share,
    ),
    (
        "b3_licensed_share",
        "B3 waste to licensed handlers",
        "Porsi limbah B3 ke pihak berizin",
        "%",
        "Hazardous (B3) waste sent to licensed handlers ÷ all B3 waste",
        "B3 waste flows",
        env.b3_licensed_share,
    ),
    (
        "symbiosis_exchanges",
        "Industrial symbiosis exchanges",
        "Pertukaran simbiosis industri",
        "exchanges",
        "Distinct (supplier, receiver, commodity) exchanges of waste, heat, steam or "
        "water between two companies; tonnage in detail",
        "inter-company flows",
        env.symbiosis_exchanges,
    ),
    (
        "industrial_plots_share",
        "Industrial plots share of park area",
        "Porsi kaveling industri",
        "%",
        "Industrial plot area ÷ total park area",
        "park area and land use",
        soc.industrial_plots_share,
    ),
    (
        "green_open_space_share",
        "Green open space share of park area",
        "Porsi RTH",
        "%",
        "Green open space (RTH) ÷ total park area",
        "park area and land use",
        soc.green_open_space_share,
    ),
    (
        "roads_and_drains_share",
        "Roads and drains share of park area",
        "Porsi jalan dan saluran",
        "%",
        "Roads and drains area ÷ total park area",
        "park area and land use",
        soc.roads_and_drains_share,
    ),
    (
        "jobs",
        "Direct jobs",
        "Jumlah tenaga kerja",
        "workers",
        "Headcount summed over reporting tenants",
        "workforce records",
        soc.jobs,
    ),
    (
        "female_share",
        "Female share of workforce",
        "Porsi pekerja perempuan",
        "%",
        "Female workers ÷ workers, reporting tenants",
        "workforce by sex",
        soc.female_share,
    ),
    (
        "local_employment_share",
        "Local employment share",
        "Porsi pekerja lokal",
        "%",
        "Local workers ÷ workers, reporting tenants",
        "workforce by origin",
        soc.local_employment_share,
    ),
    (
        "ltifr",
        "Lost-time injury frequency rate",
        "Tingkat frekuensi kecelakaan (LTIFR)",
        "per 1,000,000 h",
        "Lost-time injuries × 1,000,000 ÷ hours worked",
        "safety records",
        soc.ltifr,
    ),
    (
        "training_hours_per_worker",
        "Training hours per worker",
        "Jam pelatihan per pekerja",
        "h/worker",
        "Training hours ÷ headcount, tenants reporting both",
        "training and workforce records",
        soc.training_hours_per_worker,
    ),
    (
        "local_procurement_share",
        "Local procurement share",
        "Porsi pengadaan lokal",
        "%",
        "Spend with local suppliers ÷ total procurement",
        "procurement records",
        soc.local_procurement_share,
    ),
    (
        "sme_procurement_share",
        "SME procurement share",
        "Porsi pengadaan dari UMKM",
        "%",
        "Spend with SMEs ÷ total procurement",
        "procurement records",
        soc.sme_procurement_share,
    ),
    (
        "reporting_coverage",
        "Share of tenants reporting",
        "Porsi tenant yang melapor",
        "%",
        "Tenants with at least one flow in the period ÷ tenants",
        "flows and tenants",
        soc.reporting_coverage,
    ),
)

#: Every indicator by id.
INDICATORS: dict[str, Indicator] = {
    row[0]: Indicator(row[0], row[1], row[2], row[3], row[4], row[5], row[6])  # type: ignore[arg-type]
    for row in _DEFS
}


def compute_view(
    view: ParkView, ids: Iterable[str] | None = None, factors: Factors | None = None
) -> dict[str, IndicatorResult]:
    """Compute indicators for one park view (all of them when ``ids`` is ``None``)."""
    fac = factors or default_factors()
    wanted = INDICATORS if ids is None else {i: INDICATORS[i] for i in ids}
    return {i: ind.compute(view, fac) for i, ind in wanted.items()}


def compute(
    eco: Ecosystem,
    park_id: str,
    period: Period,
    ids: Iterable[str] | None = None,
    factors: Factors | None = None,
) -> dict[str, IndicatorResult]:
    """Compute indicators for one park and period."""
    return compute_view(park_views(eco, period)[park_id], ids, factors)
