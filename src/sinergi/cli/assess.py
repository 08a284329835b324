"""``sinergi assess`` and ``sinergi declaration``: parks against a standard, side by side."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from sinergi.assess.compare import compare, trend
from sinergi.assess.engine import assess, assess_all
from sinergi.assess.gaps import gaps
from sinergi.assess.judgements import load_judgements
from sinergi.assess.packs import load_pack, load_profile
from sinergi.cli.common import (
    DbOption,
    DocumentFormat,
    JsonOption,
    LangOption,
    OutOption,
    console,
    emit_json,
    open_store,
    parse_period,
    warn_if_no_data,
    write_file,
    write_output,
)
from sinergi.errors import NotFound
from sinergi.i18n import Language
from sinergi.model import Ecosystem, Period
from sinergi.reports.assessment import assessment_dict, assessment_html, assessment_pdf
from sinergi.reports.declaration import declaration_html, self_declaration

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command("assess")(assess_command)
    app.command("declaration")(declaration_command)


def _park(eco: Ecosystem, park_id: str) -> None:
    if park_id not in eco.parks:
        raise NotFound(f"park {park_id!r} is not in the database; see 'sinergi parks list'")


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
    fmt: Annotated[
        DocumentFormat, typer.Option("--format", help="text, json, html or pdf.")
    ] = DocumentFormat.text,
    lang: LangOption = Language.en,
    out: OutOption = None,
    db: DbOption = None,
) -> None:
    """Assess a park against a standard, or 'compare' parks (and periods) side by side."""
    periods = [parse_period(p) for p in (period or ["2024"])]
    target_period = parse_period(target) if target else None
    pack = load_pack(standard)
    prof = load_profile(pack, profile)
    store = open_store(db)
    if targets[0] == "compare":
        _compare(store.load(targets[1:] or None), pack, prof, periods, fmt)
        return
    park_id = targets[0]
    eco = store.load([park_id])
    _park(eco, park_id)
    warn_if_no_data(_flows_in(eco, periods[0]), str(periods[0]), park_id)
    judged = load_judgements(judgements, pack) if judgements else None
    current = assess(eco, park_id, periods[0], pack, profile=prof, judgements=judged)
    history = trend(eco, park_id, pack, periods[0], profile=prof)
    data = assessment_dict(current, pack, gaps(current, pack, eco), eco, history)
    if target_period is not None:
        planned = assess(eco, park_id, target_period, pack, profile=prof)
        data["target"] = assessment_dict(planned, pack, [], eco)
    _emit(data, fmt, lang.value, out)


def _flows_in(eco: Ecosystem, period: Period) -> int:
    return sum(1 for f in eco.flows if f.period == period)


def _emit(data: dict[str, Any], fmt: DocumentFormat, lang: str, out: Path | None) -> None:
    if fmt is DocumentFormat.pdf:
        target = out or Path(f"{data['park']['id']}.{data['pack']['id']}.{lang}.pdf")
        write_file(target, assessment_pdf(assessment_html(data, lang)))
        return
    if fmt is DocumentFormat.json:
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    elif fmt is DocumentFormat.html:
        text = assessment_html(data, lang)
    else:
        text = _text(data, lang)
    write_output(text, out)


def _text(d: dict[str, Any], lang: str) -> str:
    verdict = d["verdict"][lang]
    lines = [f"{d['park']['name']} · {d['pack']['title_en']} · {d['period']}", f"  {verdict}"]
    for g in d["gaps"][:10]:
        action = g["actions"][0]["id" if lang == "id" else "en"] if g["actions"] else ""
        lines.append(f"  gap {g['criterion']}: {g['current']} → {g['needed']}; {action}")
    return "\n".join(lines)


def _compare(
    eco: Ecosystem, pack: Any, prof: Any, periods: list[Period], fmt: DocumentFormat
) -> None:
    results = []
    for p in periods:
        results += list(assess_all(eco, p, pack, profile=prof).values())
    rows = compare(results)
    if fmt is DocumentFormat.json:
        emit_json([asdict(r) for r in rows])
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
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Draft the Permenperin 26/2025 self-declaration (pernyataan mandiri) from the data."""
    when = parse_period(period)
    eco = open_store(db).load([park_id])
    _park(eco, park_id)
    pack = load_pack("permenperin-26-2025")
    data = self_declaration(eco, assess(eco, park_id, when, pack), pack)
    if as_json:
        emit_json(data)
        return
    target = out or Path(f"{park_id}.pernyataan-mandiri.{period}.draft.html")
    write_file(target, declaration_html(data).encode("utf-8"))
    console.print("(a DRAFT: the official form's fields are not encoded)")
