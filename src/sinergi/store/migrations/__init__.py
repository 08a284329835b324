"""Alembic migrations of the sinergi schema, configured in code (no ``alembic.ini``).

:func:`alembic_config` points Alembic at this package directory, so migrations run the
same from a source checkout and from an installed wheel.
"""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from sqlalchemy import Connection

#: The directory holding ``env.py`` and ``versions/``.
SCRIPT_LOCATION = Path(__file__).resolve().parent


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    """Build the Alembic configuration for ``url``, or for an open ``connection``.

    Passing a connection makes the migration run inside the caller's transaction (how
    :meth:`sinergi.store.Store.migrate` and the tests use it); a URL alone lets ``env.py``
    create its own engine through :func:`sinergi.store.engine.make_engine`.
    """
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    if url is not None:
        # ConfigParser interpolation would choke on '%' in URL-encoded passwords.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config
