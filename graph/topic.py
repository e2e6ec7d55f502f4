"""The answer's topic check for one sentence: graph/relevance.on_topic, and one more case.

`on_topic` wants the sentence (read with where it sits: title, headings) to name what the question
is about. A follow-up's standalone carries the conversation's subject ("df 磁盘满 du 以后清理正在写的
日志应该咋弄"), which the sentence that answers it need not repeat ("以后清理正在写入的日志，应使用
`: > app.log`…") when its passage does: a sentence covering `ON_TOPIC_MIN` of the question by itself,
in a passage that names the thing asked about and covers `STRONG_PASSAGE` of it, is on topic too.
Used by graph/extractive.py and graph/nodes/verify.py; tested in tests/graph/test_answer_text.py.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from graph.heading_match import heading_lead
from graph.relevance import ON_TOPIC_MIN, STRONG_PASSAGE, QuestionTerms, coverage, names_entity, on_topic, with_context


def on_topic_here(terms: QuestionTerms, sentence: str, passage: Mapping[str, Any] | None, lead: bool = False) -> bool:
    """The sentence is about what was asked (see the module docstring); `lead`: its passage is the
    evidence's leading match (`leading`), which vouches for each of its sentences."""
    if on_topic(terms, sentence, passage):
        return True
    if passage is None or terms.total <= 0:
        return False
    whole = with_context(passage)
    if lead and names_entity(terms, whole):
        return True
    return names_entity(terms, whole) and coverage(terms, whole) >= STRONG_PASSAGE \
        and coverage(terms, sentence) >= ON_TOPIC_MIN


LEAD_MIN = 0.4
"""Share of the question the leading passage must cover (with where it sits)."""
LEAD_RATIO = 1.5
"""How many times what any passage of another page covers the leading passage must cover."""


def leading(terms: QuestionTerms, passages: Sequence[Mapping[str, Any]]) -> int | None:
    """Number (1-based) of the passage that matches the question clearly best of all the evidence:
    it covers LEAD_MIN of it and LEAD_RATIO times what any other page's passage covers. A real
    page says what the user asked in its own words ("容错数量" for "绕过坏行"): each of its sentences
    is on topic when the passage as a whole names what the question is about, though the sentence
    alone covers little of a long spoken question. Without such a passage, the one whose own heading
    names the question (graph/heading_match.heading_lead) leads."""
    if terms.total <= 0 or not passages:
        return None
    return _covering_lead(terms, passages) or heading_lead(terms, passages)


def _covering_lead(terms: QuestionTerms, passages: Sequence[Mapping[str, Any]]) -> int | None:
    """The passage covering LEAD_MIN of the question and LEAD_RATIO times what any other page's covers."""
    shares = [coverage(terms, with_context(p)) for p in passages]
    best = max(range(len(passages)), key=lambda i: (shares[i], i))
    source = passages[best].get("source")
    others = [s for i, s in enumerate(shares) if passages[i].get("source") != source]
    if shares[best] < LEAD_MIN or any(shares[best] < LEAD_RATIO * s for s in others):
        return None
    return best + 1
