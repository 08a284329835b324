"""Create the initial sinergi schema: nodes and their detail tables, commodities, flows,
records and the import log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 12:54:29.730678
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "commodities",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("name_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("dimension", sa.Text(), nullable=False),
        sa.Column("waste_code", sa.Text(), nullable=True),
        sa.Column("hazard", sa.Text(), nullable=True),
        sa.Column("renewable", sa.Boolean(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("catalogue_version", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commodities")),
    )
    op.create_table(
        "imports",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("park_ids", sa.JSON(), nullable=False),
        sa.Column("source_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column(
            "superseded_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("tables", sa.JSON(), nullable=False),
        sa.Column("periods", sa.JSON(), nullable=False),
        sa.Column("diff_summary", sa.Text(), nullable=True),
        sa.Column("diff_lines", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["superseded_by"],
            ["imports.id"],
            name=op.f("fk_imports_superseded_by_imports"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
        sa.UniqueConstraint("sha256", name=op.f("uq_imports_sha256")),
    )
    op.create_table(
        "nodes",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Text(), nullable=True),
        sa.Column("park_id", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["nodes.id"],
            name=op.f("fk_nodes_parent_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["park_id"],
            ["nodes.id"],
            name=op.f("fk_nodes_park_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nodes")),
    )
    with op.batch_alter_table("nodes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nodes_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_nodes_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_nodes_park_id_kind"), ["park_id", "kind"], unique=False
        )

    op.create_table(
        "community_programmes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("park_id", sa.Text(), nullable=False),
        sa.Column("period", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("pillar", sa.Text(), nullable=False),
        sa.Column("company_id", sa.Text(), nullable=True),
        sa.Column("spend_idr", sa.Double(), nullable=True),
        sa.Column("beneficiaries", sa.BigInteger(), nullable=True),
        sa.Column("import_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["nodes.id"],
            name=op.f("fk_community_programmes_company_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
            name=op.f("fk_community_programmes_import_id_imports"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["park_id"],
            ["nodes.id"],
            name=op.f("fk_community_programmes_park_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_programmes")),
        sa.UniqueConstraint(
            "park_id", "period", "name", name=op.f("uq_community_programmes_park_id_period_name")
        ),
    )
    with op.batch_alter_table("community_programmes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_community_programmes_park_id_period"),
            ["park_id", "period"],
            unique=False,
        )

    op.create_table(
        "companies",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("kbli", sa.JSON(), nullable=False),
        sa.Column("size", sa.Text(), nullable=True),
        sa.Column("ownership", sa.Text(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["id"],
            ["nodes.id"],
            name=op.f("fk_companies_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_companies")),
    )
    op.create_table(
        "externals",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["id"],
            ["nodes.id"],
            name=op.f("fk_externals_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_externals")),
    )
    op.create_table(
        "facilities",
        sa.Column("id", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["id"],
            ["nodes.id"],
            name=op.f("fk_facilities_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facilities")),
    )
    op.create_table(
        "flows",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("park_id", sa.Text(), nullable=True),
        sa.Column("period", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("commodity", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Double(), nullable=True),
        sa.Column("quality", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("import_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["commodity"],
            ["commodities.id"],
            name=op.f("fk_flows_commodity_commodities"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
            name=op.f("fk_flows_import_id_imports"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["park_id"],
            ["nodes.id"],
            name=op.f("fk_flows_park_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["source"],
            ["nodes.id"],
            name=op.f("fk_flows_source_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["target"],
            ["nodes.id"],
            name=op.f("fk_flows_target_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flows")),
        sa.UniqueConstraint(
            "period",
            "source",
            "target",
            "commodity",
            name=op.f("uq_flows_period_source_target_commodity"),
        ),
    )
    with op.batch_alter_table("flows", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_flows_park_id_period"), ["park_id", "period"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_flows_source"), ["source"], unique=False)
        batch_op.create_index(batch_op.f("ix_flows_target"), ["target"], unique=False)

    op.create_table(
        "grievances",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("park_id", sa.Text(), nullable=False),
        sa.Column("period", sa.Text(), nullable=False),
        sa.Column("received", sa.BigInteger(), nullable=True),
        sa.Column("resolved", sa.BigInteger(), nullable=True),
        sa.Column("import_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
            name=op.f("fk_grievances_import_id_imports"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["park_id"],
            ["nodes.id"],
            name=op.f("fk_grievances_park_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grievances")),
        sa.UniqueConstraint("park_id", "period", name=op.f("uq_grievances_park_id_period")),
    )
    with op.batch_alter_table("grievances", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_grievances_park_id_period"), ["park_id", "period"], unique=False
        )

    op.create_table(
        "investment",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("park_id", sa.Text(), nullable=False),
        sa.Column("company_id", sa.Text(), nullable=False),
        sa.Column("period", sa.Text(), nullable=False),
        sa.Column("amount_idr", sa.Double(), nullable=True),
        sa.Column("import_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["nodes.id"],
            name=op.f("fk_investment_company_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
            name=op.f("fk_investment_import_id_imports"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["park_id"],
            ["nodes.id"],
            name=op.f("fk_investment_park_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investment")),
        sa.UniqueConstraint("company_id", "period", name=op.f("uq_investment_company_id_period")),
    )
    with op.batch_alter_table("investment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_investment_park_id_period"), ["park_id", "period"], unique=False
        )

    op.create_table(
        "park_services",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("park_id", sa.Text(), nullable=False),
        sa.Column("period", sa.Text(), nullable=False),
        sa.Column("management_entity", sa.Boolean(), nullable=True),
        sa.Column("environmental_management_system", sa.Boolean(), nullable=True),
        sa.Column("environmental_monitoring", sa.Boolean(), nullable=True),
        sa.Column("shared_wwtp", sa.Boolean(), nullable=True),
        sa.Column("emergency_plan", sa.Boolean(), nullable=True),
        sa.Column("waste_collection_service", sa.Boolean(), nullable=True),
        sa.Column("import_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
            name=op.f("fk_park_services_import_id_imports"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["park_id"],
            ["nodes.id"],
            name=op.f("fk_park_services_park_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_park_services")),
        sa.UniqueConstraint("park_id", "period", name=op.f("uq_park_services_park_id_period")),
    )
    with op.batch_alter_table("park_services", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_park_services_park_id_period"), ["park_id", "period"], unique=False
        )

    op.create_table(
        "parks",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("regency", sa.Text(), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("coordinates_approximate", sa.Boolean(), nullable=False),
        sa.Column("area_ha", sa.Double(), nullable=True),
        sa.Column("operator", sa.Text(), nullable=True),
        sa.Column("established", sa.BigInteger(), nullable=True),
        sa.Column("programmes", sa.JSON(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["id"],
            ["nodes.id"],
            name=op.f("fk_parks_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parks")),
    )
    op.create_table(
        "processes",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("route", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["id"],
            ["nodes.id"],
            name=op.f("fk_processes_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processes")),
    )
    op.create_table(
        "procurement",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("park_id", sa.Text(), nullable=False),
        sa.Column("company_id", sa.Text(), nullable=False),
        sa.Column("period", sa.Text(), nullable=False),
        sa.Column("total_idr", sa.Double(), nullable=True),
        sa.Column("local_idr", sa.Double(), nullable=True),
        sa.Column("sme_idr", sa.Double(), nullable=True),
        sa.Column("import_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["nodes.id"],
            name=op.f("fk_procurement_company_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
            name=op.f("fk_procurement_import_id_imports"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["park_id"],
            ["nodes.id"],
            name=op.f("fk_procurement_park_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procurement")),
        sa.UniqueConstraint("company_id", "period", name=op.f("uq_procurement_company_id_period")),
    )
    with op.batch_alter_table("procurement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_procurement_park_id_period"), ["park_id", "period"], unique=False
        )

    op.create_table(
        "regions",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("wpi", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["id"],
            ["nodes.id"],
            name=op.f("fk_regions_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regions")),
    )
    op.create_table(
        "safety",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("park_id", sa.Text(), nullable=False),
        sa.Column("company_id", sa.Text(), nullable=False),
        sa.Column("period", sa.Text(), nullable=False),
        sa.Column("lost_time_injuries", sa.BigInteger(), nullable=True),
        sa.Column("fatalities", sa.BigInteger(), nullable=True),
        sa.Column("hours_worked", sa.Double(), nullable=True),
        sa.Column("import_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["nodes.id"],
            name=op.f("fk_safety_company_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
            name=op.f("fk_safety_import_id_imports"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["park_id"],
            ["nodes.id"],
            name=op.f("fk_safety_park_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety")),
        sa.UniqueConstraint("company_id", "period", name=op.f("uq_safety_company_id_period")),
    )
    with op.batch_alter_table("safety", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safety_park_id_period"), ["park_id", "period"], unique=False
        )

    op.create_table(
        "training",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("park_id", sa.Text(), nullable=False),
        sa.Column("company_id", sa.Text(), nullable=False),
        sa.Column("period", sa.Text(), nullable=False),
        sa.Column("training_hours", sa.Double(), nullable=True),
        sa.Column("participants", sa.BigInteger(), nullable=True),
        sa.Column("import_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["nodes.id"],
            name=op.f("fk_training_company_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
            name=op.f("fk_training_import_id_imports"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["park_id"],
            ["nodes.id"],
            name=op.f("fk_training_park_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training")),
        sa.UniqueConstraint("company_id", "period", name=op.f("uq_training_company_id_period")),
    )
    with op.batch_alter_table("training", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_park_id_period"), ["park_id", "period"], unique=False
        )

    op.create_table(
        "workforce",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("park_id", sa.Text(), nullable=False),
        sa.Column("company_id", sa.Text(), nullable=False),
        sa.Column("period", sa.Text(), nullable=False),
        sa.Column("female", sa.BigInteger(), nullable=True),
        sa.Column("male", sa.BigInteger(), nullable=True),
        sa.Column("local", sa.BigInteger(), nullable=True),
        sa.Column("non_local", sa.BigInteger(), nullable=True),
        sa.Column("import_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["nodes.id"],
            name=op.f("fk_workforce_company_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
            name=op.f("fk_workforce_import_id_imports"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["park_id"],
            ["nodes.id"],
            name=op.f("fk_workforce_park_id_nodes"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workforce")),
        sa.UniqueConstraint("company_id", "period", name=op.f("uq_workforce_company_id_period")),
    )
    with op.batch_alter_table("workforce", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workforce_park_id_period"), ["park_id", "period"], unique=False
        )

    op.create_table(
        "park_land_use",
        sa.Column("park_id", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("area_ha", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"],
            ["parks.id"],
            name=op.f("fk_park_land_use_park_id_parks"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("park_id", "category", name=op.f("pk_park_land_use")),
    )
    op.create_table(
        "smelters",
        sa.Column("company_id", sa.Text(), nullable=False),
        sa.Column("route", sa.Text(), nullable=False),
        sa.Column("design_capacity_t", sa.Double(), nullable=True),
        sa.Column("capacity_basis", sa.Text(), nullable=False),
        sa.Column("power_source", sa.Text(), nullable=False),
        sa.Column("grid_region", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_smelters_company_id_companies"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_smelters")),
    )


def downgrade() -> None:
    op.drop_table("smelters")
    op.drop_table("park_land_use")
    with op.batch_alter_table("workforce", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workforce_park_id_period"))

    op.drop_table("workforce")
    with op.batch_alter_table("training", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_park_id_period"))

    op.drop_table("training")
    with op.batch_alter_table("safety", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_park_id_period"))

    op.drop_table("safety")
    op.drop_table("regions")
    with op.batch_alter_table("procurement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_procurement_park_id_period"))

    op.drop_table("procurement")
    op.drop_table("processes")
    op.drop_table("parks")
    with op.batch_alter_table("park_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_park_services_park_id_period"))

    op.drop_table("park_services")
    with op.batch_alter_table("investment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_investment_park_id_period"))

    op.drop_table("investment")
    with op.batch_alter_table("grievances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grievances_park_id_period"))

    op.drop_table("grievances")
    with op.batch_alter_table("flows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flows_target"))
        batch_op.drop_index(batch_op.f("ix_flows_source"))
        batch_op.drop_index(batch_op.f("ix_flows_park_id_period"))

    op.drop_table("flows")
    op.drop_table("facilities")
    op.drop_table("externals")
    op.drop_table("companies")
    with op.batch_alter_table("community_programmes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_programmes_park_id_period"))

    op.drop_table("community_programmes")
    with op.batch_alter_table("nodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nodes_park_id_kind"))
        batch_op.drop_index(batch_op.f("ix_nodes_parent_id"))
        batch_op.drop_index(batch_op.f("ix_nodes_kind"))

    op.drop_table("nodes")
    op.drop_table("imports")
    op.drop_table("commodities")
