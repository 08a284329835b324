"""Add the chain of custody: lots, events, portions, models, claims, certificates, packs.

Events keep their EPCIS 2.0 JSON body and canonical hash.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 09:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "custody_lots",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("commodity", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Double(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("facility", sa.Text(), nullable=False),
        sa.Column("period", sa.Text(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("mass_t", sa.Double(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("made_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_lots")),
    )
    op.create_index(op.f("ix_custody_lots_facility"), "custody_lots", ["facility"])
    op.create_table(
        "custody_events",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("time", sa.Text(), nullable=False),
        sa.Column("facility", sa.Text(), nullable=False),
        sa.Column("event_hash", sa.String(length=64), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_custody_events")),
        sa.UniqueConstraint("id", name=op.f("uq_custody_events_id")),
        sa.UniqueConstraint("event_hash", name=op.f("uq_custody_events_event_hash")),
    )
    op.create_index(op.f("ix_custody_events_facility_time"), "custody_events", ["facility", "time"])
    op.create_table(
        "custody_portions",
        sa.Column("event_seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("lot_id", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=3), nullable=False),
        sa.Column("quantity", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("event_seq", "lot_id", "role", name=op.f("pk_custody_portions")),
    )
    op.create_index(op.f("ix_custody_portions_lot_id_role"), "custody_portions", ["lot_id", "role"])
    op.create_table(
        "custody_models",
        sa.Column("site", sa.Text(), nullable=False),
        sa.Column("product_group", sa.Text(), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("conversion_factor", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("site", "product_group", name=op.f("pk_custody_models")),
    )
    op.create_table(
        "custody_claims",
        sa.Column("lot_id", sa.Text(), nullable=False),
        sa.Column("characteristic", sa.Text(), nullable=False),
        sa.Column("share", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("lot_id", "characteristic", name=op.f("pk_custody_claims")),
    )
    op.create_table(
        "custody_certificates",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("characteristic", sa.Text(), nullable=False),
        sa.Column("product_group", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Double(), nullable=False),
        sa.Column("issuer", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_certificates")),
    )
    op.create_table(
        "custody_packs",
        sa.Column("lot_id", sa.Text(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("lot_id", name=op.f("pk_custody_packs")),
    )


def downgrade() -> None:
    op.drop_table("custody_packs")
    op.drop_table("custody_certificates")
    op.drop_table("custody_claims")
    op.drop_table("custody_models")
    op.drop_index(op.f("ix_custody_portions_lot_id_role"), table_name="custody_portions")
    op.drop_table("custody_portions")
    op.drop_index(op.f("ix_custody_events_facility_time"), table_name="custody_events")
    op.drop_table("custody_events")
    op.drop_index(op.f("ix_custody_lots_facility"), table_name="custody_lots")
    op.drop_table("custody_lots")
