"""Settings of the tools layer (the `tools:` section of the settings file)."""

from pydantic import BaseModel, ConfigDict


class ToolSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    allow_targets: list[str] = []
    """Hosts, IPs or CIDRs the network tools may reach even if private or loopback."""
