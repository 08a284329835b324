"""``sinergi assess``, ``sinergi declaration`` and ``sinergi judgements``: parks against a standard.

``assess`` scores one park (current period, optional target period with its own judgements) or
compares parks and periods; ``declaration`` drafts the Permenperin 26/2025 self-declaration;
``judgements template`` writes the form an assessor fills in and ``--judgements`` reads back.
Every sentence printed comes from the message catalogues, in the language of ``--lang``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from sinergi.assess.compare import ComparisonRow, compare, trend
from sinergi.assess.engine import Assessment, Judgement, assess, assess_all
from sinergi.assess.gaps import gaps
from sinergi.assess.judgements import check_judgements
from sinergi.assess.messages import Msg
from sinergi.assess.packs import Pack, Profile, load_pack, load_profile
from sinergi.cli.common import (
    DbOption,
    DocumentFormat,
    JsonOption,
    LangOption,
    OutOption,
    console,
    emit_json,
    err,
    open_store,
    parse_period,
    warn_if_no_data,
    write_file,
    write_output,
)
from sinergi.errors import FileProblem, JudgementsError, NotFound, UsageError
from sinergi.i18n import Language, _, format_percent_value
from sinergi.model import Ecosystem, Period
from sinergi.reports.assessment import assessment_dict, assessment_html, assessment_pdf
from sinergi.reports.declaration import declaration_html, self_declaration
from sinergi.reports.judgement_form import form_rows, read_form, write_form_xlsx, write_form_yaml

__all__ = ["register"]

judgements_app = typer.Typer(
    help="The judgements form: write it for an assessor to fill in (read back by --judgements).",
    no_args_is_help=True,
)

StandardOption = Annotated[
    str,
    typer.Option(
        "--standard", help="Pack id (permenperin-26-2025, eip-framework-2.0) or a pack .yaml file."
    ),
]


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command("assess")(assess_command)
    app.command("declaration")(declaration_command)
    app.add_typer(judgements_app, name="judgements")


def _park(eco: Ecosystem, park_id: str, lang: str) -> None:
    if park_id not in eco.parks:
        raise NotFound(
            _(lang, "park {park} is not in the database; see 'sinergi parks list'").format(
                park=repr(park_id)
            )
        )


def _judged(
    path: Path | None, pack: Pack, park_id: str, period: Period, lang: str
) -> dict[str, Judgement] | None:
    """Read and check a judgements file; its problems are printed in the reader's language."""
    if path is None:
        return None
    try:
        return check_judgements(read_form(path), pack, park_id, period)
    except JudgementsError as exc:
        issues = [i.render(lang) if isinstance(i, Msg) else str(i) for i in exc.issues]
        raise JudgementsError(issues) from None


def assess_command(
    targets: Annotated[list[str], typer.Argument(help="A park id, or 'compare' [park ids…].")],
    standard: StandardOption = "permenperin-26-2025",
    period: Annotated[
        list[str] | None, typer.Option(help="Period (repeat in compare for a trend).")
    ] = None,
    target: Annotated[
        str | None, typer.Option(help="Target period (intended performance, 2-3 years ahead).")
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            help="National benchmark profile (code or .yaml file); default: id if shipped."
        ),
    ] = None,
    judgements: Annotated[
        Path | None, typer.Option(help="Judgements for the period (.xlsx form or .yaml).")
    ] = None,
    target_judgements: Annotated[
        Path | None,
        typer.Option(help="Judgements for the target period (.xlsx form or .yaml)."),
    ] = None,
    fmt: Annotated[
        DocumentFormat, typer.Option("--format", help="text, json, html or pdf.")
    ] = DocumentFormat.text,
    lang: LangOption = Language.en,
    out: OutOption = None,
    db: DbOption = None,
) -> None:
    """Assess a park against a standard (now, and against a target), or 'compare' parks."""
    periods = [parse_period(p) for p in (period or ["2024"])]
    target_period = parse_period(target) if target else None
    if target_judgements is not None and target_period is None:
        raise UsageError(
            _(lang.value, "--target-judgements needs --target PERIOD (the period they judge)")
        )
    pack = load_pack(standard)
    prof = load_profile(pack, profile or "id", required=profile is not None)
    store = open_store(db)
    if targets[0] == "compare":
        _compare(store.load(targets[1:] or None), pack, prof, periods, fmt, lang.value)
        return
    park_id = targets[0]
    eco = store.load([park_id])
    _park(eco, park_id, lang.value)
    warn_if_no_data(_flows_in(eco, periods[0]), str(periods[0]), park_id)
    judged = _judged(judgements, pack, park_id, periods[0], lang.value)
    current = assess(eco, park_id, periods[0], pack, profile=prof, judgements=judged)
    planned: Assessment | None = None
    if target_period is not None:
        warn_if_no_data(_flows_in(eco, target_period), str(target_period), park_id)
        aimed = _judged(target_judgements, pack, park_id, target_period, lang.value)
        planned = assess(eco, park_id, target_period, pack, profile=prof, judgements=aimed)
    history = trend(eco, park_id, pack, periods[0], profile=prof, current=current)
    data = assessment_dict(
        current, pack, gaps(current, pack, eco), eco, history, lang=lang.value, target=planned
    )
    _emit(data, fmt, out)


def _flows_in(eco: Ecosystem, period: Period) -> int:
    return sum(1 for f in eco.flows if f.period == period)


def _emit(data: dict[str, Any], fmt: DocumentFormat, out: Path | None) -> None:
    if fmt is DocumentFormat.pdf:
        target = out or Path(f"{data['park']['id']}.{data['pack']['id']}.{data['lang']}.pdf")
        write_file(target, assessment_pdf(assessment_html(data)), data["lang"])
        return
    if fmt is DocumentFormat.json:
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    elif fmt is DocumentFormat.html:
        text = assessment_html(data)
    else:
        text = _text(data)
    write_output(text, out, data["lang"])


def _text(d: dict[str, Any]) -> str:
    """Return the verdict and the first gaps as plain text in the data's language."""
    lang = d["lang"]
    lines = [f"{d['park']['name']} · {d['pack']['title']} · {d['period']}", f"  {d['verdict']}"]
    for g in d["gaps"][:10]:
        action = f"; {g['actions'][0]}" if g["actions"] else ""
        lines.append(
            "  "
            + _(lang, "gap {criterion}: {current} → {needed}").format(
                criterion=g["criterion"], current=g["current"], needed=g["needed"]
            )
            + action
        )
    if d["data_gaps"]:
        lines.append(
            "  "
            + _(lang, "{count} criteria not assessed: see --format html for what to supply").format(
                count=len(d["data_gaps"])
            )
        )
    if d["target"]:
        t = d["target"]
        word = _(lang, "Target")
        lines.append(f"  {word} {t['period']}: {t['verdict']}")
        better = [r["criterion"] for r in t["comparison"] if r["change"] == "better"]
        lines.append(
            "  "
            + _(lang, "improves at the target: {criteria}").format(
                criteria=", ".join(better) or "–"
            )
        )
    return "\n".join(lines)


def _gates(value: bool | None, lang: str) -> str:
    return {
        True: _(lang, "all prerequisites met"),
        False: _(lang, "a prerequisite is not met"),
        None: _(lang, "prerequisites not all assessed"),
    }[value]


def _compare(
    eco: Ecosystem,
    pack: Pack,
    prof: Profile | None,
    periods: list[Period],
    fmt: DocumentFormat,
    lang: str,
) -> None:
    results = []
    for p in periods:
        results += list(assess_all(eco, p, pack, profile=prof).values())
    rows = compare(results)
    if fmt is DocumentFormat.json:
        emit_json([asdict(r) for r in rows])
        return
    if fmt is not DocumentFormat.text:
        raise UsageError(_(lang, "compare prints text or JSON; use --format text or --format json"))
    console.print(_compare_table(rows, pack, lang))


def _share_of(row: ComparisonRow, category: str, lang: str) -> str:
    """Return a category's share met with how many of its criteria were assessed."""
    counts = _(lang, "{assessed} of {encoded}").format(
        assessed=row.assessed.get(category, 0), encoded=row.encoded.get(category, 0)
    )
    return f"{format_percent_value(row.share_met.get(category), lang)} ({counts})"


def _compare_table(rows: list[ComparisonRow], pack: Pack, lang: str) -> Table:
    names = {c.id: c.name_id if lang == "id" else c.name_en for c in pack.categories}
    cats = [c for c in names if any(r.share_met.get(c) is not None for r in rows)]
    title = _(lang, "{standard}: share of assessed criteria met").format(
        standard=pack.title.render(lang)
    )
    table = Table(title=title)
    for heading in (_(lang, "park"), _(lang, "period"), _(lang, "criteria assessed")):
        table.add_column(heading)
    for c in cats:
        table.add_column(names[c], justify="right")
    table.add_column(_(lang, "Prerequisites (gates)"))
    for r in rows:
        table.add_row(
            r.park_id,
            r.period,
            format_percent_value(r.coverage, lang),
            *(_share_of(r, c, lang) for c in cats),
            _gates(r.prerequisites_met, lang),
        )
    return table


def declaration_command(
    park_id: Annotated[str, typer.Argument(help="Park id.")],
    period: Annotated[str, typer.Option(help="Period of the data.")] = "2024",
    lang: LangOption = Language.id,
    out: Annotated[Path | None, typer.Option(help="Write the HTML draft here.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Draft the Permenperin 26/2025 self-declaration (pernyataan mandiri) from the data."""
    when = parse_period(period)
    eco = open_store(db).load([park_id])
    _park(eco, park_id, lang.value)
    pack = load_pack("permenperin-26-2025")
    data = self_declaration(eco, assess(eco, park_id, when, pack), pack, lang.value)
    if as_json:
        emit_json(data)
        return
    target = out or Path(f"{park_id}.pernyataan-mandiri.{period}.draft.html")
    write_file(target, declaration_html(data).encode("utf-8"), lang.value)
    err.print(_(lang.value, "(a DRAFT: the official form's fields are not encoded)"))


@judgements_app.command("template")
def judgements_template(
    park_id: Annotated[str, typer.Argument(help="Park id.")],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="The form, .xlsx or .yaml (default PARK.STANDARD.PERIOD.judgements.xlsx).",
            show_default=False,
        ),
    ] = None,
    standard: StandardOption = "eip-framework-2.0",
    period: Annotated[str, typer.Option(help="Period the judgements are for.")] = "2024",
    lang: LangOption = Language.en,
    db: DbOption = None,
) -> None:
    """Write the judgements form for a park, standard and period (XLSX or YAML)."""
    when = parse_period(period)
    out = out or Path(f"{park_id}.{Path(standard).stem}.{when}.judgements.xlsx")
    suffix = out.suffix.lower()
    if suffix not in {".xlsx", ".yaml", ".yml"}:
        raise UsageError(
            _(lang.value, "--out {path}: the form is written as .xlsx or .yaml").format(path=out)
        )
    pack = load_pack(standard)
    eco = open_store(db).load([park_id])
    _park(eco, park_id, lang.value)
    found = assess(eco, park_id, when, pack, profile=load_profile(pack))
    rows = form_rows(pack, found, lang.value)
    if not rows:
        raise UsageError(
            _(
                lang.value, "{pack} has no criterion a person judges: all are scored from data"
            ).format(pack=pack.id)
        )
    writer = write_form_xlsx if suffix == ".xlsx" else write_form_yaml
    try:
        writer(out, pack, park_id, str(when), rows, lang.value)
    except OSError as exc:
        raise FileProblem(
            _(lang.value, "cannot write {path}: {reason}; choose another --out").format(
                path=out, reason=exc.strerror or exc
            )
        ) from None
    err.print(
        _(
            lang.value, "wrote {path}: {count} criteria to judge; read it back with {command}"
        ).format(
            path=out,
            count=len(rows),
            command=f"sinergi assess {park_id} --standard {pack.id} --period {when} "
            f"--judgements {out}",
        )
    )
