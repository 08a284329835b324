"""``sinergi battery swap``: size e-motorcycle battery swap stations for a fleet.

A thin shell over :mod:`sinergi.circularity.swap_demo`: it parses options, calls the planner
(and the simulation when asked) and prints a table or JSON. Inputs taken from illustrative
reference values are listed under the table and in the JSON, so nobody mistakes them for data.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from sinergi.circularity.swap_demo import plan_record, plan_swap_network, simulate_plan
from sinergi.errors import SinergiError

console = Console()
err = Console(stderr=True)


class SwapStandard(StrEnum):
    """Pack standard of the network."""

    shared = "shared"
    proprietary = "proprietary"


class ChargeTime(StrEnum):
    """Charge-time distribution of the simulation."""

    exponential = "exponential"
    deterministic = "deterministic"


class SwapFormat(StrEnum):
    """Output format."""

    table = "table"
    json = "json"


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
    fmt: Annotated[SwapFormat, typer.Option("--format", help="table or json.")] = SwapFormat.table,
) -> None:
    """Size swap stations: packs and chargers per station, shared vs proprietary packs."""
    try:
        plan = plan_swap_network(
            riders,
            km_per_day=km_per_day,
            wh_per_km=wh_per_km,
            pack=pack,
            stations=stations,
            target_p_wait=target_wait,
            charge_hours=charge_hours,
            standard=standard.value,
        )
        simulation = (
            simulate_plan(
                plan,
                replications=replications,
                seed=seed,
                charge=charge.value,
                days=days,
                size_by_simulation=size_daily,
            )
            if simulate
            else None
        )
    except SinergiError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(3) from exc
    record = plan_record(plan, simulation)
    if fmt is SwapFormat.json:
        sys.stdout.write(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
        return
    _print_tables(record)


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
