"""What a knowledge base talks about: its token vocabulary and mined lexicon, cached per KB.

The guard measures how much of a message the KB's vocabulary covers ("证书考试怎么报名":
证书 is known, 考试/报名 are not), and rewrite uses the lexicon to find a question's
subject. Built lazily from `KnowledgeService.iter_chunks` on first use of a KB and
rebuilt when the KB's chunk count changes (an ingest happened).
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


def tokenize(text: str) -> list[str]:
    """The knowledge layer's tokenizer (jieba + domain dictionary, lower-cased, no stop words)."""
    from knowledge.text import tokenize as kb_tokenize

    return kb_tokenize(text)


@dataclass
class KBVocabulary:
    """Document frequencies and lexicon of one knowledge base."""

    doc_freq: Counter = field(default_factory=Counter)
    """Token -> number of chunks containing it."""
    chunks: int = 0
    """Chunks seen."""
    lexicon: set[str] = field(default_factory=set)
    """Domain terms mined at ingest (lower-cased)."""
    postings: dict[str, set[int]] = field(default_factory=dict)
    """Token -> ids of the chunks containing it (for co-occurrence)."""
    topics: list[str] = field(default_factory=list)
    """Domain terms most documents are titled with, as written ("云服务器", "MySQL"): what the KB covers."""

    def knows(self, token: str) -> bool:
        return token in self.doc_freq or token in self.lexicon

    def idf(self, token: str) -> float:
        """Smoothed inverse document frequency; unknown tokens get the highest value."""
        return math.log((self.chunks + 1) / (self.doc_freq.get(token, 0) + 0.5))

    def association(self, token: str, others: list[str]) -> float:
        """Share of the chunks containing `token` that also contain one of `others`."""
        docs = self.postings.get(token)
        if not docs:
            return 0.0
        together: set[int] = set()
        for other in others:
            together |= docs & self.postings.get(other, set())
        return len(together) / len(docs)

    def lexicon_terms_in(self, text: str) -> list[str]:
        """Lexicon terms appearing in the text, longest first (case-insensitive)."""
        low = text.lower()
        found = [t for t in self.lexicon if len(t) >= 2 and t in low]
        return sorted(found, key=len, reverse=True)


class DomainVocabulary:
    """Cache of `KBVocabulary` per knowledge base name."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[int, KBVocabulary]] = {}
        self._lock = threading.Lock()

    def get(self, knowledge: Any, kb: str | None) -> KBVocabulary:
        key = kb or ""
        stamp = _chunk_count(knowledge, kb)
        with self._lock:
            cached = self._cache.get(key)
            if cached and cached[0] == stamp:
                return cached[1]
            vocab = _build(knowledge, kb)
            self._cache[key] = (stamp, vocab)
            return vocab


def _chunk_count(knowledge: Any, kb: str | None) -> int:
    for info in knowledge.list_kbs():
        if kb is None or info.get("name") == kb:
            return int(info.get("chunks", 0))
    return -1


def _build(knowledge: Any, kb: str | None) -> KBVocabulary:
    vocab = KBVocabulary()
    titles: dict[str, str] = {}
    for passage in knowledge.iter_chunks(kb):
        titles.setdefault(passage.source, passage.title or "")
        vocab.chunks += 1
        text = passage.text
        question = (passage.meta or {}).get("question")
        if question:
            text = f"{question}\n{text}"
        heading = " ".join(passage.heading_path or [])
        tokens = set(tokenize(f"{passage.title} {heading} {text}"))
        vocab.doc_freq.update(tokens)
        for token in tokens:
            vocab.postings.setdefault(token, set()).add(vocab.chunks)
    vocab.lexicon = {t.lower() for t in knowledge.lexicon(kb)}
    vocab.topics = _topics(vocab.lexicon, list(titles.values()))
    return vocab


# Words in many titles that name no product or area ("排查", "ERROR").
_GENERIC = {"error", "errors", "规则", "规格", "排查", "配置", "登录", "端口", "问题", "失败", "无法", "概述",
            "常见问题", "faq", "报错", "原因", "方法", "使用", "管理", "介绍", "简介", "指南", "说明", "overview"}


def _topics(lexicon: set[str], titles: list[str], limit: int = 6) -> list[str]:
    """Lexicon terms found in the most document titles (CJK or product-like, not numbers), as written.

    An ASCII term counts only as a whole word of a title ("TiDB", not the "tid" inside it), so a
    multi-product base is named by its products."""
    counts: Counter = Counter()
    written: dict[str, str] = {}
    terms = [t for t in lexicon if len(t) >= 2 and t not in _GENERIC and not t.replace(".", "").isdigit()]
    for title in titles:
        low = title.lower()
        words = {m.group(0): m.start() for m in _ASCII_WORD.finditer(low)}
        for term in terms:
            found = words.get(term, -1) if term.isascii() and " " not in term else low.find(term)
            if found >= 0:
                counts[term] += 1
                written.setdefault(term, title[found:found + len(term)])
    ranked = [t for t, n in counts.most_common() if n >= 2] or [t for t, _ in counts.most_common()]
    picked: list[str] = []
    for term in ranked:
        if not any(term in p.lower() or p.lower() in term for p in picked):
            picked.append(written[term])
        if len(picked) >= limit:
            break
    return picked


_ASCII_WORD = re.compile(r"[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?")
