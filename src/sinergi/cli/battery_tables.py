"""The terminal tables of ``sinergi battery``, in the reader's language.

Each function takes the JSON-ready record a command prints with ``--format json`` and returns
Rich renderables (tables and lines): every header and sentence from the catalogues, numbers
and shares in the language's format, verdicts and input names as words, never as codes.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table

from sinergi.circularity.eu_targets import VERDICT_TEXT, Verdict
from sinergi.i18n import N_, _, format_number, format_percent_value
from sinergi.reference import Provenance, describe
from sinergi.reports.battery_text import data_text

#: Names of the swap planner's inputs, as a person reads them.
SWAP_INPUTS: dict[str, str] = {
    "km_per_day": N_("distance per rider per day"),
    "wh_per_km": N_("energy use per km"),
    "usable_depth_of_discharge": N_("usable depth of discharge"),
    "swap_threshold_soc": N_("charge left when riders swap"),
    "charge_hours": N_("charge time of one pack"),
    "pack_kwh": N_("pack energy"),
    "hourly_profile": N_("hourly profile of swaps"),
    "brand_shares": N_("brand shares"),
}


def _n(value: float | None, lang: str, digits: int = 0) -> str:
    return format_number(value, lang, digits)


def _p(share: float | None, lang: str, digits: int = 0) -> str:
    return format_percent_value(share, lang, digits)


def forecast_tables(record: dict[str, Any], lang: str) -> list[Any]:
    """Return the yearly totals, the last year by vehicle type, and the stock check."""
    types = record["by_vehicle_type"]
    table = Table(
        title=_(lang, "Battery forecast, scenario {scenario}, all vehicle types").format(
            scenario=record["scenario"]
        )
    )
    columns = (
        (N_("in use, thousand packs"), "packs", "stock", 1e3),
        (N_("placed on the market, thousand packs"), "packs", "inflow", 1e3),
        (N_("retired, thousand packs"), "packs", "outflow", 1e3),
        (N_("retired, MWh"), "kwh", "outflow", 1e3),
        (N_("retired, t"), "t", "outflow", 1.0),
    )
    table.add_column(_(lang, "year"), justify="right")
    for label, *_rest in columns:
        table.add_column(_(lang, label), justify="right")
    for i, year in enumerate(record["years"]):
        cells = [
            sum(types[v][unit][flow][i] for v in types) / scale for _l, unit, flow, scale in columns
        ]
        table.add_row(str(year), *(_n(x, lang, 1) for x in cells))
    last = len(record["years"]) - 1
    by_type = Table(title=_(lang, "By vehicle type, {year}").format(year=record["years"][last]))
    for label in (N_("vehicle type"), N_("in use, packs"), N_("in use, MWh"), N_("retired, t")):
        by_type.add_column(_(lang, label), justify="right")
    for vehicle, flows in types.items():
        by_type.add_row(
            record["vehicle_labels"][vehicle][lang],
            _n(flows["packs"]["stock"][last], lang),
            _n(flows["kwh"]["stock"][last] / 1e3, lang),
            _n(flows["t"]["outflow"][last], lang),
        )
    return [table, by_type, *_stock_check_lines(record, lang)]


def _stock_check_lines(record: dict[str, Any], lang: str) -> list[str]:
    lines = []
    for check in record.get("stock_checks", []):
        key = "label" if lang == "en" else "label_id"
        missing = ", ".join(
            f"{item[key]} {_n(item['value'], lang)}" for item in check["not_modelled"]
        )
        source = describe(Provenance.model_validate(check["provenance"]), lang)
        lines.append(
            _(
                lang,
                "Stock check {year}: modelled {modelled} packs in use, sourced {sourced} "
                "({source}); difference {difference}: not modelled {missing}.",
            ).format(
                year=check["year"],
                modelled=_n(check["modelled"], lang),
                sourced=_n(check["sourced"], lang),
                source=source,
                difference=_n(check["difference"], lang),
                missing=missing or "–",
            )
        )
    return lines


def recycling_tables(record: dict[str, Any], lang: str) -> list[Any]:
    """Return the yearly end-of-life table, the EU target tables and the closing notes."""
    route = record["route_labels"][lang]
    table = Table(
        title=_(
            lang, "End of life, scenario {scenario}, route {route}, collection rate {rate}"
        ).format(scenario=record["scenario"], route=route, rate=_p(record["collection_rate"], lang))
    )
    table.add_column(_(lang, "year"), justify="right")
    for label in (N_("collected, t"), N_("black mass, t")):
        table.add_column(_(lang, label), justify="right")
    recovered = record["recovered_t"]
    for element in recovered:
        table.add_column(_(lang, "{element} recovered, t").format(element=element), justify="right")
    for i, year in enumerate(record["years"]):
        cells = [record[key][i] for key in ("collected_t_battery", "black_mass_t")]
        cells += [recovered[e][i] for e in recovered]
        table.add_row(str(year), *(_n(x, lang) for x in cells))
    notes = [
        _(lang, "Batteries collected each year are also the recycling capacity needed."),
        _planned(record, lang),
        _avoided(record, lang),
        _(
            lang,
            "* Recycled content: the most domestic recycling could supply, recovered metal over "
            "the metal in new packs placed on the Indonesian market that year (an upper bound).",
        ),
    ]
    return [table, _targets_table(record, lang), *notes]


def _targets_table(record: dict[str, Any], lang: str) -> Table:
    targets = Table(
        title=_(lang, "EU Regulation 2023/1542 targets against this route and forecast")
    )
    for label in (N_("target"), N_("subject"), N_("year"), N_("required"), N_("this forecast"),
                  N_("verdict")):  # fmt: skip
        targets.add_column(_(lang, label))
    for row in record["eu_recycling_efficiency_targets"]:
        shown = (
            "–"
            if row["recovered_share_of_mass"] is None
            else _(lang, "{share} of the pack mass from five metals").format(
                share=_p(row["recovered_share_of_mass"], lang, 1)
            )
        )
        targets.add_row(
            _(lang, "recycling efficiency"),
            row["label"][lang],
            _(lang, "end of {year}").format(year=row["by_end_of"]),
            _p(row["target"], lang),
            shown,
            _verdict(row["verdict"], lang),
        )
    for row in record["eu_recovery_targets"]:
        targets.add_row(
            _(lang, "material recovery"),
            row["element"],
            _(lang, "end of {year}").format(year=row["by_end_of"]),
            _p(row["target"], lang),
            _p(row["route_rate"], lang) + _bound(row["bound"], lang),
            _verdict(row["verdict"], lang),
        )
    for row in record["eu_recycled_content_targets"]:
        targets.add_row(
            _(lang, "recycled content*"),
            row["element"],
            _(lang, "from {year}").format(year=row["from"]),
            _p(row["target"], lang),
            _p(row.get("max_recycled_share"), lang, 2),
            _verdict(row["verdict"], lang),
        )
    return targets


def _bound(bound: str, lang: str) -> str:
    words = {"upper": N_("upper bound"), "lower": N_("lower bound")}
    return f" ({_(lang, words[bound])})" if bound in words else ""


def _verdict(code: str, lang: str) -> str:
    return _(lang, VERDICT_TEXT[Verdict(code)])


def _planned(record: dict[str, Any], lang: str) -> str:
    text = record["planned_capacity"]
    if text.startswith("none: "):
        return _(lang, "Planned recycling capacity: none found ({why}).").format(
            why=data_text(text.removeprefix("none: "), lang)
        )
    return _(lang, "Planned recycling capacity: {plants}.").format(plants=text)


def _avoided(record: dict[str, Any], lang: str) -> str:
    status = record.get("emissions_avoided_status", "not_computed")
    if status == "not_computed":
        return _(lang, "Emissions avoided: not computed (no t CO2e per t metal factors given).")
    values = record["emissions_avoided_t_co2e"]
    return _(lang, "Emissions avoided in {year}: {value} t CO2e avoided ({kind}).").format(
        year=record["years"][-1],
        value=_n(values[-1], lang),
        kind=_(lang, "a lower bound") if status == "lower_bound" else _(lang, "complete"),
    )


def illustrative_lines(record: dict[str, Any], lang: str) -> list[str]:
    """Return the illustrative inputs of a forecast or recycling record, one per line."""
    every = [*record.get("forecast_inputs", []), *record.get("inputs", [])]
    items = [i for i in every if i["provenance"].get("illustrative")]
    lines = []
    if items:
        lines.append(
            "[yellow]"
            + _(lang, "Illustrative inputs ({count}), not sourced:").format(count=len(items))
            + "[/]"
        )
    labels = record.get("vehicle_labels", {})
    for item in items:
        subject = labels.get(item["subject"], {}).get(lang, item["subject"])
        label = _(lang, item["quantity"]).format(subject=subject, year=item.get("year"))
        note = data_text(item["provenance"].get("note", ""), lang)
        lines.append(f"  - {label}: {note}")
    for item in record.get("clipped_inflow", []):
        lines.append(
            "[yellow]"
            + _(lang, "Inflow clipped to zero (the fleet fell too fast):")
            + f"[/] {item}"
        )
    return lines


def swap_tables(record: dict[str, Any], lang: str) -> list[Any]:
    """Return the demand line, the station designs, the network line and any simulation."""
    demand, station, network = record["demand"], record["station"], record["network"]
    parts: list[Any] = [
        _(
            lang,
            "{riders} riders, {stations} station(s) (SPBKLU): {swaps} swaps a day ({per_rider} per "
            "rider, {km} km per swap); peak hour {peak} swaps an hour per station, {load} packs "
            "charging on average.",
        ).format(
            riders=_n(demand["riders"], lang),
            stations=station["stations"],
            swaps=_n(demand["swaps_per_day"], lang),
            per_rider=_n(demand["swaps_per_rider_day"], lang, 2),
            km=_n(demand["km_per_swap"], lang, 1),
            peak=_n(station["peak_hour_swaps"], lang, 1),
            load=_n(station["load_erlangs"], lang, 1),
        )
    ]
    parts.append(_designs_table(record, lang))
    parts.append(
        _(
            lang,
            "Station packs in the network: {shared} with one shared standard pack, {proprietary} "
            "with one pack per brand ({saved} fewer with the shared pack); plus {vehicles} packs "
            "in vehicles.",
        ).format(
            shared=_n(network["shared"]["batteries"], lang),
            proprietary=_n(network["proprietary"]["batteries"], lang),
            saved=_n(network["batteries_saved_by_shared_pack"], lang),
            vehicles=_n(network["batteries_in_vehicles"], lang),
        )
    )
    if "simulation" in record:
        parts.append(_simulation_table(record["simulation"], lang))
    parts += _simulated_sizing(record, lang)
    flagged = [_(lang, SWAP_INPUTS.get(name, name)) for name in record["illustrative_inputs"]]
    if flagged:
        parts.append(
            "[yellow]"
            + _(lang, "Illustrative inputs (no source found; replace with measured values):")
            + "[/] "
            + ", ".join(flagged)
        )
    return parts


def _designs_table(record: dict[str, Any], lang: str) -> Table:
    """Return the closed-form cabinet(s) one station needs under the plan's standard."""
    standards = {"shared": N_("one shared standard pack"), "proprietary": N_("one pack per brand")}
    standard = _(lang, standards[record["standard"]])
    designs = Table(
        title=_(lang, "Per station, {standard}, closed form at the peak hour").format(
            standard=standard
        )
    )
    for column in (N_("cabinet"), N_("chargers"), N_("packs"), N_("P(rider waits)"),
                   N_("mean wait, min")):  # fmt: skip
        designs.add_column(_(lang, column))
    for owner, d in record["station"]["designs"].items():
        designs.add_row(
            _(lang, "shared") if owner == "shared" else owner,
            str(d["chargers"]),
            str(d["batteries"]),
            _n(d["p_wait"], lang, 3),
            _n(d["mean_wait_min"], lang, 2),
        )
    return designs


def _simulated_sizing(record: dict[str, Any], lang: str) -> list[str]:
    lines = []
    for owner, c in record.get("simulated_cabinet_sizing", {}).items():
        fewest = c["batteries"]
        shown = (
            _(lang, "more packs than the closed-form design")
            if fewest is None
            else _(lang, "{count} packs").format(count=fewest)
        )
        lines.append(
            _(
                lang,
                "Simulated daily profile, {owner}: a cabinet (one charger per pack) needs {shown} "
                "to keep the whole 95 % interval of P(rider waits) at or below {target}.",
            ).format(
                owner=_(lang, "shared") if owner == "shared" else owner,
                shown=shown,
                target=_n(c["target_p_wait"], lang, 2),
            )
        )
    return lines


def _simulation_table(simulation: dict[str, Any], lang: str) -> Table:
    table = Table(title=_(lang, "Simulation (SimPy), 95 % confidence intervals over replications"))
    for column in (N_("cabinet"), N_("arrivals"), N_("P(rider waits)"), N_("mean wait, min"),
                   N_("replications")):  # fmt: skip
        table.add_column(_(lang, column))
    arrivals = {"peak_hour": N_("peak-hour rate all day"), "daily_profile": N_("daily profile")}
    for owner, runs in simulation.items():
        for label, run in runs.items():
            p, w = run["p_wait"], run["mean_wait_min"]
            table.add_row(
                _(lang, "shared") if owner == "shared" else owner,
                _(lang, arrivals.get(label, label)),
                f"{_n(p['mean'], lang, 4)} ({_n(p['low'], lang, 4)}–{_n(p['high'], lang, 4)})",
                f"{_n(w['mean'], lang, 2)} ({_n(w['low'], lang, 2)}–{_n(w['high'], lang, 2)})",
                str(run["replications"]),
            )
    return table
