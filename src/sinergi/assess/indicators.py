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
from sinergi.i18n import N_
from sinergi.model import Ecosystem, Period
from sinergi.reference.factors import Factors, default_factors

_DEFS: tuple[tuple[str, str, str, str, str, str, object, int], ...] = (
    (
        "energy_use",
        "Energy use by carrier",
        "Penggunaan energi per jenis",
        "MWh",
        N_(
            "Energy carriers received by the park's tenants from outside the park; total over "
            "carriers measured in energy units"
        ),
        N_("energy flows into the park"),
        env.energy_use,
        0,
    ),
    (
        "renewable_share",
        "Renewable share of electricity",
        "Porsi listrik terbarukan",
        "%",
        N_("Renewable electricity received by tenants ÷ all electricity received"),
        N_("electricity flows by source"),
        env.renewable_share,
        1,
    ),
    (
        "scope1_ghg",
        "Scope 1 GHG emissions",
        "Emisi GRK cakupan 1",
        "t CO2e",
        N_("CO2, CH4 and N2O emitted to air by tenants × GWP-100 (IPCC AR6)"),
        N_("emission flows to air"),
        env.scope1_ghg,
        0,
    ),
    (
        "scope2_ghg",
        "Scope 2 GHG emissions",
        "Emisi GRK cakupan 2",
        "t CO2e",
        N_("Grid electricity bought × the grid region's emission factor"),
        N_("grid electricity flows; a sourced factor for the grid"),
        env.scope2_ghg,
        0,
    ),
    (
        "ghg_intensity",
        "GHG intensity",
        "Intensitas emisi GRK",
        N_("t CO2e/t product"),
        N_("(Scope 1 + scope 2) ÷ tonnes of products shipped out of the park"),
        N_("emissions, grid electricity and product flows"),
        env.ghg_intensity,
        2,
    ),
    (
        "water_withdrawal",
        "Water withdrawal by source",
        "Pengambilan air per sumber",
        "m3",
        N_("Surface, ground, piped, sea and rain water received from outside the park"),
        N_("water intake flows"),
        env.water_withdrawal,
        0,
    ),
    (
        "water_reuse_share",
        "Water reuse share",
        "Porsi air daur ulang",
        "%",
        N_("Recycled water ÷ all water received by tenants"),
        N_("water flows incl. recycled water"),
        env.water_reuse_share,
        1,
    ),
    (
        "wastewater_generated",
        "Industrial wastewater generated",
        "Air limbah industri",
        "m3",
        N_(
            "Industrial wastewater sent away by tenants (to the central WWTP, a licensed handler "
            "or a water body), treated or not"
        ),
        N_("wastewater flows from tenants"),
        env.wastewater_generated,
        0,
    ),
    (
        "wastewater_treated_share",
        "Wastewater treated to standard",
        "Porsi air limbah terolah",
        "%",
        N_(
            "Wastewater treated on site to discharge standard, sent to a WWTP or to a licensed "
            "handler ÷ all industrial wastewater sent away by tenants"
        ),
        N_("wastewater flows from tenants"),
        env.wastewater_treated_share,
        1,
    ),
    (
        "solid_waste_by_fate",
        "Solid waste by fate",
        "Limbah padat menurut penanganan",
        "t",
        N_(
            "Solid waste sent by tenants, by fate (reused, recycled, recovered, landfilled, "
            "open-dumped, licensed handler)"
        ),
        N_("waste flows to their fates"),
        env.solid_waste_by_fate,
        0,
    ),
    (
        "waste_diversion_share",
        "Waste diverted from disposal",
        "Porsi limbah dimanfaatkan",
        "%",
        N_("(Reused + recycled + recovered) ÷ all solid waste"),
        N_("waste flows"),
        env.waste_diversion_share,
        1,
    ),
    (
        "b3_licensed_share",
        "B3 waste to licensed handlers",
        "Porsi limbah B3 ke pihak berizin",
        "%",
        N_("Hazardous (B3) waste sent to licensed handlers ÷ all B3 waste"),
        N_("B3 waste flows"),
        env.b3_licensed_share,
        1,
    ),
    (
        "symbiosis_exchanges",
        "Industrial symbiosis exchanges",
        "Pertukaran simbiosis industri",
        N_("exchanges"),
        N_(
            "Distinct (supplier, receiver, commodity) exchanges of waste, heat, steam or "
            "water between two companies; tonnage in detail"
        ),
        N_("inter-company flows"),
        env.symbiosis_exchanges,
        0,
    ),
    (
        "industrial_plots_share",
        "Industrial plots share of park area",
        "Porsi kavling industri",
        "%",
        N_("Industrial plot area ÷ total park area"),
        N_("park area and land use"),
        soc.industrial_plots_share,
        1,
    ),
    (
        "green_open_space_share",
        "Green open space share of park area",
        "Porsi RTH",
        "%",
        N_("Green open space (RTH) ÷ total park area"),
        N_("park area and land use"),
        soc.green_open_space_share,
        1,
    ),
    (
        "roads_and_drains_share",
        "Roads and drains share of park area",
        "Porsi jalan dan saluran",
        "%",
        N_("Roads and drains area ÷ total park area"),
        N_("park area and land use"),
        soc.roads_and_drains_share,
        1,
    ),
    (
        "jobs",
        "Direct jobs",
        "Jumlah tenaga kerja",
        N_("workers"),
        N_("Headcount summed over reporting tenants"),
        N_("workforce records"),
        soc.jobs,
        0,
    ),
    (
        "female_share",
        "Female share of workforce",
        "Porsi pekerja perempuan",
        "%",
        N_("Female workers ÷ workers, reporting tenants"),
        N_("workforce by sex"),
        soc.female_share,
        1,
    ),
    (
        "local_employment_share",
        "Local employment share",
        "Porsi pekerja lokal",
        "%",
        N_("Local workers ÷ workers, reporting tenants"),
        N_("workforce by origin"),
        soc.local_employment_share,
        1,
    ),
    (
        "ltifr",
        "Lost-time injury frequency rate",
        "Tingkat frekuensi kecelakaan (LTIFR)",
        N_("per 1,000,000 h"),
        N_("Lost-time injuries × 1,000,000 ÷ hours worked"),
        N_("safety records"),
        soc.ltifr,
        2,
    ),
    (
        "training_hours_per_worker",
        "Training hours per worker",
        "Jam pelatihan per pekerja",
        N_("h/worker"),
        N_("Training hours ÷ headcount, tenants reporting both"),
        N_("training and workforce records"),
        soc.training_hours_per_worker,
        1,
    ),
    (
        "local_procurement_share",
        "Local procurement share",
        "Porsi pengadaan lokal",
        "%",
        N_("Spend with local suppliers ÷ total procurement"),
        N_("procurement records"),
        soc.local_procurement_share,
        1,
    ),
    (
        "sme_procurement_share",
        "SME procurement share",
        "Porsi pengadaan dari UMKM",
        "%",
        N_("Spend with SMEs ÷ total procurement"),
        N_("procurement records"),
        soc.sme_procurement_share,
        1,
    ),
    (
        "reporting_coverage",
        "Share of tenants reporting",
        "Porsi tenant yang melapor",
        "%",
        N_("Tenants with at least one flow in the period ÷ tenants"),
        N_("flows and tenants"),
        soc.reporting_coverage,
        1,
    ),
)

#: Every indicator by id.
INDICATORS: dict[str, Indicator] = {
    row[0]: Indicator(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7])  # type: ignore[arg-type]
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
