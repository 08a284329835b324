"""``sinergi emobility``: local content (TKDN), the parts-industry transition, swap-pack standards.

``tkdn`` reads a bill-of-materials file and reports TKDN, the thresholds and incentives of
each year and the cheapest components to localise; ``transition`` runs an electrification
scenario (a shipped name or a scenario file) against a supplier table; ``packs`` compares one
national standard swap pack with brand-proprietary packs; ``template`` writes the blank input
files. Output as text, JSON, HTML or XLSX, in English or Bahasa Indonesia. Exit codes as in
:mod:`sinergi.cli.common`: a bad input file is 1 (every problem listed, nothing computed), an
unknown name is 2, a missing or unwritable file is 3.
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from sinergi.cli.common import DbOption, LangOption, OutOption, open_store, write_file, write_output
from sinergi.errors import EmobilityError, FileProblem, UsageError
from sinergi.i18n import Language

__all__ = ["EmobilityFormat", "emobility_app"]

emobility_app = typer.Typer(
    help="E-motorcycle supply chain: local content (TKDN), parts makers, swap-pack standards.",
    no_args_is_help=True,
)


class EmobilityFormat(StrEnum):
    """Output of the e-mobility commands."""

    text = "text"
    json = "json"
    html = "html"
    xlsx = "xlsx"


class PackStandardOption(StrEnum):
    """The standard-pack toggle."""

    shared = "shared"
    proprietary = "proprietary"


FormatOpt = Annotated[
    EmobilityFormat, typer.Option("--format", help="text, json, html or xlsx (xlsx needs --out).")
]


@emobility_app.command("tkdn")
def tkdn_command(
    bom_file: Annotated[
        Path, typer.Argument(help="Bill of materials (.xlsx, .yaml, .json, .csv).")
    ],
    year: Annotated[
        int | None, typer.Option(help="Year of the assessment (default: this year).")
    ] = None,
    target: Annotated[
        float | None,
        typer.Option(help="TKDN target in percent (default: the next minimum the vehicle misses)."),
    ] = None,
    method: Annotated[
        str | None,
        typer.Option(help="TKDN method: permenperin-28-2023 (default) or permenperin-6-2022."),
    ] = None,
    fmt: FormatOpt = EmobilityFormat.text,
    lang: LangOption = Language.en,
    out: OutOption = None,
) -> None:
    """Compute local content (TKDN), its thresholds and incentives, and what to localise."""
    from sinergi.emobility.inputs import bill_of_materials
    from sinergi.emobility.method import tkdn_reference
    from sinergi.io.emobility.readers import read_bom
    from sinergi.reports.emobility import tkdn_record

    _check_xlsx(fmt, out)
    assessed = year if year is not None else date.today().year
    if not 2020 <= assessed <= 2100:
        raise UsageError(f"--year {assessed} is outside 2020-2100 (the TKDN method starts in 2020)")
    if target is not None and not 0 < target <= 100:
        raise UsageError(f"--target {target} must be a percentage above 0 and at most 100")
    ref = tkdn_reference()
    if method is not None and method not in ref.methods:
        raise UsageError(f"unknown --method {method!r}; choose one of {', '.join(ref.methods)}")
    published = {c.id for s in ref.component_splits for c in s.components}
    bom = bill_of_materials(read_bom(bom_file, published_components=published))
    record = tkdn_record(bom, assessed, target=target, method=method)
    _emit(record, fmt, lang, out)


@emobility_app.command("transition")
def transition_command(
    scenario: Annotated[
        str,
        typer.Argument(help="Scenario name (none, government-target, fast) or a scenario file."),
    ],
    to: Annotated[int, typer.Option("--to", help="Last year.")] = 2040,
    start: Annotated[int | None, typer.Option("--from", help="First year (default: 2023).")] = None,
    suppliers_file: Annotated[
        Path | None, typer.Option("--suppliers", help="Supplier table (.xlsx, .csv, .yaml).")
    ] = None,
    sales_file: Annotated[
        Path | None, typer.Option("--sales", help="Sales table replacing the AISI history.")
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Scenario to run when the file holds several.")
    ] = None,
    db: DbOption = None,
    ecosystem: Annotated[
        bool,
        typer.Option(help="Link suppliers to companies in the database and list its parts makers."),
    ] = False,
    fmt: FormatOpt = EmobilityFormat.text,
    lang: LangOption = Language.en,
    out: OutOption = None,
) -> None:
    """Run an electrification scenario: component demand, parts makers' losses and jobs."""
    from sinergi.reports.emobility import transition_record

    _check_xlsx(fmt, out)
    chosen = _scenario(scenario, name, sales_file)
    suppliers = _suppliers(suppliers_file)
    eco = open_store(db).load() if ecosystem or db is not None else None
    try:
        record = transition_record(chosen, to, suppliers=suppliers, eco=eco, start=start)
    except EmobilityError as exc:
        if "--to" in str(exc) or "starts in" in str(exc):
            raise UsageError(str(exc)) from None
        raise
    _emit(record, fmt, lang, out)


@emobility_app.command("packs")
def packs_command(
    standard: Annotated[
        PackStandardOption,
        typer.Option(help="shared (one national standard pack) or proprietary (one per brand)."),
    ] = PackStandardOption.shared,
    year: Annotated[int, typer.Option(help="Year of the e-motorcycle fleet.")] = 2030,
    pack: Annotated[
        str | None, typer.Option(help="Pack class: sni-60v-20ah (default), sni-72v-20ah.")
    ] = None,
    stations: Annotated[
        int | None, typer.Option(min=1, help="Swap stations (default: ESDM's 2030 ratio).")
    ] = None,
    fmt: FormatOpt = EmobilityFormat.text,
    lang: LangOption = Language.en,
    out: OutOption = None,
) -> None:
    """Compare one national standard swap pack with brand-proprietary packs."""
    from sinergi.emobility.packs import PackStandard
    from sinergi.reports.emobility import packs_record
    from sinergi.reports.emobility_packs import pack_scenario

    _check_xlsx(fmt, out)
    try:
        sharing = pack_scenario(
            year, PackStandard(standard.value), voltage_class=pack, stations=stations
        )
    except EmobilityError as exc:
        raise UsageError(str(exc)) from None
    _emit(packs_record(sharing), fmt, lang, out)


@emobility_app.command("template")
def template_command(
    kind: Annotated[str, typer.Argument(help="bom, suppliers, sales or scenario.")],
    out: Annotated[
        Path, typer.Option("--out", help="File to write: .xlsx or .yaml (.csv for one sheet).")
    ],
) -> None:
    """Write a blank input template (two/three-wheelers: the component sheet is required)."""
    from sinergi.io.emobility.templates import TemplateKind
    from sinergi.io.emobility.writer import write_template

    try:
        chosen = TemplateKind(kind)
    except ValueError:
        choices = ", ".join(k.value for k in TemplateKind)
        raise UsageError(f"unknown template {kind!r}; choose one of {choices}") from None
    if out.suffix.lower() not in (".xlsx", ".yaml", ".yml", ".csv"):
        raise UsageError(f"--out {out.name}: use a .xlsx, .yaml or .csv file name")
    try:
        write_template(chosen, out)
    except OSError as exc:
        raise FileProblem(
            f"cannot write {out}: {exc.strerror or exc}; choose another --out"
        ) from None
    typer.echo(f"wrote {out}", err=True)


def _check_xlsx(fmt: EmobilityFormat, out: Path | None) -> None:
    if fmt is EmobilityFormat.xlsx and out is None:
        raise UsageError("--format xlsx writes a workbook: give --out FILE.xlsx")


def _scenario(argument: str, name: str | None, sales_file: Path | None) -> Any:
    """Return the scenario to run: a shipped name, or one of the scenarios in a file."""
    from sinergi.emobility.bom import component_catalogue
    from sinergi.emobility.inputs import sales_rows, transition_data
    from sinergi.emobility.scenarios import (
        TransitionData,
        scenario_names,
        shipped_transition_data,
        transition_scenario,
    )
    from sinergi.io.emobility.readers import read_sales, read_scenario

    base = shipped_transition_data()
    if sales_file is not None:
        sales = sales_rows(read_sales(sales_file))
        base = TransitionData.model_validate(
            {**base.model_dump(mode="json", by_alias=True), "sales": sales}
        )
    path = Path(argument)
    if argument in scenario_names() and not path.exists():
        data = base
        name = name or argument
    elif path.suffix or path.exists():
        data = transition_data(read_scenario(path, components=component_catalogue().ids), base)
    else:
        known = ", ".join(scenario_names())
        raise UsageError(
            f"unknown scenario {argument!r}; choose one of {known}, or give a scenario file"
        )
    try:
        return transition_scenario(name, data)
    except EmobilityError as exc:
        raise UsageError(str(exc)) from None


def _suppliers(path: Path | None) -> tuple[Any, ...]:
    if path is None:
        return ()
    from sinergi.emobility.bom import component_catalogue
    from sinergi.emobility.inputs import suppliers
    from sinergi.io.emobility.readers import read_suppliers

    return suppliers(read_suppliers(path, components=component_catalogue().ids))


def _emit(record: dict[str, Any], fmt: EmobilityFormat, lang: Language, out: Path | None) -> None:
    if fmt is EmobilityFormat.json:
        write_output(json.dumps(record, indent=2, ensure_ascii=False), out, lang.value)
    elif fmt is EmobilityFormat.html:
        from sinergi.reports.emobility_pages import render_html

        write_output(render_html(record, lang.value), out, lang.value)
    elif fmt is EmobilityFormat.xlsx:
        from sinergi.reports.emobility_xlsx import workbook_bytes

        if out is None:  # pragma: no cover - _check_xlsx refuses this before any work
            raise UsageError("--format xlsx writes a workbook: give --out FILE.xlsx")
        write_file(out, workbook_bytes(record, lang.value), lang.value)
    else:
        from sinergi.reports.emobility_text import text_summary

        write_output(text_summary(record, lang.value), out, lang.value)
