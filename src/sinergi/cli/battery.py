"""``sinergi battery``: fleet and end-of-life forecasts, recycling, swap-station sizing, report.

``forecast`` and ``recycling`` are thin shells over :mod:`sinergi.circularity.scenarios` and
:mod:`sinergi.circularity.recycling`; ``swap`` sizes swap stations with
:mod:`sinergi.circularity.swap_plan`; ``report`` writes the records and the bilingual page
through :mod:`sinergi.reports.demo_battery`. Tables speak the ``--lang`` language (every
sentence from the catalogues, numbers in its format); JSON is the same in both. Exit codes as
in :mod:`sinergi.cli.common`. Illustrative inputs are always listed, so nobody mistakes them
for data.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from sinergi.cli.battery_tables import (
    forecast_tables,
    illustrative_lines,
    recycling_tables,
    swap_tables,
)
from sinergi.cli.common import LangOption, TextFormat, console, err, write_file
from sinergi.errors import SinergiError, UsageError
from sinergi.i18n import Language

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
    lang: LangOption = Language.en,
) -> None:
    """Forecast battery packs, kWh and tonnes in use, placed on the market and retired."""
    from sinergi.circularity.scenarios import forecast

    try:
        result = forecast(scenario, to=to)
    except SinergiError as exc:
        raise _usage(exc) from exc
    record = result.to_dict()
    _emit(record, fmt, out, lambda: forecast_tables(record, lang.value), lang.value)


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
    lang: LangOption = Language.en,
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
    _emit(record, fmt, out, lambda: recycling_tables(record, lang.value), lang.value)


@battery_app.command("report")
def report_command(
    out: Annotated[Path, typer.Option(help="Folder for the JSON records and HTML pages.")] = Path(
        "battery"
    ),
) -> None:
    """Write the national forecast, recycling and pilot swap-station sizing as JSON + HTML.

    Recovered nickel is priced with the footprint engine's nickel sulfate via Indonesian HPAL,
    as in ``sinergi demo``.
    """
    from sinergi.reports.demo_battery import primary_nickel_factor, write_battery_demo

    try:
        written = write_battery_demo(out, *primary_nickel_factor())
    except OSError as exc:
        raise _file_problem(out, exc) from None
    for path in (written["battery_forecast"]["file"], written["swap_station"]["path"]):
        err.print(f"wrote {path}")
    for page in written["pages"]:
        err.print(f"wrote {page}")


def _usage(exc: SinergiError) -> UsageError:
    return UsageError(str(exc))


def _file_problem(out: Path, exc: OSError) -> SinergiError:
    from sinergi.errors import FileProblem

    return FileProblem(f"cannot write to {out}: {exc.strerror or exc}; choose another --out")


def _emit(
    record: dict[str, Any], fmt: TextFormat, out: Path | None, tables: Any, lang: str
) -> None:
    text = json.dumps(record, indent=2, ensure_ascii=False)
    if out is not None:
        write_file(out, (text + "\n").encode("utf-8"), lang)
    if fmt is TextFormat.json:
        typer.echo(text)
        return
    for item in tables():
        console.print(item)
    for line in illustrative_lines(record, lang):
        console.print(line)


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
    lang: LangOption = Language.en,
) -> None:
    """Size swap stations (SPBKLU): packs and chargers per station, shared vs proprietary.

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
    for item in swap_tables(record, lang.value):
        console.print(item)


def _swap_record(
    riders: int, planning: dict[str, Any], simulation: dict[str, Any] | None
) -> dict[str, Any]:
    from sinergi.circularity.swap_plan import plan_record, plan_swap_network, simulate_plan

    plan = plan_swap_network(riders, **planning)
    simulated = None if simulation is None else simulate_plan(plan, **simulation)
    return plan_record(plan, simulated)
