"""Figures computed per park, kept in the database at the park's data version.

The national page shows every park's published totals and assessment summary. Computing them
reads the whole nation's flows (seconds at 30,000 companies); keeping each park's figures with
the park's data version (:mod:`sinergi.store.dashboard_cache`, versions kept by database
triggers) means a server that has just started reads 150 small rows, and a write to one park
recomputes that park alone. A kept row is used only while its park's version and the
catalogue's version are what they were when it was computed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sinergi.store import dashboard_cache as kept
from sinergi.web.deps import ServicesDep

#: Computes the figures of the given parks: park → JSON-able data (a park may be left out).
Compute = Callable[[list[str]], dict[str, Any]]


def per_park(
    svc: ServicesDep, kind: str, key: str, parks: Callable[[], Sequence[str]], compute: Compute
) -> dict[str, Any]:
    """Return ``kind`` figures of ``parks()``: kept ones where current, the rest computed and kept.

    Versions are read before anything else, the parks (and whatever ``parks`` reads, such as
    each park's latest period) and the data ``compute`` reads come after: figures computed
    from data newer than the version they are kept with are recomputed next time rather than
    ever shown stale.
    """
    with svc.store.reading() as conn:
        versions = kept.park_versions(conn)
        full_key = f"{key}|{versions.get(kept.CATALOGUE, 0)}"
        found = kept.cached(conn, kind, full_key)
    current: dict[str, Any] = {}
    stale: list[str] = []
    for park in parks():
        row = found.get(park)
        if row is not None and row[0] == versions.get(park, 0):
            if row[1] is not None:
                current[park] = row[1]
        else:
            stale.append(park)
    if stale:
        made = compute(stale)
        with svc.store.transaction() as conn:
            kept.keep(conn, kind, full_key, {p: (versions.get(p, 0), made.get(p)) for p in stale})
        current.update({p: data for p, data in made.items() if data is not None})
    return current
