"""Let a file be imported again after other changes, and count write transactions.

``imports.sha256`` is no longer unique (a file imported again after the data changed is a
new import of the same bytes) but indexed; ``imports.data_version`` records the write count
an import left behind, and the one-row table ``data_version`` holds the count, so that a
file imported again with nothing written since is known unchanged without being parsed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    version = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.bulk_insert(version, [{"id": 1, "version": 0}])
    with op.batch_alter_table("imports") as batch:
        batch.drop_constraint(op.f("uq_imports_sha256"), type_="unique")
        batch.add_column(sa.Column("data_version", sa.BigInteger(), nullable=True))
        batch.create_index(op.f("ix_imports_sha256"), ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("imports") as batch:
        batch.drop_index(op.f("ix_imports_sha256"))
        batch.drop_column("data_version")
        batch.create_unique_constraint(op.f("uq_imports_sha256"), ["sha256"])
    op.drop_table("data_version")
