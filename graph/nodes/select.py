"""select: keep the best 3-4 passages above the knowledge layer's threshold.

The knowledge layer orders them most relevant LAST (nearest the question in a prompt);
`retrieved` keeps the whole list so a reply without support can name the nearest.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from graph.context import GraphContext
from graph.passages import from_state, to_state
from graph.state import QuestionState


def select(state: QuestionState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context
    found = [from_state(p) for p in state.get("passages") or []]
    chosen = ctx.knowledge.select(state["standalone"], found, max_passages=ctx.settings.max_passages)
    return {"retrieved": state.get("passages") or [], "passages": [to_state(p) for p in chosen]}
