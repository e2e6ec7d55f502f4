"""A reply section made from a runbook's outputs (the runbook nodes and the investigation's
fallback to its runbook both build one)."""

from __future__ import annotations

from graph.schema import Citation, Section, make_section
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
    cited: list[Citation] = [{"n": i, **c} for i, c in enumerate(citations, 1)]
    return make_section(
        index, question, standalone, "runbook", "\n\n".join(texts), citations=cited, grounded=bool(citations),
        mode="runbook",
        runbook={"id": run_state.runbook_id, "step": run_state.step, "status": run_state.status,
                 "waiting": waiting, "outputs": [o.to_json() for o in outputs]},
        runbook_state=run_state.model_dump(mode="json") if waiting else None,
    )
