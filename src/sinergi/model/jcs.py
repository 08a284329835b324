r"""RFC 8785 canonical JSON (JCS), byte for byte as the ``rfc8785`` package, mostly in C.

Every custody event's hash and every audit-ledger entry's hash is SHA-256 over the JCS
bytes of a value. The ``rfc8785`` package writes them in pure Python, which took about 60 %
of a custody import's time; :func:`dumps` writes the same bytes with the standard library's
C JSON encoder where that encoder provably agrees with ``rfc8785.dumps``, and calls
``rfc8785.dumps`` for everything else (so errors are the package's own).

**Where the C encoder agrees** (``json.dumps(v, sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` encoded as UTF-8; the fast path's domain, checked while walking the
value):

* ``None``, ``bool`` and ``str`` values (exact types): both escape ``"``, ``\``, the five
  short escapes ``\b \f \n \r \t`` and the other characters below U+0020 as ``\u00xx``
  (lower-case hex), and write every other character as UTF-8. A lone surrogate cannot be
  encoded as UTF-8: the fast path gives up and ``rfc8785`` raises its error;
* ``int`` (exact type) within ±(2**53 − 1): both write ``str(n)``; outside, ``rfc8785``
  refuses it;
* finite ``float`` whose ``repr`` has no exponent (0 and 1e-4 <= \|x\| < 1e16): ``rfc8785``
  writes ``repr(x)`` with a trailing ``.0`` removed (and ``-0.0`` as ``0``), which is what
  the C encoder writes for ``int(repr(x)[:-2])`` when the ``repr`` ends in ``.0`` and for
  ``x`` itself otherwise (``float.__repr__``). With an exponent, ECMAScript's number format
  differs from Python's (``1e-05`` is ``0.00001``): ``rfc8785`` writes it;
* ``list``, ``tuple`` and ``dict`` (exact types) of these, with ``str`` keys: ``rfc8785``
  orders keys by their UTF-16 code units, ``sort_keys`` by code points; the two orders are
  the same unless a key has a character beyond U+FFFF (a surrogate pair sorts before
  U+E000–U+FFFF in UTF-16), so such a key leaves the fast path.

``tests/test_jcs.py`` checks with Hypothesis that :func:`dumps` equals ``rfc8785.dumps`` on
arbitrary JSON values (errors included) and that the fast path covers the values custody
writes.
"""

from __future__ import annotations

import json
from typing import Any

import rfc8785

__all__ = ["dumps", "fast_dumps"]

_INT_MAX = 2**53 - 1
_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


class _Outside(Exception):
    """The value is outside the fast path's domain."""


def _prepared(value: Any) -> Any:
    """Return ``value`` with integral floats as ints; raise :class:`_Outside` off the domain.

    Text, booleans and ``None`` inside a container are taken as they are without a call
    (most of an event body): the walk is most of the fast path's time.
    """
    kind = type(value)
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str or (not key.isascii() and max(key) > "\uffff"):
                raise _Outside
            inner = type(item)
            out[key] = item if inner is str or inner is bool or item is None else _prepared(item)
        return out
    if kind is list or kind is tuple:
        return [
            item if type(item) is str or type(item) is bool or item is None else _prepared(item)
            for item in value
        ]
    if kind is str or kind is bool or value is None:
        return value
    if kind is float:
        text = float.__repr__(value)
        if "e" in text or "n" in text:  # exponent, nan, inf
            raise _Outside
        return int(text[:-2]) if text.endswith(".0") else value
    if kind is int:
        if -_INT_MAX <= value <= _INT_MAX:
            return value
        raise _Outside
    raise _Outside


def fast_dumps(value: Any) -> bytes | None:
    """Return the JCS bytes of ``value`` by the C encoder, or ``None`` off its domain."""
    try:
        return _ENCODER.encode(_prepared(value)).encode("utf-8")
    except (_Outside, UnicodeEncodeError):
        return None


def dumps(value: Any) -> bytes:
    r"""Return the RFC 8785 canonical JSON bytes of ``value``, exactly as ``rfc8785.dumps``.

    >>> dumps({"b": 1.0, "a": [0.5, "é", None]})
    b'{"a":[0.5,"\xc3\xa9",null],"b":1}'

    Raises
    ------
    rfc8785.CanonicalizationError
        As ``rfc8785.dumps`` does (NaN or infinity, an integer beyond 2**53 − 1, a key that
        is not text, a lone surrogate, a type JSON does not have).
    """
    fast = fast_dumps(value)
    return rfc8785.dumps(value) if fast is None else fast
