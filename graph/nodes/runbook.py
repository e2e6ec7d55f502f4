"""runbook: start a troubleshooting flow, pause for the agent with `interrupt()`, resume.

Three nodes, so that tool calls never run twice (a node that interrupts is re-run on
resume): `runbook` starts the flow and runs it until it needs input; `runbook_wait`
only interrupts and records the reply; `runbook_step` advances the flow with the reply.
The flow's state (tools.runbooks.RunbookState, JSON) lives in the checkpointed graph
state, so a paused runbook survives a restart.
"""

from __future__ import annotations

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from graph.context import GraphContext
from graph.progress import Stage, progress
from graph.runbook_section import runbook_section
from graph.state import ConversationState, QuestionState
from graph.waiting import resumed_turn
from tools.runbooks.state import RunbookState


def runbook(state: QuestionState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context
    progress(runtime, Stage.TOOLS, section=state["index"])
    engine = ctx.runbooks
    run_state = engine.start(state["route"]["runbook"], state["standalone"], state.get("session", ""),
                             state.get("user", "local"), kb=ctx.kb_name(state.get("kb")))
    run_state, outputs = engine.advance(run_state, None)
    return {"sections": [runbook_section(state["index"], state["question"], state["standalone"], run_state, outputs)]}


def runbook_wait(state: ConversationState) -> dict:
    """Pause the turn until the agent answers; the reply resumes the graph here.

    The resume value is the reply text, or `{"reply", "decision", "message"}` from Copilot (the
    command word the runbook gets, runbook_reply / control, and the message as the agent typed it).
    """
    waiting = (state.get("runbook") or {}).get("waiting") or {}
    return resumed_turn(interrupt({"runbook": (state.get("runbook") or {}).get("runbook_id"), **waiting}), "runbook_reply")


def runbook_step(state: ConversationState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context
    progress(runtime, Stage.TOOLS)
    run_state = RunbookState.model_validate(state["runbook"])
    run_state, outputs = ctx.runbooks.advance(run_state, state.get("runbook_reply"))
    section = runbook_section(0, state.get("runbook_reply") or "", run_state.question, run_state, outputs)
    return {"sections": [section]}
