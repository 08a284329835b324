"""Sentences kept language-free until someone reads them: engine notes and error messages.

An engine runs once and its results are shown in Indonesian and English (and served by the
API to users of both at once), so a note such as "2 relevant flows reported without a quantity"
cannot be an English string baked into the result; nor can the message of an error that a
dashboard page in Indonesian shows. A :class:`Msg` keeps the English catalogue text (marked
with ``N_`` where it is written, so the catalogue extractor finds it) and its arguments;
:meth:`Msg.render` translates the text and formats each number by the language's rules.
:class:`~sinergi.errors.SinergiError` takes a :class:`Msg` as its message (see
:meth:`~sinergi.errors.SinergiError.localised`).

>>> from sinergi.i18n import N_
>>> note = msg(
...     N_("{count} exchange(s) without a quantity (counted, not in the tonnage)"),
...     count=Num(1234),
... )
>>> note.render("en")
'1,234 exchange(s) without a quantity (counted, not in the tonnage)'
>>> note.render("id")
'1.234 pertukaran tanpa jumlah (dihitung, tidak masuk tonase)'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeAlias

from sinergi.i18n import Language, format_number, gettext, parse_language


@dataclass(frozen=True, slots=True)
class Num:
    """A number to format in the reader's language, with ``digits`` decimals."""

    value: float
    digits: int = 0

    def render(self, lang: str) -> str:
        """Return the number formatted by the rules of ``lang``."""
        return format_number(self.value, lang, self.digits)


@dataclass(frozen=True, slots=True)
class Sig:
    """A measured number with ``digits`` significant digits (``12.3457``; ``12,3457`` in id).

    For figures whose magnitude varies (tonnes of a lot, a shortfall): the English text is
    Python's ``g`` format, as refusals always showed them; Indonesian takes a decimal comma.
    """

    value: float
    digits: int = 6

    def render(self, lang: str) -> str:
        """Return the number in ``lang`` (no grouping; an exponent when very large or small).

        A value that is not a number (a refused input can be anything) is shown as written.
        """
        if not isinstance(self.value, int | float) or isinstance(self.value, bool):
            return repr(self.value)
        text = f"{self.value:.{self.digits}g}"
        return text.replace(".", ",") if parse_language(lang) is Language.id else text


@dataclass(frozen=True, slots=True)
class Pct:
    """A share (0.125) shown as a percentage with ``digits`` decimals (``12.5%``; ``12,5%``)."""

    share: float
    digits: int = 1

    def render(self, lang: str) -> str:
        """Return the percentage in ``lang``."""
        text = f"{self.share:.{self.digits}%}"
        return text.replace(".", ",") if parse_language(lang) is Language.id else text


@dataclass(frozen=True, slots=True)
class Text:
    """A text that data supplies in both languages (a commodity or criterion name)."""

    en: str
    id: str

    def render(self, lang: str) -> str:
        """Return the text in ``lang`` (English for any language but Indonesian)."""
        return self.id if parse_language(lang) is Language.id else self.en


@dataclass(frozen=True, slots=True)
class Msg:
    """A translatable sentence: its English catalogue text and its named arguments."""

    text: str
    args: tuple[tuple[str, Arg], ...] = ()

    def render(self, lang: str) -> str:
        """Return the sentence in ``lang`` with every argument formatted for it."""
        values = {key: _render(value, lang) for key, value in self.args}
        return gettext(lang, self.text).format(**values)

    def __str__(self) -> str:
        return self.render("en")


@dataclass(frozen=True, slots=True)
class Items:
    """A list of arguments shown comma-separated (allowed next statuses, choices)."""

    items: tuple[Arg, ...]
    sep: str = ", "

    def render(self, lang: str) -> str:
        """Return every item in ``lang``, separated by ``sep`` (commas unless told)."""
        return self.sep.join(_render(item, lang) for item in self.items)


class Renders(Protocol):
    """Anything that renders itself in a language (a consistency finding, say)."""

    def render(self, lang: str) -> str:
        """Return the text in ``lang``."""
        ...


#: What a message argument may be: an id shown as is, a number, a bilingual text, a message,
#: a list of those, or another object that renders itself in a language.
Arg: TypeAlias = str | Num | Sig | Pct | Text | Msg | Items | Renders


def items(values: Iterable[Arg], sep: str = ", ") -> Items:
    """Return ``values`` as one message argument, separated by ``sep`` (``"; "`` for clauses)."""
    return Items(tuple(values), sep)


def msg(text: str, /, **args: Arg) -> Msg:
    """Return a message; ``text`` is an ``N_``-marked English sentence with ``{name}`` slots."""
    return Msg(text, tuple(sorted(args.items())))


def _render(value: Arg, lang: str) -> str:
    if isinstance(value, str):
        return value
    return value.render(lang)


def render_all(items: tuple[Msg, ...] | list[Msg], lang: str) -> list[str]:
    """Return every message rendered in ``lang``."""
    return [item.render(lang) for item in items]
