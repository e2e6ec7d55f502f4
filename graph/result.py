"""TurnResult: what one turn returns to the UI and the CLI (the `ask --json` contract plus extras)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Mapping, Sequence

from graph.schema import PublicCitation, PublicSection, RunbookSummary


@dataclass
class TurnResult:
    answer: str
    """The reply, Markdown, sources listed once at the end."""
    refused: bool = False
    """The message (or every sub-question) was outside the domain."""
    sub_questions: list[str] = field(default_factory=list)
    """Sub-questions as split from the message."""
    standalone: list[str] = field(default_factory=list)
    """Sub-questions rewritten to stand alone."""
    citations: list[PublicCitation] = field(default_factory=list)
    """Sources shown: {"n","source","title","text","score"} (+ "chunk_id","heading")."""
    grounded: bool = False
    """Every knowledge answer of the turn is supported by cited passages."""
    route: str = "knowledge"
    """knowledge | runbook | investigate | general | refuse | clarify | greet | mixed (several routes in one message)."""
    sections: list[PublicSection] = field(default_factory=list)
    """Per sub-question: question, standalone, route, answer, citations, grounded, adapter."""
    runbook: RunbookSummary | None = None
    """The runbook in progress: id, step, status, waiting, outputs (None when none)."""
    investigation: dict[str, Any] | None = None
    """The model-driven investigation of this turn: status, stop_reason, plan, budgets used, waiting
    (an approval request), outputs (step cards), calls (None when none)."""
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    """Tool calls the model made this turn: {"id","n","tool","args","status","summary","healthy","approved","elapsed"}."""
    model: str = "extractive"
    """The LLM backend that produced the reply."""
    trace: dict[str, Any] = field(default_factory=dict)
    """Guard evidence, routes, adapters and timings of the turn."""
    notices: list[str] = field(default_factory=list)
    """Warnings about how the turn was served, in Chinese (e.g. the vector server was unreachable, so
    it searched by keywords only); also shown at the top of `answer`."""
    decision: str | None = None
    """What the message was: new_topic | follow_up | clarify | runbook_start | runbook_reply | control |
    step_question | new_question (None for greetings and refusals)."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "TurnResult":
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    @property
    def waiting(self) -> dict[str, Any] | None:
        """The runbook's pending question or the investigation's approval request, if the turn paused."""
        if self.runbook and self.runbook.get("waiting"):
            return self.runbook["waiting"]
        return (self.investigation or {}).get("waiting")
