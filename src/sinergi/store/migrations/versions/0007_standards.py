"""User-defined standards packs a ministry user adds through the service.

One row per pack version: its YAML text, SHA-256, who added it and when. Shipped packs stay
files in the package; a stored pack may not reuse a shipped id.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 09:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "standards_packs",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("pack_id", sa.String(length=81), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("added_by", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standards_packs")),
        sa.UniqueConstraint("pack_id", "version", name=op.f("uq_standards_packs_pack_id_version")),
    )


def downgrade() -> None:
    op.drop_table("standards_packs")
