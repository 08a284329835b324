"""``sinergi battery``: fleet and end-of-life forecasts, recycling, swap-station sizing.

``forecast`` and ``recycling`` are thin shells over :mod:`sinergi.circularity.scenarios` and
:mod:`sinergi.circularity.recycling`; ``swap`` sizes swap stations with
:mod:`sinergi.circularity.swap_demo`. Exit codes as in :mod:`sinergi.cli.common`.
Illustrative inputs are always listed, so nobody mistakes them for data.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from sinergi.circularity.swap_demo import plan_record, plan_swap_network, simulate_plan
from sinergi.cli.common import TextFormat, console, err, write_file
from sinergi.errors import SinergiError, UsageError

battery_app = typer.Typer(
    help="Battery circularity: fleet forecasts, recycling, swap-station sizing.",
    no_args_is_help=True,
)


class RouteOption(StrEnum):
    """Recycling route."""

    hydro = "hydro"
    pyro = "pyro"


ScenarioOpt = Annotated[
    str, typer.Option("--scenario", help="Scenario name in data/circularity/scenarios.yaml.")
]
ToOpt = Annotated[int, typer.Option("--to", help="Last year of the forecast.")]
FormatOpt = Annotated[TextFormat, typer.Option("--format", help="text or json.")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Also write the JSON to this file.")]


@battery_app.command("forecast")
def forecast_command(
    scenario: ScenarioOpt = "government-targets",
    to: ToOpt = 2045,
    fmt: FormatOpt = TextFormat.text,
    out: OutOpt = None,
) -> None:
    """Forecast battery packs, kWh and tonnes in use, placed on the market and retired."""
    from sinergi.circularity.scenarios import forecast

    try:
        result = forecast(scenario, to=to)
    except SinergiError as exc:
        raise _usage(exc) from exc
    record = result.to_dict()
    _emit(record, fmt, out, lambda: _forecast_table(record))


@battery_app.command("recycling")
def recycling_command(
    scenario: ScenarioOpt = "government-targets",
    route: Annotated[RouteOption, typer.Option("--route", help="hydro or pyro.")] = (
        RouteOption.hydro
    ),
    collection_rate: Annotated[
        float | None,
        typer.Option("--collection-rate", help="Share collected, 0-1 (default: illustrative)."),
    ] = None,
    to: ToOpt = 2045,
    fmt: FormatOpt = TextFormat.text,
    out: OutOpt = None,
) -> None:
    """Forecast end-of-life batteries, recovered metals and the EU targets they face."""
    from sinergi.circularity.recycling import recycling
    from sinergi.circularity.scenarios import forecast

    try:
        result = recycling(
            forecast(scenario, to=to), route=route.value, collection_rate=collection_rate
        )
    except SinergiError as exc:
        raise _usage(exc) from exc
    record = result.to_dict()
    _emit(record, fmt, out, lambda: _recycling_tables(record))


@battery_app.command("report")
def report_command(
    out: Annotated[Path, typer.Option(help="Folder for the JSON records and HTML pages.")] = Path(
        "battery"
    ),
) -> None:
    """Write the national forecast, recycling and pilot swap-station sizing as JSON + HTML."""
    from sinergi.circularity.demo import circularity_demo
    from sinergi.circularity.swap_demo import swap_demo
    from sinergi.reports.battery import write_battery_report

    circularity_demo(out)
    swap_demo(out)
    pages = write_battery_report(out)
    err.print(
        f"wrote {out}/battery-forecast.json, swap-station.json, " + ", ".join(p.name for p in pages)
    )


def _usage(exc: SinergiError) -> UsageError:
    return UsageError(str(exc))


def _emit(record: dict[str, Any], fmt: TextFormat, out: Path | None, table: Any) -> None:
    text = json.dumps(record, indent=2, ensure_ascii=False)
    if out is not None:
        write_file(out, (text + "\n").encode("utf-8"))
    if fmt is TextFormat.json:
        typer.echo(text)
    else:
        table()
        _print_illustrative(record)


def _forecast_table(record: dict[str, Any]) -> None:
    types = record["by_vehicle_type"]
    table = Table(title=f"Battery forecast, scenario {record['scenario']}, all vehicle types")
    columns = (
        ("in use, k packs", "packs", "stock", 1e3),
        ("placed, k packs", "packs", "inflow", 1e3),
        ("retired, k packs", "packs", "outflow", 1e3),
        ("retired, MWh", "kwh", "outflow", 1e3),
        ("retired, t", "t", "outflow", 1.0),
    )
    table.add_column("year", justify="right")
    for label, *_ in columns:
        table.add_column(label, justify="right")
    for i, year in enumerate(record["years"]):
        cells = [
            sum(types[v][unit][flow][i] for v in types) / scale for _, unit, flow, scale in columns
        ]
        table.add_row(str(year), *(f"{x:,.1f}" for x in cells))
    console.print(table)
    last = len(record["years"]) - 1
    by_type = Table(title=f"By vehicle type, {record['years'][last]}")
    for label in ("vehicle type", "in use, packs", "in use, MWh", "retired, t"):
        by_type.add_column(label, justify="right")
    for vehicle, flows in types.items():
        by_type.add_row(
            vehicle,
            f"{flows['packs']['stock'][last]:,.0f}",
            f"{flows['kwh']['stock'][last] / 1e3:,.0f}",
            f"{flows['t']['outflow'][last]:,.0f}",
        )
    console.print(by_type)


def _recycling_tables(record: dict[str, Any]) -> None:
    table = Table(
        title=f"End of life, scenario {record['scenario']}, route {record['route']}, "
        f"collection rate {record['collection_rate']:.0%}"
    )
    table.add_column("year", justify="right")
    for label in ("collected", "black mass"):
        table.add_column(label, justify="right")
    recovered = record["recovered_t"]
    for element in recovered:
        table.add_column(element, justify="right")
    for i, year in enumerate(record["years"]):
        cells = [record[key][i] for key in ("collected_t_battery", "black_mass_t")]
        cells += [recovered[e][i] for e in recovered]
        table.add_row(str(year), *(f"{x:,.0f}" for x in cells))
    console.print(table)
    console.print(
        "t per year: batteries collected (= capacity needed), black mass, recovered metal"
    )
    targets = Table(title="EU targets (Reg. 2023/1542) against this route and forecast")
    for label in ("target", "element", "year", "required", "achieved", "meets"):
        targets.add_column(label)
    for row in record["eu_recovery_targets"]:
        targets.add_row(
            "material recovery",
            row["element"],
            f"end {row['by_end_of']}",
            f"{row['target']:.0%}",
            f"{row['route_rate']:.0%}",
            _yes_no(row["meets"]),
        )
    for row in record["eu_recycled_content_targets"]:
        share = row["max_recycled_share"]
        targets.add_row(
            "recycled content*",
            row["element"],
            str(row["from"]),
            f"{row['target']:.0%}",
            "n/a" if share is None else f"{share:.0%}",
            _yes_no(row["meets"]),
        )
    console.print(targets)
    console.print(
        "* most that domestic recycling could supply: recovered metal / metal in new packs "
        "placed on the Indonesian market that year"
    )
    console.print(f"Planned recycling capacity: {record['planned_capacity']}")
    console.print(f"Emissions avoided: {record['emissions_avoided_note']}")


def _yes_no(value: bool | None) -> str:
    return "n/a" if value is None else ("yes" if value else "no")


def _print_illustrative(record: dict[str, Any]) -> None:
    flags = record["illustrative"]
    if flags:
        console.print(f"[yellow]Illustrative inputs ({len(flags)}), not sourced:[/]")
        for flag in flags:
            console.print(f"  - {flag}")
    for item in record.get("clipped_inflow", []):
        console.print(f"[yellow]inflow clipped to zero (fleet fell too fast):[/] {item}")


# --- swap stations -------------------------------------------------------------------


class SwapStandard(StrEnum):
    """Pack standard of the network."""

    shared = "shared"
    proprietary = "proprietary"


class ChargeTime(StrEnum):
    """Charge-time distribution of the simulation."""

    exponential = "exponential"
    deterministic = "deterministic"


@battery_app.command("swap")
def swap_command(
    riders: Annotated[int, typer.Option(min=1, help="E-motorcycles using the swap network.")],
    km_per_day: Annotated[
        float | None, typer.Option(help="Distance per rider per day, km (default: reference).")
    ] = None,
    wh_per_km: Annotated[
        float | None, typer.Option(help="Energy use, Wh/km (default: illustrative value).")
    ] = None,
    pack: Annotated[
        str | None, typer.Option(help="Swap pack id: sni-60v-20ah (default) or sni-72v-20ah.")
    ] = None,
    stations: Annotated[int, typer.Option(min=1, help="Stations sharing the fleet.")] = 1,
    target_wait: Annotated[
        float, typer.Option(help="Target probability that a rider waits at the peak hour.")
    ] = 0.05,
    charge_hours: Annotated[
        float | None, typer.Option(help="Mean charge time of one pack, h (default: illustrative).")
    ] = None,
    standard: Annotated[
        SwapStandard, typer.Option(help="One shared standard pack, or one pack per brand.")
    ] = SwapStandard.shared,
    simulate: Annotated[
        bool, typer.Option("--simulate", help="Also run the discrete-event simulation.")
    ] = False,
    replications: Annotated[int, typer.Option(min=2, help="Simulation replications.")] = 20,
    seed: Annotated[int, typer.Option(help="Simulation seed.")] = 0,
    charge: Annotated[
        ChargeTime, typer.Option(help="Simulated charge times.")
    ] = ChargeTime.exponential,
    days: Annotated[int, typer.Option(min=1, help="Simulated days per replication.")] = 10,
    size_daily: Annotated[
        bool,
        typer.Option(
            "--size-by-simulation", help="With --simulate: size cabinets over the daily profile."
        ),
    ] = False,
    fmt: FormatOpt = TextFormat.text,
) -> None:
    """Size swap stations: packs and chargers per station, shared vs proprietary packs.

    Every input is an option value here, so an input the planner refuses is a usage error.
    """
    try:
        record = _swap_record(
            riders,
            {
                "km_per_day": km_per_day,
                "wh_per_km": wh_per_km,
                "pack": pack,
                "stations": stations,
                "target_p_wait": target_wait,
                "charge_hours": charge_hours,
                "standard": standard.value,
            },
            {
                "replications": replications,
                "seed": seed,
                "charge": charge.value,
                "days": days,
                "size_by_simulation": size_daily,
            }
            if simulate
            else None,
        )
    except SinergiError as exc:
        raise _usage(exc) from exc
    if fmt is TextFormat.json:
        sys.stdout.write(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
        return
    _print_tables(record)


def _swap_record(
    riders: int, planning: dict[str, Any], simulation: dict[str, Any] | None
) -> dict[str, Any]:
    plan = plan_swap_network(riders, **planning)
    simulated = None if simulation is None else simulate_plan(plan, **simulation)
    return plan_record(plan, simulated)


def _print_tables(record: dict[str, Any]) -> None:
    demand, station, network = record["demand"], record["station"], record["network"]
    console.print(
        f"{demand['riders']:,} riders, {station['stations']} station(s): "
        f"{demand['swaps_per_day']:,.0f} swaps/day ({demand['swaps_per_rider_day']:.2f} per "
        f"rider, {demand['km_per_swap']:.1f} km per swap); peak hour "
        f"{station['peak_hour_swaps']:.1f} swaps/h per station, "
        f"{station['load_erlangs']:.1f} packs charging on average"
    )
    designs = Table(title=f"Per station, {record['standard']} pack(s), closed form at peak hour")
    for column in ("cabinet", "chargers", "batteries", "P(wait)", "mean wait (min)"):
        designs.add_column(column)
    for owner, d in station["designs"].items():
        designs.add_row(
            owner,
            str(d["chargers"]),
            str(d["batteries"]),
            f"{d['p_wait']:.3f}",
            f"{d['mean_wait_min']:.2f}",
        )
    console.print(designs)
    console.print(
        f"Network station packs: shared {network['shared']['batteries']:,} vs proprietary "
        f"{network['proprietary']['batteries']:,} (saved by one standard pack: "
        f"{network['batteries_saved_by_shared_pack']:,}); plus "
        f"{network['batteries_in_vehicles']:,} packs in vehicles"
    )
    if "simulation" in record:
        console.print(_simulation_table(record["simulation"]))
    for owner, c in record.get("simulated_cabinet_sizing", {}).items():
        fewest = c["batteries"]
        shown = "more than the closed-form design" if fewest is None else f"{fewest} packs"
        console.print(
            f"Simulated daily profile, {owner}: a cabinet (one charger per pack) needs "
            f"{shown} to keep the whole 95 % interval of P(wait) <= {c['target_p_wait']:g}"
        )
    flagged = record["illustrative_inputs"]
    if flagged:
        console.print(
            "[yellow]ILLUSTRATIVE inputs (no source found; replace with measured values):[/] "
            + ", ".join(flagged)
        )


def _simulation_table(simulation: dict[str, Any]) -> Table:
    table = Table(title="Simulation (SimPy), 95 % confidence intervals over replications")
    for column in ("cabinet", "arrivals", "P(wait)", "mean wait (min)", "replications"):
        table.add_column(column)
    for owner, runs in simulation.items():
        for label, run in runs.items():
            p, w = run["p_wait"], run["mean_wait_min"]
            table.add_row(
                owner,
                label.replace("_", " "),
                f"{p['mean']:.4f} [{p['low']:.4f}, {p['high']:.4f}]",
                f"{w['mean']:.2f} [{w['low']:.2f}, {w['high']:.2f}]",
                str(run["replications"]),
            )
    return table
