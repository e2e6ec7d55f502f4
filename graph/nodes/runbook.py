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
from graph.schema import Citation, Section, make_section
from graph.state import ConversationState, QuestionState
from tools.runbooks.state import RunbookOutput, RunbookState


def runbook_section(index: int, question: str, standalone: str, run_state: RunbookState,
                    outputs: list[RunbookOutput]) -> Section:
    """A reply section from a runbook's outputs; carries the run state while it waits."""
    texts = [o.text for o in outputs if o.text]
    citations: list[dict] = []
    for o in outputs:
        for c in o.citations:
            if all(c.get("chunk_id") != x.get("chunk_id") for x in citations):
                citations.append(dict(c))
    # "left": the agent walked away; the turn ends instead of waiting for a reply.
    waiting = run_state.waiting if run_state.status not in ("left", "done", "escalated") else None
    cited: list[Citation] = [{"n": i, **c} for i, c in enumerate(citations, 1)]  # type: ignore[typeddict-item]
    return make_section(
        index, question, standalone, "runbook", "\n\n".join(texts), citations=cited, grounded=bool(citations),
        mode="runbook",
        runbook={"id": run_state.runbook_id, "step": run_state.step, "status": run_state.status,
                 "waiting": waiting, "outputs": [o.to_json() for o in outputs]},
        runbook_state=run_state.model_dump(mode="json") if waiting else None,
    )


def runbook(state: QuestionState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context
    progress(runtime, Stage.TOOLS, section=state["index"])
    engine = ctx.runbooks
    run_state = engine.start(state["route"]["runbook"], state["standalone"], state.get("session", ""),
                             state.get("user", "local"))
    run_state, outputs = engine.advance(run_state, None)
    return {"sections": [runbook_section(state["index"], state["question"], state["standalone"], run_state, outputs)]}


def runbook_wait(state: ConversationState) -> dict:
    """Pause the turn until the agent answers; the reply resumes the graph here."""
    waiting = (state.get("runbook") or {}).get("waiting") or {}
    reply = interrupt({"runbook": (state.get("runbook") or {}).get("runbook_id"), **waiting})
    reply = str(reply if reply is not None else "")
    return {
        "runbook_reply": reply,
        "sections": None,
        "searched": {},
        "sub_questions": [],
        "standalone": [],
        "unanswered": [],
        "routes": [],
        "guard": {"kind": "resume", "in_domain": True, "score": 1.0, "evidence": {}, "message": reply},
        "messages": [{"role": "user", "content": reply}],
        "trace": {"_reset": True, "resume": True},
    }


def runbook_step(state: ConversationState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context
    progress(runtime, Stage.TOOLS)
    run_state = RunbookState.model_validate(state["runbook"])
    run_state, outputs = ctx.runbooks.advance(run_state, state.get("runbook_reply"))
    section = runbook_section(0, state.get("runbook_reply") or "", run_state.question, run_state, outputs)
    return {"sections": [section]}
