"""Tables of the smelter registry, in the same :data:`~sinergi.store.schema.metadata`.

``registry_smelters``, ``registry_power_units`` and ``registry_production`` hold the rows of
the registry template (the whole row as JSON, the keys and a few filter columns typed), so
that a registry read back equals the registry imported. Migration ``0006`` creates them.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Integer, String, Table, Text

from sinergi.store.schema import metadata

registry_smelters = Table(
    "registry_smelters",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("route", String(40), nullable=False),
    Column("status", String(40), nullable=False),
    Column("province", Text),
    Column("park", Text),
    Column("synthetic", Boolean, nullable=False),
    Column("data", JSON, nullable=False),
)

registry_power_units = Table(
    "registry_power_units",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("smelter", String(200)),
    Column("park", Text),
    Column("fuel", String(40), nullable=False),
    Column("synthetic", Boolean, nullable=False),
    Column("data", JSON, nullable=False),
)

registry_production = Table(
    "registry_production",
    metadata,
    Column("smelter", String(200), primary_key=True),
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("synthetic", Boolean, nullable=False),
    Column("data", JSON, nullable=False),
)
