"""File guards: size caps, refused formats, zip limits."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from sinergi.errors import UnsafeInput
from sinergi.io import read_file
from sinergi.io.safety import check_suffix, check_workbook_archive


def _archive(path: Path, members: int, size: int = 10) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for index in range(members):
            archive.writestr(f"xl/part{index}.xml", b"x" * size)
    return path


def test_size_cap_can_be_lowered_per_call(tmp_path: Path) -> None:
    path = tmp_path / "regions.csv"
    path.write_text("id,name\nmalut,Maluku Utara\n", "utf-8")
    assert read_file(path).tables == {"regions"}
    with pytest.raises(UnsafeInput, match="over the limit"):
        read_file(path, max_bytes=10)


@pytest.mark.parametrize("suffix", [".xlsm", ".XLSB", ".xls", ".xltm"])
def test_macro_and_binary_excel_formats_are_refused_with_the_fix(suffix: str) -> None:
    with pytest.raises(UnsafeInput, match=r"save it as 'Excel Workbook \(.xlsx\)'"):
        check_suffix(Path(f"park{suffix}"))


def test_archive_declaring_too_much_data_is_refused(tmp_path: Path) -> None:
    path = _archive(tmp_path / "big.xlsx", members=3, size=1000)
    check_workbook_archive(path)
    with pytest.raises(UnsafeInput, match="unpacks to"):
        check_workbook_archive(path, max_uncompressed=2000)


def test_archive_with_too_many_members_is_refused(tmp_path: Path) -> None:
    path = _archive(tmp_path / "many.xlsx", members=30)
    with pytest.raises(UnsafeInput, match="parts"):
        check_workbook_archive(path, max_members=20)
