"""Smelter registry: smelters, their captive power units and production by year.

Self-contained (creates only its own tables), so it can be re-chained after other revisions.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 09:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "registry_smelters",
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("route", sa.String(40), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("province", sa.Text(), nullable=True),
        sa.Column("park", sa.Text(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_smelters")),
    )
    op.create_table(
        "registry_power_units",
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("smelter", sa.String(200), nullable=True),
        sa.Column("park", sa.Text(), nullable=True),
        sa.Column("fuel", sa.String(40), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_power_units")),
    )
    op.create_table(
        "registry_production",
        sa.Column("smelter", sa.String(200), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("smelter", "year", name=op.f("pk_registry_production")),
    )


def downgrade() -> None:
    op.drop_table("registry_production")
    op.drop_table("registry_power_units")
    op.drop_table("registry_smelters")
