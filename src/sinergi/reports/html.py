"""The one Jinja environment of every HTML report and page, in the reader's language.

Templates live in ``reports/templates``; they write ``{{ _("text") }}`` for words (from the
message catalogues) and use the filters ``number``, ``percent``, ``idr`` and ``date`` for
numbers, money and dates in the language's style (see :mod:`sinergi.i18n`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from sinergi.i18n import install_jinja, parse_language

__all__ = ["environment", "render"]


@cache
def environment(lang: str) -> Environment:
    """Return the report environment for ``lang`` (``en`` or ``id``), built once per language."""
    env = Environment(
        loader=PackageLoader("sinergi.reports", "templates"),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    install_jinja(env, parse_language(lang).value)
    env.globals["lang"] = parse_language(lang).value
    return env


def render(template: str, lang: str, **context: Any) -> str:
    """Render ``template`` (a file in ``reports/templates``) in ``lang`` with ``context``."""
    return environment(lang).get_template(template).render(**context)
