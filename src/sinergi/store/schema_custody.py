"""Tables of the chain of custody, in the same :data:`~sinergi.store.schema.metadata`.

* ``custody_lots``: one row per lot (attributes and evidence digests as JSON) and the event
  that made it;
* ``custody_events``: one row per event in the order recorded (``seq``), with its EPCIS 2.0
  JSON body and the canonical event hash (``event_hash``, the hex of its ``eventID``), so an
  event reads back exactly as it was hashed;
* ``custody_portions``: the lots each event takes in (``role = in``) and puts out
  (``out``), indexed by lot, so genealogy can also be walked in SQL;
* ``custody_models``: the ISO 22095 model of each site × product group and its conversion
  factor;
* ``custody_claims``: the claims made on lots (characteristic and share), in the order made;
* ``custody_certificates``: book-and-claim certificates (characteristic, product group, t);
* ``custody_packs``: the manufacturer's passport facts of each pack lot (JSON);
* ``custody_transfers``: mass-balance credits moved from one site's account to another's
  (same product group), indexed by both sites;
* ``custody_closings``: closing balances of mass-balance accounts already replayed (per
  period length ``months``), so a balance need not replay a site's earlier periods again;
  a cache, emptied for a site whenever an append can change its accounts;
* ``custody_shares``: what each lot passes on of each characteristic to the events that take
  it in (``base``: without its own claim, every upstream claim counted; ``open``: as an event
  of its own accounting period sees it), rows only where either is not 0;
* ``custody_journal``: the mass-balance credit journal, one row per credit an event books
  (``kind`` ``credit``, ``cause`` the event id) and per debit a claim books (``debit``, the
  lot id), by site, product group, characteristic and month, written in the transaction that
  stores its cause; a period's close sums it (see :mod:`sinergi.custody.journal`).

Importing :mod:`sinergi.store` registers these tables; migrations ``0005``, ``0010`` and
``0011`` create them (``0012`` gives the journal the index its sums read).
"""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, Column, Double, Index, String, Table, Text

from sinergi.store.schema import metadata

custody_lots = Table(
    "custody_lots",
    metadata,
    Column("id", Text, primary_key=True),
    Column("commodity", Text, nullable=False),
    Column("quantity", Double, nullable=False),
    Column("unit", Text, nullable=False),
    Column("owner", Text, nullable=False),
    Column("facility", Text, nullable=False),
    Column("period", Text, nullable=False),
    Column("attributes", JSON, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("mass_t", Double),
    Column("synthetic", Boolean, nullable=False),
    Column("made_by", Text, nullable=False),
    Index(None, "facility"),
)

custody_events = Table(
    "custody_events",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("id", Text, nullable=False, unique=True),
    Column("kind", Text, nullable=False),
    Column("time", Text, nullable=False),
    Column("facility", Text, nullable=False),
    Column("event_hash", String(64), nullable=False, unique=True),
    Column("body", JSON, nullable=False),
    Index(None, "facility", "time"),
)

custody_portions = Table(
    "custody_portions",
    metadata,
    Column("event_seq", BigInteger, primary_key=True, autoincrement=False),
    Column("lot_id", Text, primary_key=True),
    Column("role", String(3), primary_key=True),
    Column("quantity", Double, nullable=False),
    Index(None, "lot_id", "role"),
)

custody_models = Table(
    "custody_models",
    metadata,
    Column("site", Text, primary_key=True),
    Column("product_group", Text, primary_key=True),
    Column("model", Text, nullable=False),
    Column("conversion_factor", Double, nullable=False),
)

custody_claims = Table(
    "custody_claims",
    metadata,
    Column("lot_id", Text, primary_key=True),
    Column("characteristic", Text, primary_key=True),
    Column("share", Double, nullable=False),
)

custody_certificates = Table(
    "custody_certificates",
    metadata,
    Column("id", Text, primary_key=True),
    Column("characteristic", Text, nullable=False),
    Column("product_group", Text, nullable=False),
    Column("quantity", Double, nullable=False),
    Column("issuer", Text, nullable=False),
)

custody_packs = Table(
    "custody_packs",
    metadata,
    Column("lot_id", Text, primary_key=True),
    Column("facts", JSON, nullable=False),
)

custody_transfers = Table(
    "custody_transfers",
    metadata,
    Column("id", Text, primary_key=True),
    Column("characteristic", Text, nullable=False),
    Column("product_group", Text, nullable=False),
    Column("to_product_group", Text, nullable=False),
    Column("from_site", Text, nullable=False),
    Column("to_site", Text, nullable=False),
    Column("quantity", Double, nullable=False),
    Column("time", Text, nullable=False),
    Index(None, "from_site"),
    Index(None, "to_site"),
)

custody_closings = Table(
    "custody_closings",
    metadata,
    Column("site", Text, primary_key=True),
    Column("product_group", Text, primary_key=True),
    Column("characteristic", Text, primary_key=True),
    Column("months", BigInteger, primary_key=True, autoincrement=False),
    Column("period", Text, primary_key=True),
    Column("balance", Double, nullable=False),
)

custody_shares = Table(
    "custody_shares",
    metadata,
    Column("lot_id", Text, primary_key=True),
    Column("characteristic", Text, primary_key=True),
    Column("base", Double, nullable=False),
    Column("open", Double, nullable=False),
)

custody_journal = Table(
    "custody_journal",
    metadata,
    Column("kind", String(6), primary_key=True),
    Column("cause", Text, primary_key=True),
    Column("product_group", Text, primary_key=True),
    Column("characteristic", Text, primary_key=True),
    Column("site", Text, nullable=False),
    Column("month", String(7), nullable=False),
    Column("quantity", Double, nullable=False),
    # everything a balance sums, in its grouping order (migration 0012)
    Index(
        "ix_custody_journal_totals",
        "site",
        "product_group",
        "characteristic",
        "month",
        "kind",
        "quantity",
    ),
)
