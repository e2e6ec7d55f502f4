"""What a turn was to the conversation, from its parts: the `decision` of TurnResult and `analyze`.

A reply to a waiting runbook carries its own (runbook_reply / control); a started runbook makes
`runbook_start`; otherwise the sub-questions' decisions, most telling first (a message with a
follow-up is a follow-up). Greetings and refusals have none. Also the card a paused runbook keeps
while a question is answered. Tests: tests/graph/test_dialogue_turns.py.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from graph.schema import RunbookSummary

ORDER = ("step_question", "new_question", "clarify", "follow_up", "new_topic")


def turn_decision(decisions: list[str], routes: list[str], explicit: str | None = None,
                  answered: bool = True) -> str | None:
    if explicit:
        return explicit
    if not answered:
        return None
    if "runbook" in routes:
        return "runbook_start"
    if decisions and all(d == "clarify" for d in decisions):
        return "clarify"
    present = [d for d in ORDER if d in decisions and d != "clarify"]
    return present[0] if present else ("new_topic" if decisions or routes else None)


def paused_runbook(run_state: Mapping[str, Any]) -> RunbookSummary:
    """The TurnResult `runbook` of a run that keeps waiting while the turn answered a question."""
    return {"id": str(run_state.get("runbook_id") or ""), "step": run_state.get("step"), "status": "waiting",
            "waiting": run_state.get("waiting"), "outputs": [], "paused": True}


def prompt_core(prompt: str) -> str:
    """"请提供云服务器的公网 IP 或域名" -> "云服务器的公网 IP 或域名"; "实例的操作系统是？（可选：…）" -> "实例的操作系统"."""
    import re

    text = re.sub(r"[（(][^）)]*[）)]", "", prompt or "")
    text = re.sub(r"^(?:请(?:先)?(?:提供|粘贴|填写|选择|回复|告诉我|输入)|请)\s*", "", text.strip())
    text = re.sub(r"(?:是|为)?\s*[？?：:]\s*$", "", text.strip()).replace("`", "")
    return text.strip(" ，,。") or (prompt or "").strip()
