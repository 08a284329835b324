"""``sinergi footprint``: product footprints, route/scenario comparisons, battery declarations.

A thin shell over :mod:`sinergi.footprint`. The product is a positional argument of the
``product`` subcommand, because a positional on the group itself would clash with the
``compare``, ``battery``, ``calibrate`` and ``list`` subcommands. Exit codes as in
:mod:`sinergi.cli.common` (an unknown product, route or scenario is a usage error, 2).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from sinergi.cli.common import (
    DbOption,
    ReportFormat,
    TextFormat,
    console,
    open_store,
    parse_period,
    warn_if_no_data,
    write_output,
)
from sinergi.errors import NotFound, UsageError
from sinergi.footprint.battery import declare
from sinergi.footprint.calibration import calibrate
from sinergi.footprint.inventory import AllocationMethod
from sinergi.footprint.network import Settings
from sinergi.footprint.render import footprint_html, monte_carlo_lines
from sinergi.footprint.route_uncertainty import route_monte_carlo
from sinergi.footprint.scenarios import FootprintModel, Request

footprint_app = typer.Typer(
    help="Product carbon footprints of the nickel -> battery chain (GWP100).",
    no_args_is_help=True,
)
_ALLOCATIONS: tuple[AllocationMethod, ...] = ("mass", "economic", "system_expansion")

RouteOption = Annotated[str | None, typer.Option(help="Nickel route: hpal or rkef-matte.")]
ScenarioOption = Annotated[str | None, typer.Option(help="Named scenario (see 'list').")]
MethodOption = Annotated[str, typer.Option(help="GWP100 set: ar6 or ar5.")]
FormatOption = Annotated[ReportFormat, typer.Option("--format", help="text, json or html.")]
OutOption = Annotated[Path | None, typer.Option(help="Write the output to this file.")]
SetOption = Annotated[
    list[str] | None, typer.Option("--set", help="Override a parameter: NAME=VALUE (repeat).")
]
AllocOption = Annotated[
    list[str] | None,
    typer.Option("--allocation", help="PROCESS=mass|economic|system_expansion (repeat)."),
]


def _pairs(items: list[str] | None, what: str) -> dict[str, str]:
    out = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name or not value:
            raise UsageError(f"{what} {item!r} must look like NAME=VALUE")
        out[name.strip()] = value.strip()
    return out


def _overrides(values: list[str] | None, allocation: list[str] | None) -> Settings:
    parsed: dict[str, float] = {}
    for name, text in _pairs(values, "--set").items():
        try:
            parsed[name] = float(text)
        except ValueError as exc:
            raise UsageError(f"--set {name}={text!r}: give a number") from exc
    alloc: dict[str, AllocationMethod] = {}
    for name, text in _pairs(allocation, "--allocation").items():
        method = next((m for m in _ALLOCATIONS if m == text), None)
        if method is None:
            raise UsageError(
                f"--allocation {name}={text!r}: choose one of {', '.join(_ALLOCATIONS)}"
            )
        alloc[name] = method
    return Settings(values=parsed, allocation=alloc)


def _text_table(data: dict[str, Any]) -> Table:
    table = Table(
        title=f"{data['product']} · {data['functional_unit']} · "
        f"{data['score_t_co2e']:.4g} t CO2e ({data['method']})"
    )
    table.add_column("contribution")
    table.add_column("t CO2e", justify="right")
    for group in ("by_stage", "by_gas", "by_scope"):
        for key, value in data["contributions"][group].items():
            table.add_row(f"{group.removeprefix('by_')}: {key}", f"{value:.4g}")
    return table


@footprint_app.command("product")
def product_command(
    product: Annotated[
        str,
        typer.Argument(
            help="Product name, e.g. npi, mhp, niso4, cam-nmc811, pack-nmc811 (see 'list')."
        ),
    ],
    route: RouteOption = None,
    scenario: ScenarioOption = None,
    method: MethodOption = "ar6",
    mc: Annotated[int, typer.Option(help="Monte Carlo iterations (0 = none).", min=0)] = 0,
    seed: Annotated[int, typer.Option(help="Monte Carlo root seed.")] = 1,
    set_: SetOption = None,
    allocation: AllocOption = None,
    fmt: FormatOption = ReportFormat.text,
    out: OutOption = None,
) -> None:
    """Footprint of one product (per t Ni, t CAM or kWh) with its contributions."""
    model = FootprintModel(method=method)
    overrides = _overrides(set_, allocation)
    result = model.footprint(product, route=route, scenario=scenario, overrides=overrides)
    data = result.to_dict()
    if mc:
        data["monte_carlo"] = route_monte_carlo(
            model,
            product,
            iterations=mc,
            seed=seed,
            route=route,
            scenario=scenario,
            overrides=overrides,
        )
    if fmt is ReportFormat.json:
        write_output(json.dumps(data, indent=2, ensure_ascii=False), out)
    elif fmt is ReportFormat.html:
        write_output(footprint_html([data]), out)
    else:
        console.print(_text_table(data))
        note = "lower bound: exchanges missing" if not data["complete"] else "complete"
        console.print(f"{note}; illustrative share {data['illustrative_share']:.0%}")
        if data.get("monte_carlo"):
            for line in monte_carlo_lines(data["monte_carlo"]):
                console.print(line, highlight=False)


@footprint_app.command("compare")
def compare_command(
    product: Annotated[str, typer.Option(help="Product name.")] = "niso4",
    route: Annotated[list[str] | None, typer.Option(help="Nickel route (repeat).")] = None,
    scenario: Annotated[list[str] | None, typer.Option(help="Scenario (repeat).")] = None,
    method: MethodOption = "ar6",
    fmt: FormatOption = ReportFormat.text,
    out: OutOption = None,
) -> None:
    """Compare routes and/or scenarios side by side (baseline first)."""
    routes: list[str | None] = list(route or []) or [None]
    scenarios: list[str | None] = [None, *(scenario or [])]
    model = FootprintModel(method=method)
    results = model.compare([Request(product, r, s) for r in routes for s in scenarios])
    rows = [r.to_dict() for r in results]
    if fmt is ReportFormat.json:
        write_output(json.dumps(rows, indent=2, ensure_ascii=False), out)
        return
    if fmt is ReportFormat.html:
        write_output(footprint_html(rows), out)
        return
    table = Table(title=f"{product}: t CO2e per {rows[0]['functional_unit']}")
    for heading in ("route", "scenario", "t CO2e", "illustrative", "complete"):
        table.add_column(heading)
    for row in rows:
        table.add_row(
            str(row["route"] or "default"),
            str(row["scenario"] or "baseline"),
            f"{row['score_t_co2e']:.4g}",
            f"{row['illustrative_share']:.0%}",
            "yes" if row["complete"] else "no (lower bound)",
        )
    console.print(table)


@footprint_app.command("battery")
def battery_command(
    chemistry: Annotated[str, typer.Option(help="NMC811, NMC622 or LFP.")] = "NMC811",
    nickel_route: Annotated[str | None, typer.Option(help="hpal or rkef-matte.")] = None,
    scenario: ScenarioOption = None,
    cycles: Annotated[float | None, typer.Option(help="Full equivalent cycles.")] = None,
    capacity: Annotated[float | None, typer.Option(help="Pack energy, kWh.")] = None,
    method: MethodOption = "ar6",
    fmt: FormatOption = ReportFormat.text,
    out: OutOption = None,
) -> None:
    """Battery carbon-footprint declaration, kg CO2e per kWh of lifetime energy."""
    declaration = declare(
        chemistry,
        nickel_route=nickel_route,
        scenario=scenario,
        cycles=cycles,
        capacity_kwh=capacity,
        model=FootprintModel(method=method),
    )
    passport = declaration.to_passport()
    if fmt is ReportFormat.json:
        write_output(json.dumps(passport, indent=2, ensure_ascii=False), out)
        return
    table = Table(
        title=f"{declaration.chemistry}, nickel route "
        f"{declaration.nickel_route or 'default'}: kg CO2e per kWh of "
        f"lifetime energy ({declaration.cycles:g} cycles)"
    )
    table.add_column("life-cycle stage")
    table.add_column("kg CO2e/kWh", justify="right")
    for stage in passport["carbonFootprintPerLifecycleStage"]:
        value = stage["carbonFootprint"]
        table.add_row(stage["lifecycleStage"], "not modelled" if value is None else f"{value:.4g}")
    console.print(table)
    console.print("incomplete: see --format json for missing exchanges")


@footprint_app.command("park")
def park_command(
    park: Annotated[str, typer.Argument(help="Park id in the database.")],
    period: Annotated[str, typer.Option(help="Period of the flows.")] = "2024",
    method: MethodOption = "ar6",
    db: DbOption = None,
    fmt: Annotated[TextFormat, typer.Option("--format", help="text or json.")] = TextFormat.text,
    out: OutOption = None,
) -> None:
    """Footprint per unit of output of every process of a park, from its reported flows."""
    from sinergi.footprint.ecosystem import process_footprints

    when = parse_period(period)
    eco = open_store(db).load([park])
    if park not in eco.parks:
        raise NotFound(f"park {park!r} is not in the database; see 'sinergi parks list'")
    warn_if_no_data(sum(1 for f in eco.flows if f.period == when), period, park)
    results = process_footprints(FootprintModel(method=method), eco, period, park=park)
    rows = {pid: r.to_dict() for pid, r in results.items()}
    if fmt is TextFormat.json:
        write_output(json.dumps(rows, indent=2, ensure_ascii=False), out)
        return
    table = Table(title=f"{park} {period}: t CO2e per unit of each process's output")
    for heading in ("process", "t CO2e", "per", "missing exchanges"):
        table.add_column(heading)
    for pid, r in results.items():
        table.add_row(pid, f"{r.score:.4g}", r.unit, str(sum(len(v) for v in r.missing.values())))
    console.print(table)


@footprint_app.command("calibrate")
def calibrate_command(
    fmt: Annotated[TextFormat, typer.Option("--format", help="text or json.")] = TextFormat.text,
) -> None:
    """Check route totals against published totals (with sources)."""
    checks = calibrate()
    if fmt is TextFormat.json:
        write_output(json.dumps([c.to_dict() for c in checks], indent=2, ensure_ascii=False), None)
        return
    table = Table(title="route totals against published values (t CO2e / t Ni)")
    for heading in ("check", "modelled", "published", "status", "illustrative", "sourced only"):
        table.add_column(heading)
    for c in checks:
        note = " (in range only with illustrative values)" if c.needs_illustrative else ""
        table.add_row(
            c.id,
            f"{c.modelled:.3g}",
            c.published,
            c.status + note,
            f"{c.illustrative_share:.0%}",
            f"{c.sourced_only:.3g}",
        )
    console.print(table)


@footprint_app.command("list")
def list_command() -> None:
    """List products, nickel routes and scenarios."""
    inv = FootprintModel().inventory
    table = Table(title="footprint names")
    table.add_column("kind")
    table.add_column("name")
    table.add_column("meaning")
    for name, p in inv.doc.products.items():
        table.add_row("product", name, p.label)
    for name, r in inv.doc.routes.items():
        table.add_row("route", name, r.label)
    for name, s in inv.doc.scenarios.items():
        table.add_row("scenario", name, s.label)
    console.print(table)
