r"""Limits on the text the model holds, the same for every input path and database.

PostgreSQL refuses text with a NUL character and cannot index a key longer than about
2,700 bytes, while SQLite stores both; so that the two backends behave alike, ids, names and
notes are checked against one set of limits before anything is stored: the file layer reports
a located issue per cell, the store refuses an ecosystem built in code.

    >>> text_problem("kiic", TextKind.ID) is None
    True
    >>> text_problem("a\x00b", TextKind.NAME)
    'control'
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from enum import StrEnum
from typing import Any, Literal

from sinergi.i18n import N_
from sinergi.i18n.messages import Msg, Num, msg
from sinergi.model.kinds import NODE_KINDS, RECORD_KINDS
from sinergi.model.network import Ecosystem


class TextKind(StrEnum):
    """What a text field holds, which decides its limits."""

    ID = "id"
    NAME = "name"
    NOTE = "note"


#: Most characters per kind: ids are keys of indexes (100 characters of up to 4 bytes stay
#: far below PostgreSQL's index-row limit even in a three-part key); names may be part of a
#: key (community programmes); notes, evidence and sources are never indexed.
MAX_LENGTH: dict[TextKind, int] = {TextKind.ID: 100, TextKind.NAME: 300, TextKind.NOTE: 4000}

#: Control characters refused everywhere (NUL among them); notes may hold tabs and newlines.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f]")

_ID_FIELDS = frozenset({"id", "source", "target", "commodity"})
_NOTE_FIELDS = frozenset({"notes", "evidence", "sources"})

Problem = Literal["too_long", "control"]


def field_text_kind(name: str) -> TextKind:
    """Return the kind of text a model field (or input column) holds."""
    if name in _ID_FIELDS or name.endswith("_id"):
        return TextKind.ID
    if name in _NOTE_FIELDS:
        return TextKind.NOTE
    return TextKind.NAME


def text_problem(text: str, kind: TextKind) -> Problem | None:
    """Return what is wrong with ``text`` for a field of ``kind``, or ``None``."""
    if len(text) > MAX_LENGTH[kind]:
        return "too_long"
    pattern = _CONTROL if kind is TextKind.NOTE else _CONTROL_OR_BREAK
    if pattern.search(text):
        return "control"
    return None


_Field = tuple[str, int, "re.Pattern[str]"]


_FIELDS: dict[type[Any], tuple[_Field, ...]] = {}


def _text_fields(cls: type[Any]) -> tuple[_Field, ...]:
    """Return, per class, each field that may hold text with its length limit and pattern."""
    if cls not in _FIELDS:
        out = []
        for f in fields(cls):
            kind = field_text_kind(f.name)
            pattern = _CONTROL if kind is TextKind.NOTE else _CONTROL_OR_BREAK
            out.append((f.name, MAX_LENGTH[kind], pattern))
        _FIELDS[cls] = tuple(out)
    return _FIELDS[cls]


def _problems(item: object) -> list[Msg]:
    """Return what breaks the limits in the texts of ``item`` (and of a nested smelter)."""
    found: list[Msg] = []
    for name, limit, pattern in _text_fields(type(item)):
        value = getattr(item, name)
        if isinstance(value, str):
            texts: tuple[object, ...] = (value,)
        elif isinstance(value, tuple):
            texts = value
        else:
            if is_dataclass(value) and not isinstance(value, type):
                found += _problems(value)  # a company's smelter
            continue
        for text in texts:
            if not isinstance(text, str):
                continue
            if len(text) > limit:
                found.append(
                    msg(N_("{field}: longer than {limit} characters"), field=name, limit=Num(limit))
                )
            elif pattern.search(text):
                found.append(
                    msg(N_("{field}: contains a control character (such as NUL)"), field=name)
                )
    return found


def text_problems(eco: Ecosystem, *, limit: int = 10) -> list[Msg]:
    """Return up to ``limit`` descriptions of text in ``eco`` that breaks the limits.

    Each names the node, flow or record and the field, e.g.
    ``companies 'c1' name: contains a control character (such as NUL)``, and reads in the
    language it is rendered in (the table and field names are the data's own).
    """
    found: list[Msg] = []
    at = N_("{where} {problem}")
    for spec in NODE_KINDS:
        for node_id, node in getattr(eco, spec.kind).items():
            where = f"{spec.kind} {node_id[:40]!r}"
            found += [msg(at, where=where, problem=p) for p in _problems(node)]
    for flow in eco.flows:
        if problems := _problems(flow):
            where_flow = msg(
                N_("flow {source} → {target} ({period})"),
                source=repr(flow.source[:40]),
                target=repr(flow.target[:40]),
                period=str(flow.period),
            )
            found += [msg(at, where=where_flow, problem=p) for p in problems]
        if len(found) >= limit:
            break
    for kind in RECORD_KINDS:
        for record in getattr(eco, kind.name):
            owner = getattr(record, kind.owner)
            where = f"{kind.name} {owner[:40]!r}"
            found += [msg(at, where=where, problem=p) for p in _problems(record)]
    return found[:limit]
