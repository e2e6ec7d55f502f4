"""Refusal (guard) metrics: accuracy, per-class precision/recall/F1, accuracy per category.

The guard's verdict comes from `Copilot.analyze`: greet, refuse (not in domain) or answer.
`refuse_f1` treats refusal as the positive class (the figure that matters most).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable

CLASSES = ("answer", "refuse", "greet")


def verdict(analysis: dict) -> str:
    if analysis.get("guard") == "greet":
        return "greet"
    return "answer" if analysis.get("in_domain") else "refuse"


def class_scores(pairs: list[tuple[str, str]], cls: str) -> dict[str, float]:
    """Precision, recall and F1 of one class over (expected, predicted) pairs."""
    tp = sum(e == cls and p == cls for e, p in pairs)
    fp = sum(e != cls and p == cls for e, p in pairs)
    fn = sum(e == cls and p != cls for e, p in pairs)
    precision = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def accuracy(pairs: list[tuple[str, str]]) -> float:
    return round(sum(e == p for e, p in pairs) / len(pairs), 4) if pairs else 0.0


def evaluate(items: list[dict], copilot: Any, kb: str | None,
             progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    pairs: list[tuple[str, str]] = []
    by_category: dict[str, list[tuple[str, str]]] = defaultdict(list)
    misses: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        predicted = verdict(copilot.analyze(item["message"], kb=kb))
        pair = (item["expected"], predicted)
        pairs.append(pair)
        by_category[item.get("category") or "all"].append(pair)
        if pair[0] != pair[1] and len(misses) < 20:
            misses.append({"message": item["message"], "expected": pair[0], "predicted": pair[1],
                           "category": item.get("category")})
        if progress:
            progress(i + 1, len(items))
    metrics = {"guard_accuracy": accuracy(pairs)}
    for cls in CLASSES:
        if any(e == cls for e, _ in pairs):
            for key, value in class_scores(pairs, cls).items():
                metrics[f"{cls}_{key}"] = value
    categories = {}
    for category, rows in sorted(by_category.items()):
        categories[category] = {"n": len(rows), "accuracy": accuracy(rows)}
        for cls in CLASSES:
            if any(e == cls for e, _ in rows):
                categories[category][f"{cls}_f1"] = class_scores(rows, cls)["f1"]
    return {"kind": "guard", "n": len(items), "metrics": metrics, "by_category": categories, "misses": misses}
