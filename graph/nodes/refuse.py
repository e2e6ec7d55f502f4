"""refuse: the polite refusal, for a whole message or one off-domain sub-question.

The refusal names what the copilot can help with: the most common domain terms of the
loaded knowledge base, so it follows the KB instead of a fixed list.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from graph.context import GraphContext
from graph.prompts import replies
from graph.state import QuestionState
from graph.vocabulary import KBVocabulary


def topics(vocab: KBVocabulary, limit: int = 5) -> str:
    """The KB's most common lexicon terms: "云服务器、安全组、MySQL…"."""
    ranked = sorted(vocab.lexicon, key=lambda t: (-vocab.doc_freq.get(t, 0), t))
    picked = [t for t in ranked if 2 <= len(t) <= 12][:limit]
    return "、".join(picked) or "云产品"


def refusal_text(ctx: GraphContext, kb: str | None) -> str:
    vocab = ctx.vocabulary.get(ctx.knowledge, kb)
    return replies()["refusal"].strip().format(topics=topics(vocab))


def refuse(state: QuestionState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context
    return {"sections": [{
        "index": state["index"], "question": state["question"], "standalone": state["standalone"],
        "route": "refuse", "answer": refusal_text(ctx, ctx.kb_name(state.get("kb"))), "citations": [],
        "grounded": False, "adapter": None, "mode": "none",
    }]}
