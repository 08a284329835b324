"""The e-mobility records as HTML pages in English or Bahasa Indonesia.

Words come from the catalogues (templates write ``{{ _("…") }}``; labels carried in records
are catalogue messages translated here), numbers and money from Babel's rules for the
language, provenance from :func:`sinergi.reference.describe`. Charts are inline SVG
(:mod:`sinergi.reports.emobility_charts`), so a page is one self-contained file.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sinergi.emobility.method import ASPECT_TEXT, VEHICLE_CLASS_TEXT, Aspect, VehicleClass
from sinergi.i18n import N_, Language, _, format_number, parse_language
from sinergi.reference import Provenance, describe
from sinergi.reports.battery_text import data_text
from sinergi.reports.emobility_charts import bar_chart, line_chart
from sinergi.reports.html import render

__all__ = ["missing_wordings", "note_text", "render_html"]

TEMPLATES = {
    "tkdn": "emobility_tkdn.html",
    "transition": "emobility_transition.html",
    "packs": "emobility_packs.html",
}

POWERTRAIN_TEXT = {
    "electric": N_("electric"),
    "conventional": N_("conventional"),
    "shared": N_("both"),
}

JOBS_BASIS_TEXT = {
    "table": N_("workers in the supplier table"),
    "ecosystem": N_("whole-company headcount in the ecosystem model (an upper bound)"),
    "coefficient": N_("the scenario's jobs per 1,000 units"),
}


def render_html(record: Mapping[str, Any], lang: str) -> str:
    """Return the HTML page of an e-mobility record in ``lang``."""
    kind = record["kind"]
    view = {"tkdn": _tkdn_view, "transition": _transition_view, "packs": _packs_view}[kind](
        record, lang
    )
    return render(
        TEMPLATES[kind],
        lang,
        r=record,
        v=view,
        inputs=_inputs(record["inputs"], lang),
        references=record["references"],
    )


@cache
def _wordings() -> dict[str, str]:
    text = resources.files("sinergi.data").joinpath("emobility", "text_id.yaml")
    doc = yaml.safe_load(text.read_text("utf-8")) or {}
    return {" ".join(str(k).split()): str(v).strip() for k, v in doc.items()}


def note_text(note: str, lang: str) -> str:
    """Return a data-file note in ``lang`` (e-mobility wordings, then circularity's)."""
    if parse_language(lang) is Language.en:
        return note
    return _wordings().get(" ".join(note.split())) or data_text(note, lang)


def missing_wordings(notes: list[str]) -> list[str]:
    """Return the notes that have no Indonesian wording in ``data/emobility/text_id.yaml``."""
    return sorted({" ".join(n.split()) for n in notes} - set(_wordings()))


def _inputs(rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    shown = []
    for row in rows:
        fields = {k: v for k, v in row.items() if k in Provenance.model_fields}
        if fields.get("note"):
            fields["note"] = note_text(fields["note"], lang)
        provenance = Provenance(**fields)
        label = _(lang, row["label"])
        value = row.get("value")
        text = "–"
        if value is not None:
            digits = 0 if abs(value) >= 100 else 2 if abs(value) >= 1 else 4
            text = f"{format_number(value, lang, digits)} {_short_unit(row.get('unit'))}".strip()
        shown.append(
            {
                "label": f"{label} {row['detail']}".strip(),
                "value_text": text,
                "illustrative": provenance.illustrative,
                "source": describe(provenance, lang),
            }
        )
    return shown


def _short_unit(unit: str | None) -> str:
    """Return a unit symbol; a unit written as a phrase in a data file is left out."""
    if not unit:
        return ""
    symbol = unit.split(" (")[0].strip()
    return symbol if len(symbol.split()) <= 2 else ""


# --- TKDN -------------------------------------------------------------------------------------


def _tkdn_view(record: Mapping[str, Any], lang: str) -> dict[str, Any]:
    aspects = record["aspects"]
    chart = bar_chart(
        [_(lang, ASPECT_TEXT[Aspect(a["aspect"])]) for a in aspects],
        [a["points"] for a in aspects],
        [a["weight"] for a in aspects],
        x_label=_(lang, "TKDN points (percentage points): earned over the aspect's weight"),
        lang=lang,
    )
    components = record["components"]
    component_chart = bar_chart(
        [c["name"] for c in components],
        [c["points"] for c in components],
        [c["max_points"] for c in components],
        x_label=_(lang, "TKDN points (percentage points): earned over the component's weight"),
        lang=lang,
    )
    return {
        "vehicle_class": _(lang, VEHICLE_CLASS_TEXT[VehicleClass(record["vehicle_class"])]),
        "method": record["method"]["title_id" if lang == "id" else "title_en"],
        "aspect_chart": chart,
        "component_chart": component_chart,
        "aspect_names": {a: _(lang, text) for a, text in _aspect_names().items()},
        "unclaimed": [
            _(lang, ASPECT_TEXT[Aspect(a["aspect"])]) for a in aspects if not a["claimed"]
        ],
        "targets": {o["option"]: o for o in (record["localisation"] or {}).get("chosen", [])},
    }


def _aspect_names() -> dict[str, str]:
    return {a.value: text for a, text in ASPECT_TEXT.items()}


# --- transition -----------------------------------------------------------------------------------


def _transition_view(record: Mapping[str, Any], lang: str) -> dict[str, Any]:
    years = record["years"]
    vehicles = record["vehicles"]
    vehicle_chart = line_chart(
        years,
        {
            _(lang, "electric motorcycles"): [v / 1e3 for v in vehicles["electric"]],
            _(lang, "conventional motorcycles"): [v / 1e3 for v in vehicles["conventional"]],
        },
        y_label=_(lang, "thousand vehicles a year"),
        lang=lang,
    )
    demand_chart = line_chart(
        years,
        _change_series(record["components"], lang),
        y_label=_(lang, "thousand units a year"),
        lang=lang,
    )
    marks = sorted({years[0], *(y for y in (2030,) if y in years), years[-1]})
    return {
        "label": record["label_id" if lang == "id" else "label_en"],
        "vehicle_chart": vehicle_chart,
        "demand_chart": demand_chart,
        "marks": marks,
        "mark_index": [years.index(y) for y in marks],
        "names": {c["id"]: _name(c, lang) for c in record["components"]},
        "powertrain": {k: _(lang, v) for k, v in POWERTRAIN_TEXT.items()},
        "jobs_basis": {k: _(lang, v) for k, v in JOBS_BASIS_TEXT.items()},
        "last": len(years) - 1,
        "group_tables": [
            (_(lang, "By industrial park"), record["by_park"]),
            (_(lang, "By province"), record["by_province"]),
            (_(lang, "By KBLI code"), record["by_kbli"]),
        ],
    }


def _change_series(components: list[dict[str, Any]], lang: str) -> dict[str, list[float]]:
    """Return the change in demand per part, one line for parts whose changes coincide."""
    lines: dict[tuple[float, ...], list[dict[str, Any]]] = {}
    for component in components:
        if component["powertrain"] == "shared":
            continue
        key = tuple(round(v, 6) for v in component["change"])
        lines.setdefault(key, []).append(component)
    series = {}
    for key, members in lines.items():
        label = ", ".join(_name(c, lang) for c in members)
        if len(members) > 2:
            kind = _(lang, POWERTRAIN_TEXT[members[0]["powertrain"]])
            label = _(lang, "each of the {count} {kind} parts (see the table)").format(
                count=len(members), kind=kind
            )
        series[label] = [v / 1e3 for v in key]
    return series


def _name(component: Mapping[str, Any], lang: str) -> str:
    return str(component["name_id" if lang == "id" else "name_en"])


# --- packs --------------------------------------------------------------------------------------


def _packs_view(record: Mapping[str, Any], lang: str) -> dict[str, Any]:
    rows = [
        (_(lang, "packs on vehicles"), "vehicle_packs", 0, 1.0),
        (_(lang, "packs in swap stations"), "station_packs", 0, 1.0),
        (_(lang, "all packs"), "packs", 0, 1.0),
        (_(lang, "cells"), "cells", 0, 1.0),
        (_(lang, "energy capacity (MWh)"), "kwh", 1, 1e-3),
    ]
    table = [
        {
            "label": label,
            "shared": record["shared"][key] * scale,
            "proprietary": record["proprietary"][key] * scale,
            "avoided": (record["proprietary"][key] - record["shared"][key]) * scale,
            "digits": digits,
        }
        for label, key, digits, scale in rows
    ]
    metals = [
        {
            "label": _(lang, "{element} in the packs (t)").format(element=element),
            "shared": record["shared"]["metals_kg"][element] / 1e3,
            "proprietary": record["proprietary"]["metals_kg"][element] / 1e3,
            "avoided": record["avoided"]["metals_kg"][element] / 1e3,
            "digits": 1,
        }
        for element in record["avoided"]["metals_kg"]
    ]
    return {
        "pack": record["pack"]["label_id" if lang == "id" else "label_en"],
        "table": table + metals,
        "standard": _(
            lang,
            N_("one national standard pack")
            if record["standard"] == "shared"
            else N_("brand-proprietary packs"),
        ),
    }
