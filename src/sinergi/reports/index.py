"""The front page of a demo run: ``index.html`` (English) and ``index.id.html`` (Indonesian).

Every file the run wrote is linked, grouped by folder; the versions of one document (HTML in
each language, PDF, JSON) share a row that says what the document holds, so a reader opening
``out/`` in a browser finds every output from one page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sinergi.i18n import N_, gettext
from sinergi.reports.html import render

__all__ = ["Entry", "Link", "index_entries", "write_index"]

#: Index pages themselves, by language.
PAGES = {"en": "index.html", "id": "index.id.html"}

#: What a document holds, by the pattern of its stem (path without language and format
#: suffixes) inside the output folder; first match wins; ``{0}``… are the pattern's groups.
DESCRIPTIONS: tuple[tuple[str, str], ...] = (
    (r"summary", N_("Summary of the run: parks, assessments and the engines' headline results")),
    (r"sinergi", N_("The demo database (SQLite); open it with --db sqlite:///out/sinergi.db")),
    (r"demo-ecosystem", N_("The demonstration ecosystem as exported; re-importable")),
    (r"sinergi-template", N_("Blank data-collection template, one sheet per kind of record")),
    (
        r"assessments/([^.]+)\.pernyataan-mandiri\.draft",
        N_("Draft self-declaration (Permenperin 26/2025) of park {0}"),
    ),
    (r"assessments/([^.]+)\.(.+)", N_("Assessment of park {0} against {1}")),
    (r"footprints/.*", N_("Product carbon footprints of the nickel chain")),
    (r"symbiosis/national", N_("Industrial symbiosis: recommended exchanges, whole country")),
    (r"symbiosis/([^.]+)", N_("Industrial symbiosis: recommended exchanges in park {0}")),
    (r"battery/swap-station.*", N_("Battery swap stations: pilot sizing")),
    (r"battery/.*", N_("Battery circularity: fleet forecast, end of life, recycling")),
    (r"emobility/tkdn", N_("Local content (TKDN) of a synthetic e-scooter and what to localise")),
    (r"emobility/bom\.synthetic", N_("Synthetic bill of materials of an e-scooter (input file)")),
    (
        r"emobility/suppliers\.synthetic",
        N_("Synthetic supplier table of parts makers (input file)"),
    ),
    (r"emobility/transition", N_("Electrification and motorcycle parts makers, 2023-2040")),
    (r"emobility/packs", N_("One standard swap pack or one per brand, 2030")),
    (r"national/registry\.synthetic", N_("Synthetic national smelter registry (input file)")),
    (r"national/accounts-(\d+)", N_("National nickel accounts {0}, synthetic registry")),
    (r"national/scenario-(.+)", N_("National policy scenario {0} to 2060, with uncertainty")),
    (r"national/compare", N_("Scenario comparison: baseline and captive-coal phase-out")),
    (
        r"passport/custody-chain\.epcis",
        N_("Every custody event of the demo as an EPCIS 2.0 document"),
    ),
    (
        r"passport/([^.]+)\.genealogy",
        N_("Chain of custody of pack {0}: where it came from, claims"),
    ),
    (r"passport/([^.]+)\.qr", N_("QR code of the passport of pack {0} (its public address)")),
    (r"passport/([^.]+)\.public", N_("Battery passport of pack {0}: public view (JSON)")),
    (
        r"passport/([^.]+)\.legitimate",
        N_("Battery passport of pack {0}: view for persons with a legitimate interest (JSON)"),
    ),
    (
        r"passport/([^.]+)\.authority",
        N_("Battery passport of pack {0}: view for authorities (JSON)"),
    ),
    (r"passport/([^.]+)", N_("Battery passport of pack {0}: public view")),
)

FOLDERS = {
    "": N_("Summary, data and templates"),
    "assessments": N_("Park assessments"),
    "footprints": N_("Product carbon footprints"),
    "symbiosis": N_("Industrial symbiosis"),
    "battery": N_("Battery circularity and swap stations"),
    "emobility": N_("E-motorcycle supply chain and local content"),
    "national": N_("Smelter governance and the national view"),
    "passport": N_("Chain of custody and battery passports (synthetic packs)"),
}

FORMATS: dict[str, str] = {
    ".html": "HTML",
    ".pdf": "PDF",
    ".json": "JSON",
    ".md": "Markdown",
    ".yaml": "YAML",
    ".xlsx": "XLSX",
    ".csv": "CSV",
    ".db": "SQLite",
    ".svg": "SVG",
}

LANGUAGE_NAMES = {"en": N_("English"), "id": N_("Indonesian")}

_SUFFIX = re.compile(r"(\.(?P<lang>en|id))?\.(?P<ext>html|pdf|json|md|yaml|xlsx|csv|db|svg)$")
_SKIPPED = ("-wal", "-shm", "-journal")


@dataclass(frozen=True, slots=True)
class Link:
    """One file of a document: its path and a label (format, and language where it has one)."""

    path: str
    label: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One document: its stem, folder, what it holds, and a link to each of its files."""

    stem: str
    folder: str
    description: str
    links: tuple[Link, ...]


def _describe(stem: str, lang: str) -> str:
    for pattern, text in DESCRIPTIONS:
        match = re.fullmatch(pattern, stem)
        if match:
            return gettext(lang, text).format(*match.groups())
    return stem


def _split(rel: str) -> tuple[str, str, str | None]:
    """Return a file's document stem, format label and language."""
    match = _SUFFIX.search(rel)
    if match is None:
        return rel, rel.rsplit(".", 1)[-1].upper() if "." in rel else "", None
    ext = "." + match.group("ext")
    return rel[: match.start()], FORMATS.get(ext, ext), match.group("lang")


def index_entries(out: Path, lang: str) -> list[Entry]:
    """Return every document under ``out`` (not the index pages or database journals)."""
    files: dict[str, list[Link]] = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if not path.is_file() or rel in PAGES.values() or rel.endswith(_SKIPPED):
            continue
        stem, fmt, language = _split(rel)
        label = fmt if language is None else f"{fmt} · {gettext(lang, LANGUAGE_NAMES[language])}"
        files.setdefault(stem, []).append(Link(rel, label))
    return [
        Entry(
            stem=stem,
            folder=stem.rsplit("/", 1)[0] if "/" in stem else "",
            description=_describe(stem, lang),
            links=tuple(links),
        )
        for stem, links in files.items()
    ]


def write_index(out: Path) -> list[Path]:
    """Write the index pages of ``out`` in both languages; return their paths."""
    written = []
    for lang, name in PAGES.items():
        entries = index_entries(out, lang)
        groups: dict[str, list[Entry]] = {}
        for entry in entries:
            groups.setdefault(entry.folder, []).append(entry)
        titles = {folder: gettext(lang, FOLDERS.get(folder, folder)) for folder in groups}
        page = render(
            "index.html",
            lang,
            groups=groups,
            titles=titles,
            other={"en": PAGES["id"], "id": PAGES["en"]}[lang],
            count=sum(len(e.links) for e in entries),
        )
        target = out / name
        target.write_text(page, "utf-8")
        written.append(target)
    return written
