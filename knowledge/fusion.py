"""Fusion of ranked candidate lists: reciprocal rank fusion, or min-max normalised scores.

RRF ignores how far apart the scores are: with a dense list much weaker than the keyword
list (colloquial questions, small e5 model) any chunk found by both outranks the keyword
list's clear winner, whatever the dense weight. Score fusion keeps the margins: keyword
scores (BM25-based, 0 = no evidence) are divided by the best one; cosine similarities
(which crowd into a narrow band, e5 puts unrelated text near 0.75) are scaled min-max over
the candidates; then they are added with weights. Dense top ranks (`dense_top_bonus`) trust
the vectors even less: keyword scores by the best one, plus a small bonus for the few chunks
the vectors rank first, so they reorder near-ties of the keyword list and never its clear
winner (on the corpora base the only fusion not below keyword search on either half).
"""

from __future__ import annotations

from typing import Hashable, Sequence, TypeVar

K = TypeVar("K", bound=Hashable)


def rrf(rankings: Sequence[Sequence[Hashable]], k: int = 60, weights: Sequence[float] | None = None) -> dict[Hashable, float]:
    """score(d) = sum_i w_i / (k + rank_i(d)), ranks from 1; returns id -> score."""
    scores: dict[Hashable, float] = {}
    for i, ranking in enumerate(rankings):
        weight = weights[i] if weights else 1.0
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return scores


def minmax(scored: Sequence[tuple[K, float]]) -> dict[K, float]:
    """id -> score scaled to 0..1 over the list (all 1.0 when the scores are equal)."""
    if not scored:
        return {}
    values = [s for _, s in scored]
    low, high = min(values), max(values)
    span = high - low
    return {item: (s - low) / span if span > 0 else 1.0 for item, s in scored}


def by_best(scored: Sequence[tuple[K, float]]) -> dict[K, float]:
    """id -> score / best score (for scores whose 0 means "no evidence")."""
    best = max((s for _, s in scored), default=0.0)
    return {item: s / best if best > 0 else 0.0 for item, s in scored}


def score_fusion(keyword: Sequence[tuple[K, float]], dense: Sequence[tuple[K, float]], dense_weight: float) -> dict[K, float]:
    """score(d) = keyword(d) / best keyword + dense_weight * minmax(dense)(d); returns id -> score."""
    scores = by_best(keyword)
    for item, value in minmax(dense).items():
        scores[item] = scores.get(item, 0.0) + dense_weight * value
    return scores


def dense_top_bonus(keyword: Sequence[tuple[K, float]], dense: Sequence[tuple[K, float]], weight: float,
                    top: int) -> dict[K, float]:
    """score(d) = keyword(d) / best keyword + weight * (1 - (r - 1) / top) for dense rank r <= top; id -> score."""
    scores = by_best(keyword)
    for rank, (item, _) in enumerate(dense[:top]):
        scores[item] = scores.get(item, 0.0) + weight * (1 - rank / top)
    return scores
