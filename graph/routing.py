"""Pure routing functions of the graph: state in, next node(s) out."""

from __future__ import annotations

from typing import Literal

from langgraph.graph import END
from langgraph.types import Send

from graph.state import ConversationState

BRANCHES = ("knowledge", "runbook", "general", "refuse")


def after_guard(state: ConversationState) -> Literal["split", "compose"]:
    """Greetings and off-domain messages go straight to the reply."""
    return "split" if (state.get("guard") or {}).get("kind") == "answer" else "compose"


def fan_out(state: ConversationState) -> list[Send] | Literal["compose"]:
    """One branch per sub-question, to the node of its route."""
    questions = state.get("standalone") or []
    routes = state.get("routes") or []
    if not questions:
        return "compose"
    sends = []
    for index, (question, standalone, decision) in enumerate(zip(state.get("sub_questions") or questions,
                                                                 questions, routes)):
        target = decision.get("route", "knowledge")
        sends.append(Send(target if target in BRANCHES else "knowledge", {
            "index": index, "question": question, "standalone": standalone, "route": decision,
            "kb": state.get("kb"), "user": state.get("user", "local"), "session": state.get("session", ""),
            "searched": state.get("searched") or {},
        }))
    return sends


def after_compose(state: ConversationState) -> Literal["runbook_wait", "__end__"]:
    """A runbook waiting for the agent pauses the turn; otherwise the turn ends."""
    return "runbook_wait" if state.get("runbook") else END
