"""The service's settings, read from the environment (``SINERGI_*``) and a ``.env`` file.

Outside development the service refuses to start with the shipped default secret or a secret
shorter than 32 characters, because the secret signs the audit checkpoints.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from sinergi.errors import UsageError
from sinergi.i18n import N_
from sinergi.i18n.messages import Num, msg

#: The secret used when none is set; accepted in development only.
DEFAULT_SECRET = "development-only-secret-change-me"

#: The shortest secret accepted outside development.
MIN_SECRET_LENGTH = 32


class Environment(StrEnum):
    """Where the service runs."""

    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Settings of one service instance (environment variables win over ``.env``)."""

    model_config = SettingsConfigDict(
        env_prefix="SINERGI_", env_file=".env", env_ignore_empty=True, extra="ignore"
    )

    database_url: str = "sqlite:///sinergi.db"
    secret_key: str = DEFAULT_SECRET
    env: Environment = Environment.DEVELOPMENT
    dask_scheduler: str | None = None
    dask_workers: int = Field(default=1, ge=1)
    dask_processes: bool = False
    token_hours: float = Field(default=12.0, gt=0)
    login_failures: int = Field(default=5, ge=1)
    login_window_s: float = Field(default=900.0, gt=0)
    page_limit: int = Field(default=500, ge=1)
    upload_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1)

    @model_validator(mode="after")
    def _secret_outside_development(self) -> Settings:
        if self.env is Environment.DEVELOPMENT:
            return self
        if self.secret_key == DEFAULT_SECRET or len(self.secret_key) < MIN_SECRET_LENGTH:
            raise UsageError(
                msg(
                    N_(
                        "SINERGI_SECRET_KEY must be set to a secret of at least {count} "
                        "characters when SINERGI_ENV={env}; make one with: {command}"
                    ),
                    count=Num(MIN_SECRET_LENGTH),
                    env=str(self.env),
                    command='python -c "import secrets; print(secrets.token_urlsafe(48))"',
                )
            )
        return self

    @property
    def secret_bytes(self) -> bytes:
        """Return the secret as bytes (the HMAC key of audit checkpoints)."""
        return self.secret_key.encode()
