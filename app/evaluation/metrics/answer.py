"""Answer metrics on retrieval items with gold sources and key facts, via full turns.

Each question is asked in a fresh session. Over the turns answered from knowledge:
citation precision (cited sources that are gold), citation hit (some cited source is
gold), key-fact containment (share of key facts in the reply), groundedness (share of
answer sentences supported by the cited passages, app.evaluation.grounding) and the
copilot's own grounded verdict. `knowledge_rate` is the share of questions routed to a
knowledge answer at all (the rest were refused or started a runbook).
"""

from __future__ import annotations

import uuid
from typing import Any, Callable

from app.evaluation.grounding import grounded_share
from app.evaluation.metrics.retrieval import is_gold
from app.evaluation.metrics.text import contains, mean


def score_answer(result: dict, gold: list[str], key_facts: list[str]) -> dict[str, float | None]:
    """Per-turn scores; None where a score does not apply (no citations, no key facts)."""
    sources = [c.get("source") or "" for c in result.get("citations") or []]
    answer = result.get("answer") or ""
    return {
        "citation_precision": mean([float(is_gold(s, gold)) for s in sources]) if sources else None,
        "citation_hit": float(any(is_gold(s, gold) for s in sources)),
        "key_facts": mean([float(contains(answer, f)) for f in key_facts]) if key_facts else None,
        "groundedness": grounded_share(result),
        "grounded_flag": float(bool(result.get("grounded"))),
    }


def evaluate(items: list[dict], copilot: Any, kb: str | None,
             progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    columns: dict[str, list[float]] = {k: [] for k in
                                       ("citation_precision", "citation_hit", "key_facts", "groundedness", "grounded_flag")}
    knowledge_turns = 0
    misses: list[dict[str, Any]] = []
    run = uuid.uuid4().hex[:8]
    for i, item in enumerate(items):
        result = copilot.ask(item["question"], f"metrics-{run}-{i}", kb=kb).to_json()
        if result.get("route") in ("knowledge", "mixed") and not result.get("refused"):
            knowledge_turns += 1
            scores = score_answer(result, item["gold"], item.get("key_facts") or [])
            for key, value in scores.items():
                if value is not None:
                    columns[key].append(value)
            if scores["key_facts"] is not None and scores["key_facts"] < 1.0 and len(misses) < 15:
                missing = [f for f in item.get("key_facts") or [] if not contains(result.get("answer") or "", f)]
                misses.append({"question": item["question"], "missing_facts": missing,
                               "cited": [c.get("source") for c in result.get("citations") or []]})
        if progress:
            progress(i + 1, len(items))
    metrics = {f"answer_{k}": round(mean(v), 4) for k, v in columns.items() if v}  # none scored: not applicable
    metrics["answer_knowledge_rate"] = round(knowledge_turns / len(items), 4) if items else 0.0
    return {"n": len(items), "metrics": metrics, "misses": misses}
