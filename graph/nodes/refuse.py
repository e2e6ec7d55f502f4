"""refuse: the polite refusal, for a whole message or one off-domain sub-question.

The refusal names what the copilot can help with: the domain terms most of the loaded
knowledge base's document titles use, so it follows the KB instead of a fixed list.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from graph.context import GraphContext
from graph.prompts import replies
from graph.state import QuestionState
from graph.vocabulary import KBVocabulary


def topics(vocab: KBVocabulary) -> str:
    """What the KB covers, from its document titles: "云服务器、MySQL、负载均衡…"."""
    return "、".join(vocab.topics) or "云产品"


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
