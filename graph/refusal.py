"""The polite refusal text: says what the copilot can help with, from the loaded KB.

The topics are the domain terms most of the knowledge base's document titles use, so the
refusal follows the KB instead of a fixed list. Used by the refuse node (one
sub-question) and compose (a whole message).
"""

from __future__ import annotations

from graph.context import GraphContext
from graph.prompts import replies
from graph.vocabulary import KBVocabulary


def topics(vocab: KBVocabulary) -> str:
    """What the KB covers, from its document titles: "云服务器、MySQL、负载均衡…"."""
    return "、".join(vocab.topics) or "云产品"


def refusal_text(ctx: GraphContext, kb: str | None) -> str:
    vocab = ctx.vocabulary.get(ctx.knowledge, kb)
    return replies()["refusal"].strip().format(topics=topics(vocab))
