"""refuse: the polite refusal for one off-domain sub-question (text: graph/refusal.py)."""

from __future__ import annotations

from langgraph.runtime import Runtime

from graph.context import GraphContext
from graph.refusal import refusal_text
from graph.schema import make_section
from graph.state import QuestionState


def refuse(state: QuestionState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context
    text = refusal_text(ctx, ctx.kb_name(state.get("kb")), state.get("lang"))
    return {"sections": [make_section(state["index"], state["question"], state["standalone"], "refuse", text)]}
