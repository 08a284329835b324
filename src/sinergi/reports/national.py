"""The national view as records (JSON-ready), tables (CSV, XLSX) and bilingual HTML pages.

Records keep codes and numbers (``rkef_npi``, t CO2e); pages and tables turn them into words
of the reader's language. Units: t, t Ni, MWh, t CO2e, IDR; missing values stay ``None`` in
records and show as "–" on pages, never as zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sinergi.i18n import N_, _, format_percent_value
from sinergi.national.accounts import NationalAccounts, SmelterAccount, Totals
from sinergi.national.energy import (
    CoalBasis,
    CoalBurnt,
    EnergyPrices,
    RouteCost,
    coal_basis,
    coal_burnt,
    coal_mwh,
    default_prices,
    route_costs,
    total_coal,
)
from sinergi.national.governance import Indicators
from sinergi.national.inputs import NationalFactors
from sinergi.national.power import GRID_UNKNOWN
from sinergi.national.reconcile import Reconciled
from sinergi.national.registry import (
    CARRIERS,
    FUEL_LABELS,
    ROUTE_LABELS,
    Fuel,
    Registry,
    Route,
)
from sinergi.national.scenarios import Trajectory
from sinergi.reference import Provenance, describe
from sinergi.reports.national_routes import ROUTE_PRODUCTS, RouteInputs

__all__ = [
    "ESTIMATE_TEXT",
    "MILESTONES",
    "UNPRICED_TEXT",
    "accounts_record",
    "cite",
    "coal_record",
    "compare_record",
    "cost_record",
    "estimate_basis",
    "estimate_share",
    "prices_record",
    "provenance_record",
    "registry_record",
    "route_label",
    "scenario_record",
    "source_label",
    "unit_label",
]

#: The years scenario tables show, where the run reaches them.
MILESTONES = (2030, 2045, 2060)

MISSING_TEXT = {
    "production": N_("no production reported for the year"),
    "power_data": N_("no power data (no captive unit, no grid connection)"),
    "power_factor": N_("a power source without an emission factor"),
    "intensity": N_("no footprint per t Ni for this route"),
    "residue_factor": N_("no residue factor for this route"),
}


#: why a smelter has no energy and carbon cost (keys of ``RouteCost.unpriced``)
UNPRICED_TEXT = {
    "production": N_("no production for the year"),
    "electricity": N_("electricity per t Ni not known for the route"),
    "power_data": N_("no power data"),
    "price": N_("a power source without a price (captive hydro, solar, co-fired biomass)"),
    "co2e": N_("CO2e not known"),
}


#: how the nickel of smelters that give only the year's capacity was estimated
ESTIMATE_TEXT = {
    "given": N_("utilisation given by the user"),
    "observed": N_("the year's utilisation of smelters reporting production and capacity"),
    "full": N_("no utilisation known: full capacity, an upper bound"),
}


#: units of published figures that hold a word (the others are symbols: t Ni, MW, t NPI)
UNIT_WORDS = {"t slag": N_("t slag")}


def unit_label(unit: str, lang: str) -> str:
    """Return the unit of a published figure in ``lang`` (``t slag``: ``t terak``)."""
    return _(lang, UNIT_WORDS[unit]) if unit in UNIT_WORDS else unit


def source_label(key: str, lang: str) -> str:
    """Return a power source's name in ``lang``: a fuel, or the PLN grid of a region."""
    if key == "unknown":
        return _(lang, N_("unknown: smelters without power data"))
    if key == GRID_UNKNOWN:
        return _(lang, N_("PLN grid, region not given"))
    if key.startswith("grid."):
        # the key's region is a proper name (grid.sulselbar: Sulselbar)
        region = key.removeprefix("grid.").capitalize()
        return _(lang, N_("PLN grid, {region}")).format(region=region)
    try:
        return _(lang, FUEL_LABELS[Fuel(key)])
    except ValueError:
        return key


def route_label(route: str, lang: str) -> str:
    """Return a route's name in ``lang``."""
    try:
        return _(lang, ROUTE_LABELS[Route(route)])
    except ValueError:
        return route


def _route_shares(routes: Mapping[str, float], lang: str) -> str:
    return ", ".join(
        f"{route_label(route, lang)} {format_percent_value(value, lang)}"
        for route, value in sorted(routes.items())
    )


def estimate_share(estimate: Mapping[str, Any], lang: str) -> str:
    """Return the utilisation of the capacity estimate: one share, or each route's own.

    ``estimate`` is the record's ``estimate``; when every smelter estimated is at its route's
    own utilisation, those are listed ("HPAL to MHP 90 %"), else the one the others share.
    """
    routes = estimate.get("by_route") or {}
    if routes and not estimate.get("smelters_at_default", 1):
        return _route_shares(routes, lang)
    return format_percent_value(estimate["utilisation"], lang)


def estimate_basis(estimate: Mapping[str, Any], lang: str) -> str:
    """Return how the capacity estimate's utilisation was chosen, with the routes given their own.

    Routes with their own utilisation follow the basis of the others' share (e.g. "given by
    the user; by route: HPAL to MHP 90 %"); when no smelter is at that share, only "given".
    """
    routes = estimate.get("by_route") or {}
    if routes and not estimate.get("smelters_at_default", 1):
        return _(lang, ESTIMATE_TEXT["given"])
    basis = _(lang, ESTIMATE_TEXT[estimate["basis"]])
    if not routes:
        return basis
    return _(lang, N_("{basis}; by route: {routes}")).format(
        basis=basis, routes=_route_shares(routes, lang)
    )


def totals_record(totals: Totals, band: Mapping[str, float] | None = None) -> dict[str, Any]:
    """Return a :class:`Totals` as plain data (t, t Ni, MWh, t CO2e)."""
    return {
        "smelters": totals.smelters,
        "ni_t": totals.primary_ni_t,
        "primary_smelters": totals.primary_smelters,
        "ni_smelters": totals.ni_smelters,
        "ni_all_t": totals.all_ni_t,
        "ni_downstream_t": totals.ni_downstream_t,
        "product_t": totals.product_t,
        "electricity_mwh": totals.electricity_mwh if totals.electricity_smelters else None,
        "electricity_by_source_mwh": dict(sorted(totals.electricity_by_factor.items())),
        "co2e_t": totals.co2e if totals.co2e_smelters else None,
        "co2e_smelters": totals.co2e_smelters,
        "co2e_band_t": dict(band) if band else None,
        "intensity_t_per_t_ni": totals.intensity,
        "co2e_process_of_incomplete_t": totals.co2e_process_incomplete,
        "residue_t": totals.residue_t if totals.residue_smelters else None,
        "residue_utilised_t": totals.residue_utilised_t,
        "residue_fate_unknown_t": totals.residue_fate_unknown_t,
        "faba_t": totals.faba_t,
        "faba_utilised_t": totals.faba_utilised_t,
        "missing": {k: sorted(v) for k, v in sorted(totals.missing.items())},
        "estimated_from_capacity": {
            "smelters": totals.estimated_smelters,
            "ni_t": totals.estimated_ni_t,
        },
        "carriers": {
            carrier: {
                "reported": totals.carrier_total(carrier),
                "smelters_reporting": totals.smelters
                - len(totals.carriers_missing.get(carrier, [])),
                "insufficient_data": sorted(totals.carriers_missing.get(carrier, [])),
            }
            for carrier in CARRIERS
        },
    }


def coal_record(coal: CoalBurnt | None) -> dict[str, Any] | None:
    """Return coal burnt by captive units as plain data (MWh, TJ, t coal with its range)."""
    if coal is None:
        return None
    return {
        "electricity_mwh": coal.electricity_mwh,
        "fuel_tj": coal.fuel_tj,
        "coal_t": coal.coal_t,
        "coal_t_low": coal.coal_t_low,
        "coal_t_high": coal.coal_t_high,
        "smelters": coal.smelters,
        "smelters_total": coal.of,
    }


def cost_record(cost: RouteCost) -> dict[str, Any]:
    """Return a route's energy and carbon cost as plain data (IDR per t Ni; None = unknown)."""
    return {
        "electricity_idr_per_t_ni": cost.electricity_idr_per_t_ni,
        "carbon_idr_per_t_ni": cost.carbon_idr_per_t_ni,
        "total_idr_per_t_ni": cost.total_idr_per_t_ni,
        "smelters": cost.smelters,
        "smelters_priced": cost.priced,
        "ni_priced_t": cost.ni_t,
        "ni_t": cost.ni_total_t,
        "insufficient_data": {k: sorted(v) for k, v in sorted(cost.unpriced.items())},
    }


def prices_record(prices: EnergyPrices) -> dict[str, Any]:
    """Return a year's prices as plain data."""
    return {
        "carbon_price_idr_per_t": prices.carbon_idr_per_t,
        "grid_tariff_idr_per_kwh": prices.grid_idr_per_kwh,
        "coal_price_usd_per_t": prices.coal_usd_per_t,
        "idr_per_usd": prices.idr_per_usd,
        "power_price_idr_per_kwh": dict(prices.sources),
    }


def provenance_record(item: Provenance | None) -> dict[str, Any] | None:
    """Return the provenance part of ``item`` as plain data, for :func:`cite` to describe."""
    if item is None:
        return None
    fields = set(Provenance.model_fields)
    return item.model_dump(mode="json", exclude_defaults=True, include=fields)


def cite(entry: Mapping[str, Any], lang: str, *, with_note: bool = True) -> str:
    """Return where an input of a record comes from, in ``lang``: citation, status and note.

    ``entry`` holds ``provenance`` (see :func:`provenance_record`); its citation stays as
    published while the status words and the note (``note_id`` on Indonesian pages) follow
    ``lang``. An entry without one shows its ``source`` as recorded.
    """
    raw = entry.get("provenance")
    if raw is None:
        return str(entry.get("source") or "–")
    return describe(Provenance.model_validate(raw), lang, with_note=with_note)


def _sourced(item: Any) -> dict[str, Any]:
    return {
        "value": item.value,
        "low": item.low,
        "high": item.high,
        "unit": item.unit,
        "source": describe(item),
        "provenance": provenance_record(item),
        "illustrative": item.illustrative,
    }


def _coal_inputs(basis: CoalBasis | None, national: NationalFactors) -> dict[str, Any]:
    return {
        "co2_t_per_mwh": None if basis is None else basis.co2_t_per_mwh,
        "co2_t_per_tj": _sourced(national.coal_co2_t_per_tj),
        "ncv_gj_per_t": _sourced(national.coal_ncv_gj_per_t),
        "heat_rate_gj_per_mwh": None if basis is None else basis.heat_rate_gj_per_mwh,
    }


def _basis(inputs: RouteInputs, national: NationalFactors) -> CoalBasis | None:
    coal = inputs.factors.get("coal")
    return None if coal is None else coal_basis(coal.value, national)


def _inputs(inputs: RouteInputs, national: NationalFactors) -> dict[str, Any]:
    return {
        "intensities": {
            key: {
                "process_t_per_t_ni": r.process,
                "electricity_mwh_per_t_ni": r.electricity_mwh if r.electricity_known else None,
                "basis": r.basis,
                "product": ROUTE_PRODUCTS[Route(key)][0],
                "feed": ROUTE_PRODUCTS[Route(key)][1],
                "lower_bound": r.lower_bound,
            }
            for key, r in sorted(inputs.intensities.items())
        },
        "power_factors": {
            key: {
                "t_co2e_per_mwh": f.value,
                "source": describe(f.provenance) if f.provenance else "",
                "provenance": provenance_record(f.provenance),
                "illustrative": f.illustrative,
            }
            for key, f in sorted(inputs.factors.items())
        },
        "residue_t_per_t_ni": {
            route.value: {
                "value": s.value,
                "unit": s.unit,
                "source": describe(s),
                "provenance": provenance_record(s),
            }
            for route, s in national.residue_t_per_t_ni.items()
        },
        "faba_t_per_mwh_coal": {
            "value": national.faba_t_per_mwh_coal.value,
            "source": describe(national.faba_t_per_mwh_coal),
            "provenance": provenance_record(national.faba_t_per_mwh_coal),
            "illustrative": national.faba_t_per_mwh_coal.illustrative,
        },
        "captive_coal_burnt": _coal_inputs(_basis(inputs, national), national),
        "default_prices": {
            key: _sourced(getattr(national, key))
            for key in (
                "carbon_price_idr_per_t",
                "grid_tariff_idr_per_kwh",
                "grid_tariff_i3_idr_per_kwh",
                "coal_price_usd_per_t",
                "idr_per_usd",
            )
        },
        "not_computed": dict(national.not_found),
        "draws": inputs.draws,
        "seed": inputs.seed,
        "footprint_factorisations": inputs.factorisations,
    }


def _smelter_coal(a: SmelterAccount, basis: CoalBasis | None) -> CoalBurnt | None:
    if basis is None or a.electricity_mwh is None or not a.supply:
        return None
    return coal_burnt(coal_mwh(a), basis)


def _smelter_rows(accounts: NationalAccounts, basis: CoalBasis | None) -> list[dict[str, Any]]:
    rows = []
    for a in accounts.smelters:
        s = a.smelter
        burnt = _smelter_coal(a, basis)
        coal = sum(p.share for p in a.supply if p.factor == "coal") if a.supply else None
        rows.append(
            {
                "id": s.id,
                "name": s.name,
                "route": s.route.value,
                "status": s.status.value,
                "province": s.province,
                "park": s.park,
                "group": s.group or s.company,
                "latitude": s.latitude,
                "longitude": s.longitude,
                "ni_t": a.ni_t,
                "ni_estimated_from_capacity": a.estimated,
                "product_t": a.product_t,
                "electricity_mwh": a.electricity_mwh,
                "captive_coal_share": coal,
                "co2e_t": a.co2e,
                "co2e_process_t": a.co2e_process,
                "co2e_power_t": a.co2e_power,
                "intensity_t_per_t_ni": a.intensity,
                "residue_t": a.residue_t,
                "faba_t": a.faba_t,
                "captive_coal_tj": None if burnt is None else burnt.fuel_tj,
                "captive_coal_t": None if burnt is None else burnt.coal_t,
                **{carrier: a.carriers.get(carrier) for carrier in CARRIERS},
                "missing": [m.value for m in a.missing],
                "synthetic": s.synthetic,
            }
        )
    return rows


def _reconciled(rows: Sequence[Reconciled]) -> list[dict[str, Any]]:
    return [
        {
            "id": r.figure.id,
            "label_en": r.figure.label_en,
            "label_id": r.figure.label_id,
            "measure": r.figure.measure,
            "unit": r.figure.unit,
            "year": r.figure.year,
            "published": r.figure.value,
            "registry": r.registry,
            "difference": r.difference,
            "same_year": r.same_year,
            "source": describe(r.figure.provenance),
            "provenance": provenance_record(r.figure.provenance),
            "note": r.figure.provenance.note,
        }
        for r in rows
    ]


def _governance(rows: Sequence[Indicators]) -> list[dict[str, Any]]:
    return [
        {
            "id": g.smelter.id,
            "route": g.smelter.route.value,
            "completeness": g.completeness,
            "not_reported": list(g.not_reported),
            "intensity_t_per_t_ni": g.intensity,
            "route_median_t_per_t_ni": g.route_median,
            "intensity_vs_median": g.intensity_vs_median,
            "captive_coal_share": g.captive_coal_share,
            "slag_utilised": g.slag_utilised,
            "faba_utilised": g.faba_utilised,
            "sih": g.certifications.sih,
            "irma": g.certifications.irma,
            "iso14001": g.certifications.iso14001,
        }
        for g in rows
    ]


def accounts_record(
    accounts: NationalAccounts,
    reconciled: Sequence[Reconciled],
    indicators: Sequence[Indicators],
    inputs: RouteInputs,
    national: NationalFactors,
    *,
    registry_name: str,
) -> dict[str, Any]:
    """Return the national accounts of a year as plain data."""
    band = accounts.band or {}
    basis = _basis(inputs, national)
    prices = default_prices(national)
    by_route: dict[str, list[SmelterAccount]] = {}
    for account in accounts.smelters:
        by_route.setdefault(account.smelter.route.value, []).append(account)
    return {
        "kind": "national-accounts",
        "year": accounts.year,
        "registry": registry_name,
        "synthetic": accounts.synthetic,
        "national": totals_record(accounts.national, band.get("national")),
        "by": {
            name: {key: totals_record(t, band.get(key) if name == "route" else None)
                   for key, t in groups.items()}
            for name, groups in accounts.by.items()
        },
        "estimate": None
        if accounts.estimate is None
        else {
            "utilisation": accounts.estimate.utilisation,
            "basis": accounts.estimate.basis,
            "by_route": dict(accounts.estimate.by_route),
            "smelters_at_default": accounts.estimate.at_default,
            "smelters": list(accounts.estimate.smelters),
        },
        "smelters": _smelter_rows(accounts, basis),
        "captive_coal": None if basis is None else {
            "national": coal_record(total_coal(accounts.smelters, basis)),
            "by_route": {r: coal_record(total_coal(a, basis)) for r, a in sorted(by_route.items())},
        },
        "energy_carbon_cost": {
            "prices": prices_record(prices),
            "routes": {} if basis is None else {
                r: cost_record(c) for r, c in route_costs(accounts.smelters, prices, basis).items()
            },
        },
        "units": accounts.units,
        "reconciliation": _reconciled(reconciled),
        "governance": _governance(indicators),
        "inputs": _inputs(inputs, national),
    }  # fmt: skip


def _year_record(year: Any, threshold: float | None) -> dict[str, Any]:
    routes = {}
    for route, totals in year.by_route.items():
        intensity = totals.intensity
        routes[route] = {
            "ni_t": totals.ni_t + totals.ni_downstream_t,
            "co2e_t": totals.co2e,
            "intensity_t_per_t_ni": intensity,
            "band_t": year.route_band.get(route),
            "carbon_cost_idr_per_t_ni": year.carbon_cost_idr_per_t_ni(route),
            "captive_coal": coal_record(year.route_coal.get(route)),
            "energy_carbon_cost": cost_record(year.costs[route]) if route in year.costs else None,
            "above_threshold": None
            if threshold is None or intensity is None
            else intensity > threshold,
        }
    co2e = year.totals.co2e if year.totals.co2e_smelters else None
    return {
        "year": year.year,
        "co2e_t": co2e,
        "co2e_band_t": year.band,
        "co2e_smelters": year.totals.co2e_smelters,
        "ni_t": year.totals.ni_t,
        "ni_downstream_t": year.totals.ni_downstream_t,
        "coal_mw": year.coal_mw,
        "slag_generated_t": year.totals.residue_t,
        "slag_stockpile_t": year.slag_stockpile_t,
        "faba_generated_t": year.totals.faba_t,
        "faba_stockpile_t": year.faba_stockpile_t,
        "carbon_price_idr_per_t": year.carbon_price_idr_per_t,
        "prices": None if year.prices is None else prices_record(year.prices),
        "captive_coal": coal_record(year.coal),
        "cofiring_share": year.cofiring_share,
        "cap_t": year.cap_t,
        "over_cap_t": None if year.cap_t is None or co2e is None else co2e - year.cap_t,
        "missing": {k: len(v) for k, v in sorted(year.totals.missing.items())},
        "routes": routes,
    }


def scenario_record(
    trajectory: Trajectory,
    inputs: RouteInputs,
    national: NationalFactors,
    *,
    file: str,
    threshold: float | None = None,
) -> dict[str, Any]:
    """Return a scenario run as plain data, every year with its routes and band."""
    spec = trajectory.spec
    limit = threshold if threshold is not None else spec.buyer_threshold_t_per_t_ni
    return {
        "kind": "national-scenario",
        "file": file,
        "name": spec.name,
        "name_id": spec.name_id,
        "description": spec.description,
        "base_year": spec.base_year,
        "to": trajectory.years[-1].year,
        "synthetic": trajectory.synthetic,
        "draws": trajectory.draws,
        "buyer_threshold_t_per_t_ni": limit,
        "reuse": {
            "footprint_factorisations": inputs.factorisations,
            "year_aggregations": trajectory.aggregations,
            "draws_per_aggregation": trajectory.draws,
        },
        "years": [_year_record(y, limit) for y in trajectory.years],
        "spec": spec.model_dump(mode="json"),
        "inputs": _inputs(inputs, national),
    }


def _coal_t(year: dict[str, Any]) -> float | None:
    coal = year.get("captive_coal")
    return None if coal is None else float(coal["coal_t"])


def _cost(year: dict[str, Any], route: str) -> float | None:
    cost = (year["routes"].get(route) or {}).get("energy_carbon_cost")
    return None if cost is None else cost["total_idr_per_t_ni"]


def _priced(year: dict[str, Any], route: str) -> list[int] | None:
    """Return [smelters priced, smelters] of a route in a year, if it has a cost record."""
    cost = (year["routes"].get(route) or {}).get("energy_carbon_cost")
    return None if cost is None else [cost["smelters_priced"], cost["smelters"]]


def compare_record(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Return two scenario records side by side, with B minus A per year."""
    years_b = {y["year"]: y for y in b["years"]}
    rows = []
    for year in a["years"]:
        other = years_b.get(year["year"])
        if other is None:
            continue
        a_co2e, b_co2e = year["co2e_t"], other["co2e_t"]
        rows.append(
            {
                "year": year["year"],
                "a_co2e_t": a_co2e,
                "b_co2e_t": b_co2e,
                "difference_t": None if a_co2e is None or b_co2e is None else b_co2e - a_co2e,
                "a_band_t": year["co2e_band_t"],
                "b_band_t": other["co2e_band_t"],
                "a_coal_mw": year["coal_mw"],
                "b_coal_mw": other["coal_mw"],
                "a_slag_stockpile_t": year["slag_stockpile_t"],
                "b_slag_stockpile_t": other["slag_stockpile_t"],
                "a_captive_coal_t": _coal_t(year),
                "b_captive_coal_t": _coal_t(other),
                "routes": {
                    route: {
                        "a_energy_carbon_cost_idr_per_t_ni": _cost(year, route),
                        "b_energy_carbon_cost_idr_per_t_ni": _cost(other, route),
                        "a_smelters_priced": _priced(year, route),
                        "b_smelters_priced": _priced(other, route),
                    }
                    for route in sorted(set(year["routes"]) | set(other["routes"]))
                },
            }
        )
    return {"kind": "national-compare", "a": a, "b": b, "years": rows}


def registry_record(registry: Registry, name: str) -> dict[str, Any]:
    """Return the registry's smelters and units as plain data (for ``smelters list --json``)."""
    from sinergi.national.build import registry_rows

    return {"kind": "smelter-registry", "registry": name, **registry_rows(registry)}
