"""Words for KBLI codes: the ISIC Rev.4 class each code belongs to (``data/kbli_classes.yaml``).

KBLI 2020 follows ISIC Rev.4 to four digits, so the words of a five-digit KBLI code are those
of its four-digit ISIC class. The English titles are ISIC Rev.4's; the Indonesian ones are
sinergi's rendering, not the BPS KBLI 2020 wording (the file says so with ``id_official``).

>>> kbli_words("24101", "en")
'Manufacture of basic iron and steel'
>>> kbli_words("99999", "en") is None
True
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict

from sinergi.errors import ReferenceDataError


class ClassWords(BaseModel):
    """The title of one ISIC Rev.4 class in English and Indonesian."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    en: str
    id: str


class KbliClasses(BaseModel):
    """The whole ``kbli_classes.yaml`` document."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    refs: tuple[str, ...]
    year: int
    id_official: bool
    classes: dict[str, ClassWords]


@cache
def kbli_classes() -> KbliClasses:
    """Return the shipped class titles (read and checked once).

    Raises
    ------
    ReferenceDataError
        When the file is malformed or cites a reference not in the bibliography.
    """
    from sinergi.reference.bibliography import cite

    text = resources.files("sinergi.data").joinpath("kbli_classes.yaml").read_text("utf-8")
    try:
        doc = KbliClasses.model_validate(yaml.safe_load(text))
    except ValueError as exc:
        raise ReferenceDataError(f"data/kbli_classes.yaml: {exc}; fix the file") from exc
    for key in doc.refs:
        cite(key)
    return doc


def kbli_words(code: str, lang: str) -> str | None:
    """Return the ISIC Rev.4 class title of a KBLI code in ``lang``, or ``None`` if unlisted."""
    found = kbli_classes().classes.get(code.strip()[:4])
    if found is None:
        return None
    return found.id if lang == "id" else found.en
