"""Runbook run state (JSON-serialisable, survives a restart) and what each step emits."""

from __future__ import annotations

import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

RunStatus = Literal["running", "waiting", "left", "done", "escalated"]
OutputKind = Literal["ask", "tool", "advise", "approve", "escalate", "summary", "info"]


class Evidence(BaseModel):
    """The outcome of one executed step, kept for the hand-off summary."""

    model_config = ConfigDict(extra="forbid")

    runbook: str
    step: str
    kind: str
    title: str = ""
    text: str = ""
    """Answer given, advice shown, reason for escalation, approval decision."""
    tool: str | None = None
    args: dict[str, Any] = {}
    status: str | None = None
    """ToolResult status, or approve/reject for approvals."""
    healthy: bool | None = None
    """The tool's own verdict (`data.healthy`); None when it has none."""
    summary: str = ""
    """One-line tool result."""
    rules_out: str | None = None
    citations: list[dict[str, Any]] = []
    at: float = Field(default_factory=time.time)


class RunbookState(BaseModel):
    """Where a runbook run stands; `model_dump_json()` / `model_validate_json()` round-trip it."""

    model_config = ConfigDict(extra="forbid")

    runbook_id: str
    """The runbook being executed now (changes when a link step is followed)."""
    question: str
    """The symptom as the agent first described it."""
    session: str
    user: str
    kb: str | None = None
    """Knowledge base of the turn that started the flow (citations and knowledge tools search it)."""
    step: str | None = None
    """Id of the step to run next or being waited on; None when the flow has ended."""
    status: RunStatus = "running"
    waiting: dict[str, Any] | None = None
    """`{"kind": "ask"|"approve", "prompt", "options", "step", "slot"}` while input is needed."""
    slots: dict[str, Any] = {}
    results: dict[str, dict[str, Any]] = {}
    """ToolResult JSON by step id of the current runbook (what branch conditions read)."""
    evidence: list[Evidence] = []
    retries: dict[str, int] = {}
    trail: list[str] = []
    """Runbook ids visited, in order."""
    started_at: float = Field(default_factory=time.time)
    updated_at: float = Field(default_factory=time.time)

    @property
    def finished(self) -> bool:
        return self.status in ("done", "escalated")


class RunbookOutput(BaseModel):
    """One thing to show the agent."""

    model_config = ConfigDict(extra="forbid")

    kind: OutputKind
    text: str
    """Markdown."""
    tool_result: dict[str, Any] | None = None
    citations: list[dict[str, Any]] = []
    """Passage JSON (`source`, `title`, `chunk_id`, `score`, `text`)."""

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
