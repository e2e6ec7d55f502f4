"""What a knowledge base talks about: its token vocabulary and mined lexicon, cached per KB.

The guard measures how much of a message the KB's vocabulary covers ("证书考试怎么报名":
证书 is known, 考试/报名 are not), and rewrite uses the lexicon to find a question's
subject. Built lazily from `KnowledgeService.iter_chunks` on first use of a KB and
rebuilt when the KB's chunk count changes (an ingest happened).
"""

from __future__ import annotations

import math
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

    def knows(self, token: str) -> bool:
        return token in self.doc_freq or token in self.lexicon

    def idf(self, token: str) -> float:
        """Smoothed inverse document frequency; unknown tokens get the highest value."""
        return math.log((self.chunks + 1) / (self.doc_freq.get(token, 0) + 0.5))

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
    for passage in knowledge.iter_chunks(kb):
        vocab.chunks += 1
        text = passage.text
        question = (passage.meta or {}).get("question")
        if question:
            text = f"{question}\n{text}"
        heading = " ".join(passage.heading_path or [])
        vocab.doc_freq.update(set(tokenize(f"{passage.title} {heading} {text}")))
    vocab.lexicon = {t.lower() for t in knowledge.lexicon(kb)}
    return vocab
