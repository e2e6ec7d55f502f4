"""select: keep the best passages above the knowledge layer's threshold, then grow them
into coherent evidence (graph/evidence.py): whole sections, a document's procedure or
causes list, by the question's type (graph/question_type.py).

The knowledge layer orders passages most relevant LAST (nearest the question in a prompt);
evidence keeps that order. `retrieved` keeps the whole list so a reply without support can
name the nearest; `qtype` tells answer what to compose.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from graph.bases import primary
from graph.context import GraphContext
from graph.crosslingual import judged_text
from graph.evidence import build_evidence
from graph.passages import from_state, to_state
from graph.question_type import asks_for_steps, question_type
from graph.relevance import question_terms
from graph.state import QuestionState


def select(state: QuestionState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context
    kb = ctx.kb_name(state.get("kb"))
    found = [from_state(p) for p in state.get("passages") or []]
    chosen = [to_state(p) for p in ctx.knowledge.select(judged_text(ctx, state["standalone"], kb), found,
                                                          max_passages=ctx.settings.max_passages)]
    qtype = question_type(state["standalone"])
    vocab = ctx.vocabulary.get(ctx.knowledge, kb) if chosen else None
    terms = question_terms(state["standalone"], state.get("query", ""), vocab, [p["text"] for p in chosen])
    evidence = build_evidence(chosen, lambda base, source: ctx.knowledge.document_chunks(base or primary(kb) or "", source),
                              qtype, terms, wants_steps=asks_for_steps(state["standalone"]))
    return {"retrieved": state.get("passages") or [], "passages": evidence, "qtype": qtype}
