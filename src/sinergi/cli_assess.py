"""The ``sinergi assess`` command: assess parks against a standard, compare parks and periods."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sinergi.assess.compare import compare, trend
from sinergi.assess.engine import assess, assess_all
from sinergi.assess.gaps import gaps
from sinergi.assess.judgements import load_judgements
from sinergi.assess.packs import load_pack, load_profile
from sinergi.cli_output import write_output
from sinergi.errors import InputError, SinergiError
from sinergi.intake import initialise
from sinergi.model import Period
from sinergi.reports.assessment import assessment_dict, assessment_html, assessment_pdf
from sinergi.reports.declaration import declaration_html, self_declaration
from sinergi.store import Store, database_url

console = Console()
err = Console(stderr=True)


def assess_command(
    targets: Annotated[list[str], typer.Argument(help="A park id, or 'compare' [park ids…].")],
    standard: Annotated[
        str, typer.Option(help="Pack id or a pack .yaml file.")
    ] = "permenperin-26-2025",
    period: Annotated[
        list[str] | None, typer.Option(help="Period (repeat in compare for a trend).")
    ] = None,
    target: Annotated[str | None, typer.Option(help="Target period, 2-3 years ahead.")] = None,
    profile: Annotated[str, typer.Option(help="National benchmark profile (code or file).")] = "id",
    judgements: Annotated[
        Path | None, typer.Option(help="YAML file of assessor judgements.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text, json, html or pdf.")] = "text",
    lang: Annotated[str, typer.Option(help="Report language: en or id.")] = "en",
    out: Annotated[Path | None, typer.Option(help="Write the report to this file.")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Database URL.")] = None,
) -> None:
    """Assess a park against a standard, or 'compare' parks (and periods) side by side."""
    period = period or ["2024"]
    try:
        pack = load_pack(standard)
        prof = load_profile(pack, profile)
        store = Store(database_url(db))
        initialise(store)
        if targets[0] == "compare":
            _compare(store, pack, prof, targets[1:], period, fmt)
            return
        park_id = targets[0]
        eco = store.load([park_id])
        if park_id not in eco.parks:
            err.print(
                f"[red]error:[/] park {park_id!r} is not in the database; see 'sinergi parks list'"
            )
            raise typer.Exit(1)
        judged = load_judgements(judgements, pack) if judgements else None
        current = assess(
            eco, park_id, Period.parse(period[0]), pack, profile=prof, judgements=judged
        )
        history = trend(eco, park_id, pack, Period.parse(period[0]), profile=prof)
        data = assessment_dict(current, pack, gaps(current, pack, eco), eco, history)
        if target:
            planned = assess(eco, park_id, Period.parse(target), pack, profile=prof)
            data["target"] = assessment_dict(planned, pack, [], eco)
    except InputError as exc:
        for issue in exc.issues:
            err.print(f"[red]{issue}[/]")
        raise typer.Exit(1) from exc
    except SinergiError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(3) from exc
    _emit(data, fmt, lang, out)


def _emit(data: dict[str, object], fmt: str, lang: str, out: Path | None) -> None:
    if fmt == "pdf":
        target = out or Path(f"{data['park']['id']}.{data['pack']['id']}.{lang}.pdf")  # type: ignore[index]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(assessment_pdf(assessment_html(data, lang)))
        console.print(f"wrote {target}")
        return
    if fmt == "json":
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    elif fmt == "html":
        text = assessment_html(data, lang)
    else:
        text = _text(data, lang)
    write_output(text, out, console)


def _text(d: dict[str, object], lang: str) -> str:
    verdict = d["verdict"][lang]  # type: ignore[index]
    lines = [
        f"{d['park']['name']} · {d['pack']['title_en']} · {d['period']}",  # type: ignore[index]
        f"  {verdict}",
    ]
    for g in d["gaps"][:10]:  # type: ignore[index]
        action = g["actions"][0]["id" if lang == "id" else "en"] if g["actions"] else ""
        lines.append(f"  gap {g['criterion']}: {g['current']} → {g['needed']}; {action}")
    return "\n".join(lines)


def _compare(
    store: Store, pack: object, prof: object, parks: list[str], periods: list[str], fmt: str
) -> None:
    eco = store.load(parks or None)
    results = []
    for p in periods:
        results += list(assess_all(eco, Period.parse(p), pack, profile=prof).values())  # type: ignore[arg-type]
    rows = compare(results)
    if fmt == "json":
        sys.stdout.write(json.dumps([asdict(r) for r in rows], indent=2, default=str) + "\n")
        return
    cats = list(rows[0].share_met) if rows else []
    table = Table(title=f"{getattr(pack, 'title_en', '')}: share of criteria met")
    for heading in ("park", "period", "coverage", *cats, "prerequisites"):
        table.add_column(heading)
    for r in rows:
        table.add_row(
            r.park_id,
            r.period,
            f"{r.coverage:.0%}",
            *(f"{v:.0%}" if v is not None else "n/a" for v in r.share_met.values()),
            str(r.prerequisites_met),
        )
    console.print(table)


def declaration_command(
    park_id: Annotated[str, typer.Argument(help="Park id.")],
    period: Annotated[str, typer.Option(help="Period of the data.")] = "2024",
    out: Annotated[Path | None, typer.Option(help="Write the HTML draft here.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead.")] = False,
    db: Annotated[str | None, typer.Option("--db", help="Database URL.")] = None,
) -> None:
    """Draft the Permenperin 26/2025 self-declaration (pernyataan mandiri) from the data."""
    store = Store(database_url(db))
    initialise(store)
    eco = store.load([park_id])
    if park_id not in eco.parks:
        err.print(f"[red]error:[/] park {park_id!r} is not in the database")
        raise typer.Exit(1)
    pack = load_pack("permenperin-26-2025")
    data = self_declaration(eco, assess(eco, park_id, Period.parse(period), pack), pack)
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
        return
    target = out or Path(f"{park_id}.pernyataan-mandiri.{period}.draft.html")
    target.write_text(declaration_html(data), "utf-8")
    console.print(f"wrote {target} (a DRAFT: the official form's fields are not encoded)")
