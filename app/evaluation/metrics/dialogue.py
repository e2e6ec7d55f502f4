"""Dialogue metrics: multi-turn conversations run through the real graph, one fresh session each.

Items (tests/data/dialogue_eval/*.jsonl): `{"id","kb","tags",["history"],"turns":[{"message",
"handled_by","decision",["key_terms"],["forbidden_terms"],["runbook"]}]}`. The history, when
given, is seeded into the session first. Per turn it checks what the user would see:

- standalone key terms: every key term (a string or a list of alternatives) is in the turn's
  standalone questions (turns answered as questions);
- no leakage: no forbidden term of the old topic is in them;
- handling: the message went where it should — to the runbook (start, slot reply, control
  word), answered as a question (also while a runbook waits, which must still wait after),
  or answered with one clarifying question (route `clarify`);
- decision: the copilot's own `decision` field (follow_up / new_topic / clarify /
  runbook_start / runbook_reply / control / step_question / new_question).

Handling is read from the result (route, sections), not from the decision the copilot reports.
"""

from __future__ import annotations

import uuid
from typing import Any, Callable

from app.evaluation.metrics.text import contains, mean

CONTROL_WORDS = ("skip", "跳过", "exit", "quit", "stop", "cancel", "退出", "算了", "不查了", "停", "approve",
                 "reject", "批准", "同意", "拒绝")
WHILE_WAITING = ("runbook_reply", "control", "step_question", "new_question")


def _terms_hit(text: str, items: list[Any]) -> bool:
    return all(any(contains(text, alt) for alt in ([item] if isinstance(item, str) else item)) for item in items)


def handled_as(result: dict[str, Any]) -> str:
    """Where the turn went, as the user sees it: runbook, clarify or question."""
    if result.get("route") in ("clarify", "error"):
        return str(result["route"])
    if any(s.get("route") == "runbook" for s in result.get("sections") or []) or (
            result.get("route") == "runbook" and not result.get("sections")):
        return "runbook"
    return "question"


def inferred_decision(result: dict[str, Any], message: str, waiting_before: bool) -> str:
    """The decision of a copilot that does not report one (the baseline): from what it did."""
    if waiting_before:
        lowered = message.strip().lower()
        return "control" if any(w == lowered or w in lowered[:6] for w in CONTROL_WORDS) else "runbook_reply"
    if handled_as(result) == "runbook":
        return "runbook_start"
    if handled_as(result) == "clarify":
        return "clarify"
    standalone = result.get("standalone") or []
    return "follow_up" if standalone and standalone != (result.get("sub_questions") or []) else "new_topic"


def run_conversation(item: dict[str, Any], copilot: Any, kb: str | None) -> list[dict[str, Any]]:
    """Every turn of one conversation with what was expected and what happened."""
    session = f"dialogue-{item.get('id', 'x')}-{uuid.uuid4().hex[:8]}"
    if item.get("history"):
        copilot.seed_history(session, item["history"])
    rows = []
    for turn in item["turns"]:
        waiting_before = copilot.waiting(session) is not None
        try:
            result = copilot.ask(turn["message"], session, kb=kb).to_json()
        except Exception as exc:  # a crash is a failed turn, reported; the conversation goes on
            result = {"route": "error", "error": f"{type(exc).__name__}: {exc}"[:200]}
        waiting_after = copilot.waiting(session) is not None
        rows.append({
            "turn": turn,
            "standalone": list(result.get("standalone") or []),
            "handled": handled_as(result),
            "decision": result.get("decision") or inferred_decision(result, turn["message"], waiting_before),
            "reported": "decision" in result,
            "runbook": (result.get("runbook") or {}).get("id"),
            "waiting_before": waiting_before,
            "waiting_after": waiting_after,
            "route": result.get("route"),
            "error": result.get("error"),
        })
    return rows


def score_turns(rows: list[dict[str, Any]], max_misses: int = 40) -> dict[str, Any]:
    """The metrics and misses of the turns of every conversation."""
    keys, leaks, answered, kept, replies, starts, clarify, handled, decided, nonempty = ([] for _ in range(10))
    by_decision: dict[str, list[float]] = {}
    misses: list[dict[str, Any]] = []
    for row in rows:
        turn, text = row["turn"], " ".join(row["standalone"])
        want = turn["decision"]
        problems = []
        ok_handled = row["handled"] == turn["handled_by"]
        handled.append(float(ok_handled))
        decided.append(float(row["decision"] == want))
        by_decision.setdefault(want, []).append(float(ok_handled and row["decision"] == want))
        if not ok_handled:
            problems.append(f"handled {row['handled']} (want {turn['handled_by']})")
        if row["decision"] != want:
            problems.append(f"decision {row['decision']} (want {want})")
        if turn["handled_by"] == "question":
            nonempty.append(float(bool(text.strip())))
            if turn.get("key_terms"):
                keys.append(float(_terms_hit(text, turn["key_terms"])))
                if not keys[-1]:
                    problems.append(f"key terms {turn['key_terms']}")
        if turn.get("forbidden_terms"):
            leaked = [t for t in turn["forbidden_terms"] if contains(text, t)]
            leaks.append(float(not leaked))
            if leaked:
                problems.append(f"leaked {leaked}")
        if want in ("new_question", "step_question"):
            answered.append(float(ok_handled))
            kept.append(float(row["waiting_after"]))
            if not row["waiting_after"]:
                problems.append("runbook no longer waits")
        if want in ("runbook_reply", "control"):
            replies.append(float(ok_handled))
        if want == "runbook_start":
            starts.append(float(row["runbook"] == turn.get("runbook") and ok_handled))
            if row["runbook"] != turn.get("runbook"):
                problems.append(f"runbook {row['runbook']} (want {turn.get('runbook')})")
        if want == "clarify":
            clarify.append(float(ok_handled))
        if row.get("error"):
            problems.append(row["error"])
        if problems and len(misses) < max_misses:
            misses.append({"id": row["id"], "message": turn["message"], "standalone": row["standalone"],
                           "problems": problems})
    metrics = {
        "dialogue_key_terms": mean(keys), "dialogue_no_leakage": mean(leaks),
        "dialogue_questions_answered": mean(answered), "dialogue_runbook_kept": mean(kept),
        "dialogue_replies_taken": mean(replies), "dialogue_runbook_started": mean(starts),
        "dialogue_clarify": mean(clarify), "dialogue_handled": mean(handled), "dialogue_decision": mean(decided),
        "dialogue_standalone_nonempty": mean(nonempty),
    }
    counts = {"key_terms": len(keys), "forbidden": len(leaks), "questions_while_waiting": len(answered),
              "replies": len(replies), "starts": len(starts), "clarify": len(clarify), "turns": len(rows)}
    sizes = {"dialogue_key_terms": keys, "dialogue_no_leakage": leaks, "dialogue_questions_answered": answered,
             "dialogue_runbook_kept": kept, "dialogue_replies_taken": replies, "dialogue_runbook_started": starts,
             "dialogue_clarify": clarify, "dialogue_standalone_nonempty": nonempty}
    return {"metrics": {k: round(v, 4) for k, v in metrics.items() if k not in sizes or sizes[k]},
            "by_category": {k: round(mean(v), 4) for k, v in sorted(by_decision.items())},
            "counts": counts, "misses": misses}


def evaluate(items: list[dict], copilot: Any, kb: str | None,
             progress: Callable[[int, int], None] | None = None, max_misses: int = 40) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    reported = True
    for i, item in enumerate(items):
        for row in run_conversation(item, copilot, kb or item.get("kb")):
            rows.append({**row, "id": item.get("id")})
            reported = reported and row["reported"]
        if progress:
            progress(i + 1, len(items))
    scored = score_turns(rows, max_misses)
    return {"kind": "dialogue", "n": len(items), "turns": len(rows), "decisions_reported": reported, **scored}
