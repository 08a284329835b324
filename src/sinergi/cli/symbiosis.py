"""``sinergi symbiosis`` (recommend exchanges) and ``sinergi exchanges`` (the workflow)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.table import Table

from sinergi.cli.common import (
    DbOption,
    JsonOption,
    LangOption,
    OutOption,
    ReportFormat,
    console,
    emit_json,
    err,
    open_store,
    parse_period,
    progress,
    warn_if_no_data,
    write_output,
)
from sinergi.errors import NotFound, UsageError
from sinergi.i18n import N_, Language, format_number
from sinergi.i18n import gettext as _
from sinergi.model.exchanges import ExchangeStatus
from sinergi.reports.symbiosis import status_text, symbiosis_html
from sinergi.symbiosis.candidates import CandidateOptions, load_knowledge
from sinergi.symbiosis.explain import co2e_text, money_text
from sinergi.symbiosis.formulation import Objective
from sinergi.symbiosis.optimise import SolverSettings
from sinergi.symbiosis.progress import Progress, Stage
from sinergi.symbiosis.recommend import recommend

#: Rows of the text table; JSON and HTML list every exchange.
SHOWN = 30
#: Default relative MIP gap of the command: 1 %, at which national runs finish in minutes
#: (docs/symbiosis-optimise.md); the library's own default stays HiGHS's 1e-4.
DEFAULT_GAP = 0.01

__all__ = ["exchanges_app", "register"]

exchanges_app = typer.Typer(
    help="The facilitator's workflow: list exchanges, change their status, see their history.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command("symbiosis")(symbiosis_command)
    app.add_typer(exchanges_app, name="exchanges")


def _per_supply(value: str) -> str:
    """Accept ``auto``, ``all`` or a whole number above zero for ``--per-supply``."""
    if value in ("auto", "all") or (value.isdigit() and int(value) > 0):
        return value
    raise typer.BadParameter(f"{value!r}: give auto, all or a whole number above zero")


def symbiosis_command(
    park: Annotated[str | None, typer.Argument(help="Park id (omit with --national).")] = None,
    national: Annotated[bool, typer.Option(help="Search every stored park together.")] = False,
    period: Annotated[str, typer.Option(help="Period whose flows are read.")] = "2024",
    objective: Annotated[
        Objective,
        typer.Option(
            help="What to maximise: net_benefit (IDR), co2e_avoided (t) or landfill_diverted (t)."
        ),
    ] = Objective.NET_BENEFIT,
    pareto: Annotated[
        int, typer.Option(min=0, help="Points on the net-benefit / CO2e Pareto front.")
    ] = 0,
    time_limit: Annotated[
        float, typer.Option(min=0.1, help="Solver time limit in seconds.")
    ] = 45.0,
    gap: Annotated[
        float,
        typer.Option(min=0.0, max=0.99, help="Relative MIP gap at which to stop (0.01 = 1 %)."),
    ] = DEFAULT_GAP,
    per_supply: Annotated[
        str,
        typer.Option(
            help="Candidates each supply keeps: auto (20; 5 in a national-size run), a number, "
            "or all (slow nationally).",
            callback=_per_supply,
        ),
    ] = "auto",
    allow_emission_increases: Annotated[
        bool,
        typer.Option(help="Also recommend exchanges that emit more CO2e than they save."),
    ] = False,
    rules: Annotated[Path | None, typer.Option(help="Your own substitution-rules file.")] = None,
    propose: Annotated[
        bool, typer.Option(help="Store the recommendations as proposals for the workflow.")
    ] = False,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="text, json or html.")
    ] = ReportFormat.text,
    lang: LangOption = Language.en,
    out: OutOption = None,
    db: DbOption = None,
) -> None:
    """Recommend symbiosis exchanges for a park (within it) or for the whole country."""
    if (park is None) == (not national):
        raise UsageError("give a park id or --national (not both)")
    when = parse_period(period)
    store = open_store(db)
    eco = store.load(None if park is None else [park])
    if not national and park not in eco.parks:
        raise NotFound(f"park {park!r} is not in the database; see 'sinergi parks list'")
    warn_if_no_data(sum(1 for f in eco.flows if f.period == when), period, park or "the country")
    knowledge = load_knowledge(rules=rules, catalogue=eco.catalogue)
    limit: int | Literal["auto"] | None = (
        "auto" if per_supply == "auto" else None if per_supply == "all" else int(per_supply)
    )
    options = CandidateOptions(
        per_supply_limit=limit, keep_emission_increases=allow_emission_increases
    )
    with progress(_(lang.value, "finding candidates"), total=1) as update:
        result = recommend(
            eco,
            when,
            objective=objective,
            pareto=pareto,
            settings=SolverSettings(time_limit=time_limit, mip_rel_gap=gap),
            knowledge=knowledge,
            options=options,
            progress=_stage_bar(update, lang.value),
        )
    if propose:
        done = store.propose_exchanges(result.proposals, actor="sinergi symbiosis")
        err.print(
            _(
                lang.value,
                "stored {added} new proposal(s); {kept} already stored keep their status "
                "('sinergi exchanges list')",
            ).format(added=len(done.added), kept=len(done.kept))
        )
    _emit(result.to_dict(lang.value), fmt, lang.value, out)


#: What the progress bar says during each stage.
STAGE_WORDS = {
    Stage.CANDIDATES: N_("finding candidates (rules)"),
    Stage.SOLVE: N_("optimising the exchange network"),
    Stage.SHARING: N_("sharing the benefit (clusters)"),
}


def _stage_bar(update: Callable[..., None], lang: str) -> Progress:
    """Return the engine callback that moves the bar, naming the stage it is in."""

    def report(stage: Stage, done: int, total: int) -> None:
        update(done, total=max(total, 1), description=_(lang, STAGE_WORDS[stage]))

    return report


def _signed(value: float, negative: str, lang: str, *, digits: int) -> str:
    """Return ``value`` for a column whose header gives its direction; below zero say so."""
    if value < 0:
        return _(lang, negative).format(amount=format_number(-value, lang, digits))
    return format_number(value, lang, digits)


def _emit(data: dict[str, Any], fmt: ReportFormat, lang: str, out: Path | None) -> None:
    if fmt is ReportFormat.json:
        write_output(json.dumps(data, indent=2, ensure_ascii=False, default=str), out, lang)
    elif fmt is ReportFormat.html:
        write_output(symbiosis_html(data, lang), out, lang)
    else:
        _table(data, lang)


def _table(d: dict[str, Any], lang: str) -> None:
    """Print the recommendation for a person: status, the best exchanges, totals per unit."""
    console.print(status_text(d["solver"], lang))
    if not d["solver"]["found_solution"]:
        return
    title = _(lang, "Recommended exchanges, {period} (best first)").format(
        period=d["scope"]["period"]
    )
    table = Table(title=title)
    for col in (
        "#",
        _(lang, "supplier → receiver"),
        _(lang, "commodity → replaces"),
        _(lang, "amount"),
        _(lang, "net benefit (IDR)"),
        _(lang, "t CO2e avoided"),
    ):
        table.add_column(col)
    for r in d["recommendations"][:SHOWN]:
        flags = "".join(("*" if r["illustrative"] else "", "†" if r["inferred"] else ""))
        table.add_row(
            str(r["rank"]),
            f"{r['supplier']} → {r['receiver']}",
            f"{r['commodity_name'][lang]} → {r['replaces_name'][lang]}{flags}",
            f"{format_number(r['amount'], lang)} {r['unit']}",
            _signed(r["net_benefit_idr"], N_("cost {amount}"), lang, digits=0),
            _signed(r["co2e_avoided_t"], N_("increase {amount}"), lang, digits=1),
        )
    console.print(table)
    _footer(d, lang)


def _footer(d: dict[str, Any], lang: str) -> None:
    """Print the totals per unit and what the reader should know about the rows."""
    totals = d["totals"]
    amounts = ", ".join(
        f"{format_number(v, lang)} {unit}" for unit, v in totals["amount_by_unit"].items()
    )
    console.print(
        _(
            lang,
            "totals over {count} exchange(s): {amounts} exchanged; {money}; {co2e}; {landfill} t "
            "kept out of landfill",
        ).format(
            count=format_number(len(d["recommendations"]), lang),
            amounts=amounts or "0",
            money=money_text(totals["net_benefit"], lang),
            co2e=co2e_text(totals["co2e_avoided"], lang),
            landfill=format_number(totals["landfill_diverted"], lang),
        )
    )
    if len(d["recommendations"]) > SHOWN:
        console.print(
            _(lang, "showing the best {shown}; --format json or html lists all {count}").format(
                shown=SHOWN, count=format_number(len(d["recommendations"]), lang)
            )
        )
    if d["worse"]["emissions"]:
        console.print(
            _(lang, "{count} exchange(s) increase emissions: they save money, not carbon").format(
                count=format_number(d["worse"]["emissions"], lang)
            )
        )
    if d["illustrative"] or d["inferred"]:
        console.print(
            _(lang, "* illustrative numbers in the rule; † inferred from the KBLI sector"),
            style="dim",
        )


@exchanges_app.command("list")
def list_exchanges(
    park: Annotated[str | None, typer.Option(help="Only this park's exchanges.")] = None,
    status: Annotated[ExchangeStatus | None, typer.Option(help="Only this status.")] = None,
    as_json: JsonOption = False,
    lang: LangOption = Language.en,
    db: DbOption = None,
) -> None:
    """List stored exchanges with their status."""
    items = open_store(db).exchanges(park_id=park, status=status)
    if as_json:
        emit_json([x.to_dict() for x in items])
        return
    words = lang.value
    table = Table(title=_(words, "{count} exchange(s)").format(count=len(items)))
    for col in (
        "id",
        _(words, "supplier → receiver"),
        _(words, "commodity → replaces"),
        _(words, "amount"),
        _(words, "period"),
        _(words, "status"),
    ):
        table.add_column(col)
    for x in items:
        said = _(words, STATUS_WORDS[x.status]) + (f" ({x.reason})" if x.reason else "")
        table.add_row(
            x.id,
            f"{x.supplier} → {x.receiver}",
            f"{x.commodity} → {x.replaces}",
            format_number(x.amount, words, 1),
            str(x.period),
            said,
        )
    console.print(table)


#: How each workflow status reads.
STATUS_WORDS = {
    ExchangeStatus.PROPOSED: N_("proposed"),
    ExchangeStatus.UNDER_DISCUSSION: N_("under discussion"),
    ExchangeStatus.ACCEPTED: N_("accepted"),
    ExchangeStatus.REJECTED: N_("rejected"),
    ExchangeStatus.IMPLEMENTED: N_("implemented"),
}


@exchanges_app.command("set")
def set_exchange(
    exchange_id: Annotated[str, typer.Argument(help="Exchange id (x-…).")],
    status: Annotated[ExchangeStatus, typer.Argument(help="New status.")],
    reason: Annotated[str | None, typer.Option(help="Why (required to reject).")] = None,
    actor: Annotated[str | None, typer.Option(help="Who decided (for the history).")] = None,
    lang: LangOption = Language.en,
    db: DbOption = None,
) -> None:
    """Move an exchange along the workflow; 'implemented' adds its flow to the network."""
    store = open_store(db)
    after = store.set_exchange_status(exchange_id, status, reason=reason, actor=actor)
    words = lang.value
    if after.status is ExchangeStatus.IMPLEMENTED:
        said = _(words, "{id} is now {status} and its flow was added to the network")
    else:
        said = _(words, "{id} is now {status}")
    console.print(said.format(id=after.id, status=_(words, STATUS_WORDS[after.status])))


@exchanges_app.command("history")
def exchange_history(
    exchange_id: Annotated[str, typer.Argument(help="Exchange id (x-…).")],
    lang: LangOption = Language.en,
    db: DbOption = None,
) -> None:
    """Show every status change of one exchange."""
    words = lang.value
    for e in open_store(db).exchange_history(exchange_id):
        before = "—" if e.from_status is None else _(words, STATUS_WORDS[e.from_status])
        line = f"{e.at:%Y-%m-%d %H:%M} {before} → {_(words, STATUS_WORDS[e.to_status])}"
        if e.actor:
            line += " " + _(words, "by {actor}").format(actor=e.actor)
        console.print(line + (f": {e.reason}" if e.reason else ""))
