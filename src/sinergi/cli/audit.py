"""``sinergi audit verify|export``: recompute the ledger's chain, write a signed checkpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sinergi.cli.common import (
    DbOption,
    ExitCode,
    JsonOption,
    LangOption,
    console,
    emit_json,
    err,
    open_store,
)
from sinergi.cli.common import write_file as write_out
from sinergi.errors import LedgerBroken, UsageError
from sinergi.i18n import Language, _, format_number

__all__ = ["audit_app"]

audit_app = typer.Typer(
    help="The audit ledger: verify the chain, export checkpoints.", no_args_is_help=True
)


def _key() -> bytes:
    from sinergi.web.settings import Settings

    return Settings().secret_bytes


@audit_app.command("verify")
def verify(
    checkpoint: Annotated[
        Path | None,
        typer.Option(help="A checkpoint from 'audit export': the chain must still extend it."),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Language.en,
) -> None:
    """Recompute every hash; name the first bad entry (exit 1 when the chain is broken)."""
    from sinergi.model.audit import read_checkpoint
    from sinergi.store import audit

    with open_store(db) as store, store.reading() as conn:
        result = audit.verify(conn)
        problem = result.reason
        first_bad = result.first_bad
        if result.ok and checkpoint is not None:
            try:
                size, head = read_checkpoint(checkpoint.read_text("utf-8"), _key())
            except (OSError, ValueError) as exc:
                raise UsageError(f"{checkpoint}: {exc}") from None
            entry = audit.entry_at(conn, size) if size else None
            if size > result.size or (size and (entry is None or entry.hash != head)):
                problem = _(
                    lang,
                    "the ledger no longer extends the checkpoint of {size} entries "
                    "(head {head}…): entries up to {size} were changed or removed",
                ).format(size=size, head=head[:12])
                first_bad = min(size, result.size + 1)
    ok = problem is None
    if as_json:
        emit_json(
            {
                "ok": ok,
                "size": result.size,
                "head": result.head,
                "first_bad": first_bad,
                "reason": problem,
            }
        )
    elif ok:
        console.print(
            _(lang, "ledger intact: {count} entries, head {head}").format(
                count=format_number(result.size, lang), head=result.head
            )
        )
    else:
        broken = _(lang, "ledger broken at entry {entry}:").format(entry=first_bad)
        err.print(f"[bold red]{broken}[/] {problem}")
    if not ok:
        raise typer.Exit(int(ExitCode.INVALID))


@audit_app.command("export")
def export(
    out: Annotated[Path, typer.Option(help="Where to write the signed checkpoint.")] = Path(
        "sinergi-audit.checkpoint"
    ),
    db: DbOption = None,
    lang: LangOption = Language.en,
) -> None:
    """Write a signed checkpoint (size and head hash) after verifying the chain."""
    from sinergi.model.audit import sign_checkpoint
    from sinergi.store import audit
    from sinergi.web.api.audit import ORIGIN

    with open_store(db) as store, store.reading() as conn:
        result = audit.verify(conn)
    if not result.ok:
        raise LedgerBroken(
            _(
                lang,
                "the ledger is broken at entry {entry} ({reason}); no checkpoint was written",
            ).format(entry=result.first_bad, reason=result.reason)
        )
    write_out(out, sign_checkpoint(result.size, result.head, ORIGIN, _key()).encode())
    console.print(
        _(lang, "checkpoint: {count} entries, head {head}").format(
            count=format_number(result.size, lang), head=result.head
        )
    )


@audit_app.command("protect")
def protect(
    app_role: Annotated[str, typer.Argument(help="The database role the service connects as.")],
    db: DbOption = None,
    lang: LangOption = Language.en,
) -> None:
    """PostgreSQL: let the service's role use every table but never change the ledger."""
    from sinergi.store import audit

    with open_store(db) as store:
        if not store.url.startswith("postgresql"):
            raise UsageError(_(lang, "protect is for PostgreSQL; SQLite has no database roles"))
        with store.transaction() as conn:
            audit.protect(conn, app_role)
    console.print(
        _(lang, "{role} may insert into the ledger but not update, delete or truncate it").format(
            role=app_role
        )
    )
