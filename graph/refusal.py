"""The polite refusal and the greeting: both say what the copilot can help with, from the loaded KB.

The topics are the domain terms most of the knowledge base's document titles use, so the
texts follow the KB ("TiDB、Kubernetes、Istio…" for the shared corpora) instead of a fixed
list. Used by the refuse node (one sub-question) and compose (a whole message, a greeting).
Tests: tests/graph/test_guard.py.
"""

from __future__ import annotations

from graph.bases import KBScope
from graph.context import GraphContext
from graph.prompts import replies
from graph.vocabulary import KBVocabulary


def topics(vocab: KBVocabulary) -> str:
    """What the KB covers, from its document titles: "云服务器、MySQL、负载均衡…"."""
    return "、".join(vocab.topics) or "知识库中产品"


def refusal_text(ctx: GraphContext, kb: KBScope, lang: str | None = "zh") -> str:
    vocab = ctx.vocabulary.get(ctx.knowledge, kb)
    return replies(lang)["refusal"].strip().format(topics=topics(vocab))


def greeting_text(ctx: GraphContext, kb: KBScope, lang: str | None = "zh") -> str:
    vocab = ctx.vocabulary.get(ctx.knowledge, kb)
    return replies(lang)["greeting"].strip().format(topics=topics(vocab))
