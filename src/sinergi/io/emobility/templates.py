"""The four e-mobility input templates: bill of materials, suppliers, sales, scenario.

Each is a :class:`~.spec.Template` of sheets and typed columns; the same definitions read the
files (:mod:`.tables`) and write the blank templates people fill in (:mod:`.writer`).
Choices accept the Indonesian words (``dalam negeri``, ``impor``, ``utama``, ``pendukung``,
``perakitan``, ``pengembangan``, ``roda dua``) as well as the English codes.
"""

from __future__ import annotations

from enum import StrEnum

from sinergi.io.emobility.spec import Column, Kind, Sheet, Template

__all__ = ["BOM", "SALES", "SCENARIO", "SUPPLIERS", "TEMPLATES", "TemplateKind"]


class TemplateKind(StrEnum):
    """The e-mobility templates."""

    bom = "bom"
    suppliers = "suppliers"
    sales = "sales"
    scenario = "scenario"


def _text(key: str, en: str, id_: str, *, required: bool = False, help_en: str = "") -> Column:
    return Column(key, en, id_, Kind.TEXT, required, help_en=help_en)


def _source_columns() -> tuple[Column, ...]:
    return (
        _text("source", "Source (author, title, year, URL)", "Sumber (penulis, judul, tahun, URL)"),
        _text("note", "Note", "Catatan"),
    )


VEHICLE_CLASSES = {
    "two_three_wheeler": "two-wheeler|three-wheeler|roda dua|roda tiga|roda dua atau tiga|2w|3w",
    "four_wheeler": "four-wheeler|roda empat|roda empat atau lebih|4w|car|mobil",
}

MODEL = Sheet(
    "model",
    "Model",
    "Model",
    (
        _text("model", "Model name", "Nama model", required=True),
        Column(
            "vehicle_class",
            "Vehicle class",
            "Kelas kendaraan",
            Kind.CHOICE,
            required=True,
            choices=VEHICLE_CLASSES,
        ),
        Column(
            "battery_kwh",
            "Battery capacity (kWh)",
            "Kapasitas baterai (kWh)",
            Kind.NUMBER,
            minimum=0,
            above_minimum=True,
        ),
        _text("maker", "Maker", "Produsen"),
        Column("synthetic", "Synthetic (yes/no)", "Sintetis (ya/tidak)", Kind.BOOLEAN),
    ),
    required=True,
    key_value=True,
    help_en="one value per field: model, vehicle_class, battery_kwh, maker, synthetic",
    help_id="satu nilai per isian: model, vehicle_class, battery_kwh, maker, synthetic",
)

COMPONENTS = Sheet(
    "components",
    "Components",
    "Komponen",
    (
        _text("id", "Component id", "Kode komponen", required=True),
        _text("name", "Component name", "Nama komponen", required=True),
        Column(
            "group",
            "Group (main/supporting)",
            "Kelompok (utama/pendukung)",
            Kind.CHOICE,
            required=True,
            choices={"main": "utama|komponen utama", "supporting": "pendukung|komponen pendukung"},
        ),
        Column(
            "weight",
            "Weight within its group",
            "Bobot dalam kelompoknya",
            Kind.NUMBER,
            required=True,
            minimum=0,
            above_minimum=True,
        ),
    ),
    help_en=(
        "required for two- and three-wheelers: the component composition of Permenperin 6/2022 "
        "for them was not found, so give each component's group and weight (relative within "
        "its group); four-wheelers may leave it out and use the published composition"
    ),
    help_id=(
        "wajib untuk roda dua dan tiga: komposisi komponen Permenperin 6/2022 untuk kendaraan ini "
        "tidak ditemukan, jadi isi kelompok dan bobot setiap komponen (relatif dalam "
        "kelompoknya); roda empat boleh mengosongkannya dan memakai komposisi yang diterbitkan"
    ),
)

PARTS = Sheet(
    "parts",
    "Parts",
    "Suku cadang",
    (
        _text("component", "Component id", "Kode komponen", required=True),
        _text("part", "Part", "Bagian", required=True),
        Column(
            "cost_idr",
            "Cost per vehicle (IDR)",
            "Biaya per kendaraan (Rp)",
            Kind.NUMBER,
            required=True,
            minimum=0,
        ),
        Column(
            "origin",
            "Origin (domestic/imported)",
            "Asal (dalam negeri/impor)",
            Kind.CHOICE,
            required=True,
            choices={
                "domestic": "dalam negeri|domestik|lokal|local|dn",
                "imported": "impor|import|luar negeri|ln",
            },
        ),
        Column(
            "local_share",
            "Own domestic share of a domestic part (0-1 or %)",
            "Kandungan dalam negeri bagian lokal (0-1 atau %)",
            Kind.SHARE,
        ),
        _text("maker", "Maker", "Pembuat"),
    ),
    required=True,
    help_en="one row per part: its component, cost per vehicle and origin",
    help_id="satu baris per bagian: komponennya, biaya per kendaraan dan asalnya",
)

ASPECTS = Sheet(
    "aspects",
    "Assembly and development",
    "Perakitan dan pengembangan",
    (
        _text("id", "Item id", "Kode butir", required=True),
        Column(
            "aspect",
            "Aspect (assembly/development)",
            "Aspek (perakitan/pengembangan)",
            Kind.CHOICE,
            required=True,
            choices={"assembly": "perakitan", "development": "pengembangan"},
        ),
        _text("item", "Item", "Butir", required=True),
        Column(
            "weight",
            "Weight within its aspect",
            "Bobot dalam aspeknya",
            Kind.NUMBER,
            required=True,
            minimum=0,
            above_minimum=True,
        ),
        Column(
            "achieved",
            "Share achieved domestically (0-1 or %)",
            "Capaian dalam negeri (0-1 atau %)",
            Kind.SHARE,
            required=True,
        ),
    ),
    help_en="assembly and development items you claim; an aspect without items scores nothing",
    help_id="butir perakitan dan pengembangan yang diklaim; aspek tanpa butir bernilai nol",
)

OPTIONS = Sheet(
    "options",
    "Localisation options",
    "Opsi lokalisasi",
    (
        _text("id", "Option id", "Kode opsi", required=True),
        _text("target", "Component or item id", "Kode komponen atau butir", required=True),
        Column(
            "new_share",
            "Local share after the change (0-1 or %)",
            "Kandungan lokal setelah perubahan (0-1 atau %)",
            Kind.SHARE,
            required=True,
        ),
        Column(
            "cost_idr",
            "Extra cost per vehicle (IDR)",
            "Tambahan biaya per kendaraan (Rp)",
            Kind.NUMBER,
            required=True,
            minimum=0,
        ),
        _text("description", "Description", "Uraian"),
    ),
    help_en="ways to raise a component's local share, for the cheapest-localisation search",
    help_id="cara menaikkan kandungan lokal komponen, untuk mencari lokalisasi termurah",
)

BOM = Template("bom", (MODEL, COMPONENTS, PARTS, ASPECTS, OPTIONS), csv_sheet="parts")

SUPPLIERS_SHEET = Sheet(
    "suppliers",
    "Suppliers",
    "Pemasok",
    (
        _text("supplier_id", "Supplier id", "Kode pemasok", required=True),
        _text("name", "Name", "Nama", required=True),
        _text("component", "Component id", "Kode komponen", required=True),
        Column(
            "share",
            "Share of national demand (0-1 or %)",
            "Pangsa kebutuhan nasional (0-1 atau %)",
            Kind.SHARE,
        ),
        _text("company_id", "Company id in sinergi", "Kode perusahaan di sinergi"),
        _text("kbli", "KBLI codes", "Kode KBLI"),
        _text("province", "Province", "Provinsi"),
        _text("park", "Industrial park", "Kawasan industri"),
        Column(
            "workers",
            "Workers on these parts",
            "Pekerja untuk komponen ini",
            Kind.INTEGER,
            minimum=0,
        ),
        Column("synthetic", "Synthetic (yes/no)", "Sintetis (ya/tidak)", Kind.BOOLEAN),
    ),
    required=True,
    help_en="one row per supplier and component; repeat the supplier's details on each row",
    help_id="satu baris per pemasok dan komponen; ulangi data pemasok di setiap baris",
)

SUPPLIERS = Template("suppliers", (SUPPLIERS_SHEET,), csv_sheet="suppliers")


def _sales_sheet(required: bool) -> Sheet:
    return Sheet(
        "sales",
        "Sales",
        "Penjualan",
        (
            Column("year", "Year", "Tahun", Kind.YEAR, required=True),
            Column(
                "domestic",
                "Domestic sales (units)",
                "Penjualan domestik (unit)",
                Kind.NUMBER,
                required=True,
                minimum=0,
            ),
            Column("exports", "Exports (units)", "Ekspor (unit)", Kind.NUMBER, minimum=0),
            *_source_columns(),
        ),
        required=required,
        help_en="consecutive years of motorcycle sales (e.g. AISI wholesales)",
        help_id="tahun berurutan penjualan sepeda motor (misalnya wholesales AISI)",
    )


SALES = Template("sales", (_sales_sheet(required=True),), csv_sheet="sales")

SCENARIOS = Sheet(
    "scenarios",
    "Electric share",
    "Pangsa listrik",
    (
        _text("scenario", "Scenario", "Skenario", required=True),
        Column("year", "Year", "Tahun", Kind.YEAR, required=True),
        Column(
            "electric_share",
            "Electric share of domestic sales (0-1 or %)",
            "Pangsa listrik penjualan domestik (0-1 atau %)",
            Kind.SHARE,
            required=True,
        ),
        _text("label_en", "Label (English)", "Label (Inggris)"),
        _text("label_id", "Label (Indonesian)", "Label (Indonesia)"),
        *_source_columns(),
    ),
    required=True,
    help_en="anchor years of each scenario; the share is linear between them, held after",
    help_id="tahun jangkar setiap skenario; pangsa linear di antaranya dan tetap sesudahnya",
)

PROJECTION = Sheet(
    "projection",
    "Projection",
    "Proyeksi",
    (
        Column(
            "growth_per_year",
            "Sales growth per year after the last sales year (share)",
            "Pertumbuhan penjualan per tahun sesudah tahun terakhir (pangsa)",
            Kind.NUMBER,
            minimum=-0.99,
            maximum=0.99,
        ),
        *_source_columns(),
    ),
    key_value=True,
)

BOM_CHANGES = Sheet(
    "bom",
    "Parts per vehicle",
    "Komponen per kendaraan",
    (
        _text("component", "Component id", "Kode komponen", required=True),
        Column(
            "powertrain",
            "Vehicle (electric/conventional)",
            "Kendaraan (listrik/konvensional)",
            Kind.CHOICE,
            required=True,
            choices={"electric": "listrik|ev", "conventional": "konvensional|bensin|ice"},
        ),
        Column(
            "quantity",
            "Quantity per vehicle",
            "Jumlah per kendaraan",
            Kind.NUMBER,
            required=True,
            minimum=0,
        ),
        *_source_columns(),
    ),
)

JOBS = Sheet(
    "jobs",
    "Jobs per output",
    "Tenaga kerja per keluaran",
    (
        _text("component", "Component id", "Kode komponen", required=True),
        Column(
            "jobs_per_1000_units",
            "Jobs per 1,000 units a year",
            "Pekerja per 1.000 unit per tahun",
            Kind.NUMBER,
            required=True,
            minimum=0,
        ),
        _text("source", "Source (author, title, year, URL)", "Sumber (penulis, judul, tahun, URL)"),
        Column("year", "Year the value describes", "Tahun data", Kind.YEAR),
        _text("note", "Note", "Catatan"),
    ),
)

SCENARIO = Template(
    "scenario",
    (SCENARIOS, _sales_sheet(required=False), PROJECTION, BOM_CHANGES, JOBS),
    csv_sheet="scenarios",
)

TEMPLATES: dict[TemplateKind, Template] = {
    TemplateKind.bom: BOM,
    TemplateKind.suppliers: SUPPLIERS,
    TemplateKind.sales: SALES,
    TemplateKind.scenario: SCENARIO,
}
