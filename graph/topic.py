"""The answer's topic check for one sentence: graph/relevance.on_topic, and one more case.

`on_topic` wants the sentence (read with where it sits: title, headings) to name what the question
is about. A follow-up's standalone carries the conversation's subject ("df 磁盘满 du 以后清理正在写的
日志应该咋弄"), which the sentence that answers it need not repeat ("以后清理正在写入的日志，应使用
`: > app.log`…") when its passage does: a sentence covering `ON_TOPIC_MIN` of the question by itself,
in a passage that names the thing asked about and covers `STRONG_PASSAGE` of it, is on topic too.
Used by graph/extractive.py and graph/nodes/verify.py; tested in tests/graph/test_answer_text.py.
"""

from __future__ import annotations

from typing import Any, Mapping

from graph.relevance import ON_TOPIC_MIN, STRONG_PASSAGE, QuestionTerms, context_of, coverage, names_entity, on_topic


def on_topic_here(terms: QuestionTerms, sentence: str, passage: Mapping[str, Any] | None) -> bool:
    """The sentence is about what was asked (see the module docstring)."""
    if on_topic(terms, sentence, passage):
        return True
    if passage is None or terms.total <= 0:
        return False
    whole = f"{context_of(passage)} {passage.get('text') or ''}"
    return names_entity(terms, whole) and coverage(terms, whole) >= STRONG_PASSAGE \
        and coverage(terms, sentence) >= ON_TOPIC_MIN
