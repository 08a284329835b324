"""A hand-built registry, intensities and factors for the national tests (numbers by hand)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from sinergi.national.inputs import PowerFactor, RouteIntensity
from sinergi.national.registry import (
    Fuel,
    PowerUnit,
    Production,
    Registry,
    Route,
    Smelter,
    Status,
)

NPI, FENI, HPAL = Route.RKEF_NPI, Route.RKEF_FENI, Route.HPAL_MHP
OPERATING = Status.OPERATING


def intensities() -> dict[str, RouteIntensity]:
    return {
        "rkef_npi": RouteIntensity(NPI, process=20.0, electricity_mwh=40.0),
        "rkef_feni": RouteIntensity(FENI, process=10.0, electricity_mwh=40.0),
        "hpal_mhp": RouteIntensity(HPAL, process=12.0, electricity_mwh=5.0),
    }


def factors() -> dict[str, PowerFactor]:
    return {
        "coal": PowerFactor("coal", 1.0),
        "hydro": PowerFactor("hydro", 0.1),
        "solar": PowerFactor("solar", 0.05),
        "none": PowerFactor("none", 0.0),
        "grid.sulselbar": PowerFactor("grid.sulselbar", 0.25),
    }


def registry() -> Registry:
    smelters = (
        Smelter("s1", "NPI one", NPI, OPERATING, "Sulawesi Tengah", park="p", group="g1"),
        Smelter(
            "s2",
            "HPAL two",
            HPAL,
            OPERATING,
            "Maluku Utara",
            ni_share=0.4,
            grid_mw=50.0,
            grid_region="grid.sulselbar",
            slag_utilised=0.25,
            group="g1",
        ),
        Smelter("s3", "FeNi without power data", FENI, OPERATING, "Sulawesi Tengah"),
        Smelter("s4", "CAM plant", Route.CAM, OPERATING, "Maluku Utara"),
        Smelter("s5", "NPI without production", NPI, OPERATING, "Sulawesi Tengah"),
    )
    units = (
        PowerUnit("u1", Fuel.COAL, 100.0, OPERATING, smelter="s1", start_year=2019),
        PowerUnit("u2", Fuel.HYDRO, 50.0, OPERATING, smelter="s2", start_year=2010),
    )
    production = (
        Production("s1", 2023, ni_t=1000.0),
        Production("s2", 2023, product_t=2000.0),
        Production("s3", 2023, ni_t=500.0),
        Production("s4", 2023, ni_t=100.0),
    )
    return Registry(smelters, units, production)


CREA_HEADER = [
    "Company",
    "Commodity",
    "Commodity detailed",
    "Capacity Input (tpa)",
    "Capacity Output (tpa)",
    "Location",
    "Province",
    "Latitude",
    "Longitude",
    "Evaluation Year",
    "Finish Year",
    "Construction Progress (%)",
    "PLN or Captive CFPP",
    "Capacity (MW)",
    "Captive_non-coal",
    "Capacity_2 (MW)",
    "GEM ID",
    "H1_2023 Status",
]


def crea_file(tmp_path: Path, rows: list[list[object]], header: list[str] = CREA_HEADER) -> Path:
    path = tmp_path / "crea.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Indonesia Captive"
    ws.append(header)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


CREA_ROW: list[object] = [
    "PT Contoh Nikel", "Nickel", "NPI", 2_000_000, 250_000, "Kawasan X", "Sulawesi Tengah",
    -2.8, 122.1, 2023, 2021, "100%", "Captive", 350, "Hydro", 20, "G123", "Operating",
]  # fmt: skip
