"""``sinergi symbiosis`` (recommend exchanges) and ``sinergi exchanges`` (the workflow)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

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
    warn_if_no_data,
    write_output,
)
from sinergi.errors import NotFound, UsageError
from sinergi.i18n import Language
from sinergi.model.exchanges import ExchangeStatus
from sinergi.reports.symbiosis import symbiosis_html
from sinergi.symbiosis.candidates import load_knowledge
from sinergi.symbiosis.optimise import Objective, SolverSettings
from sinergi.symbiosis.recommend import recommend

__all__ = ["exchanges_app", "register"]

exchanges_app = typer.Typer(
    help="The facilitator's workflow: list exchanges, change their status, see their history.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command("symbiosis")(symbiosis_command)
    app.add_typer(exchanges_app, name="exchanges")


def symbiosis_command(
    park: Annotated[str | None, typer.Argument(help="Park id (omit with --national).")] = None,
    national: Annotated[bool, typer.Option(help="Search every stored park together.")] = False,
    period: Annotated[str, typer.Option(help="Period whose flows are read.")] = "2024",
    objective: Annotated[
        Objective, typer.Option(help="What to maximise: cost, co2 or landfill.")
    ] = Objective.COST,
    pareto: Annotated[int, typer.Option(min=0, help="Points on the cost/CO2e Pareto front.")] = 0,
    time_limit: Annotated[
        float, typer.Option(min=0.1, help="Solver time limit in seconds.")
    ] = 60.0,
    gap: Annotated[float, typer.Option(min=0.0, help="Relative MIP gap at which to stop.")] = 1e-4,
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
    result = recommend(
        eco,
        when,
        objective=objective,
        pareto=pareto,
        settings=SolverSettings(time_limit=time_limit, mip_rel_gap=gap),
        knowledge=knowledge,
    )
    if propose:
        done = store.propose_exchanges(result.proposals, actor="sinergi symbiosis")
        err.print(
            f"stored {len(done.added)} new proposal(s); {len(done.kept)} already stored "
            "keep their status ('sinergi exchanges list')"
        )
    _emit(result.to_dict(), fmt, lang.value, out)


def _emit(data: dict[str, Any], fmt: ReportFormat, lang: str, out: Path | None) -> None:
    if fmt is ReportFormat.json:
        write_output(json.dumps(data, indent=2, ensure_ascii=False, default=str), out)
    elif fmt is ReportFormat.html:
        write_output(symbiosis_html(data, lang), out)
    else:
        _table(data)


def _table(d: dict[str, Any]) -> None:
    solver, totals = d["solver"], d["totals"]
    gap = "" if solver["gap"] is None else f", gap {solver['gap']:.2%}"
    console.print(f"solver: [bold]{solver['status']}[/] ({solver['message']}{gap})")
    table = Table(title=f"Recommended exchanges, {d['scope']['period']} (best first)")
    for col in ("#", "supplier → receiver", "commodity → replaces", "amount", "IDR net", "t CO2e"):
        table.add_column(col)
    for r in d["recommendations"][:30]:
        flags = "".join(("*" if r["illustrative"] else "", "†" if r["inferred"] else ""))
        table.add_row(
            str(r["rank"]),
            f"{r['supplier']} → {r['receiver']}",
            f"{r['commodity']} → {r['replaces']}{flags}",
            f"{r['amount']:,.1f} {r['unit']}",
            f"{r['net_benefit_idr']:,.0f}",
            f"{r['co2e_avoided_t']:,.1f}",
        )
    console.print(table)
    console.print(
        f"totals over {len(d['recommendations'])} exchange(s): {totals['amount_exchanged']:,.1f} "
        f"exchanged, IDR {totals['net_benefit']:,.0f}, {totals['co2e_avoided']:,.1f} t CO2e, "
        f"{totals['landfill_diverted']:,.1f} t kept from landfill"
    )
    if d["illustrative"] or d["inferred"]:
        console.print("[dim]* illustrative numbers in the rule; † inferred from the KBLI sector[/]")


@exchanges_app.command("list")
def list_exchanges(
    park: Annotated[str | None, typer.Option(help="Only this park's exchanges.")] = None,
    status: Annotated[ExchangeStatus | None, typer.Option(help="Only this status.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List stored exchanges with their status."""
    items = open_store(db).exchanges(park_id=park, status=status)
    if as_json:
        emit_json([x.to_dict() for x in items])
        return
    table = Table(title=f"{len(items)} exchange(s)")
    for col in ("id", "supplier → receiver", "commodity", "amount", "period", "status"):
        table.add_column(col)
    for x in items:
        status_text = f"{x.status}" + (f" ({x.reason})" if x.reason else "")
        table.add_row(
            x.id,
            f"{x.supplier} → {x.receiver}",
            f"{x.commodity} → {x.replaces}",
            f"{x.amount:,.1f}",
            str(x.period),
            status_text,
        )
    console.print(table)


@exchanges_app.command("set")
def set_exchange(
    exchange_id: Annotated[str, typer.Argument(help="Exchange id (x-…).")],
    status: Annotated[ExchangeStatus, typer.Argument(help="New status.")],
    reason: Annotated[str | None, typer.Option(help="Why (required to reject).")] = None,
    actor: Annotated[str | None, typer.Option(help="Who decided (for the history).")] = None,
    db: DbOption = None,
) -> None:
    """Move an exchange along the workflow; 'implemented' adds its flow to the network."""
    store = open_store(db)
    after = store.set_exchange_status(exchange_id, status, reason=reason, actor=actor)
    note = (
        " and added its flow to the network" if after.status is ExchangeStatus.IMPLEMENTED else ""
    )
    console.print(f"{after.id} is now {after.status}{note}")


@exchanges_app.command("history")
def exchange_history(
    exchange_id: Annotated[str, typer.Argument(help="Exchange id (x-…).")],
    db: DbOption = None,
) -> None:
    """Show every status change of one exchange."""
    for e in open_store(db).exchange_history(exchange_id):
        who = f" by {e.actor}" if e.actor else ""
        why = f": {e.reason}" if e.reason else ""
        console.print(f"{e.at:%Y-%m-%d %H:%M} {e.from_status or '—'} → {e.to_status}{who}{why}")
