"""Keep the message catalogues in step with the source: extract, update, check.

``python -m sinergi.i18n.catalogue update`` extracts every marked string from the package
(Python ``_(lang, "…")``, ``gettext(lang, "…")``, ``ngettext(lang, "…", "…", n)``,
``count_text(lang, "…", "…", n)``, ``N_("…")``;
Jinja ``{{ _("…") }}``) and merges them into ``locale/<lang>/LC_MESSAGES/sinergi.po``, sorted so
that parallel edits rarely collide; ``check`` lists what is missing or untranslated and exits 1.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from sinergi.i18n import DOMAIN, Language

PACKAGE = Path(__file__).resolve().parent.parent
LOCALE = Path(__file__).resolve().parent / "locale"

#: Call forms that mark a message, with the argument positions of its text.
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": (2,),
    "gettext": (2,),
    "ngettext": (2, 3),
    "count_text": (2, 3),
    "N_": None,
}
_JINJA_KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
}
_METHODS = [
    ("**/locale/**", "ignore"),
    ("**/migrations/**", "ignore"),
    ("**.py", "python"),
    ("**/templates/**.html", "jinja2"),
    ("**/templates/**.txt", "jinja2"),
]


def _extract() -> Iterator[tuple[str | tuple[str, ...], str]]:
    for method_keywords, methods in (
        (KEYWORDS, [m for m in _METHODS if m[1] != "jinja2"]),
        (_JINJA_KEYWORDS, [m for m in _METHODS if m[1] != "python"]),
    ):
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(PACKAGE),
            method_map=methods,
            keywords=method_keywords,
            options_map={"**/templates/**": {"extensions": "jinja2.ext.i18n"}},
        ):
            yield message, f"{filename}:{lineno}"


def extracted() -> Catalog:
    """Return a template catalogue of every message marked in the package."""
    catalog = Catalog(domain=DOMAIN, project="sinergi")
    for message, location in _extract():
        name, _, line = location.rpartition(":")
        catalog.add(message, locations=[(name, int(line))])
    return catalog


def po_path(language: Language) -> Path:
    """Return the catalogue file of ``language``."""
    return LOCALE / language.value / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(language: Language) -> Catalog:
    """Return the catalogue of ``language`` as stored (an empty one if there is none yet)."""
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language.value, domain=DOMAIN, project="sinergi")
    with path.open("rb") as handle:
        return read_po(handle, locale=language.value, domain=DOMAIN)


def update() -> dict[Language, int]:
    """Merge newly marked messages into every catalogue; return how many each lacks."""
    template = extracted()
    missing: dict[Language, int] = {}
    for language in Language:
        catalog = read(language)
        catalog.update(template, no_fuzzy_matching=True)
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(
                handle,
                catalog,
                sort_output=True,
                omit_header=True,
                width=100,
                include_previous=False,
                no_location=True,
                ignore_obsolete=True,
            )
        missing[language] = len(untranslated(language)) if language is Language.id else 0
    return missing


def untranslated(language: Language = Language.id) -> list[str]:
    """Return the marked messages that ``language``'s catalogue lacks or leaves empty/fuzzy."""
    catalog = read(language)
    problems = []
    for message in extracted():
        if not message.id:
            continue
        entry = catalog.get(message.id)
        if entry is None:
            problems.append(f"missing: {message.id!r}")
        elif language is Language.id and (entry.fuzzy or not _translated(entry.string)):
            problems.append(f"untranslated: {message.id!r}")
    return problems


def _translated(text: str | tuple[str, ...] | list[str] | None) -> bool:
    return all(text) if isinstance(text, tuple | list) else bool(text)


def main(argv: list[str] | None = None) -> int:
    """Run ``update`` or ``check`` from the command line."""
    command = (argv or sys.argv[1:] or ["check"])[0]
    if command == "update":
        for language, count in update().items():
            sys.stdout.write(f"{po_path(language)}: {count} message(s) to translate\n")
        return 0
    problems = [f"{lang.value}: {p}" for lang in Language for p in untranslated(lang)]
    sys.stdout.write("\n".join(problems) + ("\n" if problems else "catalogues complete\n"))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
