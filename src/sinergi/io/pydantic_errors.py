"""Pydantic's validation errors in the reader's words, in English and Bahasa Indonesia.

Pydantic words its errors in English ("Input should be a valid integer"), so a file checked by
a pydantic model would show English inside an Indonesian message. Each error has a stable
``type`` (``missing``, ``int_parsing``, ``greater_than_equal``…) and a context (the bound, the
choices); this module gives every type a sentence from the catalogues and fills it from the
context, so neither language quotes pydantic. A type not listed here gets a plain sentence
naming the value, never pydantic's wording.

A model's own checks raise :class:`pydantic_core.PydanticCustomError` whose type is a key of
the ``custom`` sentences the caller passes (the model's module owns them, marked with ``N_``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sinergi.i18n import N_, _
from sinergi.io.issues import IssueCode, Words, describe

__all__ = ["MESSAGES", "error_code", "error_path", "error_words"]

#: The sentence of each pydantic error type; ``{value}`` is the value given, other slots come
#: from the error's context (``{ge}``, ``{choices}``…).
MESSAGES: dict[str, str] = {
    "missing": N_("a required setting is missing; add it"),
    "extra_forbidden": N_("is not a setting here; remove it or correct its spelling"),
    "int_type": N_("needs a whole number, not {value}"),
    "int_parsing": N_("needs a whole number, not {value}"),
    "int_from_float": N_("needs a whole number, not {value}"),
    "float_type": N_("needs a number, not {value}"),
    "float_parsing": N_("needs a number, not {value}"),
    "finite_number": N_("needs a finite number, not {value}"),
    "string_type": N_("needs text, not {value}"),
    "bool_type": N_("needs true or false, not {value}"),
    "bool_parsing": N_("needs true or false, not {value}"),
    "greater_than": N_("must be greater than {gt}, not {value}"),
    "greater_than_equal": N_("must be at least {ge}, not {value}"),
    "less_than": N_("must be less than {lt}, not {value}"),
    "less_than_equal": N_("must be at most {le}, not {value}"),
    "enum": N_("must be one of {choices}, not {value}"),
    "literal_error": N_("must be one of {choices}, not {value}"),
    "dict_type": N_("needs a mapping (key: value), not {value}"),
    "list_type": N_("needs a list, not {value}"),
    "tuple_type": N_("needs a list, not {value}"),
    "model_type": N_("needs a mapping of settings, not {value}"),
    "model_attributes_type": N_("needs a mapping of settings, not {value}"),
    "string_too_long": N_("is longer than {max_length} characters"),
    "string_too_short": N_("is shorter than {min_length} characters"),
}

#: What a type is called where no sentence fits it.
FALLBACK = N_("the value {value} is not accepted here")


def error_path(loc: tuple[int | str, ...]) -> str:
    """Return an error's location as a field path: ``retirements.0.unit`` → ``retirements[0].unit``.

    >>> error_path(("retirements", 0, "unit"))
    'retirements[0].unit'
    """
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def error_code(kind: str) -> IssueCode:
    """Return the issue code of a pydantic error type (an unknown key, a missing value, …)."""
    if kind == "extra_forbidden":
        return IssueCode.UNKNOWN_KEY
    if kind == "missing":
        return IssueCode.MISSING_VALUE
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return IssueCode.OUT_OF_RANGE
    if kind in ("enum", "literal_error"):
        return IssueCode.BAD_CHOICE
    return IssueCode.BAD_FORMAT


def error_words(error: Mapping[str, Any], custom: Mapping[str, str] | None = None) -> Words:
    """Return what one pydantic error says, in English and Indonesian, from the catalogues.

    ``custom`` maps the types of a model's own checks to their sentences (slots filled from
    the error's context).

    >>> words = error_words({"type": "greater_than_equal", "input": 1980, "ctx": {"ge": 1990}})
    >>> words.en
    'must be at least 1990, not 1980'
    >>> words.id
    'minimal 1990, bukan 1980'
    """
    kind = str(error.get("type", ""))
    context = {key: _plain(value) for key, value in (error.get("ctx") or {}).items()}
    message = (custom or {}).get(kind) or MESSAGES.get(kind, FALLBACK)
    if kind in ("enum", "literal_error"):
        choices = re.findall(r"'([^']*)'", str(context.get("expected", "")))
        context["choices"] = ", ".join(repr(c) for c in choices) or context.get("expected", "")
    context["value"] = describe(error.get("input"))
    return Words(*(_(lang, message).format_map(_Slots(context)) for lang in ("en", "id")))


def _plain(value: object) -> str:
    """Return a context value as the file would write it (years without thousands marks)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Slots(dict[str, str]):
    """Slots of a sentence; one the error did not fill shows as ``?`` rather than failing."""

    def __missing__(self, key: str) -> str:
        return "?"
