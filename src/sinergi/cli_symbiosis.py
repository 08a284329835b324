"""``sinergi symbiosis`` (recommend exchanges) and ``sinergi exchanges`` (the workflow)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from sinergi.cli_output import write_output
from sinergi.errors import SinergiError
from sinergi.intake import initialise
from sinergi.model import Period
from sinergi.model.exchanges import ExchangeStatus
from sinergi.reports.symbiosis import symbiosis_html
from sinergi.store import Store, database_url
from sinergi.symbiosis.candidates import load_knowledge
from sinergi.symbiosis.optimise import Objective, SolverSettings
from sinergi.symbiosis.recommend import recommend

console = Console()
err = Console(stderr=True)

exchanges_app = typer.Typer(
    help="The facilitator's workflow: list exchanges, change their status, see their history.",
    no_args_is_help=True,
)

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL.")]


def symbiosis_command(
    park: Annotated[str | None, typer.Argument(help="Park id (omit with --national).")] = None,
    national: Annotated[bool, typer.Option(help="Search every stored park together.")] = False,
    period: Annotated[str, typer.Option(help="Period whose flows are read.")] = "2024",
    objective: Annotated[
        Objective, typer.Option(help="What to maximise: cost, co2 or landfill.")
    ] = Objective.COST,
    pareto: Annotated[int, typer.Option(help="Points on the cost/CO2e Pareto front.")] = 0,
    time_limit: Annotated[float, typer.Option(help="Solver time limit in seconds.")] = 60.0,
    gap: Annotated[float, typer.Option(help="Relative MIP gap at which to stop.")] = 1e-4,
    rules: Annotated[Path | None, typer.Option(help="Your own substitution-rules file.")] = None,
    propose: Annotated[
        bool, typer.Option(help="Store the recommendations as proposals for the workflow.")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="text, json or html.")] = "text",
    lang: Annotated[str, typer.Option(help="Report language: en or id.")] = "en",
    out: Annotated[Path | None, typer.Option(help="Write the report to this file.")] = None,
    db: DbOption = None,
) -> None:
    """Recommend symbiosis exchanges for a park (within it) or for the whole country."""
    if (park is None) == (not national):
        err.print("[red]error:[/] give a park id or --national (not both)")
        raise typer.Exit(2)
    try:
        store = Store(database_url(db))
        initialise(store)
        eco = store.load(None if national else [park])  # type: ignore[list-item]
        if not national and park not in eco.parks:
            err.print(
                f"[red]error:[/] park {park!r} is not in the database; see 'sinergi parks list'"
            )
            raise typer.Exit(1)
        knowledge = load_knowledge(rules=rules, catalogue=eco.catalogue)
        result = recommend(
            eco,
            Period.parse(period),
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
    except SinergiError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(3) from exc
    _emit(result.to_dict(), fmt, lang, out)


def _emit(data: dict[str, Any], fmt: str, lang: str, out: Path | None) -> None:
    if fmt == "json":
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    elif fmt == "html":
        text = symbiosis_html(data, lang)
    elif fmt == "text":
        _table(data)
        return
    else:
        err.print(f"[red]error:[/] unknown format {fmt!r}; use text, json or html")
        raise typer.Exit(2)
    write_output(text, out, err)


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
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOption = None,
) -> None:
    """List stored exchanges with their status."""
    store = Store(database_url(db))
    initialise(store)
    items = store.exchanges(park_id=park, status=status)
    if as_json:
        rows = [x.to_dict() for x in items]
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
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
    try:
        store = Store(database_url(db))
        initialise(store)
        after = store.set_exchange_status(exchange_id, status, reason=reason, actor=actor)
    except SinergiError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(3) from exc
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
    store = Store(database_url(db))
    initialise(store)
    for e in store.exchange_history(exchange_id):
        who = f" by {e.actor}" if e.actor else ""
        why = f": {e.reason}" if e.reason else ""
        console.print(f"{e.at:%Y-%m-%d %H:%M} {e.from_status or '—'} → {e.to_status}{who}{why}")
