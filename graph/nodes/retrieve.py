"""retrieve: hybrid search for one standalone sub-question, with query expansion."""

from __future__ import annotations

import time

from langgraph.runtime import Runtime

from graph.context import GraphContext
from graph.expansion import expand_query
from graph.passages import to_state
from graph.progress import Stage, progress
from graph.state import QuestionState


def retrieve(state: QuestionState, runtime: Runtime[GraphContext]) -> dict:
    started = time.perf_counter()
    ctx = runtime.context
    progress(runtime, Stage.RETRIEVE, section=state["index"])
    query = expand_query(ctx, state["standalone"])
    known = (state.get("searched") or {}).get(query)  # the guard searched this very query already
    passages = known if known is not None else [
        to_state(p) for p in ctx.knowledge.search(query, kb=ctx.kb_name(state.get("kb")), k=ctx.settings.retrieve_k)]
    return {
        "query": query,
        "passages": passages,
        "timings": {"retrieve_ms": round((time.perf_counter() - started) * 1000, 2)},
    }
