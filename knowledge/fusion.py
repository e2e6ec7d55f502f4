"""Reciprocal rank fusion of ranked candidate lists."""

from __future__ import annotations

from typing import Hashable, Sequence, TypeVar

Item = TypeVar("Item", bound=Hashable)


def rrf(rankings: Sequence[Sequence[Item]], k: int = 60, weights: Sequence[float] | None = None) -> dict[Item, float]:
    """score(d) = sum_i w_i / (k + rank_i(d)), ranks from 1; returns id -> score."""
    scores: dict[Item, float] = {}
    for i, ranking in enumerate(rankings):
        weight = weights[i] if weights else 1.0
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return scores
