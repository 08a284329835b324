"""The language-free sentences of the assessment engine (defined in :mod:`sinergi.i18n.messages`).

The assessment engine was the first to need them; errors and other engines use the same type,
so it lives in the base layer and is named here for the assessment modules that import it.
"""

from __future__ import annotations

from sinergi.i18n.messages import Arg, Msg, Num, Text, msg, render_all

__all__ = ["Arg", "Msg", "Num", "Text", "msg", "render_all"]
