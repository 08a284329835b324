"""Indonesian wording of the text that the circularity data files carry (notes, rules).

The catalogues translate what the code says; the data files carry their own sentences (why a
value is illustrative, how it was derived). ``data/circularity/text_id.yaml`` maps each such
English sentence to its Indonesian wording, and a test checks that every note of the shipped
data has one, so an Indonesian page shows no English note.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from sinergi.i18n import Language, parse_language


@cache
def _indonesian() -> dict[str, str]:
    text = resources.files("sinergi.data").joinpath("circularity", "text_id.yaml")
    doc = yaml.safe_load(text.read_text("utf-8")) or {}
    return {str(k).strip(): str(v).strip() for k, v in doc.items()}


def data_text(text: str, lang: str) -> str:
    """Return a data-file sentence in ``lang`` (the English text when no wording is known)."""
    if parse_language(lang) is Language.en:
        return text
    return _indonesian().get(text.strip(), text)


def missing_wordings(texts: list[str]) -> list[str]:
    """Return the sentences of ``texts`` that have no Indonesian wording yet."""
    known = _indonesian()
    return sorted({t.strip() for t in texts} - set(known))
