"""Symbiosis recommendations as a bilingual HTML page (the JSON is ``Recommendation.to_dict``)."""

from __future__ import annotations

from importlib import resources
from typing import Any

from jinja2 import Environment, StrictUndefined

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Industrial symbiosis: recommended exchanges",
        "parks": "Parks",
        "period": "Period",
        "objective": "Objective",
        "obj_cost": "net economic benefit",
        "obj_co2": "CO2e avoided",
        "obj_landfill": "landfill diverted",
        "solver": "Solver status",
        "gap": "gap",
        "illustrative": "Some numbers behind these recommendations are illustrative (not yet "
        "sourced); treat the money and CO2e figures as first estimates to check with the partners.",
        "inferred": "Some supplies or demands are inferred from the company's sector (KBLI), not "
        "reported: confirm them with the company.",
        "totals": "Totals",
        "totals_note": "Each total is the sum over the exchanges listed below.",
        "amount": "Amount",
        "benefit": "Net benefit (IDR/period)",
        "co2e": "CO2e avoided (t)",
        "landfill": "Landfill diverted (t)",
        "count": "Exchanges",
        "recommendations": "Recommended exchanges, best first",
        "exchange": "Exchange",
        "why": "Why (rule and numbers)",
        "source": "Source",
        "sharing": "Benefit sharing",
        "exchanges": "exchanges",
        "partner": "Partner",
        "core_split": "Stable (core) split",
        "core": "Stability",
        "pareto": "Cost / CO2e trade-off (Pareto front)",
        "leads": "Leads without amounts (collect data first)",
        "pairing": "How candidates were found",
        "pairing_text": "{supplies} supplies and {demands} demands; {pairs_examined} pairs "
        "examined instead of {naive_pairs} all-pairs; {candidates} candidates.",
    },
    "id": {
        "title": "Simbiosis industri: pertukaran yang direkomendasikan",
        "parks": "Kawasan",
        "period": "Periode",
        "objective": "Tujuan",
        "obj_cost": "manfaat ekonomi bersih",
        "obj_co2": "CO2e yang dihindari",
        "obj_landfill": "sampah yang tidak ke TPA",
        "solver": "Status solver",
        "gap": "selisih",
        "illustrative": "Sebagian angka di balik rekomendasi ini bersifat ilustratif (belum "
        "bersumber); anggap angka rupiah dan CO2e sebagai perkiraan awal untuk diperiksa bersama "
        "mitra.",
        "inferred": "Sebagian pasokan atau kebutuhan diperkirakan dari sektor perusahaan (KBLI), "
        "bukan dilaporkan: konfirmasikan dengan perusahaan.",
        "totals": "Jumlah",
        "totals_note": "Setiap jumlah adalah total dari pertukaran di bawah ini.",
        "amount": "Jumlah",
        "benefit": "Manfaat bersih (IDR/periode)",
        "co2e": "CO2e dihindari (t)",
        "landfill": "Tidak ke TPA (t)",
        "count": "Pertukaran",
        "recommendations": "Pertukaran yang direkomendasikan, terbaik lebih dulu",
        "exchange": "Pertukaran",
        "why": "Alasan (aturan dan angka)",
        "source": "Sumber",
        "sharing": "Pembagian manfaat",
        "exchanges": "pertukaran",
        "partner": "Mitra",
        "core_split": "Pembagian stabil (core)",
        "core": "Stabilitas",
        "pareto": "Trade-off biaya / CO2e (front Pareto)",
        "leads": "Peluang tanpa jumlah (kumpulkan data dulu)",
        "pairing": "Cara kandidat ditemukan",
        "pairing_text": "{supplies} pasokan dan {demands} kebutuhan; {pairs_examined} pasangan "
        "diperiksa, bukan {naive_pairs} semua pasangan; {candidates} kandidat.",
    },
}


def symbiosis_html(data: dict[str, Any], lang: str = "en") -> str:
    """Render a recommendation (``Recommendation.to_dict()``) as a self-contained page."""
    text = (resources.files("sinergi.reports") / "templates" / "symbiosis.html").read_text("utf-8")
    env = Environment(
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    return env.from_string(text).render(d=data, t=LABELS[lang], lang=lang)
