"""A small self-contained HTML view of footprint results (no scripts, no external fetches).

Examples
--------
>>> "<table" in footprint_html([{"product": "npi", "functional_unit": "1 t",
...     "score_t_co2e": 1.0, "method": "ar6", "route": None, "scenario": None,
...     "complete": True, "illustrative_share": 0.0, "missing": {},
...     "contributions": {"by_stage": {"smelting": 1.0}}}])
True
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

_STYLE = (
    "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:4px 8px}.warn{color:#a40}"
)


def _row(cells: Sequence[object]) -> str:
    return "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>"


def _one(data: dict[str, Any]) -> str:
    parts = [
        f"<h2>{escape(str(data['product']))} — {data['score_t_co2e']:.4g} t CO2e per "
        f"{escape(str(data['functional_unit']))} ({escape(str(data['method']))})</h2>",
        f"<p>route: {escape(str(data['route'] or 'default'))}; scenario: "
        f"{escape(str(data['scenario'] or 'baseline'))}; illustrative share "
        f"{data['illustrative_share']:.0%}</p>",
    ]
    if not data["complete"]:
        parts.append(
            '<p class="warn">Lower bound: these exchanges are missing (no data):</p>'
            "<ul>"
            + "".join(
                f"<li>{escape(p)}: {escape('; '.join(m))}</li>" for p, m in data["missing"].items()
            )
            + "</ul>"
        )
    rows = "".join(_row([k, f"{v:.4g}"]) for k, v in data["contributions"]["by_stage"].items())
    parts.append(f"<table><tr><th>stage</th><th>t CO2e</th></tr>{rows}</table>")
    if data.get("monte_carlo"):
        parts.append(_monte_carlo(data["monte_carlo"]))
    return "\n".join(parts)


def monte_carlo_lines(mc: dict[str, Any], top: int = 5) -> list[str]:
    """Return a Monte Carlo summary as plain lines (shared by the text and HTML views)."""
    if "mean" not in mc:
        return [f"Monte Carlo: nothing to draw ({mc['iterations']} iterations, no ranged input)"]
    pct = mc["percentiles"]
    lines = [
        f"Monte Carlo by {mc.get('by', 'parameters')}: {mc['iterations']} draws, seed "
        f"{mc['seed']}: mean {mc['mean']:.4g}, 95 % interval {pct['2.5']:.4g}–{pct['97.5']:.4g}"
        f" t CO2e (relative standard error of the mean {mc['relative_standard_error']:.1%})"
    ]
    illustrative = set(mc.get("illustrative_parameters", []))
    for name, rho in list(mc.get("sensitivity", {}).items())[:top]:
        flag = " (illustrative)" if name in illustrative else ""
        lines.append(f"  {name}: Spearman ρ {rho:+.2f}{flag}")
    return lines


def _monte_carlo(mc: dict[str, Any]) -> str:
    first, *rest = monte_carlo_lines(mc)
    items = "".join(f"<li>{escape(line.strip())}</li>" for line in rest)
    ranked = f"<p>Inputs that drive the spread:</p><ul>{items}</ul>" if rest else ""
    return f"<h3>Uncertainty</h3><p>{escape(first)}</p>{ranked}"


def footprint_html(results: Sequence[dict[str, Any]]) -> str:
    """Return an HTML page for one or more footprint result dicts."""
    body = "\n".join(_one(r) for r in results)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>sinergi footprint"
        f"</title><style>{_STYLE}</style></head><body>{body}</body></html>"
    )
