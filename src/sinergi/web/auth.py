"""Passwords, bearer tokens and the login rate limit.

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106's second recommended
parameter set); a hash made with older parameters is replaced at the next login. The API takes
bearer tokens: random 256-bit personal tokens (``sng_…``) of which only the SHA-256 is stored,
made by logging in (``POST /api/v1/auth/token``) or with ``sinergi users token``. Failed logins
are limited per user name and client address within a sliding window; after the limit the
login answers 429 with ``Retry-After`` until the window has passed.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

#: Prefix of every token, so that leaked tokens are easy to recognise and scan for.
TOKEN_PREFIX = "sng_"

_HASHER = PasswordHasher()

#: A hash verified against when the user does not exist, so both cases take as long.
_DUMMY_HASH = _HASHER.hash("no such user")


def hash_password(password: str) -> str:
    """Return the Argon2id hash of ``password``."""
    return _HASHER.hash(password)


def verify_password(password: str, stored_hash: str | None) -> tuple[bool, str | None]:
    """Return whether ``password`` matches, and a new hash when the stored one is outdated."""
    try:
        _HASHER.verify(stored_hash or _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, None
    if stored_hash is None:
        return False, None
    return True, hash_password(password) if _HASHER.check_needs_rehash(stored_hash) else None


def new_token() -> str:
    """Return a fresh random token (shown once; only its hash is stored)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_sha256(token: str) -> str:
    """Return the SHA-256 (hex) under which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class LoginLimiter:
    """Count failed logins per key in a sliding window (in memory, per service process)."""

    max_failures: int
    window_s: float
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, key: str, now: float | None = None) -> int:
        """Return seconds to wait before ``key`` may try again (0 = may try now)."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            recent = self._recent(key, moment)
            if len(recent) < self.max_failures:
                return 0
            return max(1, int(recent[0] + self.window_s - moment) + 1)

    def failed(self, key: str, now: float | None = None) -> None:
        """Record one failed login of ``key``."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            self._recent(key, moment).append(moment)

    def succeeded(self, key: str) -> None:
        """Forget the failures of ``key`` after a successful login."""
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str, moment: float) -> deque[float]:
        recent = self._failures.setdefault(key, deque())
        while recent and recent[0] <= moment - self.window_s:
            recent.popleft()
        return recent
