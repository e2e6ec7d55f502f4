"""Typed payloads the graph's nodes pass to each other (and checkpoint): plain dicts, typed.

They stay dicts (TypedDict) because they live in the checkpointed LangGraph state; the
types say which keys exist. `make_section` is the one constructor of a per-question
`Section`; `public_section` / `public_citation` are what leaves the graph (TurnResult).
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, Optional, TypedDict

Route = Literal["knowledge", "runbook", "investigate", "general", "refuse", "clarify"]
"""Where one sub-question goes (clarify: ask one short question instead of guessing)."""
Decision = Literal["new_topic", "follow_up", "clarify", "runbook_start", "runbook_reply", "control", "step_question",
                   "new_question"]
"""What a message was to the conversation (TurnResult.decision, `analyze --json` "decision")."""
GuardKind = Literal["answer", "greet", "refuse", "resume", "command"]
"""What the guard made of the message (resume: a reply to a waiting runbook; command: 退出/跳过/批准… with
no runbook waiting)."""
AnswerMode = Literal["model", "extractive", "runbook", "investigation", "none"]
"""How a section's text was produced."""


class GuardVerdict(TypedDict, total=False):
    """The guard's verdict on the whole message (or one part of it)."""

    kind: GuardKind
    in_domain: bool
    score: float
    """Combined domain score (0..1)."""
    evidence: dict[str, Any]
    """coverage / weighted / lexicon / retrieval / model / score (+ runbook, by_part)."""
    message: str
    """The message without a leading greeting."""
    parts: dict[str, "GuardVerdict"]
    """Verdicts already computed for pieces of the message (route reuses them)."""


class AdapterChoiceData(TypedDict):
    """models.llm.base.AdapterChoice as JSON."""

    name: Optional[str]
    weights: dict[str, float]
    reason: str


class RouteDecision(TypedDict, total=False):
    """The routing decision for one standalone sub-question."""

    route: Route
    reason: str
    runbook: Optional[str]
    """Runbook to start (route "runbook")."""
    runbook_hint: Optional[str]
    """Runbook to offer after a knowledge answer."""
    domain_score: float
    adapter: Optional[str]
    """Adapter name (or "a+b" for a weighted mix), None for the base model."""
    adapter_reason: str
    adapter_choice: AdapterChoiceData


class PassageData(TypedDict, total=False):
    """knowledge.types.Passage as stored in state (`graph.passages.to_state`)."""

    chunk_id: str
    source: str
    title: str
    heading_path: list[str]
    text: str
    kind: str
    score: float
    lexical_score: Optional[float]
    dense_score: Optional[float]
    kb: str
    meta: dict[str, Any]


class PriorAnswer(TypedDict, total=False):
    """The conversation's previous reply, as a follow-up's retrieval uses it (graph/prior.py)."""

    text: str
    """The reply without citations, bold marks and its sources list."""
    sources: list[str]
    """The documents it cited, in order."""
    titles: dict[str, str]
    """Each cited document's title, by its source."""
    question: str
    """The last standalone question it answered ("" when none)."""


class Citation(PassageData, total=False):
    """A cited passage with its number in the answer."""

    n: int
    relevance: float
    """Weighted share of the question's words the passage contains (graph/relevance.coverage)."""
    focus: int
    """Offset in `text` of the first line the answer quotes (its excerpt starts there)."""


class DraftUnit(TypedDict, total=False):
    """One sentence, list item or steps block of an answer, with the passages it cites."""

    text: str
    cites: list[int]
    steps: bool
    """A steps/commands block (rendered with its citation on the lead line)."""
    block: str
    """Extractive unit kind: sentence | item | code | row | leadin | step (graph/extractive.units_text)."""
    group: int
    """Extractive: the block the unit was composed in (a lead-in and its list, a sentence and the
    one going on from it); verify judges the topic of a block as a whole."""
    with_heading: bool
    """Extractive: a line of a whole procedure step or a whole entry (a section titled with the
    question), shown under that heading; verify judges its topic with the heading's (the step or
    entry was chosen as the answer, its lines with it)."""
    on_topic: bool
    """verify: the unit, read where it sits, is about what was asked (graph/relevance.on_topic)."""
    support: float
    supported: bool


class Draft(TypedDict, total=False):
    """The unverified answer of one sub-question."""

    units: list[DraftUnit]
    mode: AnswerMode
    text: str


class RunbookSummary(TypedDict):
    """A runbook in progress as the UI shows it."""

    id: str
    step: Optional[str]
    status: str
    waiting: Optional[dict[str, Any]]
    outputs: list[dict[str, Any]]
    paused: NotRequired[bool]
    """Kept waiting while the turn answered a question."""


CallStatus = Literal["ok", "error", "refused", "timeout", "invalid", "repeated", "skipped", "rejected"]
"""A tool call's one result: the registry's four, or why the investigation did not run it."""
InvestigationStatus = Literal["model", "tools", "answer", "stopped", "waiting", "fallback", "done"]
"""Where an investigation stands (the first four say which node runs next)."""


class ToolCallData(TypedDict, total=False):
    """One tool call the model proposed, with its one result (UI card, API field, hand-off summary)."""

    id: str
    n: int
    """Evidence number: the answer cites it as [T<n>]."""
    tool: str
    args: dict[str, Any]
    status: CallStatus
    summary: str
    """One line: the tool's summary, or why it did not run (Chinese)."""
    healthy: Optional[bool]
    approved: bool
    """Ran after the agent approved it (changes_something tools)."""
    elapsed: float
    result: dict[str, Any]
    """The ToolResult JSON (status, data, error, invocation) when the registry ran it."""


class PendingCall(TypedDict):
    """A changes_something call waiting for the agent's approval."""

    id: str
    tool: str
    args: dict[str, Any]
    effect: str
    """What a real run would do (the registry's dry run)."""


class InvestigationData(TypedDict, total=False):
    """A running investigation: its conversation with the model, calls and budgets (checkpointed while
    it waits for an approval, so the resume continues where it stopped)."""

    question: str
    """The sub-question as asked (kept for the resume)."""
    standalone: str
    route: RouteDecision
    messages: list[dict[str, Any]]
    """models.llm.base.ChatMessage JSON, system prompt first."""
    calls: list[ToolCallData]
    pending: list[PendingCall]
    outputs: list[dict[str, Any]]
    """Step cards, shaped like tools.runbooks.RunbookOutput JSON (kind, text, tool_result, citations)."""
    passages: list[PassageData]
    """The knowledge passages shown to the model ([1], [2] ...)."""
    plan: Optional[str]
    """Runbook id whose steps were the model's plan."""
    adapter: AdapterChoiceData
    status: InvestigationStatus
    stop_reason: Optional[str]
    """Why it ended early: budget_steps | budget_tool_calls | budget_tokens | budget_time | repeated_call |
    malformed | model_error | left (None when the model concluded)."""
    detail: str
    """The reason in words (trace; malformed output, the model error ...)."""
    answer: str
    """The model's conclusion (status answer)."""
    steps: int
    tool_calls: int
    tokens: int
    seconds: float
    """Active seconds so far (model turns and tool calls)."""
    repairs: int
    repeats: int
    since: int
    """Calls made before this turn (a resumed investigation reports only the newer ones as the turn's)."""


class InvestigationSummary(TypedDict, total=False):
    """An investigation as the turn's result shows it (TurnResult.investigation)."""

    kind: Literal["investigation"]
    plan: Optional[str]
    status: str
    """running | waiting | done | stopped | fallback."""
    stop_reason: Optional[str]
    detail: str
    steps: int
    tool_calls: int
    tokens: int
    seconds: float
    waiting: Optional[dict[str, Any]]
    outputs: list[dict[str, Any]]
    paused: NotRequired[bool]
    """Kept waiting while the turn answered a question."""
    calls: list[ToolCallData]
    """Every call of the investigation so far."""
    since: int
    """How many of `calls` were made in earlier turns."""


class Section(TypedDict, total=False):
    """The result for one sub-question (internal: carries trace and runbook state)."""

    index: int
    question: str
    standalone: str
    route: Route
    answer: str
    citations: list[Citation]
    grounded: bool
    adapter: Optional[str]
    mode: AnswerMode
    dropped: int
    """Answer units verify dropped as unsupported."""
    timings: dict[str, float]
    runbook: Optional[RunbookSummary]
    runbook_state: Optional[dict[str, Any]]
    """The waiting run's state (tools.runbooks.RunbookState JSON), kept for the resume."""
    investigation: Optional[InvestigationSummary]
    investigation_state: Optional[InvestigationData]
    """A paused investigation (waiting for an approval), kept for the resume."""


def make_section(index: int, question: str, standalone: str, route: Route, answer: str, *,
                 citations: list[Citation] | None = None, grounded: bool = False, adapter: str | None = None,
                 mode: AnswerMode = "none", **extra: Any) -> Section:
    """The one constructor of a Section; `extra` takes the optional keys (dropped, timings, runbook…)."""
    unknown = set(extra) - set(Section.__annotations__)
    if unknown:
        raise TypeError(f"unknown section keys: {sorted(unknown)}")
    section: Section = {"index": index, "question": question, "standalone": standalone, "route": route,
                        "answer": answer, "citations": list(citations or []), "grounded": grounded,
                        "adapter": adapter, "mode": mode}
    section.update(extra)  # type: ignore[typeddict-item]
    return section


class PublicCitation(TypedDict):
    """A source as the `ask --json` contract shows it."""

    n: int
    source: Optional[str]
    title: Optional[str]
    text: Optional[str]
    score: float
    chunk_id: Optional[str]
    heading: str
    kb: Optional[str]
    """The knowledge base the passage came from (several may be chosen for one turn)."""
    relevance: Optional[float]
    """Weighted share of the question's words the passage contains (0..1; None when not measured)."""
    focus: int
    """Offset in `text` of the first line the answer quotes from it (0: its start); excerpts start there."""


class PublicSection(TypedDict):
    """A section as callers of the graph see it (TurnResult.sections)."""

    question: str
    standalone: str
    route: Route
    answer: str
    citations: list[PublicCitation]
    grounded: bool
    adapter: Optional[str]


def public_citation(c: Citation) -> PublicCitation:
    return {"n": c["n"], "source": c.get("source"), "title": c.get("title"), "text": c.get("text"),
            "score": round(float(c.get("score") or 0.0), 6), "chunk_id": c.get("chunk_id"),
            "heading": " > ".join(c.get("heading_path") or []), "kb": c.get("kb"),
            "relevance": c.get("relevance"), "focus": int(c.get("focus") or 0)}


def public_section(section: Section) -> PublicSection:
    return {"question": section.get("question", ""), "standalone": section.get("standalone", ""),
            "route": section.get("route", "knowledge"), "answer": section.get("answer", ""),
            "citations": [public_citation(c) for c in section.get("citations") or []],
            "grounded": bool(section.get("grounded")), "adapter": section.get("adapter")}
