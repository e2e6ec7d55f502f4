"""Rewrite metrics: key-term hit rate of the standalone question, forbidden terms avoided
(topic switches must drop the old subject), and similarity to the gold standalone question."""

from __future__ import annotations

from typing import Any, Callable

from app.evaluation.metrics.text import contains, mean, similarity


def evaluate(items: list[dict], copilot: Any, kb: str | None,
             progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    hits: list[float] = []
    avoided: list[float] = []
    sims: list[float] = []
    misses: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        standalone = copilot.analyze(item["message"], history=item["history"], kb=kb).get("standalone") or []
        text = " ".join(standalone)
        terms = item.get("key_terms") or []
        forbidden = item.get("forbidden_terms") or []
        hit = mean([float(contains(text, t)) for t in terms]) if terms else 1.0
        hits.append(hit)
        if forbidden:
            avoided.append(mean([float(not contains(text, t)) for t in forbidden]))
        sims.append(max((similarity(item["standalone"], s) for s in standalone), default=0.0))
        if (hit < 1.0 or (forbidden and avoided[-1] < 1.0)) and len(misses) < 15:
            misses.append({"message": item["message"], "gold": item["standalone"], "predicted": standalone})
        if progress:
            progress(i + 1, len(items))
    metrics = {"rewrite_key_terms": round(mean(hits), 4), "rewrite_similarity": round(mean(sims), 4)}
    if avoided:
        metrics["rewrite_forbidden_avoided"] = round(mean(avoided), 4)
    return {"kind": "rewrite", "n": len(items), "metrics": metrics, "by_category": {}, "misses": misses}
