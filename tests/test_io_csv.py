"""CSV intake: delimiters, encodings, header spellings, table inference, references."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pytest

from sinergi.errors import FileProblem, InputError
from sinergi.io import read_file
from sinergi.model import Period


def _write(path: Path, text: str, *, bom: bool = False) -> Path:
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8"))
    return path


def _codes(error: pytest.ExceptionInfo[InputError]) -> list[tuple[str, int | None, str | None]]:
    return [(i.code, i.row, i.field) for i in error.value.issues]  # type: ignore[attr-defined]


def test_semicolon_csv_with_decimal_commas_is_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "flows.csv",
        "period;source;target;commodity;quantity;unit\n"
        "2024-03;supplier;market;coal;1.234,5;kg\n"
        "2024-03;supplier;market;electricity;2,5;GWh\n",
    )
    flows = read_file(path).ecosystem.flows
    assert flows[0].quantity == pytest.approx(1.2345)
    assert flows[1].quantity == pytest.approx(2500.0)


def test_bom_csv_with_bilingual_and_indonesian_headers_is_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "aliran.csv",
        "Periode (2024 atau 2024-03),Dari simpul,To node / Ke simpul,Komoditas,"
        "Jumlah (kosongkan jika tidak diketahui),Satuan\n"
        "2024,supplier,market,nickel_slag,300,ton\n",
        bom=True,
    )
    parsed = read_file(path, table="flows")
    assert parsed.ecosystem.flows[0].quantity == 300.0
    assert parsed.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert parsed.periods == {"flows": frozenset({Period(2024)})}


def test_tab_delimited_file_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path / "regions.csv", "id\tname\nmalut\tMaluku Utara\n")
    assert read_file(path).ecosystem.regions["malut"].name == "Maluku Utara"


def test_table_is_inferred_from_header_when_file_name_says_nothing(tmp_path: Path) -> None:
    path = _write(tmp_path / "export (3).csv", "id,name\nsulteng,Sulawesi Tengah\n")
    assert read_file(path).tables == {"regions"}


def test_table_is_inferred_from_a_file_name_with_a_suffix(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "Flows_2024.csv",
        "period,source,target,commodity,quantity,unit\n2024,supplier,market,coal,1,t\n",
    )
    assert read_file(path).tables == {"flows"}


def test_blank_lines_are_skipped_and_rows_keep_spreadsheet_numbers(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "flows.csv",
        "period,source,target,commodity,quantity,unit\n"
        "2024,supplier,market,coal,1,t\n"
        ",,,,,\n"
        "2024,supplier,market,coke,x,t\n",
    )
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert _codes(caught) == [("not_a_number", 4, "quantity")]


def test_known_nodes_resolve_references_and_wrong_kinds_are_named(tmp_path: Path) -> None:
    path = _write(tmp_path / "companies.csv", "id,park_id,name\npt-a,iwip,PT A\n")
    parsed = read_file(path, known_nodes={"iwip": "parks"})
    assert parsed.ecosystem.companies["pt-a"].park_id == "iwip"
    with pytest.raises(InputError) as caught:
        read_file(path, known_nodes={"iwip": "companies"})
    assert _codes(caught) == [("unknown_reference", 2, "park_id")]
    assert "Tenant companies" in caught.value.issues[0].message_en  # type: ignore[attr-defined]


def test_land_use_of_a_stored_park_is_read_from_its_own_file(tmp_path: Path) -> None:
    # issue 12 §2: a land_use.csv exported beside parks.csv was refused ("must be in the same
    # file as the park's row"); the land use of a park already stored is read on its own
    path = _write(tmp_path / "land_use.csv", "park_id,category,area_ha\niwip,utilities,12\n")
    parsed = read_file(path, known_nodes={"iwip": "parks"})
    assert parsed.land_use == {"iwip": {"utilities": 12.0}}
    assert parsed.ecosystem.parks == {}


def test_directory_of_csv_files_is_read_as_one_document(tmp_path: Path) -> None:
    folder = tmp_path / "park"
    folder.mkdir()
    _write(folder / "parks.csv", "id,name,region_id,area_ha\niwip,IWIP,malut,100\n")
    _write(folder / "regions.csv", "id,name\nmalut,Maluku Utara\n")
    _write(folder / "land_use.csv", "park_id,category,area_ha\niwip,utilities,12\n")
    parsed = read_file(folder)
    assert parsed.ecosystem.parks["iwip"].land_use_ha == {"utilities": 12.0}
    assert parsed.format == "csv"
    assert read_file(folder).sha256 == parsed.sha256


def test_values_in_a_column_without_header_are_reported(tmp_path: Path) -> None:
    path = _write(tmp_path / "regions.csv", "id,name\nmalut,Maluku Utara,extra\n")
    with pytest.raises(InputError) as caught:
        read_file(path)
    issue = caught.value.issues[0]
    assert (issue.code, issue.row, issue.column) == ("unknown_column", 2, "#3 (no header)")  # type: ignore[attr-defined]


def test_unsupported_suffix_is_one_issue(tmp_path: Path) -> None:
    path = _write(tmp_path / "park.parquet", "x")
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert _codes(caught) == [("unsupported_format", None, None)]


def test_missing_file_is_a_file_problem_not_a_validation_error(tmp_path: Path) -> None:
    # README: a missing input file is a file problem (exit 3), not invalid content (exit 1)
    with pytest.raises(FileProblem, match=r"nothing\.csv does not exist"):
        read_file(tmp_path / "nothing.csv")


def test_exported_text_that_a_spreadsheet_would_run_is_kept_as_text_and_reads_back(
    tmp_path: Path,
) -> None:
    from dataclasses import replace

    from sinergi.examples import tiny_park
    from sinergi.io import write_file

    eco = tiny_park()
    names = {
        "demo-metal": '=HYPERLINK("http://evil.example","x")',
        "demo-bricks": "@SUM(1+1)",
    }
    for company_id, name in names.items():
        eco.companies[company_id] = replace(eco.companies[company_id], name=name)
    eco.flows[0].evidence = "-2+3 (meter log)"
    write_file(eco, tmp_path / "export.csv")
    text = (tmp_path / "export_companies.csv").read_text("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "'@SUM" in text
    assert ',"=' not in text
    assert ",=" not in text
    assert "'-2+3 (meter log)" in (tmp_path / "export_flows.csv").read_text("utf-8-sig")
    back = read_file(tmp_path).ecosystem
    assert {cid: back.companies[cid].name for cid in names} == names
    assert back.flows[0].evidence == "-2+3 (meter log)"


def test_a_leading_apostrophe_before_ordinary_text_is_kept(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "companies.csv",
        "id,park_id,name,kbli\nc1,p1,'t Hooft Metal,24103\n",
    )
    assert read_file(path, known_nodes={"p1": "parks"}).ecosystem.companies["c1"].name == (
        "'t Hooft Metal"
    )
