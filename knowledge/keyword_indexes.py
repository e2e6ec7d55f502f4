"""The keyword indexes of each base, kept per generation and tokenizer: BM25 arrays, page index, ranker.

A mixin of knowledge.retrieve.HybridRetriever, which holds the caches and the lock: the saved
indexes of the current generation are loaded, else built and saved (a read-only data dir
serves from memory); in server mode knowledge.pg.serving says which index serves. Tests:
tests/knowledge/test_corpus.py, tests/storage/test_background_index.py.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from knowledge.calibration import Calibration
from knowledge.catalog import Catalog, kb_key
from knowledge.config import KnowledgeSettings
from knowledge.corpus import Corpus

if TYPE_CHECKING:
    from knowledge.bm25 import BM25Index
    from knowledge.lexical import LexicalRanker
    from knowledge.pages import PageIndex
    from knowledge.pg.serving import KeywordServing, SqlKeywords

log = logging.getLogger(__name__)


class KeywordIndexes:
    """Cached keyword indexes per base; the retriever sets these attributes."""

    settings: KnowledgeSettings
    catalog: Catalog
    corpus: Corpus
    root: Path
    serving: "KeywordServing | None"
    _bm25_cache: dict[str, "BM25Index"]
    _rankers: dict[str, "LexicalRanker"]
    _bm25_lock: threading.Lock
    _calibrations: dict[str, tuple[int, Calibration | None]]
    _titles_of: dict[str, tuple[int, dict[str, str]]]

    def bm25(self, kb: str) -> "BM25Index":
        """The base's in-memory BM25 index: cached, else loaded from disk, else built and saved.

        Stamped with the base's generation and tokenizer identity: the path words added to
        the heading column are cut by the base's tokenizer at build time.
        """
        from knowledge.bm25 import BM25Index  # numpy: only once a search runs (not for `analyze`)

        tokenizer = self.corpus.identity(kb)  # first: bringing the index to it moves the generation
        generation = self.catalog.generation(kb)
        with self._bm25_lock:
            index = self._bm25_cache.get(kb)
            if index is None or index.generation != generation or index.tokenizer != tokenizer:
                path = self._bm25_path(kb)
                index = BM25Index.load(path, generation, tokenizer) if path.exists() else None
                if index is None:
                    index = BM25Index.build(self._rows_with_paths(kb), generation, tokenizer)
                    try:
                        index.save(path)
                    except OSError as exc:  # read-only data dir: search still works from memory
                        log.warning("cannot save the BM25 index %s: %s", path, exc)
                self._bm25_cache[kb] = index
            return index

    def _rows_with_paths(self, kb: str) -> list[tuple[int, str, str]]:
        """Lexical rows with the words of the document's path added to the heading column.

        A page's path often names what its text never does (`analysis/ist0103/index.md`).
        """
        from knowledge.pages import path_tokens

        tokenize = self.corpus.tokenizer(kb).tokenize
        words: dict[str, str] = {}
        paths = {r["rowid"]: words.setdefault(r["source"], " ".join(path_tokens(r["source"], tokenize)))
                 for r in self.catalog.chunk_layout(kb)}
        return [(rowid, f"{head} {paths.get(rowid, '')}".strip(), body) for rowid, head, body in self.catalog.lexical_rows(kb)]

    def keywords(self, kb: str) -> "LexicalRanker | SqlKeywords":
        """Which keyword index serves `kb` now: the in-memory ranker (embedded: built here if need be);
        in server mode PostgreSQL's BM25 while a missing or stale one is built in the background."""
        return self.lexical(kb) if self.serving is None else self.serving.index(kb)

    def lexical(self, kb: str) -> "LexicalRanker":
        """The base's keyword ranker (chunk and page indexes of the current generation and tokenizer)."""
        from knowledge.lexical import LexicalRanker
        from knowledge.text import background_frequency
        from knowledge.unknown_words import predicting

        chunks = self.bm25(kb)
        with self._bm25_lock:
            ranker = self._rankers.get(kb)
            if ranker is None or ranker.chunks is not chunks:
                tokenizer = self.corpus.tokenizer(kb)
                ranker = LexicalRanker(chunks, self._pages(kb, chunks.generation, chunks.tokenizer), self.settings,
                                       background=predicting(background_frequency, tokenizer.terms))
                ranker.product_names = self._product_names(kb, tokenizer.tokenize)
                self._rankers[kb] = ranker
            return ranker

    def _product_names(self, kb: str, tokenize: Callable[[str], list[str]]) -> frozenset[str]:
        """Names of the base's product folders (`tidb` of `tidb-docs-cn/…`) when it files two or more products:
        the keyword ranker's named-product rule (knowledge.lexical) reads them."""
        from knowledge.pages import path_tokens, product_folder
        from knowledge.subjects import is_name

        folders = {product_folder(r["source"]) for r in self.catalog.chunk_layout(kb)}
        names = frozenset(t for f in folders if f for t in path_tokens(f, tokenize) if is_name(t))
        return names if len(folders - {""}) >= 2 else frozenset()

    def _pages(self, kb: str, generation: int, identity: str) -> "PageIndex":
        from knowledge.pages import ChunkInfo, PageIndex, is_navigation

        folder = self.root / f"pages-{kb_key(kb)}"
        pages = PageIndex.load(folder, generation, identity) if folder.exists() else None
        if pages is None:
            tokens = {rowid: (head, body) for rowid, head, body in self.catalog.lexical_rows(kb)}
            layout = [ChunkInfo(r["rowid"], r["doc_id"], r["source"], r["title"], json.loads(r["heading_path"]), r["kind"],
                                is_navigation(r["text"])) for r in self.catalog.chunk_layout(kb, text=True)]
            pages = PageIndex.build(layout, tokens, generation, self.corpus.tokenizer(kb).tokenize, identity)
            try:
                pages.save(folder)
            except OSError as exc:  # read-only data dir (a shared copy): rank from memory
                log.warning("cannot save the page index %s: %s", folder, exc)
        return pages

    def forget(self, kb: str) -> None:
        """Drop a deleted base's cached and saved keyword indexes."""
        import shutil

        with self._bm25_lock:
            self._bm25_cache.pop(kb, None)
            self._rankers.pop(kb, None)
        self._calibrations.pop(kb, None)
        self._bm25_path(kb).unlink(missing_ok=True)
        shutil.rmtree(self.root / f"pages-{kb_key(kb)}", ignore_errors=True)

    def _bm25_path(self, kb: str) -> Path:
        return self.root / f"bm25-{kb_key(kb)}.v2.npz"  # v2: path words in the heading column
