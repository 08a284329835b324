"""One way for every command to hand over its output: standard output, or a file."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console


def write_output(text: str, out: Path | None, notice: Console) -> None:
    """Print ``text`` to standard output, or write it to ``out`` and say so on ``notice``.

    Standard output then carries nothing but the result, so ``--format json`` can be piped.
    """
    if out is None:
        sys.stdout.write(text + "\n")
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, "utf-8")
    notice.print(f"wrote {out}")
