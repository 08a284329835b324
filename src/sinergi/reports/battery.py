"""Battery circularity as a bilingual HTML page with inline SVG charts.

Reads the demo's JSON records (national forecast with recycling, and the swap-station plan) and
draws: packs in use and retired by chemistry, recovered metals, and the station sizing curves.
Every chart's numbers are in the JSON next to it; illustrative inputs are listed on the page.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined

COLOURS = ("#0969da", "#2da44e", "#bf8700", "#cf222e", "#8250df", "#57606a")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Battery circularity: national forecast, recycling and swap stations",
        "scenario": "Scenario",
        "in_use": "Battery packs in use, by chemistry (thousand packs)",
        "retired": "Batteries retired each year, by chemistry (t)",
        "recovered": "Metals recovered each year (t), route",
        "avoided": "Emissions avoided by recovered metal",
        "eu_recovery": "EU material-recovery targets (Annex XII)",
        "eu_content": "EU recycled-content targets (Article 8), upper bound for batteries "
        "made in Indonesia",
        "element": "Element",
        "target": "Target",
        "achieved": "This route / share",
        "meets": "Meets",
        "swap": "Swap-station sizing",
        "sizing": "P(rider waits) against packs per station, for several charger counts",
        "network": "Network packs: one shared standard pack vs proprietary packs",
        "illustrative": "Illustrative inputs (no published value found)",
        "year": "year",
    },
    "id": {
        "title": "Sirkularitas baterai: proyeksi nasional, daur ulang dan stasiun tukar",
        "scenario": "Skenario",
        "in_use": "Paket baterai yang digunakan, per kimia (ribu paket)",
        "retired": "Baterai yang pensiun per tahun, per kimia (t)",
        "recovered": "Logam yang dipulihkan per tahun (t), rute",
        "avoided": "Emisi yang dihindari oleh logam hasil daur ulang",
        "eu_recovery": "Target pemulihan material UE (Lampiran XII)",
        "eu_content": "Target kandungan daur ulang UE (Pasal 8), batas atas untuk baterai "
        "buatan Indonesia",
        "element": "Unsur",
        "target": "Target",
        "achieved": "Rute ini / pangsa",
        "meets": "Memenuhi",
        "swap": "Ukuran stasiun tukar baterai",
        "sizing": "P(pengendara menunggu) terhadap jumlah paket per stasiun, untuk beberapa "
        "jumlah pengisi",
        "network": "Paket jaringan: satu paket standar bersama vs paket milik merek",
        "illustrative": "Masukan ilustratif (nilai terbitan tidak ditemukan)",
        "year": "tahun",
    },
}


def line_chart(
    x: Sequence[float],
    series: Mapping[str, Sequence[float | None]],
    *,
    width: int = 640,
    height: int = 220,
    log_y: bool = False,
) -> str:
    """Return an SVG line chart: one polyline per series, axes labelled at min and max.

    ``None`` values are skipped. With ``log_y`` the y axis is base-10 logarithmic (values at
    or below zero are skipped), for probabilities that span decades.
    """
    import math

    def ty(v: float) -> float:
        return math.log10(v) if log_y else v

    values = [ty(v) for s in series.values() for v in s if v is not None and (v > 0 or not log_y)]
    if not values or not x:
        return "<p>–</p>"
    lo, hi = min(values), max(values)
    hi = hi if hi > lo else lo + 1.0
    x0, x1 = min(x), max(x)
    x1 = x1 if x1 > x0 else x0 + 1.0
    left, right, top, bottom = 60.0, width - 150.0, 10.0, height - 25.0

    def px(v: float) -> float:
        return left + (v - x0) / (x1 - x0) * (right - left)

    def py(v: float) -> float:
        return bottom - (ty(v) - lo) / (hi - lo) * (bottom - top)

    def fmt(v: float) -> str:
        value = 10**v if log_y else v
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"

    parts = [
        f'<svg width="{width}" height="{height}" role="img">',
        f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" '
        'fill="#f6f8fa"/>',
        f'<text x="0" y="{top + 10}" font-size="10">{fmt(hi)}</text>',
        f'<text x="0" y="{bottom}" font-size="10">{fmt(lo)}</text>',
        f'<text x="{left}" y="{height - 8}" font-size="10">{x0:g}</text>',
        f'<text x="{right}" y="{height - 8}" font-size="10" text-anchor="end">{x1:g}</text>',
    ]
    for k, (name, ys) in enumerate(series.items()):
        colour = COLOURS[k % len(COLOURS)]
        points = " ".join(
            f"{px(xv):.1f},{py(yv):.1f}"
            for xv, yv in zip(x, ys, strict=True)
            if yv is not None and (yv > 0 or not log_y)
        )
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
        )
        parts.append(
            f'<text x="{right + 8}" y="{top + 12 + 14 * k}" font-size="10" fill="{colour}">'
            f"{escape(name)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def battery_page(forecast_record: dict[str, Any], swap_record: dict[str, Any]) -> dict[str, Any]:
    """Return the page's data: charts (SVG) and tables from the two JSON records."""
    fc, rc = forecast_record["forecast"], forecast_record["recycling"]
    years = fc["years"]
    chem = fc["by_chemistry"]
    in_use = {c: [v / 1000 for v in d["packs"]["stock"]] for c, d in chem.items()}
    retired = {c: d["t"]["outflow"] for c, d in chem.items()}
    curves = swap_record["station"]["sizing_curves"]
    sizing = {f"{c} chargers": p for c, p in zip(curves["chargers"], curves["p_wait"], strict=True)}
    return {
        "scenario": fc["scenario"],
        "description": fc["description"],
        "charts": {
            "in_use": line_chart(years, in_use),
            "retired": line_chart(years, retired),
            "recovered": line_chart(rc["years"], rc["recovered_t"]),
            "sizing": line_chart(curves["batteries"], sizing, log_y=True),
        },
        "route": rc["route"],
        "avoided": {
            "values": rc["emissions_avoided_t_co2e"],
            "last": None
            if rc["emissions_avoided_t_co2e"] is None
            else rc["emissions_avoided_t_co2e"][-1],
            "note": rc["emissions_avoided_note"],
            "basis": forecast_record.get("emissions_avoided_basis"),
            "last_year": rc["years"][-1],
        },
        "eu_recovery": rc["eu_recovery_targets"],
        "eu_content": rc["eu_recycled_content_targets"],
        "network": swap_record["network"],
        "pilot": swap_record.get("pilot", {}),
        "illustrative": sorted(
            {*fc["illustrative"], *rc["illustrative"], *swap_record["illustrative_inputs"]}
        ),
    }


def battery_html(page: dict[str, Any], lang: str = "en") -> str:
    """Render :func:`battery_page` data as a self-contained page."""
    text = (resources.files("sinergi.reports") / "templates" / "battery.html").read_text("utf-8")
    env = Environment(
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    return env.from_string(text).render(d=page, t=LABELS[lang], lang=lang)


def write_battery_report(folder: Path) -> list[Path]:
    """Write ``battery.en.html`` and ``battery.id.html`` from the demo's JSON in ``folder``."""
    forecast_record = json.loads((folder / "battery-forecast.json").read_text("utf-8"))
    swap_record = json.loads((folder / "swap-station.json").read_text("utf-8"))
    page = battery_page(forecast_record, swap_record)
    written = []
    for lang in ("en", "id"):
        path = folder / f"battery.{lang}.html"
        path.write_text(battery_html(page, lang), "utf-8")
        written.append(path)
    return written
