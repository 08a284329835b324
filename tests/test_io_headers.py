"""Headers people actually type: short Indonesian or English labels without the notes."""

from __future__ import annotations

from sinergi.io import read_file
from sinergi.io.columns import schema


def test_short_indonesian_headers_are_accepted(tmp_path):
    path = tmp_path / "aliran.csv"
    path.write_text(
        "periode;dari simpul;ke simpul;komoditas;jumlah;satuan\n"
        "2024;supplier;market;cement;1.234,5;ton\n",
        "utf-8",
    )
    flow = read_file(path, table="flows").ecosystem.flows[0]
    assert (flow.commodity, flow.quantity) == ("cement", 1234.5)


def test_every_label_without_its_note_names_its_own_column_only():
    for table in schema().tables:
        for column in table.columns:
            short = column.label_id.split(" (")[0]
            matches = [c.field for c in table.columns if c.accepts_header(short)]
            assert matches == [column.field], (table.name, short)


def test_indonesian_choice_spellings_are_accepted(tmp_path):
    path = tmp_path / "companies.yaml"
    path.write_text(
        'sinergi: "2026.1"\nregions: [{id: r, name: R}]\n'
        "parks: [{id: p, name: P, region_id: r}]\n"
        "companies:\n"
        "  - {id: c, park_id: p, name: C, size: Besar, ownership: PMA,\n"
        "     smelter_route: hpal, smelter_power_source: PLTU captive}\n",
        "utf-8",
    )
    company = read_file(path).ecosystem.companies["c"]
    assert (company.size, company.ownership) == ("large", "foreign")
    assert company.smelter is not None
    assert company.smelter.power_source == "captive_coal"


def test_every_alias_names_a_real_choice():
    from sinergi.io.cells import ENUMS, choice_aliases

    for enum_name, aliases in choice_aliases().items():
        values = {m.value for m in ENUMS[enum_name]}
        assert set(aliases.values()) <= values, enum_name
