"""``sinergi smelters`` (the registry) and ``sinergi national`` (accounts, scenarios, compare).

``smelters import FILE`` validates a registry file (sinergi's template, or with ``--crea`` a
sheet laid out like CREA's smelter sheet) and stores it in one transaction; ``list`` and
``show`` read it back; ``template`` writes the blank template; ``synth`` writes a seeded
synthetic national registry. ``national accounts``, ``scenario`` and ``compare`` read the
registry from ``--registry FILE`` or the database, compose the footprint engine's route
intensities (with ``--mc N`` Monte Carlo draws) and write text, JSON, CSV, XLSX or HTML in
English or Bahasa Indonesia. Exit codes as in :mod:`sinergi.cli.common`: a bad file is 1
(every problem listed, nothing stored), an unknown name or bad option is 2, a missing or
unwritable file is 3.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer

from sinergi.cli.common import (
    DbOption,
    LangOption,
    OutOption,
    console,
    err,
    open_store,
    write_file,
    write_output,
)
from sinergi.errors import InputError, RegistryError, UsageError
from sinergi.i18n import N_, Language, _, count_text, format_number
from sinergi.reports.national_text import accounts_text, compare_text, scenario_text

__all__ = ["national_app", "smelters_app"]

smelters_app = typer.Typer(
    help="Smelter registry: import, list, show, template, synthetic set.", no_args_is_help=True
)
national_app = typer.Typer(
    help="National nickel view: accounts by year, policy scenarios, comparisons.",
    no_args_is_help=True,
)


class NationalFormat(StrEnum):
    """Output of the national commands."""

    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"


FormatOpt = Annotated[
    NationalFormat,
    typer.Option("--format", help="text, json, csv, xlsx or html (xlsx needs --out)."),
]
RegistryOpt = Annotated[
    Path | None,
    typer.Option(
        "--registry",
        help="Registry file (.xlsx, .yaml, .json); default: the smelters in the database.",
        show_default=False,
    ),
]
McOpt = Annotated[
    int, typer.Option("--mc", min=0, max=100_000, help="Monte Carlo draws (0: none).")
]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed of the Monte Carlo draws.")]
SHIPPED_SCENARIOS = ("baseline", "captive-coal-phaseout", "cofiring-renewables")


def _read_registry_file(path: Path, crea: bool = False) -> dict[str, Any]:
    from sinergi.io.national.readers import read_crea, read_registry

    return read_crea(path) if crea else read_registry(path)


def _registry(registry: Path | None, db: str | None) -> tuple[Any, str]:
    from sinergi.national.build import registry_from_rows

    if registry is not None:
        return registry_from_rows(_read_registry_file(registry)), registry.name
    from sinergi.store.national import load_registry_rows

    store = open_store(db)
    try:
        rows = load_registry_rows(store)
    finally:
        store.close()
    if not rows["smelters"]:
        msg = (
            "the database holds no smelters; import a registry with 'sinergi smelters import "
            "FILE', or pass --registry FILE ('sinergi smelters synth' writes a synthetic one)"
        )
        raise UsageError(msg)
    return registry_from_rows(rows), "database"


def _emit(
    record: dict[str, Any], fmt: NationalFormat, lang: str, out: Path | None, text: str
) -> None:
    from sinergi.reports.national_pages import csv_text, html_page, xlsx_bytes

    if fmt is NationalFormat.json:
        write_output(json.dumps(record, indent=2, ensure_ascii=False, default=str), out, lang)
    elif fmt is NationalFormat.csv:
        write_output(csv_text(record, lang), out, lang)
    elif fmt is NationalFormat.html:
        write_output(html_page(record, lang), out, lang)
    elif fmt is NationalFormat.xlsx:
        if out is None:
            raise UsageError("--format xlsx writes a workbook; give --out FILE.xlsx")
        write_file(out, xlsx_bytes(record, lang), lang)
    else:
        write_output(text, out, lang)


# --- smelters ---------------------------------------------------------------------------------


@smelters_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="Registry file (.xlsx, .csv, .yaml, .json).")],
    crea: Annotated[
        bool, typer.Option("--crea", help="The file is laid out like CREA's smelter sheet.")
    ] = False,
    db: DbOption = None,
    lang: LangOption = Language.en,
) -> None:
    """Validate a registry file and store it in one transaction (re-importing changes nothing)."""
    from sinergi.national.build import registry_from_rows
    from sinergi.store.national import save_registry

    rows = _read_registry_file(file, crea)
    registry_from_rows(rows)  # the engine's own checks, before anything is written
    sha = hashlib.sha256(file.read_bytes()).hexdigest()
    store = open_store(db)
    try:
        result = save_registry(store, rows, file=file.name, sha256=sha)
    finally:
        store.close()
    sheets = {
        "smelters": N_("smelters"),
        "units": N_("power units"),
        "production": N_("production"),
    }
    for name, label in sheets.items():
        console.print(
            _(lang, "{sheet}: {added} added, {changed} changed, {unchanged} unchanged").format(
                sheet=_(lang, label),
                added=format_number(result.added[name], lang),
                changed=format_number(result.changed[name], lang),
                unchanged=format_number(result.unchanged[name], lang),
            )
        )
    for skipped in rows.get("skipped", []):
        err.print(
            _(lang, "skipped row {row}: commodity '{commodity}' is not on a nickel route").format(
                **skipped
            )
        )


@smelters_app.command("list")
def list_command(
    registry: RegistryOpt = None,
    db: DbOption = None,
    fmt: Annotated[
        NationalFormat, typer.Option("--format", help="text, json or csv.")
    ] = NationalFormat.text,
    lang: LangOption = Language.en,
    out: OutOption = None,
) -> None:
    """List the smelters of the registry: id, route, status, province, park."""
    from sinergi.national.registry import STATUS_LABELS, Status
    from sinergi.reports.national import registry_record, route_label

    reg, name = _registry(registry, db)
    if fmt in (NationalFormat.xlsx, NationalFormat.html):
        raise UsageError("smelters list writes text, json or csv; use --format text|json|csv")
    record = registry_record(reg, name)
    if fmt is NationalFormat.json:
        write_output(json.dumps(record, indent=2, ensure_ascii=False, default=str), out, lang)
        return
    keys = ("id", "name", "route", "status", "province", "park", "synthetic")
    if fmt is NationalFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(keys)
        writer.writerows([s.get(k) for k in keys] for s in record["smelters"])
        write_output(buffer.getvalue().rstrip("\n"), out, lang)
        return
    lines = []
    synthetic = _(lang, "synthetic")
    for s in record["smelters"]:
        status = _(lang, STATUS_LABELS[Status(s["status"])])
        line = f"{s['id']}  {route_label(s['route'], lang)}  {status}  "
        line += f"{s.get('province') or '–'}  {s.get('park') or '–'}"
        lines.append(line + (f"  ({synthetic})" if s.get("synthetic") else ""))
    head = _(lang, "{smelters}, {units} ({name})").format(
        smelters=count_text(lang, "{count} smelter", "{count} smelters", len(reg.smelters)),
        units=count_text(lang, "{count} power unit", "{count} power units", len(reg.units)),
        name=name,
    )
    write_output("\n".join([head, *lines]), out, lang)


@smelters_app.command("show")
def show_command(
    smelter: Annotated[str, typer.Argument(help="Smelter id.")],
    registry: RegistryOpt = None,
    db: DbOption = None,
    fmt: Annotated[
        NationalFormat, typer.Option("--format", help="text or json.")
    ] = NationalFormat.text,
    lang: LangOption = Language.en,
) -> None:
    """Show one smelter with its power units and production."""
    from sinergi.national.build import registry_rows

    reg, _name = _registry(registry, db)
    try:
        found = reg.smelter(smelter)
    except RegistryError as exc:
        raise UsageError(str(exc)) from None
    rows = registry_rows(reg)
    units = [
        u
        for u in rows["captive_units"]
        if u["smelter"] == smelter or (u["park"] and u["park"] == found.park)
    ]
    production = [p for p in rows["production"] if p["smelter"] == smelter]
    if fmt is NationalFormat.json:
        data = next(s for s in rows["smelters"] if s["id"] == smelter)
        write_output(
            json.dumps(
                {"smelter": data, "units": units, "production": production}, indent=2, default=str
            ),
            None,
        )
        return
    write_output("\n".join(_show_lines(reg, found, production, lang.value)), None)


def _show_lines(reg: Any, found: Any, production: list[dict[str, Any]], lang: str) -> list[str]:
    """Return one smelter, its power units and production as lines of text in ``lang``."""
    from sinergi.national.registry import FUEL_LABELS, STATUS_LABELS
    from sinergi.reports.national import route_label

    synthetic = _(lang, "synthetic")
    smelter = found.id
    lines = [
        f"{found.id}: {found.name}" + (f" ({synthetic})" if found.synthetic else ""),
        _(lang, "route: {value}").format(value=route_label(found.route.value, lang)),
        _(lang, "status: {value}").format(value=_(lang, STATUS_LABELS[found.status])),
        _(lang, "province: {province}; park: {park}").format(
            province=found.province or "–", park=found.park or "–"
        ),
        _(lang, "capacity: {value} t Ni per year").format(
            value=format_number(found.capacity_ni_t, lang)
        ),
        _(lang, "source: {value}").format(value=found.source or "–"),
    ]
    for unit in reg.units:
        if unit.smelter != smelter and not (unit.smelter is None and unit.park == found.park):
            continue
        lines.append(
            _(lang, "power unit {id}: {fuel}, {mw} MW, {status}").format(
                id=unit.id,
                fuel=_(lang, FUEL_LABELS[unit.fuel]),
                mw=format_number(unit.capacity_mw, lang),
                status=_(lang, STATUS_LABELS[unit.status]),
            )
            + (_(lang, " (shared by the park)") if unit.smelter is None else "")
        )
    for p in production:
        lines.append(
            _(lang, "production {year}: {value} t Ni").format(
                year=p["year"], value=format_number(p["ni_t"], lang)
            )
        )
    return lines


@smelters_app.command("template")
def template_command(
    out: Annotated[Path, typer.Argument(help="Where to write (.xlsx or .yaml; .csv for --crea).")],
    crea: Annotated[bool, typer.Option("--crea", help="CREA smelter-sheet columns.")] = False,
) -> None:
    """Write the blank registry template (or CREA-style sheet) to fill in."""
    from sinergi.io.national.writer import write_crea_template, write_registry_template

    (write_crea_template if crea else write_registry_template)(out)
    err.print(f"wrote {out}")


@smelters_app.command("synth")
def synth_command(
    out: Annotated[Path, typer.Option("--out", help="Where to write (.xlsx, .yaml, .json).")],
    plants: Annotated[int, typer.Option(min=1, max=20_000, help="Smelters.")] = 500,
    units: Annotated[int, typer.Option(min=0, max=20_000, help="Captive power units.")] = 300,
    seed: SeedOpt = 20231,
) -> None:
    """Write a seeded synthetic national registry (every row labelled synthetic)."""
    from sinergi.io.national.writer import write_registry
    from sinergi.national.build import registry_rows
    from sinergi.national.synthetic import synthetic_registry

    write_registry(registry_rows(synthetic_registry(plants, units, seed)), out)
    err.print(f"wrote {out}")


# --- national ---------------------------------------------------------------------------------


def _cache() -> Path | None:
    """Return the folder that keeps route draws between commands (``off`` disables it)."""
    folder = os.environ.get("SINERGI_CACHE_DIR")
    if folder == "off":
        return None
    if folder:
        return Path(folder)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sinergi"


def _inputs(mc: int, seed: int) -> Any:
    from sinergi.reports.national_routes import route_inputs

    return route_inputs(draws=mc, seed=seed, cache=_cache())


@national_app.command("accounts")
def accounts_command(
    year: Annotated[int, typer.Option("--year", min=1990, max=2100, help="Year of the accounts.")],
    registry: RegistryOpt = None,
    db: DbOption = None,
    mc: McOpt = 0,
    seed: SeedOpt = 20231,
    fmt: FormatOpt = NationalFormat.text,
    lang: LangOption = Language.en,
    out: OutOption = None,
    utilisation: Annotated[
        list[str] | None,
        typer.Option(
            "--utilisation",
            help=(
                "Utilisation (above 0, at most 1) for smelters that give only the year's "
                "capacity: a number for every route, or ROUTE=NUMBER for one route "
                "(e.g. hpal_mhp=0.9); repeat to combine [default: the year's observed ratio, "
                "else full capacity]."
            ),
        ),
    ] = None,
) -> None:
    """National accounts of a year: production, electricity, CO2e, residues, reconciliation."""
    from sinergi.national.accounts import national_accounts
    from sinergi.national.governance import governance
    from sinergi.national.inputs import national_factors
    from sinergi.national.reconcile import reconcile
    from sinergi.national.utilisation import parse_utilisation
    from sinergi.reports.national import accounts_record

    given = parse_utilisation(utilisation or [])
    reg, name = _registry(registry, db)
    inputs = _inputs(mc, seed)
    factors = national_factors()
    accounts = national_accounts(
        reg, year, inputs.intensities, inputs.factors, factors, utilisation=given
    )
    record = accounts_record(
        accounts,
        reconcile(accounts, reg),
        governance(accounts),
        inputs,
        factors,
        registry_name=name,
    )
    _emit(record, fmt, lang.value, out, accounts_text(record, lang.value))


def _scenario_spec(name: str) -> tuple[Any, str]:
    from pydantic import ValidationError

    from sinergi.io.national.readers import read_scenario_document, validation_issues
    from sinergi.national.scenarios import CHECKS, ScenarioSpec

    path = Path(name)
    if not path.exists() and name in SHIPPED_SCENARIOS:
        shipped = resources.files("sinergi.data.national.scenarios").joinpath(f"{name}.yaml")
        path = Path(str(shipped))
    elif not path.exists():
        msg = f"{name}: no such file, and not a shipped scenario ({', '.join(SHIPPED_SCENARIOS)})"
        raise UsageError(msg)
    doc = read_scenario_document(path)
    try:
        return ScenarioSpec.model_validate(doc), path.name
    except ValidationError as exc:
        raise InputError(validation_issues(path.name, exc, CHECKS)) from None


def _run(name: str, to: int, reg: Any, inputs: Any, threshold: float | None) -> dict[str, Any]:
    from sinergi.national.inputs import national_factors
    from sinergi.national.scenarios import run_scenario
    from sinergi.reports.national import scenario_record

    spec, file = _scenario_spec(name)
    factors = national_factors()
    trajectory = run_scenario(spec, reg, inputs.intensities, inputs.factors, factors, to=to)
    return scenario_record(trajectory, inputs, factors, file=file, threshold=threshold)


ToOpt = Annotated[
    int, typer.Option("--to", min=1990, max=2100, help="Last year (2030, 2045, 2060).")
]
ThresholdOpt = Annotated[
    float | None,
    typer.Option("--threshold", min=0.0, help="Buyer threshold, t CO2e per t Ni (user-set)."),
]


@national_app.command("scenario")
def scenario_command(
    scenario: Annotated[
        str,
        typer.Argument(help="Scenario file, or a shipped name: " + ", ".join(SHIPPED_SCENARIOS)),
    ],
    to: ToOpt = 2045,
    registry: RegistryOpt = None,
    db: DbOption = None,
    mc: McOpt = 0,
    seed: SeedOpt = 20231,
    threshold: ThresholdOpt = None,
    fmt: FormatOpt = NationalFormat.text,
    lang: LangOption = Language.en,
    out: OutOption = None,
) -> None:
    """Run a policy scenario year by year to --to, with a Monte Carlo band (--mc N)."""
    _scenario_spec(scenario)  # a bad scenario is reported before the registry is read
    reg, _name = _registry(registry, db)
    record = _run(scenario, to, reg, _inputs(mc, seed), threshold)
    _emit(record, fmt, lang.value, out, scenario_text(record, lang.value))


@national_app.command("compare")
def compare_command(
    a: Annotated[str, typer.Argument(help="Scenario A (file or shipped name).")],
    b: Annotated[str, typer.Argument(help="Scenario B (file or shipped name).")],
    to: ToOpt = 2045,
    registry: RegistryOpt = None,
    db: DbOption = None,
    mc: McOpt = 0,
    seed: SeedOpt = 20231,
    threshold: ThresholdOpt = None,
    fmt: FormatOpt = NationalFormat.text,
    lang: LangOption = Language.en,
    out: OutOption = None,
) -> None:
    """Compare two scenarios year by year (B minus A), on the same draws."""
    from sinergi.reports.national import compare_record

    _scenario_spec(a)  # bad scenarios are reported before the registry is read
    _scenario_spec(b)
    reg, _name = _registry(registry, db)
    inputs = _inputs(mc, seed)
    record = compare_record(
        _run(a, to, reg, inputs, threshold), _run(b, to, reg, inputs, threshold)
    )
    _emit(record, fmt, lang.value, out, compare_text(record, lang.value))


@national_app.command("sih-template")
def sih_template_command(
    out: Annotated[Path, typer.Argument(help="Where to write the pack (.yaml).")],
) -> None:
    """Write the Standar Industri Hijau structure as a pack to encode a product's SIH into.

    Nine technical and six management requirements, no limits: no SIH for nickel products
    has been published. Add the criteria of the product's Permenperin, then run
    'sinergi assess PARK --pack FILE'.
    """
    if out.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(f"an SIH pack is a .yaml file, not '{out.suffix or out.name}'")
    text = resources.files("sinergi.data.standards").joinpath("sih/structure.yaml").read_bytes()
    write_file(out, text)
