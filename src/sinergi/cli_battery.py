"""``sinergi battery``: fleet and end-of-life forecasts, recycling, swap-station sizing.

``forecast`` and ``recycling`` are thin shells over :mod:`sinergi.circularity.scenarios` and
:mod:`sinergi.circularity.recycling`. Exit codes: 0 ok, 2 bad option (unknown scenario,
route, year or rate), 3 a file could not be written. Illustrative inputs are always listed.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from sinergi.errors import SinergiError

battery_app = typer.Typer(
    help="Battery circularity: fleet forecasts, recycling, swap-station sizing.",
    no_args_is_help=True,
)
console = Console()
err = Console(stderr=True)


class OutputFormat(StrEnum):
    """How ``forecast`` and ``recycling`` print their results."""

    table = "table"
    json = "json"


class RouteOption(StrEnum):
    """Recycling route."""

    hydro = "hydro"
    pyro = "pyro"


ScenarioOpt = Annotated[
    str, typer.Option("--scenario", help="Scenario name in data/circularity/scenarios.yaml.")
]
ToOpt = Annotated[int, typer.Option("--to", help="Last year of the forecast.")]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", help="table or json.")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Also write the JSON to this file.")]


@battery_app.command("forecast")
def forecast_command(
    scenario: ScenarioOpt = "government-targets",
    to: ToOpt = 2045,
    fmt: FormatOpt = OutputFormat.table,
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
    fmt: FormatOpt = OutputFormat.table,
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
    Console().print(
        f"wrote {out}/battery-forecast.json, swap-station.json, " + ", ".join(p.name for p in pages)
    )


def _usage(exc: SinergiError) -> typer.Exit:
    err.print(f"[bold red]error:[/] {exc}")
    return typer.Exit(2)


def _emit(record: dict[str, Any], fmt: OutputFormat, out: Path | None, table: Any) -> None:
    text = json.dumps(record, indent=2, ensure_ascii=False)
    if out is not None:
        try:
            out.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            err.print(f"[bold red]error:[/] cannot write {out}: {exc}")
            raise typer.Exit(3) from exc
    if fmt is OutputFormat.json:
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


# swap command (registered below by sinergi.cli_swap)
from sinergi.cli_swap import swap_command  # noqa: E402

battery_app.command("swap")(swap_command)
