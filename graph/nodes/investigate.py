"""investigate: the model investigates a troubleshooting question with the diagnostic tools.

The nodes of the investigation subgraph (graph/builder.py::build_investigation_graph):
`investigate_start` (passages, the matched runbook as plan, the tools) -> `investigate_model`
(one model turn) <-> `investigate_tools` (its calls through the tool registry) ->
`investigate_finish` (the cited conclusion and the hand-off summary, or the approval the
investigation waits for). A changes_something call pauses the turn: the section carries
the investigation's state, compose keeps it, `investigate_wait` (top level) interrupts,
and the reply re-enters the subgraph at `investigate_approval`. Unusable model output
(malformed twice, a backend error) goes to `investigate_fallback`: the runbook when one
matched, else a knowledge answer, with the reason in the trace. The logic lives in
graph/investigation/; tests: `pytest tests/graph/test_investigate.py`.
"""

from __future__ import annotations

import time

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from graph.context import GraphContext
from graph.investigation.handoff import conclusion, handoff_summary, public_summary
from graph.investigation.loop import decide, model_turn, new_agent, run_calls, waiting_request
from graph.investigation.prompting import opening, plan_text
from graph.passages import from_state, to_state
from graph.progress import Stage, progress, token
from graph.runbook_section import runbook_section
from graph.schema import AdapterChoiceData, InvestigationData, PassageData, make_section
from graph.state import ConversationState, InvestigationState
from graph.waiting import resumed_turn


def _passages(ctx: GraphContext, state: InvestigationState) -> list[PassageData]:
    limit = ctx.settings.investigate.max_passages
    if limit == 0:
        return []
    query = state["standalone"]
    known = (state.get("searched") or {}).get(query)
    found = known if known is not None else [to_state(p) for p in ctx.knowledge.search(
        query, kb=ctx.kb_name(state.get("kb")), k=ctx.settings.retrieve_k)]
    chosen = ctx.knowledge.select(query, [from_state(p) for p in found], max_passages=limit)
    return [to_state(p) for p in reversed(chosen)]  # select puts the best last; the model reads [1] first


def investigate_start(state: InvestigationState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context
    progress(runtime, Stage.RETRIEVE, section=state["index"])
    route = state["route"]
    plan = route.get("runbook") if ctx.runbooks is not None else None
    runbook = ctx.runbooks.get(plan) if plan and ctx.runbooks is not None else None
    passages = _passages(ctx, state)
    messages = opening(state["standalone"], plan_text(runbook), passages)
    adapter: AdapterChoiceData = route.get("adapter_choice") or {"name": None, "weights": {}, "reason": ""}
    return {"agent": new_agent(state["question"], state["standalone"], route, messages, passages, plan, adapter)}


def investigate_model(state: InvestigationState, runtime: Runtime[GraphContext]) -> dict:
    progress(runtime, Stage.GENERATE, section=state["index"])
    agent = model_turn(runtime.context, state["agent"], lambda text: token(runtime, text, state["index"]))
    return {"agent": agent}


def investigate_tools(state: InvestigationState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context

    def started(tool: str) -> None:
        progress(runtime, Stage.TOOLS, section=state["index"], tool=tool)

    agent = run_calls(ctx, state["agent"], state.get("session", ""), state.get("user", "local"),
                      ctx.kb_name(state.get("kb")), started)
    return {"agent": agent}


def investigate_approval(state: InvestigationState, runtime: Runtime[GraphContext]) -> dict:
    """The agent answered the approval request: approve runs the call, reject records it, leave stops."""
    progress(runtime, Stage.TOOLS, section=state["index"])
    paused = state.get("paused") or {}
    agent = decide(runtime.context, paused, state.get("reply") or "",
                   state.get("session", ""), state.get("user", "local"))
    return {"agent": agent, "paused": None}


def _title(ctx: GraphContext, plan: str | None) -> str | None:
    return ctx.runbooks.get(plan).title if plan and ctx.runbooks is not None else None


def _trace(state: InvestigationState) -> dict:
    agent = state["agent"]
    summary = public_summary(agent)
    return {f"investigation_{state['index']}": {k: summary.get(k) for k in (
        "plan", "status", "stop_reason", "detail", "steps", "tool_calls", "tokens", "seconds")}}


def investigate_finish(state: InvestigationState, runtime: Runtime[GraphContext]) -> dict:
    """The section: the approval the investigation waits for, or its conclusion and hand-off summary."""
    ctx = runtime.context
    started = time.perf_counter()
    agent: InvestigationData = {**state["agent"]}
    route = state["route"]
    waiting = waiting_request(agent)
    if waiting:
        outputs = agent.get("outputs") or []
        text = "\n\n".join([o["text"] for o in outputs if o.get("text")] + [waiting["prompt"]])
        section = make_section(state["index"], state["question"], state["standalone"], "investigate", text,
                               adapter=route.get("adapter"), mode="investigation",
                               investigation=public_summary(agent, waiting),
                               investigation_state=agent)
        return {"sections": [section], "trace": _trace(state)}
    body, citations, grounded = conclusion(agent)
    summary = handoff_summary(agent, state["standalone"], state.get("session", ""),
                              state.get("user", "local"), _title(ctx, agent.get("plan")))
    agent["outputs"] = list(agent.get("outputs") or []) + [{"kind": "summary", "text": summary}]
    section = make_section(state["index"], state["question"], state["standalone"], "investigate",
                           f"{body}\n\n{summary}", citations=citations, grounded=grounded,
                           adapter=route.get("adapter"), mode="model" if agent.get("status") == "answer" else
                           "investigation", investigation=public_summary(agent),
                           timings={"finish_ms": round((time.perf_counter() - started) * 1000, 2)})
    return {"sections": [section], "trace": _trace(state)}


def investigate_fallback(state: InvestigationState, runtime: Runtime[GraphContext]) -> dict:
    """Record why the model's output could not be used; routing then picks the runbook or a knowledge answer."""
    return {"trace": _trace(state)}


def investigate_runbook(state: InvestigationState, runtime: Runtime[GraphContext]) -> dict:
    """Fallback: the matched runbook takes over (the deterministic path)."""
    ctx = runtime.context
    progress(runtime, Stage.TOOLS, section=state["index"])
    engine = ctx.runbooks
    assert engine is not None and state["agent"].get("plan")
    run_state = engine.start(state["agent"]["plan"], state["standalone"], state.get("session", ""),
                             state.get("user", "local"), kb=ctx.kb_name(state.get("kb")))
    run_state, outputs = engine.advance(run_state, None)
    section = runbook_section(state["index"], state["question"], state["standalone"], run_state, outputs)
    section["investigation"] = public_summary(state["agent"])
    return {"sections": [section]}


def investigate_wait(state: ConversationState) -> dict:
    """Pause the turn until the agent approves or rejects; the reply resumes the graph here.

    The resume value is the reply text, or `{"reply", "decision", "message"}` from Copilot (the command
    word the investigation gets, runbook_reply / control, and the message as the agent typed it), as for
    a waiting runbook (graph/waiting.py classifies it).
    """
    paused = state.get("investigation") or {}
    request = waiting_request(paused) or {}
    return resumed_turn(interrupt(request), "investigation_reply")
