"""Builds the conversation graph (and the analysis-only graph used by `analyze`).

    turn = build_graph(checkpointer)        # full turn, per-thread state, interrupts
    analysis = build_analysis_graph()       # guard -> split -> rewrite -> route, no answer
    turn.invoke(TurnInput, config, context=GraphContext(...))

`langgraph.json` points LangGraph's server/studio at `app/wiring.py:studio_graph`, which
builds the backends from settings and passes them as `default_context`.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Annotated, Any, Callable, Optional, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from graph.context import GraphContext
from graph.nodes.answer import answer
from graph.nodes.clarify import clarify
from graph.nodes.compose import compose
from graph.nodes.general import general
from graph.nodes.guard import guard
from graph.nodes.investigate import (investigate_approval, investigate_fallback, investigate_finish, investigate_model,
                                     investigate_runbook, investigate_start, investigate_tools, investigate_wait)
from graph.nodes.refuse import refuse
from graph.nodes.retrieve import retrieve
from graph.nodes.rewrite import rewrite
from graph.nodes.route import route
from graph.nodes.runbook import runbook, runbook_step, runbook_wait
from graph.nodes.select import select
from graph.nodes.split import split
from graph.nodes.verify import verify
from graph.routing import (BRANCHES, after_compose, after_fallback, after_guard, after_model, after_tools, fan_out,
                           investigation_entry, resume_investigation)
from graph.state import ConversationState, InvestigationState, QuestionState, TurnInput, merge_trace, reset_sections


class SectionOutput(TypedDict):
    """What a per-sub-question branch hands back to the turn."""

    sections: Annotated[list[dict], reset_sections]
    """The branch's section."""


class InvestigationOutput(TypedDict):
    """What an investigation hands back to the turn: its section and its outcome for the trace."""

    sections: Annotated[list[dict], reset_sections]
    trace: Annotated[dict[str, Any], merge_trace]


class AnalysisInput(TurnInput, total=False):
    """`analyze` input: a message with an explicit history."""

    messages: list[dict]
    """Earlier conversation `{"role","content"}`."""
    runbook: Optional[dict]
    """A runbook waiting for the agent (`{"runbook_id","waiting"}`): questions are step or new questions."""


def with_default_context(node: Callable, default: GraphContext | None) -> Callable:
    """For LangGraph's own server, which cannot pass live backends: use `default` when the run has no context."""
    if default is None:
        return node

    @functools.wraps(node)
    def wrapped(state: Any, runtime: Runtime) -> Any:
        if not isinstance(runtime.context, GraphContext):
            runtime = dataclasses.replace(runtime, context=default)
        return node(state, runtime)

    return wrapped


def build_knowledge_graph(default_context: GraphContext | None = None) -> Any:
    """retrieve -> select -> answer -> verify for one sub-question."""
    sub = StateGraph(QuestionState, context_schema=GraphContext, output_schema=SectionOutput)
    steps = (("retrieve", retrieve), ("select", select), ("answer", answer), ("verify", verify))
    previous = START
    for name, node in steps:  # a chain in this order
        sub.add_node(name, with_default_context(node, default_context))
        sub.add_edge(previous, name)
        previous = name
    sub.add_edge(previous, END)
    return sub.compile(name="knowledge")


def build_investigation_graph(default_context: GraphContext | None = None) -> Any:
    """start -> model <-> tools -> finish for one sub-question (approval: re-entered at investigate_approval);
    unusable model output -> fallback -> the runbook, or a knowledge answer (the knowledge subgraph)."""
    sub = StateGraph(InvestigationState, context_schema=GraphContext, output_schema=InvestigationOutput)
    for name, node in (("investigate_start", investigate_start), ("investigate_model", investigate_model),
                       ("investigate_tools", investigate_tools), ("investigate_approval", investigate_approval),
                       ("investigate_finish", investigate_finish), ("investigate_fallback", investigate_fallback),
                       ("investigate_runbook", investigate_runbook)):
        sub.add_node(name, with_default_context(node, default_context))
    sub.add_node("investigate_knowledge", build_knowledge_graph(default_context))
    sub.add_conditional_edges(START, investigation_entry, ["investigate_start", "investigate_approval"])
    sub.add_edge("investigate_start", "investigate_model")
    sub.add_conditional_edges("investigate_model", after_model, ["investigate_tools", "investigate_model",
                                                                 "investigate_finish", "investigate_fallback"])
    for name in ("investigate_tools", "investigate_approval"):
        sub.add_conditional_edges(name, after_tools, ["investigate_model", "investigate_finish"])
    sub.add_conditional_edges("investigate_fallback", after_fallback, ["investigate_runbook", "investigate_knowledge"])
    for name in ("investigate_finish", "investigate_runbook", "investigate_knowledge"):
        sub.add_edge(name, END)
    return sub.compile(name="investigate")


def _understanding(builder: StateGraph, default_context: GraphContext | None = None) -> None:
    for name, node in (("guard", guard), ("split", split), ("rewrite", rewrite), ("route", route)):
        builder.add_node(name, with_default_context(node, default_context))
    builder.add_edge(START, "guard")
    builder.add_edge("split", "rewrite")
    builder.add_edge("rewrite", "route")


def build_graph(checkpointer: Any = None, default_context: GraphContext | None = None) -> Any:
    """The full turn graph; with a checkpointer, state persists per thread and runbooks can pause.

    `default_context` is only for hosts that cannot pass `context=` (LangGraph's server).
    """
    builder = StateGraph(ConversationState, context_schema=GraphContext, input_schema=TurnInput)
    _understanding(builder, default_context)
    builder.add_node("knowledge", build_knowledge_graph(default_context))
    builder.add_node("investigate", build_investigation_graph(default_context))
    for name, node in (("runbook", runbook), ("general", general), ("refuse", refuse), ("compose", compose),
                       ("runbook_wait", runbook_wait), ("runbook_step", runbook_step),
                       ("investigate_wait", investigate_wait)):
        waits = name in ("runbook_wait", "investigate_wait")  # interrupt only; no backends needed
        builder.add_node(name, node if waits else with_default_context(node, default_context))
    builder.add_node("clarify", clarify)
    builder.add_conditional_edges("guard", after_guard, ["split", "compose"])
    builder.add_conditional_edges("route", fan_out, [*BRANCHES, "compose"])
    for branch in BRANCHES:
        builder.add_edge(branch, "compose")
    builder.add_conditional_edges("compose", after_compose, ["runbook_wait", "investigate_wait", END])
    builder.add_edge("runbook_wait", "runbook_step")
    builder.add_edge("runbook_step", "compose")
    builder.add_conditional_edges("investigate_wait", resume_investigation, ["investigate"])
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


