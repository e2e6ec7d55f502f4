"""Builds the conversation graph (and the analysis-only graph used by `analyze`).

    turn = build_graph(checkpointer)        # full turn, per-thread state, interrupts
    analysis = build_analysis_graph()       # guard -> split -> rewrite -> route, no answer
    turn.invoke(TurnInput, config, context=GraphContext(...))

`langgraph.json` points LangGraph's server/studio at `graph.builder:studio_graph`.
"""

from __future__ import annotations

from typing import Any, TypedDict, Annotated

from langgraph.graph import END, START, StateGraph

from graph.context import GraphContext
from graph.nodes.answer import answer
from graph.nodes.compose import compose
from graph.nodes.general import general
from graph.nodes.guard import guard
from graph.nodes.refuse import refuse
from graph.nodes.retrieve import retrieve
from graph.nodes.rewrite import rewrite
from graph.nodes.route import route
from graph.nodes.runbook import runbook, runbook_step, runbook_wait
from graph.nodes.select import select
from graph.nodes.split import split
from graph.nodes.verify import verify
from graph.routing import BRANCHES, after_compose, after_guard, fan_out
from graph.state import ConversationState, QuestionState, TurnInput, reset_sections


class SectionOutput(TypedDict):
    """What a per-sub-question branch hands back to the turn."""

    sections: Annotated[list[dict], reset_sections]
    """The branch's section."""


class AnalysisInput(TurnInput, total=False):
    """`analyze` input: a message with an explicit history."""

    messages: list[dict]
    """Earlier conversation `{"role","content"}`."""


def build_knowledge_graph() -> Any:
    """retrieve -> select -> answer -> verify for one sub-question."""
    sub = StateGraph(QuestionState, context_schema=GraphContext, output_schema=SectionOutput)
    sub.add_node("retrieve", retrieve)
    sub.add_node("select", select)
    sub.add_node("answer", answer)
    sub.add_node("verify", verify)
    sub.add_edge(START, "retrieve")
    sub.add_edge("retrieve", "select")
    sub.add_edge("select", "answer")
    sub.add_edge("answer", "verify")
    sub.add_edge("verify", END)
    return sub.compile(name="knowledge")


def _understanding(builder: StateGraph) -> None:
    builder.add_node("guard", guard)
    builder.add_node("split", split)
    builder.add_node("rewrite", rewrite)
    builder.add_node("route", route)
    builder.add_edge(START, "guard")
    builder.add_edge("split", "rewrite")
    builder.add_edge("rewrite", "route")


def build_graph(checkpointer: Any = None) -> Any:
    """The full turn graph; with a checkpointer, state persists per thread and runbooks can pause."""
    builder = StateGraph(ConversationState, context_schema=GraphContext, input_schema=TurnInput)
    _understanding(builder)
    builder.add_node("knowledge", build_knowledge_graph())
    builder.add_node("runbook", runbook)
    builder.add_node("general", general)
    builder.add_node("refuse", refuse)
    builder.add_node("compose", compose)
    builder.add_node("runbook_wait", runbook_wait)
    builder.add_node("runbook_step", runbook_step)
    builder.add_conditional_edges("guard", after_guard, ["split", "compose"])
    builder.add_conditional_edges("route", fan_out, [*BRANCHES, "compose"])
    for branch in BRANCHES:
        builder.add_edge(branch, "compose")
    builder.add_conditional_edges("compose", after_compose, ["runbook_wait", END])
    builder.add_edge("runbook_wait", "runbook_step")
    builder.add_edge("runbook_step", "compose")
    return builder.compile(checkpointer=checkpointer, name="smart-copilot")


def build_analysis_graph() -> Any:
    """guard -> split -> rewrite -> route, nothing answered (the `analyze` command)."""
    builder = StateGraph(ConversationState, context_schema=GraphContext, input_schema=AnalysisInput)
    _understanding(builder)
    builder.add_conditional_edges("guard", after_guard, {"split": "split", "compose": END})
    builder.add_edge("route", END)
    return builder.compile(name="smart-copilot-analysis")


def mermaid() -> str:
    """The turn graph drawn in Mermaid, subgraph expanded (snapshot-tested)."""
    return build_graph().get_graph(xray=True).draw_mermaid()


def studio_graph() -> Any:
    """For `langgraph dev` / LangGraph Studio: the graph without a checkpointer (the server brings one).

    The server must supply `context` (a GraphContext); see docs/readme-graph.md.
    """
    return build_graph()
