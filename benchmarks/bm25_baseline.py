"""Plain-BM25 baseline for the retrieval benchmark: `bm25s` + `jieba.cut_for_search`, nothing else.

Indexes every chunk's catalog `indexed_text` (title and heading prefix included, as the
issue that asked for it measured) with bm25s defaults; tokens are jieba's search-mode
cut of the lower-cased text with a fresh jieba dictionary (no domain terms), keeping
tokens that contain a letter, digit or CJK character. No stop words, no field weights,
no expansion. Used by benchmarks/retrieval_eval.py.
"""

from __future__ import annotations

import re
from typing import Any

_WORD = re.compile(r"[0-9A-Za-z_\u3400-\u9fff]")


class PlainBM25:
    """Chunks of one knowledge base ranked by bm25s; `search` returns chunk sources best first."""

    def __init__(self, chunks: list[tuple[str, str]]) -> None:
        """`chunks`: (source, indexed_text) of every chunk."""
        import bm25s
        import jieba

        self._jieba: Any = jieba.Tokenizer()
        self._jieba.initialize()
        self.sources = [s for s, _ in chunks]
        self._bm25 = bm25s.BM25()
        self._bm25.index([self.tokens(text) for _, text in chunks], show_progress=False)

    def tokens(self, text: str) -> list[str]:
        return [t for t in self._jieba.cut_for_search(text.lower()) if _WORD.search(t)]

    def search(self, query: str, k: int) -> list[str]:
        tokens = [t for t in self.tokens(query) if t in self._bm25.vocab_dict]
        if not tokens:
            return []
        docs, _ = self._bm25.retrieve([tokens], k=min(k, len(self.sources)), show_progress=False)
        return [self.sources[i] for i in docs[0]]
