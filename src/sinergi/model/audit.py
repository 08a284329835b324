"""The audit ledger's chain, as pure functions: canonical bytes, entry hashes, verification.

Each entry is serialised with the JSON Canonicalization Scheme (RFC 8785: the bytes of
package ``rfc8785``, written by :func:`sinergi.model.jcs.dumps`) and hashed with SHA-256
together with the previous entry's hash, so that changing, deleting or reordering any
stored entry breaks every hash after it. Verification recomputes the chain and names the
first entry that does not fit. Storage (serialised appends, database protections) lives in
:mod:`sinergi.store.audit`.

    >>> first = seal(entry_body(1, "2026-01-01T00:00:00Z", "ana", None, "user.add", "user", "1"),
    ...              GENESIS)
    >>> verify([first]).ok
    True
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sinergi.model import jcs

#: The ``prev_hash`` of the first entry.
GENESIS = "0" * 64

#: The fields of an entry that its hash covers, in documentation order.
BODY_FIELDS: tuple[str, ...] = (
    "seq",
    "at",
    "actor",
    "organisation",
    "action",
    "object_type",
    "object_id",
    "before_sha256",
    "after_sha256",
    "evidence_sha256",
    "detail",
)


def canonical(value: Any) -> bytes:
    """Return the RFC 8785 canonical JSON bytes of ``value``.

    >>> canonical({"b": 1, "a": [1.0, "x"]})
    b'{"a":[1,"x"],"b":1}'
    """
    return jcs.dumps(value)


def state_hash(value: Any) -> str:
    """Return the SHA-256 (hex) of the canonical form of an object's state."""
    return hashlib.sha256(canonical(value)).hexdigest()


def entry_body(
    seq: int,
    at: str,
    actor: str,
    organisation: str | None,
    action: str,
    object_type: str,
    object_id: str,
    *,
    before_sha256: str | None = None,
    after_sha256: str | None = None,
    evidence_sha256: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the hashed fields of one entry as a plain mapping."""
    return {
        "seq": seq,
        "at": at,
        "actor": actor,
        "organisation": organisation,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "before_sha256": before_sha256,
        "after_sha256": after_sha256,
        "evidence_sha256": evidence_sha256,
        "detail": dict(detail or {}),
    }


def chain_hash(prev_hash: str, body: Mapping[str, Any]) -> str:
    """Return ``sha256(prev_hash_bytes || JCS(body))`` as hex."""
    digest = hashlib.sha256(bytes.fromhex(prev_hash))
    digest.update(canonical({name: body[name] for name in BODY_FIELDS}))
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Entry:
    """One ledger entry as stored: its body, the previous hash and its own hash."""

    body: Mapping[str, Any]
    prev_hash: str
    hash: str

    @property
    def seq(self) -> int:
        """Return the entry's position in the chain (1 for the first)."""
        return int(self.body["seq"])


def seal(body: Mapping[str, Any], prev_hash: str) -> Entry:
    """Return the entry for ``body`` chained after ``prev_hash``."""
    return Entry(dict(body), prev_hash, chain_hash(prev_hash, body))


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of recomputing a chain."""

    ok: bool
    size: int
    head: str
    first_bad: int | None = None
    reason: str | None = None


def verify(entries: Iterable[Entry], *, expected_size: int | None = None) -> Verification:
    """Recompute the chain over ``entries`` (in stored order) and name the first bad one.

    ``expected_size`` is the size the chain head says the ledger has; fewer entries means
    entries were deleted from the end.
    """
    prev, size = GENESIS, 0
    for position, entry in enumerate(entries, start=1):
        problem = _problem(entry, position, prev)
        if problem is not None:
            return Verification(False, size, prev, min(entry.seq, position), problem)
        prev, size = entry.hash, position
    if expected_size is not None and size != expected_size:
        return Verification(
            False,
            size,
            prev,
            size + 1,
            f"the chain head records {expected_size} entries but {size} are stored: "
            f"entries from {size + 1} on were deleted",
        )
    return Verification(True, size, prev)


def _problem(entry: Entry, position: int, prev: str) -> str | None:
    if entry.seq != position:
        return f"entry {entry.seq} stands at position {position}: entries were deleted or reordered"
    if entry.prev_hash != prev:
        return f"entry {entry.seq} does not follow the entry before it (previous hash differs)"
    if chain_hash(entry.prev_hash, entry.body) != entry.hash:
        return f"entry {entry.seq} was changed after it was written (its hash does not match)"
    return None


def checkpoint_text(size: int, head: str, origin: str) -> str:
    """Return the body of a checkpoint: origin, size and head hash, one per line."""
    return f"{origin}\n{size}\n{head}\n"


def sign_checkpoint(size: int, head: str, origin: str, key: bytes) -> str:
    """Return a checkpoint signed with HMAC-SHA256 under ``key`` (a signed-note-like text)."""
    body = checkpoint_text(size, head, origin)
    signature = hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
    return f"{body}\n— sinergi-hmac-sha256 {signature}\n"


def read_checkpoint(text: str, key: bytes) -> tuple[int, str]:
    """Return ``(size, head)`` of a signed checkpoint after checking its signature.

    Raises
    ------
    ValueError
        If the text is not a checkpoint or its signature does not match ``key``.
    """
    body, _, signature_line = text.partition("\n\n")
    parts = body.split("\n")
    if len(parts) != 3 or not signature_line.startswith("— sinergi-hmac-sha256 "):
        msg = "not a sinergi audit checkpoint (origin, size, head, blank line, signature)"
        raise ValueError(msg)
    expected = hmac.new(key, (body + "\n").encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature_line.split()[-1]):
        msg = "the checkpoint's signature does not match this secret key"
        raise ValueError(msg)
    return int(parts[1]), parts[2]


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change: a user name (or ``cli:<login>``) and their organisation."""

    name: str
    organisation: str | None = None
