"""The polite refusal and the greeting: both say what the copilot can help with, from the loaded KB.

The topics are the domain terms most of the knowledge base's document titles use, so the
texts follow the KB ("TiDB、Kubernetes、Istio…" for the shared corpora) instead of a fixed
list. Used by the refuse node (one sub-question) and compose (a whole message, a greeting).
Tests: tests/graph/test_guard.py.
"""

from __future__ import annotations

from graph.bases import KBScope
from graph.context import GraphContext
from graph.crosslingual import english_name
from graph.prompts import replies
from graph.vocabulary import KBVocabulary


def topics(vocab: KBVocabulary, lang: str | None = "zh") -> str:
    """What the KB covers, from its document titles: "云服务器、MySQL、负载均衡…"; in English, the topics
    that have an English name ("cloud server, MySQL, load balancer")."""
    if lang == "en":
        aliases = vocab.aliases()
        names = list(dict.fromkeys(n for n in (english_name(t, aliases) for t in vocab.topics) if n))
        return ", ".join(names) or "the products in the knowledge base"
    return "、".join(vocab.topics) or "知识库中产品"


def refusal_text(ctx: GraphContext, kb: KBScope, lang: str | None = "zh") -> str:
    vocab = ctx.vocabulary.get(ctx.knowledge, kb)
    return replies(lang)["refusal"].strip().format(topics=topics(vocab, lang))


def greeting_text(ctx: GraphContext, kb: KBScope, lang: str | None = "zh") -> str:
    vocab = ctx.vocabulary.get(ctx.knowledge, kb)
    return replies(lang)["greeting"].strip().format(topics=topics(vocab, lang))
