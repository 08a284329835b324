"""Remember what pages read until the data changes: the audit ledger's size is the version.

Every write of the audited store appends to the ledger in the same transaction, so the
ledger's size grows with every change; an answer remembered at one size is still right while
the size is unchanged. Keys include the reader (their principal) and the language, so a
remembered answer is only ever given back to a reader the API gave it to.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from fastapi import Request

from sinergi.store import audit
from sinergi.web.deps import services

T = TypeVar("T")

#: Most answers kept (least recently used go first).
LIMIT = 4096

_items: OrderedDict[tuple[Hashable, ...], Any] = OrderedDict()
_lock = threading.Lock()


def data_version(request: Request) -> int:
    """Return the ledger size seen by this request (read once per request)."""
    known: int | None = getattr(request.state, "ledger_size", None)
    if known is None:
        with services(request).store.reading() as conn:
            known, _head = audit.head(conn)
        request.state.ledger_size = known
    return known


def remembered(request: Request, key: tuple[Hashable, ...], make: Callable[[], T]) -> T:
    """Return the answer for ``key`` at the current data version, making it when new."""
    svc = services(request)
    full = (svc.store.url, data_version(request), *key)
    with _lock:
        if full in _items:
            _items.move_to_end(full)
            found: T = _items[full]
            return found
    made = make()
    with _lock:
        _items[full] = made
        while len(_items) > LIMIT:
            _items.popitem(last=False)
    return made
