"""The JCS fast path writes exactly the bytes of the ``rfc8785`` package (issue 16 ingest).

Event hashes and audit-ledger hashes are SHA-256 over these bytes, so one differing byte
would change every stored hash: the dispatcher is checked against ``rfc8785.dumps`` on
arbitrary JSON values (errors included), the fast path on its own domain, and by hand on the
cases where Python's and ECMAScript's formats part.
"""

from __future__ import annotations

import hashlib
import math
import random
import struct
from typing import Any

import pytest
import rfc8785
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sinergi.custody.epcis import event_hash, event_to_epcis
from sinergi.custody.synth import synthesise_chain
from sinergi.model import jcs
from sinergi.model.audit import GENESIS, entry_body, seal

_SETTINGS = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# every float bit pattern is reachable, not only "nice" ones: NaN, inf, -0.0, subnormals
_floats = st.floats(allow_nan=True, allow_infinity=True) | st.integers(0, 2**64 - 1).map(
    lambda bits: struct.unpack("<d", bits.to_bytes(8, "little"))[0]
)
# text over all code points (astral, controls, U+2028, DEL) and lone surrogates
_char = (
    st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF)
    | st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, categories=["Cs"])
    | st.sampled_from(["\x00", "\x1f", "\x7f", '"', "\\", "\u2028", "\ue000", "\uffff"])
)
_text = st.text(_char, max_size=8)
_ints = st.integers(-(2**53) - 5, 2**53 + 5) | st.integers()
_scalars = st.none() | st.booleans() | _ints | _floats | _text
_keys = _text | st.sampled_from(["", "a", "\ue000", "\U0001f600", "\uffff", "\ud800x"])


def _json(children: Any) -> Any:
    return (
        st.lists(children, max_size=5)
        | st.lists(children, max_size=3).map(tuple)
        | st.dictionaries(_keys, children, max_size=5)
    )


_values = st.recursive(_scalars, _json, max_leaves=25)


def _outcome(call: Any, value: Any) -> tuple[str, Any]:
    try:
        return "ok", call(value)
    except Exception as exc:  # noqa: BLE001 - the error type is part of what is compared
        return "error", type(exc)


@_SETTINGS
@given(_values)
@example({"\ue000": 1, "\U0001f600": 2})  # UTF-16 and code-point orders differ
@example([1e-7, 1e21, 1e16, 9999999999999998.0, 1e-4, 0.0001, -0.0, 5e-324])
@example({"s": '\x00\x1f\x7f\u2028"\\\b\f\n\r\t/'})
def test_dispatcher_equals_rfc8785_on_any_value(value: Any) -> None:
    assert _outcome(jcs.dumps, value) == _outcome(rfc8785.dumps, value)


@_SETTINGS
@given(_values)
def test_fast_path_is_byte_identical_wherever_it_answers(value: Any) -> None:
    fast = jcs.fast_dumps(value)
    if fast is not None:
        assert fast == rfc8785.dumps(value)


_plain_floats = st.floats(allow_nan=False, allow_infinity=False).filter(
    lambda x: x == 0 or 1e-4 <= abs(x) < 1e16
)
_plain_text = st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)))
_plain = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | _plain_floats | _plain_text,
    lambda c: st.lists(c, max_size=5) | st.dictionaries(_plain_text, c, max_size=5),
    max_leaves=25,
)


@_SETTINGS
@given(_plain)
def test_fast_path_covers_its_documented_domain(value: Any) -> None:
    fast = jcs.fast_dumps(value)
    assert fast is not None
    assert fast == rfc8785.dumps(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, b"1"),
        (-0.0, b"0"),
        (0.0, b"0"),
        (-5.0, b"-5"),
        (0.1, b"0.1"),
        (0.0001, b"0.0001"),
        (123456789012345.6, b"123456789012345.6"),
        (9007199254740992.0, b"9007199254740992"),
        (9999999999999998.0, b"9999999999999998"),
        ({"b": [1.5, True, None], "a": "\u00e9\n"}, '{"a":"\u00e9\\n","b":[1.5,true,null]}'),
        ({"\u00e9": 1, "z": 2, "Z": 3}, '{"Z":3,"z":2,"\u00e9":1}'),
    ],
)
def test_fast_path_by_hand(value: Any, expected: bytes | str) -> None:
    want = expected.encode() if isinstance(expected, str) else expected
    assert jcs.fast_dumps(value) == want
    assert rfc8785.dumps(value) == want


@pytest.mark.parametrize(
    "value",
    [
        1e-5,  # Python 1e-05, ECMAScript 0.00001
        1e16,  # Python 1e+16, ECMAScript 10000000000000000
        1e21,  # ECMAScript 1e+21
        {"\U0001f600": 1, "\ue000": 2},  # UTF-16 order puts the astral key first
        2**53,  # beyond JSON's safe integers: rfc8785 refuses it
        math.nan,
        math.inf,
        "\ud800",  # lone surrogate
        {1: "a"},  # key not text
        {"a": object()},  # not a JSON type
        {"a": {1, 2}},  # a set is not a JSON array
    ],
)
def test_values_off_the_fast_path_go_to_rfc8785(value: Any) -> None:
    assert jcs.fast_dumps(value) is None
    assert _outcome(jcs.dumps, value) == _outcome(rfc8785.dumps, value)


def test_astral_keys_are_ordered_by_utf16_code_units() -> None:
    assert jcs.dumps({"\U0001f600": 1, "\ue000": 2}) == '{"\U0001f600":1,"\ue000":2}'.encode()


def _chain_hash_by_rfc8785(prev: str, body: dict[str, Any]) -> str:
    digest = hashlib.sha256(bytes.fromhex(prev))
    digest.update(rfc8785.dumps(body))
    return digest.hexdigest()


def test_every_synthetic_event_hash_and_ledger_hash_is_unchanged() -> None:
    """The values custody hashes stay on the fast path and hash as with rfc8785."""
    rng = random.Random(7)
    events = list(synthesise_chain(300, seed=3))
    off_path = 0
    prev = GENESIS
    for event, made in events:
        body = event_to_epcis(event, made)
        content = {k: v for k, v in body.items() if k not in ("eventID", "recordTime")}
        off_path += jcs.fast_dumps(content) is None
        assert jcs.dumps(content) == rfc8785.dumps(content)
        assert body["eventID"] == event_hash(body)
        entry = entry_body(
            rng.randrange(1, 10**6),
            "2026-12-06T00:00:00.000000Z",
            "bench",
            None,
            "custody.event",
            "custody_event",
            event.id,
            after_sha256=body["eventID"][14:78],
            detail={"kind": event.kind.value, "facility": event.facility},
        )
        assert jcs.fast_dumps(entry) == rfc8785.dumps(entry)
        sealed = seal(entry, prev)
        assert sealed.hash == _chain_hash_by_rfc8785(prev, entry)
        prev = sealed.hash
    assert off_path < len(events) / 20  # the fast path is the common path
