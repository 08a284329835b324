"""Tables of the platform service, in the same :data:`~sinergi.store.schema.metadata`.

* ``organisations``, ``users``, ``grants`` (a role on the nation, a park or a company) and
  ``api_tokens`` (only the SHA-256 of each token is stored);
* ``audit_ledger`` (hash-chained entries, append-only) and ``audit_head`` (one row: the chain's
  size and head hash, which every append locks so that appends are serialised);
* ``submissions`` (a company's data for a period, one row per version; no foreign key to the
  nodes, so the review history outlives a deleted park) and
  ``submission_events`` (every workflow move with its comment);
* ``jobs`` (background work: state, progress, result), so a restart loses no finished result;
* ``standards_packs`` (user-defined rubric packs a ministry user added: the YAML text of each
  version, its SHA-256, who added it and when; migration ``0007``);
* ``uploads`` (a file waiting for its background import job; the job deletes it when it ends,
  so the bytes reach a worker on any machine without a shared disk; migration ``0008``);
* ``park_versions`` and ``dashboard_cache`` (each park's data version, kept by database
  triggers, and the national page's per-park figures at that version; migration ``0009``).

Importing :mod:`sinergi.store` registers these tables; migration ``0003`` creates them.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from sinergi.store.schema import SurrogateKey, metadata


def _fk(target: str) -> ForeignKey:
    return ForeignKey(target, deferrable=True, initially="DEFERRED")


organisations = Table(
    "organisations",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", Text, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", SurrogateKey, primary_key=True, autoincrement=True),
    Column("username", Text, nullable=False, unique=True),
    Column("display_name", Text, nullable=False),
    Column("organisation_id", Text, _fk("organisations.id"), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

grants = Table(
    "grants",
    metadata,
    Column("id", SurrogateKey, primary_key=True, autoincrement=True),
    Column("user_id", SurrogateKey, _fk("users.id"), nullable=False),
    Column("role", Text, nullable=False),
    Column("park_id", Text),
    Column("company_id", Text),
    Index(None, "user_id"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", SurrogateKey, primary_key=True, autoincrement=True),
    Column("user_id", SurrogateKey, _fk("users.id"), nullable=False),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime),
    Column("revoked", Boolean, nullable=False),
)

audit_ledger = Table(
    "audit_ledger",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("organisation", Text),
    Column("action", Text, nullable=False),
    Column("object_type", Text, nullable=False),
    Column("object_id", Text, nullable=False),
    Column("before_sha256", String(64)),
    Column("after_sha256", String(64)),
    Column("evidence_sha256", String(64)),
    Column("detail", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index(None, "object_type", "object_id"),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("size", BigInteger, nullable=False),
    Column("head_hash", String(64), nullable=False),
)

submissions = Table(
    "submissions",
    metadata,
    Column("id", SurrogateKey, primary_key=True, autoincrement=True),
    Column("company_id", Text, nullable=False),
    Column("park_id", Text, nullable=False),
    Column("period", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", Text, nullable=False),
    Column("flows", JSON, nullable=False),
    Column("data_sha256", String(64), nullable=False),
    Column("reason", Text),
    Column("supersedes", SurrogateKey, _fk("submissions.id")),
    Column("row_version", Integer, nullable=False),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("company_id", "period", "version"),
    Index(None, "park_id", "period"),
)

submission_events = Table(
    "submission_events",
    metadata,
    Column("id", SurrogateKey, primary_key=True, autoincrement=True),
    Column("submission_id", SurrogateKey, _fk("submissions.id"), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("actor", Text, nullable=False),
    Column("from_status", Text),
    Column("to_status", Text, nullable=False),
    Column("comment", Text),
    Index(None, "submission_id"),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", Text, nullable=False),
    Column("params", JSON, nullable=False),
    Column("status", Text, nullable=False),
    Column("progress", Double, nullable=False),
    Column("message", Text),
    Column("result", JSON),
    Column("error", Text),
    Column("user_id", SurrogateKey, _fk("users.id")),
    Column("park_id", Text),
    Column("cancel_requested", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("started_at", DateTime),
    Column("finished_at", DateTime),
    Index(None, "user_id"),
)

standards_packs = Table(
    "standards_packs",
    metadata,
    Column("id", SurrogateKey, primary_key=True, autoincrement=True),
    Column("pack_id", String(81), nullable=False),
    Column("version", String(40), nullable=False),
    Column("text", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("added_by", Text, nullable=False),
    Column("added_at", DateTime, nullable=False),
    UniqueConstraint("pack_id", "version"),
)

uploads = Table(
    "uploads",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("table_name", Text),
    Column("created_at", DateTime, nullable=False),
)

#: Tables of the ledger that no application role may change (PostgreSQL REVOKE + triggers).
APPEND_ONLY = ("audit_ledger",)

#: Each park's data version: database triggers (migration ``0009``) add one in the same
#: transaction as any insert, update or delete of the park's nodes, details, flows (either
#: end), records or land use, whichever code path writes them; ``*`` counts changes of the
#: commodity catalogue, which every park's figures read.
park_versions = Table(
    "park_versions",
    metadata,
    Column("park_id", Text, primary_key=True),
    Column("version", BigInteger, nullable=False),
)

#: Figures the national page shows, computed per park and kept with the park's data version
#: they were computed at (``kind``: what they are; ``key``: standard, profile, pack digest
#: and catalogue version for assessment summaries). A row whose version is not the park's
#: current one is never read back.
dashboard_cache = Table(
    "dashboard_cache",
    metadata,
    Column("park_id", Text, primary_key=True),
    Column("kind", String(40), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("version", BigInteger, nullable=False),
    Column("data", JSON, nullable=False),
)
