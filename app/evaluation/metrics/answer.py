"""Answer metrics: conversations run turn by turn, each turn checked as a support agent reads it.

A conversation `{"id","kb","tags","turns":[{"message","gold","key_facts","forbidden","max_chars"}]}`
runs in a fresh session, one `copilot.ask` per turn. Each turn is checked on its answer
BODY (the reply without its trailing sources list), case- and whitespace-insensitively:

- facts: every key fact present (a fact is a string or a list of alternatives, one suffices);
- forbidden: no forbidden fact present;
- cites_gold: some cited source is a gold source (exact path or glob);
- length: the body is at most `max_chars` characters (no bound: passes).

`answer_pass` is the share of turns passing all four; `answer_hedged_right` the share of the passing
turns whose reply still opens with the "only partly matches" lead-in (a right answer the reader is
told not to trust: lower is better); the other rates are per check, plus
a per-tag breakdown (a turn counts under each tag of its conversation) and the failing
turns with what was missing. Flat items (`question` + `gold` [+ `key_facts`…], the
retrieval sets) are one-turn conversations. Also kept from the older metrics, over the
turns answered from knowledge: citation precision, key-fact share, groundedness
(app.evaluation.grounding), the copilot's own grounded verdict, and the knowledge rate.
Test: tests/eval/test_answer_metrics.py.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from typing import Any, Callable

from app.evaluation.grounding import grounded_share
from app.evaluation.metrics.retrieval import is_gold
from app.evaluation.metrics.text import mean
from graph.prompts import hedge_leads, sources_headings

CHECKS = ("facts", "forbidden", "cites_gold", "length")
RATES = {"facts": "answer_facts_complete", "forbidden": "answer_no_forbidden",
         "cites_gold": "answer_citation_hit", "length": "answer_within_length"}
"""Metric name of each check's pass rate (cites_gold keeps the older `answer_citation_hit` name)."""
_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    """Lower-cased, all whitespace removed: the comparison the set's checker uses."""
    return _WS.sub("", text or "").lower()


def answer_body(answer: str) -> str:
    """The reply without its trailing sources list (from the last `参考来源` heading line on)."""
    headings = set(sources_headings())
    lines = (answer or "").split("\n")
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip().strip("*#： :") in headings:
            return "\n".join(lines[:i]).rstrip()
    return (answer or "").rstrip()


def alternatives(fact: str | list[str]) -> list[str]:
    return [fact] if isinstance(fact, str) else list(fact)


def has_fact(body: str, fact: str | list[str]) -> bool:
    flat = squash(body)
    return any(squash(a) in flat for a in alternatives(fact) if a.strip())


def check_turn(result: dict, turn: dict) -> dict[str, Any]:
    """Per-turn verdicts `{check: bool}`, `passed`, and what was wrong (missing, found, cited, chars)."""
    body = answer_body(result.get("answer") or "")
    gold = list(turn.get("gold") or [])
    sources = [c.get("source") or "" for c in result.get("citations") or []]
    missing = [f for f in turn.get("key_facts") or [] if not has_fact(body, f)]
    found = [f for f in turn.get("forbidden") or [] if has_fact(body, f)]
    limit = turn.get("max_chars")
    verdicts = {
        "facts": not missing,
        "forbidden": not found,
        "cites_gold": any(is_gold(s, gold) for s in sources) if gold else True,
        "length": limit is None or len(body) <= int(limit),
    }
    return {**verdicts, "passed": all(verdicts.values()), "missing": missing, "forbidden_found": found,
            "cited": sources, "chars": len(body), "max_chars": limit, "hedged": hedged(body)}


def hedged(body: str) -> bool:
    """A part of the reply opens with the "only partly matches" lead-in (graph.passages.hedge)."""
    leads = hedge_leads()
    return any(line.lstrip().startswith(leads) for line in body.splitlines())


def legacy_scores(result: dict, turn: dict) -> dict[str, float | None]:
    """The older per-turn answer scores (None where one does not apply)."""
    sources = [c.get("source") or "" for c in result.get("citations") or []]
    facts = turn.get("key_facts") or []
    body = answer_body(result.get("answer") or "")
    return {
        "citation_precision": mean([float(is_gold(s, turn["gold"])) for s in sources]) if sources else None,
        "key_facts": mean([float(has_fact(body, f)) for f in facts]) if facts else None,
        "groundedness": grounded_share(result),
        "grounded_flag": float(bool(result.get("grounded"))),
    }


def as_conversation(item: dict, index: int) -> dict:
    """A conversation as is; a flat item (`question` + `gold` …) as a one-turn conversation."""
    if "turns" in item:
        return item
    tags = list(item.get("tags") or ([item["category"]] if item.get("category") else []))
    turn = {key: item[key] for key in ("gold", "key_facts", "forbidden", "max_chars") if key in item}
    return {"id": item.get("id") or f"item-{index + 1}", "kb": item.get("kb"), "tags": tags,
            "turns": [{"message": item["question"], **turn}]}


def _kb_for(copilot: Any, kb: str | None, conversation: dict) -> str | None:
    """The --kb given, else the conversation's own base when it exists, else the default."""
    if kb:
        return kb
    named = conversation.get("kb")
    knowledge = getattr(getattr(copilot, "context", None), "knowledge", None)
    return named if named and knowledge is not None and knowledge.has_kb(named) else None


def _rates(rows: list[dict[str, Any]]) -> dict[str, float]:
    out = {"answer_pass": round(mean([float(r["passed"]) for r in rows]), 4)}
    out.update({RATES[c]: round(mean([float(r[c]) for r in rows]), 4) for c in CHECKS})
    right = [float(r["hedged"]) for r in rows if r["passed"]]
    out["answer_hedged_right"] = round(mean(right), 4) if right else 0.0
    return out


def evaluate(items: list[dict], copilot: Any, kb: str | None,
             progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Run every conversation (fresh session each) and score each turn; the dataset's result."""
    conversations = [as_conversation(item, i) for i, item in enumerate(items)]
    total = sum(len(c["turns"]) for c in conversations)
    rows: list[dict[str, Any]] = []
    by_tag: dict[str, list[dict[str, Any]]] = defaultdict(list)
    legacy: dict[str, list[float]] = defaultdict(list)
    failures: list[dict[str, Any]] = []
    hedged_right: list[dict[str, Any]] = []
    knowledge_turns = 0
    run = uuid.uuid4().hex[:8]
    for ci, conversation in enumerate(conversations):
        session = f"answers-{run}-{ci}"
        base = _kb_for(copilot, kb, conversation)
        for ti, turn in enumerate(conversation["turns"], 1):
            result = copilot.ask(turn["message"], session, kb=base).to_json()
            row = check_turn(result, turn)
            rows.append(row)
            for tag in conversation.get("tags") or ["all"]:
                by_tag[tag].append(row)
            if result.get("route") in ("knowledge", "mixed") and not result.get("refused"):
                knowledge_turns += 1
                for key, value in legacy_scores(result, turn).items():
                    if value is not None:
                        legacy[key].append(value)
            if not row["passed"]:
                failures.append({"id": conversation.get("id"), "turn": ti, "message": turn["message"],
                                 "failed": [c for c in CHECKS if not row[c]], "missing": row["missing"],
                                 "forbidden_found": row["forbidden_found"], "cited": row["cited"],
                                 "gold": turn.get("gold"), "chars": row["chars"], "max_chars": row["max_chars"],
                                 "route": result.get("route")})
            elif row["hedged"]:
                hedged_right.append({"id": conversation.get("id"), "turn": ti, "message": turn["message"]})
            if progress:
                progress(len(rows), total)
    metrics = _rates(rows) if rows else {}
    metrics.update({f"answer_{k}": round(mean(v), 4) for k, v in legacy.items() if v})
    metrics["answer_knowledge_rate"] = round(knowledge_turns / len(rows), 4) if rows else 0.0
    by_category = {tag: {"n": len(tag_rows), **_rates(tag_rows)} for tag, tag_rows in sorted(by_tag.items())}
    return {"kind": "answer", "n": len(rows), "conversations": len(conversations), "metrics": metrics,
            "by_category": by_category, "failures": failures, "misses": failures,
            "hedged_right": hedged_right}
