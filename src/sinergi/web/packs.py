"""Which pack a standard id names: a pack shipped in the package, else one a ministry user added.

Shipped packs win: a stored pack may never reuse a shipped id (the store refuses it), so an id
names the same standard for every user of the platform. A stored pack is the version added
last; earlier versions stay readable through ``GET /standards/{id}?version=``.
"""

from __future__ import annotations

from functools import lru_cache

from sinergi.assess.packs import Pack, available_packs, load_pack, parse_pack
from sinergi.errors import UsageError
from sinergi.i18n import N_
from sinergi.i18n.messages import items, msg
from sinergi.store import standards as stored
from sinergi.store.audited import AuditedStore


def pack_for(store: AuditedStore, standard: str) -> Pack:
    """Return the pack ``standard`` names (shipped, else the latest stored version).

    Raises
    ------
    UsageError
        When no shipped or stored pack has that id (the message lists them).
    """
    if standard in available_packs():
        return _shipped(standard)
    with store.reading() as conn:
        found = stored.latest(conn, standard)
        known = sorted({p.pack_id for p in stored.versions(conn)}) if found is None else []
    if found is None:
        raise UsageError(
            msg(
                N_("no pack {id!r}; packs on this platform: {names}"),
                id=standard,
                names=items([*available_packs(), *known]),
            )
        )
    return parse_pack(found.text, f"{found.pack_id}@{found.version}")


@lru_cache(maxsize=32)
def _shipped(standard: str) -> Pack:
    """Return a shipped pack, parsed once per process.

    Shipped packs are package data that cannot change while the server runs, and a parsed
    pack is immutable (frozen models), so every request may share one; parsing the YAML
    again cost about 40 ms per assessment.
    """
    return load_pack(standard)
