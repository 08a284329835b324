"""``sinergi footprint``: product footprints, route/scenario comparisons, battery declarations.

A thin shell over :mod:`sinergi.footprint` and :mod:`sinergi.reports.footprint`. The product is
a positional argument of the ``product`` subcommand, because a positional on the group itself
would clash with the ``compare``, ``battery``, ``calibrate`` and ``list`` subcommands. Every
command honours ``--format`` and ``--out`` alike: text, JSON or HTML goes to standard output, or
to the file ``--out`` names (and nothing else is printed there). Words follow ``--lang``. Exit
codes as in :mod:`sinergi.cli.common` (an unknown product, route or scenario is a usage
error, 2).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text as RichText

from sinergi.cli.common import (
    DbOption,
    LangOption,
    ReportFormat,
    TextFormat,
    console,
    open_store,
    parse_period,
    progress,
    warn_if_no_data,
    write_output,
)
from sinergi.errors import NotFound, UsageError
from sinergi.footprint.battery import LIFECYCLE_STAGES, declare
from sinergi.footprint.calibration import calibrate
from sinergi.footprint.network import Settings
from sinergi.footprint.plant import read_plant_data, template_text
from sinergi.footprint.plant_flows import PlantReading, read_plant_flows
from sinergi.footprint.results import (
    DECIDED_SHARE_MEANS,
    PRIMARY_SHARE_MEANS,
    SET_BY_USER,
    FootprintResult,
)
from sinergi.footprint.route_uncertainty import route_monte_carlo
from sinergi.footprint.scenarios import FootprintModel, Request
from sinergi.footprint.schema import AllocationMethod
from sinergi.i18n import N_, Language, format_percent_value, gettext
from sinergi.reference import describe
from sinergi.reports.footprint import (
    LIFECYCLE_NAMES,
    battery_html,
    footprint_html,
    gas_name,
    monte_carlo_lines,
    number,
    plant_source,
    scope_name,
)
from sinergi.store import submissions as subs

footprint_app = typer.Typer(
    help="Product carbon footprints of the nickel -> battery chain (GWP100).",
    no_args_is_help=True,
)
_ALLOCATIONS: tuple[AllocationMethod, ...] = ("mass", "economic", "system_expansion")

RouteOption = Annotated[str | None, typer.Option(help="Nickel route: hpal or rkef-matte.")]
ScenarioOption = Annotated[str | None, typer.Option(help="Named scenario (see 'list').")]
MethodOption = Annotated[str, typer.Option(help="GWP100 set: ar6 or ar5.")]
FormatOption = Annotated[ReportFormat, typer.Option("--format", help="text, json or html.")]
TextJsonOption = Annotated[TextFormat, typer.Option("--format", help="text or json.")]
OutOption = Annotated[Path | None, typer.Option(help="Write the output to this file.")]
SetOption = Annotated[
    list[str] | None, typer.Option("--set", help="Override a parameter: NAME=VALUE (repeat).")
]
PlantOption = Annotated[
    Path | None,
    typer.Option(
        "--plant-data",
        help="The plant's own data (a filled 'plant-template' CSV): replaces generic values.",
    ),
]
PlantNodeOption = Annotated[
    str | None,
    typer.Option(
        "--plant",
        help="A company, facility or process in the database: its reported flows of --period "
        "replace generic values (approved or locked data only, unless --unapproved).",
    ),
]
PlantPeriodOption = Annotated[
    str | None, typer.Option("--period", help="Period of the plant's flows (with --plant).")
]
UnapprovedOption = Annotated[
    bool,
    typer.Option(
        "--unapproved",
        help="With --plant: also use data not yet approved (draft, submitted or returned "
        "submissions, imported flows); the output says which was used.",
    ),
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


def _plant(path: Path | None, model: FootprintModel) -> Settings:
    """Return settings carrying the plant's own values read from ``path`` (none without)."""
    if path is None:
        return Settings()
    return Settings(plant=read_plant_data(path, model.inventory))


def _stored_plant(
    node: str | None,
    period: str | None,
    db: str | None,
    unapproved: bool,
    csv: Path | None,
    model: FootprintModel,
    values: Mapping[str, float],
    lang: str,
) -> PlantReading | None:
    """Return the plant's values read from the database (``None`` without ``--plant``)."""
    if node is None:
        if unapproved or period is not None:
            raise UsageError("--period and --unapproved go with --plant NODE")
        return None
    if csv is not None:
        raise UsageError(
            "give the plant's data once: --plant (from the database) or --plant-data (a CSV)"
        )
    if period is None:
        raise UsageError("--plant needs --period (e.g. --period 2024)")
    when = str(parse_period(period))
    store = open_store(db)
    with store.reading() as conn:
        data = subs.plant_data(conn, node, when, include_unapproved=unapproved)
    return read_plant_flows(
        data.rows,
        data.nodes,
        model.inventory,
        node=node,
        source=plant_source(data, lang),
        year=when[:4],
        values=values,
        where=f"{node}, {when}",
    )


def _reading_lines(reading: PlantReading | None, lang: str) -> list[RenderableType]:
    """Return how the plant's stored flows became its values, and what stayed generic."""
    if reading is None:
        return []
    lines = [
        _plain(
            gettext(lang, "Plant data read from the database ({kind}): {source}.").format(
                kind=reading.label.in_(lang), source=reading.source
            )
        )
    ]
    for name, p in reading.values.items():
        lines.append(
            _plain(
                f"  {name} = {number(p.value, lang, 4)} {p.unit.in_(lang)}: "
                f"{reading.derivations[name]}"
            )
        )
    for process in reading.mixes:
        lines.append(
            _plain(
                gettext(lang, "  power mix of {process} from the plant's sources: {mix}").format(
                    process=process,
                    mix=reading.derivations[f"power mix of {process}"],
                )
            )
        )
    for name, p in reading.conversions.items():
        source = (
            gettext(lang, SET_BY_USER) if p.provenance is None else describe(p.provenance, lang)
        )
        lines.append(
            _plain(
                gettext(lang, "  {name} = {value} {unit}, read to convert: {source}").format(
                    name=name, value=number(p.value, lang, 4), unit=p.unit.in_(lang), source=source
                )
            )
        )
    for name, codes in reading.generic.items():
        lines.append(
            _plain(
                gettext(lang, "  {name}: generic value kept ({codes} not reported)").format(
                    name=name, codes=", ".join(codes)
                )
            )
        )
    for name, codes in reading.absent.items():
        lines.append(
            _plain(
                gettext(
                    lang, "  {name}: not reported ({codes}); its exchange stays missing"
                ).format(name=name, codes=", ".join(codes))
            )
        )
    if reading.unused:
        lines.append(
            _plain(
                gettext(lang, "Reported flows no parameter reads: {flows}.").format(
                    flows=", ".join(reading.unused)
                )
            )
        )
    lines += [_plain(f"  {code}: {why.in_(lang)}") for code, why in reading.reasons.items()]
    if reading.note is not None:
        lines.append(_plain(reading.note.in_(lang)))
    return lines


def _plant_lines(result: FootprintResult, lang: str) -> list[RenderableType]:
    """Return what rests on the plant's own data and the difference to generic data."""
    if not result.plant_inputs:
        return []
    lines = [
        _plain(
            gettext(
                lang,
                "Plant data: primary data {primary}, secondary (generic) data {secondary}; "
                "decided by plant values {decided}.",
            ).format(
                primary=format_percent_value(result.primary_share, lang),
                secondary=format_percent_value(1.0 - result.primary_share, lang),
                decided=format_percent_value(result.plant_decided_share, lang),
            )
        ),
        _plain(gettext(lang, PRIMARY_SHARE_MEANS)),
        _plain(gettext(lang, DECIDED_SHARE_MEANS)),
    ]
    lines += [_plain(f"  {item}") for item in result.plant_inputs]
    if result.generic_score is None:
        lines.append(_plain(gettext(lang, "No generic counterpart: this model needs plant data.")))
    else:
        lines.append(
            _plain(
                gettext(lang, "On generic data alone: {generic}; difference {difference}.").format(
                    generic=f"{number(result.generic_score, lang)} {result.score_unit(lang)}",
                    difference=f"{number(result.score - result.generic_score, lang)} "
                    f"{result.score_unit(lang)}",
                )
            )
        )
    return lines


def _emit_text(renderables: Iterable[RenderableType], out: Path | None, lang: str = "en") -> None:
    """Print tables and lines, or write them as plain text to ``out``."""
    if out is None:
        for item in renderables:
            console.print(item)
        return
    buffer = Console(file=io.StringIO(), width=110, record=True, highlight=False)
    for item in renderables:
        buffer.print(item)
    write_output(buffer.export_text().rstrip("\n"), out, lang)


def _emit(
    fmt: ReportFormat | TextFormat,
    out: Path | None,
    *,
    payload: Callable[[], Any],
    text: Callable[[], list[RenderableType]],
    html: Callable[[], str] | None = None,
    lang: str = "en",
) -> None:
    """Hand the output of a command over in its format: stdout, or the file ``--out``."""
    if fmt.value == "json":
        write_output(json.dumps(payload(), indent=2, ensure_ascii=False), out, lang)
    elif fmt.value == "html" and html is not None:
        write_output(html(), out, lang)
    else:
        _emit_text(text(), out, lang)


def _plain(text: str) -> RenderableType:
    """Return a line printed as is (no Rich markup read into data)."""
    return RichText(text)


def _result_text(result: FootprintResult, lang: str) -> list[RenderableType]:
    """Return the text view of one footprint: headline, contributions, provenance notes."""
    bound = "≥ " if not result.complete else ""
    table = Table(
        title=f"{result.product}: {bound}{number(result.score, lang)} "
        f"{result.score_unit(lang)} (GWP100 {result.method.upper()})"
    )
    table.add_column(gettext(lang, "Contribution"))
    table.add_column(gettext(lang, "t CO2e"), justify="right")
    table.add_column(gettext(lang, "Share of the total"), justify="right")
    groups: list[tuple[str, dict[str, float], Callable[[str], str]]] = [
        (gettext(lang, "stage"), result.by_stage, lambda k: result.stage_name(k, lang)),
        (gettext(lang, "scope"), result.by_scope, lambda k: scope_name(k, lang)),
        (gettext(lang, "gas"), result.by_gas, lambda k: gas_name(k, lang)),
        (gettext(lang, "process"), result.by_process, lambda k: result.process_name(k, lang)),
    ]
    for group, values, name in groups:
        for key, value in values.items():
            share = format_percent_value(value / result.score, lang) if result.score else "–"
            table.add_row(f"{group}: {name(key)}", number(value, lang), share)
    lines: list[RenderableType] = [table]
    if result.complete:
        lines.append(
            _plain(gettext(lang, "Complete: no exchange on the chain is known to be missing."))
        )
    else:
        count = sum(len(items) for items in result.missing.values())
        lines.append(
            _plain(
                gettext(
                    lang,
                    "Lower bound: {count} exchanges known to exist are missing from this total "
                    "(listed with --format json or html).",
                ).format(count=count)
            )
        )
    if (note := result.pass_through_note(lang)) is not None:
        lines.append(_plain(note))
    lines.append(
        _plain(
            gettext(lang, "Share of the total resting on illustrative values: {share}.").format(
                share=format_percent_value(result.illustrative_share, lang)
            )
        )
    )
    if names := result.illustrative_names():
        lines.append(
            _plain(
                gettext(lang, "Illustrative values read: {names}.").format(names=", ".join(names))
            )
        )
    lines += _plant_lines(result, lang)
    if result.monte_carlo:
        lines += [_plain(line) for line in monte_carlo_lines(result.monte_carlo, lang)]
    return lines


@contextmanager
def _draws_bar(lang: str, draws: int) -> Iterator[Callable[[int, int], None]]:
    """Show a progress bar while Monte Carlo draws run; yield the engine's callback."""
    with progress(gettext(lang, "Monte Carlo draws"), total=draws) as update:

        def callback(done: int, total: int) -> None:
            update(done, total)

        yield callback


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
    plant_data: PlantOption = None,
    plant: PlantNodeOption = None,
    period: PlantPeriodOption = None,
    unapproved: UnapprovedOption = False,
    db: DbOption = None,
    fmt: FormatOption = ReportFormat.text,
    out: OutOption = None,
    lang: LangOption = Language.en,
) -> None:
    """Footprint of one product (per t Ni, t CAM or kWh) with its contributions."""
    model = FootprintModel(method=method)
    user = _overrides(set_, allocation)
    reading = _stored_plant(plant, period, db, unapproved, plant_data, model, user.values, lang)
    plant_values = reading.settings() if reading else _plant(plant_data, model)
    overrides = plant_values.merged(user)
    if reading is not None and route is None:
        route = reading.route
    result = model.footprint(product, route=route, scenario=scenario, overrides=overrides)
    if reading is not None:
        result = reading.applied(result)
    if mc:
        with _draws_bar(lang, mc) as callback:
            draws = route_monte_carlo(
                model,
                product,
                iterations=mc,
                seed=seed,
                route=route,
                scenario=scenario,
                overrides=overrides,
                progress=callback,
            )
        result = _with_monte_carlo(result, draws)
    _emit(
        fmt,
        out,
        payload=lambda: _with_reading(result.to_dict(lang), reading, lang),
        text=lambda: _result_text(result, lang) + _reading_lines(reading, lang),
        html=lambda: footprint_html([result], lang),
        lang=lang,
    )


def _with_reading(
    payload: dict[str, Any], reading: PlantReading | None, lang: str
) -> dict[str, Any]:
    """Return ``payload`` with how the plant's stored flows were read (when they were)."""
    return payload if reading is None else {**payload, "plant_reading": reading.to_dict(lang)}


def _with_monte_carlo(result: FootprintResult, draws: dict[str, Any]) -> FootprintResult:
    return replace(result, monte_carlo=draws)


@footprint_app.command("compare")
def compare_command(
    product: Annotated[str, typer.Option(help="Product name.")] = "niso4",
    route: Annotated[list[str] | None, typer.Option(help="Nickel route (repeat).")] = None,
    scenario: Annotated[list[str] | None, typer.Option(help="Scenario (repeat).")] = None,
    method: MethodOption = "ar6",
    fmt: FormatOption = ReportFormat.text,
    out: OutOption = None,
    lang: LangOption = Language.en,
) -> None:
    """Compare routes and/or scenarios side by side (baseline first)."""
    routes: list[str | None] = list(route or []) or [None]
    scenarios: list[str | None] = [None, *(scenario or [])]
    model = FootprintModel(method=method)
    results = model.compare([Request(product, r, s) for r in routes for s in scenarios])
    _emit(
        fmt,
        out,
        payload=lambda: [r.to_dict(lang) for r in results],
        text=lambda: _compare_text(product, results, lang),
        html=lambda: footprint_html(results, lang),
        lang=lang,
    )


def _compare_text(product: str, results: list[FootprintResult], lang: str) -> list[RenderableType]:
    table = Table(title=f"{product}: {results[0].score_unit(lang)}")
    for heading in (
        gettext(lang, "Nickel route"),
        gettext(lang, "Scenario"),
        gettext(lang, "t CO2e"),
        gettext(lang, "Illustrative share"),
        gettext(lang, "Complete?"),
    ):
        table.add_column(heading)
    for r in results:
        table.add_row(
            r.route_label.in_(lang) if r.route_label else gettext(lang, "default route"),
            r.scenario_label.in_(lang)
            if r.scenario_label
            else gettext(lang, "baseline (no scenario)"),
            ("≥ " if not r.complete else "") + number(r.score, lang),
            format_percent_value(r.illustrative_share, lang),
            gettext(lang, "yes")
            if r.complete
            else gettext(lang, "no: a lower bound (exchanges missing)"),
        )
    notes: list[RenderableType] = [table]
    for r in results:
        if (note := r.pass_through_note(lang)) is not None:
            notes.append(_plain(f"{r.route or r.product}: {note}"))
    return notes


@footprint_app.command("battery")
def battery_command(
    chemistry: Annotated[str, typer.Option(help="NMC811, NMC622 or LFP.")] = "NMC811",
    nickel_route: Annotated[str | None, typer.Option(help="hpal or rkef-matte.")] = None,
    scenario: ScenarioOption = None,
    cycles: Annotated[float | None, typer.Option(help="Full equivalent cycles.")] = None,
    capacity: Annotated[float | None, typer.Option(help="Pack energy, kWh.")] = None,
    method: MethodOption = "ar6",
    plant_data: PlantOption = None,
    plant_node: PlantNodeOption = None,
    period: PlantPeriodOption = None,
    unapproved: UnapprovedOption = False,
    db: DbOption = None,
    mc: Annotated[int, typer.Option(help="Monte Carlo iterations (0 = none).", min=0)] = 0,
    seed: Annotated[int, typer.Option(help="Monte Carlo root seed.")] = 1,
    fmt: FormatOption = ReportFormat.text,
    out: OutOption = None,
    lang: LangOption = Language.en,
) -> None:
    """Battery carbon-footprint declaration, kg CO2e per kWh of lifetime energy."""
    model = FootprintModel(method=method)
    reading = _stored_plant(plant_node, period, db, unapproved, plant_data, model, {}, lang)
    plant = _plant(plant_data, model) if plant_data else None
    if reading is not None:
        plant = reading.settings()
        nickel_route = nickel_route or reading.route
    declaration = declare(
        chemistry,
        nickel_route=nickel_route,
        scenario=scenario,
        cycles=cycles,
        capacity_kwh=capacity,
        model=model,
        plant=plant,
    )
    if reading is not None:
        declaration = replace(declaration, footprint=reading.applied(declaration.footprint))
    if mc:
        # the spread and the inputs that drive it, of the pack footprint behind the figure
        with _draws_bar(lang, mc) as callback:
            draws = route_monte_carlo(
                model,
                declaration.footprint.column,
                iterations=mc,
                seed=seed,
                route=nickel_route,
                scenario=scenario,
                overrides=plant,
                progress=callback,
            )
        declaration = replace(
            declaration, footprint=_with_monte_carlo(declaration.footprint, draws)
        )

    def text() -> list[RenderableType]:
        bound = "≥ " if declaration.lower_bound else ""
        table = Table(
            title=f"{declaration.chemistry}: {bound}{number(declaration.per_kwh_lifetime, lang)} "
            f"{declaration.to_passport(lang)['sinergi']['unit']}"
        )
        table.add_column(gettext(lang, "Life-cycle stage"))
        table.add_column(gettext(lang, "kg CO2e per kWh of lifetime energy"), justify="right")
        for stage in LIFECYCLE_STAGES:
            value = declaration.stages[stage]
            shown = gettext(lang, "not modelled") if value is None else bound + number(value, lang)
            table.add_row(gettext(lang, LIFECYCLE_NAMES[stage]), shown)
        lines: list[RenderableType] = [table]
        if declaration.lower_bound:
            lines.append(
                _plain(
                    gettext(
                        lang,
                        "Lower bound: exchanges of the modelled stages are missing (listed with "
                        "--format json or html), and distribution and end of life are not "
                        "modelled.",
                    )
                )
            )
        lines.append(
            _plain(
                gettext(
                    lang, "Full equivalent cycles over the service life: {cycles} ({source})."
                ).format(
                    cycles=number(declaration.cycles, lang), source=declaration.cycles_source(lang)
                )
            )
        )
        lines.append(
            _plain(
                gettext(
                    lang,
                    "Complete: {complete}. Share of secondary (generic) data: {secondary}. "
                    "Share resting on illustrative values: {illustrative}.",
                ).format(
                    complete=gettext(lang, "yes") if declaration.complete else gettext(lang, "no"),
                    secondary=format_percent_value(declaration.secondary_share, lang),
                    illustrative=format_percent_value(
                        declaration.footprint.illustrative_share, lang
                    ),
                )
            )
        )
        lines.append(_plain(gettext(lang, "Assumptions:")))
        lines += [_plain(f"- {a.in_(lang)}") for a in declaration.assumptions]
        lines += _result_text(declaration.footprint, lang)
        return lines + _reading_lines(reading, lang)

    def payload() -> dict[str, Any]:
        passport = declaration.to_passport(lang)
        if reading is not None:
            passport["sinergi"]["plant_reading"] = reading.to_dict(lang)
        return passport

    _emit(
        fmt,
        out,
        payload=payload,
        text=text,
        html=lambda: battery_html(declaration, lang),
        lang=lang,
    )


@footprint_app.command("park")
def park_command(
    park: Annotated[str, typer.Argument(help="Park id in the database.")],
    period: Annotated[str, typer.Option(help="Period of the flows.")] = "2024",
    method: MethodOption = "ar6",
    db: DbOption = None,
    fmt: TextJsonOption = TextFormat.text,
    out: OutOption = None,
    lang: LangOption = Language.en,
) -> None:
    """Footprint per unit of output of every process of a park, from its reported flows."""
    from sinergi.footprint.ecosystem import process_footprints

    when = parse_period(period)
    eco = open_store(db).load([park])
    if park not in eco.parks:
        raise NotFound(f"park {park!r} is not in the database; see 'sinergi parks list'")
    warn_if_no_data(sum(1 for f in eco.flows if f.period == when), period, park)
    results = process_footprints(FootprintModel(method=method), eco, period, park=park)

    def text() -> list[RenderableType]:
        table = Table(
            title=gettext(lang, "{park} {period}: t CO2e per unit of each process's output").format(
                park=park, period=period
            )
        )
        for heading in (N_("Process"), N_("t CO2e"), N_("Per"), N_("Missing exchanges")):
            table.add_column(gettext(lang, heading))
        for pid, r in results.items():
            missing = str(sum(len(v) for v in r.missing.values()))
            table.add_row(pid, number(r.score, lang), r.functional_unit.in_(lang), missing)
        return [table]

    _emit(
        fmt,
        out,
        payload=lambda: {pid: r.to_dict(lang) for pid, r in results.items()},
        text=text,
        lang=lang,
    )


@footprint_app.command("calibrate")
def calibrate_command(
    fmt: TextJsonOption = TextFormat.text,
    out: OutOption = None,
    lang: LangOption = Language.en,
) -> None:
    """Check route totals against published totals (with sources)."""
    checks = calibrate()

    def text() -> list[RenderableType]:
        title = gettext(lang, "Modelled totals against published values")
        table = Table(title=title)
        table.add_column(gettext(lang, "Check"), overflow="fold")
        table.add_column(gettext(lang, "Unit"), overflow="fold")
        table.add_column(gettext(lang, "Modelled"), justify="right")
        table.add_column(gettext(lang, "Published"), justify="right")
        table.add_column(gettext(lang, "Status"))
        table.add_column(gettext(lang, "Illustrative share"), justify="right")
        table.add_column(gettext(lang, "Sourced part only"), justify="right")
        for c in checks:
            status = gettext(lang, STATUS_TEXT[c.status]) + (" *" if c.needs_illustrative else "")
            published = number(c.published_low, lang, 3)
            if c.published_high != c.published_low:
                published += "–" + number(c.published_high, lang, 3)
            table.add_row(
                c.id,
                c.unit,
                number(c.modelled, lang, 4),
                published,
                status,
                "–"
                if c.illustrative_share is None
                else format_percent_value(c.illustrative_share, lang),
                "–" if c.sourced_only is None else number(c.sourced_only, lang, 4),
            )
        lines: list[RenderableType] = [table]
        if any(c.needs_illustrative for c in checks):
            lines.append(
                _plain("* " + gettext(lang, "in range only thanks to illustrative values"))
            )
        return lines

    _emit(fmt, out, payload=lambda: [c.to_dict() for c in checks], text=text, lang=lang)


#: Calibration statuses as a reader says them.
STATUS_TEXT = {
    "within": N_("within range"),
    "below": N_("below range"),
    "above": N_("above range"),
    "lower_bound_ok": N_("lower bound holds"),
    "lower_bound_exceeded": N_("lower bound exceeded"),
    "context": N_("context only"),
}


@footprint_app.command("plant-template")
def plant_template_command(
    out: Annotated[Path, typer.Option(help="Where to write the CSV template.")] = Path(
        "footprint_plant_data.csv"
    ),
) -> None:
    """Write the plant-data template (a plant's own values; fill it, pass it with --plant-data)."""
    write_output(template_text(), out)


@footprint_app.command("list")
def list_command(lang: LangOption = Language.en) -> None:
    """List products, nickel routes and scenarios."""
    inv = FootprintModel().inventory
    table = Table(title=gettext(lang, "Footprint names"))
    for heading in (N_("Kind"), N_("Name"), N_("Meaning")):
        table.add_column(gettext(lang, heading))
    for name, p in inv.doc.products.items():
        table.add_row(gettext(lang, "product"), name, p.label.in_(lang))
    for name, r in inv.doc.routes.items():
        table.add_row(gettext(lang, "route"), name, r.label.in_(lang))
    for name, s in inv.doc.scenarios.items():
        table.add_row(gettext(lang, "scenario"), name, s.label.in_(lang))
    console.print(table)
