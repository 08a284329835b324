"""Per-park data versions kept by triggers, and the national page's per-park figures.

``park_versions`` holds one counter per park. Triggers on every table a park's figures read
(its nodes and their details, flows at either end, records, land use, and the catalogue as
the park ``*``) add one to the counter of each park a changed row belongs to, in the same
transaction as the change, whichever code path makes it. ``dashboard_cache`` keeps figures
computed for a park with the counter they were computed at; a reader uses a row only while
the counter is unchanged, so a write to one park recomputes that park alone.

The statements are written out here (not generated from the models) so that this revision
stays what it was when later revisions change the tables.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 12:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RECORDS = (
    "workforce",
    "safety",
    "training",
    "procurement",
    "investment",
    "community_programmes",
    "grievances",
    "park_services",
)

#: For each table, the parks a row ``R`` (``NEW`` or ``OLD``) belongs to, as one SELECT of
#: a column ``p``. A flow counts for the parks of both its ends: a park's assessment reads
#: the flows arriving from other parks too. Its ``park_id`` is its source's park, else its
#: target's (docs/architecture.md, "Ownership"), so the target's park completes the pair.
_PARKS_OF: dict[str, str] = {
    "flows": "SELECT R.park_id AS p UNION SELECT park_id FROM nodes WHERE id = R.target",
    "nodes": "SELECT R.park_id AS p UNION SELECT R.id WHERE R.kind = 'parks'",
    "parks": "SELECT R.id AS p",
    "companies": "SELECT park_id AS p FROM nodes WHERE id = R.id",
    "facilities": "SELECT park_id AS p FROM nodes WHERE id = R.id",
    "processes": "SELECT park_id AS p FROM nodes WHERE id = R.id",
    "smelters": "SELECT park_id AS p FROM nodes WHERE id = R.company_id",
    "park_land_use": "SELECT R.park_id AS p",
    "commodities": "SELECT '*' AS p",
    **dict.fromkeys(_RECORDS, "SELECT R.park_id AS p"),
}

#: The catalogue is written again on every save: only a real change counts.
_COMMODITY_CHANGED = " OR ".join(
    f"OLD.{c} IS NOT NEW.{c}"
    for c in (
        "name_en",
        "name_id",
        "kind",
        "dimension",
        "waste_code",
        "hazard",
        "renewable",
        "source",
        "catalogue_version",
    )
)


def _bump(table: str, row: str) -> str:
    parks = _PARKS_OF[table].replace("R.", f"{row}.")
    return (
        f"INSERT INTO park_versions (park_id, version) SELECT p, 1 FROM ({parks}) AS changed "
        "WHERE p IS NOT NULL "
        "ON CONFLICT (park_id) DO UPDATE SET version = park_versions.version + 1"
    )


def _sqlite(table: str) -> list[str]:
    statements = []
    for event, rows in (("INSERT", ("NEW",)), ("DELETE", ("OLD",)), ("UPDATE", ("OLD", "NEW"))):
        when = f" WHEN {_COMMODITY_CHANGED}" if table == "commodities" and event == "UPDATE" else ""
        body = " ".join(f"{_bump(table, row)};" for row in rows)
        statements.append(
            f"CREATE TRIGGER park_version_{table}_{event.lower()} AFTER {event} ON {table} "
            f"FOR EACH ROW{when} BEGIN {body} END"
        )
    return statements


def _postgresql(table: str) -> list[str]:
    function = f"park_version_{table}"
    return [
        f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP <> 'DELETE' THEN {_bump(table, 'NEW')}; END IF; "
        f"IF TG_OP <> 'INSERT' THEN {_bump(table, 'OLD')}; END IF; "
        "RETURN NULL; END $$",
        f"CREATE TRIGGER {function}_write AFTER INSERT OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
        # an upsert that rewrites a row unchanged is no change
        f"CREATE TRIGGER {function}_update AFTER UPDATE ON {table} "
        f"FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION {function}()",
    ]


def upgrade() -> None:
    op.create_table(
        "park_versions",
        sa.Column("park_id", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("park_id", name=op.f("pk_park_versions")),
    )
    op.create_table(
        "dashboard_cache",
        sa.Column("park_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("park_id", "kind", "key", name=op.f("pk_dashboard_cache")),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in _PARKS_OF:
        for statement in _sqlite(table) if sqlite else _postgresql(table):
            op.execute(statement)
    # parks stored before this revision start at version 1 (no figure is cached for them yet)
    op.execute("INSERT INTO park_versions (park_id, version) SELECT id, 1 FROM parks")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in _PARKS_OF:
        if sqlite:
            for event in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS park_version_{table}_{event}")
        else:
            op.execute(f"DROP FUNCTION IF EXISTS park_version_{table}() CASCADE")
    op.drop_table("dashboard_cache")
    op.drop_table("park_versions")
