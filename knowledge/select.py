"""Selection: keep the best few passages above a calibrated relevance threshold.

Relevance (0..1) of a passage is the larger of two evidences: the IDF-weighted share
of the query's tokens found in the passage's indexed text, and its dense cosine
similarity rescaled above `DENSE_FLOOR` (multilingual-e5 puts unrelated text near 0.75).
The threshold lives in KnowledgeSettings.select_threshold (calibrated by
benchmarks/retrieval_eval.py). Output order: most relevant LAST, nearest the question.
"""

from __future__ import annotations

import math
from typing import Callable

from knowledge.types import Passage

DENSE_FLOOR = 0.80


def coverage(query_tokens: list[str], passage_tokens: set[str], idf: Callable[[str], float]) -> float:
    """IDF-weighted fraction of distinct query tokens present in the passage."""
    distinct = list(dict.fromkeys(query_tokens))
    total = sum(idf(t) for t in distinct)
    if total <= 0:
        return 0.0
    return sum(idf(t) for t in distinct if t in passage_tokens) / total


def dense_relevance(cosine: float | None) -> float:
    if cosine is None:
        return 0.0
    return max(0.0, min(1.0, (cosine - DENSE_FLOOR) / (1.0 - DENSE_FLOOR)))


def idf_from_counts(total: int, counts: dict[str, int]) -> Callable[[str], float]:
    def idf(token: str) -> float:
        df = counts.get(token, 0)
        return math.log(1.0 + (total - df + 0.5) / (df + 0.5))

    return idf


def score_relevance(query: str, passages: list[Passage], idf: Callable[[str], float],
                    tokenize: Callable[[str], list[str]]) -> None:
    """Fill passage.meta["relevance"] (0..1) for each passage (tokens of the passages' base)."""
    q_tokens = tokenize(query)
    for p in passages:
        indexed = p.meta.get("indexed_text") or p.text
        lexical = coverage(q_tokens, set(tokenize(indexed)), idf)
        p.meta["relevance"] = round(max(lexical, dense_relevance(p.dense_score)), 4)


def select_passages(passages: list[Passage], threshold: float, max_passages: int,
                    lexical_threshold: float | None = None) -> list[Passage]:
    """Best `max_passages` by fused score among those with relevance >= threshold, best last.

    Passages without a dense score (keyword evidence only) use `lexical_threshold` when given.
    """
    def bar(p: Passage) -> float:
        return threshold if p.dense_score is not None or lexical_threshold is None else lexical_threshold

    kept = [p for p in passages if p.meta.get("relevance", 0.0) >= bar(p)]
    kept.sort(key=lambda p: p.score, reverse=True)
    return list(reversed(kept[:max_passages]))
