"""Split metrics: exact sub-question count and similarity of the sub-questions to the gold ones.

Similarity pairs each gold sub-question with its most similar predicted one (character
similarity, app.evaluation.metrics.text) and averages; a missing sub-question scores 0.
"""

from __future__ import annotations

from typing import Any, Callable

from app.evaluation.metrics.text import mean, similarity


def sub_question_similarity(predicted: list[str], gold: list[str]) -> float:
    if not gold:
        return 1.0 if not predicted else 0.0
    return mean([max((similarity(g, p) for p in predicted), default=0.0) for g in gold])


def evaluate(items: list[dict], copilot: Any, kb: str | None,
             progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    exact: list[float] = []
    sims: list[float] = []
    misses: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        predicted = copilot.analyze(item["message"], kb=kb).get("sub_questions") or []
        gold = item["sub_questions"]
        exact.append(float(len(predicted) == len(gold)))
        sims.append(sub_question_similarity(predicted, gold))
        if (len(predicted) != len(gold) or sims[-1] < 0.7) and len(misses) < 15:
            misses.append({"message": item["message"], "gold": gold, "predicted": predicted})
        if progress:
            progress(i + 1, len(items))
    return {"kind": "split", "n": len(items),
            "metrics": {"split_exact_count": round(mean(exact), 4), "split_similarity": round(mean(sims), 4)},
            "by_category": {}, "misses": misses}
