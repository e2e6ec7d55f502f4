"""Query expansion before retrieval: colloquial words -> the documentation's terms.

Deterministic strategy: `graph/synonyms.yaml` (连不上 -> 无法连接 …). Model strategy
(generative backend, `expand_with_model`): the `expand` prompt's keywords, kept only
when they look like keywords (short, few). Both add to the query; nothing is removed. An English question also gets the Chinese
documentation terms of its words (graph/crosslingual.py).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

from graph.bases import KBScope
from graph.context import GraphContext
from graph.crosslingual import search_terms
from graph.model_calls import ask_model


@lru_cache(maxsize=1)
def synonyms() -> dict[str, list[str]]:
    data = yaml.safe_load(resources.files("graph").joinpath("synonyms.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise ValueError("graph/synonyms.yaml: must map a word to a list of terms")
    return {str(k).lower(): [str(t) for t in v] for k, v in data.items()}


def synonym_terms(question: str) -> list[str]:
    """Documentation terms for the colloquial words in the question (longest words first)."""
    return list(dict.fromkeys(t for terms in synonym_groups(question).values() for t in terms))


def synonym_groups(question: str) -> dict[str, list[str]]:
    """{colloquial word of the question: its documentation terms the question does not write}
    (longest words first): alternatives for the word, which selection credits as the word
    (knowledge.evidence.WordGroup), never extra words a passage must hold.

    A one-character key counts only where it is a word of its own: 卡 in "很卡", not in
    "网卡"; 慢 in "很慢", not in "慢查询". A key listed with no terms (卡在: []) holds its
    characters back from the shorter keys inside it ("卡在 Waiting" is stuck, not slow)."""
    low = question.lower()
    found: dict[str, list[str]] = {}
    spans: list[tuple[int, int]] = []  # where longer keys matched
    words: set[str] | None = None
    for word in sorted(synonyms(), key=len, reverse=True):
        # a key inside a longer matched one is held back; one overlapping it is not (硬盘 beside 盘满了)
        at = [m.start() for m in re.finditer(re.escape(word), low)
              if not any(s <= m.start() and m.start() + len(word) <= e for s, e in spans)]
        if not at:
            continue
        if len(word) == 1:
            if words is None:
                from knowledge.text import tokenize
                masked = list(low)
                for s, e in spans:
                    masked[s:e] = " " * (e - s)
                words = set(tokenize("".join(masked)))
            if word not in words:
                continue
        spans += [(i, i + len(word)) for i in at]
        terms = [term for term in synonyms()[word] if term.lower() not in low]
        if terms:
            found[word] = terms
    return found


def model_terms(ctx: GraphContext, question: str) -> list[str]:
    if not ctx.settings.expand_with_model:
        return []
    out = ask_model(ctx, "expand", max_tokens=40, question=question)
    if not out:
        return []
    words = [w for w in re.split(r"[\s,，、;；]+", out.strip().splitlines()[0]) if w]
    if not words or len(words) > 8 or any(len(w) > 24 for w in words):
        return []
    return [w for w in words if w.lower() not in question.lower()]


def synonym_query(question: str, chinese: list[str] | None = None) -> str:
    """The question plus documentation terms for its colloquial words (no model), and `chinese`:
    the Chinese terms of an English question (graph.crosslingual.search_terms)."""
    extra = synonym_terms(question) + [t for t in chinese or [] if t not in question]
    return f"{question} {' '.join(dict.fromkeys(extra))}".strip() if extra else question


def expand_query(ctx: GraphContext, question: str, kb: KBScope = None) -> str:
    """Synonym expansion (and the Chinese terms of an English question), plus model keywords when
    a generative model is configured.

    Without model keywords this equals `synonym_query`, the guard's query, so the knowledge
    layer's query-embedding cache serves the second search of a one-question turn.
    """
    extra = list(dict.fromkeys(synonym_terms(question) + [t for t in search_terms(ctx, question, kb)
                                                          if t not in question]))
    for term in model_terms(ctx, question):
        if term not in extra:
            extra.append(term)
    return f"{question} {' '.join(extra)}".strip() if extra else question
