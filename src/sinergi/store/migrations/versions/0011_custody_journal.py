"""Add the mass-balance credit journal and the shares lots pass on, derived for stored data.

``custody_journal`` holds every credit an event books and every debit a claim books (by
site, product group, characteristic and month); ``custody_shares`` what each lot passes on
to the events that take it in. Both are derived here from the events, claims and models
already stored (one pass over the chain in recorded order), so ``custody balance`` sums the
journal from the first call on.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "custody_shares",
        sa.Column("lot_id", sa.Text(), nullable=False),
        sa.Column("characteristic", sa.Text(), nullable=False),
        sa.Column("base", sa.Double(), nullable=False),
        sa.Column("open", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("lot_id", "characteristic", name=op.f("pk_custody_shares")),
    )
    op.create_table(
        "custody_journal",
        sa.Column("kind", sa.String(6), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("product_group", sa.Text(), nullable=False),
        sa.Column("characteristic", sa.Text(), nullable=False),
        sa.Column("site", sa.Text(), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("quantity", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint(
            "kind", "cause", "product_group", "characteristic", name=op.f("pk_custody_journal")
        ),
    )
    op.create_index(op.f("ix_custody_journal_site_month"), "custody_journal", ["site", "month"])
    from sinergi.store.custody import derive_journal

    derive_journal(op.get_bind())


def downgrade() -> None:
    op.drop_index(op.f("ix_custody_journal_site_month"), table_name="custody_journal")
    op.drop_table("custody_journal")
    op.drop_table("custody_shares")
