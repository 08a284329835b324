"""The smelter registry templates: sinergi's own, and a sheet laid out like CREA's.

``REGISTRY`` has three sheets: ``smelters``, ``captive_units`` and ``production``. The
captive-unit columns carry the names of the GEM Global Coal Plant Tracker's ``Units`` sheet
(``GEM unit/phase ID``, ``Plant name``, ``Unit name``, ``Owner``, ``Parent``, ``Capacity
(MW)``, ``Status``, ``Start year``, ``Retired year``, ``Subnational``, ``Latitude``,
``Longitude``), so rows copied from the tracker read as they are once a ``smelter`` or
``park`` column says whom each unit serves; the tracker's other descriptive columns are
accepted and not used. GEM statuses read as sinergi's (pre-permit, permitted and announced as
planned; shelved and cancelled as cancelled; mothballed as retired).

``CREA`` is one sheet with the columns of CREA's smelter sheet (as its public R workflow reads
them): ``Company``, ``Commodity``, ``Commodity detailed``, ``Capacity Input (tpa)``, ``Capacity
Output (tpa)``, ``Location``, ``Province``, ``Latitude``, ``Longitude``, ``Evaluation Year``,
``Finish Year``, ``Construction Progress (%)``, ``PLN or Captive CFPP``, ``Capacity (MW)``,
``Captive_non-coal``, ``Capacity_2 (MW)``, ``GEM ID``, ``H1_2023 Status``.
"""

from __future__ import annotations

from sinergi.io.emobility.spec import Column, Kind, Sheet, Template

__all__ = ["CREA", "REGISTRY", "ROUTE_WORDS", "STATUS_WORDS"]

ROUTE_WORDS = {
    "rkef_npi": "npi|nickel pig iron|rkef npi|nikel pig iron",
    "rkef_feni": "ferronickel|feni|fe-ni|feronikel|rkef feni",
    "converter_matte": "matte|nickel matte|nikel matte|converter matte",
    "hpal_mhp": "mhp|hpal|mixed hydroxide precipitate|hpal mhp",
    "refinery_niso4": "nickel sulfate|nickel sulphate|niso4|nikel sulfat",
    "pcam": "precursor|pcam|prekursor",
    "cam": "cathode|cathode active material|katoda",
    "cells": "cell|cells|battery cells|sel baterai",
    "recycling": "battery recycling|daur ulang|daur ulang baterai",
}
STATUS_WORDS = {
    "operating": "operation|operational|beroperasi|operasi|produksi",
    "construction": "under construction|konstruksi|pembangunan",
    "planned": "pre-permit|permitted|announced|planning|rencana|direncanakan",
    "feasibility": "fs|feasibility study|studi kelayakan",
    "retired": "mothballed|pensiun|ditutup",
    "cancelled": "shelved|batal|dibatalkan",
}
FUEL_WORDS = {
    "coal": "batubara|batu bara|cfpp|pltu",
    "gas": "lng|natural gas|pltg|gas alam",
    "oil": "diesel|solar (bbm)|pltd|minyak",
    "hydro": "plta|hydropower|tenaga air",
    "solar": "pv|plts|surya",
    "wind": "pltb|angin",
    "geothermal": "pltp|panas bumi",
    "biomass": "biomassa",
    "grid": "pln|jaringan",
}


def _t(key: str, en: str, id_: str, *, required: bool = False) -> Column:
    return Column(key, en, id_, Kind.TEXT, required)


def _n(key: str, en: str, id_: str, *, required: bool = False, low: float | None = 0) -> Column:
    return Column(key, en, id_, Kind.NUMBER, required, minimum=low)


def _coordinates() -> tuple[Column, ...]:
    return (
        Column("latitude", "Latitude", "Lintang", Kind.NUMBER, minimum=-90, maximum=90),
        Column("longitude", "Longitude", "Bujur", Kind.NUMBER, minimum=-180, maximum=180),
    )


def _provenance() -> tuple[Column, ...]:
    return (
        _t("source", "Source (author, title, year, URL)", "Sumber (penulis, judul, tahun, URL)"),
        Column("year", "Source year", "Tahun sumber", Kind.YEAR),
        Column("synthetic", "Synthetic (yes/no)", "Sintetis (ya/tidak)", Kind.BOOLEAN),
    )


SMELTERS = Sheet(
    "smelters",
    "Smelters",
    "Smelter",
    (
        _t("id", "Smelter id", "Kode smelter", required=True),
        _t("name", "Smelter name", "Nama smelter", required=True),
        _t("company", "Company", "Perusahaan"),
        _t("group", "Company group", "Grup perusahaan"),
        _t("park", "Industrial park", "Kawasan industri"),
        _t("province", "Province", "Provinsi"),
        *_coordinates(),
        Column("route", "Route", "Rute proses", Kind.CHOICE, True, choices=ROUTE_WORDS),
        Column("status", "Status", "Status", Kind.CHOICE, True, choices=STATUS_WORDS),
        Column(
            "licence",
            "Licence (IUI/IUP)",
            "Izin (IUI/IUP)",
            Kind.CHOICE,
            choices={"iui": "izin usaha industri", "iup": "izin usaha pertambangan"},
        ),
        Column("commissioning_year", "Commissioning year", "Tahun mulai operasi", Kind.YEAR),
        _n("capacity_input_t", "Capacity input (t/yr)", "Kapasitas input (t/tahun)"),
        _n(
            "capacity_output_t",
            "Capacity output (t product/yr)",
            "Kapasitas output (t produk/tahun)",
        ),
        _n("capacity_ni_t", "Capacity (t Ni/yr)", "Kapasitas (t Ni/tahun)"),
        Column(
            "ni_share",
            "Ni content of product (0-1 or %)",
            "Kadar Ni produk (0-1 atau %)",
            Kind.SHARE,
        ),
        _n("grid_mw", "Grid connection (MW)", "Sambungan PLN (MW)"),
        _t(
            "grid_region",
            "Grid region (e.g. grid.sulselbar)",
            "Wilayah jaringan (mis. grid.sulselbar)",
        ),
        Column(
            "slag_utilised",
            "Slag/tailings used (0-1 or %)",
            "Terak/tailing dimanfaatkan (0-1 atau %)",
            Kind.SHARE,
        ),
        Column(
            "faba_utilised", "FABA used (0-1 or %)", "FABA dimanfaatkan (0-1 atau %)", Kind.SHARE
        ),
        Column("sih", "SIH certified (yes/no)", "Bersertifikat SIH (ya/tidak)", Kind.BOOLEAN),
        Column(
            "irma",
            "IRMA level",
            "Tingkat IRMA",
            Kind.CHOICE,
            choices={
                "transparency": "irma transparency",
                "50": "irma 50",
                "75": "irma 75",
                "100": "irma 100",
            },
        ),
        Column("iso14001", "ISO 14001 (yes/no)", "ISO 14001 (ya/tidak)", Kind.BOOLEAN),
        *_provenance(),
    ),
    required=True,
    help_en="one row per smelter (or line): route, status, capacity, power and certificates",
    help_id="satu baris per smelter (atau lini): rute, status, kapasitas, listrik, sertifikat",
)

UNITS = Sheet(
    "captive_units",
    "Captive power units",
    "Unit pembangkit captive",
    (
        _t("id", "Unit id", "Kode unit", required=True),
        _t("smelter", "Smelter id served", "Kode smelter yang dilayani"),
        _t("park", "Park served (all its smelters)", "Kawasan yang dilayani (semua smelternya)"),
        _t("gem_unit_id", "GEM unit/phase ID", "ID unit/fase GEM"),
        _t("plant_name", "Plant name", "Nama pembangkit"),
        _t("unit_name", "Unit name", "Nama unit"),
        _t("owner", "Owner", "Pemilik"),
        _t("parent", "Parent", "Induk perusahaan"),
        Column(
            "fuel",
            "Fuel (blank = coal)",
            "Bahan bakar (kosong = batu bara)",
            Kind.CHOICE,
            choices=FUEL_WORDS,
        ),
        _n("capacity_mw", "Capacity (MW)", "Kapasitas (MW)", required=True),
        Column("status", "Status", "Status", Kind.CHOICE, True, choices=STATUS_WORDS),
        Column("start_year", "Start year", "Tahun mulai", Kind.YEAR),
        Column("retired_year", "Retired year", "Tahun pensiun", Kind.YEAR),
        _t("province", "Subnational", "Provinsi"),
        *_coordinates(),
        _t("country", "Country/Area", "Negara/wilayah"),
        _t("combustion_technology", "Combustion technology", "Teknologi pembakaran"),
        _t("coal_type", "Coal type", "Jenis batu bara"),
        _n("heat_rate", "Heat rate (Btu per kWh)", "Laju panas (Btu per kWh)"),
        *_provenance(),
    ),
    help_en="one row per power unit (GEM tracker columns); give the smelter it serves or its park",
    help_id="satu baris per unit pembangkit (kolom GEM); isi smelter yang dilayani atau kawasannya",
)

PRODUCTION = Sheet(
    "production",
    "Production",
    "Produksi",
    (
        _t("smelter", "Smelter id", "Kode smelter", required=True),
        Column("year", "Year", "Tahun", Kind.YEAR, required=True),
        _n("product_t", "Product (t)", "Produk (t)"),
        _n("ni_t", "Nickel content (t Ni)", "Kandungan nikel (t Ni)"),
        _n(
            "capacity_output_t",
            "Capacity that year (t product/yr)",
            "Kapasitas tahun itu (t produk/tahun)",
        ),
        _n("capacity_ni_t", "Capacity that year (t Ni/yr)", "Kapasitas tahun itu (t Ni/tahun)"),
        _n("coal_gj", "Coal and coke burnt in process (GJ)", "Batu bara dan kokas proses (GJ)"),
        _n("gas_gj", "Natural gas burnt in process (GJ)", "Gas alam proses (GJ)"),
        _n("oil_gj", "Diesel and HFO burnt in process (GJ)", "Solar dan MFO proses (GJ)"),
        _n("steam_gj", "Steam received (GJ)", "Uap yang diterima (GJ)"),
        _n("water_m3", "Water withdrawn (m3)", "Air yang diambil (m3)"),
        _t("source", "Source (author, title, year, URL)", "Sumber (penulis, judul, tahun, URL)"),
        Column("synthetic", "Synthetic (yes/no)", "Sintetis (ya/tidak)", Kind.BOOLEAN),
    ),
    help_en=(
        "one row per smelter and year: product tonnes and/or tonnes of contained nickel, and/or "
        "the year's capacity; fuels burnt in the process (not in captive power units), steam "
        "and water where reported"
    ),
    help_id=(
        "satu baris per smelter dan tahun: ton produk dan/atau ton nikel yang terkandung, "
        "dan/atau kapasitas tahun itu; bahan bakar proses (bukan di pembangkit captive), uap "
        "dan air bila dilaporkan"
    ),
)

REGISTRY = Template("smelters", (SMELTERS, UNITS, PRODUCTION), csv_sheet="smelters")

CREA_SHEET = Sheet(
    "crea",
    "CREA smelter sheet",
    "Lembar smelter CREA",
    (
        _t("company", "Company", "Perusahaan", required=True),
        _t("commodity", "Commodity", "Komoditas", required=True),
        _t("commodity_detailed", "Commodity detailed", "Komoditas rinci"),
        _n("capacity_input_t", "Capacity Input (tpa)", "Kapasitas input (tpa)"),
        _n("capacity_output_t", "Capacity Output (tpa)", "Kapasitas output (tpa)"),
        _t("location", "Location", "Lokasi"),
        _t("province", "Province", "Provinsi"),
        *_coordinates(),
        Column("evaluation_year", "Evaluation Year", "Tahun evaluasi", Kind.YEAR),
        Column("finish_year", "Finish Year", "Tahun selesai", Kind.YEAR),
        Column("progress", "Construction Progress (%)", "Kemajuan konstruksi (%)", Kind.SHARE),
        _t("power", "PLN or Captive CFPP", "PLN atau PLTU captive"),
        _n("capacity_mw", "Capacity (MW)", "Kapasitas (MW)"),
        _t("non_coal", "Captive_non-coal", "Captive non-batu bara"),
        _n("capacity_2_mw", "Capacity_2 (MW)", "Kapasitas_2 (MW)"),
        _t("gem_id", "GEM ID", "ID GEM"),
        _t("status", "H1_2023 Status", "Status H1 2023"),
    ),
    required=True,
    help_en="the columns of CREA's smelter sheet; one row per smelter",
    help_id="kolom lembar smelter CREA; satu baris per smelter",
)

CREA = Template("crea", (CREA_SHEET,), csv_sheet="crea")
