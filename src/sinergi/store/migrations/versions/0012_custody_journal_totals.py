"""Cover the credit journal's sums with one index, so a cold balance reads no table row.

``custody balance`` sums a site's journal rows by product group, characteristic, month and
kind. The index on (site, month) found the rows, but each was then read from the table,
where a site's rows lie scattered among every other site's in the order they were written:
at ten million events a cold balance spent most of its time reading those pages. The index
on (site, product group, characteristic, month, kind, quantity) holds everything the sum
reads, in the order it groups by (an index-only scan on SQLite, no sort on either backend).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 19:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ["site", "product_group", "characteristic", "month", "kind", "quantity"]


def upgrade() -> None:
    op.drop_index(op.f("ix_custody_journal_site_month"), table_name="custody_journal")
    op.create_index("ix_custody_journal_totals", "custody_journal", _COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_custody_journal_totals", table_name="custody_journal")
    op.create_index(op.f("ix_custody_journal_site_month"), "custody_journal", ["site", "month"])
