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

    def describe_effect(self, args: Any) -> str:
        """For changes_something tools: what a real run would do (the dry-run text)."""
        return f"将执行 {self.name}（参数：{args.model_dump()}）"

    def spec(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "risk": self.risk,
            "args": self.Args.model_json_schema(),
        }


class ToolArgs(BaseModel):
    """Base of tool argument models: unknown arguments are an error."""

    model_config = ConfigDict(extra="forbid")
