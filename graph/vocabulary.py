"""What a knowledge base talks about: its token statistics and mined lexicon, cached per KB.

The guard measures how much of a message the KB's vocabulary covers ("证书考试怎么报名":
证书 is known, 考试/报名 are not), and rewrite uses the lexicon to find a question's
subject. Everything is read from statistics the knowledge layer stores with its index
(`KnowledgeService.generation / tokenize / doc_frequencies / cooccurrence / lexicon /
topics`), token by token as asked, so a cold process never re-reads the chunks; the cache
is renewed when the KB's generation changes (an ingest happened). A turn over several bases
(graph.bases) has one vocabulary of them all: statistics summed, every base's terms known.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graph.bases import KBScope

if TYPE_CHECKING:
    from graph.ports import KnowledgePort


def tokenize(text: str) -> list[str]:
    """The knowledge layer's tokenizer without any base's domain terms (use KBVocabulary.tokenize for a KB)."""
    from knowledge.text import tokenize as kb_tokenize

    return kb_tokenize(text)


@dataclass
class KBVocabulary:
    """Document frequencies and lexicon of one knowledge base, of several (a tuple), or of all (kb None)."""

    knowledge: "KnowledgePort"
    """The knowledge service the statistics come from."""
    kb: KBScope
    chunks: int = 0
    """Chunks in the KB."""
    lexicon: set[str] = field(default_factory=set)
    """Domain terms mined at ingest (lower-cased)."""
    topics: list[str] = field(default_factory=list)
    """Domain terms most documents are titled with, as written ("云服务器", "MySQL"): what the KB covers."""
    _freq: dict[str, int] = field(default_factory=dict, repr=False)
    _words: dict[str, int] | None = field(default=None, repr=False)
    _aliases: dict[str, list[str]] | None = field(default=None, repr=False)
    _chars: frozenset[str] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def tokenize(self, text: str) -> list[str]:
        """Tokens as the KB's index has them (its domain terms kept whole)."""
        return self.knowledge.tokenize(text, self.kb)

    def doc_freq(self, token: str) -> int:
        """Chunks containing the token (asked once per token, then cached)."""
        with self._lock:
            if token not in self._freq:
                self._freq[token] = self.knowledge.doc_frequencies([token], self.kb)[1].get(token, 0)
            return self._freq[token]

    def word_counts(self) -> dict[str, int]:
        """{word: chunks} of the words typo correction matches against (read once, stored at ingest)."""
        with self._lock:
            if self._words is None:
                self._words = dict(self.knowledge.word_counts(self.kb))
            return self._words

    def chars(self) -> frozenset[str]:
        """Every Chinese character the base writes in its words (built once from `word_counts`)."""
        words = self.word_counts()
        with self._lock:
            if self._chars is None:
                self._chars = frozenset(ch for word in words for ch in word if "\u4e00" <= ch <= "\u9fff")
            return self._chars

    def aliases(self) -> dict[str, list[str]]:
        """{english phrase (lower-case): [Chinese terms]} the base states ("安全组（Security Group）"),
        mined at ingest (graph/crosslingual.py)."""
        with self._lock:
            if self._aliases is None:
                self._aliases = dict(self.knowledge.aliases(self.kb))
            return self._aliases

    def knows(self, token: str) -> bool:
        return token in self.lexicon or self.doc_freq(token) > 0

    def idf(self, token: str) -> float:
        """Smoothed inverse document frequency; unknown tokens get the highest value."""
        return math.log((self.chunks + 1) / (self.doc_freq(token) + 0.5))

    def association(self, token: str, others: list[str]) -> float:
        """Share of the chunks containing `token` that also contain one of `others`."""
        alone, both = self.knowledge.cooccurrence(token, others, self.kb)
        return both / alone if alone else 0.0

    def lexicon_terms_in(self, text: str) -> list[str]:
        """Lexicon terms appearing in the text, longest first (case-insensitive). A Latin term counts
        only between non-letters: "df" (of `df -h`) is not named by "pdf", "mysql" is by "mysql8"."""
        low = text.lower()
        found = [t for t in self.lexicon if len(t) >= 2 and t in low and _standalone(t, low)]
        return sorted(found, key=len, reverse=True)


class DomainVocabulary:
    """Cache of `KBVocabulary` per knowledge base name, renewed when the KB's generation changes."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[int, KBVocabulary]] = {}
        self._lock = threading.Lock()

    def get(self, knowledge: "KnowledgePort", kb: KBScope) -> KBVocabulary:
        """One base's vocabulary, or that of several (a tuple: the turn's chosen bases; the knowledge
        layer sums their statistics and keeps every base's domain terms whole)."""
        key = "\x00".join(kb) if isinstance(kb, tuple) else (kb or "")
        stamp = knowledge.generation(kb)
        with self._lock:
            cached = self._cache.get(key)
            if cached and cached[0] == stamp:
                return cached[1]
            vocab = KBVocabulary(knowledge, kb, chunks=knowledge.doc_frequencies([], kb)[0],
                                 lexicon={t.lower() for t in knowledge.lexicon(kb)}, topics=list(knowledge.topics(kb)))
            self._cache[key] = (stamp, vocab)
            return vocab


def _standalone(term: str, low: str) -> bool:
    left = "(?<![a-z])" if term[0].isascii() and term[0].isalpha() else ""
    right = "(?![a-z])" if term[-1].isascii() and term[-1].isalpha() else ""
    return not (left or right) or re.search(left + re.escape(term) + right, low) is not None
