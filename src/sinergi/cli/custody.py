"""``sinergi lots``, ``sinergi custody`` and ``sinergi passport``: chain of custody and passports.

``lots import`` reads custody files (CSV/XLSX tables of lots, events, models and claims, or an
EPCIS 2.0 JSON document) into the database in one transaction, every event checked and
appended to the audit ledger; ``lots show`` and ``lots trace`` answer where a lot came from
and where it went; ``lots export`` writes the chain as EPCIS 2.0 JSON; ``custody balance``
shows a site's mass-balance accounts for one accounting period; ``custody transfer`` moves
mass-balance credits between two sites of one product group; ``custody synth`` loads a
synthetic chain for scale tests; ``passport`` writes a pack's battery passport for one
audience. Every command takes ``--lang en|id`` for its text and its errors. Exit codes as in
:mod:`sinergi.cli.common`: 1 a refused file, claim or credit transfer (every problem listed,
nothing written), 2 a usage error or unknown lot, 3 a database or file problem.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from sinergi.cli.common import (
    DbOption,
    LangOption,
    OutOption,
    ReportFormat,
    console,
    emit_json,
    err,
    open_store,
    progress,
    write_file,
    write_output,
)
from sinergi.errors import CustodyError, InputError, SinergiError, UsageError
from sinergi.i18n import N_, Language, _, count_text, format_number, format_percent_value
from sinergi.i18n.messages import Msg, Num, msg

__all__ = ["custody_app", "lots_app", "register"]

lots_app = typer.Typer(help="Lots and their genealogy (chain of custody).", no_args_is_help=True)
custody_app = typer.Typer(
    help="Chain-of-custody accounts (ISO 22095 mass balance) and synthetic chains.",
    no_args_is_help=True,
)


class Direction(StrEnum):
    """Which way a trace goes."""

    upstream = "upstream"
    downstream = "downstream"


class PassportFormat(StrEnum):
    """Output of ``passport``."""

    json = "json"
    html = "html"


class AudienceOption(StrEnum):
    """Who reads the passport."""

    public = "public"
    legitimate = "legitimate"
    authority = "authority"


def register(app: typer.Typer) -> None:
    """Add the lots and custody groups and the passport command to ``app``."""
    app.add_typer(lots_app, name="lots")
    app.add_typer(custody_app, name="custody")
    app.command("passport")(passport_command)


def _unknown_lot(lot: str) -> UsageError:
    return UsageError(
        msg(N_("lot {lot} is not in the database; 'sinergi lots import' adds lots"), lot=lot)
    )


def _records(db: str | None) -> Any:
    from sinergi.store.custody import CustodyRecords

    store = open_store(db)
    return CustodyRecords(store, getattr(store, "actor", None))


def _located(exc: CustodyError, positions: dict[str, Any]) -> InputError:
    """Return a refusal as a located input error (the event or lot it names)."""
    from sinergi.i18n import N_
    from sinergi.io.issues import IssueCode, Place

    text = str(exc)
    named = re.findall(r"(?:event|lot|transfer) ([A-Za-z0-9][A-Za-z0-9._:/-]*)", text)
    place = next((positions[n] for n in named if n in positions), None)
    if place is None:
        place = Place(next(iter(positions.values())).file if positions else "input")
    return InputError(
        [place.issue(IssueCode.CUSTODY_REFUSED, N_("refused: {detail}"), detail=exc.detail)]
    )


@lots_app.command("import")
def import_command(
    files: Annotated[list[Path], typer.Argument(help="Custody files (.csv, .xlsx, .json).")],
    lang: LangOption = Language.en,
    db: DbOption = None,
) -> None:
    """Import lots, events, custody models, claims and credit transfers; all or nothing."""
    from sinergi.errors import FileProblem
    from sinergi.io.custody import read_custody

    for path in files:
        if not path.is_file():
            raise FileProblem(msg(N_("cannot read {path}: no such file"), path=str(path)))
    read = read_custody(files)
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    records = _records(db)
    try:
        result = records.append(
            read.events,
            evidence_sha256=digest.hexdigest(),
            models=read.models,
            claims=read.claims,
            certificates=read.certificates,
            transfers=read.transfers,
        )
    except CustodyError as exc:
        raise _located(exc, read.positions) from None
    lg = lang.value
    console.print(
        _(lg, "{added} ({lots}), {unchanged}; {models}, {claims}, {transfers} checked").format(
            added=count_text(lg, "{count} event added", "{count} events added", result.added),
            lots=count_text(lg, "{count} lot", "{count} lots", result.lots),
            unchanged=count_text(
                lg, "{count} already stored", "{count} already stored", result.unchanged
            ),
            models=count_text(
                lg, "{count} custody model", "{count} custody models", len(read.models)
            ),
            claims=count_text(lg, "{count} claim", "{count} claims", len(read.claims)),
            transfers=count_text(
                lg, "{count} credit transfer", "{count} credit transfers", len(read.transfers)
            ),
        ),
        markup=False,
    )


def _chain(db: str | None, lot: str) -> tuple[Any, Any]:
    """Return the records and the accounting of a lot's history (only what leads to it)."""
    records = _records(db)
    try:
        return records, records.history(lot)
    except CustodyError:
        raise _unknown_lot(lot) from None


@lots_app.command("show")
def show_command(
    lot: Annotated[str, typer.Argument(help="Lot id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    lang: LangOption = Language.en,
    db: DbOption = None,
) -> None:
    """Show one lot: what, how much, where, its attributes and who made it."""
    from sinergi.custody.epcis import lot_record

    records = _records(db)
    try:
        # only the lot's own events: who made it, how much is used, who holds it now
        chain, claims = records.lot_view(lot)
    except CustodyError:
        raise _unknown_lot(lot) from None
    record = lot_record(chain.lot(lot))
    producer = chain.producer(lot)
    record["madeBy"] = None if producer is None else producer.id
    record["holder"] = dict(
        zip(("owner", "facility"), chain.holder.get(lot, ("", "")), strict=True)
    )
    record["used"] = chain.used(lot)
    record["claims"] = {claim.characteristic.value: claim.share for claim in claims}
    if as_json:
        emit_json(record)
        return
    _print_lot(record, lang.value)


def _print_lot(record: dict[str, Any], lg: str) -> None:
    from sinergi.custody import Characteristic
    from sinergi.reports.custody import characteristic_text, commodity_text, unit_text

    amount = format_number(record["quantity"], lg, 3)
    console.print(
        f"[bold]{record['id']}[/] {commodity_text(record['commodity'], lg)}: "
        f"{amount} {unit_text(record['unit'], lg)}"
    )
    labels = {
        "owner": N_("owner"),
        "facility": N_("site"),
        "period": N_("period"),
        "madeBy": N_("made by event"),
    }
    for key, label in labels.items():
        value = "—" if record[key] in (None, "") else record[key]
        console.print(f"  {_(lg, label)}: {value}", markup=False)
    if record["synthetic"]:
        console.print("  " + _(lg, "synthetic (demonstration or test data)"), markup=False)
    for key, value in record["attributes"].items():
        shown = format_number(value, lg, 4) if isinstance(value, float) else value
        console.print(f"  {key}: {shown}", markup=False)
    claim_word = _(lg, "claim")
    for key, value in record["claims"].items():
        what = characteristic_text(Characteristic(key), lg)
        share = format_percent_value(value, lg, 1)
        console.print(f"  {claim_word}: {what} {share}", markup=False)


@lots_app.command("trace")
def trace_command(
    lot: Annotated[str, typer.Argument(help="Lot id.")],
    direction: Annotated[
        Direction, typer.Option(help="upstream (where it came from) or downstream.")
    ] = Direction.upstream,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="text, json or html.")] = (
        ReportFormat.text
    ),
    lang: LangOption = Language.en,
    out: OutOption = None,
    db: DbOption = None,
) -> None:
    """Trace a lot upstream or downstream, with the quantity attributed along every path."""
    from sinergi.reports.custody import lot_page, nickel_of, trace_record

    if fmt is ReportFormat.html:
        accounting = _chain(db, lot)[1]
        write_output(
            lot_page(accounting, lot, lang.value, nickel_of(accounting.chain, lot)), out, lang.value
        )
        return
    if direction is Direction.upstream:
        # only the lot's history is read from the database (a recursive query)
        records = _records(db)
        try:
            trace = records.upstream(lot)
        except CustodyError:
            raise _unknown_lot(lot) from None
        chain = _history(records, trace)
    else:
        # only the lot's descendants are read from the database (a recursive query)
        try:
            trace, chain = _records(db).downstream(lot)
        except CustodyError:
            raise _unknown_lot(lot) from None
    record = trace_record(chain, trace)
    if fmt is ReportFormat.json:
        write_output(json.dumps(record, indent=2, ensure_ascii=False), out, lang.value)
        return
    from sinergi.reports.custody import _amount, commodity_text, unit_text

    lg = lang.value
    title = _(lg, N_("upstream") if direction is Direction.upstream else N_("downstream"))
    lines = [f"{lot} — {title}"]
    lines += [
        f"  {row['lot']:<24} {commodity_text(row['commodity'], lg)[:30]:<30} "
        f"{_amount(row['quantity'], lg):>14} {unit_text(row['unit'], lg)}"
        for row in record["lots"]
    ]
    write_output("\n".join(lines), out, lang.value)


def _history(records: Any, trace: Any) -> Any:
    """Return a chain holding the lots of an upstream trace (for their descriptions)."""
    from sinergi.custody import Chain

    chain = Chain()
    chain.lots.update(records.lots(list(trace.quantities)))
    return chain


@lots_app.command("export")
def export_command(
    out: Annotated[Path, typer.Option("--out", help="EPCIS 2.0 JSON file to write.")],
    lang: LangOption = Language.en,
    db: DbOption = None,
) -> None:
    """Write every custody event as one EPCIS 2.0 JSON-LD document."""
    from sinergi.custody.epcis import chain_document

    chain = _records(db).chain()
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    doc = chain_document(chain, created)
    write_file(out, json.dumps(doc, indent=1, ensure_ascii=False).encode("utf-8"), lang.value)


@lots_app.command("template")
def template_command(
    out: Annotated[Path, typer.Option("--out", help="Workbook to write (.xlsx).")],
    lang: LangOption = Language.en,
) -> None:
    """Write an empty custody workbook (lots, events, models, claims, certificates, transfers)."""
    from sinergi.io.custody import write_template

    if out.suffix.lower() != ".xlsx":
        raise UsageError(msg(N_("--out {path} must end in .xlsx"), path=str(out)))
    write_template(out)
    err.print(_(lang.value, "wrote {path}").format(path=out))


def _period(text: str, months: int) -> str:
    from sinergi.custody.accounts import accounting_period

    if re.fullmatch(r"\d{4}-P\d{1,2}", text):
        index = int(text.split("-P")[1])
        if not 1 <= index <= 12 // months:
            raise UsageError(
                msg(
                    N_("--period {period}: a year has {count} periods of {months} months"),
                    period=text,
                    count=Num(12 // months),
                    months=Num(months),
                )
            )
        return text
    if re.fullmatch(r"\d{4}-\d{2}", text) and 1 <= int(text[5:7]) <= 12:
        return accounting_period(f"{text}-01T00:00:00+00:00", months)
    raise UsageError(
        msg(
            N_("--period {period}: write an accounting period (2026-P1) or a month (2026-02)"),
            period=text,
        )
    )


@custody_app.command("balance")
def balance_command(
    site: Annotated[str, typer.Option("--site", help="Site (facility id).")],
    period: Annotated[str, typer.Option("--period", help="2026-P1, or a month (2026-02).")],
    group: Annotated[str | None, typer.Option(help="Product group (default: all).")] = None,
    months: Annotated[int, typer.Option(help="Accounting period length in months.")] = 3,
    replay: Annotated[
        bool,
        typer.Option(
            "--replay",
            help="Recompute from the stored events, not the credit journal (slower; an audit).",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    lang: LangOption = Language.en,
    db: DbOption = None,
) -> None:
    """Show a site's mass-balance accounts for one accounting period (credits, claims)."""
    from sinergi.reports.custody import balance_record

    if months not in (1, 2, 3, 4, 6, 12):
        raise UsageError(
            msg(N_("--months {months} must divide a year: 1, 2, 3, 4, 6 or 12"), months=Num(months))
        )
    key = _period(period, months)
    records = _records(db)
    sites = {s for s, _g in records.models()}
    if site not in sites:
        raise UsageError(
            msg(
                N_("--site {site} has no custody model; sites with one: {known}"),
                site=site,
                known=", ".join(sorted(sites)) or msg(N_("none")),
            )
        )
    # only this site's accounts (and those that sent it credits) are replayed
    accounting = records.balance(site, key, period_months=months, group=group, replay=replay)
    record = balance_record(accounting, site, key, group)
    if replay:
        record["recomputed_from_events"] = len(accounting.chain.events)
    if as_json:
        emit_json(record)
        return
    lg = lang.value
    from sinergi.custody import Characteristic
    from sinergi.reports.custody import characteristic_text

    words = {
        "carried_in_t": _(lg, "carried in"),
        "credits_t": _(lg, "credits"),
        "debits_t": _(lg, "claims"),
        "transfers_t": _(lg, "credit transfers"),
        "balance_t": _(lg, "balance"),
    }
    title = _(lg, "mass balance")
    console.print(f"[bold]{site}[/] {key} ({title}, t)")
    for row in record["accounts"]:
        what = characteristic_text(Characteristic(row["characteristic"]), lg)
        figures = ", ".join(f"{words[k]} {format_number(row[k], lg, 3)}" for k in words)
        console.print(f"  {row['product_group']} · {what}: {figures}", markup=False)
    if not record["accounts"]:
        console.print(_(lg, "no credits or claims in this period"), markup=False)
    if replay:
        console.print(
            count_text(
                lg,
                "recomputed from {count} stored event, not from the credit journal",
                "recomputed from {count} stored events, not from the credit journal",
                len(accounting.chain.events),
            ),
            markup=False,
        )


@custody_app.command("transfer")
def transfer_command(
    transfer_id: Annotated[str, typer.Argument(help="Id of the transfer (unique).")],
    source: Annotated[str, typer.Option("--from", help="Site whose credits leave.")],
    target: Annotated[str, typer.Option("--to", help="Site whose account receives them.")],
    group: Annotated[str, typer.Option(help="Product group of both accounts.")],
    characteristic: Annotated[
        str, typer.Option(help="recycled_post_consumer, renewable_power, irma_origin…")
    ],
    quantity: Annotated[float, typer.Option("--quantity", help="Credits to move, in t.")],
    when: Annotated[
        str, typer.Option("--time", help="When (ISO 8601 with offset); sets the period.")
    ],
    lang: LangOption = Language.en,
    db: DbOption = None,
) -> None:
    """Move mass-balance credits between two sites' accounts of one product group."""
    from sinergi.custody.accounts import Transfer
    from sinergi.errors import ClaimRefused

    found = _characteristic(characteristic)
    _check_transfer(transfer_id, source, target, group, quantity, when)
    try:
        transfer = Transfer(transfer_id, found, group, source, target, quantity, when)
    except CustodyError as exc:
        raise UsageError(exc.detail) from None
    records = _records(db)
    models = records.models()
    for site in (source, target):
        model = models.get((site, group))
        if model is None or model.model.value != "mass_balance":
            known = [
                f"{s} / {g}" for (s, g), m in models.items() if m.model.value == "mass_balance"
            ]
            raise UsageError(
                msg(
                    N_(
                        "{site} has no mass-balance account for {group}; accounts with one: {known}"
                    ),
                    site=site,
                    group=group,
                    known=", ".join(sorted(known)) or msg(N_("none")),
                )
            )
    try:
        records.append([], transfers=[transfer])
    except ClaimRefused as exc:
        raise _refused_transfer(records, transfer, exc) from None
    console.print(
        _(
            lang.value,
            "transfer {id}: {quantity} t {what} moved from {source} to {target} ({group})",
        ).format(
            id=transfer.id,
            quantity=format_number(quantity, lang.value, 3),
            what=_characteristic_words(found, lang.value),
            source=source,
            target=target,
            group=group,
        ),
        markup=False,
    )


def _detail(exc: Exception) -> Msg | str:
    """Return an error's message as raised (translatable if it was), else its English text."""
    return exc.detail if isinstance(exc, SinergiError) else str(exc)


def _refused_transfer(records: Any, transfer: Any, exc: Exception) -> Exception:
    """Return a refused transfer's error, in the reader's language when it is a shortfall."""
    from sinergi.custody.accounts import accounting_period
    from sinergi.errors import ClaimRefused

    source, group = transfer.from_site, transfer.product_group
    period = accounting_period(transfer.time)
    held = records.balance(source, period, group=group).available(
        (source, group, transfer.characteristic, period)
    )
    if transfer.quantity <= held + 1e-9:
        return ClaimRefused(msg(N_("{detail}; nothing was written"), detail=_detail(exc)))
    return ClaimRefused(
        msg(
            N_(
                "transfer {id}: the account of {site} / {group} holds {held} t in {period}, "
                "short by {short} t; nothing was written"
            ),
            id=transfer.id,
            site=source,
            group=group,
            held=Num(held, 3),
            period=period,
            short=Num(transfer.quantity - held, 3),
        )
    )


def _characteristic(text: str) -> Any:
    """Return the characteristic a user named (its short name or attribute), or refuse."""
    from sinergi.custody.lots import Characteristic

    names = {c.name.lower(): c for c in Characteristic} | {c.value: c for c in Characteristic}
    found = names.get(text.lower())
    if found is None:
        raise UsageError(
            msg(
                N_("--characteristic {given} is not one of {choices}"),
                given=text,
                choices=", ".join(c.name.lower() for c in Characteristic),
            )
        )
    return found


def _characteristic_words(found: Any, lang: str) -> str:
    from sinergi.reports.custody import characteristic_text

    return characteristic_text(found, lang)


def _check_transfer(
    transfer_id: str, source: str, target: str, group: str, quantity: float, when: str
) -> None:
    """Refuse a transfer's bad arguments in the reader's language (the engine checks again)."""
    from sinergi.custody.events import normalise_time
    from sinergi.custody.lots import check_id

    try:
        check_id(transfer_id, N_("transfer id"))
    except CustodyError:
        raise UsageError(
            msg(
                N_(
                    "transfer id {id} is not usable: use 1-120 letters, digits and . _ : / - "
                    "starting with a letter or digit"
                ),
                id=transfer_id,
            )
        ) from None
    try:
        normalise_time(when)
    except CustodyError:
        raise UsageError(
            msg(
                N_(
                    "--time {time} must be ISO 8601 with a UTC offset, e.g. "
                    "2026-01-15T08:00:00+08:00"
                ),
                time=when,
            )
        ) from None
    if not 0 < quantity < float("inf"):
        raise UsageError(
            msg(N_("--quantity {quantity} t must be positive"), quantity=str(quantity))
        )
    if source == target:
        raise UsageError(
            msg(
                N_("--from and --to are the same account ({site} / {group}); name two sites"),
                site=source,
                group=group,
            )
        )


@custody_app.command("synth")
def synth_command(
    lots: Annotated[int, typer.Option("--lots", min=16, help="About how many lots to make.")],
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same chain).")] = 1,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    lang: LangOption = Language.en,
) -> None:
    """Load a synthetic nickel-to-pack chain (labelled synthetic) for scale tests."""
    from sinergi.custody.synth import synthesise_chain

    records = _records(db)
    start = time.perf_counter()
    events = list(synthesise_chain(lots, seed=seed))
    made = time.perf_counter()
    with progress(_(lang.value, "checking and loading events"), total=len(events)):
        result = records.append(events)
    loaded = time.perf_counter()
    payload = {
        "events": result.added,
        "lots": result.lots,
        "unchanged": result.unchanged,
        "synthesise_s": round(made - start, 3),
        "load_s": round(loaded - made, 3),
        "events_per_s": round(result.added / max(loaded - made, 1e-9), 1),
    }
    if as_json:
        emit_json(payload)
    else:
        lg = lang.value
        text = _(
            lg, "{events} synthetic events ({lots} lots) loaded in {seconds} s ({rate} events/s)"
        )
        console.print(
            text.format(
                events=format_number(payload["events"], lg, 0),
                lots=format_number(payload["lots"], lg, 0),
                seconds=format_number(payload["load_s"], lg, 3),
                rate=format_number(payload["events_per_s"], lg, 1),
            ),
            markup=False,
        )


def passport_command(
    pack_id: Annotated[str, typer.Argument(help="Pack lot id.")],
    audience: Annotated[
        AudienceOption, typer.Option(help="public, legitimate (interest) or authority.")
    ] = AudienceOption.public,
    fmt: Annotated[PassportFormat, typer.Option("--format", help="json or html.")] = (
        PassportFormat.json
    ),
    base_url: Annotated[
        str, typer.Option(help="Address under which passports are published.")
    ] = "http://localhost:8000/api/v1/passports",
    lang: LangOption = Language.en,
    out: OutOption = None,
    db: DbOption = None,
) -> None:
    """Write a pack's battery passport (Battery Pass v1.2) as one audience may read it."""
    from sinergi.passport import Audience, PackFacts
    from sinergi.reports.custody import compose_passport, passport_page, qr_svg

    records, accounting = _chain(db, pack_id)
    facts = records.pack_facts(pack_id)
    if facts is None:
        raise UsageError(
            msg(
                N_(
                    "lot {lot} has no passport facts; import them with the pack "
                    "(a packs sheet or the demo)"
                ),
                lot=pack_id,
            )
        )
    record, _nickel = compose_passport(
        accounting,
        PackFacts.model_validate(facts),
        Audience(audience.value),
        lang.value,
        base_url,
    )
    if fmt is PassportFormat.json:
        write_output(json.dumps(record, indent=2, ensure_ascii=False), out, lang.value)
    else:
        write_output(
            passport_page(record, lang.value, qr_svg(record["sinergi"]["publicUrl"])),
            out,
            lang.value,
        )
