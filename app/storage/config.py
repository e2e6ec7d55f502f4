"""The `storage:` section of the settings: embedded files or PostgreSQL + a Chroma server."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PostgresSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = ""
    """Connection URL, e.g. postgresql://copilot:PASSWORD@db:5432/copilot (`config show` hides the password)."""
    password_env: str = ""
    """Name of an environment variable holding the password (keeps it out of the settings file)."""
    pool_min: int = Field(default=1, ge=0)
    """Connections each process keeps open."""
    pool_max: int = Field(default=10, ge=1)
    """Most connections one process opens (each replica has its own pool)."""
    connect_timeout_s: float = Field(default=10.0, gt=0)
    """How long to wait for the server before giving up with a message."""


class ChromaServerSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = "127.0.0.1"
    """Host of the Chroma server (`chroma run --path DIR --port 8000`)."""
    port: int = Field(default=8000, ge=1, le=65535)
    """Its port."""
    ssl: bool = False
    """Use https."""
    token: str = ""
    """Bearer token when the server requires one (`config show` hides it)."""
    tenant: str = "default_tenant"
    """Chroma tenant."""
    database: str = "default_database"
    """Chroma database."""


class StorageSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Literal["embedded", "server"] = "embedded"
    """embedded: files under data_dir; server: PostgreSQL + a Chroma server shared by several replicas."""
    postgres: PostgresSettings = PostgresSettings()
    """PostgreSQL connection (server mode)."""
    chroma: ChromaServerSettings = ChromaServerSettings()
    """Chroma server (server mode)."""
