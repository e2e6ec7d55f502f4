"""The graph's state schema: what one conversation thread carries between nodes and turns.

`TurnInput` is the public input (what a caller sends per turn); `ConversationState` is the
internal state, checkpointed per thread. Fields that belong to one turn are reset by the
guard node at the start of each turn (see `reset_sections`); `messages` accumulates.
"""

from __future__ import annotations

from typing import Annotated, Any, Mapping, Optional, Sequence, TypedDict, Union

from graph.schema import Draft, GuardVerdict, InvestigationData, PassageData, PriorAnswer, RouteDecision, Section


def append_messages(old: list[Message] | None, new: list[Message] | None) -> list[Message]:
    """Conversation history only grows."""
    return list(old or []) + list(new or [])


def merge_trace(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> dict[str, Any]:
    """Per-turn trace: a dict with `"_reset": True` starts a new turn's trace."""
    if not new:
        return dict(old or {})
    if new.get("_reset"):
        return {k: v for k, v in new.items() if k != "_reset"}
    return {**(old or {}), **new}


class Message(TypedDict, total=False):
    """One history entry; user turns carry the standalone questions of the reply after them."""

    role: str
    """"user" or "assistant"."""
    content: str
    questions: list[str]
    """On assistant messages: the standalone questions answered (empty for greetings/refusals)."""
    decision: Optional[str]
    """On assistant messages: what the turn was (graph.schema.Decision)."""
    focus: list[str]
    """On assistant messages: per question, what a follow-up pointed at (a named item, an ellipsis's X)."""


def reset_sections(old: list[Section] | None, new: list[Section] | None) -> list[Section]:
    """Per-sub-question results: `None` clears (new turn), a list is merged by index."""
    if new is None:
        return []
    merged = {s["index"]: s for s in (old or [])}
    for section in new:
        merged[section["index"]] = section
    return [merged[i] for i in sorted(merged)]


class TurnInput(TypedDict, total=False):
    """What a caller sends for one turn."""

    message: str
    """The user's message, as typed."""
    kb: Optional[Union[str, list[str]]]
    """Knowledge base(s) to answer from: a name, several names, or None (the default one)."""
    user: str
    """Who is asking (tool audit, runbook hand-off)."""
    session: str
    """Conversation id as the user sees it."""


class ConversationState(TypedDict, total=False):
    """Everything the nodes read and write; checkpointed per thread."""

    message: str
    """The current user message."""
    kb: Optional[Union[str, list[str]]]
    """Knowledge base(s) of this turn."""
    user: str
    """Who is asking."""
    session: str
    """Conversation id as the user sees it."""
    messages: Annotated[list[Message], append_messages]
    """Conversation history `{"role","content"}` (plus `"standalone"` on user turns)."""
    lang: str
    """Reply language of this turn's message: "zh" or "en" (graph.language.message_language, set by guard)."""
    guard: GuardVerdict
    """Guard verdict of this turn: kind (answer|greet|refuse), in_domain, score, evidence."""
    searched: dict[str, list[PassageData]]
    """Knowledge searches the guard already made this turn, by query (retrieve reuses them)."""
    sub_questions: list[str]
    """Sub-questions of this turn (after the limit)."""
    unanswered: list[str]
    """Sub-questions over the limit, listed in the reply as not answered."""
    standalone: list[str]
    """Sub-questions rewritten to stand alone."""
    decisions: list[str]
    """Per sub-question: new_topic | follow_up | clarify | step_question | new_question (graph.schema.Decision)."""
    focus: list[str]
    """Per sub-question: what a follow-up pointed at ("" when nothing)."""
    decision: Optional[str]
    """The turn's decision when set before understanding: runbook_reply | control (a reply to a waiting runbook)."""
    routes: list[RouteDecision]
    """Per sub-question: route, adapter, runbook id, reason."""
    sections: Annotated[list[Section], reset_sections]
    """Per sub-question results (answer, citations, grounded, route, adapter)."""
    runbook: Optional[dict[str, Any]]
    """The running runbook's state (JSON) while one is waiting for the agent."""
    runbook_reply: Optional[str]
    """The agent's reply to the runbook's pending question (set on resume)."""
    investigation: Optional[InvestigationData]
    """A paused investigation (waiting for the agent's approval)."""
    investigation_reply: Optional[str]
    """The agent's reply to the investigation's approval request (set on resume)."""
    result: dict[str, Any]
    """The composed reply of this turn (TurnResult JSON)."""
    trace: Annotated[dict[str, Any], merge_trace]
    """Timings and decisions of this turn, for the UI's trace panel and benchmarks."""


class QuestionState(TypedDict, total=False):
    """What one per-sub-question branch receives (sent with langgraph `Send`)."""

    index: int
    """Position of the sub-question in the message."""
    count: int
    """Sub-questions in the message (answers share the reply's length)."""
    question: str
    """The sub-question as split from the message."""
    standalone: str
    """The rewritten, standalone sub-question."""
    route: RouteDecision
    """The routing decision for it."""
    decision: str
    """new_topic | follow_up | clarify | step_question | new_question (rewrite's, per sub-question)."""
    focus: str
    """What a follow-up pointed at ("kind:text", graph.thread), "" when nothing."""
    prior: PriorAnswer
    """The conversation's previous reply (a follow-up's retrieval leans on its pages)."""
    siblings: list[str]
    """The message's other standalone sub-questions (graph/siblings.py: a short ask leans on their pages)."""
    lang: str
    """Reply language of the message (graph.language): the fixed texts around the knowledge follow it."""
    kb: Optional[Union[str, list[str]]]
    """Knowledge base(s) to answer from."""
    user: str
    """Who is asking."""
    session: str
    """Conversation id."""
    searched: dict[str, list[PassageData]]
    """Searches the guard already made this turn, by query."""
    query: str
    """Retrieval query after keyword expansion."""
    passages: list[PassageData]
    """Retrieved, then selected passages grown into evidence sections (knowledge.types.Passage as dicts)."""
    qtype: str
    """What the question asks for: howto | value | cause | symptom | define | compare (graph/question_type.py)."""
    retrieved: list[PassageData]
    """Everything retrieved before selection (to name the nearest when nothing is selected)."""
    timings: Annotated[dict[str, Any], merge_trace]
    """Milliseconds per step of this branch."""
    draft: Draft
    """The unverified answer: text and the passages it cites."""
    sections: Annotated[list[Section], reset_sections]
    """Output back to the parent: this sub-question's section."""


class InvestigationState(QuestionState, total=False):
    """What the investigation subgraph works on: one sub-question's branch plus the investigation."""

    agent: InvestigationData
    """The running investigation (conversation, calls, budgets, status)."""
    paused: Optional[InvestigationData]
    """On resume: the investigation that waited for an approval."""
    reply: Optional[str]
    """On resume: the agent's answer to the approval request."""
    trace: Annotated[dict[str, Any], merge_trace]
    """Back to the turn's trace: the investigation's outcome (and a fallback's reason)."""
