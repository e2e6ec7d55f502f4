"""What every tool is and returns: `Tool` (typed arguments, risk tier) and `ToolResult`.

A tool is built with the registry's `ToolDeps` (settings, target policy, knowledge),
implements `run(args, call) -> dict` and raises `ToolRefused` or `ToolFailed` for the
two ways it can decline; `tools.registry.ToolRegistry.invoke` adds the timeout,
truncation, rate limit, approval gate and audit around it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:  # tools.deps -> tools.safety -> this module
    from tools.deps import ToolDeps

Risk = Literal["read_only", "changes_something"]
Status = Literal["ok", "error", "refused", "timeout"]


class ToolRefused(Exception):
    """The call is not permitted (target policy, missing approval, rate limit); Chinese message."""


class ToolFailed(Exception):
    """The tool could not do its job (bad input, nothing configured); Chinese message."""


class ToolResult(BaseModel):
    """Outcome of one tool call: data, never instructions."""

    model_config = ConfigDict(extra="forbid")

    status: Status
    """ok: the tool ran (its data may still report a problem found); error/refused/timeout: it did not."""
    data: dict[str, Any] = {}
    """Structured findings; network tools fill `healthy` (bool) and `summary` (one Chinese line)."""
    error: str | None = None
    """Why the tool did not run or failed (Chinese)."""
    invocation: dict[str, Any] = {}
    """`{"tool", "args"}` as validated."""
    elapsed: float = 0.0
    """Seconds the call took."""
    truncated: bool = False
    """Some strings or lists in `data` were shortened."""

    @property
    def summary(self) -> str:
        """One line for humans and the audit trail."""
        if self.status != "ok":
            return f"{self.status}: {self.error or ''}".strip()
        text = self.data.get("summary")
        return str(text) if text else "ok"

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


@dataclass
class ToolCall:
    """Who is calling, and whether the agent approved (built by the registry per call)."""

    session: str
    user: str
    approved: bool = False
    dry_run: bool = False
    deadline: float | None = None
    """time.monotonic() by which the call must end; network tools bound every socket wait by it."""


class Tool:
    """Base of all tools; subclasses set the class attributes and implement `run`."""

    name: ClassVar[str]
    description: ClassVar[str]
    """What the tool does (Chinese, shown to agents and in `registry.specs()`)."""
    risk: ClassVar[Risk] = "read_only"
    Args: ClassVar[type[BaseModel]]
    network: ClassVar[bool] = False
    """Reaches a target chosen by the caller (the target policy applies)."""

    def __init__(self, deps: ToolDeps) -> None:
        self.deps = deps

    # `args` is an instance of the tool's own `Args` (the registry validated it), hence Any here:
    # each tool annotates its own model.
    def run(self, args: Any, call: ToolCall) -> dict[str, Any]:
        raise NotImplementedError

    def target(self, args: Any) -> str | None:
        """`host:port` (or host) a network tool will reach, for the per-target concurrency limit."""
        if not self.network:
            return None
        url = getattr(args, "url", None)
        if isinstance(url, str):
            from urllib.parse import urlsplit

            parts = urlsplit(url if "://" in url else "https://" + url)
            try:
                port = parts.port
            except ValueError:
                port = None
            return f"{(parts.hostname or url).lower()}:{port or (80 if parts.scheme == 'http' else 443)}"
        host = getattr(args, "host", None) or getattr(args, "name", None)
        if not isinstance(host, str):
            return None
        port = getattr(args, "port", None)
        return f"{host.lower().rstrip('.')}:{port}" if port else host.lower().rstrip(".")

    def blocked(self, args: Any) -> str | None:
        """For changes_something tools: why a real run cannot happen (no method configured, not
        allowed), in Chinese; None when it can. Approvals are only asked for runs that can happen."""
        return None

    def describe_effect(self, args: Any) -> str:
        """For changes_something tools: what a real run would do (the dry-run text)."""
        return f"将执行 {self.name}（参数：{args.model_dump()}）"

    def spec(self) -> dict[str, Any]:
        """name, description, risk, network, `args` (the Args model's JSON schema) and `parameters` (the
        same schema without pydantic's titles: what a model is shown when it may call the tool)."""
        schema = self.Args.model_json_schema()
        return {
            "name": self.name,
            "description": self.description,
            "risk": self.risk,
            "network": self.network,
            "args": schema,
            "parameters": without_titles(schema),
        }


def without_titles(schema: Any) -> Any:
    """A JSON schema without the `title` annotations pydantic adds (noise for a model reading it)."""
    if isinstance(schema, dict):
        return {k: without_titles(v) for k, v in schema.items()
                if not (k == "title" and isinstance(v, str))}
    if isinstance(schema, list):
        return [without_titles(v) for v in schema]
    return schema


class ToolArgs(BaseModel):
    """Base of tool argument models: unknown arguments are an error."""

    model_config = ConfigDict(extra="forbid")
