"""Add credit transfers between mass-balance sites and the cache of closing balances.

``custody_transfers`` holds credits moved between sites (same product group);
``custody_closings`` the closing balances already replayed, so ``custody balance`` starts
from the last one it knows.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 12:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "custody_transfers",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("characteristic", sa.Text(), nullable=False),
        sa.Column("product_group", sa.Text(), nullable=False),
        sa.Column("to_product_group", sa.Text(), nullable=False),
        sa.Column("from_site", sa.Text(), nullable=False),
        sa.Column("to_site", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Double(), nullable=False),
        sa.Column("time", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_transfers")),
    )
    op.create_index(op.f("ix_custody_transfers_from_site"), "custody_transfers", ["from_site"])
    op.create_index(op.f("ix_custody_transfers_to_site"), "custody_transfers", ["to_site"])
    op.create_table(
        "custody_closings",
        sa.Column("site", sa.Text(), nullable=False),
        sa.Column("product_group", sa.Text(), nullable=False),
        sa.Column("characteristic", sa.Text(), nullable=False),
        sa.Column("months", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("period", sa.Text(), nullable=False),
        sa.Column("balance", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint(
            "site",
            "product_group",
            "characteristic",
            "months",
            "period",
            name=op.f("pk_custody_closings"),
        ),
    )


def downgrade() -> None:
    op.drop_table("custody_closings")
    op.drop_index(op.f("ix_custody_transfers_to_site"), table_name="custody_transfers")
    op.drop_index(op.f("ix_custody_transfers_from_site"), table_name="custody_transfers")
    op.drop_table("custody_transfers")
