"""Groundedness, measured independently of the copilot's own verifier.

A sentence of a knowledge answer counts as supported when most of its content tokens
(jieba, stop words removed) occur in the text of the passages the section cites.
Used by the `grounded_min` expectation and the answer metrics.
"""

from __future__ import annotations

from graph.sentences import is_code, split_units, strip_citations
from knowledge.text import tokenize

SUPPORT_RATIO = 0.6
"""Share of a sentence's tokens that must occur in the cited passages."""
MIN_TOKENS = 2
"""Sentences with fewer content tokens (headings, "如下：") are not judged."""


def sentence_supported(sentence: str, passages_tokens: set[str]) -> bool | None:
    """True/False for a judgeable sentence, None for one too short to judge."""
    tokens = set(tokenize(strip_citations(sentence)))
    if len(tokens) < MIN_TOKENS:
        return None
    return len(tokens & passages_tokens) / len(tokens) >= SUPPORT_RATIO


def _offer_prefix() -> str:
    """How the runbook offer a knowledge answer may end with starts (graph/prompts/replies.yaml)."""
    from graph.prompts import replies

    return replies()["runbook_hint"].strip().split("{", 1)[0]


def section_support(answer: str, citations: list[dict]) -> tuple[int, int]:
    """(supported, judged) sentences of one answer against its citations' texts (the runbook
    offer is not a claim about the knowledge and is not judged)."""
    passages_tokens: set[str] = set()
    for c in citations:
        passages_tokens.update(tokenize(c.get("text") or ""))
    supported = judged = 0
    offer = _offer_prefix()
    for unit in split_units(answer or ""):
        if is_code(unit) or (offer and unit.startswith(offer)):
            continue
        verdict = sentence_supported(unit, passages_tokens)
        if verdict is None:
            continue
        judged += 1
        supported += int(verdict)
    return supported, judged


def grounded_share(result: dict) -> float | None:
    """Share of supported sentences over the knowledge sections of a TurnResult JSON (None: none judged).

    Sections citing nothing (the "no support found" reply) make no claim and are not judged;
    how often that happens is what citation hit and key-fact containment measure.
    """
    supported = judged = 0
    for section in result.get("sections") or []:
        if section.get("route") != "knowledge" or not section.get("citations"):
            continue
        s, j = section_support(section.get("answer") or "", section.get("citations") or [])
        supported += s
        judged += j
    return supported / judged if judged else None
