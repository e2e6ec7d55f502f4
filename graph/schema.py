"""Typed payloads the graph's nodes pass to each other (and checkpoint): plain dicts, typed.

They stay dicts (TypedDict) because they live in the checkpointed LangGraph state; the
types say which keys exist. `make_section` is the one constructor of a per-question
`Section`; `public_section` / `public_citation` are what leaves the graph (TurnResult).
"""

from __future__ import annotations

from typing import Any, Literal, Optional, TypedDict

Route = Literal["knowledge", "runbook", "general", "refuse"]
"""Where one sub-question goes."""
GuardKind = Literal["answer", "greet", "refuse", "resume"]
"""What the guard made of the message (resume: a reply to a waiting runbook)."""
AnswerMode = Literal["model", "extractive", "runbook", "none"]
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


class Citation(PassageData, total=False):
    """A cited passage with its number in the answer."""

    n: int


class DraftUnit(TypedDict, total=False):
    """One sentence, list item or steps block of an answer, with the passages it cites."""

    text: str
    cites: list[int]
    steps: bool
    """A steps/commands block (rendered with its citation on the lead line)."""
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
            "heading": " > ".join(c.get("heading_path") or [])}


def public_section(section: Section) -> PublicSection:
    return {"question": section.get("question", ""), "standalone": section.get("standalone", ""),
            "route": section.get("route", "knowledge"), "answer": section.get("answer", ""),
            "citations": [public_citation(c) for c in section.get("citations") or []],
            "grounded": bool(section.get("grounded")), "adapter": section.get("adapter")}
