"""retrieve: hybrid search for one standalone sub-question, with query expansion.

A follow-up leans on the previous reply (graph/prior.py): an item of its list ("第二步具体怎么写")
puts that item's section from the reply's pages first; a new ask on the same topic does not get
back the passages the reply already showed whole.
"""

from __future__ import annotations

import time

from langgraph.runtime import Runtime

from graph.bases import search
from graph.context import GraphContext
from graph.expansion import expand_query
from graph.passages import to_state
from graph.prior import WIDER, asked_words, not_shown, step_first, with_own_pages
from graph.progress import Stage, progress
from graph.state import QuestionState
from graph.thread import decode_focus


def retrieve(state: QuestionState, runtime: Runtime[GraphContext]) -> dict:
    started = time.perf_counter()
    ctx = runtime.context
    progress(runtime, Stage.RETRIEVE, section=state["index"])
    kb = ctx.kb_name(state.get("kb"))
    query = expand_query(ctx, state["standalone"], kb)

    def find(text: str, k: int = ctx.settings.retrieve_k) -> list:
        return [to_state(p) for p in search(ctx.knowledge, text, kb, k)]

    known = (state.get("searched") or {}).get(query)  # the guard searched this very query already
    passages = known if known is not None else find(query)
    prior = state.get("prior") or {}
    if state.get("decision") == "follow_up" and prior:
        kind, item = decode_focus(state.get("focus") or "")
        if kind == "item":
            passages = step_first(passages, prior, item, find)
        elif kind != "named":
            vocab = ctx.vocabulary.get(ctx.knowledge, kb)
            passages = not_shown(passages, prior, state.get("question") or "", vocab)
            _, words = asked_words(state.get("question") or "", state["standalone"], prior, vocab)
            passages = with_own_pages(passages, prior, words, lambda: find(query, WIDER * ctx.settings.retrieve_k))
    return {
        "query": query,
        "passages": passages,
        "timings": {"retrieve_ms": round((time.perf_counter() - started) * 1000, 2)},
    }
