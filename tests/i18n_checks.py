"""Checks that a page or text is wholly in one language (used by report and page tests)."""

from __future__ import annotations

import html
import re

from sinergi.i18n import Language
from sinergi.i18n.catalogue import read


def english_left_on(text: str, *, min_words: int = 3) -> list[str]:
    """Return catalogue messages of ``min_words`` or more words that ``text`` shows in English.

    A message counts only where its Indonesian translation differs from it (``CO2e`` or a
    proper name is the same in both languages). Placeholders (``{name}``) split a message into
    the literal fragments that are searched for; a fragment's words are its runs of two or more
    letters, so units and brackets (``t Ni (``) are not taken for an English sentence.
    """
    plain = html.unescape(re.sub(r"<[^>]+>", " ", text))
    plain = re.sub(r"\s+", " ", plain)
    catalog = read(Language.id)
    found = []
    for message in catalog:
        if not message.id:
            continue
        # a counted message has a singular and a plural form; Indonesian has one
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if english in strings:
                continue
            if _shown(english, plain, min_words):
                found.append(english)
                break
    return found


def _shown(english: str, plain: str, min_words: int) -> bool:
    for piece in re.split(r"\{[^}]*\}|%\([^)]*\)s", english):
        fragment = piece.strip(" .,:;")
        words = re.findall(r"[A-Za-z]{2,}", fragment)
        if len(words) >= min_words and fragment in plain:
            return True
    return False
