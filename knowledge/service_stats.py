"""KnowledgeService's corpus statistics: tokens, document frequencies, topics, terms, products.

A mixin over the service's catalog and corpus, kept apart so the service module stays small.
Everything here is stored with the index at ingest; nothing scans the chunks (but
`iter_chunks`). `kb` is one base, several (statistics summed or merged), or None (all bases).
Tests: tests/knowledge (test_corpus.py, test_bases.py).
"""

from __future__ import annotations

import json
from typing import Any, Iterator, Protocol, Sequence

from knowledge.retrieve import passage_from_row
from knowledge.text import KBTokenizer
from knowledge.text import tokenize as plain_tokenize
from knowledge.types import Passage


class _Service(Protocol):
    """What the statistics use of the KnowledgeService they are mixed into."""

    catalog: Any
    corpus: Any
    _products: dict[str, tuple[int, frozenset[str]]]
    _unions: dict[tuple[str, ...], tuple[tuple[str, ...], KBTokenizer]]

    def _require(self, kb: str | None) -> str: ...

    def _names(self, kb: str | Sequence[str] | None) -> list[str]: ...

    def _union_tokenizer(self, names: list[str]) -> KBTokenizer: ...


class CorpusStatistics:
    """products / lexicon / generation / tokenize / doc_frequencies / cooccurrence / topics /
    word_counts / iter_chunks."""

    def products(self: _Service, kb: str) -> set[str]:
        """Products the base's documents declare (front matter `product`); runbook scopes use them."""
        kb = self._require(kb)
        generation = self.catalog.generation(kb)
        cached = self._products.get(kb)
        if cached is None or cached[0] != generation:
            # only metadata that names a product is parsed (a 100k-chunk base has thousands of documents)
            names = {str(json.loads(d["meta"]).get("product") or "").strip()
                     for d in self.catalog.documents(kb).values() if d["meta"] and '"product"' in d["meta"]}
            cached = self._products[kb] = (generation, frozenset(n for n in names if n))
        return set(cached[1])

    def lexicon(self: _Service, kb: str | Sequence[str] | None = None) -> set[str]:
        """Domain terms mined at ingest (lower-cased); all bases when kb is None, their union for several."""
        if kb is None:
            return {t for t, _ in self.catalog.terms(None)}
        return {t for name in self._names(kb) for t, _ in self.catalog.terms(name)}

    def generation(self: _Service, kb: str | Sequence[str] | None = None) -> int:
        """Counter that changes whenever a base's lexical index does (several or all bases: their sum)."""
        return sum(self.catalog.generation(name) for name in self._names(kb))

    def tokenize(self: _Service, text: str, kb: str | Sequence[str] | None = None) -> list[str]:
        """Tokens as the base's lexical index makes them (several bases: every one's domain terms kept
        whole; no base: without domain terms)."""
        if kb is None:
            return plain_tokenize(text)
        names = self._names(kb)
        if len(names) == 1:
            return self.corpus.tokenizer(names[0]).tokenize(text)
        return self._union_tokenizer(names).tokenize(text)

    def _union_tokenizer(self: _Service, names: list[str]) -> KBTokenizer:
        parts = [self.corpus.tokenizer(name) for name in names]
        stamp = tuple(p.version for p in parts)
        cached = self._unions.get(tuple(names))
        if cached is None or cached[0] != stamp:
            cached = self._unions[tuple(names)] = (stamp, KBTokenizer(t for p in parts for t in p.terms))
        return cached[1]

    def doc_frequencies(self: _Service, tokens: list[str], kb: str | Sequence[str] | None = None) -> tuple[int, dict[str, int]]:
        """(chunks, {token: chunks containing it}) of one base, or summed over all bases."""
        total, counts = 0, dict[str, int]()
        for name in self._names(kb):
            n, found = self.corpus.doc_frequencies(name, tokens)
            total += n
            for token, df in found.items():
                counts[token] = counts.get(token, 0) + df
        return total, counts

    def cooccurrence(self: _Service, token: str, others: list[str], kb: str | Sequence[str] | None = None) -> tuple[int, int]:
        """(chunks containing `token`, those also containing one of `others`)."""
        pairs = [self.corpus.cooccurrence(name, token, others) for name in self._names(kb)]
        return sum(a for a, _ in pairs), sum(b for _, b in pairs)

    def topics(self: _Service, kb: str | Sequence[str] | None = None) -> list[str]:
        """What a base covers: the domain terms most of its document titles use (several chosen bases:
        each base's best topics first)."""
        merged: list[str] = []
        if kb is not None and not isinstance(kb, str):
            ranked = [self.corpus.topics(name) for name in self._names(kb)]
            for rank in range(max((len(r) for r in ranked), default=0)):
                merged += [r[rank] for r in ranked if rank < len(r) and r[rank] not in merged]
            return merged[:6]
        for name in self._names(kb):
            merged += [t for t in self.corpus.topics(name) if t not in merged]
        return merged[:6]

    def word_counts(self: _Service, kb: str | Sequence[str] | None = None) -> dict[str, int]:
        """{word: chunks} of the words in at least 2 chunks that typo correction can match
        (2-4 Chinese characters, 4+ letters), stored at ingest; all bases: summed."""
        merged: dict[str, int] = {}
        for name in self._names(kb):
            for word, n in self.corpus.word_counts(name).items():
                merged[word] = merged.get(word, 0) + n
        return merged

    def aliases(self: _Service, kb: str | Sequence[str] | None = None) -> dict[str, list[str]]:
        """{english name: [Chinese term]} the bases state ("安全组（Security Group）"), stored at ingest."""
        merged: dict[str, list[str]] = {}
        for name in self._names(kb):
            for english, terms in self.corpus.aliases(name).items():
                merged.setdefault(english, [])
                merged[english] += [t for t in terms if t not in merged[english]]
        return merged

    def iter_chunks(self: _Service, kb: str | None = None) -> Iterator[Passage]:
        """Every chunk of one base (or of all bases when kb is None), in ingest order."""
        names = [self._require(kb)] if kb is not None else self.catalog.kb_names()
        for name in names:
            for row in self.catalog.iter_chunks(name):
                yield passage_from_row(row, 0.0, None, None)

    def _names(self: _Service, kb: str | Sequence[str] | None) -> list[str]:
        if kb is None:
            return self.catalog.kb_names()
        if isinstance(kb, str):
            return [self._require(kb)]
        return list(dict.fromkeys(self._require(name) for name in kb)) or [self._require(None)]
