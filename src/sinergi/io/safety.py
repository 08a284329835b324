"""Guards that refuse dangerous input files before any parser sees them.

Uploaded files are untrusted. Before parsing we refuse: files over a size cap; macro-enabled
or binary Excel formats (``.xlsm``, ``.xlsb``, ``.xls``, ...); and for ``.xlsx`` (a zip
archive) too many members, a declared uncompressed size over a cap, an extreme compression
ratio (a zip bomb) and an embedded VBA project. The declared sizes can be trusted as
bounds because :mod:`zipfile`, which openpyxl reads through, never returns more bytes than
a member declares (it fails the CRC check instead). XML entity attacks are handled by
``defusedxml``, which openpyxl uses when it is installed (it is a dependency of sinergi).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from sinergi.errors import UnsafeInput

#: Largest input file accepted, in bytes (50 MB).
MAX_FILE_BYTES = 50 * 1024 * 1024
#: Largest total uncompressed size of an ``.xlsx`` archive, in bytes (200 MB).
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: Most members an ``.xlsx`` archive may hold.
MAX_ZIP_MEMBERS = 2000
#: Highest compression ratio accepted for a member larger than :data:`_RATIO_FLOOR_BYTES`.
MAX_COMPRESSION_RATIO = 200.0
#: Members smaller than this are never refused for their ratio (tiny XML compresses well).
_RATIO_FLOOR_BYTES = 1024 * 1024

#: Excel formats refused outright, with the reason.
REFUSED_SUFFIXES: dict[str, str] = {
    ".xlsm": "it can contain macros",
    ".xltm": "it can contain macros",
    ".xlam": "it is a macro add-in",
    ".xlsb": "it is a binary workbook",
    ".xls": "it is the old binary Excel format",
}


def check_suffix(path: Path) -> None:
    """Refuse macro-enabled and binary Excel formats by their file name.

    Raises
    ------
    UnsafeInput
        Naming the file and the fix ("save as .xlsx").
    """
    reason = REFUSED_SUFFIXES.get(path.suffix.lower())
    if reason is not None:
        raise UnsafeInput(
            f"{path.name}: {path.suffix} files are refused because {reason}; open it in "
            "Excel and save it as 'Excel Workbook (.xlsx)' | berkas ini ditolak; buka di "
            "Excel lalu simpan sebagai 'Excel Workbook (.xlsx)'"
        )


def check_size(path: Path, max_bytes: int = MAX_FILE_BYTES) -> int:
    """Refuse a file larger than ``max_bytes``; return its size.

    Raises
    ------
    UnsafeInput
        If the file is larger than the cap.
    """
    size = path.stat().st_size
    if size > max_bytes:
        raise UnsafeInput(
            f"{path.name} is {size:,} bytes, over the limit of {max_bytes:,} bytes; "
            "split it into several files (for example one per year) | berkas melebihi batas "
            "ukuran; pecah menjadi beberapa berkas (misalnya satu per tahun)"
        )
    return size


def check_workbook_archive(
    path: Path,
    *,
    max_uncompressed: int = MAX_UNCOMPRESSED_BYTES,
    max_members: int = MAX_ZIP_MEMBERS,
    max_ratio: float = MAX_COMPRESSION_RATIO,
) -> None:
    """Refuse an ``.xlsx`` archive that is a zip bomb or carries a VBA project.

    A file that is not a zip archive at all is left to the workbook reader, which reports
    it as an unreadable file.

    Raises
    ------
    UnsafeInput
        If the archive has too many members, declares too much data, compresses
        implausibly well, or contains ``xl/vbaProject.bin``.
    """
    if not zipfile.is_zipfile(path):
        return
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    if len(members) > max_members:
        raise UnsafeInput(
            f"{path.name} holds {len(members)} parts (limit {max_members}); it is not a "
            "normal workbook | berkas berisi terlalu banyak bagian; bukan workbook biasa"
        )
    total = sum(m.file_size for m in members)
    if total > max_uncompressed:
        raise UnsafeInput(
            f"{path.name} unpacks to {total / 1e6:.0f} MB (limit {max_uncompressed / 1e6:.0f} "
            "MB); split the workbook | berkas terlalu besar setelah diekstrak; pecah workbook"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FLOOR_BYTES and ratio > max_ratio:
            raise UnsafeInput(
                f"{path.name}: part {member.filename} compresses {ratio:.0f}:1, which only "
                "a zip bomb does; the file is refused | rasio kompresi tidak wajar (zip bomb)"
            )
        if member.filename.lower().endswith("vbaproject.bin"):
            raise UnsafeInput(
                f"{path.name} contains macros (xl/vbaProject.bin); save it as 'Excel "
                "Workbook (.xlsx)' without macros | berkas berisi makro; simpan sebagai "
                "'Excel Workbook (.xlsx)' tanpa makro"
            )
