"""Add the symbiosis facilitator's exchanges and their status history.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 15:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _node_fk(column: str, table: str = "exchanges") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        ["nodes.id"],
        name=op.f(f"fk_{table}_{column}_nodes"),
        initially="DEFERRED",
        deferrable=True,
    )


def upgrade() -> None:
    op.create_table(
        "exchanges",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("park_id", sa.Text(), nullable=True),
        sa.Column("supplier", sa.Text(), nullable=False),
        sa.Column("receiver", sa.Text(), nullable=False),
        sa.Column("commodity", sa.Text(), nullable=False),
        sa.Column("replaces", sa.Text(), nullable=False),
        sa.Column("rule_id", sa.Text(), nullable=False),
        sa.Column("period", sa.Text(), nullable=False),
        sa.Column("amount", sa.Double(), nullable=False),
        sa.Column("net_benefit_idr", sa.Double(), nullable=False),
        sa.Column("co2e_t", sa.Double(), nullable=False),
        sa.Column("landfill_t", sa.Double(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["commodity"],
            ["commodities.id"],
            name=op.f("fk_exchanges_commodity_commodities"),
            initially="DEFERRED",
            deferrable=True,
        ),
        _node_fk("park_id"),
        _node_fk("receiver"),
        _node_fk("supplier"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchanges")),
    )
    with op.batch_alter_table("exchanges", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchanges_park_id_status"), ["park_id", "status"], unique=False
        )
    op.create_table(
        "exchange_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("exchange_id", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("from_status", sa.Text(), nullable=True),
        sa.Column("to_status", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("actor", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["exchange_id"],
            ["exchanges.id"],
            name=op.f("fk_exchange_events_exchange_id_exchanges"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_events")),
    )
    with op.batch_alter_table("exchange_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_events_exchange_id"), ["exchange_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("exchange_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_events_exchange_id"))
    op.drop_table("exchange_events")
    with op.batch_alter_table("exchanges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchanges_park_id_status"))
    op.drop_table("exchanges")
