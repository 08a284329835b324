"""Chain of custody: lots, EPCIS-shaped events, genealogy, ISO 22095 custody models and claims.

A pure engine over plain data (no store, files or pages): :mod:`~sinergi.custody.lots`,
:mod:`~sinergi.custody.events` (with the mass check), :mod:`~sinergi.custody.chain`
(recording and genealogy), :mod:`~sinergi.custody.accounts` (custody models, the mass-balance
credit ledger, book-and-claim certificates, claims), :mod:`~sinergi.custody.journal` (the
credit each event and the debit each claim books, as journal rows),
:mod:`~sinergi.custody.epcis` (EPCIS 2.0 JSON and the canonical event hash) and
:mod:`~sinergi.custody.synth` (synthetic chains).
"""

from __future__ import annotations

from sinergi.custody.chain import Chain, Trace, TraceEdge, downstream_naive, upstream_naive
from sinergi.custody.events import Event, EventKind, check_mass
from sinergi.custody.lots import CLAIMABLE, Characteristic, Lot, Portion

__all__ = [
    "CLAIMABLE",
    "Chain",
    "Characteristic",
    "Event",
    "EventKind",
    "Lot",
    "Portion",
    "Trace",
    "TraceEdge",
    "check_mass",
    "downstream_naive",
    "upstream_naive",
]
