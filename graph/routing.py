"""Pure routing functions of the graph: state in, next node(s) out."""

from __future__ import annotations

from typing import Literal

from langgraph.graph import END
from langgraph.types import Send

from graph.prior import prior_answer
from graph.state import ConversationState, InvestigationState

BRANCHES = ("knowledge", "runbook", "investigate", "general", "refuse", "clarify")


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
    decisions, focus = state.get("decisions") or [], state.get("focus") or []
    prior = prior_answer(state.get("messages") or [])
    for index, (question, standalone, decision) in enumerate(zip(state.get("sub_questions") or questions,
                                                                 questions, routes)):
        target = decision.get("route", "knowledge")
        sends.append(Send(target if target in BRANCHES else "knowledge", {
            "index": index, "count": len(questions), "question": question, "standalone": standalone, "route": decision,
            "kb": state.get("kb"), "user": state.get("user", "local"), "session": state.get("session", ""),
            "searched": state.get("searched") or {}, "lang": state.get("lang") or "zh",
            "decision": decisions[index] if index < len(decisions) else "",
            "focus": focus[index] if index < len(focus) else "", "prior": prior,
            "siblings": [other for i, other in enumerate(questions) if i != index],
        }))
    return sends


def after_compose(state: ConversationState) -> Literal["runbook_wait", "investigate_wait", "__end__"]:
    """A runbook or an investigation waiting for the agent pauses the turn; otherwise the turn ends."""
    if state.get("runbook"):
        return "runbook_wait"
    return "investigate_wait" if state.get("investigation") else END


def resume_investigation(state: ConversationState) -> list[Send]:
    """The agent's reply goes back into the investigation subgraph, at its approval step."""
    paused = state.get("investigation") or {}
    return [Send("investigate", {
        "index": 0, "question": paused.get("question", ""), "standalone": paused.get("standalone", ""),
        "route": paused.get("route") or {"route": "investigate"}, "kb": state.get("kb"),
        "user": state.get("user", "local"), "session": state.get("session", ""), "searched": {},
        "paused": paused, "reply": state.get("investigation_reply") or "",
    })]


# -- inside the investigation subgraph ------------------------------------------------------

def investigation_entry(state: InvestigationState) -> Literal["investigate_start", "investigate_approval"]:
    """A fresh investigation starts; a resumed one continues with the agent's approval decision."""
    return "investigate_approval" if state.get("paused") else "investigate_start"


def after_model(state: InvestigationState) -> Literal["investigate_tools", "investigate_model",
                                                      "investigate_finish", "investigate_fallback"]:
    status = state["agent"]["status"]
    if status == "tools":
        return "investigate_tools"
    if status == "model":
        return "investigate_model"  # a repair request, asked once
    return "investigate_fallback" if status == "fallback" else "investigate_finish"


def after_tools(state: InvestigationState) -> Literal["investigate_model", "investigate_finish"]:
    """Results go back to the model, unless the investigation waits for an approval or has stopped."""
    return "investigate_model" if state["agent"]["status"] == "model" else "investigate_finish"


def after_fallback(state: InvestigationState) -> Literal["investigate_runbook"] | list[Send]:
    """Unusable model output: the matched runbook (deterministic), else a knowledge answer."""
    agent = state["agent"]
    if agent.get("plan"):
        return "investigate_runbook"
    route = {**state["route"], "route": "knowledge", "reason": f"investigation fallback: {agent.get('detail', '')}"}
    return [Send("investigate_knowledge", {
        "index": state["index"], "question": state["question"], "standalone": state["standalone"], "route": route,
        "kb": state.get("kb"), "user": state.get("user", "local"), "session": state.get("session", ""),
        "searched": state.get("searched") or {},
    })]
