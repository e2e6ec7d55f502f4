"""Settings of the tools layer (the `tools:` section of the settings file)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ToolSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    allow_targets: list[str] = []
    """Hosts, IPs or CIDRs (optionally `:port`) the network tools may reach even if private or loopback."""
    deny_targets: list[str] = []
    """Extra hosts, IPs or CIDRs the network tools must never reach (checked before the allow list)."""
    allowed_ports: list[int] = []
    """Ports the network tools may connect to on public targets (empty: any port)."""
    timeout_s: float = 10.0
    """Wall-clock limit of one tool call in seconds."""
    tool_timeouts: dict[str, float] = {"ping": 20.0, "log_analysis": 20.0}
    """Per-tool overrides of timeout_s, by tool name."""
    connect_timeout_s: float = 3.0
    """Socket connect/read timeout of the network tools in seconds."""
    max_concurrent_calls: int = Field(default=16, ge=1)
    """Tool calls running at once in this process (worker threads); more are refused with a message."""
    per_session_concurrency: int = Field(default=2, ge=1)
    """Tool calls one conversation may have running at once."""
    per_target_concurrency: int = Field(default=2, ge=1)
    """Calls to one host:port running at once (a slow target cannot take every worker)."""
    max_output_chars: int = 4000
    """Longest string kept in a tool result; longer strings and lists are truncated."""
    rate_limit_per_minute: int = 30
    """Tool calls one session may make per minute (0: unlimited)."""
    max_redirects: int = 5
    """Redirect hops http_check follows (each hop is checked by the target policy)."""
    dns_servers: list[str] = []
    """UDP resolvers dns_lookup queries directly ("IP" or "IP:port"; empty: the first of /etc/resolv.conf)."""
    restart_command: list[str] = []
    """Argument list restart_service runs, `{service}` replaced (no shell); empty: not configured."""
    restart_webhook: str = ""
    """URL restart_service POSTs `{"service","reason","user","session"}` to; empty: not configured."""
    restart_services: list[str] = []
    """Service names restart_service may restart (empty: any well-formed name)."""
    runbooks_dir: Path | None = None
    """Folder of extra runbook YAML files loaded beside the shipped ones."""
    runbook_match_threshold: float = 0.45
    """Lowest score at which RunbookEngine.match proposes a runbook."""
    audit: bool = True
    """Record every tool call and approval in data_dir/audit.sqlite."""

    @field_validator("allow_targets", "deny_targets")
    @classmethod
    def _targets_parse(cls, entries: list[str]) -> list[str]:
        from tools.safety import parse_entry

        for entry in entries:
            try:
                parse_entry(entry)
            except ValueError:
                raise ValueError(f"{entry!r} 不是域名、IP 或网段（可带端口，如 10.0.0.0/8、127.0.0.1:8080）") from None
        return entries
