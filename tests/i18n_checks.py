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


#: English words a data file's provenance brings onto a page: status words, notes' openings
#: and the bibliography's "no date" / "circa" (``n.d.``, ``c. 2017``)
_STATUS_WORDS = re.compile(
    r"\b(derived|illustrative|second-hand|placeholder|reporting|not re-read)\b|\bn\.d\.|\bc\. \d",
    re.IGNORECASE,
)


def english_status_left_on(text: str) -> list[str]:
    """Return English provenance words (``derived``, ``illustrative``, ``n.d.``) ``text`` shows.

    Data files write their notes and status in English; an Indonesian page must show the
    Indonesian note and status instead. Web addresses are left out (a URL may hold any word).
    """
    plain = html.unescape(re.sub(r"<[^>]+>", " ", text))
    plain = re.sub(r"https?://\S+", " ", plain)
    return sorted({m.group(0) for m in _STATUS_WORDS.finditer(plain)})


def sentences_left_on(text: str, sentences: list[str], *, min_words: int = 4) -> list[str]:
    """Return those of ``sentences`` (English notes of data files) that ``text`` shows.

    A sentence counts when one of its clauses (split at ``;``, ``:`` and brackets) of
    ``min_words`` or more words appears on the page as written. Words are the clause's
    space-separated runs of letters, so a file path or key (``data/x.yaml``) is none.
    """
    plain = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))
    found = []
    for sentence in sentences:
        for clause in re.split(r"[;:()]", sentence):
            fragment = clause.strip(" .,")
            words = [w for w in fragment.split() if re.fullmatch(r"[A-Za-z][A-Za-z-]*,?", w)]
            if len(words) >= min_words and fragment in plain:
                found.append(sentence)
                break
    return found
