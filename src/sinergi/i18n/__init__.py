"""Words and numbers in the user's language: Bahasa Indonesia (``id``) and English (``en``).

Every sentence a person reads comes from the gettext catalogues in ``i18n/locale`` (one
``sinergi.po`` per language, kept by Babel): source code writes the English text inside
``_(lang, "…")`` (or marks a constant with ``N_("…")`` and translates it where it is shown),
Jinja templates write ``{{ _("…") }}``. The language is an argument, never a global, because
the web service answers users of both languages at once. Numbers, money and dates follow
Babel's locale rules (``1.234.567,8`` and ``Rp7.000.000`` in Indonesian).

``python -m sinergi.i18n.catalogue update`` extracts every marked string and adds new ones to
the catalogues; a test fails when a catalogue lacks one or an Indonesian entry is empty.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import Translations

__all__ = [
    "DOMAIN",
    "N_",
    "Language",
    "count_text",
    "format_date",
    "format_idr",
    "format_number",
    "format_percent_value",
    "gettext",
    "install_jinja",
    "ngettext",
    "parse_language",
    "translations",
]

#: The one gettext domain: catalogues are ``locale/<lang>/LC_MESSAGES/sinergi.po``.
DOMAIN = "sinergi"


class Language(StrEnum):
    """A language sinergi speaks."""

    en = "en"
    id = "id"


#: Babel locale of each language (number, currency and date rules).
_LOCALES: dict[Language, str] = {Language.en: "en", Language.id: "id_ID"}


def parse_language(value: str) -> Language:
    """Return the language for ``value``, e.g. ``"id"`` or ``"id-ID"`` or ``"en_GB"``.

    Raises
    ------
    ValueError
        When the language is neither Indonesian nor English (names the choices).
    """
    code = value.strip().replace("_", "-").split("-")[0].lower()
    try:
        return Language(code)
    except ValueError:
        msg = f"language {value!r} is not available; choose id (Bahasa Indonesia) or en (English)"
        raise ValueError(msg) from None


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark ``message`` for the catalogues without translating it here."""
    return message


@cache
def translations(lang: str) -> Translations:
    """Return the compiled catalogue of ``lang`` (English falls back to the source text)."""
    language = parse_language(lang)
    path = resources.files("sinergi.i18n").joinpath(
        "locale", language.value, "LC_MESSAGES", f"{DOMAIN}.po"
    )
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=_LOCALES[language], domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def gettext(lang: str, message: str) -> str:
    """Return ``message`` in ``lang``."""
    return translations(lang).gettext(message)


#: The short name source code uses: ``_(lang, "text")``.
_ = gettext


def ngettext(lang: str, singular: str, plural: str, count: int) -> str:
    """Return the singular or plural form of a message for ``count`` in ``lang``."""
    return translations(lang).ngettext(singular, plural, count)


def count_text(lang: str, singular: str, plural: str, count: int, **values: object) -> str:
    """Return the form of a counted message for ``count``, its ``{count}`` formatted in ``lang``.

    English says "1 smelter", "2 smelters"; Indonesian has one form ("1 smelter", "2 smelter",
    number shown by Babel's plural rules for ``id``), so a sentence with a count and a noun is
    written as a singular and a plural (extracted like :func:`ngettext`); ``values`` fill the
    message's other ``{slots}``.

    >>> count_text("en", "{count} smelter", "{count} smelters", 1)
    '1 smelter'
    >>> count_text("en", "{count} smelter", "{count} smelters", 1200)
    '1,200 smelters'
    """
    text = ngettext(lang, singular, plural, count)
    return text.format(count=format_number(count, lang), **values)


def _locale(lang: str) -> Locale:
    return Locale.parse(_LOCALES[parse_language(lang)])


def format_number(value: float | None, lang: str, digits: int = 0, *, missing: str = "–") -> str:
    """Return ``value`` with ``digits`` decimals in the locale's style (``1.234,5`` in id).

    >>> format_number(1234567.8, "id", 1)
    '1.234.567,8'
    >>> format_number(1234567.8, "en", 1)
    '1,234,567.8'
    >>> format_number(None, "en")
    '–'
    >>> format_number(-0.0001, "id", 1)  # a difference that rounds to nothing has no sign
    '0,0'
    """
    if value is None:
        return missing
    if round(value, digits) == 0:
        value = 0.0
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=_locale(lang), decimal_quantization=True)


def format_percent_value(
    share: float | None, lang: str, digits: int = 0, *, missing: str = "–"
) -> str:
    """Return a share (0.125) as a percentage in the locale's style (``12,5 %`` in id).

    >>> format_percent_value(0.125, "id", 1)
    '12,5%'
    >>> format_percent_value(0.7, "en")
    '70%'
    """
    if share is None:
        return missing
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    return format_percent(share, format=pattern, locale=_locale(lang), decimal_quantization=True)


def format_idr(amount: float | None, lang: str, *, missing: str = "–") -> str:
    """Return an amount of rupiah without decimals (``Rp7.000.000`` in id).

    >>> format_idr(7_000_000, "id")
    'Rp7.000.000'
    >>> format_idr(7_000_000, "en").replace("\N{NO-BREAK SPACE}", " ")
    'IDR 7,000,000'
    """
    if amount is None:
        return missing
    # Indonesian writes the symbol against the number (Rp7.000.000); English spaces the code.
    pattern = "¤#,##0" if parse_language(lang) is Language.id else "¤\u00a0#,##0"
    return format_currency(
        amount, "IDR", format=pattern, locale=_locale(lang), currency_digits=False
    )


def format_date(day: date, lang: str, style: str = "long") -> str:
    """Return a date in the locale's style (``6 Desember 2026`` in id).

    >>> format_date(date(2026, 12, 6), "id")
    '6 Desember 2026'
    """
    return _babel_date(day, format=style, locale=_locale(lang))


def install_jinja(environment: Any, lang: str) -> None:
    """Give a Jinja environment (with ``jinja2.ext.i18n``) the catalogue and formatters of ``lang``.

    Templates then write ``{{ _("text") }}`` and ``{{ value | number(1) }}``.
    """
    environment.install_gettext_translations(translations(lang), newstyle=True)
    filters: dict[str, Callable[..., str]] = {
        "number": lambda value, digits=0: format_number(value, lang, digits),
        "percent": lambda share, digits=0: format_percent_value(share, lang, digits),
        "idr": lambda amount: format_idr(amount, lang),
        "date": lambda day, style="long": format_date(day, lang, style),
    }
    environment.filters.update(filters)
