"""Retrieval metrics: recall@k and MRR of the gold sources in the hybrid search ranking."""

from __future__ import annotations

from collections import defaultdict
from fnmatch import fnmatchcase
from typing import Any, Callable

from app.evaluation.metrics.text import mean

CUTOFFS = (1, 3, 5, 10)


def is_gold(source: str, gold: list[str]) -> bool:
    return any(source == g or fnmatchcase(source, g) for g in gold)


def ranked_sources(passages: list[Any]) -> list[str]:
    """Distinct sources in rank order (several chunks of one document count once)."""
    seen: list[str] = []
    for p in passages:
        source = p.source if hasattr(p, "source") else p["source"]
        if source not in seen:
            seen.append(source)
    return seen


def recall_at(ranked: list[str], gold: list[str], k: int) -> float:
    """Share of the gold sources found among the first k distinct sources."""
    found = sum(any(is_gold(s, [g]) for s in ranked[:k]) for g in gold)
    return found / len(gold) if gold else 0.0


def reciprocal_rank(ranked: list[str], gold: list[str]) -> float:
    for rank, source in enumerate(ranked, 1):
        if is_gold(source, gold):
            return 1.0 / rank
    return 0.0


def score_ranking(ranked: list[str], gold: list[str], cutoffs: tuple[int, ...] = CUTOFFS) -> dict[str, float]:
    scores = {f"recall@{k}": recall_at(ranked, gold, k) for k in cutoffs}
    scores["mrr"] = reciprocal_rank(ranked, gold)
    return scores


def aggregate(rows: list[dict[str, float]]) -> dict[str, float]:
    keys = rows[0].keys() if rows else []
    return {k: round(mean([r[k] for r in rows]), 4) for k in keys}


def evaluate(items: list[dict], copilot: Any, kb: str | None, k: int = 10,
             progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    knowledge = copilot.context.knowledge
    kb = kb or copilot.context.default_kb
    cutoffs = tuple(c for c in CUTOFFS if c <= k) or (k,)
    rows: list[Any] = []
    misses: list[dict[str, Any]] = []
    by_category: dict[str, list[dict[str, float]]] = defaultdict(list)
    for i, item in enumerate(items):
        ranked = ranked_sources(knowledge.search(item["question"], kb=kb, k=max(k * 3, 10)))[:k]
        row = score_ranking(ranked, item["gold"], cutoffs)
        rows.append(row)
        by_category[item.get("category") or "all"].append(row)
        if row["mrr"] == 0.0 and len(misses) < 15:
            misses.append({"question": item["question"], "gold": item["gold"], "top": ranked[:3]})
        if progress:
            progress(i + 1, len(items))
    return {"kind": "retrieval", "n": len(items), "metrics": aggregate(rows),
            "by_category": {c: {"n": len(r), **aggregate(r)} for c, r in sorted(by_category.items())},
            "misses": misses}
