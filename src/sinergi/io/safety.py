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
from sinergi.i18n import N_, _, format_number
from sinergi.io.issues import Words, bilingual

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

#: Excel formats refused outright, with the reason (English msgids of the catalogues).
REFUSED_SUFFIXES: dict[str, str] = {
    ".xlsm": N_("it can contain macros"),
    ".xltm": N_("it can contain macros"),
    ".xlam": N_("it is a macro add-in"),
    ".xlsb": N_("it is a binary workbook"),
    ".xls": N_("it is the old binary Excel format"),
}


def _bytes(count: int) -> Words:
    return Words(format_number(count, "en"), format_number(count, "id"))


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
            bilingual(
                N_(
                    "{file}: {suffix} files are refused because {reason}; open it in Excel and "
                    "save it as 'Excel Workbook (.xlsx)'"
                ),
                file=path.name,
                suffix=path.suffix,
                reason=Words(reason, _("id", reason)),
            )
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
            bilingual(
                N_(
                    "{file} is {size} bytes, over the limit of {limit} bytes; split it into "
                    "several files (for example one per year)"
                ),
                file=path.name,
                size=_bytes(size),
                limit=_bytes(max_bytes),
            )
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
            bilingual(
                N_("{file} holds {parts} parts (limit {limit}); it is not a normal workbook"),
                file=path.name,
                parts=len(members),
                limit=max_members,
            )
        )
    total = sum(m.file_size for m in members)
    if total > max_uncompressed:
        raise UnsafeInput(
            bilingual(
                N_("{file} unpacks to {size} MB (limit {limit} MB); split the workbook"),
                file=path.name,
                size=f"{total / 1e6:.0f}",
                limit=f"{max_uncompressed / 1e6:.0f}",
            )
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FLOOR_BYTES and ratio > max_ratio:
            raise UnsafeInput(
                bilingual(
                    N_(
                        "{file}: part {part} compresses {ratio}:1, which only a zip bomb does; "
                        "the file is refused"
                    ),
                    file=path.name,
                    part=member.filename[:80],
                    ratio=f"{ratio:.0f}",
                )
            )
        if member.filename.lower().endswith("vbaproject.bin"):
            raise UnsafeInput(
                bilingual(
                    N_(
                        "{file} contains macros (xl/vbaProject.bin); save it as 'Excel Workbook "
                        "(.xlsx)' without macros"
                    ),
                    file=path.name,
                )
            )
