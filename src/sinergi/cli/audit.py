"""``sinergi audit verify|export``: recompute the ledger's chain, write a signed checkpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sinergi.cli.common import DbOption, ExitCode, JsonOption, console, emit_json, err, open_store
from sinergi.cli.common import write_file as write_out
from sinergi.errors import LedgerBroken, UsageError

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
                problem = (
                    f"the ledger no longer extends the checkpoint of {size} entries "
                    f"(head {head[:12]}…): entries up to {size} were changed or removed"
                )
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
        console.print(f"ledger intact: {result.size} entries, head {result.head}")
    else:
        err.print(f"[bold red]ledger broken at entry {first_bad}:[/] {problem}")
    if not ok:
        raise typer.Exit(int(ExitCode.INVALID))


@audit_app.command("export")
def export(
    out: Annotated[Path, typer.Option(help="Where to write the signed checkpoint.")] = Path(
        "sinergi-audit.checkpoint"
    ),
    db: DbOption = None,
) -> None:
    """Write a signed checkpoint (size and head hash) after verifying the chain."""
    from sinergi.model.audit import sign_checkpoint
    from sinergi.store import audit
    from sinergi.web.api.audit import ORIGIN

    with open_store(db) as store, store.reading() as conn:
        result = audit.verify(conn)
    if not result.ok:
        raise LedgerBroken(
            f"the ledger is broken at entry {result.first_bad} ({result.reason}); "
            "no checkpoint was written"
        )
    write_out(out, sign_checkpoint(result.size, result.head, ORIGIN, _key()).encode())
    console.print(f"checkpoint: {result.size} entries, head {result.head}")


@audit_app.command("protect")
def protect(
    app_role: Annotated[str, typer.Argument(help="The database role the service connects as.")],
    db: DbOption = None,
) -> None:
    """PostgreSQL: let the service's role use every table but never change the ledger."""
    from sinergi.store import audit

    with open_store(db) as store:
        if not store.url.startswith("postgresql"):
            raise UsageError("protect is for PostgreSQL; SQLite has no database roles")
        with store.transaction() as conn:
            audit.protect(conn, app_role)
    console.print(f"{app_role} may insert into the ledger but not update, delete or truncate it")
