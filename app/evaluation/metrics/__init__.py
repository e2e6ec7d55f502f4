"""Metrics over labelled sets, one module per kind; `evaluate_dataset` dispatches on the kind.

Answer sets (conversations) and retrieval sets (their items as one-turn conversations)
both get the answer-turn checks of `metrics/answer.py`.

Every evaluator returns `{"kind","n","metrics":{name: value in 0..1},"by_category":{...},
"misses":[...]}`; all metrics are higher-is-better so a baseline comparison needs no sign.
"""

from __future__ import annotations

from typing import Any, Callable

from app.evaluation.datasets import Dataset


def evaluate_dataset(dataset: Dataset, copilot: Any, kb: str | None = None, k: int = 10,
                     answers: bool = True, progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Metrics of one dataset against a wired copilot (retrieval sets also get answer metrics)."""
    from app.evaluation.metrics import answer, guard, retrieval, rewrite, split

    if dataset.kind == "answer":
        return answer.evaluate(dataset.items, copilot, kb, progress)
    if dataset.kind == "retrieval":
        labelled = [i for i in dataset.items if i["gold"]]  # exported feedback waits for labels
        result = retrieval.evaluate(labelled, copilot, kb, k, progress)
        result["unlabelled"] = len(dataset.items) - len(labelled)
        if answers:
            extra = answer.evaluate(labelled, copilot, kb, progress)
            result["metrics"].update(extra["metrics"])
            result["misses"] += extra["failures"][:15]
            result["answer_n"] = extra["n"]
            result["answer_by_category"] = extra["by_category"]
            result["answer_failures"] = extra["failures"]
        return result
    module = {"guard": guard, "split": split, "rewrite": rewrite}[dataset.kind]
    return module.evaluate(dataset.items, copilot, kb, progress)
