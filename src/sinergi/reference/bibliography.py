"""The one bibliography: every source that a shipped number or rule cites.

Entries live in ``data/bibliography/*.yaml`` (one file per area, one key space), each with its
authors, title, year, publisher or journal and URL, so that reports can cite a real source
instead of a pointer into notes users do not have. Data files cite entries by key (``refs``);
:func:`bibliography` loads and validates them once, and a test checks that every key cited
anywhere resolves.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from sinergi.errors import ReferenceDataError

__all__ = ["Reference", "bibliography", "cite"]


class Reference(BaseModel):
    """One source: who wrote it, what it is called, when, where it can be read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    authors: str
    title: str
    year: int | str
    publisher: str | None = None
    url: str | None = None
    accessed: str | None = None
    licence: str | None = None
    note: str | None = None

    @field_validator("url")
    @classmethod
    def _web_address(cls, url: str | None) -> str | None:
        if url is not None and not url.startswith(("https://", "http://")):
            msg = f"url {url!r} must start with https:// or http://"
            raise ValueError(msg)
        return url

    def short(self, lang: str = "en") -> str:
        """Return the in-text citation, e.g. ``Wei et al. 2020`` (``n.d.`` in ``lang``)."""
        from sinergi.reference.provenance import year_text

        return f"{self.authors} {year_text(self.year, lang)}"

    def full(self) -> str:
        """Return the reference-list entry: authors (year). Title. Publisher. URL."""
        parts = [f"{self.authors} ({self.year}). {self.title}."]
        if self.publisher:
            parts.append(f"{self.publisher}.")
        if self.url:
            parts.append(self.url)
        return " ".join(parts)


@cache
def bibliography() -> dict[str, Reference]:
    """Return every shipped reference by key.

    Raises
    ------
    ReferenceDataError
        When an entry is malformed or a key is defined in two files (names file and key).
    """
    entries: dict[str, Reference] = {}
    folder = resources.files("sinergi.data").joinpath("bibliography")
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".yaml"):
            continue
        doc = yaml.safe_load(item.read_text("utf-8")) or {}
        if not isinstance(doc, dict):
            raise ReferenceDataError(f"bibliography/{item.name}: expected a mapping of key: entry")
        for key, raw in doc.items():
            if key in entries:
                raise ReferenceDataError(
                    f"bibliography/{item.name}: key {key!r} is already defined; keys are shared "
                    "by every bibliography file, rename one"
                )
            entries[key] = _entry(item.name, key, raw)
    return entries


def _entry(file: str, key: str, raw: Any) -> Reference:
    if not isinstance(raw, dict):
        raise ReferenceDataError(f"bibliography/{file}: {key}: expected a mapping of fields")
    try:
        return Reference(key=key, **raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5]
        )
        raise ReferenceDataError(f"bibliography/{file}: {key}: {problems}") from None


def cite(key: str) -> Reference:
    """Return the reference under ``key``.

    Raises
    ------
    ReferenceDataError
        When the key is not in the bibliography.
    """
    try:
        return bibliography()[key]
    except KeyError:
        raise ReferenceDataError(
            f"source {key!r} is not in the bibliography; add it to data/bibliography/*.yaml"
        ) from None
