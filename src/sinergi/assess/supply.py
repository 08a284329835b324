"""What a person supplies, and where, so that a criterion sinergi could not assess can be.

Each indicator reads one or more tables of the data-collection template
(``data/templates/columns.yaml``: one sheet per table in the XLSX template); a qualitative
requirement can always be judged in the judgements form (``sinergi judgements template``).
The engine names tables and columns by their ids; reports turn them into the sheet names and
column headings the reader sees, in their language.
"""

from __future__ import annotations

from dataclasses import dataclass

from sinergi.assess.messages import Msg, msg
from sinergi.i18n import N_


@dataclass(frozen=True, slots=True)
class Supply:
    """Rows to enter in one table of the template, and which of its columns matter."""

    table: str
    columns: tuple[str, ...]
    what: Msg


def _flows(what: str) -> tuple[Supply, ...]:
    return (Supply("flows", ("source", "target", "commodity", "quantity", "unit"), msg(what)),)


_LAND = (
    Supply("parks", ("area_ha",), msg(N_("the estate's total area"))),
    Supply("land_use", ("category", "area_ha"), msg(N_("one row per land-use category"))),
)
_WORKFORCE = (
    Supply(
        "workforce",
        ("female", "male", "local", "non_local"),
        msg(N_("each tenant's workers by sex and by origin")),
    ),
)

#: Where the data of each indicator is entered.
SUPPLY: dict[str, tuple[Supply, ...]] = {
    "energy_use": _flows(N_("energy received by tenants from outside the park")),
    "renewable_share": _flows(
        N_("electricity received by tenants, from the grid or from renewable sources")
    ),
    "scope1_ghg": _flows(N_("CO2, CH4 and N2O emitted by tenants to the air (env.air)")),
    "scope2_ghg": _flows(N_("electricity bought from the grid (source: the grid node)")),
    "ghg_intensity": _flows(
        N_("emissions to air, grid electricity, and products shipped out of the park")
    ),
    "water_withdrawal": _flows(N_("water received by tenants from outside the park")),
    "water_reuse_share": _flows(N_("water received by tenants, including recycled water")),
    "wastewater_generated": _flows(
        N_(
            "industrial wastewater sent by each tenant to the central WWTP, a licensed handler "
            "or a water body (untreated or treated)"
        )
    ),
    "wastewater_treated_share": _flows(
        N_(
            "industrial wastewater sent by each tenant to the central WWTP, a licensed handler "
            "or a water body (untreated or treated)"
        )
    ),
    "solid_waste_by_fate": _flows(
        N_("solid waste sent by tenants to landfill, recyclers, recovery or other companies")
    ),
    "waste_diversion_share": _flows(
        N_("solid waste sent by tenants to landfill, recyclers, recovery or other companies")
    ),
    "b3_licensed_share": _flows(
        N_("hazardous (B3) waste sent by tenants, with the licensed handler as target")
    ),
    "symbiosis_exchanges": _flows(
        N_("wastes, water, steam or heat sent from one tenant to another")
    ),
    "industrial_plots_share": _LAND,
    "green_open_space_share": _LAND,
    "roads_and_drains_share": _LAND,
    "jobs": _WORKFORCE,
    "female_share": _WORKFORCE,
    "local_employment_share": _WORKFORCE,
    "ltifr": (
        Supply(
            "safety",
            ("lost_time_injuries", "hours_worked"),
            msg(N_("each tenant's lost-time injuries and hours worked")),
        ),
    ),
    "training_hours_per_worker": (
        Supply("training", ("training_hours",), msg(N_("each tenant's training hours"))),
        *_WORKFORCE,
    ),
    "local_procurement_share": (
        Supply(
            "procurement",
            ("total_idr", "local_idr"),
            msg(N_("each tenant's total procurement and the part from local suppliers")),
        ),
    ),
    "sme_procurement_share": (
        Supply(
            "procurement",
            ("total_idr", "sme_idr"),
            msg(N_("each tenant's total procurement and the part from SMEs")),
        ),
    ),
    "reporting_coverage": _flows(N_("at least one flow for every tenant")),
}


def services_supply(field: str) -> Supply:
    """Return where a park-services answer (``park_services.<field>``) is entered."""
    return Supply("park_services", (field,), msg(N_("the park's answer for this period (yes/no)")))
