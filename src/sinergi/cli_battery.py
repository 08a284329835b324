"""``sinergi battery``: fleet and end-of-life forecasts, recycling, swap-station sizing."""

from __future__ import annotations

import typer

battery_app = typer.Typer(
    help="Battery circularity: fleet forecasts, recycling, swap-station sizing.",
    no_args_is_help=True,
)
